//! The configured stages a [`Pipeline`](super::Pipeline) runs: analyser, shingler,
//! sketcher, signature screen, verifier and banding. The stage functions of this module's
//! files take these parts, so that they never need the `Pipeline` above them.

use crate::cluster::{DocFigures, Figure, Screen, TemplateRule, Verifier};
use crate::lsh::LshParams;
use crate::minhash::{MinHasher, SketchParams};
use crate::shingle::{Fingerprint, ShingleKind, ShingleScratch, Shingler, TokenSink, fingerprints};
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
    pub(crate) max_bucket: Option<u32>,
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

    /// A document's shingle fingerprints (sorted, deduplicated), its signature, and its
    /// figures when the template rule is on (empty otherwise), with its publication `day`
    /// (days since 1970-01-01) among them when known.
    pub(crate) fn sketch_document(
        &self,
        text: &str,
        day: Option<i64>,
        scratch: &mut SketchScratch,
    ) -> DocSketch {
        let shingles = &mut scratch.hashes;
        shingles.clear();
        let figures = &mut scratch.figures;
        let mut read_figure = |t: &str, h: u64| figures.token(t, h);
        let on_token: Option<TokenSink<'_>> = match self.templates {
            TemplateRule::Off => None,
            _ => Some(&mut read_figure),
        };
        self.shingler.shingles_into_with(
            &self.analyzer,
            text,
            &mut scratch.shingles,
            shingles,
            on_token,
        );
        let figures = match self.templates {
            TemplateRule::Off => Vec::new(),
            _ => scratch.figures.finish(text, day),
        };
        DocSketch {
            prints: fingerprints(shingles),
            // A sketch of the multiset is the sketch of the set: no need to sort the hashes.
            signature: self.hasher.signature(shingles),
            figures,
        }
    }
}

/// Per-thread buffers for [`Stages::sketch_document`].
#[derive(Debug, Default)]
pub(crate) struct SketchScratch {
    shingles: ShingleScratch,
    hashes: Vec<u64>,
    figures: DocFigures,
}

/// What the sketch stage keeps of a document.
#[derive(Debug)]
pub(crate) struct DocSketch {
    /// Shingle fingerprints, sorted and distinct.
    pub(crate) prints: Vec<Fingerprint>,
    /// The MinHash signature.
    pub(crate) signature: Vec<u32>,
    /// Its figures (see [`DocFigures`]), sorted; empty when the template rule is off.
    pub(crate) figures: Vec<Figure>,
}
