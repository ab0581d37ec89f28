//! Subjects: one template filled in for two issuers ("Hokkaido Takushoku Bank Ltd is
//! issuing a 100 mln dlr convertible eurobond..." against "Toyo Trust and Banking Co Ltd is
//! issuing a 100 mln dlr convertible eurobond...") shares most shingles and every figure,
//! but not the texts' word for word sameness outside their names that
//! [`names`](super::names) needs: the terms are worded a little apart. What tells the two
//! apart is what each is about, named where the other names its own.
//!
//! A *subject* of a text is a word it writes capitalised at least twice, once at least
//! not at a sentence's start (where any word is capitalised), never inside parentheses
//! (where a dateline names its outlet: "(Reuters)"), and never in lower case (a common word
//! in a table's heading or a law's name, "Companies Act", is no name). Its *places* are
//! the first two words in lower case after each time the first sentence writes it,
//! skipping the capitalised words and the "and" or "of" between them ("Toyo Trust and
//! Banking Co Ltd *is issuing*").
//!
//! Two texts *name different subjects* when each has a subject that the other never writes
//! (not even spelt a letter apart: a correction of a name's spelling, "Fieldcor" to
//! "Fidelcor", keeps its first and last letters and its length within one), both subjects
//! rare in the corpus (in fewer than one in a hundred of the texts read: an outlet naming
//! itself in a footer is in many), at the same place. A copy names what its source names:
//! a rewrite changes common words, a truncation drops sentences, and a sentence added or
//! dropped on each side does not put a new name where the other had its own in the first
//! sentence.
//!
//! A heading in capitals on a line of its own names its subject first, where a template
//! filled in for another company names that one ("SINGAPORE PETROLEUM CO REVISES PETROL
//! PUMP PRICES", "MOBIL RAISES SINGAPORE PETROL PUMP PRICES"). A heading's *opening name*
//! is its first words, up to [`MAX_OPENING`] (past a desk's mark or a mark of urgency,
//! leaving out a ticker in angle brackets), each written with a capital at least twice,
//! once at least next to another such word past the heading ("Mobil Oil Singapore Pte"),
//! and never in lower case ("SINGAPORE PETROLEUM CO", not "REVISES"), with "and" or "of"
//! between them. A word capitalised only where sentences start is no name ("NEGOTIATIONS
//! RESUME" over "Negotiations resumed ...", which a rewrite turns into "TALKS RESUME" and
//! "Talks resumed ..."). Two texts *open with other names*
//! when their opening names share no word (not even spelt near it) and each holds a word
//! the other never writes with a capital. Such a word needs no rarity: the text writing it
//! with a capital and never in lower case shows it is a name, and a copy keeps the names
//! of its source, in its heading or its text. A rewrite that changes one word of a name
//! ("TEXAS COMMERCE" to "TEXAS TRADE") keeps the others in common; a heading rewritten
//! to open with a name its text gives further on ("BRAZIL CANCELS ...", "PETROBRAS CANCELS
//! ...") opens with a word the other writes.
//!
//! The entries travel with the names' (texts of at most the names' bound), and only for
//! texts with a subject: a text without one never names a different subject. Such a text
//! also counts as unread, so a subject is common or rare among the texts that have one.
//! The opening name's entries are kept for those texts too, as it is read against the
//! spellings of their capitalised words.

use super::figure::{Figure, WIDE, entries_of, entry, is_entry};
use super::template_figures::TemplateFigures;
use super::words::{SLUGS, URGENT_MARKS, first_line, for_each_word, letters_only, lower_hash};
use crate::shingle::{combine_token_hashes, hash_token};

/// The share of a corpus's documents from which a subject is common, not what one text is
/// about: an outlet naming itself, a wire's own name.
const COMMON_SHARE: f64 = 0.01;

/// How many words in lower case after a subject make its place.
const PLACE_WORDS: usize = 2;

/// The most subjects a text keeps entries for (their place is 8 bits).
const MAX_SUBJECTS: usize = 255;

/// The context of a subject's word (counted for document frequencies).
const SUBJECT: u64 = 0x7362_6a77_6f72_6473;

/// The context of the entry every text whose subjects are read holds (counted for document
/// frequencies: subjects are common in a share of the texts read).
const READ: u64 = 0x7362_7265_6164_7478;

/// Whether [`TemplateFigures`] counts a subject entry: the subjects and the texts read.
pub(super) fn is_counted(f: Figure) -> bool {
    SUBJECTS.counts(f)
}

/// The context of the spellings a subject is near to (see [`Spelt::near_keys`]).
const SUBJECT_NEAR: u64 = 0x7362_6e65_6172_6279;

/// The context of a subject's places.
const SUBJECT_AT: u64 = 0x7362_7069_6c61_6365;

/// The context of the spellings of every capitalised word of a text.
const CAPITALS: u64 = 0x6361_7069_7461_6c73;

/// The context of the spelling keys each word of a heading's opening name is near to,
/// numbered from 1 by word.
const OPENING_NEAR: u64 = 0x6f70_6e6e_6561_725f;

/// The most words of a heading read for its opening name ("NEW HAMPSHIRE YANKEE TO ...").
const MAX_OPENING: usize = 6;

/// Seeds the hash of a spelling's shape.
const SHAPE: u64 = 0x7368_6170_655f_6b79;

/// Words in lower case that join the capitalised words of one name ("Toyo Trust and
/// Banking", "Bank of Tokyo", "Banco de Bilbao").
fn connector(word: &str) -> bool {
    matches!(
        word,
        "and" | "of" | "for" | "de" | "del" | "la" | "le" | "du" | "der" | "von" | "van"
    )
}

/// A word without a possessive's "'s".
fn without_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word)
}

/// The hash of first and last letters and a length.
fn shape_of(first: char, last: char, len: usize) -> u64 {
    combine_token_hashes(&[SHAPE, u64::from(first), u64::from(last), len as u64])
}

/// A (lower-cased) word's spelling: its hash when shorter than five letters, else its first
/// and last letters and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Spelt {
    Short(u64),
    Long(char, char, usize),
}

impl Spelt {
    #[inline]
    fn of(word: &str, hash: u64) -> Spelt {
        if word.is_ascii() {
            let b = word.as_bytes();
            return match b.len() {
                len if len < 5 => Spelt::Short(hash),
                len => Spelt::Long(char::from(b[0]), char::from(b[len - 1]), len),
            };
        }
        match word.chars().count() {
            len if len < 5 => Spelt::Short(hash),
            len => Spelt::Long(
                word.chars().next().unwrap_or(' '),
                word.chars().next_back().unwrap_or(' '),
                len,
            ),
        }
    }

    /// Its spelling key: the word itself when shorter than five letters, else its first
    /// and last letters and its length, which a spelling corrected by a letter or two
    /// mostly keeps.
    fn key(self) -> u64 {
        match self {
            Spelt::Short(hash) => hash,
            Spelt::Long(first, last, len) => shape_of(first, last, len),
        }
    }

    /// The spelling keys it is near to: its own, and for a word of five letters or more,
    /// the same first and last letters one letter shorter or longer.
    fn near_keys(self) -> [u64; 3] {
        match self {
            Spelt::Short(hash) => [hash; 3],
            Spelt::Long(first, last, len) => [
                shape_of(first, last, len),
                shape_of(first, last, len - 1),
                shape_of(first, last, len + 1),
            ],
        }
    }
}

/// Reads the subjects of one text, word by word, as
/// [`NameCollector`](super::names::NameCollector) scans it.
#[derive(Debug, Default)]
pub(super) struct SubjectReader {
    /// How deep inside parentheses the scan is.
    depth: u32,
    /// How many sentences have ended.
    sentences: u32,
    /// Each capitalised word that may be a subject, as written each time: (hash, spelling,
    /// whether it starts a sentence, length in bytes, whether it stands next to another
    /// such word past the first paragraph, "Mobil Oil", a connector between).
    written: Vec<(u64, Spelt, bool, usize, bool)>,
    /// The last of `written`, while only connectors have followed it.
    prev: Option<usize>,
    /// Whether the first paragraph (a heading) has ended.
    body: bool,
    /// Where the words in lower case (ASCII) stand: (byte, length); hashed only for a
    /// text that may have a subject, and only those as long as one.
    spans: Vec<(usize, usize)>,
    /// The hashes of words written in lower case (those of other scripts as read, the
    /// others' from their spans when needed).
    lower: Vec<u64>,
    /// The spellings of every capitalised word (their keys are hashed only for a text with
    /// a subject).
    capitals: Vec<Spelt>,
    /// Subjects of the first sentence waiting for their place: (hash, words so far, how
    /// many).
    pending: Vec<(u64, [u64; PLACE_WORDS], usize)>,
    /// A connector held until the next word shows whether it joins a name.
    held: Option<u64>,
    /// (subject, place) pairs.
    places: Vec<(u64, u64)>,
}

impl SubjectReader {
    /// Starts a new text.
    pub(super) fn clear(&mut self) {
        self.depth = 0;
        self.sentences = 0;
        self.written.clear();
        self.prev = None;
        self.body = false;
        self.lower.clear();
        self.spans.clear();
        self.capitals.clear();
        self.pending.clear();
        self.held = None;
        self.places.clear();
    }

    /// An opening or closing parenthesis.
    pub(super) fn parenthesis(&mut self, open: bool) {
        if open {
            self.depth += 1;
        } else {
            self.depth = self.depth.saturating_sub(1);
        }
    }

    /// A sentence's end (`full_stop`) or a paragraph's: places do not run past either.
    pub(super) fn stop(&mut self, full_stop: bool) {
        self.pending.clear();
        self.held = None;
        self.prev = None;
        self.body |= !full_stop;
        self.sentences += u32::from(full_stop);
    }

    /// A word in lower case ASCII letters and digits (`word`, at byte `at` of the text).
    #[inline]
    pub(super) fn lower_span(&mut self, word: &str, at: usize) {
        self.spans.push((at, word.len()));
        if self.prev.is_some() && !connector(word) {
            self.prev = None;
        }
        if !self.pending.is_empty() {
            let word = without_possessive(word);
            self.place_lower(word, hash_token(word));
        }
    }

    /// A word written in lower case (`lower` as written, `hash` its hash).
    #[inline]
    pub(super) fn lower_word(&mut self, lower: &str, hash: u64) {
        let word = without_possessive(lower);
        let hash = if word.len() == lower.len() {
            hash
        } else {
            hash_token(word)
        };
        self.lower.push(hash);
        if self.prev.is_some() && !connector(word) {
            self.prev = None;
        }
        if !self.pending.is_empty() {
            self.place_lower(word, hash);
        }
    }

    /// Adds a word in lower case (`word`, `hash` its hash) to the places waiting, a
    /// connector once the next word shows it joins no name.
    fn place_lower(&mut self, word: &str, hash: u64) {
        if let Some(held) = self.held.take() {
            self.place_word(held);
        }
        if connector(word) {
            self.held = Some(hash);
        } else {
            self.place_word(hash);
        }
    }

    /// A capitalised word, lower-cased (`lower`, `hash` its hash); `subject` when it may be
    /// a subject (not a month, a weekday or a function word), `starts` when it starts a
    /// sentence.
    #[inline]
    pub(super) fn capitalised(&mut self, lower: &str, hash: u64, subject: bool, starts: bool) {
        let word = without_possessive(lower);
        let hash = if word.len() == lower.len() {
            hash
        } else {
            hash_token(word)
        };
        self.held = None;
        let spelt = Spelt::of(word, hash);
        self.capitals.push(spelt);
        if !subject || self.depth > 0 {
            self.prev = None;
            return;
        }
        let joined = self.body && self.prev.is_some();
        if let Some(j) = self.prev.filter(|_| joined) {
            self.written[j].4 = true;
        }
        self.prev = Some(self.written.len());
        self.written.push((hash, spelt, starts, word.len(), joined));
        if self.sentences == 0 {
            self.pending.push((hash, [0; PLACE_WORDS], 0));
        }
    }

    /// Adds a word in lower case to the places waiting for it.
    fn place_word(&mut self, word: u64) {
        let places = &mut self.places;
        self.pending.retain_mut(|(subject, words, len)| {
            words[*len] = word;
            *len += 1;
            if *len < PLACE_WORDS {
                return true;
            }
            places.push((*subject, combine_token_hashes(words)));
            false
        });
    }

    /// Appends to `out` the text's subject entries when it has a subject: that it was read,
    /// the words that may be subjects, the subjects' spellings and places, and the
    /// spellings of its capitalised words.
    pub(super) fn finish(&mut self, text: &str, out: &mut Vec<Figure>) {
        if self.places.is_empty() {
            return;
        }
        // A subject: written capitalised twice (once at least not starting a sentence),
        // placed, and never in lower case. Most texts have none: find out before sorting.
        let may_be = |word: u64| {
            let times = || self.written.iter().filter(|w| w.0 == word);
            times().nth(1).is_some() && times().any(|w| !w.2)
        };
        let mut lengths: Vec<usize> = self
            .places
            .iter()
            .filter(|p| may_be(p.0))
            .filter_map(|p| self.written.iter().find(|w| w.0 == p.0).map(|w| w.3))
            .collect();
        if lengths.is_empty() {
            // No subject: the text counts as unread (its words are not counted either).
            return;
        }
        let opening = self.opening_capitals(text);
        lengths.extend(opening.iter().flatten().map(|w| w.1));
        // The words in lower case that may be one of them (with or without "'s").
        lengths.sort_unstable();
        for &(at, len) in &self.spans {
            let fits = |l: usize| lengths.binary_search(&l).is_ok();
            if fits(len) || (len > 2 && fits(len - 2)) {
                self.lower
                    .push(hash_token(without_possessive(&text[at..at + len])));
            }
        }
        self.written.sort_unstable_by_key(|w| w.0);
        self.places.sort_unstable();
        self.places.dedup();
        self.lower.sort_unstable();
        let runs = || self.written.chunk_by(|x, y| x.0 == y.0);
        let subject = |run: &[(u64, Spelt, bool, usize, bool)]| {
            let word = run[0].0;
            let i = self.places.partition_point(|p| p.0 < word);
            run.len() >= 2
                && run.iter().any(|w| !w.2)
                && self.places.get(i).is_some_and(|p| p.0 == word)
                && self.lower.binary_search(&word).is_err()
        };
        if !runs().any(subject) {
            return;
        }
        out.push(entry(READ, 0, READ));
        let mut subjects = 0;
        for run in runs() {
            let (word, spelt, ..) = run[0];
            if self.lower.binary_search(&word).is_ok() {
                continue;
            }
            // Every other capitalised word that may be a subject where it stands (those
            // written in lower case too left out only when as long as a subject), numbered
            // 0, for its document frequency; a subject numbered from 1, with its spellings
            // and places.
            if subjects == MAX_SUBJECTS || !subject(run) {
                out.push(entry(SUBJECT, 0, word));
                continue;
            }
            subjects += 1;
            out.push(entry(SUBJECT, subjects, word));
            for key in spelt.near_keys() {
                out.push(entry(SUBJECT_NEAR, subjects, key));
            }
            let i = self.places.partition_point(|p| p.0 < word);
            for &(_, place) in self.places[i..].iter().take_while(|p| p.0 == word) {
                out.push(entry(SUBJECT_AT, subjects, place));
            }
        }
        self.push_opening(&opening, out);
        let mut keys: Vec<u64> = self.capitals.iter().map(|s| s.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        out.extend(keys.into_iter().map(|k| entry(CAPITALS, 0, k)));
    }
}

impl SubjectReader {
    /// The words of the heading's opening name as far as the capitals show (`written`
    /// before it is sorted): of a heading in capitals on a line of its own, followed by a
    /// text, its first words (at most [`MAX_OPENING`], past a desk's mark, a mark of
    /// urgency and a ticker), up to the first that is not letters or not written with a
    /// capital twice, once at least next to another past the heading ("Mobil Oil Singapore
    /// Pte"), the connectors between them left out; each as its hash, its length and its
    /// spelling. Whether it is ever in lower case is read after.
    fn opening_capitals(&self, text: &str) -> [Option<(u64, usize, Spelt)>; MAX_OPENING] {
        let mut name = [None; MAX_OPENING];
        let line = first_line(text);
        let lower_case = if line.is_ascii() {
            line.bytes().any(|b| b.is_ascii_lowercase())
        } else {
            line.chars().any(char::is_lowercase)
        };
        if lower_case || line.len() == text.trim().len() {
            return name;
        }
        let (mut len, mut read) = (0, 0);
        let mut lower = String::new();
        for_each_word(line, |word, bracketed| {
            let mark = |marks: &[&str]| marks.iter().any(|s| s.eq_ignore_ascii_case(word));
            if bracketed || mark(SLUGS) || (read == 0 && mark(URGENT_MARKS)) {
                return true;
            }
            read += 1;
            let word = without_possessive(word);
            if !letters_only(word) {
                return false;
            }
            let hash = lower_hash(word, &mut lower);
            if connector(&lower) {
                return len > 0 && read < MAX_OPENING;
            }
            let times = || self.written.iter().filter(|w| w.0 == hash);
            let (Some(&(_, spelt, ..)), true, true) = (
                times().next(),
                times().nth(1).is_some(),
                times().any(|w| w.4),
            ) else {
                return false;
            };
            name[len] = Some((hash, lower.len(), spelt));
            len += 1;
            read < MAX_OPENING
        });
        name
    }

    /// Appends the entries of the heading's opening name: of the words its capitals show
    /// (`opening`), those up to the first also written in lower case (`lower` sorted).
    fn push_opening(&self, opening: &[Option<(u64, usize, Spelt)>], out: &mut Vec<Figure>) {
        let mut number = 0;
        for &(word, _, spelt) in opening.iter().map_while(|w| w.as_ref()) {
            if self.lower.binary_search(&word).is_ok() {
                break;
            }
            number += 1;
            for key in spelt.near_keys() {
                out.push(entry(OPENING_NEAR, number, key));
            }
        }
    }
}

/// Whether two texts (their entries, sorted) open their headings with other names: names
/// that share no word, each holding a word the other text never writes with a capital
/// (see the module's notes).
fn openings_apart(a: &[Figure], b: &[Figure]) -> bool {
    let read = |s: &[Figure]| entries_of(s, OPENING_NEAR).next().is_some();
    if !read(a) || !read(b) {
        return false;
    }
    let near = |s: &[Figure]| -> Vec<(u64, u64)> {
        let mut v: Vec<(u64, u64)> = entries_of(s, OPENING_NEAR)
            .map(|f| (value(f), f & WIDE))
            .collect();
        v.sort_unstable();
        v
    };
    let (na, nb) = (near(a), near(b));
    // A word of one near a word of the other: one name, spelt alike.
    let shared = na.iter().any(|x| {
        let i = nb.partition_point(|y| y.0 < x.0);
        nb.get(i).is_some_and(|y| y.0 == x.0)
    });
    if shared {
        return false;
    }
    // Whether a word of `s`'s opening name (its near keys) is nowhere near a capitalised
    // word of `other`.
    let unwritten = |s: &[(u64, u64)], other: &[Figure]| -> bool {
        let spelt: Vec<u64> = entries_of(other, CAPITALS).map(value).collect();
        let mut written: Vec<u64> = s
            .iter()
            .filter(|x| spelt.binary_search(&x.0).is_ok())
            .map(|x| x.1)
            .collect();
        written.sort_unstable();
        s.iter().any(|x| written.binary_search(&x.1).is_err())
    };
    unwritten(&na, b) && unwritten(&nb, a)
}

/// An entry's value bits.
pub(super) fn value(f: Figure) -> u64 {
    f & 0xFFFF_FFFF & !3
}

/// The contexts of the entries of a rule that sets two texts apart when each names, at the
/// same place, a rare word the other never writes: the subjects here, the words before a
/// flash's heading (`cluster/flashes.rs`).
pub(super) struct Placed {
    /// The words that may be set apart, numbered from 1 in the [`WIDE`] bits (numbered 0,
    /// only counted); counted for document frequencies.
    pub word: u64,
    /// The spelling keys each word is near to, numbered as the word.
    pub near: u64,
    /// The places of each word, numbered as the word.
    pub at: u64,
    /// The spelling keys of the words a text writes.
    pub spelt: u64,
    /// The entry every text read holds; counted for document frequencies.
    pub read: u64,
}

impl Placed {
    /// Whether [`TemplateFigures`] counts an entry of the rule: its words and the texts
    /// read.
    pub(super) fn counts(&self, f: Figure) -> bool {
        is_entry(f, self.word) || is_entry(f, self.read)
    }
}

/// The subjects' contexts.
const SUBJECTS: Placed = Placed {
    word: SUBJECT,
    near: SUBJECT_NEAR,
    at: SUBJECT_AT,
    spelt: CAPITALS,
    read: READ,
};

/// Whether two texts (their figures and entries, sorted) each name a word of `rule` that
/// the other never writes (no spelling key of it among the other's), both rare in the
/// corpus (in fewer than [`COMMON_SHARE`] of the texts read, by `templates`' document
/// frequencies), at a place both name.
pub(super) fn placed_apart(
    a: &[Figure],
    b: &[Figure],
    templates: &TemplateFigures,
    rule: &Placed,
) -> bool {
    let placed = |s: &[Figure]| entries_of(s, rule.word).any(|f| f & WIDE != 0);
    if !placed(a) || !placed(b) {
        return false;
    }
    // How many texts were read (0 when fewer than the template cut: every word in at
    // least the cut is then common).
    let read = templates.df(entry(rule.read, 0, rule.read));
    // The places of the rare words of `s` that `other` never writes.
    let apart = |s: &[Figure], other: &[Figure]| -> Vec<u64> {
        let spelt: Vec<u64> = entries_of(other, rule.spelt).map(value).collect();
        let mut places = Vec::new();
        for word in entries_of(s, rule.word).filter(|&f| f & WIDE != 0) {
            let number = word & WIDE;
            let at = |context| entries_of(s, context).filter(move |&f| f & WIDE == number);
            let written = at(rule.near).any(|k| spelt.binary_search(&value(k)).is_ok());
            let df = templates.df(word);
            if written || (df > 0 && f64::from(df) >= COMMON_SHARE * f64::from(read)) {
                continue;
            }
            places.extend(at(rule.at).map(value));
        }
        places.sort_unstable();
        places
    };
    let pa = apart(a, b);
    !pa.is_empty() && apart(b, a).iter().any(|p| pa.binary_search(p).is_ok())
}

/// Whether two texts (their figures and entries, sorted) name different subjects at the
/// same place of their first sentences (see the module's notes), with the subjects' document
/// frequencies in `templates`.
pub(crate) fn subjects_differ(a: &[Figure], b: &[Figure], templates: &TemplateFigures) -> bool {
    placed_apart(a, b, templates, &SUBJECTS) || openings_apart(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shingle::ShingleSets;

    fn entries(text: &str) -> Vec<Figure> {
        crate::cluster::names::scanned(text)
    }

    fn differ(a: &str, b: &str) -> bool {
        subjects_differ(&entries(a), &entries(b), &TemplateFigures::default())
    }

    /// A notice of one template, for an issuer and its lead manager.
    fn notice(issuer: &str, manager: &str, terms: &str) -> String {
        format!(
            "{} ISSUES CONVERTIBLE BOND\n\n{issuer} is issuing a 100 mln dlr convertible \
             bond due 2002 paying two pct, lead manager {manager} said. {terms} The \
             selling concession is 1-1/2 pct. The payment date is April 30.",
            issuer.to_uppercase()
        )
    }

    #[test]
    fn two_issuers_of_one_template_name_different_subjects() {
        let a = notice(
            "Kestrel Harbour Bank Ltd",
            "Kestrel International",
            "The issue is callable from 1990.",
        );
        let b = notice(
            "Orvale Trust and Banking Co Ltd",
            "Orvale Trust International",
            "It is not callable until 1991.",
        );
        assert!(differ(&a, &b));
        assert!(differ(&b, &a));
        assert!(!differ(&a, &a));
    }

    #[test]
    fn copies_name_the_same_subjects() {
        let a = notice(
            "Kestrel Harbour Bank Ltd",
            "Kestrel International",
            "The issue is callable from 1990.",
        );
        // Reworded, cut short, a sentence added: the subject stays.
        let reworded = a
            .replace("is issuing", "will issue")
            .replace("said", "says");
        let cut = &a[..a.find(" The selling").unwrap()];
        let added = format!("{a} Dealers at Marlow Securities said demand was firm, Marlow added.");
        for copy in [reworded.as_str(), cut, added.as_str()] {
            assert!(!differ(&a, copy), "{copy}");
        }
        // A name's spelling corrected keeps its first and last letters and its length.
        let respelt = |name: &str| {
            let (upper, lower) = (name.to_uppercase(), name.to_lowercase());
            a.replace("Kestrel", name)
                .replace("KESTREL", &upper)
                .replace("kestrel", &lower)
        };
        assert!(!differ(&a, &respelt("Kertsel")));
        // Spelt further apart, it is another subject.
        assert!(differ(&a, &respelt("Keswick")));
    }

    #[test]
    fn a_subject_stands_in_the_first_sentence_where_the_other_names_its_own() {
        let lede = "The fund declared a payout, its board said.";
        let a = format!("{lede} Shares of Kestrel Corp rose, and Kestrel Corp said more.");
        let b = format!("{lede} Shares of Orvale Corp rose, and Orvale Corp said more.");
        // Names that differ past the first sentence are not placed.
        assert!(!differ(&a, &b));
        // Nor are names in parentheses, an outlet's own in a dateline.
        let c = "LIMA (Metro Wire) - Kestrel Corp said it would buy Orvale (Metro Wire) Corp.";
        let d = "LIMA (Coastal Post) - Kestrel Corp said it would buy Orvale (Coastal Post) Corp.";
        assert!(!differ(c, d));
        assert!(!entries(c).iter().any(|&f| {
            is_entry(f, SUBJECT) && value(f) == value(entry(SUBJECT, 0, hash_token("metro")))
        }));
    }

    #[test]
    fn words_also_written_in_lower_case_are_no_subjects() {
        // "Companies Act" and "Firms Act": common words, capitalised in a law's name.
        let a = "Under the Companies Act the court may wind up the council, and the \
                 Companies Act allows it. Many companies agree.";
        let b = "Under the Firms Act the court may wind up the council, and the \
                 Firms Act allows it. Many firms agree.";
        assert!(!differ(a, b));
        assert!(differ(
            &a.replace("Many companies agree.", ""),
            &b.replace("Many firms agree.", "")
        ));
    }

    #[test]
    fn a_subject_in_many_texts_is_common() {
        let text = |outlet: &str, story: &str| {
            format!("Staff of the {outlet} Herald wrote, as {outlet} Herald staff do. {story}.")
        };
        let mut sets = ShingleSets::new();
        for story in ["A fire", "A flood", "A strike", "A storm"] {
            for outlet in ["Harborview", "Riverside"] {
                sets.push(&entries(&text(outlet, story)));
            }
        }
        let (a, b) = (
            entries(&text("Harborview", "A fire")),
            entries(&text("Riverside", "A fire")),
        );
        assert!(subjects_differ(&a, &b, &TemplateFigures::default()));
        // In 4 of the 8 texts read, with a cut of 3: common.
        let common = crate::cluster::template_figures(&sets, 3, 100);
        assert!(!subjects_differ(&a, &b, &common));
    }

    /// A price notice of one company, its heading first.
    fn prices(heading: &str, company: &str, verb: &str, tail: &str) -> String {
        format!(
            "{heading}\n\n{company} will {verb} pump prices of petrol from June 2, an \
             official said.\n    Grade 97 octane will be 96.8 cents a litre against 94 cents \
             previously. {tail}"
        )
    }

    #[test]
    fn headings_opening_with_other_names_differ() {
        let a = prices(
            "KESTREL HARBOUR CO REVISES PETROL PUMP PRICES",
            "Kestrel Harbour Co Ltd",
            "revise",
            "The revision follows the ministry's move.",
        );
        let b = prices(
            "ORVALE OIL RAISES KESTREL PETROL PUMP PRICES",
            "Orvale Oil Kestrel Ltd",
            "raise",
            "KHC earlier announced the same prices.",
        );
        // Their subjects stand at other places ("will revise", "will raise"): only the
        // headings' opening names tell them apart.
        assert!(!placed_apart(
            &entries(&a),
            &entries(&b),
            &TemplateFigures::default(),
            &SUBJECTS
        ));
        assert!(differ(&a, &b));
        assert!(differ(&b, &a));
        assert!(!differ(&a, &a));
        // A copy that changes one word of the name keeps the other in common (the subjects
        // at one place are another rule's).
        let renamed = a.replace("HARBOUR", "HAVEN").replace("Harbour", "Haven");
        assert!(!openings_apart(&entries(&a), &entries(&renamed)));
        // A heading rewritten to open with a name the other text writes further on.
        let retitled = b.replacen("ORVALE OIL RAISES KESTREL", "KHC SEES ORVALE", 1);
        let told = format!("{a} Orvale Oil followed.");
        assert!(!differ(&told, &b));
        assert!(!differ(&retitled, &b));
        // A heading that opens with a word its text writes capitalised only where a
        // sentence starts is no name ("NEGOTIATIONS RESUME", "TALKS RESUME").
        let strike = |word: &str| {
            format!(
                "{} RESUME IN KESTREL MILLS STRIKE\n\n{word} resumed in the strike at \
                 Kestrel Mills, Kestrel Mills said on Monday. The meeting was the first since May.",
                word.to_uppercase()
            )
        };
        let (x, y) = (strike("Negotiations"), strike("Talks"));
        assert!(entries_of(&entries(&x), CAPITALS).next().is_some());
        assert!(!differ(&x, &y));
        // A name read in the heading and where a sentence starts, next to another past the
        // heading: "Orvale" in "Orvale Oil Kestrel Ltd".
        assert!(entries_of(&entries(&b), OPENING_NEAR).any(|f| f & WIDE == 1 << 32));
        assert!(entries_of(&entries(&x), OPENING_NEAR).next().is_none());
    }

    #[test]
    fn the_entries_keep_apart_from_the_names_and_from_each_other() {
        let tops = [
            SUBJECT,
            SUBJECT_NEAR,
            SUBJECT_AT,
            CAPITALS,
            READ,
            OPENING_NEAR,
        ]
        .map(|c| c >> 40);
        for (i, x) in tops.iter().enumerate() {
            assert!(tops[i + 1..].iter().all(|y| y != x));
        }
        let e = entries(&notice(
            "Kestrel Harbour Bank Ltd",
            "Kestrel International",
            "",
        ));
        assert!(e.iter().any(|&f| is_entry(f, SUBJECT) && f & WIDE != 0));
        assert!(e.iter().any(|&f| is_entry(f, READ)));
        // Only the subjects and the texts read are counted for document frequencies.
        assert!(
            e.iter()
                .filter(|&&f| is_counted(f))
                .all(|&f| { is_entry(f, SUBJECT) || is_entry(f, READ) })
        );
    }
}
