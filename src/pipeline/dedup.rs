//! Candidates, verification and clusters over a sketched corpus, in parallel.

use rayon::prelude::*;

use super::config::Pipeline;
use super::sketch::SketchedCorpus;
use crate::cluster::{Cluster, VerifiedPair, build_clusters};
use crate::lsh::{
    PackedPair, band_candidates, for_each_new_band_pair, merge_candidates, unpack_pair,
};
use crate::minhash::agreements;

impl Pipeline {
    /// Every pair of non-empty documents that shares an LSH band, sorted, without repeats.
    pub fn candidates(&self, corpus: &SketchedCorpus) -> Vec<PackedPair> {
        let docs = corpus.non_empty();
        let parts: Vec<Vec<PackedPair>> = (0..self.lsh.bands)
            .into_par_iter()
            .map(|band| {
                let mut v = band_candidates(&corpus.signatures, &docs, self.lsh, band);
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        merge_candidates(parts)
    }

    /// The candidates that pass verification on the exact shingle sets, in pair order.
    /// Candidates whose signatures rule them out (see [`Screen`](crate::Screen)) are
    /// dropped before their sets are read.
    pub fn verify(&self, corpus: &SketchedCorpus, candidates: &[PackedPair]) -> Vec<VerifiedPair> {
        candidates
            .par_iter()
            .with_min_len(1024)
            .filter_map(|&p| {
                let (a, b) = unpack_pair(p);
                self.check(corpus, a, b)
            })
            .collect()
    }

    /// Near-duplicate pairs of the corpus, in pair order: candidates, then verification.
    pub fn pairs(&self, corpus: &SketchedCorpus) -> Vec<VerifiedPair> {
        self.pairs_counted(corpus).0
    }

    /// Near-duplicate pairs of the corpus and the number of candidate pairs checked.
    ///
    /// Bands are processed in parallel; in each, every pair that collides there and in no
    /// earlier band is screened and verified at once (`for_each_new_band_pair`), so each
    /// candidate is checked once and the candidate list is never held in memory. The
    /// result is the same as [`verify`](Self::verify) over [`candidates`](Self::candidates).
    pub fn pairs_counted(&self, corpus: &SketchedCorpus) -> (Vec<VerifiedPair>, u64) {
        let docs = corpus.non_empty();
        let parts: Vec<(Vec<VerifiedPair>, u64)> = (0..self.lsh.bands)
            .into_par_iter()
            .map(|band| {
                let mut found = Vec::new();
                let mut checked = 0u64;
                for_each_new_band_pair(&corpus.signatures, &docs, self.lsh, band, |a, b| {
                    checked += 1;
                    if let Some(p) = self.check(corpus, a, b) {
                        found.push(p);
                    }
                });
                (found, checked)
            })
            .collect();
        let checked = parts.iter().map(|p| p.1).sum();
        let mut pairs: Vec<VerifiedPair> = parts.into_iter().flat_map(|p| p.0).collect();
        pairs.sort_unstable_by_key(|p| (p.a, p.b));
        (pairs, checked)
    }

    /// Screens one candidate on its signatures, then verifies it on its shingle sets.
    fn check(&self, corpus: &SketchedCorpus, a: u32, b: u32) -> Option<VerifiedPair> {
        let (sa, sb) = (corpus.sets.get(a as usize), corpus.sets.get(b as usize));
        let agree = agreements(
            corpus.signatures.row(a as usize),
            corpus.signatures.row(b as usize),
        );
        if !self.screen.may_pass(agree, sa.len(), sb.len()) {
            return None;
        }
        self.verifier.verify(a, b, sa, sb)
    }

    /// Clusters of the corpus (with singletons if asked).
    pub fn clusters(
        &self,
        corpus: &SketchedCorpus,
        pairs: &[VerifiedPair],
        singletons: bool,
    ) -> Vec<Cluster> {
        build_clusters(corpus.docs.len(), pairs, singletons)
    }
}
