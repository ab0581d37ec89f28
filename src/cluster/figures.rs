//! Figures: the numbers of a text, each with the words around it, so that two filled-in
//! copies of a fixed report ("arrange 1.5 billion dlrs ... trading at 6-3/16 pct" one day,
//! "... 6-1/4 pct" the next) are told apart although their shingles nearly all agree.
//!
//! A figure is a run of number tokens (digits, English number words, "nil"), read as values
//! so that "four hundred" is "400" and "1.5 billion" is "1,500 million"; "5,000 to 7,000"
//! is one figure. Its context is the two words before it and the first letter of the word
//! after it (a typo there, "Pay April 30 Reord April 15", must not hide that the dates of a
//! notice changed in place), leaving out qualifiers ("down to around 700", "the market
//! today down to 400"). Unit words are read alike in contexts and figures (`mln` and
//! `million`, `pct` and `percent`, `dlrs` and `dollars`), as outlets rewrite them. A month
//! name is part of its figure, a *date* ("week ended March 12", "19 Mar 1987"). Left out:
//! dates among a text's first 12 tokens (its dateline, which each outlet running a story
//! writes its own way; further in, a dateline is found by its form, `cluster/dateline.rs`),
//! a year followed by more numbers (the time stamp 2024-05-09 1:49),
//! names ("M-1", "G-7": a number after a single letter other than "a" and "i"). A run of
//! more than five numbers is a table (or a list; a range's two ends count apart, so that
//! "4-3/4 to 9-1/4 cents" is one figure): each of its numbers is a *cell*, whose
//! context is the words before the run and its place in it. A context that holds more than
//! one figure of the text (with the same third word before them) is a *column* of a table
//! ("124-150 days 5.93 pct 5.92 pct" on each row): each of its figures is told apart by the
//! figure before it in the text, its row's.
//!
//! Two documents *conflict* ([`FigureCount::conflict`]) when some figure of the one with
//! fewer is nowhere in the other, and, among the contexts found in both, at least as many
//! hold different figures as hold a figure in common (a figure in common counts once, in
//! however many contexts; here a context whose third word before differs counts as
//! different too when each side holds only figures, not dates, that the other text has
//! nowhere: "fell 0.1 pct to 164.1" one month and "rose 1.9 pct to 172.9" another), or one
//! in five holds a different figure that is not a date (Magma raising its copper price "by
//! 0.50 cent to 66.00 cents", then lowering it "to 65.50 cents"), or two hold different
//! figures and one of those is a date (the weekly report of another week keeps the season's
//! totals), or two cells of a table differ (the Eurodollar rates at eleven against the
//! opening ones; one cell is a typo, and a table cut short only loses cells). A context
//! counts as holding different figures only when the third word before them agrees too
//! (counted with qualifiers or without: short contexts such as "by about _ dlrs" recur in
//! unrelated sentences) or the figures are close (within about 2%: a price raised a little,
//! "Sun's heating oil price to 50.75 cts" one week and "the contract barge price to 50.50
//! cts" the next, where sentences that only end alike hold unrelated values) and neither
//! side holds a figure of the other, and only when the figures are not each found elsewhere
//! in the other text (moved by a rewrite). A date in common is no evidence of one text (a
//! day's reports all carry it): it counts neither way. A rewrite keeps its figures
//! (synonyms change the words around them, which only leaves a context unmatched), a
//! truncated copy loses some (unmatched again), but the next day's report changes them in
//! place. On 12,277 Reuters stories re-published with realistic edits
//! (`scripts/eval-core.sh`) the rule sets aside no pair that the shingles pass.
//!
//! A figure is stored as one `u64`: the context's 24-bit hash, then 8 bits of the third
//! word before it, above the figure's hash (17 bits), its first value's place on a scale of
//! 1% steps (12 bits; a date's are the key of its day, the year left out) and three flags,
//! so that a document's figures sorted are grouped by context. Each figure that is not a
//! date is kept a second time, in the context of the word before it and the three words
//! after it or those up to the text's end ([`after_entry`]; after a function word, "is
//! for", a third time with the last word before that is none), with whether it is written
//! in digits (and is no year alone), for texts published days apart
//! (`cluster/published.rs`).

use std::borrow::Cow;

use super::dateline::places_around;
use super::direction::{Direction, Way, move_apart};
use super::flashes::flashes_differ;
use super::months::months_differ;
use super::names::{counted, names_differ};
use super::published::{days_apart, published_day, without_entries};
use super::sessions::sessions_differ;
use super::subjects::subjects_differ;
use crate::shingle::{ShingleSets, combine_token_hashes, hash_token};

/// A document's figures: `(context hash << 40) | (third word before << 32) | figure
/// hash`, sorted.
pub type Figure = u64;

/// Collects the figures of one text from its tokens, in order.
#[derive(Debug, Default)]
pub struct FigureCollector {
    /// The hashes of the last three words (not figures), oldest first; 0 for none.
    before: [u64; 3],
    /// The same with the [qualifiers](is_qualifier) that `before` leaves out.
    raw: [u64; 3],
    /// The figure being read.
    run: NumberRun,
    /// Whether the figure being read holds a month name (a date)...
    date: bool,
    /// ...the month's hash, in case no number follows ("may" as a verb)...
    month: u64,
    /// ...and the position of the run's first token in the text.
    start: u32,
    /// How many tokens the text has had so far.
    position: u32,
    /// Whether the figure being read starts with a year...
    year_first: bool,
    /// ...how many number tokens it has...
    run_len: u32,
    /// ...and whether one of them is written in digits...
    digits: bool,
    /// ...and whether it is a range ("4-3/4 to 9-1/4 cents"), whose two ends may each
    /// hold three numbers and still be one figure.
    ranged: bool,
    /// The last word that is none of the [`FUNCTION_WORDS`].
    content: u64,
    /// Whether the last token was a single letter other than "a" and "i".
    after_letter: bool,
    /// The hash of a "to" read after a figure: the figure may be a range.
    range_to: Option<u64>,
    /// The first letter of a [unit of length](is_length_unit) read after the figure.
    unit: Option<u8>,
    /// The value of the last figure read (0 for none)...
    last_value: u64,
    /// ...and, for each figure of `out` that is not a table's cell, the value of the
    /// figure before it in the text (see [`finish`](Self::finish)).
    previous: Vec<(usize, u64)>,
    /// The contexts of those figures, sorted (a buffer kept between texts).
    contexts: Vec<u64>,
    /// The words of rising and falling (`cluster/direction.rs`).
    direction: Direction,
    /// The figure whose words after are being read (see [`after_entry`]).
    after: AfterRun,
    out: Vec<Figure>,
}

/// The words after a figure, read until there are [`AFTER_WORDS`] of them.
#[derive(Debug, Default)]
struct AfterRun {
    /// The figure's bits ([`figure_bits`]); 0 while no figure waits for its words.
    figure: u64,
    /// The word before the figure...
    before: u64,
    /// ...and the last before it that is none of the [`FUNCTION_WORDS`].
    content: u64,
    /// Whether the figure is written in digits and is no year alone.
    digits: bool,
    /// The hashes of the words read so far.
    words: [u64; AFTER_WORDS],
    /// How many of them.
    len: usize,
}

impl AfterRun {
    /// Writes the figure's [`after_entry`], and a second one in the context of the word
    /// before it that is no function word when that is another ("the offer is for 300
    /// dlrs" one week, "the offer is 200 dlrs" the next).
    fn close(&self, out: &mut Vec<Figure>) {
        out.push(after_entry(
            self.figure,
            self.before,
            &self.words,
            self.digits,
        ));
        if self.content != self.before {
            out.push(after_entry(
                self.figure,
                self.content,
                &self.words,
                self.digits,
            ));
        }
    }
}

/// Whether a (normalised) token is a number: digits first, or an English number word.
fn is_number(token: &str) -> bool {
    token.as_bytes().first().is_some_and(u8::is_ascii_digit) || number_word(token).is_some()
}

/// What part of a number a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Digits: "400", "1.5", "14,050".
    Literal,
    /// "zero" to "nineteen".
    Unit,
    /// "twenty" to "ninety".
    Tens,
    /// "hundred".
    Hundred,
    /// "thousand", "million", "billion", "trillion".
    Scale,
}

/// An English number word's part and value.
fn number_word(token: &str) -> Option<(Part, f64)> {
    let unit = |v: f64| Some((Part::Unit, v));
    let tens = |v: f64| Some((Part::Tens, v));
    let scale = |v: f64| Some((Part::Scale, v));
    match token {
        "zero" | "nil" => unit(0.0),
        "one" => unit(1.0),
        "two" => unit(2.0),
        "three" => unit(3.0),
        "four" => unit(4.0),
        "five" => unit(5.0),
        "six" => unit(6.0),
        "seven" => unit(7.0),
        "eight" => unit(8.0),
        "nine" => unit(9.0),
        "ten" => unit(10.0),
        "eleven" => unit(11.0),
        "twelve" => unit(12.0),
        "thirteen" => unit(13.0),
        "fourteen" => unit(14.0),
        "fifteen" => unit(15.0),
        "sixteen" => unit(16.0),
        "seventeen" => unit(17.0),
        "eighteen" => unit(18.0),
        "nineteen" => unit(19.0),
        "twenty" => tens(20.0),
        "thirty" => tens(30.0),
        "forty" => tens(40.0),
        "fifty" => tens(50.0),
        "sixty" => tens(60.0),
        "seventy" => tens(70.0),
        "eighty" => tens(80.0),
        "ninety" => tens(90.0),
        "hundred" => Some((Part::Hundred, 100.0)),
        "thousand" => scale(1e3),
        "million" => scale(1e6),
        "billion" => scale(1e9),
        "trillion" => scale(1e12),
        _ => None,
    }
}

/// The value of a token of digits with thousands separators or a decimal point or comma
/// ("14,050", "5.93", "1,5"); `None` for anything else ("2nd", "1980s").
fn literal(token: &str) -> Option<f64> {
    if !token
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return None;
    }
    let groups: Vec<&str> = token.split(',').collect();
    let plain = if groups.len() == 1 {
        token.to_string()
    } else if token.contains('.') || groups[1..].iter().all(|g| g.len() == 3) {
        token.replace(',', "")
    } else if groups.len() == 2 {
        token.replace(',', ".")
    } else {
        return None;
    };
    plain.parse().ok()
}

/// Reads the number tokens of one figure into values, so that "four hundred" and "400",
/// "1.5 billion" and "1,500 million" are the same figure; "6-3/16" is three values.
#[derive(Debug, Default)]
struct NumberRun {
    /// The values (as bits) and unreadable tokens (as hashes) read so far.
    parts: Vec<u64>,
    /// The first value read (0 for none): what [`value_bucket`] places.
    first: f64,
    total: f64,
    current: f64,
    last: Option<Part>,
}

impl NumberRun {
    fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.last.is_none()
    }

    fn push(&mut self, token: &str, hash: u64) {
        if let Some(v) = literal(token) {
            self.flush();
            self.current = v;
            self.last = Some(Part::Literal);
            return;
        }
        let Some((part, v)) = number_word(token) else {
            self.flush();
            // "3months", "1980s", "2nd": the digits are the figure (a typo in the word
            // glued to them is not a change).
            let digits = token
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
                .count();
            match literal(token[..digits].trim_end_matches([',', '.'])) {
                Some(v) if digits > 0 => {
                    if self.parts.is_empty() {
                        self.first = v;
                    }
                    self.parts.push(if v == 0.0 { 0 } else { v.to_bits() });
                }
                _ => self.parts.push(hash),
            }
            return;
        };
        let joins = match part {
            Part::Unit => matches!(
                self.last,
                None | Some(Part::Tens | Part::Hundred | Part::Scale)
            ),
            Part::Tens => matches!(self.last, None | Some(Part::Hundred | Part::Scale)),
            Part::Hundred => !matches!(self.last, Some(Part::Hundred)),
            Part::Literal | Part::Scale => !matches!(self.last, Some(Part::Scale)),
        };
        if !joins {
            self.flush();
        }
        let or_one = |x: f64| if x == 0.0 { 1.0 } else { x };
        match part {
            Part::Hundred => self.current = or_one(self.current) * v,
            Part::Scale => {
                self.total += or_one(self.current) * v;
                self.current = 0.0;
            }
            _ => self.current += v,
        }
        self.last = Some(part);
    }

    /// Ends the value being read.
    fn flush(&mut self) {
        if self.last.take().is_some() {
            let v = self.total + self.current;
            if self.parts.is_empty() {
                self.first = v;
            }
            self.parts.push(if v == 0.0 { 0 } else { v.to_bits() });
        }
        self.total = 0.0;
        self.current = 0.0;
    }

    /// The key of a date's day (its month and numbers but a year, 1800 to 2100), on 12
    /// bits: "April 20, 1987" and "April 20" have one key, as a rewrite adds or drops the
    /// year. Call after [`flush`](Self::flush).
    fn day_key(&self) -> u64 {
        let year = |&p: &u64| (1800.0..=2100.0).contains(&f64::from_bits(p));
        let parts: Vec<u64> = self.parts.iter().copied().filter(|p| !year(p)).collect();
        day_key_of(&parts)
    }

    /// The figure's hash, how many values it holds and the first of them, and a fresh run.
    fn finish(&mut self) -> (u64, usize, f64) {
        self.flush();
        let h = combine_token_hashes(&self.parts);
        let values = self.parts.len();
        self.parts.clear();
        (h, values, std::mem::take(&mut self.first))
    }
}

/// The bits of a [`Figure`] that hold a hash of the third word before it: two figures in
/// one context that differ count as a change only when this word agrees too, for short
/// contexts ("by about _ dlrs") recur in unrelated sentences.
pub(super) const WIDE: u64 = 0xFF << 32;

/// Marks an entry of [`names`](super::names) or [`direction`](super::direction) among the
/// figures, not a number (the lowest bit marks a date).
pub(super) const NAME: u64 = 2;

/// Whether `f` is an entry of `context` marked [`NAME`] (not an [`after_entry`], which
/// sets the lowest bit too and may share a context's top bits by chance).
pub(super) fn is_entry(f: Figure, context: u64) -> bool {
    f >> 40 == context >> 40 && f & 3 == NAME
}

/// The entries of `context` among figures `s` (sorted): the run of them by their top bits,
/// numbers whose hash falls there too left out.
pub(super) fn entries_of(s: &[Figure], context: u64) -> impl Iterator<Item = Figure> + '_ {
    let top = context >> 40;
    let lo = s.partition_point(|&f| f >> 40 < top);
    let hi = lo + s[lo..].partition_point(|&f| f >> 40 == top);
    s[lo..hi]
        .iter()
        .copied()
        .filter(move |&f| is_entry(f, context))
}

/// Marks a figure with a [qualifier](is_qualifier) among the three words before it: its
/// [`WIDE`] bits hold two halves.
const QUALIFIED: u64 = 4;

/// A figure without its [`WIDE`] bits: what templates fill in, wherever it stands.
fn narrow(f: Figure) -> Figure {
    f & !WIDE & !QUALIFIED
}

/// Whether two figures have the same third word before them: the whole of the [`WIDE`]
/// bits, or, when a qualifier stands among the words before either, one half of them
/// (the words before counted with qualifiers or without).
fn same_third_word(f: Figure, g: Figure) -> bool {
    let byte = |f: Figure| (f & WIDE) >> 32;
    let (x, y) = (byte(f), byte(g));
    match (f & QUALIFIED != 0, g & QUALIFIED != 0) {
        (false, false) => x == y,
        (true, false) => x & 0xF == y & 0xF || x >> 4 == y & 0xF,
        (false, true) => y & 0xF == x & 0xF || y >> 4 == x & 0xF,
        (true, true) => x & 0xF == y & 0xF || x >> 4 == y >> 4,
    }
}

/// The bits of a [`Figure`] that place its first value on a scale of 1% steps
/// ([`value_bucket`]), so that two figures can be found close ([`close`]); in a date,
/// the key of its day without the year ([`NumberRun::day_key`]).
const BUCKET_BITS: u64 = 0xFFF << 3;

/// The place of a value on a scale of 1% steps, from 1 (about 1e-9) to 4094 (about 7e8);
/// 0 for none (zero, a date, a value off the scale).
fn value_bucket(v: f64) -> u64 {
    const MIDDLE: f64 = 2048.0;
    let step = (v.ln() / 1.01f64.ln()).round() + MIDDLE;
    if v > 0.0 && (1.0..4095.0).contains(&step) {
        step as u64
    } else {
        0
    }
}

/// How many 1% steps apart two values count as close: a price moved a little.
const CLOSE_STEPS: u64 = 2;

/// Whether two figures hold close values (their first values 2% apart, 3% at most, on
/// [`value_bucket`]'s scale): the next report's price raised a little ("heating oil price
/// to 50.75 cts" a week before "contract barge price to 50.50 cts"), where sentences that
/// only end alike ("the dollar closed at 1.82 marks", "the yen closed at 1.25 marks") hold
/// unrelated values. A table's cells and dates hold no place (their bits are a hash).
fn close(f: Figure, g: Figure) -> bool {
    let bucket = |f: Figure| {
        if f & WIDE == CELL || f & 1 == 1 {
            0
        } else {
            (f & BUCKET_BITS) >> 3
        }
    };
    let (x, y) = (bucket(f), bucket(g));
    x != 0 && y != 0 && x.abs_diff(y) <= CLOSE_STEPS
}

/// Marks the context of a table's cell ([`FigureCollector::table`]).
const TABLE_CELL: u64 = 0x7461_626c_6563_656c;

/// The [`WIDE`] bits of a table's cell (other figures hold less).
const CELL: u64 = WIDE;

/// The most values one figure holds ("6-3/16 1/16" is five).
const MAX_VALUES: usize = 5;

/// A month name or its abbreviation, spelled in full: a figure next to one is a date.
pub(super) fn month(token: &str) -> Option<&'static str> {
    month_index(token).map(|i| MONTHS[i])
}

/// The place of a month name or its abbreviation in [`MONTHS`] (0 for January).
pub(super) fn month_index(token: &str) -> Option<usize> {
    Some(match token {
        "jan" | "january" => 0,
        "feb" | "february" => 1,
        "mar" | "march" => 2,
        "apr" | "april" => 3,
        "may" => 4,
        "jun" | "june" => 5,
        "jul" | "july" => 6,
        "aug" | "august" => 7,
        "sep" | "sept" | "september" => 8,
        "oct" | "october" => 9,
        "nov" | "november" => 10,
        "dec" | "december" => 11,
        _ => return None,
    })
}

/// The key of a date's day from its parts (the month's hash and the numbers' bits, the
/// year left out), on 12 bits.
fn day_key_of(parts: &[u64]) -> u64 {
    combine_token_hashes(parts) & 0xFFF
}

/// The [`day_key`](NumberRun::day_key) of the date of `day` in the month named `month` (as
/// [`month`] writes it), written month first ("March 3") or not ("3 March"), in the place
/// a date's figure holds it ([`BUCKET_BITS`]).
pub(super) fn day_place(month: &str, day: u32, month_first: bool) -> u64 {
    let (month, day) = (hash_token(month), f64::from(day).to_bits());
    let parts = if month_first {
        [month, day]
    } else {
        [day, month]
    };
    day_key_of(&parts) << 3
}

/// Whether `f` is a date's figure written on the day of [`day_place`] `place`.
pub(super) fn is_date_on(f: Figure, place: u64) -> bool {
    f & 3 == 1 && f & BUCKET_BITS == place
}

/// The months' names as [`month`] writes them, January first.
pub(super) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Dates among a text's first tokens are its dateline ("LONDON, March 3 (Reuters) -"),
/// which outlets running one story change: they are not figures.
pub(super) const DATELINE_TOKENS: u32 = 12;

/// Every word the collector treats apart: number words, months, unit words, "to",
/// qualifiers.
const SPECIAL_WORDS: &[&str] = &[
    "zero",
    "nil",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "trillion",
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "mln",
    "mn",
    "bln",
    "bn",
    "pct",
    "pc",
    "dlrs",
    "dlr",
    "dollar",
    "cts",
    "ct",
    "cent",
    "to",
    "about",
    "around",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "some",
    "today",
    "yesterday",
];

/// Words that qualify a figure without saying what it counts ("down to *around* 700",
/// "the market *today* down to 400"), which rewrites and the next day's report add and
/// drop: they are not among the words before a figure. (Articles would be, but the third
/// word before a figure then reaches back past "is issuing a" to an issuer's name, and
/// filled-in notices of two issuers stop conflicting.)
fn is_qualifier(token: &str) -> bool {
    matches!(
        token,
        "about"
            | "around"
            | "approximately"
            | "roughly"
            | "nearly"
            | "almost"
            | "some"
            | "today"
            | "yesterday"
    )
}

/// Units of length after a number ("Franca 28.0 mm, Catanduva"): part of the figure, not
/// the word after it, for weather reports write the same place "Franca nil, Catanduva"
/// on a dry day. (Not other units: "17.30 mln tonnes, vs 17.50 mln tonnes last month"
/// tells this month's figure from last month's by the unit after it.)
fn is_length_unit(token: &str) -> bool {
    matches!(
        token,
        "mm" | "millimetres" | "millimeters" | "cm" | "centimetres" | "centimeters" | "inches"
    )
}

/// What a word is to the collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    /// A plain word.
    No,
    /// One of [`SPECIAL_WORDS`].
    Yes,
    /// A plain word that says which way something moved (`cluster/direction.rs`).
    Way(Way),
    /// One of [`FUNCTION_WORDS`].
    Function,
}

/// Words that say nothing of what a figure counts ("the offer *is for* 300 dlrs", "the
/// offer *is* 200 dlrs"): a figure after one of these keeps a second [`after_entry`], with
/// the last word before it that is none of these.
const FUNCTION_WORDS: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "for", "of", "the", "a", "an", "at", "and",
];

/// What a token with this [`hash_token`] is: one probe of a small open-addressing table
/// of the hashes of [`SPECIAL_WORDS`] and of the words of rising and falling, instead of
/// comparing strings.
fn special(hash: u64) -> Special {
    const SLOTS: usize = 512;
    static TABLE: std::sync::OnceLock<Vec<(u64, Special)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![(0u64, Special::No); SLOTS];
        let words = SPECIAL_WORDS
            .iter()
            .map(|w| (*w, Special::Yes))
            .chain(
                super::direction::WORDS
                    .iter()
                    .map(|&(w, way)| (w, Special::Way(way))),
            )
            .chain(FUNCTION_WORDS.iter().map(|w| (*w, Special::Function)));
        for (w, kind) in words {
            let h = hash_token(w);
            let mut i = h as usize % SLOTS;
            while t[i].0 != 0 {
                i = (i + 1) % SLOTS;
            }
            t[i] = (h, kind);
        }
        t
    });
    let mut i = hash as usize % SLOTS;
    loop {
        match table[i] {
            (0, _) => return Special::No,
            (h, kind) if h == hash => return kind,
            _ => i = (i + 1) % SLOTS,
        }
    }
}

/// Whether a token with this [`hash_token`] is one of [`SPECIAL_WORDS`].
#[cfg(test)]
fn is_special(hash: u64) -> bool {
    special(hash) == Special::Yes
}

/// A unit word in its canonical spelling (outlets rewrite `mln` as `million`, `pct` as
/// `percent`), any other token as it is.
fn canonical(token: &str) -> &str {
    match token {
        "mln" | "mn" => "million",
        "bln" | "bn" => "billion",
        "pct" | "pc" => "percent",
        "dlrs" | "dlr" | "dollar" => "dollars",
        "cts" | "ct" | "cent" => "cents",
        other => other,
    }
}

impl FigureCollector {
    /// A collector with no figures.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a new text.
    pub fn clear(&mut self) {
        self.before = [0; 3];
        self.raw = [0; 3];
        self.run = NumberRun::default();
        self.date = false;
        self.month = 0;
        self.start = 0;
        self.position = 0;
        self.year_first = false;
        self.run_len = 0;
        self.digits = false;
        self.ranged = false;
        self.range_to = None;
        self.unit = None;
        self.after_letter = false;
        self.content = 0;
        self.last_value = 0;
        self.previous.clear();
        self.direction = Direction::default();
        self.after = AfterRun::default();
        self.out.clear();
    }

    /// Reads the next token of the text (normalised as the shingles' tokens are).
    pub fn push(&mut self, token: &str) {
        self.push_hashed(token, hash_token(token));
    }

    /// [`push`](Self::push) with the token's hash ([`hash_token`]) already known.
    pub fn push_hashed(&mut self, token: &str, hash: u64) {
        self.position += 1;
        let kind = special(hash);
        if let Special::Way(way) = kind {
            self.direction.push(way);
        }
        // Most tokens are plain words between figures: they only move the context on.
        if self.run.is_empty()
            && self.range_to.is_none()
            && !token.as_bytes()[0].is_ascii_digit()
            && kind != Special::Yes
        {
            self.before = [self.before[1], self.before[2], hash];
            self.raw = [self.raw[1], self.raw[2], hash];
            if kind != Special::Function {
                self.content = hash;
            }
            self.after_letter = matches!(token.as_bytes(), [b'b'..=b'h' | b'j'..=b'z']);
            self.word_after(hash);
            return;
        }
        let c = canonical(token);
        let hash = if std::ptr::eq(c, token) {
            hash
        } else {
            hash_token(c)
        };
        if self.run.is_empty() && self.range_to.is_none() && is_qualifier(c) {
            self.raw = [self.raw[1], self.raw[2], hash];
            self.after_letter = false;
            return;
        }
        if !self.run.is_empty()
            && self.range_to.is_none()
            && self.unit.is_none()
            && is_length_unit(c)
        {
            self.unit = Some(c.as_bytes()[0]);
            return;
        }
        // A number after "12.0 mm" is another figure.
        if let Some(unit) = self.unit
            && (is_number(c) || month(c).is_some())
        {
            self.end_run(unit);
        }
        // "M-1", "G-7", "F-16": a letter and a number name a thing.
        let name = self.after_letter && self.run.is_empty();
        if let Some(m) = month(c) {
            // "March 12", "12 March 2013": the month is part of the date, so that the
            // next week's "ended March 19" holds a different figure in the same context.
            self.end_range();
            if self.run.is_empty() {
                self.start_run(false);
            }
            self.date = true;
            self.month = hash_token(m);
            self.run.push(m, self.month);
            return;
        }
        if is_number(c) && !name {
            // "seven to million": a scale word does not start a number, so this is no
            // range (a rewrite swapped a word for "million").
            if matches!(number_word(c), Some((Part::Scale | Part::Hundred, _))) {
                self.end_range();
            }
            if self.run.is_empty() {
                // A year with more numbers (2024-05-09 1:49) is a time stamp.
                self.start_run(
                    c.len() == 4 && matches!(literal(c), Some(y) if (1800.0..=2100.0).contains(&y)),
                );
            } else if self.range_to.take().is_some() {
                // "5,000 to 7,000": a range is one figure.
                self.run.flush();
                self.ranged = true;
            }
            self.run.push(c, hash);
            self.run_len += 1;
            self.digits |= c.as_bytes()[0].is_ascii_digit();
            return;
        }
        if !self.run.is_empty() && self.range_to.is_none() && self.unit.is_none() && c == "to" {
            self.range_to = Some(hash);
            return;
        }
        self.end_range();
        self.word(hash, c.as_bytes()[0]);
        self.after_letter = matches!(token.as_bytes(), [b'b'..=b'h' | b'j'..=b'z']);
    }

    /// Starts reading a figure at the current token.
    fn start_run(&mut self, year_first: bool) {
        self.year_first = year_first;
        self.date = false;
        self.run_len = 0;
        self.digits = false;
        self.ranged = false;
        self.start = self.position;
    }

    /// Reads a "to" held after a figure (if any) as the word it turned out to be: no range
    /// followed.
    fn end_range(&mut self) {
        if let Some(to) = self.range_to.take() {
            self.word(to, b't');
        }
    }

    /// Reads a word (a token that is not a number), its hash and its first letter.
    fn word(&mut self, word: u64, initial: u8) {
        self.end_run(initial);
        self.before = [self.before[1], self.before[2], word];
        self.raw = [self.raw[1], self.raw[2], word];
        if special(word) != Special::Function {
            self.content = word;
        }
        self.word_after(word);
    }

    /// Reads a word after a figure (if one waits for its words): the [`AFTER_WORDS`]th
    /// closes its [`after_entry`].
    fn word_after(&mut self, word: u64) {
        let a = &mut self.after;
        if a.figure == 0 {
            return;
        }
        a.words[a.len] = word;
        a.len += 1;
        if a.len == AFTER_WORDS {
            a.close(&mut self.out);
            *a = AfterRun::default();
        }
    }

    /// Closes the figure being read (if any), now that the first letter of the word after
    /// it is known (0 at the end of the text).
    fn end_run(&mut self, next: u8) {
        self.unit = None;
        if self.run.is_empty() {
            return;
        }
        self.run.flush();
        // A range's two ends count apart: "4-3/4 to 9-1/4" (six numbers) is one figure.
        let most = if self.ranged {
            2 * MAX_VALUES
        } else {
            MAX_VALUES
        };
        let cells = if self.run.parts.len() > most {
            self.run.parts.clone()
        } else {
            Vec::new()
        };
        let day = if self.date { self.run.day_key() } else { 0 };
        let (figure, values, first) = self.run.finish();
        if self.run_len == 0 {
            // A month name with no number ("may" as a verb) is a word.
            self.before = [self.before[1], self.before[2], self.month];
            self.raw = [self.raw[1], self.raw[2], self.month];
            self.word_after(self.month);
            return;
        }
        // A figure among the words after another ends the other's words after.
        self.after = AfterRun::default();
        if (self.date && self.start <= DATELINE_TOKENS) || (self.year_first && self.run_len >= 3) {
            return;
        }
        // More than MAX_VALUES numbers in a row are a table or a list, not one figure:
        // each of its numbers is a cell.
        if values > most {
            if !self.date {
                self.table(&cells);
            }
            return;
        }
        // A date's lowest bit marks it as a date (the month is in the figure).
        let mark = u64::from(self.date);
        let context = combine_token_hashes(&[self.before[1], self.before[2], u64::from(next)]);
        // The top value of the WIDE bits is kept for table cells. After a qualifier, they
        // hold half of each: the third word before, with and without qualifiers.
        let (wide, qualified) = if self.raw == self.before {
            (self.before[0] << 32, 0)
        } else {
            (
                (self.before[0] & 0xF | (self.raw[0] & 0xF) << 4) << 32,
                QUALIFIED,
            )
        };
        let wide = (wide & WIDE).min(CELL - (1 << 32));
        self.previous.push((self.out.len(), self.last_value));
        self.last_value = figure;
        let bucket = if self.date { day } else { value_bucket(first) };
        let f = ((context >> 40) << 40)
            | wide
            | (figure >> 32) & !BUCKET_BITS & !7
            | bucket << 3
            | qualified
            | mark;
        self.out.push(f);
        if !self.date {
            self.after.figure = figure_bits(f);
            self.after.before = self.before[2];
            self.after.content = self.content;
            self.after.digits = self.digits && !(self.year_first && self.run_len == 1);
        }
    }

    /// Reads a table's numbers (a run of more than [`MAX_VALUES`]), each a cell in the
    /// context of the words before the run and its place in it: a cell changed in place
    /// (the 11:00 rates against the opening ones) holds another figure in the same place,
    /// while a truncated table only loses cells.
    fn table(&mut self, cells: &[u64]) {
        for (i, &v) in cells.iter().enumerate() {
            let context =
                combine_token_hashes(&[TABLE_CELL, self.before[1], self.before[2], i as u64]);
            // The place is part of the figure, too: the small numbers of a table are all
            // found elsewhere in another, which is no sign of a cell moved.
            let figure = combine_token_hashes(&[v, i as u64]);
            self.last_value = v;
            self.out
                .push(((context >> 40) << 40) | CELL | (figure >> 32) & !3);
        }
    }

    /// The figures of the text read since the last [`clear`](Self::clear), sorted.
    pub fn finish(&mut self) -> Vec<Figure> {
        self.end_range();
        self.end_run(0);
        // The last figure's words after end with the text.
        if self.after.figure != 0 && self.after.len >= 1 {
            self.after.close(&mut self.out);
        }
        let mut out = std::mem::take(&mut self.out);
        out.extend(self.direction.entry());
        // A context that holds more than one figure of the text is a column of a table
        // ("124-150 days 5.93 pct" on each row): its figures are told apart by the figure
        // before each (the row's), so that a rate changed in place (the next table's
        // "124-150 days 5.90 pct") holds another figure in the same context, while the
        // columns of a copy with a row left out still agree row by row.
        let contexts = &mut self.contexts;
        contexts.clear();
        contexts.extend(self.previous.iter().map(|&(i, _)| out[i] >> 32));
        contexts.sort_unstable();
        for &(i, previous) in &self.previous {
            let context = out[i] >> 32;
            let first = contexts.partition_point(|&c| c < context);
            if contexts.get(first + 1) == Some(&context) {
                let row = combine_token_hashes(&[context >> 8, previous]);
                out[i] = ((row >> 40) << 40) | (out[i] & ((1 << 40) - 1));
            }
        }
        out.sort_unstable();
        self.clear();
        out
    }
}

/// The figures found in at least `cut` of the documents' figure lists (sorted, each
/// sorted), counted on an even sample of at most `sample` documents and scaled, with
/// their document frequencies: the figures a template fills in for everyone.
pub fn template_figures(figures: &ShingleSets<Figure>, cut: u32, sample: usize) -> TemplateFigures {
    let n = figures.len();
    let step = n.div_ceil(sample.max(1)).max(1);
    template_figures_over(figures, (0..n).step_by(step), n, cut)
}

/// [`template_figures`] counted over the documents `sampled` of `figures` and scaled to a
/// corpus of `n`.
pub(crate) fn template_figures_over(
    figures: &ShingleSets<Figure>,
    sampled: impl Iterator<Item = usize> + Clone,
    n: usize,
    cut: u32,
) -> TemplateFigures {
    let scale = n as f64 / sampled.clone().count().max(1) as f64;
    let mut all: Vec<Figure> = Vec::new();
    let mut own: Vec<Figure> = Vec::new();
    for i in sampled {
        // Each document counts a figure once.
        own.clear();
        own.extend(
            figures
                .get(i)
                .iter()
                .filter(|&&f| counted(f))
                .map(|&f| narrow(f)),
        );
        own.sort_unstable();
        own.dedup();
        all.extend_from_slice(&own);
    }
    radsort::sort(&mut all);
    let mut t = TemplateFigures {
        cut,
        ..Default::default()
    };
    for run in all.chunk_by(|x, y| x == y) {
        let df = (run.len() as f64 * scale).round();
        if df >= f64::from(cut) {
            t.figures.push(run[0]);
            t.df.push(df as u32);
        }
    }
    t
}

/// Figures common to many documents of a corpus, with their document frequencies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateFigures {
    cut: u32,
    figures: Vec<Figure>,
    df: Vec<u32>,
}

impl TemplateFigures {
    /// Whether a figure is in at least `cut` documents.
    pub(crate) fn holds(&self, f: Figure) -> bool {
        self.figures.binary_search(&narrow(f)).is_ok()
    }

    /// In how many documents a figure is (scaled from the sample), 0 when in fewer than
    /// `cut`.
    pub(crate) fn df(&self, f: Figure) -> u32 {
        self.figures
            .binary_search(&narrow(f))
            .map_or(0, |i| self.df[i])
    }

    /// How much a figure two documents have in common weighs: 1, or `cut / df` for a
    /// figure in at least `cut` documents (as for template shingles, with no floor).
    pub fn weight(&self, f: Figure) -> f64 {
        match self.figures.binary_search(&narrow(f)) {
            Ok(i) => f64::from(self.cut) / f64::from(self.df[i]),
            Err(_) => 1.0,
        }
    }
}

/// How many words after a figure its [`after_entry`] holds.
const AFTER_WORDS: usize = 3;

/// Marks the context of an [`after_entry`].
const AFTER: u64 = 0x6166_7465_725f_7764;

/// A figure's value bits: its hash and place, without context and flags.
fn figure_bits(f: Figure) -> u64 {
    f & 0xFFFF_FFFF & !7
}

/// The entry of a figure (not a date) in the context of the word before it and the
/// [`AFTER_WORDS`] words after it (fewer at the text's end): "it issued 4.96 billion dlrs
/// worth of certificates" one week and "The Central Bank issued 5.65 billion dlrs worth of
/// certificates" the next change the figure in place, though the two words before it
/// differ. (The words after a figure that ends a sentence begin the next one, which a
/// copy may have moved: the word before keeps such contexts apart.) Marked by both low
/// bits (a [`NAME`] entry that is no date), kept apart from the numbers, and read only for
/// texts published days apart ([`FigureCount::after_different`]). Its context stays below
/// the entries that sort last.
fn after_entry(figure: u64, before: u64, words: &[u64; AFTER_WORDS], digits: bool) -> Figure {
    let mut hashes = [AFTER; AFTER_WORDS + 2];
    hashes[1] = before;
    hashes[2..].copy_from_slice(words);
    let mut context = combine_token_hashes(&hashes) >> 40;
    if context >= 0xFF_FF00 {
        context ^= 0x80_0000;
    }
    context << 40 | u64::from(digits) << 32 | figure | NAME | 1
}

/// Whether an [`after_entry`]'s figure is written in digits and is no year alone.
fn in_digits(f: Figure) -> bool {
    f & (1 << 32) != 0
}

/// Whether an entry is an [`after_entry`].
pub(super) fn is_after(f: Figure) -> bool {
    f & 3 == 3
}

/// The runs of figures (each list sorted) that share a context in `a` and in `b`, in
/// order.
fn same_contexts<'s>(
    a: &'s [Figure],
    b: &'s [Figure],
) -> impl Iterator<Item = (&'s [Figure], &'s [Figure])> {
    let context = |f: &Figure| f >> 40;
    let (mut ga, mut gb) = (
        a.chunk_by(move |x, y| context(x) == context(y)),
        b.chunk_by(move |x, y| context(x) == context(y)),
    );
    let (mut x, mut y) = (ga.next(), gb.next());
    std::iter::from_fn(move || {
        while let (Some(p), Some(q)) = (x, y) {
            match context(&p[0]).cmp(&context(&q[0])) {
                std::cmp::Ordering::Less => x = ga.next(),
                std::cmp::Ordering::Greater => y = gb.next(),
                std::cmp::Ordering::Equal => {
                    (x, y) = (ga.next(), gb.next());
                    return Some((p, q));
                }
            }
        }
        None
    })
}

/// Whether the figure of an [`after_entry`] is among both texts' figures (`values_a` and
/// `values_b`, sorted: a figure that is no date is its [`figure_bits`] there).
fn in_both(f: Figure, values_a: &[u64], values_b: &[u64]) -> bool {
    let x = figure_bits(f);
    values_a.binary_search(&x).is_ok() && values_b.binary_search(&x).is_ok()
}

/// How many contexts of [`after_entry`]s (`a` and `b`, each sorted) hold figures in
/// each and none in common, a figure of either side found nowhere in the other text
/// (`values_a` and `values_b` hold all their figures, sorted, in either order): changed in
/// place, not moved.
fn after_changed(a: &[Figure], b: &[Figure], values_a: &[u64], values_b: &[u64]) -> u32 {
    let in_both = |f: &Figure| in_both(*f, values_a, values_b);
    let changed = same_contexts(a, b).filter(|(p, q)| {
        let common = p
            .iter()
            .any(|&f| q.iter().any(|&g| figure_bits(f) == figure_bits(g)));
        let moved = p.iter().all(in_both) && q.iter().all(in_both);
        !common && !moved
    });
    changed.count() as u32
}

/// Whether the [`after_entry`]s of `a` and `b` each hold a figure [in digits](in_digits)
/// and none of those is among the other's figures (`values_a` and `values_b`, in either
/// order).
fn digits_apart(a: &[Figure], b: &[Figure], values_a: &[u64], values_b: &[u64]) -> bool {
    let has = |s: &[Figure]| s.iter().any(|&f| in_digits(f));
    has(a)
        && has(b)
        && !a
            .iter()
            .chain(b)
            .any(|&f| in_digits(f) && in_both(f, values_a, values_b))
}

/// A document changing one figure (not a date) for every this many it keeps in place
/// reports other figures: one context in five.
const CHANGED_SHARE: f64 = 4.0;

/// How many figures of `fewer` find no figure of `more` (both sorted), each figure of
/// `more` matched once: "six ships loading and six waiting" has a six that "seven loading
/// and six waiting" lacks.
fn unmatched(fewer: &[u64], more: &[u64]) -> u32 {
    let (mut i, mut j, mut missing) = (0, 0, 0);
    while i < fewer.len() {
        if j == more.len() || fewer[i] < more[j] {
            missing += 1;
            i += 1;
        } else if fewer[i] == more[j] {
            i += 1;
            j += 1;
        } else {
            j += 1;
        }
    }
    missing
}

/// How the figures of two documents compare.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FigureCount {
    /// Contexts found in both documents where they share a figure (not a date).
    pub same: u32,
    /// The figures in common, each counted once (in however many contexts: ten places
    /// "nil" in two weather reports are one agreement) and weighted by how rare it is
    /// ([`TemplateFigures::weight`]).
    pub same_weight: f64,
    /// Contexts found in both documents where they share none.
    pub different: u32,
    /// Of those, the contexts where both hold dates (a report of another day)...
    pub different_dates: u32,
    /// ...and the cells of tables (a run of more than five numbers) that differ.
    pub different_cells: u32,
    /// Figures of the document with fewer of them (a figure written twice counts twice)...
    pub fewer: u32,
    /// ...and how many of those the other document does not have (as often).
    pub missing: u32,
    /// Contexts found in both documents where the third word before differs and each
    /// holds only figures (not dates) that the other document has nowhere: the same
    /// sentence with other numbers, reworded before them. Weaker evidence than
    /// [`different`](Self::different): it only counts against figures in common.
    pub replaced: u32,
    /// Names in the same place of texts otherwise word for word the same that differ
    /// (`cluster/names.rs`).
    pub names: u32,
    /// Whether each text names a subject the other never writes, at the same place of
    /// their first sentences (`cluster/subjects.rs`).
    pub subjects: bool,
    /// Whether two flashes (short texts) each open their heading in capitals with a rare
    /// word the other never writes, where the other opens with its own ("SUN RAISES CRUDE
    /// POSTINGS" against "PHILLIPS RAISES CRUDE POSTINGS": `cluster/flashes.rs`).
    pub flashes: bool,
    /// Whether one text says only that something rose and the other only that it fell
    /// (`cluster/direction.rs`).
    pub apart: bool,
    /// Whether the texts came out more than
    /// [`REPORT_GAP_DAYS`](super::published::REPORT_GAP_DAYS) apart
    /// (`cluster/published.rs`)...
    pub days_apart: bool,
    /// ...and, if so, whether each holds a date (past its dateline, and not of the day
    /// before, of or after its own publication: a dateline after a lede) that the other has
    /// nowhere: the notice of another week ("Payable July 14" against "Pay March 13")...
    pub dates_apart: bool,
    /// ...and how many contexts of a figure's word before and three words after hold
    /// different figures in each, not each found elsewhere in the other: a figure changed
    /// in place in a sentence reworded before it ("it issued 4.96 billion dlrs worth of",
    /// "the Central Bank issued 5.65 billion dlrs worth of").
    pub after_different: u32,
    /// ...and whether each holds figures written in digits (not years alone), none of
    /// them anywhere in the other (among those with words after them): the next
    /// day's forecast of a fixed report ("a shortage of around 1.1 billion stg" one day,
    /// "1.75 billion stg" another), where a copy keeps at least one.
    pub digits_apart: bool,
    /// Whether the texts came out days apart and hold other months written alone in the
    /// same words ("for April shipment", "for May shipment": `cluster/months.rs`).
    pub months: bool,
    /// Whether each text names a market's session in capitals, or a clock time or day in
    /// its heading, that the other does not ("MIDDAY" against "CLOSES HIGHER", "1100"
    /// against "1230": `cluster/sessions.rs`).
    pub sessions: bool,
}

impl FigureCount {
    /// Compares the figures of two documents (each sorted, as [`FigureCollector::finish`]
    /// returns them).
    pub fn of(a: &[Figure], b: &[Figure]) -> FigureCount {
        Self::of_with(a, b, &TemplateFigures::default())
    }

    /// [`of`](Self::of), where a figure in common that a template fills in for many
    /// documents ("denominations of 5,000 dlrs") weighs less as evidence of one text.
    pub fn of_with(a: &[Figure], b: &[Figure], templates: &TemplateFigures) -> FigureCount {
        let names = names_differ(a, b, templates);
        let subjects = subjects_differ(a, b, templates);
        let flashes = flashes_differ(a, b, templates);
        let sessions = sessions_differ(a, b);
        let apart = move_apart(a, b);
        let (day_a, day_b) = (published_day(a), published_day(b));
        let days_apart = days_apart(day_a, day_b);
        let months = days_apart && months_differ(a, b);
        // The days around each text's publication, which its dateline or time stamp writes
        // ("NAIROBI, Oct 1 (Reuters) -" after a lede, past the first words).
        let (around_a, around_b) = match (day_a, day_b) {
            (Some(x), Some(y)) if days_apart => (places_around(x), places_around(y)),
            _ => (Vec::new(), Vec::new()),
        };
        let (after_a, after_b) = if days_apart {
            let after = |s: &[Figure]| -> Vec<Figure> {
                s.iter().copied().filter(|&f| is_after(f)).collect()
            };
            (after(a), after(b))
        } else {
            (Vec::new(), Vec::new())
        };
        // The numbers alone (a copy only when the text has names; its direction and its
        // publication day, last, are cut off).
        fn numbers(s: &[Figure]) -> Cow<'_, [Figure]> {
            let s = without_entries(s);
            if s.iter().any(|f| f & NAME == NAME) {
                Cow::Owned(s.iter().copied().filter(|f| f & NAME == 0).collect())
            } else {
                Cow::Borrowed(s)
            }
        }
        let (a, b) = (numbers(a), numbers(b));
        let (a, b) = (&*a, &*b);
        let wide = |f: &Figure| f & WIDE;
        let figure = |f: &Figure| f & 0xFFFF_FFFF & !QUALIFIED;
        let date = |f: &Figure| f & 1 == 1;
        // Each document's figures without their contexts, sorted, repeats kept.
        let values = |s: &[Figure]| {
            let mut v: Vec<u64> = s.iter().map(figure).collect();
            v.sort_unstable();
            v
        };
        let (values_a, values_b) = (values(a), values(b));
        let mut count = FigureCount::default();
        // The figures in common, with their weights.
        let mut shared: Vec<(u64, f64)> = Vec::new();
        for (p, q) in same_contexts(a, b) {
            // A context repeated after other third words ("profit rose to 5
            // points and sales rose to 7 points": a column's rows are keyed apart
            // in `finish`) agrees when any of its figures is in both.
            match p.iter().find(|&&f| {
                q.iter()
                    .any(|&g| figure(&f) == figure(&g) && same_third_word(f, g))
            }) {
                // A date in common is no evidence of one text: a day's
                // reports all carry it.
                Some(f) if date(f) => {}
                Some(&f) => {
                    count.same += 1;
                    shared.push((figure(&f), templates.weight(f)));
                }
                None => {
                    let any_pair = |rel: &dyn Fn(Figure, Figure) -> bool| {
                        p.iter().any(|&f| q.iter().any(|&g| rel(f, g)))
                    };
                    let in_b = |f: &Figure| values_b.binary_search(&figure(f)).is_ok();
                    let in_a = |f: &Figure| values_a.binary_search(&figure(f)).is_ok();
                    // One sentence: the third word before agrees too, or the
                    // figures are close and neither side holds one of the other's
                    // (not different sentences that end alike, "by about _ dlrs")...
                    let one_sentence = any_pair(&same_third_word)
                        || (any_pair(&close) && !any_pair(&|f, g| figure(&f) == figure(&g)));
                    // ...with a figure of each found elsewhere in the other: moved,
                    // the words around it rewritten, not changed.
                    let moved = p.iter().all(in_b) && q.iter().all(in_a);
                    if one_sentence && !moved {
                        count.different += 1;
                        if wide(&p[0]) == CELL {
                            count.different_cells += 1;
                        }
                        if p.iter().any(date) && q.iter().any(date) {
                            count.different_dates += 1;
                        }
                    } else if !p.iter().chain(q).any(date)
                        && !p.iter().any(in_b)
                        && !q.iter().any(in_a)
                    {
                        // Each side holds only figures the other has nowhere (not
                        // dates): the same sentence with other numbers, reworded
                        // before them ("fell 0.1 pct to 164.1", "rose 1.9 pct to
                        // 172.9").
                        count.replaced += 1;
                    }
                }
            }
        }
        // A figure in common in many contexts counts once (its rarest): twelve dry places
        // "nil" in two weather reports are one agreement, not twelve.
        shared.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
        shared.dedup_by_key(|x| x.0);
        count.same_weight = shared.iter().map(|x| x.1).sum();
        if days_apart {
            // Each text's dates by day (a year added or dropped is the same date), but the
            // days around its own publication (its dateline's).
            let days = |s: &[u64], own: &[u64]| -> Vec<u64> {
                let mut d: Vec<u64> = s
                    .iter()
                    .filter(|&&f| f & 1 == 1)
                    .map(|f| f & BUCKET_BITS)
                    .filter(|k| own.binary_search(k).is_err())
                    .collect();
                d.sort_unstable();
                d
            };
            let (da, db) = (days(&values_a, &around_a), days(&values_b, &around_b));
            count.dates_apart = unmatched(&da, &db) >= 1 && unmatched(&db, &da) >= 1;
        }
        let (mut fa, mut fb) = (values_a, values_b);
        if fa.len() > fb.len() {
            std::mem::swap(&mut fa, &mut fb);
        }
        if days_apart {
            count.after_different = after_changed(&after_a, &after_b, &fa, &fb);
            count.digits_apart = digits_apart(&after_a, &after_b, &fa, &fb);
        }
        count.fewer = fa.len() as u32;
        count.missing = unmatched(&fa, &fb);
        count.names = names;
        count.subjects = subjects;
        count.flashes = flashes;
        count.apart = apart;
        count.days_apart = days_apart;
        count.months = months;
        count.sessions = sessions;
        count
    }

    /// Whether the documents report different figures: the document with fewer figures
    /// has one that the other has nowhere, and some context holds different ones in each
    /// and no more hold one in common (those a template fills in for many documents
    /// weighing less; contexts [`replaced`](Self::replaced) count as different here), or
    /// one context in five holds different ones that are not dates, or two contexts hold
    /// different ones and one of them a date; or the texts came out days apart
    /// ([`days_apart`](Self::days_apart)) and one context holds different figures (also
    /// counted by the words after: [`after_different`](Self::after_different)), or each
    /// holds a date the other lacks, or figures in digits none of which the other has
    /// ([`digits_apart`](Self::digits_apart)), or other months written alone in the same
    /// words ([`months`](Self::months)); or the texts, word for word the same outside
    /// their names, name different things (`cluster/names.rs`), or each names a subject
    /// the other never writes, where the other names its own (`cluster/subjects.rs`), or
    /// each of two flashes opens its heading with a rare word the other never writes
    /// (`cluster/flashes.rs`), or
    /// each names a market's session, or a time its heading stamps, that the other does
    /// not (`cluster/sessions.rs`). A
    /// copy keeps its figures and what it is about:
    /// rewording only changes or swaps the words around them, truncation only drops some.
    pub fn conflict(&self) -> bool {
        let changed = self.different + self.replaced;
        self.names >= 1
            || self.subjects
            || self.flashes
            || self.sessions
            || self.apart
            || (self.days_apart
                && (self.different >= 1
                    || self.after_different >= 1
                    || self.dates_apart
                    || self.digits_apart
                    || self.months))
            || (self.missing >= 1
                && changed >= 1
                && (f64::from(changed) >= self.same_weight
                    || (self.different_dates >= 1 && self.different >= 2)
                    || self.different_cells >= 2
                    || (self.different > self.different_dates
                        && f64::from(self.different) * CHANGED_SHARE >= self.same_weight)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    /// A text's figures and entries.
    fn collected(text: &str) -> Vec<Figure> {
        let mut c = FigureCollector::new();
        for t in Analyzer::default().tokens(text) {
            c.push(&t);
        }
        c.finish()
    }

    /// A text's figures without their [`after_entry`]s.
    fn figures(text: &str) -> Vec<Figure> {
        collected(text)
            .into_iter()
            .filter(|&f| !is_after(f))
            .collect()
    }

    fn count(a: &str, b: &str) -> FigureCount {
        FigureCount::of(&collected(a), &collected(b))
    }

    const FED: &str = "The Federal Reserve entered the U.S. Government securities market to \
        arrange 1.5 billion dlrs of customer repurchase agreements, a Fed spokesman said. \
        Dealers said Federal funds were trading at 6-3/16 pct when the Fed began.";

    #[test]
    fn the_next_days_report_conflicts() {
        let next = FED.replace("6-3/16", "6-1/4");
        let c = count(FED, &next);
        assert_eq!((c.same, c.different, c.fewer, c.missing), (1, 1, 2, 1));
        assert!(c.conflict());
        // One context in common, and no figure in common either.
        let other = "the bank said 217 mln dlrs and 12.5 pct";
        let c = count(other, "the bank said 555 mln dlrs and 13 pct");
        assert_eq!((c.same, c.different, c.missing), (0, 2, 2));
        assert!(c.conflict());
        // One figure changed in place among four kept: a correction, another report.
        let kept = "It sold 40 ships, 12 trucks, 7 planes and 3 trains for 66 cents a share.";
        let c = count(kept, &kept.replace("66", "65"));
        assert_eq!((c.same, c.different), (4, 1));
        assert!(c.conflict());
        let spelled = FED.replace("1.5", "two").replace("6-3/16", "6-1/4");
        assert_eq!(count(FED, &spelled).different, 2);
    }

    #[test]
    fn copies_keep_their_figures() {
        let c = count(FED, FED);
        assert_eq!((c.same, c.different, c.missing), (2, 0, 0));
        assert!(!c.conflict());
        // Units rewritten, a sentence dropped, a dateline added: no conflict.
        let rewritten = "WASHINGTON, March 3 (AFP) - The Federal Reserve entered the U.S. \
            Government securities market to arrange 1.5 billion dollars of customer \
            repurchase agreements, a Fed spokesman said.";
        let c = count(FED, rewritten);
        assert_eq!((c.same, c.different, c.fewer, c.missing), (1, 0, 1, 0));
        assert!(!c.conflict());
        let dated = |day: &str| format!("LONDON, March {day} 1987 (Reuters) - {FED}");
        assert!(!count(&dated("3"), &dated("4")).conflict());
        let stamped = |when: &str| format!("Staff report. Updated {when}. {FED}");
        assert!(
            !count(
                &stamped("2024-05-09 1:49 AM"),
                &stamped("2024-05-12 4:29 AM")
            )
            .conflict()
        );
        assert!(!count(&stamped("2024-05-09"), &stamped("2024-05-12")).conflict());
        // The time of a market report is part of it.
        assert!(count("Grain futures at 11:10 EDT", "Grain futures at 11:20 EDT").conflict());
        assert_eq!(
            count("net 24.2 mln dlrs", "net 24.2 million dollars").same,
            1
        );
    }

    #[test]
    fn tables_changed_in_two_cells_conflict() {
        let rates = "EURODOLLAR DEPOSITS RATES overnight 6-1/4 1/8 one month 6-7/16 5/16 two \
            6-1/2 3/8 three 6-9/16 7/16 six 6-5/8 1/2 nine 6-3/4 5/8 twelve 6-13/16 11/16";
        // Rates at eleven: two rows changed.
        let later = rates
            .replace("six 6-5/8 1/2", "six 6-11/16 9/16")
            .replace("nine 6-3/4 5/8", "nine 6-13/16 11/16");
        let c = count(rates, &later);
        assert!(c.different_cells >= 2, "{c:?}");
        assert!(c.conflict());
        // A typo in one cell, or the table cut short: the same table.
        let typo = rates.replace("6-9/16 7/16", "6-9/16 7/61");
        assert_eq!(count(rates, &typo).different_cells, 1);
        assert!(!count(rates, &typo).conflict());
        let cut = &rates[..rates.find(" nine").unwrap()];
        assert_eq!(count(rates, cut).different, 0);
        assert!(!count(rates, cut).conflict());
    }

    #[test]
    fn rewrites_that_move_or_drop_figures_change_none() {
        let story = "Passenger miles rose to 790 mln from 700 mln. Revenue increased to 1.50 \
            billion dlrs from 1.41 billion. The airline said net income fell by about 20 mln \
            dlrs. Outlays will be reduced by about 72 mln dlrs this year, with 3months of \
            work left.";
        // Synonyms swapped: "rose to _ from" now holds the other sentence's figure, which
        // is found elsewhere in the first text (moved, not changed).
        let swapped = story
            .replace("rose", "RISE")
            .replace("increased", "rose")
            .replace("RISE", "increased");
        let c = count(story, &swapped);
        assert_eq!((c.different, c.missing), (0, 0));
        // Each copy drops another sentence: "by about _ dlrs" is left holding 20 in one and
        // 72 in the other, but the words before differ (fell, be reduced).
        let one = story.replace(
            "Outlays will be reduced by about 72 mln dlrs this year, ",
            "",
        );
        let other = story.replace(
            "The airline said net income fell by about 20 mln dlrs. ",
            "",
        );
        let c = count(&one, &other);
        assert_eq!((c.different, c.missing), (0, 1));
        assert!(!c.conflict());
        // A range ends in a number: "seven to million" is a figure, then another.
        assert_eq!(figures("rose from seven to million in").len(), 2);
        assert_eq!(figures("rose from five to seven million in").len(), 1);
        // A typo in a word glued to a number leaves the number.
        assert_eq!(
            figures("for 3months of work"),
            figures("for 3onths of work")
        );
        assert_ne!(
            figures("for 3months of work"),
            figures("for 4months of work")
        );
    }

    #[test]
    fn reports_of_other_days_conflict_on_their_dates() {
        let weekly = |day: &str, sold: &str| {
            format!(
                "GRAIN SHIPMENTS TO THE USSR. There were {sold} tonnes of U.S. corn shipped to \
                 the Soviet Union in the week ended {day}, according to the U.S. Agriculture \
                 Department. Total shipments in the third year, which ended September 30, \
                 amounted to 152,600 tonnes of wheat, 6,808,100 tonnes of corn and 1,518,700 \
                 tonnes of soybeans."
            )
        };
        // "ended March 12" and "ended 19 March" are dates in one context; with a second
        // figure changed, the same report of another week. Plain figures alone would not
        // tell: more contexts agree (the season's totals) than differ.
        let c = count(
            &weekly("March 12", "106,200"),
            &weekly("19 March", "287,700"),
        );
        assert_eq!((c.same, c.different, c.different_dates), (3, 2, 1), "{c:?}");
        assert!(c.conflict());
        assert!(!count(&weekly("March 12", "106,200"), &weekly("Mar 12", "106,200")).conflict());
        // A dateline changed by the outlet running the story is no conflict, even after a lede.
        let copy = |day: &str| {
            format!(
                "Investors and traders reacted cautiously on Monday as markets reacted \
                 to the news. LIMA, Aug {day} (Daily) - {FED}"
            )
        };
        let c = count(&copy("24"), &copy("25"));
        assert_eq!(c.different_dates, 1);
        assert!(!c.conflict());
        // The dateline of the first tokens is not a figure at all.
        assert!(figures("LONDON, March 3 (Reuters) - no figures").is_empty());
        // "may" is a verb when no number follows.
        assert_eq!(
            count("prices may rise 5 pct", "prices may rise 6 pct").different,
            1
        );
        assert_eq!(
            count("prices may rise 5 pct", "prices can rise 6 pct").different,
            0
        );
    }

    #[test]
    fn ranges_are_one_figure_and_names_are_not_figures() {
        let a = "Japanese crushers bought 5,000 to 7,000 tonnes of Canadian rapeseed";
        let b = "Japanese crushers bought 8,000 tonnes of Canadian rapeseed";
        assert_eq!(figures(a).len(), 1);
        assert!(count(a, b).conflict());
        assert!(!count(a, a).conflict());
        // A range of fractions (six numbers) is one figure too, not a table's cells: the
        // close's gains in place of the midsession's, the words before them reworded.
        let gains = "futures ended with gains of 4-3/4 to 9-1/4 cents a bushel";
        assert_eq!(figures(gains).len(), 1);
        assert!(figures(gains).iter().all(|&f| f & WIDE != CELL));
        let midsession = "Corn futures held gains of three to 6-1/2 cents a bushel at midday. \
            Trade stayed above the 5.00 dlr level all morning.";
        let close = "Corn futures ended firm with gains of 4-3/4 to 9-1/4 cents a bushel. May \
            settled at 5.04-1/2 dlrs. Trade stayed above the 5.00 dlr level all morning.";
        let c = count(midsession, close);
        assert_eq!((c.same, c.replaced), (1, 1));
        assert!(c.conflict());
        // Two ranges in a row are still a list.
        assert_eq!(figures("rates 1 2 3 to 4 5 6 7 8 9 to 10 11 12").len(), 12);
        // M-1 and G-7 are names; "a 5 pct rise" is a figure.
        assert!(figures("money supply M-1 and the G-7 summit").is_empty());
        assert_eq!(figures("a 5 pct rise").len(), 1);
        let m1 = |x: &str, y: &str| format!("M-1 rose {x} mln dlrs to {y} billion dlrs, M-2 fell");
        assert!(count(&m1("217", "32.80"), &m1("592", "33.36")).conflict());
    }

    #[test]
    fn numbers_are_read_as_values() {
        let same = |a: &str, b: &str| {
            let (fa, fb) = (figures(a), figures(b));
            assert_eq!(fa.len(), 1, "{a}");
            assert_eq!(fa, fb, "{a} / {b}");
        };
        same(
            "evacuated four hundred residents",
            "evacuated 400 residents",
        );
        same("paid 1.5 billion dlrs", "paid 1,500 million dollars");
        same("a crop of 14,050 tonnes", "a crop of 14050 tonnes");
        same("up twenty-five pct", "up 25 percent");
        same(
            "two million five hundred thousand people",
            "2,500,000 people",
        );
        assert_ne!(figures("at 6-3/16 pct"), figures("at 6-1/4 pct"));
        assert_ne!(figures("at 6-3/16 pct"), figures("at 63/16 pct"));
        assert_eq!(literal("1,5"), Some(1.5));
        // A longer run of numbers is a list or a table: each number is a cell.
        assert_eq!(figures("one two three four five six").len(), 6);
        assert!(figures("rates 6-3/16 1/16 today").len() == 1);
        assert_eq!(literal("2nd"), None);
    }

    #[test]
    fn figures_a_template_fills_in_for_everyone_weigh_less() {
        let notice = |amount: &str, coupon: &str| {
            format!(
                "is issuing a {amount} mln dlr equity warrant bond paying an indicated coupon \
                 of {coupon} pct, in denominations of 5,000 dlrs. The selling concession is \
                 1-1/2 pct while management and underwriting combined pays 3/4 pct. The \
                 bonds mature in 10 years."
            )
        };
        let (a, b) = (
            figures(&notice("100", "2-1/8")),
            figures(&notice("100", "two")),
        );
        // One figure changed, five kept: the same notice corrected, as far as counts go.
        let plain = FigureCount::of(&a, &b);
        assert_eq!((plain.same, plain.different), (5, 1));
        assert!(!plain.conflict());
        // Ten announcements share the five fixed figures: with a cut of 2, each weighs 1/5.
        let mut sets = ShingleSets::new();
        for i in 0..10 {
            sets.push(&figures(&notice("100", &format!("{i}"))));
        }
        let t = template_figures(&sets, 2, 20_000);
        let weighted = FigureCount::of_with(&a, &b, &t);
        assert!((weighted.same_weight - 1.0).abs() < 1e-9, "{weighted:?}");
        assert!(weighted.conflict());
    }

    #[test]
    fn the_table_of_special_words_agrees_with_the_matches() {
        for w in SPECIAL_WORDS {
            assert!(is_special(hash_token(w)), "{w}");
            assert!(
                is_number(canonical(w))
                    || month(w).is_some()
                    || *w == "to"
                    || canonical(w) != *w
                    || is_qualifier(w),
                "{w}"
            );
        }
        for w in [
            "percent", "these", "said", "crop", "tonnes", "dollars", "mayor",
        ] {
            assert!(!is_special(hash_token(w)), "{w}");
            assert!(!is_number(w) && month(w).is_none(), "{w}");
        }
    }

    #[test]
    fn qualifiers_are_not_words_before_a_figure() {
        // The next day's forecast, with "around" and "today" added or dropped: one context
        // holds two figures.
        let monday = "The central bank said it cut its estimate of the cash shortage in the \
            market down to around 600 mln stg from 750 mln.";
        let tuesday = "The central bank said it cut its estimate of the cash shortage in the \
            market today down to 350 mln stg, and by noon to 300 mln.";
        let c = count(monday, tuesday);
        assert_eq!((c.same, c.different), (0, 1), "{c:?}");
        assert!(c.conflict());
        // A copy that drops a qualifier keeps its figures.
        let copy = monday.replace("around ", "");
        let c = count(monday, &copy);
        assert_eq!((c.same, c.different, c.missing), (2, 0, 0), "{c:?}");
        assert!(!c.conflict());
        // Both qualified, another word inserted before them: the third word counted with
        // the qualifier still agrees.
        let early = |adj: &str, amount: &str| {
            format!("after forecasting a {adj}shortage of around {amount} stg in the market")
        };
        let c = count(&early("", "950 mln"), &early("very large ", "1.75 billion"));
        assert_eq!(c.different, 1, "{c:?}");
        assert!(c.conflict());
        // "nil" is a figure, zero, and a unit of length after a figure is part of it: a
        // dry day at Franca, then rain, is one place holding two figures.
        assert_eq!(figures("a loss of nil"), figures("a loss of zero"));
        let rain = |franca: &str| {
            format!("rainfall over the past day: Umuarama nil, Franca {franca}, Catanduva 10.0 mm.")
        };
        let c = count(&rain("nil"), &rain("28.0 millimetres"));
        assert_eq!((c.same, c.different), (2, 1), "{c:?}");
        assert!(c.conflict());
        assert!(!count(&rain("28.0 mm"), &rain("28.0 millimetres")).conflict());
        // Two readings in a row stay two figures.
        assert_eq!(figures("Franca 28.0 mm 30.0 mm today").len(), 2);
    }

    #[test]
    fn a_figure_in_common_counts_once() {
        // Two days' rainfall: ten dry places in both are one agreement (nil), against two
        // places that had rain on the one day only.
        let places = [
            "Alpha", "Bravo", "Cedar", "Delta", "Elmo", "Fargo", "Gila", "Hilo", "Ione", "Jasper",
        ];
        let report = |last: &str| {
            let dry: Vec<String> = places.iter().map(|p| format!("{p} nil")).collect();
            format!(
                "Rainfall over the past day: {}. South: {last}.",
                dry.join(", ")
            )
        };
        let wet = report("Kent 33.0 mm, Lima 5.0 mm");
        let dry = report("Kent nil, Lima nil");
        let c = count(&wet, &dry);
        assert_eq!((c.same, c.different), (10, 2), "{c:?}");
        assert_eq!(c.same_weight, 1.0);
        assert!(c.conflict());
        // The same report sent again, or cut short, agrees.
        assert!(!count(&wet, &wet).conflict());
        let cut = &wet[..wet.find(", Lima").unwrap()];
        assert!(!count(&wet, cut).conflict());
    }

    #[test]
    fn a_typo_after_a_figure_keeps_its_context() {
        let notice = |pay: &str, record: &str| {
            format!(
                "ACME INCOME FUND SETS MONTHLY PAYOUT. Monthly div 4.2 cts vs 4.2 cts prior. \
                 Pay {pay} {record}. NOTE: Acme Income Fund."
            )
        };
        let march = notice("March 31", "Record March 16");
        let april = notice("April 30", "Reord April 15");
        let c = count(&march, &april);
        assert_eq!(c.different_dates, 1, "{c:?}");
        assert!(c.conflict());
        // The same notice with the typo is one notice.
        assert!(!count(&march, &notice("March 31", "Reord March 16")).conflict());
    }

    #[test]
    fn a_column_changed_in_place_conflicts() {
        let table = |rows: &[(&str, &str, &str)]| {
            let mut t = String::from(
                "ACME BANK CHANGES NOTE RATES. Acme Bank set the rates on its notes as \
                 follows:\n MATURITY NEW RATE OLD RATE\n",
            );
            for (days, new, old) in rows {
                t.push_str(&format!(" {days} days {new} pct {old} pct\n"));
            }
            t
        };
        let morning = [
            ("30-69", "5.00", "5.00"),
            ("70-123", "5.92", "5.88"),
            ("124-150", "5.93", "5.92"),
            ("151-349", "5.00", "5.00"),
            ("350-360", "5.98", "5.94"),
        ];
        // An hour later: two new rates, the morning's new rates now the old ones.
        let noon = [
            ("30-69", "5.00", "5.00"),
            ("70-123", "5.92", "5.92"),
            ("124-150", "5.90", "5.93"),
            ("151-349", "5.00", "5.00"),
            ("350-360", "5.96", "5.98"),
        ];
        let c = count(&table(&morning), &table(&noon));
        assert!(c.different >= 2, "{c:?}");
        assert!(c.conflict());
        // The morning's table with a row left out agrees with it row by row.
        let mut cut = morning.to_vec();
        cut.remove(1);
        let c = count(&table(&morning), &table(&cut));
        assert_eq!((c.different, c.missing), (0, 0), "{c:?}");
        assert!(!c.conflict());
    }

    #[test]
    fn a_price_raised_and_a_price_cut_conflict() {
        let raised = "ACME RAISES HEATING OIL PRICE. Acme Oil said it raised the price it \
            charges barge customers by 0.50 cent a gallon. The price hike brings its heating \
            oil price to 50.75 cts a gallon.";
        let cut = "ACME CUTS HEATING OIL PRICE. Acme Oil said it is decreasing the price it \
            charges barge customers by 0.50 cent a gallon. The price reduction brings its \
            contract barge price to 50 cts a gallon.";
        let c = count(raised, cut);
        assert!(c.apart, "{c:?}");
        assert!(c.conflict());
        // Reworded the same way ("increased" for "raised"), it stays a copy.
        let c = count(raised, &raised.replace("raised", "increased"));
        assert!(!c.apart && !c.conflict(), "{c:?}");
        // A story that says both ways has no direction.
        let both = "Sales rose 5 pct and costs rose, but profit fell 2 pct and margins fell.";
        assert!(!count(both, cut).apart);
    }

    #[test]
    fn repeated_contexts_agree_on_any_figure() {
        let a = "profit rose to 5 points and sales rose to 7 points";
        let b = "profit rose to 5 points";
        let c = count(a, b);
        assert_eq!((c.same, c.different, c.missing), (1, 0, 0));
        assert!(!c.conflict());
        assert!(count(a, "profit rose to 9 points").conflict());
        assert!(figures("no numbers here").is_empty());
        assert_eq!(figures("it was 12").len(), 1);
    }

    #[test]
    fn a_price_moved_a_little_in_a_reworded_sentence_conflicts() {
        // Two rises a week apart: the same notice but its last sentence reworded, and the
        // price after it 61.25 cts one week, 61.00 the next.
        let notice = |harbor: &str, last: &str| {
            format!(
                "ACME RAISES HEATING OIL PRICE. Acme Refining said it raised the price it \
                 charges contract barge customers for heating oil in {harbor} harbor by 0.50 \
                 cent a gallon, effective today. {last}"
            )
        };
        let week = notice(
            "Boston",
            "The 0.50 cent price hike brings Acme's heating oil price to 61.25 cts a gallon.",
        );
        let next = notice(
            "the Boston",
            "The increase brings the contract barge price to 61.00 cts a gallon, Acme said.",
        );
        let c = count(&week, &next);
        assert_eq!((c.different, c.missing), (1, 1), "{c:?}");
        assert!(c.conflict());
        // The same sentence reworded keeps its price.
        assert!(!count(&week, &next.replace("61.00", "61.25")).conflict());
        // Sentences that only end alike hold unrelated values: not a change.
        let dollar = "Dealers said the market was quiet. The dollar closed at 1.8265 marks.";
        let yen = "Dealers said the market was quiet. The yen closed at 1.2550 marks.";
        assert_eq!(count(dollar, yen).different, 0);
        // Nor is a context holding a figure of the other after other words, beside a close
        // one.
        let both = "Net profit 24,973 dlrs and the year's net profit 24,900 dlrs";
        assert_eq!(count("Quarter net profit 24,973 dlrs", both).different, 0);
    }

    /// [`count`] of two texts published on days `day_a` and `day_b`.
    fn count_dated(a: &str, day_a: i64, b: &str, day_b: i64) -> FigureCount {
        let dated = |text: &str, day: i64| super::super::published::with_day(collected(text), day);
        FigureCount::of(&dated(a, day_a), &dated(b, day_b))
    }

    #[test]
    fn a_notice_filled_in_anew_weeks_later_conflicts() {
        // A weekly notice whose only change is its week: within one day's news, no
        // conflict (one date changed is a dateline rewritten); two weeks on, another notice.
        let week = |day: &str| {
            format!(
                "GRAIN LEVIES UNCHANGED NEXT WEEK. Levies on grain will stay unchanged for \
                 the week starting {day}, officials said. They are plus 2.4 points for \
                 Ruritania and minus 5.7 points for Freedonia."
            )
        };
        let (a, b) = (week("March 23"), week("April 6"));
        assert!(!count(&a, &b).conflict());
        assert!(!count_dated(&a, 6_290, &b, 6_291).conflict());
        let c = count_dated(&a, 6_290, &b, 6_304);
        assert!(c.days_apart && c.different == 1, "{c:?}");
        assert!(c.conflict());
        // A monthly payout whose dates moved, the words around them reworded: each holds
        // dates the other lacks.
        let march = "Monthly div 7.3 cts vs 7.3 cts prior. Pay March 13 Record March two.";
        let july = "Monthly div 7.3 cts vs 7.3 cts last month. Payable July 14 Record July one.";
        // (The March notice comes out on 1987-02-11, day 6,250: a date of the day before,
        // of or after a text's own day would be its dateline's, and left out.)
        assert!(!count_dated(march, 6_250, july, 6_251).conflict());
        let c = count_dated(march, 6_250, july, 6_388);
        assert!(c.days_apart && c.dates_apart && c.different == 0, "{c:?}");
        assert!(c.conflict());
        // Undated texts are left alone.
        assert!(!count(march, july).conflict());
    }

    #[test]
    fn a_copy_rerun_weeks_later_does_not_conflict() {
        let story = "The company sold 40 ships for 12 mln dlrs in May. It employs 3,100 people \
            in five towns. Shares rose 2.5 pct to 31 dlrs after the sale on June 4.";
        let week = |a: &str, b: &str| count_dated(a, 19_000, b, 19_010);
        // Word for word, or cut short.
        assert!(!week(story, story).conflict());
        let cut = "The company sold 40 ships for 12 mln dlrs in May. It employs 3,100 people \
            in five towns.";
        assert!(!week(story, cut).conflict());
        // Copies of copies, each cutting another sentence: each holds a figure the other
        // lacks, and nothing changed in place.
        let first = "The company sold 40 ships for 12 mln dlrs in May. Shares rose 2.5 pct to \
            31 dlrs after the sale on June 4.";
        let c = week(first, cut);
        assert!(c.days_apart && c.missing >= 1 && c.different == 0, "{c:?}");
        assert!(!c.conflict());
        // A dividend re-sent days on, one sentence with a date cut and the year added to
        // another date: the same dates, by day.
        let paid = "The trust declared an initial dividend of 55 cts a share, paid May 20 to \
            holders of record on April 20, the trust said. It sold its shares on Dec 23.";
        let resent = "The trust declared its initial dividend of 55 cts per share. The \
            dividend is payable May 20 to holders of record April 20, 1987, it said.";
        let c = week(paid, resent);
        assert!(c.days_apart && !c.dates_apart, "{c:?}");
        assert!(!c.conflict());
        // Each copy's dateline, past a lede, carries its own day (2024-07-28 and -08-11),
        // and one copy cut the sentence with the sale's date: its datelines are no dates
        // of the story.
        let dateline = |lede: &str, line: &str, body: &str| format!("{lede} {line} - {body}");
        let (july, august) = (19_932, 19_946);
        let a = dateline(
            "Traders reacted cautiously on Thursday as investors read the news.",
            "CAIRO, July 28 (Eastbay Observer)",
            story,
        );
        let b = dateline(
            "Analysts watched closely on Friday as suppliers weighed up the news.",
            "PARIS, Aug 11 (Union Dispatch)",
            cut,
        );
        let c = count_dated(&a, july, &b, august);
        assert!(c.days_apart && !c.dates_apart, "{c:?}");
        assert!(!c.conflict());
        // The same datelines on texts published a week after them are dates of their own.
        assert!(count_dated(&a, july + 7, &b, august + 7).dates_apart);
    }

    #[test]
    fn a_figure_changed_in_place_after_reworded_words_conflicts_days_apart() {
        // Two issues of certificates of deposit, ten days apart: each sentence reworded
        // before its figure ("it issued", "the bank issued"), so no context of the words
        // before holds a figure in each; the words after them agree.
        let first = "TAIWAN ISSUES MORE DEPOSIT CERTIFICATES. The central bank said it issued \
            4.96 billion dlrs worth of certificates of deposit today, bringing this year's \
            issues to 139.46 billion. Rates range from 4.07 pct to 5.12 pct.";
        let next = "TAIWAN ISSUES MORE DEPOSIT CERTIFICATES. The central bank issued 5.65 \
            billion dlrs worth of certificates of deposit, boosting issues so far this year \
            to 147.58 billion. Rates range from 4.07 pct to 5.12 pct.";
        let c = count_dated(first, 6_291, next, 6_301);
        assert_eq!((c.different, c.after_different), (0, 2), "{c:?}");
        assert!(c.conflict());
        // Within a day: a correction, not another report.
        let c = count_dated(first, 6_291, next, 6_292);
        assert_eq!(c.after_different, 0);
        assert!(!c.conflict());
        // A copy re-run weeks later, reworded before its figures and cut short, changes no
        // figure in place.
        let copy = "TAIWAN ISSUES MORE DEPOSIT CERTIFICATES. The bank issued 4.96 billion \
            dlrs worth of certificates of deposit, its spokesman said.";
        let c = count_dated(first, 6_291, copy, 6_320);
        assert_eq!(c.after_different, 0, "{c:?}");
        assert!(!c.conflict());
        // A price changed at the text's end, a function word dropped before it.
        let sale = |asked: &str| {
            format!(
                "EXCHANGE SEAT SOLD. A membership changed hands for 200 dlrs, the same as in \
                 the last sale. Buyers bid 100 dlrs and the asking price {asked} dlrs."
            )
        };
        let c = count_dated(&sale("is for 300"), 6_291, &sale("is 200"), 6_300);
        assert_eq!((c.different, c.after_different), (0, 1), "{c:?}");
        assert!(c.conflict());
        assert!(!count_dated(&sale("is for 300"), 6_291, &sale("is 200"), 6_292).conflict());
        // A rewrite that moves figures between sentences with the same words around them
        // keeps each figure elsewhere in the other: moved, not changed.
        let a = "Exports rose 5 pct in March and imports rose 7 pct in April, the bureau said.";
        let b = "Imports rose 7 pct in March and exports rose 5 pct in April, the bureau said.";
        assert_eq!(count_dated(a, 6_291, b, 6_320).after_different, 0);
        // A sentence ending in a figure, then one a copy moved: the words after agree, the
        // word before does not.
        let a = "Her fund holds seven boats. Its shares rose in heavy trading, dealers said.";
        let b = "Her fund holds seven boats. Its stake was worth a million. Its shares rose in \
            heavy trading, dealers said.";
        let c = count_dated(a, 6_291, b, 6_320);
        assert_eq!(c.after_different, 0, "{c:?}");
        assert!(!c.conflict());
    }

    #[test]
    fn a_forecast_of_another_day_sharing_no_figure_conflicts_days_apart() {
        // The daily forecast of a fixed report, each worded its own way around its one
        // figure: no context in common holds a figure, and none of either's is in the other.
        let first = "MONEY MARKET OFFERED EARLY HELP. The central bank said it had invited an \
            early round of bill offers after forecasting a shortage in the system of around \
            1.1 billion crowns in the market today.";
        let later = "MONEY MARKET OFFERED EARLY HELP. The central bank said it had invited an \
            early round of bill offers after forecasting a very large shortage of around \
            1.75 billion crowns, the largest of the year.";
        let c = count_dated(first, 6_285, later, 6_298);
        assert_eq!((c.different, c.after_different), (0, 0), "{c:?}");
        assert!(c.digits_apart && c.conflict(), "{c:?}");
        // Within a day, or undated: left alone.
        assert!(!count_dated(first, 6_285, later, 6_286).conflict());
        assert!(!count(first, later).conflict());
        // A copy keeps one of its figures: a copy weeks later that adds a sentence with
        // figures of its own is no other forecast.
        let copy = format!("{first} Dealers expected help of 500 million crowns at noon.");
        let c = count_dated(first, 6_285, &copy, 6_320);
        assert!(!c.digits_apart && !c.conflict(), "{c:?}");
        // Figures spelled out, or years alone ("Copyright 2024" in a footer), are no
        // evidence either way.
        let spelled = |n: &str| {
            format!("The bank expects a shortage of {n} billion crowns in the market today.")
        };
        assert!(!count_dated(&spelled("one"), 6_285, &spelled("two"), 6_298).digits_apart);
        let footer =
            |y: &str| format!("The bank said it was done. Copyright {y} The Daily News Company.");
        assert!(!count_dated(&footer("2023"), 6_285, &footer("2024"), 6_298).digits_apart);
        assert!(count_dated(&spelled("1.5"), 6_285, &spelled("2.5"), 6_298).digits_apart);
    }

    #[test]
    fn after_entries_need_three_words_or_the_text_end_and_no_date() {
        let after = |text: &str| -> Vec<Figure> {
            collected(text)
                .into_iter()
                .filter(|&f| is_after(f))
                .collect()
        };
        // 5 has "dlrs a share" after it, the last figure the words up to the text's end;
        // the date has none.
        let entries = after("It paid 5 dlrs a share on March 3, then 7 dlrs");
        assert_eq!(entries.len(), 2);
        assert_eq!(
            after("It paid 5 dlrs a share on March 3, in all 7").len(),
            1
        );
        let five = figure_bits(figures("sold 5 dlrs")[0]);
        assert!(entries.iter().any(|&e| figure_bits(e) == five));
        // A figure among the three words after ends them.
        assert_eq!(after("up 5 pct 6 pct and more").len(), 1);
        assert_eq!(
            after("he paid 5 dlrs a share"),
            after("they paid 5 dlrs a share")
        );
        assert_ne!(after("paid 5 dlrs a share"), after("paid 5 dlrs per share"));
        assert_ne!(after("paid 5 dlrs a share"), after("got 5 dlrs a share"));
        // After a function word, a second entry takes the last word before that is none:
        // "is for" and "is" share it.
        let (is_for, is) = (
            after("the asking price is for 5 dlrs a share"),
            after("the asking price is 5 dlrs a share"),
        );
        assert_eq!((is_for.len(), is.len()), (2, 2));
        assert_eq!(is_for.iter().filter(|e| is.contains(e)).count(), 1);
        // They are no numbers: a text's counts leave them out.
        let c = count("It paid 5 dlrs a share.", "It paid 5 dlrs a share.");
        assert_eq!((c.same, c.fewer), (1, 1));
    }

    #[test]
    fn a_sentence_with_other_numbers_reworded_before_them_conflicts() {
        let month = |first: &str| {
            format!(
                "{first} The index is based on twelve indicators, among them export orders \
                 and share prices, the statistics office said."
            )
        };
        let june = month(
            "Acme's index of leading indicators fell 0.3 pct to 151.2 in June, after a 0.4 \
             pct rise in May, a 12.5 pct gain on the year.",
        );
        let august = month(
            "Acme's index of leading indicators rose 1.6 pct to 158.7 in August, after a 0.9 \
             pct rise in July, to stand 14.1 pct above a year earlier.",
        );
        let c = count(&june, &august);
        assert!(c.replaced >= 1 && c.different == 0, "{c:?}");
        assert!(c.conflict());
        // Two cuts of one story, each keeping a paragraph the other dropped, hold figures
        // the other has nowhere but in sentences of their own: a copy.
        let story = [
            "Acme Mining last year paid 240 mln dlrs for a maker of carbon black.",
            "Acme could spend between 250 mln and 500 mln dlrs on another company, citing \
             100 mln dlrs of cash and 580 mln dlrs of untapped bank credit.",
            "Costs should fall below 50 cents a pound by 1990, from 56 to 57 cents now and \
             one dlr a pound in 1981, analysts said.",
        ];
        let one = format!("{} {}", story[0], story[1]);
        let other = format!("{} {}", story[0], story[2]);
        let c = count(&one, &other);
        assert!(
            c.missing >= 1 && c.replaced == 0 && c.different == 0,
            "{c:?}"
        );
        assert!(!c.conflict());
    }

    #[test]
    fn values_are_placed_on_a_scale_of_one_percent_steps() {
        let place = value_bucket;
        assert_eq!(place(1.0), 2048);
        assert!(place(50.75).abs_diff(place(50.50)) <= CLOSE_STEPS);
        assert!(place(1.8265).abs_diff(place(1.2550)) > CLOSE_STEPS);
        assert!(place(100.0).abs_diff(place(103.5)) > CLOSE_STEPS);
        assert_eq!((place(0.0), place(-3.0), place(1e12)), (0, 0, 0));
        let figure = |text: &str| figures(text)[0];
        assert!(close(figure("price 50.75 cts"), figure("rate 50.50 cts")));
        assert!(!close(figure("price 50.75 cts"), figure("price 52.50 cts")));
        // Dates are not placed: "March 12" and "March 13" are not a price moved a little.
        let week = |day: &str| {
            figure(&format!(
                "Reserves held by the banks of the district rose in the week ended March {day}"
            ))
        };
        assert!(week("12") & 1 == 1 && !close(week("12"), week("13")));
        // They hold the key of their day, the year left out.
        let (dated, yeared) = (week("12"), week("12, 1987"));
        assert_ne!(dated, yeared);
        assert_eq!(dated & BUCKET_BITS, yeared & BUCKET_BITS);
        assert_ne!(dated & BUCKET_BITS, week("13") & BUCKET_BITS);
        assert!(!close(dated, yeared));
        // Nor are a table's cells, whose bits are all hash.
        let cells = figures("The rates were 5.1 5.2 5.3 5.4 5.5 5.6 5.7 today");
        assert_eq!(cells.len(), 7);
        assert!(cells.iter().all(|&a| cells.iter().all(|&b| !close(a, b))));
    }
}
