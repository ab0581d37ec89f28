//! Band tables: for each band, the (key, document) pairs of every sketched document, sorted
//! by key then document. This is the banding index as an index file lays it out: a bucket is
//! the run of one key, found by searching the sorted keys.

use super::band_index::band_key;
use super::params::LshParams;
use crate::minhash::SignatureMatrix;

/// Sorted band tables of a set of documents, `bands × docs` entries, band after band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandTables {
    /// Band keys; within each band's run of `docs` entries, sorted.
    pub keys: Vec<u64>,
    /// The document of each key (ties in key sorted by document).
    pub docs: Vec<u32>,
}

impl BandTables {
    /// The tables of `live` (document numbers, rows of `signatures`) under `lsh`.
    pub fn build(signatures: &SignatureMatrix, live: &[u32], lsh: LshParams) -> BandTables {
        let mut keys = Vec::with_capacity(lsh.bands * live.len());
        let mut docs = Vec::with_capacity(lsh.bands * live.len());
        let mut band: Vec<(u64, u32)> = Vec::with_capacity(live.len());
        for b in 0..lsh.bands {
            band.clear();
            band.extend(
                live.iter()
                    .map(|&d| (band_key(signatures.row(d as usize), lsh, b), d)),
            );
            band.sort_unstable();
            keys.extend(band.iter().map(|x| x.0));
            docs.extend(band.iter().map(|x| x.1));
        }
        BandTables { keys, docs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsh::BandIndex;
    use crate::minhash::{MinHasher, SplitMix64};

    #[test]
    fn each_band_is_sorted_and_its_buckets_are_the_band_index_buckets() {
        let h = MinHasher::builder().num_perm(32).seed(5).build().unwrap();
        let mut g = SplitMix64::new(1);
        let base: Vec<u64> = (0..60).map(|_| g.next()).collect();
        let mut flat = Vec::new();
        for i in 0..40usize {
            // Families of near-copies, so that buckets hold more than one document.
            let mut set = base[..40 + i % 4].to_vec();
            set.push(g.next() % ((i as u64 % 3) + 1));
            flat.extend(h.signature(&set));
        }
        let sigs = SignatureMatrix::from_flat(h.params(), flat).unwrap();
        let lsh = LshParams::new(8, 4, 32).unwrap();
        let live: Vec<u32> = (0..40).filter(|d| d % 7 != 3).collect();
        let t = BandTables::build(&sigs, &live, lsh);
        assert_eq!(t.keys.len(), 8 * live.len());
        let mut index = BandIndex::new(lsh);
        for &d in &live {
            index.insert(d, sigs.row(d as usize));
        }
        for &d in &live {
            let mut from_tables: Vec<u32> = Vec::new();
            for b in 0..8 {
                let run = b * live.len()..(b + 1) * live.len();
                let (keys, docs) = (&t.keys[run.clone()], &t.docs[run]);
                assert!(keys.windows(2).all(|w| w[0] <= w[1]));
                let key = band_key(sigs.row(d as usize), lsh, b);
                let lo = keys.partition_point(|&k| k < key);
                let hi = keys.partition_point(|&k| k <= key);
                assert!(docs[lo..hi].windows(2).all(|w| w[0] < w[1]));
                from_tables.extend(docs[lo..hi].iter().filter(|&&x| x != d));
            }
            from_tables.sort_unstable();
            from_tables.dedup();
            let mut from_index = index.query(sigs.row(d as usize));
            from_index.retain(|&x| x != d);
            from_index.sort_unstable();
            assert_eq!(from_tables, from_index, "doc {d}");
        }
    }
}
