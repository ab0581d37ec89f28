//! TF-IDF over a whole archive of segments: the statistics one index of the live documents
//! would have (document frequencies, idf, each document's norm), computed when the archive
//! is opened, so that a query over several segments, some with deleted documents, scores
//! every document exactly as a fresh index of the live documents would (to float rounding).
//!
//! A segment's postings hold `tf · idf_s / norm_s` with its own idf and norms. Seen from
//! the archive a weight is `tf · idf / norm`, that is the stored weight times
//! `idf / idf_s` (a factor per term, [`SegmentWeights::term_scale`]) times `norm_s / norm`
//! (a factor per document, [`SegmentWeights::doc_scale`], 0 for a deleted one). Segments
//! of an archive are written without df bounds, so every term has postings; the archive's
//! bounds apply to the merged statistics here.

use super::deletions::Deletions;
use super::index::Index;
use crate::error::Result;
use crate::tfidf::TfidfBuilder;

/// The archive's term table: every token of a live document, by hash.
#[derive(Debug, Clone, Default)]
pub struct ArchiveTerms {
    /// Token hashes, sorted.
    pub hashes: Vec<u64>,
    /// Live documents holding each.
    pub df: Vec<u32>,
    /// The archive's idf (0 outside the df bounds).
    pub idf: Vec<f32>,
    /// Live documents.
    pub n_docs: usize,
}

impl ArchiveTerms {
    /// The number of a token hash in the table.
    pub fn term(&self, hash: u64) -> Option<u32> {
        self.hashes.binary_search(&hash).ok().map(|t| t as u32)
    }
}

/// One segment's weights seen from the archive (see the module's documentation).
#[derive(Debug, Clone, Default)]
pub struct SegmentWeights {
    /// The archive's idf of each of the segment's terms.
    pub idf: Vec<f32>,
    /// The archive's idf over the segment's, per segment term.
    pub term_scale: Vec<f32>,
    /// The segment's norm over the archive's, per document (0: deleted).
    pub doc_scale: Vec<f32>,
    /// Each document's norm with the archive's idf.
    pub norms: Vec<f32>,
    /// The share of that norm on the segment's common terms.
    pub common_norms: Vec<f32>,
    /// Documents by decreasing common norm.
    pub by_common_norm: Vec<u32>,
}

/// The archive's statistics over `segments` (each with its deletions), with `tfidf`'s
/// settings (its df bounds applied to the merged counts).
pub fn archive_weights(
    segments: &[(&Index, &Deletions)],
    tfidf: &TfidfBuilder,
) -> Result<(ArchiveTerms, Vec<SegmentWeights>)> {
    // Live document frequencies per segment term: the stored ones minus deleted documents.
    let mut dfs: Vec<Vec<u32>> = Vec::with_capacity(segments.len());
    let mut n_docs = 0usize;
    for &(index, deleted) in segments {
        let mut df = index.df()?.to_vec();
        for d in deleted.iter() {
            let (terms, _) = index.doc_terms(d)?;
            for &t in terms {
                // (A damaged file's counts never wrap.)
                df[t as usize] = df[t as usize].saturating_sub(1);
            }
        }
        n_docs += index.len() - deleted.len();
        dfs.push(df);
    }
    // Merged by hash (each segment's table is sorted).
    let tables: Vec<&[u64]> = segments
        .iter()
        .map(|(index, _)| index.term_hashes())
        .collect::<Result<_>>()?;
    let mut all: Vec<(u64, u32)> = Vec::new();
    for (hashes, df) in tables.iter().zip(&dfs) {
        all.extend(
            hashes
                .iter()
                .copied()
                .zip(df.iter().copied())
                .filter(|x| x.1 > 0),
        );
    }
    radsort::sort_by_key(&mut all, |x| x.0);
    let mut terms = ArchiveTerms {
        n_docs,
        ..Default::default()
    };
    for run in all.chunk_by(|a, b| a.0 == b.0) {
        terms.hashes.push(run[0].0);
        terms.df.push(run.iter().map(|x| x.1).sum());
    }
    drop(all);
    let idf_of = tfidf.idf_for(n_docs)?;
    terms.idf = terms.df.iter().map(|&df| idf_of(df)).collect();

    let tf = tfidf.tf_weight();
    // The same weights as `tf.weight`, looked up for the common small counts.
    let tf_table: Vec<f32> = (0..256).map(|c| tf.weight(c)).collect();
    let tf_of = |c: u32| match tf_table.get(c as usize) {
        Some(&w) => w,
        None => tf.weight(c),
    };
    let mut out = Vec::with_capacity(segments.len());
    for ((&(index, deleted), hashes), df) in segments.iter().zip(&tables).zip(&dfs) {
        let stored_idf = index.idf()?;
        let idf: Vec<f32> = hashes
            .iter()
            .zip(df)
            .map(|(&h, &d)| match d {
                0 => 0.0,
                _ => terms.term(h).map_or(0.0, |t| terms.idf[t as usize]),
            })
            .collect();
        let term_scale = idf
            .iter()
            .zip(stored_idf)
            .map(|(&g, &s)| if s > 0.0 { g / s } else { 0.0 })
            .collect();
        let common_df = index.header().common_df;
        let stored_norms = index.doc_norms()?;
        // Each term's idf, negated for the segment's common terms: one look-up a term of
        // a document in the loop below (idf is never negative).
        let signed_idf: Vec<f32> = idf
            .iter()
            .zip(index.df()?)
            .map(|(&g, &df)| if df as usize >= common_df { -g } else { g })
            .collect();
        let n = index.len();
        let (mut norms, mut common_norms, mut doc_scale) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (d, &stored_norm) in stored_norms.iter().enumerate().take(n) {
            // As `Postings::build` sums them: the row's terms in order, weights above 0.
            let (ts, cs) = index.doc_terms(d)?;
            let (norm, common) = squared_norms(ts, cs, &signed_idf, &tf_of);
            let norm = norm.sqrt();
            norms.push(norm);
            common_norms.push(if norm > 0.0 {
                common.sqrt() / norm
            } else {
                0.0
            });
            doc_scale.push(if deleted.contains(d) || norm == 0.0 {
                0.0
            } else {
                stored_norm / norm
            });
        }
        let mut by_common_norm: Vec<u32> = (0..n as u32).collect();
        by_common_norm.sort_by(|&a, &b| {
            common_norms[b as usize]
                .total_cmp(&common_norms[a as usize])
                .then(a.cmp(&b))
        });
        out.push(SegmentWeights {
            idf,
            term_scale,
            doc_scale,
            norms,
            common_norms,
            by_common_norm,
        });
    }
    Ok((terms, out))
}

/// A document's squared norm and the share of it on common terms, from its terms and counts
/// (terms weighted by `signed_idf`, negative for common terms), summed in the row's order
/// as `Postings::build` sums them; weights of 0 left out. (A function of its own, so that
/// its two sums stay in registers.)
#[inline(never)]
fn squared_norms(
    terms: &[u32],
    counts: &[u32],
    signed_idf: &[f32],
    tf_of: &impl Fn(u32) -> f32,
) -> (f32, f32) {
    let (mut norm, mut common) = (0f32, 0f32);
    for (&t, &c) in terms.iter().zip(counts) {
        let g = signed_idf[t as usize];
        let w = tf_of(c) * g.abs();
        if w > 0.0 {
            norm += w * w;
            if g < 0.0 {
                common += w * w;
            }
        }
    }
    (norm, common)
}
