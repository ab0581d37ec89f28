//! The TF-IDF side of a persistent index: the term table (every token seen, sorted by hash,
//! with its document frequency and idf), each document's term row and norms, and the
//! postings (per term, the documents that hold it with their normalised weight).

use super::model::{DocFreqs, TfidfBuilder};
use super::rows::TermRows;
use crate::error::Result;

/// Terms in at least this share of the documents count as common for query pruning.
pub const COMMON_TERM_SHARE: f64 = 0.15;

/// The document frequency from which a term is common in a corpus of `n` documents.
pub fn common_df(n: usize) -> usize {
    ((COMMON_TERM_SHARE * n as f64).ceil() as usize).max(2)
}

/// Postings and the term table of a corpus, as an index stores them.
///
/// Terms are numbered by the order of their hashes. The table holds every token seen (so
/// that an index can be refitted when documents are added); terms outside the model's df
/// bounds get idf 0 and no postings.
#[derive(Debug, Clone)]
pub struct Postings {
    /// Term hashes, sorted.
    pub terms: Vec<u64>,
    /// Document frequency of each term.
    pub df: Vec<u32>,
    /// Idf of each term (0 outside the model).
    pub idf: Vec<f32>,
    /// The largest normalised weight of each term in any document.
    pub max_weight: Vec<f32>,
    /// Each document's row: term numbers (ascending) and counts.
    pub rows: TermRows,
    /// Where each document's row starts, `n + 1` offsets.
    pub doc_offsets: Vec<u64>,
    /// Each document's TF-IDF norm.
    pub doc_norms: Vec<f32>,
    /// Each document's share of its norm held by common terms (see [`common_df`]).
    pub common_norms: Vec<f32>,
    /// Documents by common-term share, largest first (ties by number).
    pub by_common_norm: Vec<u32>,
    /// Where each term's postings start, `terms + 1` offsets.
    pub post_offsets: Vec<u64>,
    /// The documents of each term's postings, ascending.
    pub post_docs: Vec<u32>,
    /// Their normalised weights.
    pub post_weights: Vec<f32>,
    /// The document frequency from which a term is common.
    pub common_df: usize,
}

impl Postings {
    /// Fits `tfidf` on `freqs` and lays out the postings of `rows` (one per document, term
    /// numbers as `freqs` numbered them).
    pub fn build(tfidf: &TfidfBuilder, freqs: DocFreqs, rows: TermRows) -> Result<Postings> {
        let n = rows.len();
        let model = tfidf.clone().fit(&freqs)?;
        let t_count = freqs.n_terms();
        let mut order: Vec<u32> = (0..t_count as u32).collect();
        order.sort_unstable_by_key(|&p| freqs.hashes()[p as usize]);
        let terms: Vec<u64> = order.iter().map(|&p| freqs.hashes()[p as usize]).collect();
        let df: Vec<u32> = order.iter().map(|&p| freqs.dfs()[p as usize]).collect();
        let mut number = vec![0u32; t_count];
        for (t, &p) in order.iter().enumerate() {
            number[p as usize] = t as u32;
        }
        drop((order, freqs));
        let idf: Vec<f32> = terms
            .iter()
            .map(|&h| model.term(h).map_or(0.0, |t| model.idf()[t as usize]))
            .collect();
        drop(model);
        let common_df = common_df(n);
        let tf = tfidf.tf_weight();
        // Each document's terms get their numbers in the table (sorted by number, a row is
        // in hash order), then its norms; the postings are counted.
        let rows = rows.remapped(&number);
        drop(number);
        let mut row = Vec::new();
        let mut doc_offsets = Vec::with_capacity(n + 1);
        doc_offsets.push(0u64);
        let mut doc_norms = Vec::with_capacity(n);
        let mut common_norms = Vec::with_capacity(n);
        let mut post_offsets = vec![0u64; t_count + 1];
        for d in 0..n {
            rows.get(d, &mut row);
            let (mut norm, mut common) = (0f32, 0f32);
            for &(term, count) in &row {
                let t = term as usize;
                let w = tf.weight(count) * idf[t];
                if w > 0.0 {
                    post_offsets[t + 1] += 1;
                    norm += w * w;
                    if df[t] as usize >= common_df {
                        common += w * w;
                    }
                }
            }
            doc_offsets.push(doc_offsets.last().expect("starts at 0") + row.len() as u64);
            let norm = norm.sqrt();
            doc_norms.push(norm);
            common_norms.push(if norm > 0.0 {
                common.sqrt() / norm
            } else {
                0.0
            });
        }
        for i in 1..post_offsets.len() {
            post_offsets[i] += post_offsets[i - 1];
        }
        let total = post_offsets[t_count] as usize;
        let mut next: Vec<u64> = post_offsets.clone();
        let mut post_docs = vec![0u32; total];
        let mut post_weights = vec![0f32; total];
        let mut max_weight = vec![0f32; t_count];
        for (d, &norm) in doc_norms.iter().enumerate() {
            rows.get(d, &mut row);
            for &(term, count) in &row {
                let w = tf.weight(count) * idf[term as usize] / norm;
                if w > 0.0 {
                    let slot = &mut next[term as usize];
                    post_docs[*slot as usize] = d as u32;
                    post_weights[*slot as usize] = w;
                    *slot += 1;
                    max_weight[term as usize] = max_weight[term as usize].max(w);
                }
            }
        }
        drop(next);
        let mut by_common_norm: Vec<u32> = (0..n as u32).collect();
        by_common_norm.sort_by(|&a, &b| {
            common_norms[b as usize]
                .total_cmp(&common_norms[a as usize])
                .then(a.cmp(&b))
        });
        Ok(Postings {
            terms,
            df,
            idf,
            max_weight,
            rows,
            doc_offsets,
            doc_norms,
            common_norms,
            by_common_norm,
            post_offsets,
            post_docs,
            post_weights,
            common_df,
        })
    }
}
