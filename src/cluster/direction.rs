//! Direction: which way a text says something moved. A company's notices filled in anew
//! ("Sun raised the price it charges ... to 50.75 cts", then "Sun is decreasing the price
//! ... to 50 cts") share most shingles, and where the rewording moved the price out of
//! its context, no figure tells them apart. But a copy never turns a rise into a cut:
//! rewording swaps "raised" for "increased", not for "reduced".
//!
//! A text *goes up* when it holds words of rising ("raises", "increased", "hike") and none
//! of falling ("cuts", "reduced", "declines"), and *goes down* the other way round; most
//! stories hold both and go neither way. Two texts *move apart* when one goes up and the
//! other down. Each text keeps its direction as one [`Figure`] entry marked [`NAME`] (so
//! it travels where figures go: stage files, Spark), which
//! [`FigureCount`](super::FigureCount) reads apart from the numbers.

use super::figure::{Figure, NAME, is_entry};
use crate::shingle::hash_token;

/// Which way a word says something moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    Up,
    Down,
}

/// Words of rising and falling, lower case, as the shingles' tokens are.
pub(super) const WORDS: &[(&str, Way)] = &[
    ("raise", Way::Up),
    ("raises", Way::Up),
    ("raised", Way::Up),
    ("raising", Way::Up),
    ("rise", Way::Up),
    ("rises", Way::Up),
    ("rose", Way::Up),
    ("risen", Way::Up),
    ("increase", Way::Up),
    ("increases", Way::Up),
    ("increased", Way::Up),
    ("increasing", Way::Up),
    ("hike", Way::Up),
    ("hikes", Way::Up),
    ("hiked", Way::Up),
    ("cut", Way::Down),
    ("cuts", Way::Down),
    ("cutting", Way::Down),
    ("reduce", Way::Down),
    ("reduces", Way::Down),
    ("reduced", Way::Down),
    ("reducing", Way::Down),
    ("reduction", Way::Down),
    ("decrease", Way::Down),
    ("decreases", Way::Down),
    ("decreased", Way::Down),
    ("decreasing", Way::Down),
    ("decline", Way::Down),
    ("declines", Way::Down),
    ("declined", Way::Down),
    ("fall", Way::Down),
    ("falls", Way::Down),
    ("fell", Way::Down),
    ("fallen", Way::Down),
    ("lower", Way::Down),
    ("lowers", Way::Down),
    ("lowered", Way::Down),
];

/// The fewest words of one way that give a text a direction: a notice says it twice
/// ("RAISES HEATING OIL PRICE ... raised the price"), while a single "rose" in an excerpt
/// of a story that left out its "fell" says little (in four pairs of copies among the
/// held-out rewrites, one text had a single word of one way and the other only words of
/// the other).
const MIN_WORDS: u32 = 2;

/// The context of a direction entry: the highest, so that a text's entry sorts last
/// among its figures and [`FigureCount`](super::FigureCount) drops it without a copy.
const DIRECTION: u64 = u64::MAX;

/// Whether a figure is a direction entry.
pub(super) fn is_direction(f: Figure) -> bool {
    is_entry(f, DIRECTION)
}

/// Counts the words of rising and falling of one text.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Direction {
    up: u32,
    down: u32,
}

impl Direction {
    /// Counts one word of rising or falling.
    pub(super) fn push(&mut self, way: Way) {
        match way {
            Way::Up => self.up += 1,
            Way::Down => self.down += 1,
        }
    }

    /// The text's direction entry (none when it goes neither way).
    pub(super) fn entry(&self) -> Option<Figure> {
        let value = match (self.up, self.down) {
            (up, 0) if up >= MIN_WORDS => hash_token("up"),
            (0, down) if down >= MIN_WORDS => hash_token("down"),
            _ => 0,
        };
        (value != 0).then_some(((DIRECTION >> 40) << 40) | ((value >> 32) & !3) | NAME)
    }
}

/// Whether one of two texts (their figures, sorted) goes up and the other down.
pub(super) fn move_apart(a: &[Figure], b: &[Figure]) -> bool {
    let of = |s: &[Figure]| {
        s.iter()
            .rev()
            .take_while(|&&f| f >> 40 == DIRECTION >> 40)
            .copied()
            .find(|&f| is_direction(f))
    };
    matches!((of(a), of(b)), (Some(x), Some(y)) if x != y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The way a (normalised) word says something moved, if it does.
    fn way(token: &str) -> Option<Way> {
        WORDS.iter().find(|(w, _)| *w == token).map(|&(_, way)| way)
    }

    fn entry(words: &[&str]) -> Option<Figure> {
        let mut d = Direction::default();
        for w in words.iter().filter_map(|w| way(w)) {
            d.push(w);
        }
        d.entry()
    }

    #[test]
    fn a_rise_and_a_cut_move_apart() {
        let up = entry(&["sun", "raises", "price", "hike"]).unwrap();
        let down = entry(&["sun", "cuts", "price", "reduction"]).unwrap();
        assert!(move_apart(&[up], &[down]));
        assert!(!move_apart(&[up], &[up]));
        // A story that says both goes neither way, and moves apart from nothing.
        assert_eq!(entry(&["sales", "rose", "profit", "fell"]), None);
        assert!(!move_apart(&[up], &[]));
        assert!(way("lowered").is_some() && way("price").is_none());
    }
}
