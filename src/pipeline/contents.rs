//! What an index keeps of each document, computed in one read of a corpus: shingle
//! fingerprints, signatures and term counts (in parallel on the current rayon pool).

use super::read::{Source, read_corpus_then};
use super::stages::Stages;
use crate::corpus::Document;
use crate::error::Result;
use crate::minhash::SignatureMatrix;
use crate::shingle::{Fingerprint, ShingleScratch, ShingleSets, fingerprints};
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
    let mut flat = Vec::new();
    let mut terms = TermRows::new();
    let mut freqs = DocFreqs::default();
    let read = read_corpus_then(
        source,
        on_batch,
        |d: &Document<'_>, scratch: &mut (ShingleScratch, String)| {
            let mut set = Vec::new();
            p.shingler()
                .shingles_into(p.analyzer(), &d.text, &mut scratch.0, &mut set);
            // A signature does not depend on order or repeats; the fingerprints are
            // sorted and deduplicated.
            let signature = p.hasher().signature(&set);
            let terms = count_terms(p.analyzer(), &d.text, &mut scratch.1);
            (fingerprints(&set), signature, terms)
        },
        |(set, signature, t)| {
            sets.push(&set);
            flat.extend_from_slice(&signature);
            terms.push(&freqs.add_numbered(&t));
        },
    )?;
    Ok(IndexContents {
        inputs: read.inputs,
        docs: read.docs,
        sets,
        signatures: SignatureMatrix::from_flat(p.sketch_params(), flat)?,
        freqs,
        terms,
    })
}
