//! Two levels of grouping over one read of a corpus: *copies* (one text reworded, by
//! verified Jaccard/containment) and *stories* (articles covering one event, by TF-IDF
//! similarity and average linkage). Copies nest inside stories: each copy cluster starts as
//! one group before stories are merged.

use std::path::PathBuf;

use rayon::prelude::*;

use super::rank::{all_pairs_top_k, vectorize_all};
use super::read::read_corpus_then;
use super::sketch::SketchedCorpus;
use super::stages::Stages;
use crate::cluster::{
    Cluster, Edge, Story, StoryParams, VerifiedPair, build_clusters, stories_from_links,
};
use crate::corpus::{CorpusReader, DocMeta, Document, day_number};
use crate::error::{Error, Result};
use crate::minhash::SignatureMatrix;
use crate::shingle::{ShingleScratch, ShingleSets};
use crate::tfidf::{CsrMatrix, DocFreqs, Neighbour, TfidfBuilder, TfidfModel, count_terms};

/// A corpus read once for both levels: shingle sets and signatures (copies), TF-IDF
/// vectors (stories), and optionally the texts (passages).
#[derive(Debug)]
pub struct AnalysedCorpus {
    /// Shingles and signatures with the metadata.
    pub sketched: SketchedCorpus,
    /// The TF-IDF model fitted on the corpus.
    pub model: TfidfModel,
    /// One L2-normalised TF-IDF row per document.
    pub vectors: CsrMatrix,
    /// The texts, when asked for (else empty).
    pub texts: Vec<String>,
}

impl AnalysedCorpus {
    /// Metadata, in input order.
    pub fn docs(&self) -> &[DocMeta] {
        &self.sketched.docs
    }

    /// Input paths.
    pub fn inputs(&self) -> &[PathBuf] {
        &self.sketched.inputs
    }
}

/// The work of [`Pipeline::analyse_corpus`].
pub(super) fn analyse_corpus(
    p: &Stages,
    reader: CorpusReader,
    tfidf: &TfidfBuilder,
    keep_text: bool,
    on_batch: impl FnMut(usize) + Send,
) -> Result<AnalysedCorpus> {
    let mut freqs = DocFreqs::default();
    // Fold each document into the corpus arrays as it arrives (input order).
    let mut sets = ShingleSets::new();
    let mut flat: Vec<u32> = Vec::new();
    let mut empty = Vec::new();
    let mut numbered = Vec::new();
    let mut texts = Vec::new();
    let mut n = 0u32;
    let read = read_corpus_then(
        reader,
        on_batch,
        |d: &Document<'_>, scratch: &mut ((ShingleScratch, Vec<u64>), String)| {
            let (prints, signature) = p.fingerprints_and_signature(&d.text, &mut scratch.0);
            let terms = count_terms(p.analyzer(), &d.text, &mut scratch.1);
            let text = if keep_text {
                d.text.to_string()
            } else {
                String::new()
            };
            (prints, signature, terms, text)
        },
        |(prints, signature, terms, text)| {
            if prints.is_empty() {
                empty.push(n);
            }
            n += 1;
            sets.push(&prints);
            flat.extend_from_slice(&signature);
            numbered.push(freqs.add_numbered(&terms));
            if keep_text {
                texts.push(text);
            }
        },
    )?;
    let model = tfidf.clone().fit(&freqs)?;
    let map = model.term_map(&freqs);
    drop(freqs);
    let vectors = vectorize_all(&model, &map, numbered);
    Ok(AnalysedCorpus {
        sketched: SketchedCorpus {
            inputs: read.inputs,
            docs: read.docs,
            sets,
            signatures: SignatureMatrix::from_flat(p.sketch_params(), flat)?,
            empty,
        },
        model,
        vectors,
        texts,
    })
}

/// The work of [`Pipeline::copies_and_stories`].
pub(super) fn copies_and_stories(
    p: &Stages,
    corpus: &AnalysedCorpus,
    params: &StoryParams,
) -> (Vec<VerifiedPair>, Vec<Cluster>, Vec<Story>) {
    let pairs = super::dedup::pairs(p, &corpus.sketched);
    let copies = build_clusters(corpus.docs().len(), &pairs, false);
    let stories = group_stories(&corpus.vectors, corpus.docs(), &copies, params);
    (pairs, copies, stories)
}

/// Groups documents into stories (every document is in exactly one; a story may have one
/// member). `copies` start as groups, so copies nest inside stories.
pub fn group_stories(
    vectors: &CsrMatrix,
    docs: &[DocMeta],
    copies: &[Cluster],
    params: &StoryParams,
) -> Vec<Story> {
    let first = cosine_first_pass(vectors, params);
    stories_from_first_pass(&first, vectors, docs, copies, params)
}

/// Each document's nearest neighbours by cosine, as many as the story links need (the first
/// pass of the shared-neighbour score), best first.
fn cosine_first_pass(vectors: &CsrMatrix, params: &StoryParams) -> Vec<Vec<Neighbour>> {
    match vectors.rows() {
        0 | 1 => vec![Vec::new(); vectors.rows()],
        n => all_pairs_top_k(
            vectors,
            params.rerank().first_pass(params.neighbours().min(n - 1)),
        ),
    }
}

/// [`group_stories`] from the cosine first pass.
fn stories_from_first_pass(
    first: &[Vec<Neighbour>],
    vectors: &CsrMatrix,
    docs: &[DocMeta],
    copies: &[Cluster],
    params: &StoryParams,
) -> Vec<Story> {
    let edges = story_edges(first, vectors, docs, params);
    stories_from_links(vectors.rows(), &edges, copies, params)
}

/// Every document's links: its `neighbours` best by the story score (computed in parallel),
/// without links across the date window. A pair may come in both directions (average
/// linkage keeps one).
fn story_edges(
    first: &[Vec<Neighbour>],
    vectors: &CsrMatrix,
    docs: &[DocMeta],
    params: &StoryParams,
) -> Vec<Edge> {
    let n = vectors.rows();
    if n < 2 {
        return Vec::new();
    }
    let k = params.neighbours().min(n - 1);
    let graph = params.rerank().graph(first);
    let days: Vec<Option<i64>> = docs
        .iter()
        .map(|d| d.date.as_deref().and_then(day_number))
        .collect();
    (0..n)
        .into_par_iter()
        .with_min_len(256)
        .flat_map_iter(|i| {
            graph
                .rerank(i, &first[i], vectors, k)
                .into_iter()
                .filter(|nb| nb.score > 0.0)
                .map(move |nb| (i as u32, nb.doc, nb.score))
        })
        .filter(|&(a, b, _)| params.within_window(days[a as usize], days[b as usize]))
        .collect()
}

/// The work of [`Pipeline::report`].
pub(super) fn report(
    p: &Stages,
    corpus: &AnalysedCorpus,
    params: &StoryParams,
    options: &crate::report::ReportOptions,
) -> Result<crate::report::Report> {
    if corpus.texts.len() != corpus.docs().len() {
        return Err(Error::config(
            "report",
            "the corpus was read without its texts (analyse_corpus with keep_text)",
        ));
    }
    let pairs = super::dedup::pairs(p, &corpus.sketched);
    let copies = build_clusters(corpus.docs().len(), &pairs, false);
    // The stories' cosine first pass also gives the related coverage (its top 5).
    let mut first = cosine_first_pass(&corpus.vectors, params);
    let stories = stories_from_first_pass(&first, &corpus.vectors, corpus.docs(), &copies, params);
    for list in &mut first {
        list.truncate(5);
    }
    let input = crate::report::ReportInput {
        docs: corpus.docs(),
        texts: &corpus.texts,
        sets: &corpus.sketched.sets,
        pairs: &pairs,
        stories: &stories,
        neighbours: &first,
    };
    Ok(crate::report::build_report(
        input,
        &crate::report::Aligner::default(),
        p.analyzer(),
        options,
    ))
}
