//! Batch candidate generation: every pair of documents that shares a band.
//!
//! For a whole corpus at once, sorting `(band key, document)` pairs is faster and uses less
//! memory than filling hash tables, and gives the same candidates as [`super::BandIndex`].

use super::index::band_key;
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

/// The pairs of `docs` that share band `band`, unsorted and possibly repeated across bands.
///
/// `docs` lists the document numbers (rows of `signatures`) to consider.
pub fn band_candidates(
    signatures: &SignatureMatrix,
    docs: &[u32],
    params: LshParams,
    band: usize,
) -> Vec<PackedPair> {
    let mut out = Vec::new();
    for_each_band_pair(signatures, docs, params, band, |a, b| {
        out.push(pack_pair(a, b))
    });
    out
}

/// Calls `f(a, b)` (with `a < b`) for every pair of `docs` that shares band `band`: sorts
/// `(band key, document)` and walks each run of equal keys.
fn for_each_band_pair(
    signatures: &SignatureMatrix,
    docs: &[u32],
    params: LshParams,
    band: usize,
    mut f: impl FnMut(u32, u32),
) {
    let mut keyed: Vec<(u64, u32)> = docs
        .iter()
        .map(|&d| (band_key(signatures.row(d as usize), params, band), d))
        .collect();
    keyed.sort_unstable();
    for bucket in keyed.chunk_by(|x, y| x.0 == y.0) {
        for (i, x) in bucket.iter().enumerate() {
            for y in &bucket[i + 1..] {
                f(x.1.min(y.1), x.1.max(y.1));
            }
        }
    }
}

/// Calls `f(a, b)` (with `a < b`) for every pair of `docs` that shares band `band` and no
/// earlier band. Over all bands every candidate pair is visited exactly once, in the band
/// where it first collides, and the candidate list is never held: memory is one
/// `(key, document)` array of the band, whatever the number of candidates.
pub fn for_each_new_band_pair(
    signatures: &SignatureMatrix,
    docs: &[u32],
    params: LshParams,
    band: usize,
    mut f: impl FnMut(u32, u32),
) {
    let earlier = band * params.rows;
    let shares_earlier_band = |a: u32, b: u32| {
        let (ra, rb) = (
            &signatures.row(a as usize)[..earlier],
            &signatures.row(b as usize)[..earlier],
        );
        // Element by element: a slice `==` calls memcmp for every band of a few slots.
        ra.chunks_exact(params.rows)
            .zip(rb.chunks_exact(params.rows))
            .any(|(x, y)| x.iter().zip(y).all(|(p, q)| p == q))
    };
    for_each_band_pair(signatures, docs, params, band, |a, b| {
        if !shares_earlier_band(a, b) {
            f(a, b);
        }
    });
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
    use crate::lsh::BandIndex;
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
            let m = SignatureMatrix::from_flat(SketchParams { num_perm: 6, seed: 0, kind: crate::SketchKind::Classic }, flat).unwrap();
            let docs: Vec<u32> = (0..rows.len() as u32).collect();
            let got = merge_candidates((0..3).map(|b| band_candidates(&m, &docs, params, b)).collect());
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
        /// Visiting new pairs band by band gives every candidate exactly once.
        #[test]
        fn new_band_pairs_visit_each_candidate_once(
            rows in proptest::collection::vec(proptest::collection::vec(0u32..3, 6), 1..40),
        ) {
            let params = LshParams { bands: 3, rows: 2 };
            let flat: Vec<u32> = rows.concat();
            let m = SignatureMatrix::from_flat(
                SketchParams { num_perm: 6, seed: 0, kind: crate::SketchKind::Classic },
                flat,
            )
            .unwrap();
            let docs: Vec<u32> = (0..rows.len() as u32).collect();
            let all = merge_candidates(
                (0..3).map(|b| band_candidates(&m, &docs, params, b)).collect(),
            );
            let mut seen = Vec::new();
            for b in 0..3 {
                for_each_new_band_pair(&m, &docs, params, b, |x, y| seen.push(pack_pair(x, y)));
            }
            let n = seen.len();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), n, "a pair was visited twice");
            prop_assert_eq!(seen, all);
        }
    }
}
