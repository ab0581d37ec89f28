//! A figure: the `u64` a document keeps for each number of its text, and for each entry
//! of the rules that travel with its figures (marked [`NAME`]), with what its bits say.
//! The rules read figures through this file; [`FigureCollector`](super::FigureCollector)
//! writes them.
//!
//! A figure is stored as one `u64`: the context's 24-bit hash, then 8 bits of the third
//! word before it, above the figure's hash (17 bits), its first value's place on a scale of
//! 1% steps (12 bits; a date's are the key of its day, the year left out) and three flags,
//! so that a document's figures sorted are grouped by context. Each figure that is not a
//! date is kept a second time, in the context of the word before it and the three words
//! after it or those up to the text's end (`after_entry` in `cluster/figures.rs`; after a
//! function word, "is for", a third time with the last word before that is none), with
//! whether it is written
//! in digits (and is no year alone), for texts published days apart
//! (`cluster/published.rs`).

use crate::shingle::{combine_token_hashes, hash_token};

/// A document's figures: `(context hash << 40) | (third word before << 32) | figure
/// hash`, sorted.
pub type Figure = u64;

/// The bits of a [`Figure`] that hold a hash of the third word before it: two figures in
/// one context that differ count as a change only when this word agrees too, for short
/// contexts ("by about _ dlrs") recur in unrelated sentences.
pub(super) const WIDE: u64 = 0xFF << 32;

/// Marks an entry of [`names`](super::names) or [`direction`](super::direction) among the
/// figures, not a number (the lowest bit marks a date).
pub(super) const NAME: u64 = 2;

/// Whether `f` is an entry of `context` marked [`NAME`] (not an after entry, [`is_after`],
/// which sets the lowest bit too and may share a context's top bits by chance).
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

/// Marks a figure with a qualifier ("about", "around": `cluster/figures.rs`) among the
/// three words before it: its [`WIDE`] bits hold two halves.
pub(super) const QUALIFIED: u64 = 4;

/// A figure without its [`WIDE`] bits: what templates fill in, wherever it stands.
pub(super) fn narrow(f: Figure) -> Figure {
    f & !WIDE & !QUALIFIED
}

/// Whether two figures have the same third word before them: the whole of the [`WIDE`]
/// bits, or, when a qualifier stands among the words before either, one half of them
/// (the words before counted with qualifiers or without).
pub(super) fn same_third_word(f: Figure, g: Figure) -> bool {
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
/// the key of its day without the year (as `cluster/figures.rs` reads it).
pub(super) const BUCKET_BITS: u64 = 0xFFF << 3;

/// The place of a value on a scale of 1% steps, from 1 (about 1e-9) to 4094 (about 7e8);
/// 0 for none (zero, a date, a value off the scale).
pub(super) fn value_bucket(v: f64) -> u64 {
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
pub(super) fn close(f: Figure, g: Figure) -> bool {
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

/// The [`WIDE`] bits of a table's cell (other figures hold less).
pub(super) const CELL: u64 = WIDE;

/// The key of a date's day from its parts (the month's hash and the numbers' bits, the
/// year left out), on 12 bits.
pub(super) fn day_key_of(parts: &[u64]) -> u64 {
    combine_token_hashes(parts) & 0xFFF
}

/// The key of the date of `day` in the month named `month` (as `figures::month` writes
/// it), written month first ("March 3") or not ("3 March"), in the place a date's figure
/// holds it ([`BUCKET_BITS`]).
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

/// A figure's value bits: its hash and place, without context and flags.
pub(super) fn figure_bits(f: Figure) -> u64 {
    f & 0xFFFF_FFFF & !7
}

/// Whether an `after_entry`'s figure is written in digits and is no year alone.
pub(super) fn in_digits(f: Figure) -> bool {
    f & (1 << 32) != 0
}

/// Whether an entry is an `after_entry` (`cluster/figures.rs`): both low bits set.
pub(super) fn is_after(f: Figure) -> bool {
    f & 3 == 3
}

/// An entry of a rule that travels with the figures (names, subjects, flashes, months,
/// sessions): the context's top 24 bits, the name's place in the [`WIDE`] bits (which
/// [`TemplateFigures`](super::TemplateFigures) does not count), the value's top 30 bits,
/// the [`NAME`] mark.
pub(super) fn entry(context: u64, place: usize, value: u64) -> Figure {
    ((context >> 40) << 40) | ((place as u64) << 32) | ((value >> 32) & !3) | NAME
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::figures::figures;

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
