//! Sessions: a market's reports of one day at its opening, at midday, at the close or on
//! the hour, and of one day and the next, are sent under one heading with the same cells,
//! and often the same prices ("LONDON COCOA SHIPMENTS MIDDAY", then "... CLOSING" with one
//! row added; "JOHANNESBURG EXCHS CLOSING", then "... OPENING" with every rate the same two
//! minutes on; "LONDON EURODOLLAR DEPOSITS RATES 1100", then "... 1230"; "BANGKOK RICE 1 -
//! APRIL 7", then "... APRIL 8"). No figure tells them apart; the time the report is for
//! does. A copy keeps it, a correction too; a rewrite may drop it, which leaves the rule
//! silent.
//!
//! A text's *sessions* are read on the text as written: a word of [`SESSIONS`] written in
//! capitals, every letter of it ("MIDDAY", "CLOSES HIGHER"), as wire headings and tables'
//! headings write them. The same words in lower case are plain words ("the plant closed",
//! "an open letter"), but where a market report heads itself in lower case, its words
//! before a dash and a day ("Kuala lumpur rubber noon call -april 7", "... clsg -april 7").
//! Its *stamps* are the times of day and the days its heading stamps
//! ("11:00 EDT", "AT 0900", "- APRIL 7"): in its first line, when that line has no
//! lower-case letter, the words that are a time of day on the 24-hour clock, with a colon
//! or without ("1100"; "1987" is no time), and a month's name with a day after it. Two
//! texts *report other sessions* when each names a session or a stamp the other does not.
//! A table that heads its columns "OPEN HIGH LOW CLOSE" names both sessions, so it reports
//! no other session than a text naming either.
//!
//! The same session's reports of one market quote its grades apart, and where a grade
//! quotes nothing ("all unquoted") the grade's name is all that differs. A market report's
//! heading with lower case, whose dash and day run on into the grade it quotes ("Kuala
//! lumpur rubber opg call - april 8 rss ones (in order ...", "... - april 8 smr 20 (in
//! order ..."), names its *item*: the words after the day, at most two, up to a
//! parenthesis. Two texts whose items share no word also report other sessions. A copy
//! keeps its first line; a typo in one word of two leaves the other in common.
//!
//! Each text keeps its sessions as one entry and each stamp and item word as another, marked
//! [`NAME`](super::figure::NAME) (so they travel where figures go: stage files, Spark),
//! read with the names (short texts).

use super::figure::{Figure, WIDE, entries_of, entry};
use super::figures::month_index;
use super::words::first_line;
use crate::shingle::hash_token;

/// The context of the sessions' entry.
const SESSION: u64 = 0x7365_7373_696f_6e73;

/// The context of the entry of a clock time or a day a heading stamps.
const STAMP: u64 = 0x636c_6f63_6b5f_7469;

/// Marks a stamp that is a day (month × 32 + day), not a minute of the day.
const DAY: u64 = 1 << 12;

/// The context of the entries of the item a market report's heading quotes first.
const ITEM: u64 = 0x6974_656d_5f71_7574;

/// How many words after its day name the item a market report's heading quotes first
/// ("smr 20").
const ITEM_WORDS: usize = 2;

/// The most stamps a heading keeps.
const MAX_STAMPS: usize = 4;

/// The sessions of a market's day and the words that name them, in lower case (with the
/// wire's "opg" and "clsg").
const SESSIONS: &[&[&str]] = &[
    &["open", "opens", "opened", "opening", "opg"],
    &["early"],
    &["morning", "midmorning"],
    &["midday", "midsession", "noon"],
    &["afternoon"],
    &["late"],
    &["close", "closes", "closed", "closing", "clsg"],
];

/// How many words before its dash and day a market report's heading in lower case has at
/// most ("Kuala lumpur palm oil clsg -april 7").
const HEADING_WORDS: usize = 8;

/// The session a word (lower-cased) names, as a bit of a text's sessions.
pub(super) fn session_bit(lower: &str) -> u8 {
    SESSIONS
        .iter()
        .position(|words| words.contains(&lower))
        .map_or(0, |i| 1 << i)
}

/// Whether a word is written in capitals, every letter of it, and is long enough to be
/// no initial or ticker alone ("CLOSE", not "C").
pub(super) fn shouted(segment: &str) -> bool {
    segment.len() >= 4 && !segment.chars().any(char::is_lowercase)
}

/// The number a run of ASCII digits writes, or none when any byte is no digit.
fn number(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
    })
}

/// The minute of the day a word of a heading stands for: "11:00" or "1100" (hours below
/// 24, minutes below 60), or none.
fn clock_time(word: &[u8]) -> Option<u16> {
    let (h, m) = match *word {
        [a, b':', c, d] => (number(&[a])?, number(&[c, d])?),
        [a, b, c, d] => (number(&[a, b])?, number(&[c, d])?),
        [a, b, b':', c, d] => (number(&[a, b])?, number(&[c, d])?),
        _ => return None,
    };
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Whether a byte is trimmed off a word of a heading ("0900 -", "APR. 7").
fn trimmed(b: &u8) -> bool {
    matches!(b, b'-' | b',' | b'.' | b'(' | b')')
}

/// A word without the bytes [`trimmed`] off its ends (empty when all are).
fn trim(w: &[u8]) -> &[u8] {
    match (
        w.iter().position(|b| !trimmed(b)),
        w.iter().rposition(|b| !trimmed(b)),
    ) {
        (Some(start), Some(end)) => &w[start..=end],
        _ => &[],
    }
}

/// The month a word names, in any case ("APRIL", "april", "Apr").
fn month_of(w: &[u8]) -> Option<usize> {
    if !(3..=9).contains(&w.len()) || !w.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    // Lower-cased in place ("SEPTEMBER" is the longest).
    let mut lower = [0u8; 9];
    lower[..w.len()].copy_from_slice(w);
    lower.make_ascii_lowercase();
    std::str::from_utf8(&lower[..w.len()])
        .ok()
        .and_then(month_index)
}

/// The day a month's name and the word after it write (1 to 31; "MAY 1987" is none), as
/// a stamp.
fn day_stamp(month: usize, w: &[u8]) -> Option<u64> {
    let day = number(w).filter(|d| w.len() <= 2 && (1..=31).contains(d))?;
    Some(DAY | (month as u64 * 32 + u64::from(day)))
}

/// Appends to `out` the entries of what `text`'s heading stamps: its first line, when that
/// line has no letter in lower case, split at spaces, a word's hyphens, commas, full stops
/// and parentheses trimmed ("0900 -", "APR. 7"). A stamp is a clock time ([`clock_time`])
/// or a day: a month's name and a number from 1 to 31 after it ("APRIL 7"; "MAY 1987" is
/// none). A first line with lower case stamps only in the forms market reports stamp with:
/// a clock time, a dash and a day ([`push_dashed`]), or a dash and a day ending a heading in
/// capitals that runs on into its text ([`push_run_on`]).
fn push_stamps(text: &str, out: &mut Vec<Figure>) {
    let line = first_line(text);
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    if line.chars().any(char::is_lowercase) {
        let before = out.len();
        push_dashed(line, out);
        if out.len() == before {
            push_run_on(line, out);
        }
        return;
    }
    let mut month: Option<usize> = None;
    let mut stamps = 0;
    for w in line.as_bytes().split(|b| b.is_ascii_whitespace()) {
        let w = trim(w);
        if w.is_empty() {
            continue;
        }
        let day = month.take().and_then(|m| day_stamp(m, w));
        if let Some(stamp) = day.or_else(|| clock_time(w).map(u64::from)) {
            out.push(entry(STAMP, 0, stamp << 34));
            stamps += 1;
            if stamps == MAX_STAMPS {
                return;
            }
        } else {
            month = month_of(w);
        }
    }
}

/// Appends to `out` the stamps of a first line with lower case: the first clock time
/// followed by a dash and a day ("Malaysian rubber 1300 - april 7", "ZURICH GOLD 1200 -
/// APRIL 7 pool 419.50-422.50"), as in a heading in capitals; a time or a day in a
/// sentence ("at 1100 on April 7") stamps nothing.
fn push_dashed(line: &str, out: &mut Vec<Figure>) {
    if !line.contains('-') {
        return;
    }
    let mut words = line
        .as_bytes()
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    while let Some(w) = words.next() {
        let Some(time) = clock_time(trim(w)) else {
            continue;
        };
        // The dash ends the time's word, stands alone after it or starts the next.
        let mut rest = words.clone();
        let month = match rest.next() {
            next if w.ends_with(b"-") => next,
            Some(b"-") => rest.next(),
            Some(next) if next.starts_with(b"-") => Some(next),
            _ => continue,
        };
        let day = month
            .and_then(|m| month_of(trim(m)))
            .zip(rest.next())
            .and_then(|(m, d)| day_stamp(m, trim(d)));
        if let Some(day) = day {
            out.push(entry(STAMP, 0, u64::from(time) << 34));
            out.push(entry(STAMP, 0, day << 34));
            return;
        }
    }
}

/// Appends to `out` the day a first line with lower case stamps when its words before the
/// first with a lower-case letter, a heading in capitals run on into the text, end with a
/// dash, a month's name and a day ("BANGKOK TAPIOCA - APRIL 7 Thai pellets (62 min
/// starch..."). A dateline puts its dash after the day ("LONDON, APRIL 7 - Shares..."),
/// and a day within a heading's words ("APRIL 7 RATES") is not where it ends: neither
/// stamps.
fn push_run_on(line: &str, out: &mut Vec<Figure>) {
    let heading: Vec<&[u8]> = line
        .as_bytes()
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .take_while(|w| !w.iter().any(u8::is_ascii_lowercase))
        .collect();
    // The heading's last two words, after at least one other.
    let last = heading.len().saturating_sub(2);
    if let Some(stamp) = (last > 0).then(|| dashed_day(&heading, last)).flatten() {
        out.push(entry(STAMP, 0, stamp << 34));
    }
}

/// The day that `words[j]`, a month's name, and the word after it stamp when a dash comes
/// before the month ("- APRIL 7", "-april 7", "TAPIOCA- APRIL 7").
pub(super) fn dashed_day(words: &[&[u8]], j: usize) -> Option<u64> {
    let (month, day) = (words.get(j)?, words.get(j + 1)?);
    let dashed = month.starts_with(b"-") || (j > 0 && words[j - 1].ends_with(b"-"));
    dashed
        .then(|| month_of(trim(month)))
        .flatten()
        .and_then(|m| day_stamp(m, trim(day)))
}

/// Writes a word of a heading into `buf`, lower-cased (its ASCII letters).
fn lower_into(w: &[u8], buf: &mut String) {
    buf.clear();
    buf.extend(w.iter().map(|b| char::from(b.to_ascii_lowercase())));
}

/// A first line with lower case that heads a market report, a dash and a day after its
/// first words ("Kuala lumpur rubber noon call -april 7 smr 20", "BANGKOK TAPIOCA - APRIL 7
/// Thai pellets"): its first words, and the place among them of the day's month, after at
/// most [`HEADING_WORDS`] words. A sentence seldom puts a dash before a day.
struct ReportHeading<'t> {
    words: Vec<&'t [u8]>,
    month: usize,
}

impl<'t> ReportHeading<'t> {
    fn of(text: &'t str) -> Option<Self> {
        let line = first_line(text);
        // (Most first lines have no dash, or no digit for a day: read no further.)
        let dash_and_digit = line.contains('-') && line.bytes().any(|b| b.is_ascii_digit());
        if !dash_and_digit || !line.chars().any(char::is_lowercase) {
            return None;
        }
        let words: Vec<&[u8]> = line
            .as_bytes()
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .take(HEADING_WORDS + 3 + ITEM_WORDS)
            .collect();
        let month = (0..words.len()).find(|&j| dashed_day(&words, j).is_some())?;
        let before = words[..month].iter().filter(|w| **w != b"-").count();
        (before <= HEADING_WORDS).then_some(ReportHeading { words, month })
    }

    /// The sessions its words before the dash name in any case ("noon", "clsg"). Elsewhere
    /// in lower case they are plain words ("the plant closed").
    fn sessions(&self) -> u8 {
        let mut lower = String::new();
        self.words[..self.month].iter().fold(0, |bits, w| {
            lower_into(trim(w), &mut lower);
            bits | session_bit(&lower)
        })
    }

    /// Appends to `out` the entries of the item it quotes first: the words after its day
    /// (at most [`ITEM_WORDS`], up to a parenthesis), in any case ("rss ones", "smr 20",
    /// "thai pellets").
    fn push_item(&self, out: &mut Vec<Figure>) {
        let mut lower = String::new();
        let item = self.words[self.month + 2..]
            .iter()
            .take_while(|w| !w.starts_with(b"("))
            .take(ITEM_WORDS);
        for w in item {
            let w = trim(w);
            if w.is_empty() {
                continue;
            }
            lower_into(w, &mut lower);
            out.push(entry(ITEM, 0, hash_token(&lower)));
        }
    }
}

/// The sessions a first line with lower case names in any case when it heads a market
/// report ([`ReportHeading`]): those of its words before the dash and the day.
#[cfg(test)]
fn lower_case_sessions(text: &str) -> u8 {
    ReportHeading::of(text).map_or(0, |h| h.sessions())
}

/// Appends to `out` the entry of a text's sessions (bits of [`session_bit`], with those a
/// market report's heading in lower case names: [`ReportHeading`]), if any, those of what
/// its heading stamps, and those of the item such a heading quotes first.
pub(super) fn push_sessions(text: &str, sessions: u8, out: &mut Vec<Figure>) {
    let report = ReportHeading::of(text);
    let sessions = sessions | report.as_ref().map_or(0, ReportHeading::sessions);
    if sessions != 0 {
        out.push(entry(SESSION, usize::from(sessions), 0));
    }
    push_stamps(text, out);
    if let Some(report) = report {
        report.push_item(out);
    }
}

/// A text's sessions, from its figures and entries (sorted).
fn sessions_of(s: &[Figure]) -> u8 {
    entries_of(s, SESSION).fold(0, |acc, f| acc | ((f & WIDE) >> 32) as u8)
}

/// Whether two texts (their figures and entries, sorted) each name a session or a stamp
/// the other does not, or quote items apart ([`items_apart`]).
pub(crate) fn sessions_differ(a: &[Figure], b: &[Figure]) -> bool {
    let (x, y) = (sessions_of(a), sessions_of(b));
    // Entries with the same context and place are equal when their times are.
    let lacks = |s: &[Figure], t: &[Figure]| {
        entries_of(s, STAMP).any(|c| !entries_of(t, STAMP).any(|d| d == c))
    };
    ((x & !y != 0 || lacks(a, b)) && (y & !x != 0 || lacks(b, a))) || items_apart(a, b)
}

/// Whether two texts (their figures and entries, sorted) each quote an item first after
/// their market report heading's day, and no word of the one's is the other's: the
/// same report's other grades ("rss ones", "smr 20").
fn items_apart(a: &[Figure], b: &[Figure]) -> bool {
    let mut x = entries_of(a, ITEM).peekable();
    x.peek().is_some()
        && entries_of(b, ITEM).next().is_some()
        && !x.any(|e| entries_of(b, ITEM).any(|f| f == e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::FigureCount;
    use crate::cluster::figure::is_entry;

    fn differ(a: &str, b: &str) -> bool {
        let (a, b) = (
            crate::cluster::names::scanned(a),
            crate::cluster::names::scanned(b),
        );
        let count = FigureCount::of(&a, &b);
        assert_eq!(count.sessions, sessions_differ(&a, &b));
        assert_eq!(count.sessions, count.sessions && count.conflict());
        count.sessions
    }

    /// The stamps of a text's heading, as minutes of the day or [`DAY`] and a day.
    fn stamps(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        push_stamps(text, &mut out);
        out.iter().map(|&f| (f & 0xFFFF_FFFF) >> 2).collect()
    }

    #[test]
    fn clock_times_of_headings_differ() {
        let rates = "- APRIL 7\n  1 month 6-3/8 6-1/2\n  3 months 6-7/16 6-9/16";
        let at = |t: &str| format!("LONDON EURODOLLAR DEPOSITS RATES {t} {rates}");
        assert!(differ(&at("1100"), &at("1230")));
        assert!(differ(&at("1100"), &at("CLOSING")));
        assert!(!differ(&at("1100"), &at("1100")));
        assert!(differ(
            "NY COMEX COPPER 12:00\n MAY 62.10",
            "NY COMEX COPPER 12:30\n MAY 62.10"
        ));
        // A time in a line with lower-case letters is no heading's; a year is no time.
        assert!(!differ(
            "Copper traded at 12:00 in New York.\n MAY 62.10",
            "Copper traded at 12:30 in New York.\n MAY 62.10"
        ));
        assert!(!differ(
            "JAPAN BUDGET FOR 1987\n",
            "JAPAN BUDGET FOR 1988\n"
        ));
        // A heading without its time is silent.
        assert!(!differ(
            &at("1100"),
            &format!("LONDON EURODOLLAR DEPOSITS {rates}")
        ));
        assert_eq!(clock_time(b"0919"), Some(9 * 60 + 19));
        assert_eq!(clock_time(b"9:05"), Some(9 * 60 + 5));
        assert_eq!(clock_time(b"23:59"), Some(23 * 60 + 59));
        assert_eq!(clock_time(b"2460"), None);
        assert_eq!(clock_time(b"12:5"), None);
        assert_eq!(clock_time(b"1,100"), None);
        assert_eq!(clock_time(b"11.00"), None);
        assert_eq!(
            stamps("  N.Y. EURODEPOSITS (1030) - APR. 7\n 1200"),
            [10 * 60 + 30, DAY | (3 * 32 + 7)]
        );
        assert_eq!(stamps("COFFEE MAY 1987 AND MAY 32\n"), [] as [u64; 0]);
        assert_eq!(stamps("BANGKOK RICE 1 - APRIL 8"), [DAY | (3 * 32 + 8)]);
    }

    #[test]
    fn days_of_headings_differ() {
        let prices = "Offered prices in U.S. Dlrs per tonne\n 100 pct 1st class 258 253";
        let on = |day: &str| format!("BANGKOK RICE 1 - {day}\n{prices}");
        assert!(differ(&on("APRIL 7"), &on("APRIL 8")));
        assert!(differ(&on("APR 30"), &on("MAY 1")));
        assert!(!differ(&on("APRIL 7"), &on("APR 7")));
        // A day in lower case, or no day, is silent.
        assert!(!differ(
            &on("APRIL 7"),
            &format!("Bangkok rice April 8\n{prices}")
        ));
        assert!(!differ(
            &on("APRIL 7"),
            &format!("BANGKOK RICE 1\n{prices}")
        ));
    }

    #[test]
    fn a_line_with_lower_case_stamps_a_time_a_dash_and_a_day() {
        let rubber = |time: &str| format!("Malaysian rubber {time}\n quiet ones may 227.50 229.50");
        assert!(differ(&rubber("1300 - april 7"), &rubber("1600 - april 7")));
        assert!(differ(&rubber("1300 - april 7"), &rubber("1300 - april 8")));
        assert!(!differ(&rubber("1300 - april 7"), &rubber("1300 - APR 7")));
        assert!(differ(&rubber("1300- april 7"), &rubber("1600 -april 7")));
        // The body on the heading's line.
        let gold = |time: &str| format!("ZURICH GOLD {time} - APRIL 7 pool 419.50-422.50");
        assert!(differ(&gold("1200"), &gold("1300")));
        assert_eq!(stamps(&gold("1200")), [12 * 60, DAY | (3 * 32 + 7)]);
        // A time or a day in a sentence, or without the dash and the day, stamps nothing.
        for line in [
            "Trading opened at 1100 on April 7 in London.",
            "Malaysian rubber 1300 april 7",
            "Malaysian rubber 1300 - quiet",
            "The 1987 - April 7 filing was late.",
        ] {
            assert!(stamps(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn a_heading_run_on_into_its_text_stamps_the_day_that_ends_it() {
        let tapioca = |day: &str| {
            format!(
                "BANGKOK TAPIOCA - {day} Thai pellets (62 min starch, five pc\nmax fibre) \
                 Apr/Sept 255 sellers, D-marks per tonne CIF Euro ports (prev 255)."
            )
        };
        assert!(differ(&tapioca("APRIL 7"), &tapioca("APRIL 8")));
        assert!(!differ(&tapioca("APRIL 7"), &tapioca("APR 7")));
        assert_eq!(stamps(&tapioca("APRIL 7")), [DAY | (3 * 32 + 7)]);
        assert_eq!(
            stamps("BANGKOK TAPIOCA -APRIL 7 Thai pellets"),
            [DAY | (3 * 32 + 7)]
        );
        // A dateline's day, a day within the heading's words or before more of them, a day
        // without its dash, or a heading without a day stamps nothing.
        for line in [
            "LONDON, APRIL 7 - Share prices rose in early trading.",
            "BANGKOK APRIL 7 TAPIOCA Thai pellets",
            "BANGKOK TAPIOCA - APRIL 7 255 sellers",
            "BANGKOK TAPIOCA APRIL 7 Thai pellets",
            "BANGKOK TAPIOCA - 1987 Thai pellets",
            "Bangkok tapioca - April 7 Thai pellets",
        ] {
            assert!(stamps(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn a_market_report_heading_itself_in_lower_case_names_its_sessions() {
        let quotes = "(in order\nbyr/slr/last trd/sales) may 194.50 196.50 nil jne 195.50";
        let call = |session: &str| format!("Kuala lumpur rubber {session} -april 7 {quotes}");
        assert!(differ(&call("noon call"), &call("clsg")));
        assert!(differ(&call("opg call"), &call("noon call")));
        assert!(!differ(&call("noon call"), &call("noon call")));
        assert!(!differ(&call("noon call"), &call("midday call")));
        assert!(!differ(&call("noon call"), &call("call")));
        assert_eq!(lower_case_sessions(&call("clsg")), session_bit("closing"));
        assert_eq!(
            lower_case_sessions("Beirut gold opg - april 7 uk 1.52"),
            session_bit("open")
        );
        // Session words in a sentence, without a dash and a day after them, or past the
        // heading's first words, are plain words.
        for line in [
            "The plant closed on April 7 after a strike.",
            "The plant closed - for good - on April 7.",
            "Shares in the company that owns the plant we visited closed - april 7 was late.",
        ] {
            assert_eq!(lower_case_sessions(line), 0, "{line}");
        }
    }

    #[test]
    fn a_market_reports_other_grades_of_one_session_differ() {
        let quotes = "(in order\nbyr/slr/last trd/sales) all unquoted";
        let grade = |g: &str| format!("Kuala lumpur rubber opg call - april 8 {g} {quotes}");
        assert!(differ(&grade("rss ones"), &grade("smr 20")));
        assert!(differ(&grade("rss ones"), &grade("smr")));
        // The same grade, in another case, or with a typo in one word of two.
        assert!(!differ(&grade("rss ones"), &grade("rss ones")));
        assert!(!differ(&grade("rss ones"), &grade("RSS Ones")));
        assert!(!differ(&grade("rss ones"), &grade("rss onse")));
        // A heading without its item, or a sentence, quotes none.
        assert!(!differ(&grade("rss ones"), &grade("")));
        assert!(!differ(
            "The plant closed on April 7 after a strike.",
            "The plant closed on April 7 after a fire."
        ));
        assert!(!differ(
            "Shares of the company we visited in the north of the country fell - april 7 smr",
            "Shares of the company we visited in the north of the country fell - april 7 rss"
        ));
        // Where the item runs on after a heading in capitals.
        let tapioca = |item: &str| format!("BANGKOK TAPIOCA - APRIL 7 {item} (62 min starch)");
        assert!(differ(&tapioca("Thai pellets"), &tapioca("hard chips")));
        assert!(!differ(&tapioca("Thai pellets"), &tapioca("Thai chips")));
    }

    const RATES: &str = "- APRIL 7\nUS 0.4920/27 STG 3.2950/80 DMK 0.8955/65\nREUTER";

    #[test]
    fn headings_of_other_sessions_differ() {
        let closing = format!("JOHANNESBURG EXCHS CLOSING {RATES}");
        let opening = format!("JOHANNESBURG EXCHS OPENING {RATES}");
        assert!(differ(&closing, &opening));
        assert!(differ(&opening, &closing));
        assert!(!differ(&closing, &closing));
        let midday = "WHEAT MOSTLY UP AT MIDDAY\n\nWheat traded higher at midsession.";
        let close = "WHEAT CLOSES HIGHER\n\nWheat closed higher.";
        assert!(differ(midday, close));
    }

    #[test]
    fn a_copy_keeps_its_session_and_a_rewrite_may_drop_it() {
        let a = format!("JOHANNESBURG EXCHS CLOSING {RATES}");
        // Re-sent with a longer heading, the session kept.
        assert!(!differ(
            &a,
            &format!("JOHANNESBURG EXCHANGE RATES CLOSING {RATES}")
        ));
        // Rewritten without it.
        assert!(!differ(&a, &format!("Johannesburg exchange rates {RATES}")));
    }

    #[test]
    fn sessions_in_lower_case_and_column_headings_are_no_heading() {
        // Lower case: plain words.
        assert!(!differ(
            "The plant closed after the strike, the union said.",
            "The plant opened after the strike, the union said."
        ));
        // Capitalised only: plain words too.
        assert!(!differ("Close to the border.", "Open to the border."));
        // A table naming both sessions reports neither apart.
        let table = "COFFEE FUTURES\n\nOPEN HIGH LOW CLOSE\nMAY 101.5 102.0 100.9 101.2";
        assert!(!differ(table, "COFFEE FUTURES CLOSE\n\nMAY 101.2"));
        assert!(!differ(table, "COFFEE FUTURES OPENING\n\nMAY 101.5"));
    }

    #[test]
    fn the_entry_keeps_apart() {
        let e = crate::cluster::names::scanned("GOLD CLOSES HIGHER - APRIL 7");
        let sessions: Vec<Figure> = e
            .iter()
            .copied()
            .filter(|&f| is_entry(f, SESSION))
            .collect();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions_of(&e), session_bit("close"));
        assert_eq!(session_bit("closing"), session_bit("closed"));
        assert_ne!(session_bit("noon"), session_bit("close"));
        assert_eq!(session_bit("closer"), 0);
    }
}
