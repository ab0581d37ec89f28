//! Publication dates: the instant a date as written stands for, for date windows and "who
//! published first".
//!
//! Dates are read with [jiff](https://docs.rs/jiff) in the forms archives and feeds use:
//! ISO 8601 / RFC 3339 with or without a time and a zone (`2024-06-01`,
//! `2024-06-01 10:30`, `2024-06-01T10:30:00+02:00`), RFC 2822 as in RSS
//! (`Sat, 01 Jun 2024 10:30:00 GMT`), epoch seconds or milliseconds (as pandas writes them),
//! Reuters' `26-FEB-1987 15:01:01.79`, and written-out days (`14 June 2013`,
//! `June 14, 2013`, `14 Jun 2013`), also when a scraper left words after them
//! (`14 July 2013 Last updated at 12:30 GMT`) or before them (`Published May 12, 2013`).
//! A time of day is kept; a zone or offset, where given, places the instant; without one
//! the date and time are read as UTC. Forms that are ambiguous (`06/04/2013`) are not read.

use jiff::fmt::strtime::BrokenDownTime;
use jiff::{Timestamp, civil};

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// Values that stand for "no date" (as Python, pandas and spreadsheets write it).
const MISSING: &[&str] = &["none", "null", "nan", "nat", "n/a", "na", "-", "undated"];

/// Years a written-out date may have (a scraped `Jul 7 5:59` is not the year 5).
const YEARS: std::ops::RangeInclusive<i16> = 1800..=2200;

/// Written-out forms, tried as prefixes of the date (a time of day where the form has one).
const FORMATS: &[&str] = &[
    "%d-%b-%Y %H:%M:%S%.f",
    "%d-%b-%Y",
    "%d %B %Y %H:%M",
    "%d %B %Y",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y %H:%M",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
];

/// The instant a date as written stands for, in milliseconds since 1970-01-01T00:00:00Z;
/// `None` if it is in none of the forms this module reads (see the module's notes).
pub fn parse_date(date: &str) -> Option<i64> {
    let s = date.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(ms) = epoch(s) {
        return Some(ms);
    }
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t.as_millisecond());
    }
    if let Ok(dt) = s.parse::<civil::DateTime>() {
        return utc_ms(dt);
    }
    if let Ok(t) = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(s) {
        return Some(t.as_millisecond());
    }
    if let Some(ms) = year_month(s) {
        return Some(ms);
    }
    scan(s)
}

/// Looks for a written-out date at each word of a scraped string (`Posted : June 13th,
/// 2013 4 : 59 PM EDT`, `WASHINGTON, DC, April 28, 2009`), after spacing around `:`, `-`
/// and `/` is closed up, ordinal suffixes dropped and abbreviations' periods removed.
fn scan(s: &str) -> Option<i64> {
    let cut = s.char_indices().nth(240).map_or(s.len(), |(i, _)| i);
    let clean = tidy(&s[..cut]);
    let mut rest = clean.as_str();
    loop {
        if let Some(ms) = written_out(rest) {
            return Some(ms);
        }
        let next = rest.find([' ', ',', '[', '(', ':'])?;
        rest = rest[next + 1..].trim_start_matches([' ', ',', '[', '(', ':']);
    }
}

/// `s` with runs of spaces made one, ` : `/` - `/` / ` closed up, `3rd` made `3` and
/// `Nov.` made `Nov`.
fn tidy(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = String::with_capacity(s.len());
    for (i, w) in words.iter().enumerate() {
        // `4 : 59` and `2012 - 04 - 04` close up; `Published : June` does not.
        let glued = |j: usize| {
            matches!(words[j], ":" | "-" | "/")
                && j > 0
                && words[j - 1].ends_with(|c: char| c.is_ascii_digit())
                && words
                    .get(j + 1)
                    .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        };
        if i > 0 && !glued(i) && !glued(i - 1) {
            out.push(' ');
        }
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ',');
        let suffix = &w[digits.len()..];
        let ordinal = ["st", "nd", "rd", "th"]
            .iter()
            .any(|o| suffix.trim_end_matches(',').eq_ignore_ascii_case(o));
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && ordinal {
            out.push_str(digits);
            if suffix.ends_with(',') {
                out.push(',');
            }
        } else if w.len() > 1
            && w.ends_with('.')
            && w[..w.len() - 1].bytes().all(|b| b.is_ascii_alphabetic())
        {
            out.push_str(&w[..w.len() - 1]);
        } else {
            out.push_str(w);
        }
    }
    out
}

/// Whether `date` is a placeholder for "no date" (`None`, `NaN`, `null`, `-`, ...).
pub fn is_missing_date(date: &str) -> bool {
    let d = date.trim();
    d.is_empty() || MISSING.iter().any(|m| d.eq_ignore_ascii_case(m))
}

/// The day (days since 1970-01-01, UTC) of an instant from [`parse_date`].
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// The day ([`day_number`]) of a date given with a question (a query's, a comparison's):
/// `Ok(None)` when none is given or it stands for none ([`is_missing_date`]), an error
/// saying so when it cannot be read (an unread date would silently decide as undated).
pub fn given_day(date: Option<&str>) -> std::result::Result<Option<i64>, String> {
    match date.filter(|d| !is_missing_date(d)) {
        Some(d) => day_number(d)
            .map(Some)
            .ok_or_else(|| format!("cannot read the date {d:?}")),
        None => Ok(None),
    }
}

/// Days since 1970-01-01 (UTC) of a date in any form [`parse_date`] reads.
pub fn day_number(date: &str) -> Option<i64> {
    parse_date(date).map(day_of)
}

/// Epoch seconds or milliseconds: a number whose size tells which (beyond 10^11, about the
/// year 5138 in seconds, it is milliseconds).
fn epoch(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty()
        || int.len() > 15
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let value: f64 = s.parse().ok()?;
    let ms = if value.abs() >= 1e11 {
        value
    } else {
        value * 1000.0
    };
    let ms = ms.round() as i64;
    // Keep to what a calendar can show (jiff's range).
    Timestamp::from_millisecond(ms).ok()?;
    Some(ms)
}

/// ISO 8601's reduced form `YYYY-MM`: the first of the month.
fn year_month(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 7
        || b[4] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
    {
        return None;
    }
    let date = civil::Date::new(s[..4].parse().ok()?, s[5..].parse().ok()?, 1).ok()?;
    utc_ms(date.to_datetime(civil::Time::midnight()))
}

fn utc_ms(dt: civil::DateTime) -> Option<i64> {
    jiff::tz::Offset::UTC
        .to_timestamp(dt)
        .ok()
        .map(|t| t.as_millisecond())
}

/// A written-out form at the start of `s`, followed by nothing or by a non-alphanumeric
/// character (so `2024-06-01x` or `14 June 20130` are not read).
fn written_out(s: &str) -> Option<i64> {
    FORMATS.iter().find_map(|f| {
        let (tm, used) = BrokenDownTime::parse_prefix(f, s).ok()?;
        let next = s[used..].chars().next();
        if next.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let dt = match tm.to_datetime() {
            Ok(dt) => dt,
            Err(_) => tm.to_date().ok()?.to_datetime(civil::Time::midnight()),
        };
        if !YEARS.contains(&dt.year()) {
            return None;
        }
        utc_ms(dt)
    })
}

/// The order of publication of document `doc`: its instant (undated last), then input
/// order. "Who published first" is the smallest key.
pub fn publication_key(meta: &super::DocMeta, doc: u32) -> (i64, u32) {
    (meta.published.unwrap_or(i64::MAX), doc)
}

/// The first published of `members` (document numbers into `docs`), by
/// [`publication_key`]; `None` when there are none.
pub fn first_published(
    docs: &[super::DocMeta],
    members: impl IntoIterator<Item = u32>,
) -> Option<u32> {
    members
        .into_iter()
        .min_by_key(|&d| publication_key(&docs[d as usize], d))
}

/// How a listing shows a document's date: the day it stands for, `YYYY-MM-DD`, when it can
/// be read (`26-FEB-1987 15:01:01.79` is `1987-02-26`, so listed dates line up and sort as
/// days do), the day as written in its own zone ([`shown_day`]); as written when it cannot
/// be read; `None` when the document is undated.
pub fn shown_date(meta: &super::DocMeta) -> Option<std::borrow::Cow<'_, str>> {
    match shown_day(meta) {
        Some(day) => Some(day.into()),
        None => meta.date.as_deref().map(Into::into),
    }
}

/// The day a readable date stands for, `YYYY-MM-DD`, as its writer's calendar shows it:
/// in the date's own zone or offset where it gives one (`2024-06-01T23:30:00-05:00` and
/// `Sat, 01 Jun 2024 22:30:00 -0400` are June 1, though June 2 in UTC), else in UTC (epoch
/// numbers, dates without a zone). `None` when the date cannot be read.
pub fn shown_day(meta: &super::DocMeta) -> Option<String> {
    let ms = meta.published?;
    Some(
        meta.date
            .as_deref()
            .and_then(written_day)
            .map_or_else(|| iso_day(ms), |d| d.strftime("%Y-%m-%d").to_string()),
    )
}

/// The calendar day of a date with a time and a zone or offset, as written (not moved to
/// UTC); `None` for other forms, whose day is the UTC day of their instant.
fn written_day(date: &str) -> Option<civil::Date> {
    let s = date.trim();
    if epoch(s).is_some() {
        return None;
    }
    if let Ok(pieces) = jiff::fmt::temporal::DateTimeParser::new().parse_pieces(s) {
        return Some(pieces.date());
    }
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_zoned_datetime(s)
        .ok()
        .map(|z| z.date())
}

/// The day of an instant from [`parse_date`], as `YYYY-MM-DD` (UTC).
pub fn iso_day(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%d").to_string(),
        // Out of a calendar's range (never from `parse_date`): the day number.
        Err(_) => day_of(ms).to_string(),
    }
}

/// The earliest and the latest published of `metas`, by their instants (ties by the order
/// given); `None` when none has a date that can be read. A span of dates as written would
/// sort `2-MAR-1987` before `26-FEB-1987`.
pub fn dated_span<'a>(
    metas: impl IntoIterator<Item = &'a super::DocMeta>,
) -> Option<(&'a super::DocMeta, &'a super::DocMeta)> {
    let mut dated = metas.into_iter().filter(|m| m.published.is_some());
    let first = dated.next()?;
    Some(dated.fold((first, first), |(lo, hi), m| {
        (
            if m.published < lo.published { m } else { lo },
            if m.published > hi.published { m } else { hi },
        )
    }))
}

/// The documents of one input whose dates could not be read (they count as undated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnreadableDates {
    /// The input's number (as in [`DocMeta::input`](super::DocMeta::input)).
    pub input: u32,
    /// How many documents of that input.
    pub count: usize,
    /// The first of them (a document number).
    pub first: u32,
}

/// Per input, in input order, the documents whose dates could not be read.
pub fn unreadable_dates(docs: &[super::DocMeta]) -> Vec<UnreadableDates> {
    let mut out: Vec<UnreadableDates> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if !d.date_unreadable() {
            continue;
        }
        match out.last_mut() {
            Some(u) if u.input == d.input => u.count += 1,
            _ => out.push(UnreadableDates {
                input: d.input,
                count: 1,
                first: i as u32,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn listings_show_the_day_and_spans_go_by_the_instant() {
        let meta = |date: &str| {
            let mut d = crate::corpus::DocMeta::of(&crate::corpus::Document::new("x", "t"), 0);
            d.date = Some(date.into());
            d.published = parse_date(date);
            d
        };
        let docs = [
            meta("2-MAR-1987 11:59:53.24"),
            meta("garbage"),
            meta("26-FEB-1987 15:01:01.79"),
            meta("1987-03-02T09:00:00Z"),
        ];
        assert_eq!(shown_date(&docs[0]).as_deref(), Some("1987-03-02"));
        assert_eq!(shown_date(&docs[1]).as_deref(), Some("garbage"));
        assert_eq!(shown_date(&docs[2]).as_deref(), Some("1987-02-26"));
        let undated = crate::corpus::DocMeta::of(&crate::corpus::Document::new("y", "t"), 0);
        assert_eq!(shown_date(&undated), None);
        // As written, "2-MAR" sorts before "26-FEB"; by the instant it is the latest.
        let (lo, hi) = dated_span(&docs).unwrap();
        assert_eq!(lo.date.as_deref(), Some("26-FEB-1987 15:01:01.79"));
        assert_eq!(hi.date.as_deref(), Some("2-MAR-1987 11:59:53.24"));
        assert!(dated_span(&docs[1..2]).is_none());
        assert_eq!(iso_day(0), "1970-01-01");
        assert_eq!(iso_day(-1), "1969-12-31");
        // A date with a zone shows the day its writer's calendar shows (June 2 in UTC).
        for date in [
            "2024-06-01T23:30:00-05:00",
            "Sat, 01 Jun 2024 22:30:00 -0400",
            "2024-06-01T23:30:00-05:00[America/Chicago]",
            "2024-06-01T23:30:00Z",
            "1 June 2024",
        ] {
            assert_eq!(
                shown_date(&meta(date)).as_deref(),
                Some("2024-06-01"),
                "{date}"
            );
        }
        let late = meta("2024-06-01T23:30:00-05:00");
        assert_eq!(late.published.map(iso_day).as_deref(), Some("2024-06-02"));
        // Epoch seconds are UTC's day.
        assert_eq!(
            shown_date(&meta("1717286400")).as_deref(),
            Some("2024-06-02")
        );
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024-06-01T10:00:00Z"), Some(19_875));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("2023-02-29"), None);
        assert_eq!(day_number("2024-13-01"), None);
        assert_eq!(day_number("June 1, 2024"), Some(19_875));
    }

    #[test]
    fn the_forms_archives_and_feeds_use() {
        let cases = [
            ("2024-06-01", "2024-06-01T00:00:00Z"),
            ("2024-06-01 10:30", "2024-06-01T10:30:00Z"),
            ("2024-06-01T10:30:00", "2024-06-01T10:30:00Z"),
            ("2024-06-01T10:30:00+02:00", "2024-06-01T08:30:00Z"),
            ("2024-06-01T10:30:00.250Z", "2024-06-01T10:30:00.25Z"),
            ("Sat, 01 Jun 2024 10:30:00 GMT", "2024-06-01T10:30:00Z"),
            ("Sat, 01 Jun 2024 10:30:00 -0500", "2024-06-01T15:30:00Z"),
            ("1717237800", "2024-06-01T10:30:00Z"),
            ("1717237800000", "2024-06-01T10:30:00Z"),
            ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.79Z"),
            (
                "5-MAR-1987  15:01:01.79&#9;&#9;&#9;F",
                "1987-03-05T15:01:01.79Z",
            ),
            ("14 June 2013", "2013-06-14T00:00:00Z"),
            ("14 Jun 2013", "2013-06-14T00:00:00Z"),
            ("June 14, 2013", "2013-06-14T00:00:00Z"),
            (
                "14 July 2013 Last updated at 12 : 30 GMT",
                "2013-07-14T00:00:00Z",
            ),
            ("Published May 12, 2013", "2013-05-12T00:00:00Z"),
            (
                "First Published : June 13th, 2013 4 : 59 PM EDT",
                "2013-06-13T16:59:00Z",
            ),
            ("WASHINGTON, DC, April 28, 2009", "2009-04-28T00:00:00Z"),
            ("Posted 2007 - 11 - 12", "2007-11-12T00:00:00Z"),
            ("Fri., May. 3, 2013 11 : 45 AM PDT", "2013-05-03T11:45:00Z"),
            (
                "published : 2012 - 04 - 04 11 : 47 : 35",
                "2012-04-04T11:47:35Z",
            ),
            ("2013/05/12", "2013-05-12T00:00:00Z"),
            ("2024-02", "2024-02-01T00:00:00Z"),
        ];
        for (written, instant) in cases {
            assert_eq!(parse_date(written), Some(at(instant)), "{written}");
        }
    }

    #[test]
    fn what_is_not_a_date() {
        for s in [
            "",
            "yesterday",
            "06 / 04 / 2013",
            "2024-06-01x",
            "14 June 20130",
            "2024-02-30",
            "2024-13",
            "Friday",
            "12:30",
            "99999999999999999999",
            "Jul. 7 5 : 59 PM EDT",
            "She was 91.",
            "In 2008, Klitschko stopped Thompson in the 11th round.",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        for s in ["None", "nan", " NaT ", "null", "", "-"] {
            assert!(is_missing_date(s), "{s}");
        }
        assert!(!is_missing_date("2024-06-01"));
    }

    #[test]
    fn first_published_orders_by_instant_then_input() {
        let meta = |date: &str| {
            let mut d = super::super::Document::new("x", "t");
            d.date = Some(date.into());
            super::super::DocMeta::of(&d, 0)
        };
        let docs = [
            meta("2024-06-01T12:00:00+00:00"),
            meta("2024-06-01T10:00:00-03:00"), // 13:00 UTC: later
            meta("Sat, 01 Jun 2024 11:00:00 +0000"),
            meta("no date"),
        ];
        assert_eq!(first_published(&docs, [0, 1, 2, 3]), Some(2));
        assert_eq!(first_published(&docs, [0, 1]), Some(0));
        assert_eq!(first_published(&docs, [3, 1]), Some(1));
        assert_eq!(first_published(&docs, []), None);
        assert_eq!(
            unreadable_dates(&docs),
            [UnreadableDates {
                input: 0,
                count: 1,
                first: 3
            }]
        );
    }
}
