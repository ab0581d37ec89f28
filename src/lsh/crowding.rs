//! Crowded band buckets: where two documents share a band because both hold common text.
//!
//! A bucket of `m` documents yields `m(m-1)/2` candidate pairs. With few rows per band (the
//! news defaults use 2), a band's key is often made of shingles that thousands of documents
//! share ("said in a statement on"), and such buckets grow with the corpus: on 100k
//! documents of the peers' corpus, buckets of more than 1,000 documents hold 80% of all
//! band collisions, and at a million documents the candidates grow with the square of the
//! corpus. A crowded bucket is therefore split by the key of the next band: its documents
//! become candidates only if they share that band too (the rows of two bands, `2r` slots),
//! which a real copy does with probability `J^r` and a pair that only shares boilerplate
//! almost never. Buckets of at most `cap` documents are walked as before.
//!
//! Bucket sizes are counted per band in a table of saturating counters indexed by a hash of
//! the band's slots, so a count is never below the true size (a bucket may share its
//! counter with others, which can only make it look crowded, never hide a crowded one).

use super::params::LshParams;
use crate::minhash::SignatureMatrix;

/// Documents a band bucket may hold before it is split by the next band's key, by default.
pub const DEFAULT_BUCKET_CAP: u32 = 100;

/// Documents a bucket may hold (after splitting) and still be walked pair by pair, by
/// default. A bucket this large is made of one text copied thousands of times, or of
/// documents sharing one long passage (a boilerplate page, a template): its pairs grow with
/// the square of its size (50,000 copies give 1.25 billion), so beyond this each document
/// is paired only with its [`BUCKET_WINDOW`] neighbours in signature order (see
/// [`Crowding::max_bucket`]).
pub const DEFAULT_MAX_BUCKET: u32 = 2_000;

/// In a bucket over the maximum, how many following documents (in signature order) each
/// document is paired with.
pub const BUCKET_WINDOW: usize = 100;

/// Approximate bucket sizes of every band: per band, saturating counters indexed by a
/// hash of the band's slots; never below the true size. Counted in one pass over the
/// signatures (row by row), mergeable across parts of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandCounts {
    params: LshParams,
    shift: u32,
    slots: usize,
    counts: Vec<u16>,
}

impl BandCounts {
    /// Empty tables sized for a corpus of `docs` documents: about one counter per eight
    /// documents and band, between 1,024 and 1,048,576 per band.
    pub fn new(params: LshParams, docs: usize) -> Self {
        let slots = (docs / 8).next_power_of_two().clamp(1 << 10, 1 << 20);
        BandCounts {
            params,
            shift: 64 - slots.trailing_zeros(),
            slots,
            counts: vec![0; slots * params.bands],
        }
    }

    /// Adds the band keys of `docs` (rows of `signatures`) in every band.
    pub fn add(&mut self, signatures: &SignatureMatrix, docs: &[u32]) {
        let r = self.params.rows;
        for &d in docs {
            let row = signatures.row(d as usize);
            for band in 0..self.params.bands {
                let i = band * self.slots + self.slot(&row[band * r..(band + 1) * r]);
                self.counts[i] = self.counts[i].saturating_add(1);
            }
        }
    }

    /// Adds the band keys of one signature in every band.
    pub fn add_signature(&mut self, row: &[u32]) {
        let r = self.params.rows;
        for band in 0..self.params.bands {
            let i = band * self.slots + self.slot(&row[band * r..(band + 1) * r]);
            self.counts[i] = self.counts[i].saturating_add(1);
        }
    }

    /// The counters as little-endian bytes, to merge with counts made in another process
    /// (a Spark task) by [`from_le_bytes`](Self::from_le_bytes) and [`merge`](Self::merge).
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.counts.iter().flat_map(|c| c.to_le_bytes()).collect()
    }

    /// Counts from [`to_le_bytes`](Self::to_le_bytes) of a table made by
    /// [`new`](Self::new) with the same banding and corpus size.
    pub fn from_le_bytes(params: LshParams, docs: usize, bytes: &[u8]) -> crate::Result<Self> {
        let mut t = BandCounts::new(params, docs);
        if bytes.len() != t.counts.len() * 2 {
            return Err(crate::Error::config(
                "band counts",
                format!(
                    "{} bytes, expected {} for {} bands over {docs} documents",
                    bytes.len(),
                    t.counts.len() * 2,
                    params.bands
                ),
            ));
        }
        for (c, b) in t.counts.iter_mut().zip(bytes.chunks_exact(2)) {
            *c = u16::from_le_bytes([b[0], b[1]]);
        }
        Ok(t)
    }

    /// Adds the counts of `other` (same banding and corpus size), saturating.
    pub fn merge(&mut self, other: &BandCounts) {
        debug_assert_eq!((self.params, self.slots), (other.params, other.slots));
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a = a.saturating_add(*b);
        }
    }

    /// The counter of a band's slots: a multiply-xor hash (the slots are already hash
    /// values; this only has to spread them), top bits.
    #[inline]
    fn slot(&self, slots: &[u32]) -> usize {
        let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
        for &v in slots {
            h = (h ^ u64::from(v)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            h ^= h >> 31;
        }
        (h >> self.shift) as usize
    }

    /// The counted size of the bucket of `slots` in band `band` (at least its true size,
    /// at most 65,535).
    #[inline]
    pub fn get(&self, band: usize, slots: &[u32]) -> u32 {
        u32::from(self.counts[band * self.slots + self.slot(slots)])
    }
}

/// Which band buckets are crowded (hold more than `cap` documents), for every band; or
/// none, when splitting is off.
///
/// It also bounds the pairs of one bucket: one with more than
/// [`max_bucket`](Self::max_bucket) documents (after splitting) is walked in a window (see
/// [`DEFAULT_MAX_BUCKET`]).
#[derive(Debug, Clone)]
pub struct Crowding {
    cap: u32,
    counts: Option<BandCounts>,
    max_bucket: usize,
}

impl Default for Crowding {
    fn default() -> Self {
        Crowding {
            cap: 0,
            counts: None,
            max_bucket: DEFAULT_MAX_BUCKET as usize,
        }
    }
}

impl Crowding {
    /// No bucket is crowded: every bucket is walked in full (up to the maximum bucket).
    pub fn off() -> Self {
        Crowding::default()
    }

    /// Buckets counted above `cap` are crowded (`cap` is held below 65,535, where the
    /// counters saturate).
    pub fn new(cap: u32, counts: BandCounts) -> Self {
        Crowding {
            cap: cap.min(u32::from(u16::MAX) - 1),
            counts: Some(counts),
            ..Crowding::default()
        }
    }

    /// Sets the largest bucket walked pair by pair (default [`DEFAULT_MAX_BUCKET`]; `None`:
    /// no limit, every pair of every bucket, however many). Over it, each document of the
    /// bucket, in the order of the signatures, is paired with the next [`BUCKET_WINDOW`]:
    /// time and memory grow with the bucket, not its square; copies in such a bucket are
    /// still joined into one cluster (neighbours in signature order share most slots), but
    /// the pair list holds only a window of its pairs.
    pub fn with_max_bucket(mut self, max: Option<u32>) -> Self {
        self.max_bucket = max.map_or(usize::MAX, |m| (m as usize).max(BUCKET_WINDOW + 1));
        self
    }

    /// The largest bucket walked pair by pair.
    pub fn max_bucket(&self) -> usize {
        self.max_bucket
    }

    /// Whether the bucket of a band's `slots` in band `band` is crowded.
    #[inline]
    pub fn is_crowded(&self, band: usize, slots: &[u32]) -> bool {
        self.counts
            .as_ref()
            .is_some_and(|c| c.get(band, slots) > self.cap)
    }

    /// Whether any bucket may be crowded (splitting is on).
    pub fn is_on(&self) -> bool {
        self.counts.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::SketchParams;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// A counted size is never below the true bucket size.
        #[test]
        fn counts_never_undercount(
            rows in proptest::collection::vec(proptest::collection::vec(0u32..4, 4), 1..200),
        ) {
            let params = LshParams { bands: 2, rows: 2 };
            let m = SignatureMatrix::from_flat(
                SketchParams { num_perm: 4, seed: 0, kind: crate::minhash::SketchKind::Classic },
                rows.concat(),
            )
            .unwrap();
            let docs: Vec<u32> = (0..rows.len() as u32).collect();
            let mut counts = BandCounts::new(params, docs.len());
            counts.add(&m, &docs);
            // Counting in two parts and merging gives the same tables.
            let (x, y) = docs.split_at(docs.len() / 2);
            let mut merged = BandCounts::new(params, docs.len());
            merged.add(&m, x);
            let mut second = BandCounts::new(params, docs.len());
            for &d in y {
                second.add_signature(m.row(d as usize));
            }
            // As another process would send them.
            let second = BandCounts::from_le_bytes(params, docs.len(), &second.to_le_bytes()).unwrap();
            merged.merge(&second);
            prop_assert_eq!(&merged, &counts);
            for band in 0..2 {
                let mut exact: HashMap<Vec<u32>, u32> = HashMap::new();
                for &d in &docs {
                    let slots = m.row(d as usize)[2 * band..2 * band + 2].to_vec();
                    *exact.entry(slots).or_default() += 1;
                }
                for (slots, n) in exact {
                    prop_assert!(counts.get(band, &slots) >= n);
                }
            }
        }
    }

    #[test]
    fn crowded_only_above_the_cap() {
        let params = LshParams { bands: 1, rows: 1 };
        // 5 documents with slot value 7, 2 with value 9.
        let flat = vec![7, 7, 7, 7, 7, 9, 9];
        let m = SignatureMatrix::from_flat(
            SketchParams {
                num_perm: 1,
                seed: 0,
                kind: crate::minhash::SketchKind::Classic,
            },
            flat,
        )
        .unwrap();
        let docs: Vec<u32> = (0..7).collect();
        let mut counts = BandCounts::new(params, docs.len());
        counts.add(&m, &docs);
        let c = Crowding::new(4, counts);
        assert!(c.is_on());
        assert!(c.is_crowded(0, &[7]));
        assert!(!c.is_crowded(0, &[9]));
        assert!(!Crowding::off().is_crowded(0, &[7]));
    }
}
