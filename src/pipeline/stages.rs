//! The configured stages a [`Pipeline`](super::Pipeline) runs: analyser, shingler,
//! sketcher, signature screen, verifier and banding. The stage functions of this module's
//! files take these parts, so that they never need the `Pipeline` above them.

use crate::cluster::{Screen, TemplateRule, Verifier};
use crate::lsh::LshParams;
use crate::minhash::{MinHasher, SketchParams};
use crate::shingle::{Fingerprint, ShingleKind, ShingleScratch, Shingler, fingerprints};
use crate::text::Analyzer;

/// The validated stage objects of a pipeline.
#[derive(Debug)]
pub(crate) struct Stages {
    pub(crate) analyzer: Analyzer,
    pub(crate) shingler: Shingler,
    pub(crate) hasher: MinHasher,
    pub(crate) verifier: Verifier,
    pub(crate) screen: Screen,
    pub(crate) lsh: LshParams,
    pub(crate) bucket_cap: Option<u32>,
    pub(crate) templates: TemplateRule,
}

impl Stages {
    /// The analyser.
    pub(crate) fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The shingler.
    pub(crate) fn shingler(&self) -> &Shingler {
        &self.shingler
    }

    /// The sketcher.
    pub(crate) fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// The verifier.
    pub(crate) fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The banding.
    pub(crate) fn lsh(&self) -> LshParams {
        self.lsh
    }

    /// The shingle kind.
    pub(crate) fn shingle(&self) -> ShingleKind {
        self.shingler.kind()
    }

    /// The sketch parameters.
    pub(crate) fn sketch_params(&self) -> SketchParams {
        self.hasher.params()
    }

    /// A document's shingle fingerprints (sorted, deduplicated) and its signature.
    pub(crate) fn fingerprints_and_signature(
        &self,
        text: &str,
        scratch: &mut (ShingleScratch, Vec<u64>),
    ) -> (Vec<Fingerprint>, Vec<u32>) {
        let shingles = &mut scratch.1;
        shingles.clear();
        self.shingler
            .shingles_into(&self.analyzer, text, &mut scratch.0, shingles);
        // A sketch of the multiset is the sketch of the set: no need to sort the hashes.
        (fingerprints(shingles), self.hasher.signature(shingles))
    }
}
