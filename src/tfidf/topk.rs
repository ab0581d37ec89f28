//! Top-k cosine neighbours through an inverted index, without an n × n matrix.
//!
//! Vectors are L2-normalised, so cosine = dot product. For a query, the postings of its
//! terms are walked and scores accumulated in a dense array (with a list of the documents
//! touched, so clearing costs only what was used); the k best are then selected. Memory is
//! the index (same size as the matrix) plus one accumulator per thread.

use super::sparse::CsrMatrix;

/// A neighbour and its cosine similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// The document number.
    pub doc: u32,
    /// Cosine similarity to the query.
    pub score: f32,
}

/// Term → (document, weight) postings of a CSR matrix.
#[derive(Debug, Clone)]
pub struct InvertedIndex {
    ptr: Vec<usize>,
    docs: Vec<u32>,
    weights: Vec<f32>,
    n_docs: usize,
}

/// A per-thread accumulator for [`InvertedIndex::top_k`].
#[derive(Debug, Default)]
pub struct TopKScratch {
    acc: Vec<f32>,
    touched: Vec<u32>,
}

/// Orders neighbours best first: higher score, then lower document number.
fn better(a: &Neighbour, b: &Neighbour) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc))
}

impl InvertedIndex {
    /// Transposes the document-term matrix (documents stay in row order in each posting list).
    pub fn build(m: &CsrMatrix) -> Self {
        let (_, indices, data) = m.parts();
        let mut counts = vec![0usize; m.cols() + 1];
        for &t in indices {
            counts[t as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let ptr = counts.clone();
        let mut next = counts;
        let mut docs = vec![0u32; indices.len()];
        let mut weights = vec![0f32; indices.len()];
        for d in 0..m.rows() {
            let (cols, vals) = m.row(d);
            for (&t, &w) in cols.iter().zip(vals) {
                let slot = &mut next[t as usize];
                docs[*slot] = d as u32;
                weights[*slot] = w;
                *slot += 1;
            }
        }
        let _ = data;
        InvertedIndex {
            ptr,
            docs,
            weights,
            n_docs: m.rows(),
        }
    }

    /// Number of documents indexed.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// The `k` documents most similar to `query` (score > 0), best first, ties by document
    /// number; `exclude` (the query itself) is left out.
    pub fn top_k(
        &self,
        query: (&[u32], &[f32]),
        k: usize,
        exclude: Option<u32>,
        s: &mut TopKScratch,
    ) -> Vec<Neighbour> {
        if s.acc.len() < self.n_docs {
            s.acc.resize(self.n_docs, 0.0);
        }
        for (&t, &qw) in query.0.iter().zip(query.1) {
            let Some(r) = self.ptr.get(t as usize).zip(self.ptr.get(t as usize + 1)) else {
                continue;
            };
            for p in *r.0..*r.1 {
                let d = self.docs[p];
                let a = &mut s.acc[d as usize];
                if *a == 0.0 {
                    s.touched.push(d);
                }
                *a += qw * self.weights[p];
            }
        }
        let mut out: Vec<Neighbour> = Vec::with_capacity(s.touched.len());
        for &d in &s.touched {
            let score = s.acc[d as usize];
            s.acc[d as usize] = 0.0;
            if Some(d) != exclude && score > 0.0 {
                out.push(Neighbour { doc: d, score });
            }
        }
        s.touched.clear();
        if out.len() > k && k > 0 {
            out.select_nth_unstable_by(k - 1, better);
            out.truncate(k);
        }
        out.truncate(k);
        out.sort_by(better);
        out
    }
}

/// The plain reference: cosine against every row, then the best `k` (for tests).
pub fn brute_force_top_k(
    m: &CsrMatrix,
    query: (&[u32], &[f32]),
    k: usize,
    exclude: Option<u32>,
) -> Vec<Neighbour> {
    let mut all: Vec<Neighbour> = (0..m.rows())
        .filter(|&d| Some(d as u32) != exclude)
        .map(|d| Neighbour {
            doc: d as u32,
            score: super::sparse::sparse_dot(query, m.row(d)),
        })
        .filter(|n| n.score > 0.0)
        .collect();
    all.sort_by(better);
    all.truncate(k);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn matrix(rows: &[Vec<(u32, f32)>], cols: usize) -> CsrMatrix {
        let mut m = CsrMatrix::new(cols);
        for r in rows {
            let mut r = r.clone();
            r.sort_by_key(|x| x.0);
            r.dedup_by_key(|x| x.0);
            let n = r.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            for x in &mut r {
                x.1 /= n;
            }
            m.push_row(&r);
        }
        m
    }

    proptest! {
        /// The inverted index gives the brute-force neighbours (same documents, scores equal
        /// within float rounding; ties broken the same way up to that rounding).
        #[test]
        fn top_k_equals_brute_force(
            rows in proptest::collection::vec(
                proptest::collection::vec((0u32..30, 0.1f32..1.0), 1..8), 1..40),
            k in 1usize..12,
        ) {
            let m = matrix(&rows, 30);
            let index = InvertedIndex::build(&m);
            let mut s = TopKScratch::default();
            for q in 0..m.rows() {
                let fast = index.top_k(m.row(q), k, Some(q as u32), &mut s);
                let slow = brute_force_top_k(&m, m.row(q), k, Some(q as u32));
                prop_assert_eq!(fast.len(), slow.len());
                let Some(last) = slow.last() else { continue };
                for (f, b) in fast.iter().zip(&slow) {
                    prop_assert!((f.score - b.score).abs() < 1e-5);
                }
                // The k-th score is the same, so the sets agree up to ties at the boundary.
                let above = |v: &[Neighbour]| -> std::collections::BTreeSet<u32> {
                    v.iter().filter(|n| n.score > last.score + 1e-5).map(|n| n.doc).collect()
                };
                let (fs, bs) = (above(&fast), above(&slow));
                prop_assert_eq!(fs, bs);
            }
        }
    }
}
