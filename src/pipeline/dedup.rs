//! Candidates, verification and clusters over a sketched corpus, in parallel.

use rayon::prelude::*;

use super::config::Pipeline;
use super::sketch::SketchedCorpus;
use crate::cluster::{Cluster, VerifiedPair, build_clusters};
use crate::lsh::{PackedPair, band_candidates, merge_candidates, unpack_pair};
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
                let (sa, sb) = (corpus.sets.get(a as usize), corpus.sets.get(b as usize));
                let agree = agreements(
                    corpus.signatures.row(a as usize),
                    corpus.signatures.row(b as usize),
                );
                if !self.screen.may_pass(agree, sa.len(), sb.len()) {
                    return None;
                }
                self.verifier.verify(a, b, sa, sb)
            })
            .collect()
    }

    /// Near-duplicate pairs of the corpus: candidates, then verification.
    pub fn pairs(&self, corpus: &SketchedCorpus) -> Vec<VerifiedPair> {
        let candidates = self.candidates(corpus);
        self.verify(corpus, &candidates)
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
