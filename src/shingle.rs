//! Shingles: word k-grams or character n-grams of normalised text, hashed to `u64`.
//!
//! Word k-grams hash each token once with xxh3 and combine the k token hashes of a window
//! with an order-sensitive mix, instead of hashing the joined k-gram bytes: the same set
//! structure at a fraction of the cost. Character n-grams are taken over the normalised
//! text with every run of characters that are not letters or digits collapsed to one space
//! (so punctuation and layout do not matter, and unspaced scripts such as Chinese keep
//! their characters adjacent); each n-gram's UTF-8 bytes are hashed with xxh3.

use std::fmt;
use std::str::FromStr;

use xxhash_rust::xxh3::xxh3_64;

use crate::error::{Error, Result};
use crate::text::{Analyzer, Tokenizer};

mod packed;
pub use packed::PackedSets;

/// What a shingle is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShingleKind {
    /// Runs of k consecutive tokens.
    Word(usize),
    /// Runs of n consecutive characters.
    Char(usize),
}

impl Default for ShingleKind {
    /// Word 3-grams: see `docs/design.md` for the measurements behind this choice.
    fn default() -> Self {
        ShingleKind::Word(3)
    }
}

impl fmt::Display for ShingleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShingleKind::Word(k) => write!(f, "word:{k}"),
            ShingleKind::Char(n) => write!(f, "char:{n}"),
        }
    }
}

impl FromStr for ShingleKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::config(
                "shingle",
                format!("{s:?}: expected word:K or char:N with 1 <= K, N <= 64"),
            )
        };
        let (kind, size) = s.split_once(':').ok_or_else(bad)?;
        let size: usize = size.parse().map_err(|_| bad())?;
        if !(1..=64).contains(&size) {
            return Err(bad());
        }
        match kind {
            "word" | "w" => Ok(ShingleKind::Word(size)),
            "char" | "c" => Ok(ShingleKind::Char(size)),
            _ => Err(bad()),
        }
    }
}

/// Called with each token of a text and its [`hash_token`].
pub type TokenSink<'a> = &'a mut dyn FnMut(&str, u64);

/// Reusable buffers for shingling, one per thread.
#[derive(Debug, Default)]
pub struct ShingleScratch {
    normalized: String,
    collapsed: String,
    token_hashes: Vec<u64>,
}

/// Produces the shingle hashes of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shingler {
    kind: ShingleKind,
}

const MIX_SEED: u64 = 0x243F_6A88_85A3_08D3;
const MIX_MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// Final avalanche of a 64-bit value (the splitmix64 / murmur3 finaliser).
#[inline]
pub(crate) fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The hash of a token sequence: an order-sensitive fold of xxh3 token hashes.
#[inline]
pub fn combine_token_hashes(window: &[u64]) -> u64 {
    let mut h = MIX_SEED;
    for &t in window {
        h = (h ^ t).wrapping_mul(MIX_MUL).rotate_left(31);
    }
    fmix64(h ^ window.len() as u64)
}

/// The hash of one token.
#[inline]
pub fn hash_token(token: &str) -> u64 {
    xxh3_64(token.as_bytes())
}

impl Shingler {
    /// A shingler of the given kind.
    pub fn new(kind: ShingleKind) -> Self {
        Shingler { kind }
    }

    /// The kind of shingle.
    pub fn kind(&self) -> ShingleKind {
        self.kind
    }

    /// Appends the shingle hashes of `text` to `out`, in text order and with repeats.
    /// A text with fewer tokens (characters) than the shingle size gives one shingle of
    /// all of them; a text with none gives none.
    pub fn shingles_into<T: Tokenizer>(
        &self,
        analyzer: &Analyzer<T>,
        text: &str,
        scratch: &mut ShingleScratch,
        out: &mut Vec<u64>,
    ) {
        self.shingles_into_with(analyzer, text, scratch, out, None);
    }

    /// [`shingles_into`](Self::shingles_into), also calling `on_token` with each token of
    /// the text and its [`hash_token`], in order (whatever the shingle kind).
    pub fn shingles_into_with<T: Tokenizer>(
        &self,
        analyzer: &Analyzer<T>,
        text: &str,
        scratch: &mut ShingleScratch,
        out: &mut Vec<u64>,
        mut on_token: Option<TokenSink<'_>>,
    ) {
        analyzer
            .normalizer()
            .normalize_into(text, &mut scratch.normalized);
        match self.kind {
            ShingleKind::Word(k) => {
                let hashes = &mut scratch.token_hashes;
                hashes.clear();
                analyzer.tokens_of_normalized_inline(&scratch.normalized, |t| {
                    let h = hash_token(t);
                    hashes.push(h);
                    if let Some(f) = on_token.as_mut() {
                        f(t, h);
                    }
                });
                if hashes.is_empty() {
                    return;
                }
                if hashes.len() < k {
                    out.push(combine_token_hashes(hashes));
                    return;
                }
                out.extend(hashes.windows(k).map(combine_token_hashes));
            }
            ShingleKind::Char(n) => {
                let collapsed = &mut scratch.collapsed;
                collapsed.clear();
                for c in scratch.normalized.chars() {
                    if is_separator(c) {
                        if !collapsed.is_empty() && !collapsed.ends_with(' ') {
                            collapsed.push(' ');
                        }
                    } else {
                        collapsed.push(c);
                    }
                }
                if collapsed.ends_with(' ') {
                    collapsed.pop();
                }
                char_ngrams(collapsed, n, out);
                if let Some(f) = on_token {
                    analyzer
                        .tokens_of_normalized_inline(&scratch.normalized, |t| f(t, hash_token(t)));
                }
            }
        }
    }

    /// The sorted, deduplicated shingle set of `text`.
    pub fn shingle_set<T: Tokenizer>(&self, analyzer: &Analyzer<T>, text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        self.shingles_into(analyzer, text, &mut ShingleScratch::default(), &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Characters that separate words for character n-grams: white space and punctuation.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric();
    }
    c.is_whitespace()
        || matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{06D4}' | '\u{00A1}'..='\u{00BF}')
}

fn char_ngrams(s: &str, n: usize, out: &mut Vec<u64>) {
    if s.is_empty() {
        return;
    }
    if s.is_ascii() {
        let b = s.as_bytes();
        if b.len() < n {
            out.push(xxh3_64(b));
        } else {
            out.extend(b.windows(n).map(xxh3_64));
        }
        return;
    }
    let starts: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let chars = starts.len() - 1;
    if chars < n {
        out.push(xxh3_64(s.as_bytes()));
        return;
    }
    for w in starts.windows(n + 1) {
        out.push(xxh3_64(&s.as_bytes()[w[0]..w[n]]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Sets come back as pushed, whatever the chunk boundaries.
        #[test]
        fn shingle_sets_round_trip(
            sets in proptest::collection::vec(proptest::collection::vec(proptest::prelude::any::<u64>(), 0..40), 0..30),
        ) {
            let mut s = ShingleSets::new();
            for x in &sets {
                s.push(x);
            }
            proptest::prop_assert_eq!(s.len(), sets.len());
            for (i, x) in sets.iter().enumerate() {
                proptest::prop_assert_eq!(s.get(i), &x[..]);
            }
        }
    }

    #[test]
    fn fingerprints_are_sorted_without_repeats() {
        let shingles = [
            u64::MAX,
            3u64 << 32,
            1u64 << 32,
            (1u64 << 32) + 5,
            3u64 << 32,
        ];
        assert_eq!(fingerprints(&shingles), vec![1, 3, u32::MAX]);
    }

    fn set(kind: &str, text: &str) -> Vec<u64> {
        Shingler::new(kind.parse().unwrap()).shingle_set(&Analyzer::default(), text)
    }

    #[test]
    fn parses_kinds() {
        assert_eq!(
            "word:5".parse::<ShingleKind>().unwrap(),
            ShingleKind::Word(5)
        );
        assert_eq!(
            "char:7".parse::<ShingleKind>().unwrap(),
            ShingleKind::Char(7)
        );
        for bad in ["word", "word:0", "char:x", "byte:3", "word:65"] {
            let e = bad.parse::<ShingleKind>().unwrap_err().to_string();
            assert!(e.starts_with("invalid shingle"), "{e}");
        }
    }

    #[test]
    fn word_shingles_are_order_sensitive_and_normalised() {
        assert_eq!(set("word:2", "a b c").len(), 2);
        assert_ne!(set("word:2", "a b"), set("word:2", "b a"));
        assert_eq!(
            set("word:3", "The \u{201C}Cat\u{201D} sat."),
            set("word:3", "the cat SAT")
        );
        assert_eq!(set("word:5", "two words").len(), 1);
        assert!(set("word:5", " ... ").is_empty());
        // The k-gram hash depends on the tokens, not on how the text was split into k-grams.
        assert_eq!(set("word:2", "a b a b"), set("word:2", "a b a"));
    }

    #[test]
    fn char_shingles_ignore_layout_and_handle_cjk() {
        assert_eq!(
            set("char:4", "Hello,  world!"),
            set("char:4", "hello world")
        );
        assert_eq!(set("char:2", "東京都").len(), 2);
        assert_eq!(set("char:3", "ab").len(), 1);
    }
}

/// Sorted, deduplicated shingle sets of many documents, stored end to end in chunks of
/// 8 Mi elements (64 MiB of 64-bit hashes, 32 MiB of fingerprints): growing never copies what is stored, so a corpus's sets never
/// need twice their size in memory, as one doubling vector would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShingleSets<T = u64> {
    /// Per set: chunk number (high 24 bits) and start within the chunk (low 40 bits).
    starts: Vec<u64>,
    lens: Vec<u32>,
    chunks: Vec<Vec<T>>,
}

/// A shingle's 32-bit fingerprint (the high half of its 64-bit hash). Sorted hashes give
/// sorted fingerprints. Two sets of `n` shingles share a fingerprint by accident with
/// probability about `n² / 2³²` (4e-5 for 400 shingles each), and two shingles of one
/// document merge with probability about `n² / 2³³`: on the 1M-document benchmark corpus
/// 28 of 967,366 pairs moved in the fourth decimal of their Jaccard similarity, none
/// crossed the threshold. In exchange a corpus's sets take half the memory. The dedup pipeline verifies on fingerprints; index files keep the
/// 64-bit hashes.
pub type Fingerprint = u32;

/// The fingerprint of a shingle hash.
#[inline]
pub fn fingerprint(h: u64) -> Fingerprint {
    (h >> 32) as u32
}

/// The sorted, deduplicated fingerprints of shingle hashes given in any order, with
/// repeats: only the (half as wide) fingerprints are sorted.
pub fn fingerprints(shingles: &[u64]) -> Vec<Fingerprint> {
    let mut out: Vec<Fingerprint> = shingles.iter().map(|&h| fingerprint(h)).collect();
    radsort::sort(&mut out);
    out.dedup();
    out
}

/// Sorted, distinct fingerprint sets by document number, however they are stored: plain
/// ([`ShingleSets`], a slice each) or packed ([`PackedSets`], decoded on reading).
pub trait FingerprintSets: Sync {
    /// Number of sets.
    fn len(&self) -> usize;

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of fingerprints in set `i`.
    fn set_len(&self, i: usize) -> usize;

    /// Set `i`: the stored slice where sets are plain, decoded into `scratch` where they
    /// are packed.
    fn set<'a>(&'a self, i: usize, scratch: &'a mut Vec<Fingerprint>) -> &'a [Fingerprint];
}

impl FingerprintSets for ShingleSets<Fingerprint> {
    fn len(&self) -> usize {
        self.lens.len()
    }

    fn set_len(&self, i: usize) -> usize {
        self.lens[i] as usize
    }

    fn set<'a>(&'a self, i: usize, _scratch: &'a mut Vec<Fingerprint>) -> &'a [Fingerprint] {
        self.get(i)
    }
}

// Small chunks in unit tests, so sets straddle chunk ends there.
const SET_CHUNK: usize = if cfg!(test) { 16 } else { 1 << 23 };

impl<T: Copy> Default for ShingleSets<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy> ShingleSets<T> {
    /// No sets.
    pub fn new() -> Self {
        ShingleSets {
            starts: Vec::new(),
            lens: Vec::new(),
            chunks: Vec::new(),
        }
    }

    /// Appends a sorted, deduplicated set.
    pub fn push(&mut self, set: &[T]) {
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.capacity() - c.len() >= set.len());
        if !fits {
            self.chunks
                .push(Vec::with_capacity(SET_CHUNK.max(set.len())));
        }
        let chunk_no = self.chunks.len() - 1;
        let chunk = &mut self.chunks[chunk_no];
        self.starts
            .push(((chunk_no as u64) << 40) | chunk.len() as u64);
        self.lens.push(set.len() as u32);
        chunk.extend_from_slice(set);
    }

    /// The set of document `i`.
    pub fn get(&self, i: usize) -> &[T] {
        let s = self.starts[i];
        let (chunk, start) = ((s >> 40) as usize, (s & ((1 << 40) - 1)) as usize);
        &self.chunks[chunk][start..start + self.lens[i] as usize]
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// All the sets end to end, in order, as a few long slices (the storage chunks).
    pub fn parts(&self) -> impl Iterator<Item = &[T]> {
        self.chunks.iter().map(Vec::as_slice)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
