//! Re-ranking by shared neighbours.
//!
//! Articles about one event tend to be each other's nearest neighbours, while a look-alike
//! story (same kind of event, other people) shares words with them but not their
//! neighbourhood. So the ranking score mixes the cosine of two documents with the cosine of
//! their *neighbourhood vectors*: document `i`'s vector has weight 1 on itself and its
//! cosine on each of its `m` nearest neighbours, L2-normalised. Two documents with the same
//! close neighbours score high even when their own wording differs.
//!
//! `score = (cosine + w · neighbourhood) / (1 + w)`, in `[0, 1]`.
//!
//! This is the shared-nearest-neighbour idea of Jarvis & Patrick (1973), in the weighted,
//! "k-reciprocal" form used to re-rank retrieval results (e.g. Zhong et al. 2017). The
//! defaults (`m = 6`, `w = 2`) were chosen on the training topics of ECB+, see
//! `docs/ranking.md`.

use super::sparse::{CsrMatrix, sparse_dot};
use super::topk::{InvertedIndex, Neighbour, better};
use crate::error::{Error, Result};

/// Default neighbours per neighbourhood vector.
pub const DEFAULT_RERANK_NEIGHBOURS: usize = 6;
/// Default weight of the neighbourhood similarity.
pub const DEFAULT_RERANK_WEIGHT: f32 = 2.0;

/// Documents that enter a document's list through a shared neighbour are looked for among
/// at most this many documents per neighbour. A "hub" (a text copied thousands of times
/// is every copy's nearest neighbour) would otherwise make each document meet every other;
/// the scores stay exact, only the documents met through a hub are the hub's first ones.
pub const MAX_SHARED_NEIGHBOURS: usize = 1024;

/// Shared-neighbour re-ranking settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeighbourRerank {
    neighbours: usize,
    weight: f32,
}

impl Default for NeighbourRerank {
    fn default() -> Self {
        NeighbourRerank {
            neighbours: DEFAULT_RERANK_NEIGHBOURS,
            weight: DEFAULT_RERANK_WEIGHT,
        }
    }
}

impl NeighbourRerank {
    /// `neighbours` per neighbourhood vector (at least 1) and the weight `w` (finite, ≥ 0).
    pub fn new(neighbours: usize, weight: f32) -> Result<Self> {
        if neighbours == 0 {
            return Err(Error::config(
                "rerank_neighbours",
                "must be at least 1 (or turn re-ranking off)",
            ));
        }
        if !weight.is_finite() || weight < 0.0 {
            return Err(Error::config(
                "rerank_weight",
                format!("{weight} is not a finite number >= 0"),
            ));
        }
        Ok(NeighbourRerank { neighbours, weight })
    }

    /// Neighbours per neighbourhood vector.
    pub fn neighbours(&self) -> usize {
        self.neighbours
    }

    /// Weight of the neighbourhood similarity.
    pub fn weight(&self) -> f32 {
        self.weight
    }

    /// How many cosine neighbours per document the first pass must find to re-rank the top
    /// `k`: the k best by score are always among them or share a neighbour.
    pub fn first_pass(&self, k: usize) -> usize {
        k.max(self.neighbours)
    }

    /// Builds the neighbourhood vectors from every document's first-pass neighbours
    /// (best first, by cosine, at least [`first_pass`](Self::first_pass) of them when the
    /// document has that many).
    pub fn graph(&self, first: &[Vec<Neighbour>]) -> NeighbourGraph {
        let mut m = CsrMatrix::new(first.len());
        let mut row: Vec<(u32, f32)> = Vec::new();
        for (i, list) in first.iter().enumerate() {
            row.clear();
            row.push((i as u32, 1.0));
            row.extend(list.iter().take(self.neighbours).map(|n| (n.doc, n.cosine)));
            row.sort_unstable_by_key(|x| x.0);
            let norm = row.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            for x in &mut row {
                x.1 /= norm;
            }
            m.push_row(&row);
        }
        let index = InvertedIndex::build(&m);
        NeighbourGraph {
            rerank: *self,
            vectors: m,
            index,
        }
    }
}

/// Neighbourhood vectors of a corpus, ready to re-rank each document's neighbours.
#[derive(Debug)]
pub struct NeighbourGraph {
    rerank: NeighbourRerank,
    vectors: CsrMatrix,
    index: InvertedIndex,
}

impl NeighbourGraph {
    /// Cosine of the neighbourhood vectors of two documents.
    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        sparse_dot(self.vectors.row(a), self.vectors.row(b))
    }

    /// Document `i`'s `k` best neighbours by score. `first` is its first-pass list and
    /// `tfidf` the corpus's TF-IDF vectors (for the cosine of documents that enter through
    /// shared neighbours only).
    pub fn rerank(
        &self,
        i: usize,
        first: &[Neighbour],
        tfidf: &CsrMatrix,
        k: usize,
    ) -> Vec<Neighbour> {
        let w = self.rerank.weight;
        // Every document sharing a neighbour with i (up to the cap per neighbour).
        let mut shared: Vec<u32> = Vec::new();
        self.index
            .for_each_posting_capped(self.vectors.row(i), MAX_SHARED_NEIGHBOURS, |doc, _| {
                shared.push(doc)
            });
        shared.sort_unstable();
        shared.dedup();
        let mut out: Vec<Neighbour> = Vec::with_capacity(first.len() + shared.len());
        // Neighbourhood similarities, each from the two vectors (exact, cap or not).
        let snn = |d: u32| self.similarity(i, d as usize);
        for n in first {
            out.push(Neighbour {
                doc: n.doc,
                cosine: n.cosine,
                score: (n.cosine + w * snn(n.doc)) / (1.0 + w),
            });
        }
        let mut in_first: Vec<u32> = first.iter().map(|n| n.doc).collect();
        in_first.sort_unstable();
        for &d in &shared {
            if d as usize == i || in_first.binary_search(&d).is_ok() {
                continue;
            }
            let s = snn(d);
            let cosine = sparse_dot(tfidf.row(i), tfidf.row(d as usize));
            out.push(Neighbour {
                doc: d,
                cosine,
                score: (cosine + w * s) / (1.0 + w),
            });
        }
        out.sort_by(better);
        out.truncate(k);
        // Kept for the whole corpus: the candidates' room is returned.
        out.shrink_to_fit();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfidf::topk::tests::matrix;
    use crate::tfidf::{brute_force_top_k, sparse_dot};
    use proptest::prelude::*;

    /// The plain reference: dense neighbourhood vectors and scores against every document.
    fn brute_force(m: &CsrMatrix, r: NeighbourRerank, k: usize) -> Vec<Vec<Neighbour>> {
        let n = m.rows();
        let first: Vec<Vec<Neighbour>> = (0..n)
            .map(|i| brute_force_top_k(m, m.row(i), r.neighbours, Some(i as u32)))
            .collect();
        let dense: Vec<Vec<f32>> = (0..n)
            .map(|i| {
                let mut v = vec![0f32; n];
                v[i] = 1.0;
                for x in &first[i] {
                    v[x.doc as usize] = x.cosine;
                }
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                v.iter().map(|x| x / norm).collect()
            })
            .collect();
        (0..n)
            .map(|i| {
                let mut all: Vec<Neighbour> = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| {
                        let cosine = sparse_dot(m.row(i), m.row(j));
                        let s: f32 = dense[i].iter().zip(&dense[j]).map(|(a, b)| a * b).sum();
                        Neighbour {
                            doc: j as u32,
                            cosine,
                            score: (cosine + r.weight * s) / (1.0 + r.weight),
                        }
                    })
                    .filter(|x| x.score > 0.0)
                    .collect();
                all.sort_by(better);
                all.truncate(k);
                all
            })
            .collect()
    }

    proptest! {
        /// Re-ranking a first pass of max(k, m) neighbours gives the scores and documents of
        /// re-ranking every document (up to float rounding at ties).
        #[test]
        fn rerank_equals_brute_force(
            rows in proptest::collection::vec(
                proptest::collection::vec((0u32..20, 0.1f32..1.0), 1..6), 1..30),
            k in 1usize..8,
            m in 1usize..6,
            w in 0.0f32..4.0,
        ) {
            let x = matrix(&rows, 20);
            let r = NeighbourRerank::new(m, w).unwrap();
            let first: Vec<Vec<Neighbour>> = (0..x.rows())
                .map(|i| brute_force_top_k(&x, x.row(i), r.first_pass(k), Some(i as u32)))
                .collect();
            let graph = r.graph(&first);
            let slow = brute_force(&x, r, k);
            for i in 0..x.rows() {
                let fast = graph.rerank(i, &first[i], &x, k);
                prop_assert_eq!(fast.len(), slow[i].len());
                for (f, s) in fast.iter().zip(&slow[i]) {
                    prop_assert!((f.score - s.score).abs() < 1e-4, "{:?} vs {:?}", fast, slow[i]);
                }
            }
        }
    }

    #[test]
    fn validates_settings() {
        assert!(NeighbourRerank::new(0, 1.0).is_err());
        assert!(NeighbourRerank::new(3, -1.0).is_err());
        assert!(NeighbourRerank::new(3, f32::NAN).is_err());
        assert_eq!(NeighbourRerank::default().first_pass(10), 10);
        assert_eq!(NeighbourRerank::default().first_pass(2), 6);
    }
}
