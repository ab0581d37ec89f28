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
//! This file reads figures ([`FigureCollector`]); how one is stored is
//! `cluster/figure.rs`, and how the figures of two documents compare is
//! `cluster/figure_count.rs`.

use super::direction::{Direction, Way};
use super::figure::{
    BUCKET_BITS, CELL, Figure, NAME, QUALIFIED, WIDE, day_key_of, entries_of, figure_bits,
    value_bucket,
};
use super::polarity::{Polar, Polarity};
use crate::shingle::{combine_token_hashes, hash_token};

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
    /// hold three numbers and still be one figure...
    ranged: bool,
    /// ...and whether its last token is a year (1800 to 2100), which ends a date: a month
    /// after it begins another ("January/September 1986. September registrations", the
    /// tokens without their full stop).
    year_last: bool,
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
    /// The words negated or not, between their neighbours (`cluster/polarity.rs`).
    polarity: Polarity,
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

/// Marks the context of a table's cell ([`FigureCollector::table`]).
const TABLE_CELL: u64 = 0x7461_626c_6563_656c;

/// The most values one figure holds ("6-3/16 1/16" is five).
const MAX_VALUES: usize = 5;

/// Whether a number token is a year: four digits, 1800 to 2100.
fn is_year(c: &str) -> bool {
    c.len() == 4 && matches!(literal(c), Some(y) if (1800.0..=2100.0).contains(&y))
}

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
/// which outlets running one story change: they are not figures, but each is kept as an
/// [`early_date_entry`].
pub(super) const DATELINE_TOKENS: u32 = 12;

/// The context of an [`early_date_entry`].
const EARLY_DATE: u64 = 0x6561_726c_795f_6474;

/// The entry of a date among a text's first [`DATELINE_TOKENS`] tokens, by the key of its
/// day (in [`BUCKET_BITS`]), marked [`NAME`]: no figure, but a date the text holds. Its
/// first tokens are a dateline or the story's own first words ("Gillette Canada Inc is
/// issuing a 70 mln stg bond due October 30, 1993"), which a copy may push further on
/// with a lede or a dateline of its own; for texts published days apart, a date of the
/// other text found here is no date this one lacks
/// ([`FigureCount::dates_apart`](super::FigureCount::dates_apart)).
fn early_date_entry(day: u64) -> Figure {
    ((EARLY_DATE >> 40) << 40) | (day << 3) & BUCKET_BITS | NAME
}

/// The days ([`BUCKET_BITS`]) of the dates among a text's first tokens, from its figures
/// (sorted), sorted.
pub(super) fn early_dates(s: &[Figure]) -> Vec<u64> {
    entries_of(s, EARLY_DATE).map(|f| f & BUCKET_BITS).collect()
}

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
    /// A plain word that has a negation, or is one (`cluster/polarity.rs`).
    Polar(Polar),
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
/// of the hashes of [`SPECIAL_WORDS`], of the words of rising and falling and of the words
/// with a negation (`cluster/polarity.rs`), instead of
/// comparing strings.
fn special(hash: u64) -> Special {
    const SLOTS: usize = 1024;
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
            .chain(FUNCTION_WORDS.iter().map(|w| (*w, Special::Function)))
            .chain(super::polarity::polar_words().map(|(w, p)| (w, Special::Polar(p))));
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
        self.polarity = Polarity::default();
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
        self.polarity.push(
            hash,
            match kind {
                Special::Polar(p) => Some(p),
                _ => None,
            },
        );
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
            if self.year_last {
                self.end_run(c.as_bytes()[0]);
            }
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
                self.start_run(is_year(c));
            } else if self.range_to.take().is_some() {
                // "5,000 to 7,000": a range is one figure.
                self.run.flush();
                self.ranged = true;
            }
            self.run.push(c, hash);
            self.run_len += 1;
            self.year_last = is_year(c);
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
        self.year_last = false;
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
        if self.date && self.start <= DATELINE_TOKENS {
            self.out.push(early_date_entry(day));
            return;
        }
        if self.year_first && self.run_len >= 3 {
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
        self.polarity.finish(&mut out);
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

/// How many words after a figure its [`after_entry`] holds.
const AFTER_WORDS: usize = 3;

/// Marks the context of an [`after_entry`].
const AFTER: u64 = 0x6166_7465_725f_7764;

/// The entry of a figure (not a date) in the context of the word before it and the
/// [`AFTER_WORDS`] words after it (fewer at the text's end): "it issued 4.96 billion dlrs
/// worth of certificates" one week and "The Central Bank issued 5.65 billion dlrs worth of
/// certificates" the next change the figure in place, though the two words before it
/// differ. (The words after a figure that ends a sentence begin the next one, which a
/// copy may have moved: the word before keeps such contexts apart.) Marked by both low
/// bits (a [`NAME`] entry that is no date), kept apart from the numbers, and read only for
/// texts published days apart
/// ([`FigureCount::after_different`](super::FigureCount::after_different)). Its context
/// stays below the entries that sort last.
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

/// A text's figures and entries, read from the default analyser's tokens (for tests).
#[cfg(test)]
pub(super) fn collected(text: &str) -> Vec<Figure> {
    let mut c = FigureCollector::new();
    for t in crate::text::Analyzer::default().tokens(text) {
        c.push(&t);
    }
    c.finish()
}

/// A text's figures without their [`after_entry`]s, polarity entries and
/// [`early_date_entry`]s (for tests).
#[cfg(test)]
pub(super) fn figures(text: &str) -> Vec<Figure> {
    collected(text)
        .into_iter()
        .filter(|&f| {
            !super::figure::is_after(f)
                && !super::polarity::is_polarity(f)
                && !super::figure::is_entry(f, EARLY_DATE)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_date_among_the_first_words_is_kept_as_an_entry() {
        let early = |text: &str| early_dates(&collected(text));
        let dateline = early("LONDON, March 3 (Reuters) - no figures");
        assert_eq!(dateline.len(), 1);
        assert!(figures("LONDON, March 3 (Reuters) - no figures").is_empty());
        // The same day, further on: a date of the text, of the same day.
        let later = "the office said on Monday that the first offer of the year ended March 3";
        let date: Vec<u64> = figures(later)
            .into_iter()
            .filter(|f| f & 3 == 1)
            .map(|f| f & BUCKET_BITS)
            .collect();
        assert_eq!(date, dateline);
        assert!(early(later).is_empty());
    }

    #[test]
    fn a_year_ends_a_date_and_a_month_after_it_begins_another() {
        let dates = |text: &str| -> Vec<Figure> {
            figures(text)
                .into_iter()
                .filter(|f| f & 3 == 1)
                .map(figure_bits)
                .collect()
        };
        // The tokens lose the full stop: "1986 september" must not read as one date.
        let (period, month) = (
            "The Federal Motor Office said on Monday that new car sales in West Germany \
             rose 2.9 pct during January/September 1986.",
            "September sales totalled 234,518.",
        );
        let a = dates(&format!("{period} {month}"));
        assert_eq!(a.len(), 1);
        assert_eq!(a, dates(&format!("{month} {period}")));
        assert_eq!(a, dates(period));
        // A date's own forms stay one figure.
        for one in [
            "the office said on Monday that the first offer of the year ended 12 March 2013",
            "the office said on Monday that the first offer of the year ended March 12, 1987",
            "the office said on Monday that the first offer of the year ran January/September 1986",
        ] {
            assert_eq!(dates(one).len(), 1, "{one}");
        }
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
}
