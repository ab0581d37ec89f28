//! Publication day: when each text came out, as one entry among its figures. A copy and
//! its correction, or the cut and the full version of one story, come out within a day or
//! two of each other; a fixed notice filled in anew comes out again a week or a month
//! later. The EC's cereals compensatory amounts "for the week starting March 23", then
//! "April 6"; a fund's monthly payout "Pay March 13 Record March Two", then "Payable July
//! 14 Record July 1"; Chrysler's overtime plans of two weeks. Their texts differ only in
//! those figures, too few for the rules of [`FigureCount`](super::FigureCount) to set them
//! apart within one day's news. So two texts published more than [`REPORT_GAP_DAYS`] apart
//! conflict when one context holds different figures in each (the words before a figure,
//! or the word before and the words after it: Taiwan's central bank "issued 4.96 billion
//! dlrs worth of" certificates one week, "5.65 billion dlrs worth of" ten days on, each
//! sentence worded its own way), or each holds a date the other has nowhere (by day:
//! "April 20, 1987" is "April 20", as a rewrite adds or drops a year; the day before, of
//! and after the text's own publication left out, which its dateline writes, after a lede
//! too), or each holds figures written in digits (not years alone) and none of them is in
//! the other: the Bank of England's forecast of "a shortage ... of around 1.1 billion stg"
//! one day and "1.75 billion stg" another, where a copy keeps at least one figure. A
//! figure only one of them holds is not enough: copies of copies, re-run a week on, each
//! cut other sentences. Texts without a readable date carry no entry, and the rule leaves
//! them alone.
//!
//! The entry is marked [`NAME`] (so it travels where figures go: stage files, Spark) and
//! sorts just before the [direction](super::direction) entry, at the end of the figures,
//! where [`FigureCount`](super::FigureCount) drops it without a copy.

use super::direction::is_direction;
use super::figure::{Figure, NAME, is_entry};

/// The most days apart that a copy and its correction, or a story re-sent, come out: a
/// correction of an earnings table three and a half days on was the latest seen among
/// Reuters' stories (whose notices of another day or week come out four days on or more).
pub const REPORT_GAP_DAYS: i64 = 3;

/// The context of a publication entry: just below the direction entry's.
const PUBLISHED: u64 = u64::MAX - (1 << 40);

/// Days are kept offset by this, so that days before 1970 stay positive.
const DAY_OFFSET: i64 = 1 << 31;

/// The entry of a text published on `day` (days since 1970-01-01, UTC), or none for a
/// day beyond ±5.8 million years.
pub(crate) fn published_entry(day: i64) -> Option<Figure> {
    let shifted = day.checked_add(DAY_OFFSET)?;
    (0..1 << 32)
        .contains(&shifted)
        .then_some(((PUBLISHED >> 40) << 40) | ((shifted as u64) << 2) | NAME)
}

/// Whether a figure is a publication entry.
fn is_published(f: Figure) -> bool {
    is_entry(f, PUBLISHED)
}

/// The figures without a direction entry at their end.
fn without_direction(s: &[Figure]) -> &[Figure] {
    match s.split_last() {
        Some((&last, rest)) if is_direction(last) => rest,
        _ => s,
    }
}

/// The figures without the entries at their end (the direction and the publication day).
pub(super) fn without_entries(s: &[Figure]) -> &[Figure] {
    let s = without_direction(s);
    match s.split_last() {
        Some((&last, rest)) if is_published(last) => rest,
        _ => s,
    }
}

/// The day a text was published (days since 1970-01-01), from its figures (sorted).
pub(super) fn published_day(s: &[Figure]) -> Option<i64> {
    without_direction(s)
        .last()
        .filter(|&&f| is_published(f))
        .map(|&f| ((f & ((1 << 40) - 1)) >> 2) as i64 - DAY_OFFSET)
}

/// Figures (sorted) with the entry of `day` among them, as a sketch holds them.
#[cfg(test)]
pub(super) fn with_day(mut figures: Vec<Figure>, day: i64) -> Vec<Figure> {
    figures.extend(published_entry(day));
    figures.sort_unstable();
    figures
}

/// Whether two texts (their figures, sorted) came out more than [`REPORT_GAP_DAYS`] apart.
#[cfg(test)]
fn published_apart(a: &[Figure], b: &[Figure]) -> bool {
    days_apart(published_day(a), published_day(b))
}

/// Whether two publication days ([`published_day`]) are known and more than
/// [`REPORT_GAP_DAYS`] apart.
pub(super) fn days_apart(a: Option<i64>, b: Option<i64>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x.abs_diff(y) > REPORT_GAP_DAYS as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::figures::FigureCollector;

    #[test]
    fn the_day_is_read_back_after_the_figures_and_the_direction() {
        let mut c = FigureCollector::new();
        for t in [
            "prices", "were", "raised", "and", "raised", "to", "17", "dlrs",
        ] {
            c.push(t);
        }
        let figures = c.finish();
        assert!(is_direction(*figures.last().unwrap()));
        for d in [-719_162, -1, 0, 6_280, 20_000] {
            let s = with_day(figures.clone(), d);
            assert_eq!(published_day(&s), Some(d));
            assert_eq!(without_entries(&s), &figures[..figures.len() - 1]);
        }
        assert_eq!(published_day(&figures), None);
        assert_eq!(published_entry(i64::MAX), None);
        assert_eq!(published_entry(-(1 << 40)), None);
    }

    #[test]
    fn texts_a_week_apart_are_apart_and_a_day_apart_are_not() {
        let a = with_day(vec![], 6_280);
        assert!(published_apart(&a, &with_day(vec![], 6_287)));
        assert!(published_apart(&with_day(vec![], 6_276), &a));
        assert!(!published_apart(&a, &with_day(vec![], 6_283)));
        assert!(!published_apart(&a, &with_day(vec![], 6_277)));
        assert!(!published_apart(&a, &[]));
        assert!(!published_apart(&[], &[]));
    }
}
