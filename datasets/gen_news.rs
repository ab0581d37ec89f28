//! Generates multi-outlet news with known rewordings and ground truth.
//!
//! Each *story* has an original article; some stories are re-published by other outlets as
//! *copies*, each made from the original or an earlier copy by realistic newsroom edits:
//! a new dateline and credit line, a rewritten or added lede, synonym swaps, reordered and
//! dropped sentences, truncation with a "read more" teaser, the outlet's boilerplate,
//! typographic changes (curly quotes, dashes, non-breaking spaces) and typos.
//!
//! ```text
//! cargo run --release -p neardup-tools --bin gen_news -- --stories 60 --seed 7 --out datasets/sample
//! cargo run --release -p neardup-tools --bin gen_news -- --base ../shared/datasets/reuters21578/documents-part1.jsonl \
//!     --stories 3000 --seed 1 --out target/eval/reuters-rewrites
//! ```
//!
//! Without `--base`, original articles are synthetic (templated sentences over built-in word
//! lists). With `--base FILE.jsonl` (fields `text`, optional `title`), each story's original
//! is a real article of at least `--min-words` words, taken in order after a seeded shuffle.
//!
//! Copies come out on the original's day or up to two days later; `--spread DAYS`, within
//! DAYS days of it (re-runs a week or a month on).
//!
//! Output in `--out`: `news.jsonl` (`id`, `outlet`, `date`, `title`, `text`) and
//! `truth.tsv` (`id`, `story`, `source`, `edits`), where `source` is the document the copy
//! was edited from (empty for originals). Same seed, same bytes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use neardup::{
    Analyzer, BandIndex, LshParams, MinHasher, ShingleKind, Shingler, minhash::Overlap,
    minhash::SplitMix64,
};

struct Rng(SplitMix64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(SplitMix64::new(seed))
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

const OUTLETS: &[&str] = &[
    "Riverside Gazette",
    "Summit Daily",
    "Coastal Chronicle",
    "Prairie Post",
    "Lakeside Ledger",
    "Metro Wire",
    "Union Dispatch",
    "Pinecrest Journal",
    "Eastbay Observer",
    "Northgate News",
    "Harborview Herald",
    "Crescent Times",
];

const CITIES: &[&str] = &[
    "LONDON", "NEW YORK", "PARIS", "TOKYO", "BERLIN", "NAIROBI", "SYDNEY", "TORONTO", "MADRID",
    "SEOUL", "CAIRO", "LIMA", "OSLO", "DELHI", "ROME", "WARSAW",
];

const MONTHS: &[&str] = &[
    "Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
];

/// Word swaps an editor makes when rewording (both directions are used).
const SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("says", "states"),
    ("told", "informed"),
    ("announced", "unveiled"),
    ("increase", "rise"),
    ("increased", "rose"),
    ("decrease", "decline"),
    ("fell", "dropped"),
    ("rose", "climbed"),
    ("big", "large"),
    ("major", "significant"),
    ("company", "firm"),
    ("companies", "firms"),
    ("government", "administration"),
    ("officials", "authorities"),
    ("plan", "proposal"),
    ("plans", "proposals"),
    ("buy", "purchase"),
    ("bought", "acquired"),
    ("sold", "offloaded"),
    ("profit", "earnings"),
    ("expected", "forecast"),
    ("about", "around"),
    ("help", "assist"),
    ("start", "begin"),
    ("started", "began"),
    ("show", "indicate"),
    ("showed", "indicated"),
    ("however", "but"),
    ("also", "additionally"),
    ("meeting", "talks"),
    ("agreement", "deal"),
    ("chief", "head"),
    ("market", "sector"),
    ("prices", "costs"),
    ("strong", "robust"),
    ("weak", "soft"),
    ("early", "initial"),
    ("because", "as"),
    ("week", "period"),
    ("percent", "pct"),
    ("million", "mln"),
    ("billion", "bln"),
    ("tonnes", "tons"),
    ("shares", "stock"),
    ("rate", "level"),
    ("official", "spokesman"),
    ("country", "nation"),
    ("biggest", "largest"),
    ("quickly", "rapidly"),
    ("talks", "negotiations"),
    ("total", "overall"),
    ("added", "continued"),
    ("likely", "probable"),
    ("despite", "notwithstanding"),
    ("reported", "disclosed"),
    ("cut", "reduce"),
    ("raise", "lift"),
    ("trade", "commerce"),
    ("new", "fresh"),
];

const BOILERPLATE_HEAD: &[&str] = &[
    "(Reporting by staff; editing by the news desk)",
    "This article was updated with additional details.",
    "EXCLUSIVE:",
    "BREAKING NEWS -",
];

const BOILERPLATE_FOOT: &[&str] = &[
    "Copyright {outlet}. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Follow {outlet} on social media for the latest updates and sign up for our daily newsletter.",
    "Sign up for the {outlet} morning briefing to get the day's top stories in your inbox.",
    "Have a news tip? Contact the {outlet} newsroom. Our reporters are available around the clock.",
    "{outlet} is an independent news organisation. Support our journalism by subscribing today.",
];

// ---------------------------------------------------------------- synthetic originals

const PEOPLE: &[&str] = &[
    "Maria Okafor",
    "James Lindqvist",
    "Aiko Tanaka",
    "Rahul Mehta",
    "Sofia Marquez",
    "Daniel Weber",
    "Amina Haddad",
    "Peter Novak",
    "Grace Mbeki",
    "Lucas Moreau",
    "Hannah Schulz",
    "Omar Farouk",
    "Elena Petrova",
    "Kwame Asante",
    "Laura Bianchi",
    "Chen Wei",
    "Nora Kelly",
    "Ivan Horvat",
];
const ORGS: &[&str] = &[
    "the central bank",
    "the finance ministry",
    "the port authority",
    "the national railway",
    "the energy regulator",
    "the health ministry",
    "the city council",
    "the workers' union",
    "the farmers' cooperative",
    "the state airline",
    "the stock exchange",
    "the election commission",
    "the meteorological office",
    "the national football federation",
    "the telecom operator",
];
const TOPICS: &[&str] = &[
    "interest rates",
    "grain exports",
    "a rail strike",
    "fuel subsidies",
    "the new budget",
    "flood defences",
    "a merger",
    "vaccine supplies",
    "the coal mine",
    "the trade deficit",
    "housing permits",
    "the bond auction",
    "coffee prices",
    "a cyber attack",
    "the water tariff",
    "the stadium project",
    "wind farms",
    "the copper smelter",
    "teacher salaries",
    "bus fares",
];
const VERBS: &[&str] = &[
    "approved",
    "rejected",
    "postponed",
    "announced",
    "criticised",
    "defended",
    "reviewed",
    "suspended",
    "expanded",
    "proposed",
    "questioned",
    "welcomed",
];
const ADJS: &[&str] = &[
    "sharp",
    "modest",
    "unexpected",
    "long-awaited",
    "controversial",
    "temporary",
    "record",
    "gradual",
    "surprise",
    "limited",
    "sweeping",
    "cautious",
];
const NOUNS: &[&str] = &[
    "investors",
    "residents",
    "exporters",
    "analysts",
    "commuters",
    "farmers",
    "lawmakers",
    "shoppers",
    "pensioners",
    "suppliers",
    "traders",
    "students",
];

fn synthetic_sentence(rng: &mut Rng, person: &str, org: &str, topic: &str) -> String {
    let n = rng.range(2, 98);
    let m = rng.range(3, 40);
    let adj = rng.pick(ADJS);
    let verb = rng.pick(VERBS);
    let noun = rng.pick(NOUNS);
    let noun2 = rng.pick(NOUNS);
    let other = rng.pick(PEOPLE);
    let day = rng.pick(&[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ]);
    match rng.below(14) {
        0 => format!(
            "{} {verb} a {adj} change to {topic} on {day}, {person} said.",
            cap(org)
        ),
        1 => format!(
            "\"We expect {noun} to feel the effect within {m} weeks,\" {person} told reporters."
        ),
        2 => format!("The decision affects about {n},000 {noun}, according to figures from {org}."),
        3 => format!(
            "{other}, who chairs a panel on {topic}, said the {adj} move had been {verb} before."
        ),
        4 => format!(
            "Critics said {noun} and {noun2} would pay for the {adj} plan, which {org} {verb} in {m} days."
        ),
        5 => format!(
            "Last year {org} {verb} a similar measure after {n} percent of {noun} objected."
        ),
        6 => format!(
            "{person} said talks with {noun2} would resume on {day} and that a deal on {topic} was close."
        ),
        7 => format!(
            "Shares of firms exposed to {topic} moved {n} basis points after the {adj} statement."
        ),
        8 => format!(
            "The {adj} figures showed {topic} costing {noun} {m}.{} billion over {n} months.",
            n % 10
        ),
        9 => format!(
            "\"This is a {adj} day for {noun},\" said {other}, adding that {org} had {verb} the idea."
        ),
        10 => format!(
            "A spokesperson for {org} declined to comment on {topic} beyond the {day} statement."
        ),
        11 => format!(
            "{cap_noun} gathered outside the offices of {org} on {day}, some holding signs about {topic}.",
            cap_noun = cap(noun)
        ),
        12 => format!(
            "Under the {adj} proposal, {n} of the {m} regions would see {topic} reviewed by {org}."
        ),
        _ => format!("{other} warned that {topic} could weigh on {noun2} for {m} more months."),
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn synthetic_story(rng: &mut Rng) -> (String, String) {
    let person = *rng.pick(PEOPLE);
    let org = *rng.pick(ORGS);
    let topic = *rng.pick(TOPICS);
    let title = format!(
        "{} {} {} plan on {}",
        cap(org.trim_start_matches("the ")),
        rng.pick(VERBS),
        rng.pick(ADJS),
        topic
    );
    let sentences = rng.range(8, 20);
    let body = paragraphs(rng, sentences, |rng| {
        synthetic_sentence(rng, person, org, topic)
    });
    (title, body)
}

/// `sentences` sentences from `sentence`, in paragraphs of 1-2, separated by blank lines.
fn paragraphs(
    rng: &mut Rng,
    sentences: usize,
    mut sentence: impl FnMut(&mut Rng) -> String,
) -> String {
    let mut paragraphs = Vec::new();
    let mut para = Vec::new();
    for _ in 0..sentences {
        para.push(sentence(rng));
        if para.len() >= rng.range(1, 3) {
            paragraphs.push(para.join(" "));
            para.clear();
        }
    }
    if !para.is_empty() {
        paragraphs.push(para.join(" "));
    }
    paragraphs.join("\n\n")
}

/// A vocabulary for `--text zipf`: English function words first, then pseudo-words made of
/// syllables, drawn with Zipf's law (exponent 1.05) like words in real text, so unrelated
/// stories share common words but few word 3-grams, as real news does.
struct Lexicon {
    words: Vec<String>,
    cdf: Vec<f64>,
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on", "it", "with", "as",
    "he", "at", "by", "said", "from", "his", "an", "be", "has", "have", "are", "not", "but",
    "they", "which", "this", "were", "had", "would", "their", "will", "its", "been", "after",
    "who", "more", "also", "we", "she", "than", "about", "new", "one", "two", "year", "could",
];

const SYLLABLES: &[&str] = &[
    "ba", "ko", "ri", "tan", "mel", "so", "vi", "dra", "pen", "lu", "sta", "or", "gen", "mi",
    "ter", "al", "con", "ex", "port", "na", "ly", "ver", "da", "ca", "sim", "bro", "fel", "de",
    "qui", "ra", "to", "ment", "ple", "ar", "in", "ho", "sel", "wen", "tri", "mo",
];

impl Lexicon {
    fn new(size: usize, rng: &mut Rng) -> Lexicon {
        let mut words: Vec<String> = FUNCTION_WORDS.iter().map(|w| w.to_string()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        while words.len() < size {
            let n = rng.range(2, 4);
            let w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cdf = Vec::with_capacity(size);
        let mut acc = 0.0;
        for r in 1..=size {
            acc += 1.0 / (r as f64).powf(1.05);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Lexicon { words, cdf }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self
            .cdf
            .partition_point(|&c| c < u)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, min: usize, max: usize) -> String {
        let n = rng.range(min, max);
        let words: Vec<&str> = (0..n).map(|_| self.word(rng)).collect();
        let mut s = cap(&words.join(" "));
        s.push('.');
        s
    }

    fn story(&self, rng: &mut Rng) -> (String, String) {
        let title = self.sentence(rng, 5, 11);
        let title = title.trim_end_matches('.').to_string();
        let sentences = rng.range(10, 26);
        (
            title,
            paragraphs(rng, sentences, |rng| self.sentence(rng, 10, 28)),
        )
    }
}

// ---------------------------------------------------------------- edits

/// An article as paragraphs of sentences.
#[derive(Clone)]
struct Article {
    title: String,
    paragraphs: Vec<Vec<String>>,
    head: Option<String>,
    foot: Option<String>,
}

fn split_sentences(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    // A real article's paragraphs are separated by blank lines or indented lines (Reuters).
    let normalised = text.replace("\n    ", "\n\n");
    for para in normalised.split("\n\n") {
        let para = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if para.is_empty() {
            continue;
        }
        let mut sentences = Vec::new();
        let mut start = 0;
        let b = para.as_bytes();
        for i in 0..b.len() {
            let end = matches!(b[i], b'.' | b'?' | b'!')
                && (i + 1 == b.len()
                    || (b[i + 1] == b' ' && i + 2 < b.len() && b[i + 2].is_ascii_uppercase()));
            if end {
                sentences.push(para[start..=i].trim().to_string());
                start = i + 1;
            }
        }
        if start < para.len() && !para[start..].trim().is_empty() {
            sentences.push(para[start..].trim().to_string());
        }
        out.push(sentences);
    }
    out
}

impl Article {
    fn new(title: String, text: &str) -> Self {
        Article {
            title,
            paragraphs: split_sentences(text),
            head: None,
            foot: None,
        }
    }

    fn sentences(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }

    fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(h) = &self.head {
            parts.push(h.clone());
        }
        for p in &self.paragraphs {
            if !p.is_empty() {
                parts.push(p.join(" "));
            }
        }
        if let Some(f) = &self.foot {
            parts.push(f.clone());
        }
        parts.join("\n\n")
    }

    fn sentence_mut(&mut self, mut k: usize) -> Option<&mut String> {
        for p in &mut self.paragraphs {
            if k < p.len() {
                return Some(&mut p[k]);
            }
            k -= p.len();
        }
        None
    }

    fn remove_sentence(&mut self, mut k: usize) {
        for p in &mut self.paragraphs {
            if k < p.len() {
                p.remove(k);
                break;
            }
            k -= p.len();
        }
        self.paragraphs.retain(|p| !p.is_empty());
    }
}

fn swap_word(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    let alt = SYNONYMS.iter().find_map(|&(a, b)| {
        if a == lower {
            Some(b)
        } else if b == lower {
            Some(a)
        } else {
            None
        }
    })?;
    Some(if word.chars().next().is_some_and(char::is_uppercase) {
        cap(alt)
    } else {
        alt.to_string()
    })
}

fn synonyms(rng: &mut Rng, s: &str, rate: f64) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, token) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core_end = token
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(token.len());
        let (core, rest) = token.split_at(core_end);
        match swap_word(core) {
            Some(alt) if rng.chance(rate) => {
                out.push_str(&alt);
                out.push_str(rest);
            }
            _ => out.push_str(token),
        }
    }
    out
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_alphabetic() && chars[i + 1].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return s.to_string();
    }
    let i = *rng.pick(&letters);
    let mut c = chars;
    match rng.below(3) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c.insert(i, c[i]),
    }
    c.into_iter().collect()
}

fn typography(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut open = true;
    for c in s.chars() {
        match c {
            '"' => {
                out.push(if open { '\u{201C}' } else { '\u{201D}' });
                open = !open;
            }
            '\'' => out.push('\u{2019}'),
            _ => out.push(c),
        }
    }
    out.replace(" - ", " \u{2014} ")
        .replace("--", "\u{2013}")
        .replace(", ", ",\u{00A0}")
}

/// Applies a random mix of edits to make `outlet`'s copy. Returns the edit names.
fn edit(rng: &mut Rng, a: &mut Article, outlet: &str, date: (usize, usize)) -> Vec<String> {
    let mut edits = Vec::new();
    let n = a.sentences();
    if n == 0 {
        return edits;
    }
    // Dateline and credit: always, for another outlet.
    let dateline = format!(
        "{}, {} {} ({}) -",
        rng.pick(CITIES),
        MONTHS[date.0],
        date.1,
        outlet
    );
    if let Some(first) = a.sentence_mut(0) {
        let body = match first.find(") - ").or_else(|| first.find(" - ")) {
            Some(i) if i < 60 => {
                first[first[i..].find("- ").map_or(i, |j| i + j + 2)..].to_string()
            }
            _ => first.clone(),
        };
        *first = format!("{dateline} {body}");
    }
    edits.push("dateline".to_string());
    if rng.chance(0.4) {
        let lede = format!(
            "{} {} on {} as {} reacted to the news.",
            cap(rng.pick::<&str>(NOUNS)),
            rng.pick(&[
                "reacted cautiously",
                "were watching closely",
                "voiced concern",
                "welcomed the step"
            ]),
            rng.pick(&["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
            rng.pick(NOUNS)
        );
        a.paragraphs.insert(0, vec![lede]);
        edits.push("lede".to_string());
    }
    if rng.chance(0.6) {
        let rate = 0.2 + 0.5 * rng.unit();
        for p in &mut a.paragraphs {
            for s in p.iter_mut() {
                *s = synonyms(rng, s, rate);
            }
        }
        a.title = synonyms(rng, &a.title, rate);
        edits.push(format!("synonyms{rate:.2}"));
    }
    if rng.chance(0.3) && a.paragraphs.len() > 2 {
        let swaps = rng.range(1, 2);
        for _ in 0..swaps {
            let i = rng.range(1, a.paragraphs.len() - 2);
            a.paragraphs.swap(i, i + 1);
        }
        edits.push(format!("reorder{swaps}"));
    }
    if rng.chance(0.3) && a.sentences() > 4 {
        let drops = rng.range(1, 2);
        for _ in 0..drops {
            let k = rng.range(1, a.sentences() - 1);
            a.remove_sentence(k);
        }
        edits.push(format!("drop{drops}"));
    }
    if rng.chance(0.25) && a.sentences() > 5 {
        let keep_share = 0.5 + 0.4 * rng.unit();
        let keep = ((a.sentences() as f64 * keep_share).ceil() as usize).max(3);
        while a.sentences() > keep {
            let last = a.sentences() - 1;
            a.remove_sentence(last);
        }
        a.paragraphs
            .push(vec![format!("Read the full story at {outlet}.")]);
        edits.push(format!("truncate{keep_share:.2}"));
    }
    if rng.chance(0.6) {
        a.foot = Some(rng.pick(BOILERPLATE_FOOT).replace("{outlet}", outlet));
        if rng.chance(0.3) {
            a.head = Some(rng.pick(BOILERPLATE_HEAD).to_string());
        }
        edits.push("boilerplate".to_string());
    } else {
        a.head = None;
        a.foot = None;
    }
    if rng.chance(0.3) {
        let typos = rng.range(1, 4);
        for _ in 0..typos {
            let k = rng.below(a.sentences());
            if let Some(s) = a.sentence_mut(k) {
                *s = typo(rng, s);
            }
        }
        edits.push(format!("typos{typos}"));
    }
    if rng.chance(0.5) {
        for p in &mut a.paragraphs {
            for s in p.iter_mut() {
                *s = typography(s);
            }
        }
        edits.push("typography".to_string());
    }
    edits
}

// ---------------------------------------------------------------- main

struct Options {
    stories: usize,
    seed: u64,
    out: PathBuf,
    base: Option<PathBuf>,
    min_words: usize,
    copy_share: f64,
    docs: Option<usize>,
    zipf: bool,
    max_copies: usize,
    spread: Option<usize>,
}

/// The month (0-based) and day of 2024 `days` after `month` and `day`, at most December 31.
fn later(month: usize, day: usize, days: usize) -> (usize, usize) {
    const LENGTHS: [usize; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut month, mut day) = (month, day + days);
    while day > LENGTHS[month] {
        if month == 11 {
            return (11, 31);
        }
        day -= LENGTHS[month];
        month += 1;
    }
    (month, day)
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        stories: 60,
        seed: 7,
        out: PathBuf::from("datasets/sample"),
        base: None,
        min_words: 80,
        copy_share: 0.5,
        docs: None,
        zipf: false,
        max_copies: 6,
        spread: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--stories" => o.stories = value()?.parse().map_err(|e| format!("--stories: {e}"))?,
            "--max-copies" => {
                o.max_copies = match value()?.parse() {
                    Ok(n) if n >= 1 => n,
                    Ok(_) => return Err("--max-copies: at least 1".to_string()),
                    Err(e) => return Err(format!("--max-copies: {e}")),
                }
            }
            "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => o.out = PathBuf::from(value()?),
            "--base" => o.base = Some(PathBuf::from(value()?)),
            "--min-words" => {
                o.min_words = value()?.parse().map_err(|e| format!("--min-words: {e}"))?
            }
            "--text" => {
                o.zipf = match value()?.as_str() {
                    "zipf" => true,
                    "templates" => false,
                    v => return Err(format!("--text: `{v}` is not zipf or templates")),
                }
            }
            "--docs" => o.docs = Some(value()?.parse().map_err(|e| format!("--docs: {e}"))?),
            "--spread" => {
                o.spread = match value()?.parse() {
                    Ok(n) if (1..=300).contains(&n) => Some(n),
                    Ok(_) => return Err("--spread: 1 to 300 days".to_string()),
                    Err(e) => return Err(format!("--spread: {e}")),
                }
            }
            "--copy-share" => {
                o.copy_share = value()?.parse().map_err(|e| format!("--copy-share: {e}"))?
            }
            "-h" | "--help" => {
                return Err(
                    "usage: gen_news [--stories N] [--seed S] [--out DIR] [--base FILE.jsonl] \
                            [--min-words N] [--copy-share P] [--docs N] [--text templates|zipf] [--max-copies N] \
                            [--spread DAYS]"
                        .to_string(),
                );
            }
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(o)
}

fn load_base(
    path: &PathBuf,
    min_words: usize,
    rng: &mut Rng,
) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        let body = v["text"].as_str().unwrap_or_default();
        let title = v["title"].as_str().unwrap_or_default().to_string();
        // Drop a repeated headline at the top of the text (Reuters puts it there).
        let body = body.strip_prefix(title.as_str()).unwrap_or(body).trim();
        if body.split_whitespace().count() >= min_words {
            out.push((title, body.to_string()));
        }
    }
    // Seeded Fisher-Yates shuffle.
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    Ok(distinct(out))
}

/// Keeps only articles unrelated to every article kept before them: word 3-gram Jaccard
/// below 0.2 and containment below 0.5 (real wires repeat stories; those must not count
/// as different stories in the ground truth).
fn distinct(bases: Vec<(String, String)>) -> Vec<(String, String)> {
    let analyzer = Analyzer::default();
    let shingler = Shingler::new(ShingleKind::Word(3));
    let hasher = MinHasher::builder().build().expect("valid defaults");
    let params = LshParams::from_threshold(0.2, hasher.num_perm(), 0.99).expect("valid threshold");
    let mut index = BandIndex::new(params);
    let mut sets: Vec<Vec<u64>> = Vec::new();
    let mut kept = Vec::new();
    for (title, body) in bases {
        let set = shingler.shingle_set(&analyzer, &body);
        let sig = hasher.signature(&set);
        let related = index.query(&sig).into_iter().any(|j| {
            let o = Overlap::of_sorted(&set, &sets[j as usize]);
            o.jaccard() >= 0.2 || o.containment() >= 0.5
        });
        if !related {
            index.insert(sets.len() as u32, &sig);
            sets.push(set);
            kept.push((title, body));
        }
    }
    kept
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("gen_news: {e}");
            std::process::exit(2);
        }
    };
    let mut o = o;
    if let Some(n) = o.docs {
        // Enough stories for N documents (each has at least one); stop at exactly N.
        o.stories = o.stories.max(n);
    }
    let mut rng = Rng::new(o.seed);
    let bases = match &o.base {
        Some(p) => match load_base(p, o.min_words, &mut rng) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("gen_news: {e}");
                std::process::exit(2);
            }
        },
        None if o.zipf => {
            let lexicon = Lexicon::new(50_000, &mut rng);
            (0..o.stories).map(|_| lexicon.story(&mut rng)).collect()
        }
        None => (0..o.stories).map(|_| synthetic_story(&mut rng)).collect(),
    };
    if bases.len() < o.stories {
        eprintln!(
            "gen_news: only {} base articles of {}+ words",
            bases.len(),
            o.min_words
        );
        std::process::exit(2);
    }
    let mut news = String::new();
    let mut truth = String::from("id\tstory\tsource\tedits\n");
    let mut docs = 0usize;
    'stories: for (story, (title, body)) in bases.iter().take(o.stories).enumerate() {
        if o.docs.is_some_and(|n| docs >= n) {
            break;
        }
        let mut versions: Vec<(String, Article)> = Vec::new();
        let day = rng.range(1, 28);
        let month = rng.below(12);
        let first_outlet = rng.below(OUTLETS.len());
        let id = format!("s{story:05}-0");
        let original = Article::new(title.clone(), body);
        let line = serde_json::json!({
            "id": id, "outlet": OUTLETS[first_outlet], "date": format!("2024-{:02}-{:02}", month + 1, day),
            "title": original.title, "text": original.text(),
        });
        writeln!(news, "{line}").unwrap();
        writeln!(truth, "{id}\t{story}\t\toriginal").unwrap();
        versions.push((id, original));
        docs += 1;
        if rng.chance(o.copy_share) {
            // 1 to --max-copies copies (6 unless set), fewer more likely.
            let copies = 1 + (rng.unit() * rng.unit() * o.max_copies as f64) as usize;
            for c in 1..=copies {
                if o.docs.is_some_and(|n| docs >= n) {
                    break 'stories;
                }
                let (src_id, src) = versions[if rng.chance(0.7) {
                    0
                } else {
                    rng.below(versions.len())
                }]
                .clone();
                let outlet =
                    OUTLETS[(first_outlet + 1 + rng.below(OUTLETS.len() - 1)) % OUTLETS.len()];
                let (month, d) = match o.spread {
                    None => (month, (day + rng.below(3)).min(28)),
                    Some(n) => later(month, day, rng.below(n)),
                };
                let mut copy = src;
                let edits = edit(&mut rng, &mut copy, outlet, (month, d));
                let id = format!("s{story:05}-{c}");
                let line = serde_json::json!({
                    "id": id, "outlet": outlet, "date": format!("2024-{:02}-{:02}", month + 1, d),
                    "title": copy.title, "text": copy.text(),
                });
                writeln!(news, "{line}").unwrap();
                writeln!(truth, "{id}\t{story}\t{src_id}\t{}", edits.join("+")).unwrap();
                versions.push((id, copy));
                docs += 1;
            }
        }
    }
    if let Err(e) = std::fs::create_dir_all(&o.out)
        .and_then(|()| std::fs::File::create(o.out.join("news.jsonl"))?.write_all(news.as_bytes()))
        .and_then(|()| std::fs::File::create(o.out.join("truth.tsv"))?.write_all(truth.as_bytes()))
    {
        eprintln!("gen_news: {}: {e}", o.out.display());
        std::process::exit(2);
    }
    eprintln!("gen_news: {docs} documents in {}", o.out.display());
}
