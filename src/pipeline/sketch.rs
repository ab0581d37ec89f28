//! Reading and sketching a corpus in parallel batches.

use std::path::PathBuf;

use super::read::{Source, read_corpus_then};
use super::stages::{DocSketch, SketchScratch, Stages};
use crate::corpus::{DocMeta, Document, day_number};
use crate::error::{Location, Result};
use rayon::prelude::*;

use crate::cluster::{Figure, TemplateShingles};
use crate::minhash::SignatureMatrix;
use crate::shingle::{FingerprintSets, PackedSets, ShingleSets};

/// A corpus reduced to what the later stages need.
#[derive(Debug)]
pub struct SketchedCorpus {
    /// Input paths, in order.
    pub inputs: Vec<PathBuf>,
    /// Metadata, in input order.
    pub docs: Vec<DocMeta>,
    /// Shingle sets as 32-bit fingerprints (see [`Fingerprint`](crate::shingle::Fingerprint)),
    /// by document number, packed (read them with [`FingerprintSets::set`]).
    pub sets: PackedSets,
    /// Signatures, by document number.
    pub signatures: SignatureMatrix,
    /// Documents without a single token (never matched).
    pub empty: Vec<u32>,
    /// The corpus's template shingles (`None` when the pipeline's rule is off).
    pub templates: Option<TemplateShingles>,
}

impl SketchedCorpus {
    /// Where document `i` came from.
    pub fn location(&self, i: usize) -> Location {
        let d = &self.docs[i];
        Location {
            path: self.inputs[d.input as usize].clone(),
            line: d.line,
        }
    }

    /// Document numbers that have at least one shingle.
    pub fn non_empty(&self) -> Vec<u32> {
        (0..self.docs.len() as u32)
            .filter(|&i| self.sets.set_len(i as usize) > 0)
            .collect()
    }
}

/// The template shingles of a corpus (see [`TemplateShingles`]), with every document's
/// weight counted in parallel.
pub(super) fn learn_templates(
    p: &Stages,
    sets: &(impl FingerprintSets + ?Sized),
    figures: ShingleSets<Figure>,
) -> Option<TemplateShingles> {
    let t = TemplateShingles::learn(sets, p.templates)?.with_figures(figures);
    if t.is_empty() {
        return Some(t);
    }
    let weights = (0..sets.len())
        .into_par_iter()
        .with_min_len(4096)
        .map_init(Vec::new, |scratch, i| t.set_weight(sets.set(i, scratch)))
        .collect();
    Some(t.with_doc_weights(weights))
}

/// The work of [`Pipeline::sketch_corpus`](crate::Pipeline::sketch_corpus).
pub(super) fn sketch_corpus<'a>(
    p: &Stages,
    source: impl Into<Source<'a>>,
    on_batch: impl FnMut(usize) + Send,
) -> Result<SketchedCorpus> {
    let k = p.hasher.num_perm();
    // Each document's set and signature are folded into the corpus arrays as they
    // arrive (in input order), so no per-document vectors of the whole corpus are ever
    // held at once.
    let mut sets = PackedSets::new();
    let mut figures = ShingleSets::new();
    let mut flat: Vec<u32> = Vec::new();
    let mut empty = Vec::new();
    let mut n = 0u32;
    let read = read_corpus_then(
        source,
        on_batch,
        |d: &Document<'_>, scratch: &mut SketchScratch| {
            p.sketch_document(&d.text, d.date.as_deref().and_then(day_number), scratch)
        },
        |doc: DocSketch| {
            if doc.prints.is_empty() {
                empty.push(n);
            }
            n += 1;
            sets.push(&doc.prints);
            figures.push(&doc.figures);
            flat.extend_from_slice(&doc.signature);
        },
    )?;
    debug_assert_eq!(flat.len(), read.docs.len() * k);
    let signatures = SignatureMatrix::from_flat(p.hasher.params(), flat)?;
    let templates = learn_templates(p, &sets, figures);
    Ok(SketchedCorpus {
        inputs: read.inputs,
        docs: read.docs,
        sets,
        signatures,
        empty,
        templates,
    })
}
