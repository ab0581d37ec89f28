//! What an index keeps of each document, computed in one read of a corpus: shingle
//! fingerprints, signatures, figures and term counts (in parallel on the current rayon
//! pool), each as `pairs` computes them.

use super::read::{Source, read_corpus_then};
use super::stages::{SketchScratch, Stages};
use crate::corpus::{Document, day_number};
use crate::error::Result;
use crate::minhash::SignatureMatrix;
use crate::shingle::{Fingerprint, ShingleSets};
use crate::store::{IndexContents, IndexSettings};
use crate::tfidf::{DocFreqs, TermRows, TfidfBuilder, count_terms};

/// The work of [`Pipeline::index_settings`](crate::Pipeline::index_settings).
pub(super) fn index_settings(p: &Stages, tfidf: TfidfBuilder) -> IndexSettings {
    IndexSettings {
        shingle: p.shingle(),
        sketch: p.sketch_params(),
        lsh: p.lsh(),
        verifier: *p.verifier(),
        tfidf,
        templates: p.templates,
    }
}

/// The work of [`Pipeline::index_contents`](crate::Pipeline::index_contents).
pub(super) fn index_contents<'a>(
    p: &Stages,
    source: impl Into<Source<'a>>,
    on_batch: impl FnMut(usize) + Send,
) -> Result<IndexContents> {
    // Each document is folded into the arrays as it arrives (input order).
    let mut sets: ShingleSets<Fingerprint> = ShingleSets::new();
    let mut figures = ShingleSets::new();
    let mut flat = Vec::new();
    let mut terms = TermRows::new();
    let mut freqs = DocFreqs::default();
    let read = read_corpus_then(
        source,
        on_batch,
        |d: &Document<'_>, scratch: &mut (SketchScratch, String)| {
            let day = d.date.as_deref().and_then(day_number);
            let sketch = p.sketch_document(&d.text, day, &mut scratch.0);
            let terms = count_terms(p.analyzer(), &d.text, &mut scratch.1);
            (sketch, terms)
        },
        |(sketch, t)| {
            sets.push(&sketch.prints);
            figures.push(&sketch.figures);
            flat.extend_from_slice(&sketch.signature);
            terms.push(&freqs.add_numbered(&t));
        },
    )?;
    Ok(IndexContents {
        inputs: read.inputs,
        docs: read.docs,
        sets,
        figures,
        signatures: SignatureMatrix::from_flat(p.sketch_params(), flat)?,
        freqs,
        terms,
    })
}
