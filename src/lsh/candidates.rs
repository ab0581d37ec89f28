//! Batch candidate generation: every pair of documents that shares a band.
//!
//! For a whole corpus at once, sorting `(band key, document)` pairs is faster and uses less
//! memory than filling hash tables, and gives the same candidates as [`super::BandIndex`].

use super::band_index::band_key;
use super::crowding::{BUCKET_WINDOW, Crowding};
use super::params::LshParams;
use crate::minhash::SignatureMatrix;

/// A candidate pair `(a, b)` with `a < b`, packed as `a << 32 | b` so pairs sort by `a`.
pub type PackedPair = u64;

/// Packs a pair (smaller document first).
#[inline]
pub fn pack_pair(a: u32, b: u32) -> PackedPair {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    (u64::from(a) << 32) | u64::from(b)
}

/// Unpacks a pair.
#[inline]
pub fn unpack_pair(p: PackedPair) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

/// The pairs of `docs` that meet in band `band`, unsorted and possibly repeated across
/// bands: that share the band, and, in a bucket `crowding` marks as crowded, the next band
/// too (see [`Crowding`]).
///
/// `docs` lists the document numbers (rows of `signatures`) to consider.
pub fn band_candidates(
    signatures: &SignatureMatrix,
    docs: &[u32],
    params: LshParams,
    band: usize,
    crowding: &Crowding,
) -> Vec<PackedPair> {
    let mut out = Vec::new();
    for_each_band_pair(signatures, docs, params, band, crowding, |a, b| {
        out.push(pack_pair(a, b))
    });
    out
}

/// Whether documents with signatures `a` and `b` meet in band `band`: the rows of the band
/// are equal and, if its bucket is crowded, those of the next band too.
#[inline]
fn meet_in_band(a: &[u32], b: &[u32], params: LshParams, band: usize, crowding: &Crowding) -> bool {
    let rows = |band: usize| band * params.rows..(band + 1) * params.rows;
    // Element by element: a slice `==` calls memcmp for every band of a few slots.
    let equal = |band: usize| {
        a[rows(band)]
            .iter()
            .zip(&b[rows(band)])
            .all(|(p, q)| p == q)
    };
    equal(band)
        && (!crowding.is_on()
            || !crowding.is_crowded(band, &a[rows(band)])
            || equal((band + 1) % params.bands))
}

/// Calls `f(a, b)` (with `a < b`) for every pair of `docs` that meets in band `band`: sorts
/// `(band key, document)` and walks each run of equal keys; a crowded run is sorted again
/// by the next band's key and walked run by run. A run over the crowding's
/// [`max_bucket`](Crowding::max_bucket) is walked in a window instead; returns how many
/// runs were.
fn for_each_band_pair(
    signatures: &SignatureMatrix,
    docs: &[u32],
    params: LshParams,
    band: usize,
    crowding: &Crowding,
    mut f: impl FnMut(u32, u32),
) -> usize {
    let mut windowed = 0;
    let mut walk = |run: &[(u64, u32)], f: &mut dyn FnMut(u32, u32)| {
        if run.len() > crowding.max_bucket() {
            windowed += 1;
            each_window_pair(signatures, run, BUCKET_WINDOW, f);
        } else {
            each_pair(run, f);
        }
    };
    let key = |d: u32, band: usize| band_key(signatures.row(d as usize), params, band);
    let mut keyed: Vec<(u64, u32)> = docs.iter().map(|&d| (key(d, band), d)).collect();
    sort_keyed(&mut keyed, docs.is_sorted());
    let mut split = Vec::new();
    for bucket in keyed.chunk_by(|x, y| x.0 == y.0) {
        let slots = band * params.rows..(band + 1) * params.rows;
        if bucket.len() > 1
            && crowding.is_crowded(band, &signatures.row(bucket[0].1 as usize)[slots])
        {
            let next = (band + 1) % params.bands;
            split.clear();
            split.extend(bucket.iter().map(|&(_, d)| (key(d, next), d)));
            split.sort_unstable();
            for part in split.chunk_by(|x, y| x.0 == y.0) {
                walk(part, &mut f);
            }
        } else {
            walk(bucket, &mut f);
        }
    }
    windowed
}

/// Sorts `(key, document)` pairs by key, then document. Band keys are uniform 64-bit
/// hashes, so a radix sort on the key (stable: documents that came in ascending order stay
/// so within a key) beats a comparison sort several times over on a band of a large corpus.
fn sort_keyed(keyed: &mut [(u64, u32)], docs_ascending: bool) {
    if docs_ascending && keyed.len() > 256 {
        radsort::sort_by_key(keyed, |x| x.0);
    } else {
        keyed.sort_unstable();
    }
}

/// Calls `f(a, b)` (with `a < b`) for every pair of documents of a bucket.
#[inline]
fn each_pair(bucket: &[(u64, u32)], f: &mut dyn FnMut(u32, u32)) {
    for (i, x) in bucket.iter().enumerate() {
        for y in &bucket[i + 1..] {
            f(x.1.min(y.1), x.1.max(y.1));
        }
    }
}

/// Calls `f(a, b)` (with `a < b`) for the pairs of a bucket too large to walk whole: its
/// documents sorted by signature (then number), each with the `window` that follow it.
/// The order depends only on the signatures, so any split of the corpus gives the same
/// pairs.
fn each_window_pair(
    signatures: &SignatureMatrix,
    bucket: &[(u64, u32)],
    window: usize,
    f: &mut dyn FnMut(u32, u32),
) {
    let mut order: Vec<u32> = bucket.iter().map(|&(_, d)| d).collect();
    order.sort_unstable_by(|&a, &b| {
        signatures
            .row(a as usize)
            .cmp(signatures.row(b as usize))
            .then(a.cmp(&b))
    });
    for (i, &x) in order.iter().enumerate() {
        for &y in order.iter().skip(i + 1).take(window) {
            f(x.min(y), x.max(y));
        }
    }
}

/// Calls `f(a, b)` (with `a < b`) for every pair of `docs` that meets in band `band` and in
/// no earlier band. Over all bands every candidate pair is visited exactly once, in the
/// band where it first meets, and the candidate list is never held: memory is one
/// `(key, document)` array of the band, whatever the number of candidates. Returns how many
/// buckets were over the maximum and walked in a window (see [`Crowding::with_max_bucket`]).
pub fn for_each_new_band_pair(
    signatures: &SignatureMatrix,
    docs: &[u32],
    params: LshParams,
    band: usize,
    crowding: &Crowding,
    mut f: impl FnMut(u32, u32),
) -> usize {
    for_each_band_pair(signatures, docs, params, band, crowding, |a, b| {
        let (ra, rb) = (signatures.row(a as usize), signatures.row(b as usize));
        if !(0..band).any(|earlier| meet_in_band(ra, rb, params, earlier, crowding)) {
            f(a, b);
        }
    })
}

/// The first band in which documents with signatures `a` and `b` meet (share its bucket,
/// and the next band's where the bucket is crowded), if any: the only band where
/// [`for_each_new_band_pair`] may visit the pair (a bucket walked in a window there may
/// leave it out, and then no later band takes it up).
pub fn first_meeting_band(
    a: &[u32],
    b: &[u32],
    params: LshParams,
    crowding: &Crowding,
) -> Option<usize> {
    (0..params.bands).find(|&band| meet_in_band(a, b, params, band, crowding))
}

/// Merges per-band candidates into a sorted list without repeats.
pub fn merge_candidates(mut parts: Vec<Vec<PackedPair>>) -> Vec<PackedPair> {
    let mut all = parts.pop().unwrap_or_default();
    for p in parts {
        all.extend(p);
    }
    all.sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsh::{BandCounts, BandIndex};
    use crate::minhash::SketchParams;
    use proptest::prelude::*;

    proptest! {
        /// The batch candidates are exactly the pairs that share a band, and the same as
        /// the incremental index returns.
        #[test]
        fn candidates_are_exactly_pairs_sharing_a_band(
            rows in proptest::collection::vec(proptest::collection::vec(0u32..3, 6), 1..40),
        ) {
            let params = LshParams { bands: 3, rows: 2 };
            let flat: Vec<u32> = rows.concat();
            let m = SignatureMatrix::from_flat(SketchParams { num_perm: 6, seed: 0, kind: crate::minhash::SketchKind::Classic }, flat).unwrap();
            let docs: Vec<u32> = (0..rows.len() as u32).collect();
            let got = merge_candidates((0..3).map(|b| band_candidates(&m, &docs, params, b, &Crowding::off())).collect());
            let mut want = Vec::new();
            for i in 0..rows.len() {
                for j in i + 1..rows.len() {
                    if (0..3).any(|b| rows[i][2 * b..2 * b + 2] == rows[j][2 * b..2 * b + 2]) {
                        want.push(pack_pair(i as u32, j as u32));
                    }
                }
            }
            prop_assert_eq!(&got, &want);
            let mut index = BandIndex::new(params);
            for (i, r) in rows.iter().enumerate() {
                index.insert(i as u32, r);
            }
            let mut from_index = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                for j in index.query(r) {
                    if j as usize > i {
                        from_index.push(pack_pair(i as u32, j));
                    }
                }
            }
            from_index.sort_unstable();
            prop_assert_eq!(&from_index, &want);
            // Removing a document removes it from every answer.
            prop_assert!(index.remove(0, &rows[0]));
            prop_assert!(!index.query(&rows[0]).contains(&0));
            prop_assert_eq!(index.len(), rows.len() - 1);
        }
    }

    proptest! {
        /// Visiting new pairs band by band gives every candidate exactly once, with crowded
        /// buckets split or not; with splitting, the candidates are exactly the pairs that
        /// share a band whose bucket is not crowded, or share it and the next band.
        #[test]
        fn new_band_pairs_visit_each_candidate_once(
            rows in proptest::collection::vec(proptest::collection::vec(0u32..3, 6), 1..40),
            cap in 1u32..6,
        ) {
            let params = LshParams { bands: 3, rows: 2 };
            let flat: Vec<u32> = rows.concat();
            let m = SignatureMatrix::from_flat(
                SketchParams { num_perm: 6, seed: 0, kind: crate::minhash::SketchKind::Classic },
                flat,
            )
            .unwrap();
            let docs: Vec<u32> = (0..rows.len() as u32).collect();
            let mut counts = BandCounts::new(params, docs.len());
            counts.add(&m, &docs);
            for crowding in [Crowding::off(), Crowding::new(cap, counts)] {
                let all = merge_candidates(
                    (0..3).map(|b| band_candidates(&m, &docs, params, b, &crowding)).collect(),
                );
                let mut seen = Vec::new();
                for b in 0..3 {
                    for_each_new_band_pair(&m, &docs, params, b, &crowding, |x, y| {
                        seen.push(pack_pair(x, y))
                    });
                }
                let n = seen.len();
                seen.sort_unstable();
                seen.dedup();
                prop_assert_eq!(seen.len(), n, "a pair was visited twice");
                prop_assert_eq!(&seen, &all);
                // The plain reference: every pair, every band.
                let band = |r: &[u32], b: usize| r[2 * b..2 * b + 2].to_vec();
                let mut want = Vec::new();
                for i in 0..rows.len() {
                    for j in i + 1..rows.len() {
                        let meet = (0..3).any(|b| {
                            band(&rows[i], b) == band(&rows[j], b)
                                && (!crowding.is_crowded(b, &band(&rows[i], b))
                                    || band(&rows[i], (b + 1) % 3) == band(&rows[j], (b + 1) % 3))
                        });
                        if meet {
                            want.push(pack_pair(i as u32, j as u32));
                        }
                    }
                }
                prop_assert_eq!(&seen, &want);
            }
        }
    }

    proptest! {
        /// Every pair is visited in its first meeting band and in no other.
        #[test]
        fn pairs_are_visited_in_their_first_meeting_band(
            rows in proptest::collection::vec(proptest::collection::vec(0u32..3, 6), 2..30),
        ) {
            let params = LshParams { bands: 3, rows: 2 };
            let m = SignatureMatrix::from_flat(
                SketchParams { num_perm: 6, seed: 0, kind: crate::minhash::SketchKind::Classic },
                rows.concat(),
            ).unwrap();
            let docs: Vec<u32> = (0..rows.len() as u32).collect();
            let crowding = Crowding::off();
            let mut seen = Vec::new();
            for band in 0..3 {
                for_each_new_band_pair(&m, &docs, params, band, &crowding, |a, b| {
                    seen.push(((a, b), band))
                });
            }
            let visited: std::collections::HashMap<(u32, u32), usize> = seen.iter().copied().collect();
            prop_assert_eq!(visited.len(), seen.len());
            for a in 0..rows.len() {
                for b in a + 1..rows.len() {
                    let first = first_meeting_band(&rows[a], &rows[b], params, &crowding);
                    prop_assert_eq!(first, visited.get(&(a as u32, b as u32)).copied());
                }
            }
        }
    }

    /// A bucket over the maximum is walked in a window of signature order: each document
    /// with the next `BUCKET_WINDOW`, so the pairs grow with the bucket; a bucket at the
    /// maximum is walked whole; the pairs do not depend on the documents' order.
    #[test]
    fn a_bucket_over_the_maximum_is_walked_in_a_window() {
        let params = LshParams { bands: 2, rows: 1 };
        // 1,000 documents in one bucket of band 0 (slot 7); band 1 differs: 3 values.
        let n = 1000u32;
        let flat: Vec<u32> = (0..n).flat_map(|i| [7, i % 3]).collect();
        let m = SignatureMatrix::from_flat(
            SketchParams {
                num_perm: 2,
                seed: 0,
                kind: crate::minhash::SketchKind::Classic,
            },
            flat,
        )
        .unwrap();
        let docs: Vec<u32> = (0..n).collect();
        let walk = |crowding: &Crowding, docs: &[u32]| {
            let mut seen = Vec::new();
            let windowed = for_each_new_band_pair(&m, docs, params, 0, crowding, |a, b| {
                seen.push(pack_pair(a, b))
            });
            seen.sort_unstable();
            (seen, windowed)
        };
        let (all, w) = walk(&Crowding::off().with_max_bucket(None), &docs);
        assert_eq!((all.len(), w), ((n * (n - 1) / 2) as usize, 0));
        let (whole, w) = walk(&Crowding::off().with_max_bucket(Some(n)), &docs);
        assert_eq!((whole, w), (all.clone(), 0));
        let (some, w) = walk(&Crowding::off().with_max_bucket(Some(999)), &docs);
        assert_eq!(w, 1);
        // Each of the first n - W documents with W others, the rest with those after them.
        let window = BUCKET_WINDOW;
        let want = (n as usize - window) * window + window * (window - 1) / 2;
        assert_eq!(some.len(), want);
        assert!(some.iter().all(|p| all.binary_search(p).is_ok()));
        // Signature order first: documents with equal signatures are neighbours, so each
        // meets its own kind (i % 3) before any other.
        let same_kind = some
            .iter()
            .filter(|&&p| {
                let (a, b) = unpack_pair(p);
                a % 3 == b % 3
            })
            .count();
        assert!(
            same_kind * 5 > some.len() * 4,
            "{same_kind} of {}",
            some.len()
        );
        // The same pairs whatever order the documents come in.
        let reversed: Vec<u32> = docs.iter().rev().copied().collect();
        assert_eq!(
            walk(&Crowding::off().with_max_bucket(Some(999)), &reversed).0,
            some
        );
    }
}
