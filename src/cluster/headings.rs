//! Headings: what a wire's heading says its text reports. A wire heads each text with a
//! line in capitals ("BELGIUM TO ISSUE 150 BILLION FRANC STATE LOAN"). A re-send keeps
//! that line; a re-send under a new title rewords part of it and keeps what it is about
//! ("HEALTH AND REHABILITATION `<HRP>` INITIAL PAYOUT", four days on "HEALTH AND
//! REHABILITATION `<HRP>` SETS FIRST DIVI"). Two rules read it:
//!
//! - **Other news, days apart.** The later step of a story often reuses the earlier text's
//!   background paragraphs under a heading of its own: Belgium's loan announced, then
//!   "BELGIAN STATE LOAN PRICED AT PAR" twelve days on; PicTel's offering begun ("PICTEL
//!   `<PCTL>` OFFERS UNITS AT SIX DLRS EACH"), then completed a week on ("PICTEL `<PCTL>`
//!   COMPLETES PUBLIC OFFER"); the Italian Treasury's certificate offer, then its result
//!   ("ITALIAN DISCOUNT CERTIFICATE ISSUE UNDERSUBSCRIBED"). The shingles of such texts
//!   read as a copy cut short or padded, and no figure changes in place. Two texts
//!   published days apart ([`REPORT_GAP_DAYS`](super::REPORT_GAP_DAYS)) whose headings
//!   share less than a third of their words report other news. A re-sent heading shares
//!   more (the issuer, its ticker); Reuters' copies days apart keep theirs whole.
//! - **Other periods.** A company's fourth quarter and its year are sent as two texts an
//!   hour apart, the year's figures, word for word, the second half of the quarter's
//!   ("PREFERRED HEALTHCARE LTD `<PHCC>` 4TH QTR NET", "... YEAR DEC 31 NET"). Two texts
//!   whose headings each name a reporting period ([`period_bit`]: a quarter, a half, nine
//!   months, a year) that the other's does not report other periods, on any day.
//! - **Other parts of a market's report.** A market report's heading ends its words with
//!   what the report is, then a dash and the day: its session or its part ("LONDON RUBBER
//!   PHYSICALS OFFICIALS - APR 7", then "... CLOSING - APR 7" with the same prices; "FEDERAL
//!   RESERVE WEEKLY REPORT 1 - FEB 26", then "... REPORT 2 - FEB 26", whose second half
//!   repeats the first's). Two headings whose *parts*, the last words before the dash,
//!   differ and are each missing from the other heading report other parts, on any day. A re-send keeps the
//!   word or words it only adds around it ("N.Y. MONEY OPENING INDICATIONS", "N.Y. MONEY
//!   OPENING"); two sessions' words are left to the sessions' rule (`cluster/sessions.rs`),
//!   which reads "CLOSE" and "CLOSING" as one.
//!
//! A *heading* is a text's first line when it has no letter in lower case and holds at
//! least [`MIN_WORDS`] words (as the names' scan reads them: "U.S", "4,000"), function
//! words ([`function_word`]) and a desk's mark opening it left out, two of
//! them with letters. A heading opening with a desk's mark ("CORRECTED - PEGASUS GOLD INC 4TH QTR
//! NET", which corrects "3RD QTR") is a correction, sent to change what the first said, its
//! heading too: neither rule reads it. Words inside angle brackets (a ticker) count: they
//! name what the text is about.
//!
//! A text keeps one entry for each of its heading's words (at most [`MAX_WORDS`]), one for
//! its periods, one for its part, or one marking a correction, all marked
//! [`NAME`](super::figure::NAME) (so they travel where figures go: index files, stage
//! files, Spark). Outlets' rewrites that drop the heading, or write it in lower case, leave
//! the rules silent.

use std::cmp::Ordering;

use super::figure::{Figure, WIDE, entries_of, entry};
use super::figures::month_index;
use super::sessions::{dashed_day, session_bit};
use super::words::{SLUGS, char_at, first_line, lower_hash, word_len};

/// The context of a heading word's entry.
const HEADING_WORD: u64 = 0x6864_6e67_776f_7264;

/// The context of the entry of a heading's periods.
const PERIODS: u64 = 0x7065_7269_6f64_735f;

/// The context of the entry of the part a market report's heading names.
const PART: u64 = 0x7061_7274_5f6f_6672;

/// The context of the entry of a heading opening with a desk's mark: a correction.
const CORRECTION: u64 = 0x636f_7272_6563_7465;

/// The fewest words (function words and marks left out) of a heading: "BREAKING NEWS -"
/// or "EXCLUSIVE:" opening an outlet's text is a mark, not a heading.
const MIN_WORDS: usize = 3;

/// The most words of a heading kept (a longer first line in capitals is a text written in
/// capitals, whose first words are its heading).
const MAX_WORDS: usize = 24;

/// Headings sharing fewer than one word in this many of those in either report other
/// news.
const SHARE: usize = 3;

/// Whether a word (in capitals) says nothing of what a heading reports.
fn function_word(word: &str) -> bool {
    matches!(
        word,
        "A" | "AN"
            | "AND"
            | "AS"
            | "AT"
            | "BY"
            | "FOR"
            | "FROM"
            | "HAS"
            | "HAVE"
            | "IN"
            | "IS"
            | "IT"
            | "ITS"
            | "OF"
            | "ON"
            | "OR"
            | "THE"
            | "TO"
            | "WITH"
    )
}

/// Words after "YEAR" that make it the period of a report ("YEAR NET", "YEAR DEC 31 NET",
/// "YEAR 1986"), not a word of another sense ("THIS YEAR", "10 YEAR NOTES", "YEAR AGO").
const AFTER_YEAR: &[&str] = &[
    "NET", "LOSS", "LOSSES", "PROFIT", "PROFITS", "OPER", "SHR", "EARNINGS", "RESULTS", "REVS",
    "SALES", "ENDED", "ENDING",
];

/// The quarter or half an ordinal names (1 to 4).
fn ordinal(word: &str) -> Option<u8> {
    Some(match word {
        "1ST" | "FIRST" => 1,
        "2ND" | "SECOND" => 2,
        "3RD" | "THIRD" => 3,
        "4TH" | "FOURTH" => 4,
        _ => return None,
    })
}

/// The reporting period the heading's words from `i` on open with, as a bit: a quarter
/// ("4TH QTR", "FIRST FISCAL QUARTER"), a half ("1ST HALF"; "SIX MTHS" is the first), nine
/// months, a year ("YEAR NET", "FY 1987"); 0 for none. Words are in capitals.
fn period_bit(words: &[&str], i: usize) -> u8 {
    let at = |k: usize| words.get(i + k).copied().unwrap_or("");
    let quarter = |w: &str| matches!(w, "QTR" | "QTRS" | "QUARTER");
    let months = |w: &str| matches!(w, "MTHS" | "MTH" | "MONTHS");
    match (at(0), ordinal(at(0))) {
        (_, Some(n)) if quarter(at(1)) || (at(1) == "FISCAL" && quarter(at(2))) => 1 << (n - 1),
        (_, Some(n @ 1..=2)) if at(1) == "HALF" => 1 << (n + 3),
        ("SIX" | "6", _) if months(at(1)) => 1 << 4,
        ("NINE" | "9", _) if months(at(1)) => 1 << 6,
        ("YEAR" | "YR" | "FY", _) => {
            let next = at(1);
            let year = next.len() == 4
                && (next.starts_with("19") || next.starts_with("20"))
                && next.bytes().all(|b| b.is_ascii_digit());
            let month = month_index(&next.to_ascii_lowercase()).is_some();
            if AFTER_YEAR.contains(&next) || year || month {
                1 << 7
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// Appends to `out` the entries of `text`'s heading (see the module's notes), if it has
/// one.
pub(super) fn push_heading(text: &str, out: &mut Vec<Figure>) {
    let line = first_line(text);
    if line.chars().any(char::is_lowercase) {
        return;
    }
    let mut words = [""; MAX_WORDS];
    let mut len = 0;
    let mut i = 0;
    while i < line.len() && len < MAX_WORDS {
        let c = char_at(line, i);
        if c.is_alphanumeric() {
            let n = word_len(&line[i..]);
            words[len] = &line[i..i + n];
            len += 1;
            i += n;
        } else {
            i += c.len_utf8();
        }
    }
    let words = &words[..len];
    // A desk's mark opens a heading sent again ("CORRECTED -", "(CORRECTED)-", "RPT-").
    if words.first().is_some_and(|w| SLUGS.contains(w)) {
        out.push(entry(CORRECTION, 0, CORRECTION));
        return;
    }
    let mut counted = [0u64; MAX_WORDS];
    let (mut n, mut lettered) = (0, 0);
    let mut lower = String::new();
    for w in words.iter().filter(|w| !function_word(w)) {
        let hash = lower_hash(w, &mut lower);
        if counted[..n].contains(&hash) {
            continue;
        }
        counted[n] = hash;
        n += 1;
        lettered += usize::from(w.chars().any(char::is_alphabetic));
    }
    if n < MIN_WORDS || lettered < 2 {
        return;
    }
    out.extend(counted[..n].iter().map(|&h| entry(HEADING_WORD, 0, h)));
    let periods = (0..words.len()).fold(0u8, |acc, i| acc | period_bit(words, i));
    if periods != 0 {
        out.push(entry(PERIODS, usize::from(periods), 0));
    }
    if let Some(part) = part_of(line) {
        let hash = lower_hash(part, &mut lower);
        let session = session_bit(&lower) != 0;
        out.push(entry(PART, usize::from(session), hash));
    }
}

/// The part a market report's heading names (see the module's notes): the last word before
/// the dash and the day that end its words ("OFFICIALS" in "LONDON RUBBER PHYSICALS
/// OFFICIALS - APR 7", "1" in "... WEEKLY REPORT 1 - FEB 26"), if the heading has at least
/// one word before it.
fn part_of(line: &str) -> Option<&str> {
    // (Most headings have no dash, or no digit for a day: read no further.)
    if !line.contains('-') || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut words: [&[u8]; MAX_WORDS] = [&[]; MAX_WORDS];
    let mut len = 0;
    let split = line.as_bytes().split(u8::is_ascii_whitespace);
    for w in split.filter(|w| !w.is_empty()).take(MAX_WORDS) {
        words[len] = w;
        len += 1;
    }
    let words = &words[..len];
    let month = (1..len).find(|&j| dashed_day(words, j).is_some())?;
    // Where the month's word starts (after white space, so on a character's boundary).
    let start = words[month].as_ptr() as usize - line.as_ptr() as usize;
    let before = &line[..start];
    let (mut part, mut i) = (None, 0);
    while i < before.len() {
        let c = char_at(before, i);
        if c.is_alphanumeric() {
            let n = word_len(&before[i..]);
            part = Some(&before[i..i + n]);
            i += n;
        } else {
            i += c.len_utf8();
        }
    }
    part
}

/// The heading words' entries of a text (its figures and entries, sorted), sorted.
fn heading_words(s: &[Figure]) -> impl Iterator<Item = Figure> + '_ {
    entries_of(s, HEADING_WORD)
}

/// Whether two texts (their figures and entries, sorted) have headings that share fewer
/// than one word in [`SHARE`] of those in either: other news, when they came out days
/// apart. Silent when either has no heading or is a correction.
pub(crate) fn headings_apart(a: &[Figure], b: &[Figure]) -> bool {
    let (mut x, mut y) = (heading_words(a).peekable(), heading_words(b).peekable());
    if x.peek().is_none() || y.peek().is_none() {
        return false;
    }
    // Both sorted: count the words in common and in either by merging.
    let (mut common, mut either) = (0, 0);
    loop {
        let step = match (x.peek(), y.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(p), Some(q)) => p.cmp(q),
        };
        either += 1;
        match step {
            Ordering::Less => {
                x.next();
            }
            Ordering::Greater => {
                y.next();
            }
            Ordering::Equal => {
                common += 1;
                x.next();
                y.next();
            }
        }
    }
    common * SHARE < either
}

/// Whether two texts (their figures and entries, sorted) have headings of a market's report
/// whose parts differ and are each missing from the other's words (a function word, "TO",
/// is no heading word), not both a session's word.
pub(crate) fn parts_differ(a: &[Figure], b: &[Figure]) -> bool {
    let (Some(x), Some(y)) = (entries_of(a, PART).next(), entries_of(b, PART).next()) else {
        return false;
    };
    let session = |f: Figure| f & WIDE != 0;
    // A part's entry holds its word's hash as a heading word's entry does.
    let word = |f: Figure| entry(HEADING_WORD, 0, 0) | (f & 0xFFFF_FFFF);
    let missing = |f: Figure, s: &[Figure]| !heading_words(s).any(|h| h == word(f));
    word(x) != word(y) && !(session(x) && session(y)) && missing(x, b) && missing(y, a)
}

/// A text's periods (bits of [`period_bit`]), from its entries (sorted).
fn periods_of(s: &[Figure]) -> u8 {
    entries_of(s, PERIODS).fold(0, |acc, f| acc | ((f & WIDE) >> 32) as u8)
}

/// Whether two texts (their figures and entries, sorted) have headings that each name a
/// reporting period the other's does not.
pub(crate) fn periods_differ(a: &[Figure], b: &[Figure]) -> bool {
    let (x, y) = (periods_of(a), periods_of(b));
    x & !y != 0 && y & !x != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<Figure> {
        let mut out = Vec::new();
        push_heading(text, &mut out);
        out.sort_unstable();
        out
    }

    fn apart(a: &str, b: &str) -> bool {
        let (x, y) = (entries(a), entries(b));
        assert_eq!(headings_apart(&x, &y), headings_apart(&y, &x));
        headings_apart(&x, &y)
    }

    fn periods(a: &str, b: &str) -> bool {
        periods_differ(&entries(a), &entries(b))
    }

    const LOAN: &str = "NORVANIA TO ISSUE 150 BILLION CROWN STATE LOAN\n\nNorvania is to \
        issue a 150 billion crown, eight-year state loan, a Finance Ministry spokesman said.";

    #[test]
    fn headings_of_other_news_are_apart() {
        let priced = "NORVANIAN STATE LOAN PRICED AT PAR\n\nThe Norvanian government's new \
            150 billion crown loan has been priced at par.";
        assert!(apart(LOAN, priced));
        assert!(apart(
            "VIDTEK <VDTK> OFFERS UNITS AT SIX DLRS EACH\n\nVidtek Corp said it began.",
            "VIDTEK <VDTK> COMPLETES PUBLIC OFFER\n\nVidtek Corp said it completed."
        ));
        // A re-send keeps its heading; a new title keeps what it is about.
        assert!(!apart(LOAN, LOAN));
        assert!(!apart(
            "CARE AND RECOVERY <CRT> INITIAL PAYOUT\n\nCare and Recovery Trust.",
            "CARE AND RECOVERY <CRT> SETS FIRST DIVI\n\nCare and Recovery Trust."
        ));
        assert!(!apart(
            "EAST RIVER RESOURCES <ERR> TO OFFER SHARES\n\nEast River Resources.",
            "EAST RIVER RESOURCES <ERR> SHARES OFFERED\n\nEast River Resources."
        ));
    }

    #[test]
    fn only_a_heading_in_capitals_of_three_words_is_read() {
        let body = "Norvania is to issue a 150 billion crown loan.";
        // A first line in lower case, a mark, a line of numbers: no heading.
        for text in [
            body.to_string(),
            format!("Belgium to issue loan\n\n{body}"),
            format!("BREAKING NEWS -\n{body}"),
            format!("EXCLUSIVE:\n{body}"),
            format!("1,300 2,400 3,000 4.5\n{body}"),
            format!("TO THE OF 150\n{body}"),
        ] {
            assert!(entries(&text).is_empty(), "{text}");
            assert!(!apart(&text, LOAN), "{text}");
        }
        assert_eq!(entries(LOAN).len(), 7);
        // Words are counted once; the ticker counts.
        assert_eq!(entries("LOAN LOAN STATE <BEL> STATE\nx").len(), 3);
    }

    #[test]
    fn a_correction_is_read_by_neither_rule() {
        let first = "ORION GOLD INC <ORGD> 3RD QTR DEC 31 NET\n\nShr profit 20 cts";
        let corrected = "CORRECTED - ORION GOLD INC<ORGD> 4TH QTR NET\n\nShr profit 20 cts";
        assert!(periods(first, &first.replace("3RD", "4TH")));
        assert!(!periods(first, corrected));
        let e = entries(corrected);
        assert_eq!(e.len(), 1);
        assert!(!apart(corrected, "OTHER NEWS ENTIRELY HERE\n\nx"));
    }

    #[test]
    fn other_news_conflicts_only_days_apart_and_other_periods_any_day() {
        use crate::cluster::FigureCount;
        use crate::cluster::published::published_entry;
        // Read as pairs reads them: the names' scan, the figures and the day.
        let dated = |text: &str, day: i64| {
            let mut e = crate::cluster::names::scanned(text);
            e.extend(published_entry(day));
            e.sort_unstable();
            e
        };
        let body = "\n\nThe loan carries a coupon of eight pct, a Finance Ministry spokesman \
            said. Some 120 billion francs will be taken up by the consortium.";
        let (announced, priced) = (
            format!("NORVANIA TO ISSUE STATE LOAN{body}"),
            format!("NORVANIAN LOAN PRICED AT PAR{body}"),
        );
        let c = FigureCount::of(&dated(&announced, 17_000), &dated(&priced, 17_012));
        assert!(c.headings && c.conflict(), "{c:?}");
        // The same day: a re-send under a new title, kept with its story.
        let c = FigureCount::of(&dated(&announced, 17_000), &dated(&priced, 17_001));
        assert!(!c.headings && !c.conflict(), "{c:?}");
        // The same heading re-sent days apart.
        let c = FigureCount::of(&dated(&announced, 17_000), &dated(&announced, 17_012));
        assert!(!c.conflict(), "{c:?}");
        // Other periods, within the hour.
        let table = "\n\nShr 24 cts vs 15 cts\n    Net 1,520,797 vs 929,017";
        let c = FigureCount::of(
            &dated(&format!("ACME CORP <ACM> 4TH QTR NET{table}"), 17_000),
            &dated(&format!("ACME CORP <ACM> YEAR NET{table}"), 17_000),
        );
        assert!(c.periods && c.conflict(), "{c:?}");
    }

    #[test]
    fn other_parts_of_a_markets_report_differ() {
        let parts = |a: &str, b: &str| {
            let (x, y) = (entries(a), entries(b));
            assert_eq!(parts_differ(&x, &y), parts_differ(&y, &x));
            parts_differ(&x, &y)
        };
        let prices = "\n pence per kilo\n No.1 RSS\n SPOT 60.00 61.00\n May 61.50 62.50";
        let at = |part: &str| format!("LONDON RUBBER PHYSICALS {part} - APR 7{prices}");
        assert!(parts(&at("OFFICIALS"), &at("CLOSING")));
        assert!(parts(
            "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\nx",
            "FEDERAL RESERVE WEEKLY REPORT 2 -FEB 26\nx"
        ));
        assert_eq!(
            part_of("FEDERAL RESERVE WEEKLY REPORT 1- FEB 26"),
            Some("1")
        );
        // The same part; a word only added around it; two sessions' words (the sessions'
        // rule reads "CLOSE" and "CLOSING" as one).
        assert!(!parts(&at("OFFICIALS"), &at("OFFICIALS")));
        assert!(!parts(
            "N.Y. MONEY OPENING INDICATIONS - APR 7\nx",
            "N.Y. MONEY OPENING - APR 7\nx"
        ));
        assert!(!parts(&at("CLOSE"), &at("CLOSING")));
        assert!(!parts(
            "LONDON RUBBER PHYSICALS UP TO - APR 7\nx",
            "LONDON RUBBER PHYSICALS DOWN TO - APR 7\nx"
        ));
        // A heading without a dash and a day, or a dateline's, names no part.
        for other in [
            "LONDON RUBBER PHYSICALS CLOSING APR 7\nx",
            "LONDON RUBBER PHYSICALS CLOSING - HIGHER\nx",
            "LONDON, APRIL 7 - RUBBER PHYSICALS CLOSED\nx",
            "OSLO, Nov 13 (Union Dispatch) - APRIL 7 Offered prices\nx",
            "- APR 7 LONDON RUBBER PHYSICALS\nx",
        ] {
            assert!(!parts(&at("OFFICIALS"), other), "{other}");
        }
        // Read as pairs reads them: set apart on any day.
        use crate::cluster::FigureCount;
        let scanned = crate::cluster::names::scanned;
        let c = FigureCount::of(&scanned(&at("OFFICIALS")), &scanned(&at("CLOSING")));
        assert!(c.parts && c.conflict(), "{c:?}");
        let c = FigureCount::of(&scanned(&at("OFFICIALS")), &scanned(&at("OFFICIALS")));
        assert!(!c.parts && !c.conflict(), "{c:?}");
    }

    #[test]
    fn headings_of_other_periods_differ() {
        let quarter = "ACME HEALTHCARE LTD <ACHC> 4TH QTR NET\n\nShr six cts vs four cts";
        let year = "ACME HEALTH CARE LTD <ACHC> YEAR DEC 31 NET\n\nShr 24 cts vs 15 cts";
        assert!(periods(quarter, year));
        assert!(!periods(quarter, quarter));
        assert!(periods(
            "ACME CORP 1ST HALF NET\nx",
            "ACME CORP NINE MTHS NET\nx"
        ));
        assert!(!periods(
            "ACME CORP 1ST HALF NET\nx",
            "ACME CORP SIX MTHS NET\nx"
        ));
        assert!(!periods(
            "ACME CORP FIRST FISCAL QUARTER NET\nx",
            "ACME CORP 1ST QTR NET\nx"
        ));
        // A heading naming both the quarter and the year reports neither apart.
        assert!(!periods("ACME CORP 4TH QTR, YR NET\nx", year));
        // A year in another sense, or no period, is silent.
        for other in [
            "ANALYSTS SEE GOLD FIRMING LATER THIS YEAR\nx",
            "ACME SELLS 10-YEAR SENIOR SUBORDINATED NOTES\nx",
            "ACME SALES UP FROM YEAR AGO\nx",
            "ACME CORP RESULTS\nx",
            "Acme Corp 4th qtr net\nx",
        ] {
            assert!(!periods(quarter, other), "{other}");
        }
        assert!(periods(quarter, "ACME CORP FY 1987 NET\nx"));
        assert!(periods(quarter, "ACME CORP YEAR MARCH 31 NET\nx"));
        assert!(periods(quarter, "ACME CORP 3RD QTR NET\nx"));
    }
}
