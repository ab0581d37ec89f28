//! Fingerprint sets packed with the Elias–Fano code, for a whole corpus held in memory.
//!
//! A document's set is sorted, distinct 32-bit fingerprints spread evenly over their range,
//! so storing each in 32 bits wastes the order: of `n` such values, the low
//! `L = ⌊log2(2³² / n)⌋` bits of each look random and are kept as they are, bit-packed, and
//! the high `32 - L` bits rise slowly and are kept as a bit vector in which value `i` sets
//! bit `high_i + i` (Elias 1974, Fano 1971). That is `L + 2` to `L + 3` bits a value: 25.3
//! for a set of 400, against 32 plain, within half a bit of the fewest bits any code needs
//! for a set of that size. The sets of the 1M-document benchmark corpus (`scripts/bench-parquet.sh`)
//! take 1.08 GB instead of 1.33 GB. Decoding a set is one pass over its words, done only
//! for the candidates that pass the signature screen.

use super::{Fingerprint, FingerprintSets};

/// Words (`u64`) per storage chunk: 32 MiB, like [`ShingleSets`](super::ShingleSets)'
/// chunks, so growing never copies what is stored. Small in unit tests, so sets straddle
/// chunk ends there.
const CHUNK_WORDS: usize = if cfg!(test) { 8 } else { 1 << 22 };

/// Sorted, distinct fingerprint sets of many documents, each packed with the Elias–Fano
/// code (see the module's documentation). Read a set with [`FingerprintSets::set`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedSets {
    /// Per set: chunk number (high 24 bits) and first word within the chunk (low 40 bits).
    starts: Vec<u64>,
    lens: Vec<u32>,
    chunks: Vec<Vec<u64>>,
}

/// The low bits kept as they are for a set of `n` values (`n >= 1`): `⌊log2(2³² / n)⌋`.
fn low_bits(n: usize) -> u32 {
    ((1u64 << 32) / n as u64).max(1).ilog2()
}

/// The words of the low bits and of the high bits of a set of `n` values.
fn words(n: usize) -> (usize, usize) {
    if n == 0 {
        return (0, 0);
    }
    let l = low_bits(n) as usize;
    (
        (n * l).div_ceil(64),
        (n + (1usize << (32 - l))).div_ceil(64),
    )
}

impl PackedSets {
    /// No sets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a set, sorted and distinct (as [`fingerprints`](super::fingerprints) gives).
    pub fn push(&mut self, set: &[Fingerprint]) {
        debug_assert!(
            set.windows(2).all(|w| w[0] < w[1]),
            "a set is sorted and distinct"
        );
        let n = set.len();
        let (low_words, high_words) = words(n);
        let need = low_words + high_words;
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.capacity() - c.len() >= need);
        if !fits {
            self.chunks.push(Vec::with_capacity(CHUNK_WORDS.max(need)));
        }
        let chunk_no = self.chunks.len() - 1;
        let chunk = &mut self.chunks[chunk_no];
        let start = chunk.len();
        self.starts.push(((chunk_no as u64) << 40) | start as u64);
        self.lens.push(n as u32);
        if n == 0 {
            return;
        }
        chunk.resize(start + need, 0);
        let (lows, highs) = chunk[start..].split_at_mut(low_words);
        let l = low_bits(n) as usize;
        let mask = (1u64 << l) - 1;
        for (i, &v) in set.iter().enumerate() {
            let v = u64::from(v);
            if l > 0 {
                let bit = i * l;
                let (w, s) = (bit / 64, bit % 64);
                lows[w] |= (v & mask) << s;
                if s + l > 64 {
                    lows[w + 1] |= (v & mask) >> (64 - s);
                }
            }
            let pos = (v >> l) as usize + i;
            highs[pos / 64] |= 1 << (pos % 64);
        }
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// The number of fingerprints in set `i`.
    pub fn set_len(&self, i: usize) -> usize {
        self.lens[i] as usize
    }

    /// Set `i`, decoded into `scratch`.
    pub fn set<'s>(&self, i: usize, scratch: &'s mut Vec<Fingerprint>) -> &'s [Fingerprint] {
        scratch.clear();
        let n = self.lens[i] as usize;
        if n == 0 {
            return scratch;
        }
        let s = self.starts[i];
        let (chunk, start) = ((s >> 40) as usize, (s & ((1 << 40) - 1)) as usize);
        let (low_words, high_words) = words(n);
        let (lows, highs) =
            self.chunks[chunk][start..start + low_words + high_words].split_at(low_words);
        let l = low_bits(n) as usize;
        let mask = (1u64 << l) - 1;
        scratch.reserve(n);
        let mut k = 0usize;
        for (wi, &word) in highs.iter().enumerate() {
            let mut w = word;
            while w != 0 {
                let high = (wi * 64 + w.trailing_zeros() as usize - k) as u64;
                let low = if l == 0 {
                    0
                } else {
                    let bit = k * l;
                    let (j, s) = (bit / 64, bit % 64);
                    let mut low = lows[j] >> s;
                    if s + l > 64 {
                        low |= lows[j + 1] << (64 - s);
                    }
                    low & mask
                };
                scratch.push(((high << l) | low) as Fingerprint);
                k += 1;
                w &= w - 1;
            }
            if k == n {
                break;
            }
        }
        scratch
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// Bytes held by the sets (their words, starts and lengths), not counting spare
    /// capacity of the last chunk.
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.len() * 8).sum::<usize>() + self.lens.len() * 12
    }
}

impl FingerprintSets for PackedSets {
    fn len(&self) -> usize {
        PackedSets::len(self)
    }

    fn set_len(&self, i: usize) -> usize {
        PackedSets::set_len(self, i)
    }

    fn set<'a>(&'a self, i: usize, scratch: &'a mut Vec<Fingerprint>) -> &'a [Fingerprint] {
        PackedSets::set(self, i, scratch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shingle::ShingleSets;

    fn sorted(mut v: Vec<u32>) -> Vec<u32> {
        v.sort_unstable();
        v.dedup();
        v
    }

    proptest::proptest! {
        /// Every set decodes to what was pushed, as the plain sets hold it, whatever its
        /// size, its values' spread and the chunk boundaries.
        #[test]
        fn packed_sets_decode_as_the_plain_sets_hold_them(
            sets in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::collection::vec(proptest::num::u32::ANY, 0..300),
                    proptest::collection::vec(0u32..64, 0..64),
                    proptest::collection::vec(u32::MAX - 50..=u32::MAX, 0..40),
                ],
                0..20,
            )
        ) {
            let sets: Vec<Vec<u32>> = sets.into_iter().map(sorted).collect();
            let mut plain = ShingleSets::<Fingerprint>::new();
            let mut packed = PackedSets::new();
            for s in &sets {
                plain.push(s);
                packed.push(s);
            }
            proptest::prop_assert_eq!(FingerprintSets::len(&packed), sets.len());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for (i, want) in sets.iter().enumerate() {
                proptest::prop_assert_eq!(packed.set(i, &mut a), plain.set(i, &mut b));
                proptest::prop_assert_eq!(packed.set_len(i), want.len());
            }
        }
    }

    #[test]
    fn extremes_round_trip() {
        let full_ends = vec![0, 1, u32::MAX - 1, u32::MAX];
        let one = vec![u32::MAX];
        let dense: Vec<u32> = (0..5000).collect();
        let mut packed = PackedSets::new();
        for set in [&vec![], &one, &full_ends, &dense] {
            packed.push(set);
        }
        let mut s = Vec::new();
        assert!(packed.set(0, &mut s).is_empty());
        assert_eq!(packed.set(1, &mut s), one.as_slice());
        assert_eq!(packed.set(2, &mut s), full_ends.as_slice());
        assert_eq!(packed.set(3, &mut s), dense.as_slice());
    }

    #[test]
    fn a_set_of_400_takes_about_25_bits_a_value() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let set = sorted(
            (0..400)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 32) as u32
                })
                .collect(),
        );
        let mut packed = PackedSets::new();
        packed.push(&set);
        let bits = (packed.bytes() - 12) * 8;
        assert_eq!(low_bits(set.len()), 23);
        assert!(
            bits <= set.len() * 26,
            "{bits} bits for {} values",
            set.len()
        );
    }
}
