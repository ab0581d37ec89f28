//! Sessions: a market's reports of one day at its opening, at midday and at the close
//! are sent under one heading with the same cells, and often the same prices ("LONDON
//! COCOA SHIPMENTS MIDDAY", then "... CLOSING" with one row added; "JOHANNESBURG EXCHS
//! CLOSING", then "... OPENING" with every rate the same two minutes on). No figure tells
//! them apart; the session the heading names does. A copy keeps its heading's session,
//! a correction too; a rewrite may drop it, which leaves the rule silent.
//!
//! A text's sessions are read on the text as written: a word of [`SESSIONS`] written in
//! capitals, every letter of it ("MIDDAY", "CLOSES HIGHER"), as wire headings and
//! tables' headings write them. The same words in lower case are plain words ("the plant
//! closed", "an open letter"). Two texts *report other sessions* when each names a session
//! the other does not. A table that heads its columns "OPEN HIGH LOW CLOSE" names both, so
//! it reports no other session than a text naming either.
//!
//! Each text keeps its sessions as one entry marked [`NAME`](super::figures::NAME) (so it
//! travels where figures go: stage files, Spark), read on the names' scan (short texts).

use super::figures::{Figure, WIDE, entries_of};
use super::names::entry;

/// The context of the sessions' entry.
const SESSION: u64 = 0x7365_7373_696f_6e73;

/// The sessions of a market's day and the words that name them, in lower case.
const SESSIONS: &[&[&str]] = &[
    &["open", "opens", "opened", "opening"],
    &["early"],
    &["morning", "midmorning"],
    &["midday", "midsession", "noon"],
    &["afternoon"],
    &["late"],
    &["close", "closes", "closed", "closing"],
];

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

/// Appends to `out` the entry of a text's sessions (bits of [`session_bit`]), if any.
pub(super) fn push_sessions(sessions: u8, out: &mut Vec<Figure>) {
    if sessions != 0 {
        out.push(entry(SESSION, usize::from(sessions), 0));
    }
}

/// A text's sessions, from its figures and entries (sorted).
fn sessions_of(s: &[Figure]) -> u8 {
    entries_of(s, SESSION).fold(0, |acc, f| acc | ((f & WIDE) >> 32) as u8)
}

/// Whether two texts (their figures and entries, sorted) each name a session the other
/// does not.
pub(crate) fn sessions_differ(a: &[Figure], b: &[Figure]) -> bool {
    let (x, y) = (sessions_of(a), sessions_of(b));
    x & !y != 0 && y & !x != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::FigureCount;
    use crate::cluster::figures::is_entry;

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
