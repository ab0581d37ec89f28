//! Months: a notice filled in anew a month or more on can differ only in a month written
//! alone, with no day ("bought 5,000 tonnes of Canadian rapeseed overnight ... for April
//! shipment", five weeks later "for May shipment"). The figures leave such a month out: a
//! month name with no number is a word to them, since the analyser's tokens are
//! case-folded and "may" is mostly a verb. Read on the text as written, a capitalised month
//! name that does not start a sentence and stands next to no number is a month.
//!
//! Each such month keeps an entry of the words around it (the word before and the word
//! after, lower-cased; a sentence's end when it ends one) with the month's number. Two
//! texts published days apart (`cluster/published.rs`) whose months differ in the same
//! words, neither holding the other's month there, report other months: the notices of
//! two dates, not a copy and its source (a copy keeps its months; a rewrite changes the
//! words around one, which leaves the rule silent).

use super::figure::{Figure, WIDE, entries_of, entry};
use crate::shingle::{combine_token_hashes, hash_token};

/// The context of the months' entries.
const MONTH: u64 = 0x6d6f_6e74_6873_5f61;

/// Stands for a sentence's end after a month.
const END: u64 = 0x656e_645f_6f66_5f73;

/// A word's place in the text: (byte, length).
type Span = (usize, usize);

/// Reads the months written alone in one text, word by word, as
/// [`NameCollector`](super::names::NameCollector) scans it: words are kept as their place in the
/// text, and only those around a month are hashed, at the end.
#[derive(Debug, Default)]
pub(super) struct MonthReader {
    /// The last word read, and whether it is a number.
    last: Option<(Span, bool)>,
    /// A month waiting for the word after it: (the word before, its number 1-12).
    pending: Option<(Span, u8)>,
    /// (word before, word after or none at a sentence's end, month number).
    months: Vec<(Span, Option<Span>, u8)>,
}

impl MonthReader {
    /// Starts a new text.
    pub(super) fn clear(&mut self) {
        self.last = None;
        self.pending = None;
        self.months.clear();
    }

    /// A word at byte `at` of the text, `len` bytes long; whether it is a `number`; and for
    /// a capitalised month name that does not start a sentence, the month's number (1-12).
    #[inline]
    pub(super) fn word(&mut self, at: usize, len: usize, number: bool, month: Option<u8>) {
        if let Some((before, m)) = self.pending.take()
            && !number
        {
            self.months.push((before, Some((at, len)), m));
        }
        if let Some(m) = month
            && let Some((before, false)) = self.last
        {
            self.pending = Some((before, m));
        }
        self.last = Some(((at, len), number));
    }

    /// A sentence's or a paragraph's end.
    pub(super) fn stop(&mut self) {
        if let Some((before, m)) = self.pending.take() {
            self.months.push((before, None, m));
        }
        self.last = None;
    }

    /// Appends to `out` the entries of the months of `text`.
    pub(super) fn finish(&mut self, text: &str, out: &mut Vec<Figure>) {
        self.stop();
        let word = |(at, len): Span| hash_token(&text[at..at + len].to_lowercase());
        for &(before, after, m) in &self.months {
            let around = combine_token_hashes(&[word(before), after.map_or(END, word)]);
            out.push(entry(MONTH, usize::from(m), around));
        }
    }
}

/// Whether two texts (their figures and entries, sorted) hold other months written alone
/// in the same words, neither holding the other's there.
pub(crate) fn months_differ(a: &[Figure], b: &[Figure]) -> bool {
    let of = |s: &[Figure]| -> Vec<(u64, u64)> {
        let mut v: Vec<(u64, u64)> = entries_of(s, MONTH)
            .map(|f| (f & 0xFFFF_FFFF, f & WIDE))
            .collect();
        v.sort_unstable();
        v
    };
    let (ma, mb) = (of(a), of(b));
    if ma.is_empty() || mb.is_empty() {
        return false;
    }
    let holds = |s: &[(u64, u64)], x: (u64, u64)| s.binary_search(&x).is_ok();
    ma.iter().any(|&(around, m)| {
        !holds(&mb, (around, m))
            && mb
                .iter()
                .any(|&(o, n)| o == around && n != m && !holds(&ma, (o, n)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::figure::is_entry;

    fn entries(text: &str) -> Vec<Figure> {
        crate::cluster::names::scanned(text)
    }

    fn differ(a: &str, b: &str) -> bool {
        months_differ(&entries(a), &entries(b))
    }

    const BOUGHT: &str = "TRADERS BUY WHEAT\n\nMillers bought 5,000 tonnes of wheat for";

    #[test]
    fn other_months_in_the_same_words_differ() {
        let a = format!("{BOUGHT} April shipment, traders said.");
        let b = format!("{BOUGHT} May shipment, traders said.");
        assert!(differ(&a, &b));
        assert!(!differ(&a, &a));
        // At a sentence's end too.
        assert!(differ(
            &format!("{BOUGHT} shipment in April."),
            &format!("{BOUGHT} shipment in June.")
        ));
    }

    #[test]
    fn other_months_conflict_only_days_apart() {
        use crate::cluster::FigureCount;
        use crate::cluster::published::published_entry;
        let dated = |text: &str, day: i64| {
            let mut e = entries(text);
            e.extend(published_entry(day));
            e.sort_unstable();
            e
        };
        let a = format!("{BOUGHT} April shipment, traders said.");
        let b = format!("{BOUGHT} May shipment, traders said.");
        // Five weeks apart: two purchases.
        let c = FigureCount::of(&dated(&a, 17_000), &dated(&b, 17_037));
        assert!(c.months && c.conflict(), "{c:?}");
        // The same day: a correction of the month, kept with its story.
        let c = FigureCount::of(&dated(&a, 17_000), &dated(&b, 17_000));
        assert!(!c.months && !c.conflict(), "{c:?}");
    }

    #[test]
    fn dates_verbs_and_reworded_months_are_left_alone() {
        let a = format!("{BOUGHT} April shipment, traders said.");
        // Reworded around the month: other words, no conflict.
        assert!(!differ(
            &a,
            &format!("{BOUGHT} shipment in May, traders said.")
        ));
        // A month with a day is a date (the figures read it), "may" a verb, and a
        // sentence's first word may be either.
        assert!(
            entries(&format!("{BOUGHT} shipment on April 12, traders said."))
                .iter()
                .all(|&f| !is_entry(f, MONTH))
        );
        assert!(
            entries("Prices may rise. May shipments were sold.")
                .iter()
                .all(|&f| !is_entry(f, MONTH))
        );
        // Both months in both texts: no month changed.
        let both = format!("{BOUGHT} April shipment and for May shipment.");
        assert!(!differ(&a, &both) && !differ(&both, &a));
    }
}
