//! How the figures of two documents compare ([`FigureCount`]): the numbers in their
//! contexts, read here, and every rule whose entries travel with the figures (names,
//! subjects, flashes, sessions, headings, direction, polarity, publication days, months),
//! asked in turn.
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

use std::borrow::Cow;

use super::dateline::places_around;
use super::direction::move_apart;
use super::figure::{
    BUCKET_BITS, CELL, Figure, NAME, QUALIFIED, WIDE, close, figure_bits, in_digits, is_after,
    same_third_word,
};
use super::figures::early_dates;
use super::flashes::flashes_differ;
use super::headings::{headings_apart, parts_differ, periods_differ};
use super::months::months_differ;
use super::names::names_differ;
use super::polarity::negated_apart;
use super::published::{days_apart, published_day, without_entries};
use super::sessions::sessions_differ;
use super::subjects::subjects_differ;
use super::template_figures::TemplateFigures;

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

/// Whether the figure of an after entry (`after_entry` in `cluster/figures.rs`) is among
/// both texts' figures (`values_a` and `values_b`, sorted: a figure that is no date is its
/// [`figure_bits`] there).
fn in_both(f: Figure, values_a: &[u64], values_b: &[u64]) -> bool {
    let x = figure_bits(f);
    values_a.binary_search(&x).is_ok() && values_b.binary_search(&x).is_ok()
}

/// How many contexts of after entries (`a` and `b`, each sorted) hold figures in each and
/// none in common, a figure of either side found nowhere in the other text
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

/// Whether the after entries of `a` and `b` each hold a figure [in digits](in_digits) and
/// none of those is among the other's figures (`values_a` and `values_b`, in either
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
    /// Of those, the contexts where one text's figures all stand in the other after the
    /// same words, in a context the first has nowhere: a figure whose context changed
    /// with the word after it. A copy that cut what followed its last figure ends there
    /// ("20 billion dlrs in 1987", its "The deficit was 170 billion dlrs in 1986" cut):
    /// its "in 1987" and the original's "in 1986", both before the text's end, share a
    /// context. Within a day, a table whose cells moved between columns does so too, so
    /// only the rule for texts days apart leaves these out...
    pub shifted: u32,
    /// ...and the contexts where both hold dates (a report of another day)...
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
    /// Whether, between the same neighbours, one text writes only a word and the other
    /// only its negation ("indirect supply", "direct supply": `cluster/polarity.rs`).
    pub negated: bool,
    /// Whether the texts came out more than
    /// [`REPORT_GAP_DAYS`](super::published::REPORT_GAP_DAYS) apart
    /// (`cluster/published.rs`)...
    pub days_apart: bool,
    /// ...and, if so, whether each holds a date (past its dateline, and not of the day
    /// before, of or after its own publication: a dateline after a lede) that the other has
    /// nowhere, not even among its first words: the notice of another week ("Payable July
    /// 14" against "Pay March 13")...
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
    /// against "1230"), or the market reports' headings quote other items after their day
    /// ("rss ones" against "smr 20": `cluster/sessions.rs`).
    pub sessions: bool,
    /// Whether the texts came out days apart and their headings in capitals share fewer
    /// than a third of their words: other news (the loan announced, "BELGIAN STATE LOAN
    /// PRICED AT PAR" twelve days on: `cluster/headings.rs`).
    pub headings: bool,
    /// Whether each heading names a reporting period the other's does not ("4TH QTR NET"
    /// against "YEAR DEC 31 NET": `cluster/headings.rs`).
    pub periods: bool,
    /// Whether each heading of a market's report ends, before its dash and day, with a
    /// part the other's heading lacks ("OFFICIALS" against "CLOSING", "REPORT 1" against
    /// "REPORT 2": `cluster/headings.rs`).
    pub parts: bool,
}

impl FigureCount {
    /// Compares the figures of two documents (each sorted, as
    /// [`FigureCollector::finish`](super::FigureCollector::finish) returns them).
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
        let negated = negated_apart(a, b);
        let (day_a, day_b) = (published_day(a), published_day(b));
        let days_apart = days_apart(day_a, day_b);
        let months = days_apart && months_differ(a, b);
        let headings = days_apart && headings_apart(a, b);
        let periods = periods_differ(a, b);
        let parts = parts_differ(a, b);
        // The days around each text's publication, which its dateline or time stamp writes
        // ("NAIROBI, Oct 1 (Reuters) -" after a lede, past the first words).
        let (around_a, around_b) = match (day_a, day_b) {
            (Some(x), Some(y)) if days_apart => (places_around(x), places_around(y)),
            _ => (Vec::new(), Vec::new()),
        };
        // The days of the dates among each text's first words (its dateline's left out).
        let (early_a, early_b) = if days_apart {
            let early = |s: &[Figure], own: &[u64]| -> Vec<u64> {
                let mut d = early_dates(s);
                d.retain(|k| own.binary_search(k).is_err());
                d
            };
            (early(a, &around_a), early(b, &around_b))
        } else {
            (Vec::new(), Vec::new())
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
        // Whether each figure of `s` (one text's, in a context of both) stands in the
        // `other` text after the same words (the third word before, the value and flags
        // agree), in a context the text of `s` (`this`) has nowhere (see `shifted`). Read
        // only for contexts found changed: a scan, no index.
        let shifted = |s: &[Figure], other: &[Figure], this: &[Figure]| {
            let keyless = |f: Figure| f & ((1 << 40) - 1);
            s.iter().all(|&f| {
                other.iter().any(|&g| {
                    let context = g >> 40;
                    let j = this.partition_point(|&h| h >> 40 < context);
                    keyless(g) == keyless(f) && this.get(j).is_none_or(|&h| h >> 40 != context)
                })
            })
        };
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
                        if shifted(p, b, a) || shifted(q, a, b) {
                            count.shifted += 1;
                        }
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
            // What a text holds: its dates, and those among its first words.
            let held = |d: &[u64], early: &[u64]| -> Vec<u64> {
                let mut all: Vec<u64> = d.iter().chain(early).copied().collect();
                all.sort_unstable();
                all
            };
            count.dates_apart = unmatched(&da, &held(&db, &early_b)) >= 1
                && unmatched(&db, &held(&da, &early_a)) >= 1;
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
        count.negated = negated;
        count.days_apart = days_apart;
        count.months = months;
        count.sessions = sessions;
        count.headings = headings;
        count.periods = periods;
        count.parts = parts;
        count
    }

    /// Whether the documents report different figures: the document with fewer figures
    /// has one that the other has nowhere, and some context holds different ones in each
    /// and no more hold one in common (those a template fills in for many documents
    /// weighing less; contexts [`replaced`](Self::replaced) count as different here), or
    /// one context in five holds different ones that are not dates, or two contexts hold
    /// different ones and one of them a date; or the texts came out days apart
    /// ([`days_apart`](Self::days_apart)) and one context holds different figures, not
    /// [`shifted`](Self::shifted) (also counted by the words after:
    /// [`after_different`](Self::after_different)), or each
    /// holds a date the other lacks, or figures in digits none of which the other has
    /// ([`digits_apart`](Self::digits_apart)), or other months written alone in the same
    /// words ([`months`](Self::months)), or headings sharing fewer than a third of their
    /// words ([`headings`](Self::headings)); or the texts, word for word the same outside
    /// their names, name different things (`cluster/names.rs`), or each names a subject
    /// the other never writes, where the other names its own (`cluster/subjects.rs`), or
    /// each of two flashes opens its heading with a rare word the other never writes
    /// (`cluster/flashes.rs`), or each names a market's session, or a time its heading
    /// stamps, that the other does not, or another item after its day (`cluster/sessions.rs`), or a reporting period its
    /// heading names that the other's does not, or a part of a market's report its heading
    /// ends with that the other's lacks (`cluster/headings.rs`), or, between the same
    /// neighbours, one writes a word and the other its negation (`cluster/polarity.rs`).
    /// A copy keeps its figures and what it is about: rewording only changes or swaps the
    /// words around them, truncation only drops some.
    pub fn conflict(&self) -> bool {
        let changed = self.different + self.replaced;
        self.names >= 1
            || self.subjects
            || self.flashes
            || self.sessions
            || self.periods
            || self.parts
            || self.apart
            || self.negated
            || (self.days_apart
                && (self.different > self.shifted
                    || self.after_different >= 1
                    || self.dates_apart
                    || self.digits_apart
                    || self.months
                    || self.headings))
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
    use crate::cluster::figures::{collected, figures};
    use crate::cluster::template::template_figures;
    use crate::shingle::ShingleSets;

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
    fn a_copy_that_cut_what_followed_its_last_figure_does_not_conflict_days_apart() {
        // A figure's context ends with the first letter of the word after it: the copy
        // cut the second sentence, and its "in 1987", now before the text's end, shares a
        // context with the original's last figure, "in 1986".
        let story = "Baker said the deficit would fall by 20 billion dlrs in 1987. The \
            deficit was 170 billion dlrs in 1986.";
        let cut = "Baker said the deficit would fall by 20 billion dlrs in 1987.";
        let c = count_dated(story, 19_883, cut, 19_891);
        assert!(c.days_apart && (c.different, c.shifted) == (1, 1), "{c:?}");
        assert!(!c.conflict());
        assert!(!count(story, cut).conflict());
        // The year changed in the row kept: another report.
        let next = cut.replace("1987", "1988");
        let c = count_dated(story, 19_883, &next, 19_891);
        assert_eq!((c.different, c.shifted), (1, 0), "{c:?}");
        assert!(c.conflict());
    }

    #[test]
    fn a_date_among_the_first_words_is_held_days_apart() {
        // The original's bond date stands among its first words, left out as a dateline
        // would be; the copy, a week on, pushed it further with a lede and a dateline of
        // its own, and cut the sentence with the payment date.
        let story = "Acme Canada Inc is issuing a 70 mln stg bond due October 30, 1993 \
            priced at 101-1/2, the lead manager said. Payment date is April 30.";
        let lede = "EXCLUSIVE: DELHI, Oct 21 (Riverside Gazette) - ";
        let copy = format!(
            "{lede}Acme Canada Inc is issuing a 70 mln stg bond due \
            October 30, 1993 priced at 101-1/2, the lead manager said."
        );
        let (day, week_on) = (20_010, 20_017);
        let c = count_dated(story, day, &copy, week_on);
        assert!(c.days_apart && !c.dates_apart, "{c:?}");
        assert!(!c.conflict());
        // Another bond's date there is a date the original lacks.
        let other = copy.replace("October 30", "November 15");
        let c = count_dated(story, day, &other, week_on);
        assert!(c.dates_apart, "{c:?}");
        assert!(c.conflict());
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
}
