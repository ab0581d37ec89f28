//! Top-k cosine neighbours through an inverted index, without an n × n matrix.
//!
//! Vectors are L2-normalised, so cosine = dot product. A query walks the postings of its
//! terms and accumulates scores in a dense array, then keeps the k best.
//!
//! For every document's neighbours within a corpus ([`AllPairsTopK`]) each unordered pair is
//! scored once: document `i` walks only the postings of documents `j > i` (postings are in
//! document order, so that is a suffix found by binary search) and offers the score to the
//! top-k lists of both `i` and `j`. That halves the work of the usual "every row against
//! the whole matrix" product. Rows can be scanned in any order and split between workers,
//! each with its own [`TopKLists`]; [`TopKLists::merge`] joins them, and the result does not
//! depend on the split (ties are broken by document number).

use std::cmp::Ordering;
use std::ops::Range;

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, s};

use super::sparse::CsrMatrix;

/// A neighbour: its cosine similarity and its ranking score (the cosine itself, unless
/// re-ranked, see [`NeighbourRerank`](super::NeighbourRerank)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// The document number.
    pub doc: u32,
    /// Cosine similarity of the TF-IDF vectors.
    pub cosine: f32,
    /// The score neighbours are ranked by.
    pub score: f32,
}

impl Neighbour {
    /// A neighbour ranked by its cosine.
    pub fn by_cosine(doc: u32, cosine: f32) -> Self {
        Neighbour {
            doc,
            cosine,
            score: cosine,
        }
    }
}

/// Orders neighbours best first: higher score, then lower document number.
pub(crate) fn better(a: &Neighbour, b: &Neighbour) -> Ordering {
    b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc))
}

#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    weight: f32,
}

/// Term → (document, weight) postings of a CSR matrix, documents in row order.
#[derive(Debug, Clone)]
pub struct InvertedIndex {
    ptr: Vec<usize>,
    postings: Vec<Posting>,
    n_docs: usize,
}

/// A per-thread accumulator for [`InvertedIndex::top_k`].
#[derive(Debug, Default)]
pub struct TopKScratch {
    acc: Vec<f32>,
}

impl InvertedIndex {
    /// Transposes the document-term matrix.
    pub fn build(m: &CsrMatrix) -> Self {
        Self::build_filtered(m, |_| true)
    }

    /// Transposes the columns of the document-term matrix for which `keep` holds (the
    /// others get empty posting lists).
    pub fn build_filtered(m: &CsrMatrix, keep: impl Fn(u32) -> bool) -> Self {
        let (_, indices, _) = m.parts();
        let mut ptr = vec![0usize; m.cols() + 1];
        for &t in indices {
            if keep(t) {
                ptr[t as usize + 1] += 1;
            }
        }
        for i in 1..ptr.len() {
            ptr[i] += ptr[i - 1];
        }
        let mut next = ptr.clone();
        let mut postings = vec![
            Posting {
                doc: 0,
                weight: 0.0
            };
            indices.len()
        ];
        for d in 0..m.rows() {
            let (cols, vals) = m.row(d);
            for (&t, &w) in cols.iter().zip(vals) {
                if !keep(t) {
                    continue;
                }
                let slot = &mut next[t as usize];
                postings[*slot] = Posting {
                    doc: d as u32,
                    weight: w,
                };
                *slot += 1;
            }
        }
        InvertedIndex {
            ptr,
            postings,
            n_docs: m.rows(),
        }
    }

    /// Number of documents indexed.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// Number of terms (columns).
    pub fn n_terms(&self) -> usize {
        self.ptr.len() - 1
    }

    /// The postings of term `t` for documents numbered `from` or more.
    fn postings_from(&self, t: u32, from: u32) -> &[Posting] {
        let Some(&end) = self.ptr.get(t as usize + 1) else {
            return &[];
        };
        let list = &self.postings[self.ptr[t as usize]..end];
        let start = if from == 0 {
            0
        } else {
            list.partition_point(|p| p.doc < from)
        };
        &list[start..]
    }

    /// Adds `query · doc` into `acc[doc]` for every document numbered `from` or more.
    fn accumulate(&self, query: (&[u32], &[f32]), from: u32, acc: &mut [f32]) {
        for (&t, &qw) in query.0.iter().zip(query.1) {
            for p in self.postings_from(t, from) {
                acc[p.doc as usize] += qw * p.weight;
            }
        }
    }

    /// Calls `f(doc, query weight × document weight)` for every posting of the query's terms.
    pub fn for_each_posting(&self, query: (&[u32], &[f32]), f: impl FnMut(u32, f32)) {
        self.for_each_posting_capped(query, usize::MAX, f);
    }

    /// As [`for_each_posting`](Self::for_each_posting), walking at most the first `cap`
    /// postings (lowest document numbers) of each term.
    pub fn for_each_posting_capped(
        &self,
        query: (&[u32], &[f32]),
        cap: usize,
        mut f: impl FnMut(u32, f32),
    ) {
        for (&t, &qw) in query.0.iter().zip(query.1) {
            for p in self.postings_from(t, 0).iter().take(cap) {
                f(p.doc, qw * p.weight);
            }
        }
    }

    /// The `k` documents most similar to `query` (cosine > 0), best first, ties by document
    /// number; `exclude` (the query itself) is left out.
    pub fn top_k(
        &self,
        query: (&[u32], &[f32]),
        k: usize,
        exclude: Option<u32>,
        s: &mut TopKScratch,
    ) -> Vec<Neighbour> {
        s.acc.clear();
        s.acc.resize(self.n_docs, 0.0);
        self.accumulate(query, 0, &mut s.acc);
        top_k_of_scores(&s.acc, k, exclude)
    }
}

/// The `k` best-scoring documents of a dense score array (score > 0), best first, ties by
/// document number, leaving out `exclude`.
pub fn top_k_of_scores(scores: &[f32], k: usize, exclude: Option<u32>) -> Vec<Neighbour> {
    // No more neighbours than documents, whatever was asked.
    let mut heap = BoundedHeap::new(k.min(scores.len()));
    for (d, &score) in scores.iter().enumerate() {
        if score > 0.0 && Some(d as u32) != exclude {
            heap.offer(Neighbour::by_cosine(d as u32, score));
        }
    }
    heap.into_sorted()
}

/// The k best neighbours seen so far (a binary heap with the worst on top).
#[derive(Debug, Clone)]
pub struct BoundedHeap {
    slots: Vec<Neighbour>,
    len: usize,
}

impl BoundedHeap {
    /// An empty heap keeping the `k` best.
    pub fn new(k: usize) -> Self {
        BoundedHeap {
            slots: vec![Neighbour::by_cosine(0, 0.0); k],
            len: 0,
        }
    }

    /// Offers a neighbour; kept if among the k best so far.
    #[inline]
    pub fn offer(&mut self, n: Neighbour) {
        if self.len == self.slots.len() && (self.len == 0 || n.score < self.slots[0].score) {
            return;
        }
        heap_offer(&mut self.slots, &mut self.len, n);
    }

    /// The worst score kept, once k are kept: anything scoring below it cannot enter.
    pub fn floor(&self) -> Option<f32> {
        (self.len == self.slots.len() && self.len > 0).then(|| self.slots[0].score)
    }

    /// The neighbours kept, best first.
    pub fn into_sorted(mut self) -> Vec<Neighbour> {
        self.slots.truncate(self.len);
        self.slots.sort_by(better);
        self.slots
    }
}

/// Offers `n` to a heap of at most `slots.len()` items, of which the first `len` are used
/// (worst at index 0).
fn heap_offer(slots: &mut [Neighbour], len: &mut usize, n: Neighbour) {
    if *len < slots.len() {
        slots[*len] = n;
        *len += 1;
        // Sift up: a parent is never better than its children.
        let mut c = *len - 1;
        while c > 0 {
            let p = (c - 1) / 2;
            if better(&slots[p], &slots[c]) == Ordering::Less {
                slots.swap(p, c);
                c = p;
            } else {
                break;
            }
        }
        return;
    }
    if slots.is_empty() || better(&n, &slots[0]) != Ordering::Less {
        return;
    }
    slots[0] = n;
    let items = &mut slots[..*len];
    let mut p = 0;
    loop {
        let (l, r) = (2 * p + 1, 2 * p + 2);
        let mut worst = p;
        if l < items.len() && better(&items[worst], &items[l]) == Ordering::Less {
            worst = l;
        }
        if r < items.len() && better(&items[worst], &items[r]) == Ordering::Less {
            worst = r;
        }
        if worst == p {
            return;
        }
        items.swap(p, worst);
        p = worst;
    }
}

/// The top-k neighbour lists of every document of a corpus, filled by scanning rows.
#[derive(Debug, Clone)]
pub struct TopKLists {
    k: usize,
    /// `k` slots per document; the first `len[d]` hold a heap, worst first.
    slots: Vec<Neighbour>,
    len: Vec<u32>,
    /// The worst score kept while the list is full (a quick reject), else -inf.
    floor: Vec<f32>,
}

impl TopKLists {
    /// Empty lists of `k` neighbours for `n_docs` documents.
    pub fn new(n_docs: usize, k: usize) -> Self {
        TopKLists {
            k,
            slots: vec![Neighbour::by_cosine(0, 0.0); n_docs * k],
            len: vec![0; n_docs],
            floor: vec![f32::NEG_INFINITY; n_docs],
        }
    }

    fn offer(&mut self, d: usize, n: Neighbour) {
        if n.score < self.floor[d] {
            return;
        }
        let k = self.k;
        let slots = &mut self.slots[d * k..(d + 1) * k];
        let mut len = self.len[d] as usize;
        heap_offer(slots, &mut len, n);
        self.len[d] = len as u32;
        if len == k {
            self.floor[d] = slots[0].score;
        }
    }

    /// Joins the lists of another scan of other rows.
    pub fn merge(&mut self, other: TopKLists) {
        assert_eq!(
            (self.k, self.len.len()),
            (other.k, other.len.len()),
            "lists differ in shape"
        );
        for d in 0..other.len.len() {
            let k = other.k;
            for i in 0..other.len[d] as usize {
                self.offer(d, other.slots[d * k + i]);
            }
        }
    }

    /// Every document's neighbours, best first.
    pub fn into_sorted(self) -> Vec<Vec<Neighbour>> {
        (0..self.len.len())
            .map(|d| {
                let mut v = self.slots[d * self.k..d * self.k + self.len[d] as usize].to_vec();
                v.sort_by(better);
                v
            })
            .collect()
    }
}

/// Per-worker scratch space of [`AllPairsTopK::scan`].
#[derive(Debug, Default)]
pub struct ScanScratch {
    /// Scores of a block of rows against every later row.
    block: Array2<f32>,
    /// Per sparse term, the first posting not yet passed by the rows scanned.
    cursor: Vec<usize>,
    last_row: usize,
}

/// Terms in at least this share of the documents are scored as dense columns, by matrix
/// product; rarer terms through postings. Measured on the peers' 100k corpus: a posting
/// costs about 3.5 ns (a scattered add), a dense multiply-add about 0.04 ns, so a term is
/// cheaper dense when `df / n > sqrt(0.04 / 3.5) ≈ 0.1`.
pub const DENSE_TERM_SHARE: f64 = 0.1;

/// Rows scored together as one block (the height of the matrix product).
pub const SCAN_BLOCK: usize = 128;

/// Every document's `k` nearest neighbours within one matrix, each pair scored once.
///
/// Frequent terms (see `DENSE_TERM_SHARE`) are copied into a dense `n × F` matrix and a
/// block of rows is scored against all later rows by one matrix product; the other terms
/// add their share through an inverted index.
#[derive(Debug)]
pub struct AllPairsTopK<'a> {
    matrix: &'a CsrMatrix,
    /// Postings of the sparse (rarer) terms only.
    index: InvertedIndex,
    /// The frequent terms' weights, one row per document.
    dense: Array2<f32>,
    k: usize,
}

impl<'a> AllPairsTopK<'a> {
    /// Indexes the matrix for a search of `k` neighbours per document.
    pub fn new(matrix: &'a CsrMatrix, k: usize) -> Self {
        Self::with_dense_share(matrix, k, DENSE_TERM_SHARE)
    }

    /// As [`new`](Self::new), with terms in at least `share` of the documents scored dense
    /// (`share > 1` scores every term through postings).
    pub fn with_dense_share(matrix: &'a CsrMatrix, k: usize, share: f64) -> Self {
        let n = matrix.rows();
        // A document has at most n - 1 neighbours: lists are allocated by what exists.
        let k = k.min(n.saturating_sub(1).max(1));
        let (_, indices, _) = matrix.parts();
        let mut df = vec![0usize; matrix.cols()];
        for &t in indices {
            df[t as usize] += 1;
        }
        let min_df = ((share * n as f64).ceil() as usize).max(2);
        let mut dense_col = vec![u32::MAX; matrix.cols()];
        let mut f = 0u32;
        for (t, &d) in df.iter().enumerate() {
            if d >= min_df && share <= 1.0 {
                dense_col[t] = f;
                f += 1;
            }
        }
        let mut dense = Array2::<f32>::zeros((n, f as usize));
        for d in 0..n {
            let (cols, vals) = matrix.row(d);
            for (&t, &w) in cols.iter().zip(vals) {
                if dense_col[t as usize] != u32::MAX {
                    dense[(d, dense_col[t as usize] as usize)] = w;
                }
            }
        }
        let index = InvertedIndex::build_filtered(matrix, |t| dense_col[t as usize] == u32::MAX);
        AllPairsTopK {
            matrix,
            index,
            dense,
            k,
        }
    }

    /// Number of terms scored dense.
    pub fn dense_terms(&self) -> usize {
        self.dense.ncols()
    }

    /// Empty lists to scan rows into.
    pub fn lists(&self) -> TopKLists {
        TopKLists::new(self.matrix.rows(), self.k)
    }

    /// Scores rows `rows` against every later row and offers each positive score to both
    /// documents' lists. Rows are taken in blocks of `SCAN_BLOCK` from `rows.start`; scans
    /// are fastest when each scratch sees increasing row ranges.
    pub fn scan(&self, rows: Range<usize>, lists: &mut TopKLists, scratch: &mut ScanScratch) {
        let n_terms = self.index.n_terms();
        if scratch.cursor.len() != n_terms || rows.start < scratch.last_row {
            scratch.cursor = self.index.ptr[..n_terms].to_vec();
        }
        let mut a = rows.start;
        while a < rows.end {
            let b = (a + SCAN_BLOCK).min(rows.end);
            self.scan_block(a, b, lists, scratch);
            a = b;
        }
        scratch.last_row = rows.end;
    }

    fn scan_block(&self, a: usize, b: usize, lists: &mut TopKLists, scratch: &mut ScanScratch) {
        let n = self.matrix.rows();
        let width = n - a;
        // block[r][c] = score of rows a + r and a + c.
        let block = &mut scratch.block;
        if block.dim() != (b - a, width) {
            *block = Array2::zeros((b - a, width));
        }
        if self.dense.ncols() > 0 {
            let lhs = self.dense.slice(s![a..b, ..]);
            let rhs = self.dense.slice(s![a.., ..]);
            general_mat_mul(1.0, &lhs, &rhs.t(), 0.0, block);
        } else {
            block.fill(0.0);
        }
        for i in a..b {
            let from = i as u32 + 1;
            let mut row = block.row_mut(i - a);
            let acc = row.as_slice_mut().expect("a standard-layout block");
            let (terms, weights) = self.matrix.row(i);
            for (&t, &qw) in terms.iter().zip(weights) {
                let t = t as usize;
                let end = self.index.ptr[t + 1];
                if end == self.index.ptr[t] {
                    continue; // a dense term
                }
                // Postings are in document order and rows increase: move the term's cursor
                // past the documents numbered i or less.
                let mut c = scratch.cursor[t];
                while c < end && self.index.postings[c].doc < from {
                    c += 1;
                }
                scratch.cursor[t] = c;
                for p in &self.index.postings[c..end] {
                    acc[p.doc as usize - a] += qw * p.weight;
                }
            }
            for (c, &score) in acc.iter().enumerate().skip(i + 1 - a) {
                if score > 0.0 {
                    let j = a + c;
                    lists.offer(i, Neighbour::by_cosine(j as u32, score));
                    lists.offer(j, Neighbour::by_cosine(i as u32, score));
                }
            }
        }
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
        .map(|d| Neighbour::by_cosine(d as u32, super::sparse::sparse_dot(query, m.row(d))))
        .filter(|n| n.score > 0.0)
        .collect();
    all.sort_by(better);
    all.truncate(k);
    all
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn matrix(rows: &[Vec<(u32, f32)>], cols: usize) -> CsrMatrix {
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

    /// Same documents and scores as the reference, up to float rounding and ties at the
    /// k-th score.
    fn assert_same(fast: &[Neighbour], slow: &[Neighbour]) -> Result<(), TestCaseError> {
        prop_assert_eq!(fast.len(), slow.len());
        let Some(last) = slow.last() else {
            return Ok(());
        };
        for (f, b) in fast.iter().zip(slow) {
            prop_assert!((f.score - b.score).abs() < 1e-5);
        }
        let above = |v: &[Neighbour]| -> std::collections::BTreeSet<u32> {
            v.iter()
                .filter(|n| n.score > last.score + 1e-5)
                .map(|n| n.doc)
                .collect()
        };
        prop_assert_eq!(above(fast), above(slow));
        Ok(())
    }

    fn rows() -> impl Strategy<Value = Vec<Vec<(u32, f32)>>> {
        proptest::collection::vec(
            proptest::collection::vec((0u32..30, 0.1f32..1.0), 1..8),
            1..40,
        )
    }

    proptest! {
        /// A single query through the index gives the brute-force neighbours.
        #[test]
        fn top_k_equals_brute_force(rows in rows(), k in 1usize..12) {
            let m = matrix(&rows, 30);
            let index = InvertedIndex::build(&m);
            let mut s = TopKScratch::default();
            for q in 0..m.rows() {
                let fast = index.top_k(m.row(q), k, Some(q as u32), &mut s);
                assert_same(&fast, &brute_force_top_k(&m, m.row(q), k, Some(q as u32)))?;
            }
        }

        /// The all-pairs scan, split at any row and merged, gives every document's
        /// brute-force neighbours.
        #[test]
        fn all_pairs_equals_brute_force(
            rows in rows(), k in 1usize..12, split in 0usize..40, share in 0.0f64..1.5,
        ) {
            let m = matrix(&rows, 30);
            let search = AllPairsTopK::with_dense_share(&m, k, share);
            let split = split.min(m.rows());
            let (mut a, mut b) = (search.lists(), search.lists());
            let mut scratch = ScanScratch::default();
            search.scan(split..m.rows(), &mut a, &mut scratch);
            search.scan(0..split, &mut b, &mut scratch);
            a.merge(b);
            for (q, fast) in a.into_sorted().iter().enumerate() {
                assert_same(fast, &brute_force_top_k(&m, m.row(q), k, Some(q as u32)))?;
            }
        }
    }
}
