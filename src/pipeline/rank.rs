//! TF-IDF vectors of a corpus and every document's top-k neighbours, in parallel.

use std::path::PathBuf;

use rayon::prelude::*;

use super::read::{DocMeta, read_corpus};
use crate::corpus::{CorpusReader, Document};
use crate::error::Result;
use crate::text::Analyzer;
use crate::tfidf::{
    CsrMatrix, DocFreqs, InvertedIndex, Neighbour, TermCounts, TfidfBuilder, TfidfModel,
    TopKScratch, count_terms,
};

/// Fits TF-IDF on a corpus and ranks neighbours by cosine.
#[derive(Debug)]
pub struct Ranker {
    analyzer: Analyzer,
    builder: TfidfBuilder,
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
    /// A ranker with the given TF-IDF settings and the default analyser.
    pub fn new(builder: TfidfBuilder) -> Self {
        Ranker {
            analyzer: Analyzer::default(),
            builder,
        }
    }

    /// Reads the corpus, counts terms (in parallel), fits the model and vectorises.
    pub fn vectorize_corpus(
        &self,
        reader: CorpusReader,
        on_batch: impl FnMut(usize),
    ) -> Result<RankedCorpus> {
        let read = read_corpus(
            reader,
            on_batch,
            |d: &Document<'_>, scratch: &mut String| count_terms(&self.analyzer, &d.text, scratch),
        )?;
        let freqs = read
            .items
            .par_chunks(4096)
            .map(|chunk| {
                let mut df = DocFreqs::default();
                for terms in chunk {
                    df.add(terms);
                }
                df
            })
            .reduce(DocFreqs::default, |mut a, b| {
                a.merge(b);
                a
            });
        let model = self.builder.clone().fit(&freqs)?;
        let vectors = vectorize_all(&model, &read.items);
        Ok(RankedCorpus {
            inputs: read.inputs,
            docs: read.docs,
            model,
            vectors,
        })
    }

    /// The `k` nearest neighbours of every document (itself excluded), best first.
    pub fn neighbours(&self, corpus: &RankedCorpus, k: usize) -> Vec<Vec<Neighbour>> {
        let index = InvertedIndex::build(&corpus.vectors);
        (0..corpus.vectors.rows())
            .into_par_iter()
            .with_min_len(64)
            .map_init(TopKScratch::default, |s, d| {
                index.top_k(corpus.vectors.row(d), k, Some(d as u32), s)
            })
            .collect()
    }
}

fn vectorize_all(model: &TfidfModel, docs: &[TermCounts]) -> CsrMatrix {
    let parts: Vec<CsrMatrix> = docs
        .par_chunks(4096)
        .map(|chunk| model.transform(chunk))
        .collect();
    let mut m = CsrMatrix::new(model.vocabulary_size());
    for p in &parts {
        m.append(p);
    }
    m
}
