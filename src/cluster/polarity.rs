//! Polarity: a copy never negates a word. The Fed's notices of customer repurchases say
//! the Fed "began its temporary and indirect supply of reserves"; its notice of overnight
//! System repurchases, worded the same otherwise, says "temporary and direct supply".
//! They share most shingles, and the System notice names no amount, so no figure tells
//! them apart. But rewording swaps a word for a synonym, never for its negation: a copy
//! does not turn "unchanged" into "changed", "secured" into "unsecured" or "likely" into
//! "unlikely".
//!
//! [`WORDS`] pairs a word with its negation (lower case, as the shingles' tokens are).
//! Each time a text writes one of them, it keeps an entry of the word between its
//! neighbours (the word before and the word after, whatever they are) and whether it is
//! the negated form. Two texts are *negated apart* when, between the same neighbours, one
//! writes only the word and the other only its negation. A rewrite that changes a
//! neighbour leaves the rule silent, as does a text that writes both forms there. The
//! entries are marked [`NAME`](super::figure::NAME) (so they travel where figures go:
//! stage files, index files, Spark), and [`FigureCount`](super::FigureCount) reads them
//! apart from the numbers.

use super::figure::{Figure, entries_of, entry};
use crate::shingle::combine_token_hashes;

/// Words and their negations, lower case. Only words whose negation is written as one
/// token (a hyphenated "non-voting" is two).
pub(super) const WORDS: &[(&str, &str)] = &[
    ("direct", "indirect"),
    ("changed", "unchanged"),
    ("likely", "unlikely"),
    ("official", "unofficial"),
    ("confirmed", "unconfirmed"),
    ("profitable", "unprofitable"),
    ("able", "unable"),
    ("legal", "illegal"),
    ("stable", "unstable"),
    ("secured", "unsecured"),
    ("certain", "uncertain"),
    ("known", "unknown"),
    ("limited", "unlimited"),
    ("employed", "unemployed"),
    ("available", "unavailable"),
    ("successful", "unsuccessful"),
    ("favourable", "unfavourable"),
    ("favorable", "unfavorable"),
    ("fair", "unfair"),
    ("acceptable", "unacceptable"),
    ("voting", "nonvoting"),
    ("recurring", "nonrecurring"),
    ("audited", "unaudited"),
    ("consolidated", "unconsolidated"),
    ("listed", "unlisted"),
    ("quoted", "unquoted"),
    ("subordinated", "unsubordinated"),
    ("taxable", "nontaxable"),
    ("binding", "nonbinding"),
    ("cumulative", "noncumulative"),
    ("convertible", "nonconvertible"),
    ("dependent", "independent"),
    ("formal", "informal"),
    ("adequate", "inadequate"),
    ("sufficient", "insufficient"),
    ("active", "inactive"),
    ("solvent", "insolvent"),
    ("regular", "irregular"),
    ("possible", "impossible"),
    ("balanced", "unbalanced"),
    ("expected", "unexpected"),
    ("usual", "unusual"),
    ("necessary", "unnecessary"),
    ("restricted", "unrestricted"),
    ("resolved", "unresolved"),
    ("specified", "unspecified"),
    ("disclosed", "undisclosed"),
    ("identified", "unidentified"),
    ("named", "unnamed"),
    ("settled", "unsettled"),
    ("paid", "unpaid"),
    ("sold", "unsold"),
    ("realized", "unrealized"),
    ("realised", "unrealised"),
    ("hedged", "unhedged"),
    ("agree", "disagree"),
    ("approve", "disapprove"),
    ("approved", "disapproved"),
    ("continued", "discontinued"),
    ("competitive", "uncompetitive"),
    ("economic", "uneconomic"),
];

/// One of [`WORDS`] as a text writes it: which pair, and whether in its negated form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Polar {
    pair: u16,
    negated: bool,
}

/// Every word of [`WORDS`], both forms, with what it is.
pub(super) fn polar_words() -> impl Iterator<Item = (&'static str, Polar)> {
    WORDS.iter().enumerate().flat_map(|(i, &(plain, negated))| {
        let pair = i as u16;
        [
            (
                plain,
                Polar {
                    pair,
                    negated: false,
                },
            ),
            (
                negated,
                Polar {
                    pair,
                    negated: true,
                },
            ),
        ]
    })
}

/// The context of a polarity entry.
const POLARITY: u64 = 0x706f_6c61_7269_7479;

/// Whether a figure is a polarity entry.
#[cfg(test)]
pub(super) fn is_polarity(f: Figure) -> bool {
    super::figure::is_entry(f, POLARITY)
}

/// Reads the words of [`WORDS`] of one text with their neighbours, token by token.
#[derive(Debug, Default)]
pub(super) struct Polarity {
    /// The hash of the last token read (0 before the first).
    last: u64,
    /// A word of [`WORDS`] waiting for the token after it, with the token before it.
    pending: Option<(u64, Polar)>,
    entries: Vec<Figure>,
}

impl Polarity {
    /// Reads the next token (its hash), and what it is if one of [`WORDS`].
    #[inline]
    pub(super) fn push(&mut self, hash: u64, polar: Option<Polar>) {
        if let Some((before, p)) = self.pending.take() {
            self.entries.push(polarity_entry(before, p, hash));
        }
        if let Some(p) = polar {
            self.pending = Some((self.last, p));
        }
        self.last = hash;
    }

    /// Moves the text's entries to `out` and starts the next text.
    pub(super) fn finish(&mut self, out: &mut Vec<Figure>) {
        if let Some((before, p)) = self.pending.take() {
            self.entries.push(polarity_entry(before, p, 0));
        }
        out.append(&mut self.entries);
        self.last = 0;
    }
}

/// The entry of a word of [`WORDS`] between the tokens `before` and `after` (hashes): its
/// pair and neighbours hashed into the value, its form in the place bits (1 for the word,
/// 2 for its negation).
fn polarity_entry(before: u64, p: Polar, after: u64) -> Figure {
    let value = combine_token_hashes(&[POLARITY, before, u64::from(p.pair), after]);
    entry(POLARITY, 1 + usize::from(p.negated), value)
}

/// Whether, between the same neighbours, one of two texts (their figures, sorted) writes
/// only a word of [`WORDS`] and the other only its negation.
pub(super) fn negated_apart(a: &[Figure], b: &[Figure]) -> bool {
    // Each place (the entry without its form) with the forms written there: bit 1 for
    // the word, bit 2 for its negation.
    fn forms(s: &[Figure]) -> Vec<(u64, u8)> {
        let mut v: Vec<(u64, u8)> = entries_of(s, POLARITY)
            .map(|f| (f & 0xFFFF_FFFF, 1u8 << ((f >> 32) & 0xFF)))
            .collect();
        v.sort_unstable();
        v.dedup_by(|next, kept| {
            next.0 == kept.0 && {
                kept.1 |= next.1;
                true
            }
        });
        v
    }
    let (fa, fb) = (forms(a), forms(b));
    if fa.is_empty() || fb.is_empty() {
        return false;
    }
    fa.iter().any(|&(place, x)| {
        fb.binary_search_by_key(&place, |&(p, _)| p)
            .is_ok_and(|i| matches!((x, fb[i].1), (2, 4) | (4, 2)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::figures::collected as figures;

    #[test]
    fn every_word_is_listed_once() {
        let mut words: Vec<&str> = polar_words().map(|(w, _)| w).collect();
        let n = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), n);
        assert!(
            words
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
    }

    #[test]
    fn a_word_negated_between_the_same_neighbours_is_apart() {
        let customer = "The Fed began its temporary and indirect supply of reserves \
                        to the banking system.";
        let system = "The Fed began its temporary and direct supply of reserves \
                      to the banking system.";
        assert!(negated_apart(&figures(customer), &figures(system)));
        assert!(negated_apart(&figures(system), &figures(customer)));
        assert!(!negated_apart(&figures(customer), &figures(customer)));
        // A rewrite that changes a neighbour leaves the rule silent...
        let reworded = "The Fed began its temporary and direct provision of reserves.";
        assert!(!negated_apart(&figures(customer), &figures(reworded)));
        // ...as does a text without the word, or one that writes both forms there.
        assert!(!negated_apart(
            &figures(customer),
            &figures("The Fed added reserves.")
        ));
        let both = format!("{system} Last week: temporary and indirect supply.");
        assert!(!negated_apart(&figures(&both), &figures(customer)));
        // The word at a text's end has no word after it.
        assert!(negated_apart(
            &figures("rates were left unchanged"),
            &figures("rates were left changed")
        ));
    }

    #[test]
    fn entries_are_names_not_numbers() {
        let f = figures("the loan is unsecured and subordinated");
        let entries: Vec<Figure> = entries_of(&f, POLARITY).collect();
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|&e| e & 3 == super::super::figure::NAME));
    }
}
