//! TF-IDF vectors of a corpus and every document's top-k neighbours, in parallel.

use std::path::PathBuf;

use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use rayon::prelude::*;

use super::read::{Source, read_corpus_then};
use crate::corpus::DocMeta;
use crate::corpus::Document;
use crate::error::Result;
use crate::text::Analyzer;
use crate::tfidf::Twins;
use crate::tfidf::{
    AllPairsTopK, CsrMatrix, DocFreqs, Neighbour, NeighbourRerank, ScanScratch, TfidfBuilder,
    TfidfModel, TopKLists, count_terms,
};

/// Fits TF-IDF on a corpus and ranks neighbours by cosine.
#[derive(Debug)]
pub struct Ranker {
    analyzer: Analyzer,
    builder: TfidfBuilder,
    rerank: Option<NeighbourRerank>,
}

/// A corpus as TF-IDF vectors.
#[derive(Debug)]
pub struct RankedCorpus {
    /// Input paths, in order.
    pub inputs: Vec<PathBuf>,
    /// Metadata, in input order.
    pub docs: Vec<DocMeta>,
    /// The fitted model (idf from this corpus).
    pub model: TfidfModel,
    /// One L2-normalised row per document.
    pub vectors: CsrMatrix,
}

impl Ranker {
    /// A ranker with the given TF-IDF settings, the default analyser, and the default
    /// shared-neighbour re-ranking.
    pub fn new(builder: TfidfBuilder) -> Self {
        Ranker {
            analyzer: Analyzer::default(),
            builder,
            rerank: Some(NeighbourRerank::default()),
        }
    }

    /// Analyses text with `analyzer` (e.g. with stop words or a stemmer) instead of the
    /// default.
    pub fn analyzer(mut self, analyzer: Analyzer) -> Self {
        self.analyzer = analyzer;
        self
    }

    /// Re-ranks by shared neighbours (`None`: rank by cosine alone).
    pub fn rerank(mut self, rerank: Option<NeighbourRerank>) -> Self {
        self.rerank = rerank;
        self
    }

    /// Reads the corpus, counts terms (in parallel), fits the model and vectorises. While
    /// reading, each document keeps only (term number, count) pairs.
    pub fn vectorize_corpus<'a>(
        &self,
        source: impl Into<Source<'a>>,
        on_batch: impl FnMut(usize) + Send,
    ) -> Result<RankedCorpus> {
        let mut freqs = DocFreqs::default();
        let read = read_corpus_then(
            source,
            on_batch,
            |d: &Document<'_>, scratch: &mut String| count_terms(&self.analyzer, &d.text, scratch),
            |terms| freqs.add_numbered(&terms),
        )?;
        let model = self.builder.clone().fit(&freqs)?;
        let map = model.term_map(&freqs);
        drop(freqs);
        let vectors = vectorize_all(&model, &map, read.items);
        Ok(RankedCorpus {
            inputs: read.inputs,
            docs: read.docs,
            model,
            vectors,
        })
    }

    /// The `k` best neighbours of every document (itself excluded), best first: by cosine,
    /// or re-ranked by shared neighbours.
    pub fn neighbours(&self, corpus: &RankedCorpus, k: usize) -> Vec<Vec<Neighbour>> {
        let Some(rerank) = self.rerank else {
            return all_pairs_top_k(&corpus.vectors, k);
        };
        let first = all_pairs_top_k(&corpus.vectors, rerank.first_pass(k));
        let graph = rerank.graph(&first);
        (0..first.len())
            .into_par_iter()
            .with_min_len(256)
            .map(|i| graph.rerank(i, &first[i], &corpus.vectors, k))
            .collect()
    }
}

/// Every row's `k` nearest rows by cosine. Identical rows (one text copied many times) are
/// searched once and expanded after ([`Twins`]), so 50,000 copies cost 50,000 rows, not
/// their 1.25 billion pairs.
pub fn all_pairs_top_k(m: &CsrMatrix, k: usize) -> Vec<Vec<Neighbour>> {
    let twins = Twins::of(m);
    if !twins.any() {
        return scan_top_k(m, k);
    }
    let lists = scan_top_k(&twins.representatives(m), k);
    (0..m.rows())
        .into_par_iter()
        .with_min_len(1024)
        .map(|i| twins.expand_row(m, &lists, i, k))
        .collect()
}

/// Every row's `k` nearest rows by cosine, scanned in parallel: each worker takes chunks of
/// rows as it frees up and fills its own lists, which are merged at the end (the result does
/// not depend on which worker scanned which rows).
fn scan_top_k(m: &CsrMatrix, k: usize) -> Vec<Vec<Neighbour>> {
    const CHUNK: usize = 128;
    let search = AllPairsTopK::new(m, k);
    let n = m.rows();
    let next = AtomicUsize::new(0);
    let parts: Vec<TopKLists> = (0..rayon::current_num_threads())
        .into_par_iter()
        .map(|_| {
            let mut lists = search.lists();
            let mut scratch = ScanScratch::default();
            loop {
                let start = next.fetch_add(CHUNK, AtomicOrdering::Relaxed);
                if start >= n {
                    break;
                }
                search.scan(start..(start + CHUNK).min(n), &mut lists, &mut scratch);
            }
            lists
        })
        .collect();
    let mut parts = parts.into_iter();
    let mut lists = parts.next().unwrap_or_else(|| search.lists());
    for p in parts {
        lists.merge(p);
    }
    lists.into_sorted()
}

pub(super) fn vectorize_all(
    model: &TfidfModel,
    map: &[u32],
    docs: Vec<Box<[(u32, u32)]>>,
) -> CsrMatrix {
    const CHUNK: usize = 4096;
    let mut m = CsrMatrix::new(model.vocabulary_size());
    let mut docs = docs;
    // Vectorise a slice of chunks at a time and free their counts as we go, so the counts
    // and the matrix are never both whole in memory.
    while !docs.is_empty() {
        let take = docs
            .len()
            .min(CHUNK * rayon::current_num_threads().max(1) * 4);
        let rest = docs.split_off(take);
        let parts: Vec<CsrMatrix> = docs
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut part = CsrMatrix::new(model.vocabulary_size());
                for d in chunk {
                    part.push_row(&model.vectorize_numbered(d, map));
                }
                part
            })
            .collect();
        drop(docs);
        for p in &parts {
            m.append(p);
        }
        docs = rest;
    }
    m
}
