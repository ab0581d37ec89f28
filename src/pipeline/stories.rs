//! Two levels of grouping over one read of a corpus: *copies* (one text reworded, by
//! verified Jaccard/containment) and *stories* (articles covering one event, by TF-IDF
//! similarity and average linkage). Copies nest inside stories: each copy cluster starts as
//! one group before stories are merged.

use std::path::PathBuf;

use rayon::prelude::*;

use super::config::Pipeline;
use super::rank::{all_pairs_top_k, vectorize_all};
use super::read::read_corpus_then;
use super::sketch::SketchedCorpus;
use crate::cluster::{Cluster, ClusterId, Edge, VerifiedPair, average_linkage, build_clusters};
use crate::corpus::{CorpusReader, DocMeta, Document, day_number};
use crate::error::{Error, Result};
use crate::minhash::SignatureMatrix;
use crate::shingle::{ShingleScratch, ShingleSets};
use crate::tfidf::{
    CsrMatrix, DocFreqs, Neighbour, NeighbourRerank, TfidfBuilder, TfidfModel, count_terms,
};

/// Default story threshold: the mean similarity two groups need to merge.
pub const DEFAULT_STORY_THRESHOLD: f64 = 0.13;
/// Default number of most similar documents each document is linked to.
pub const DEFAULT_STORY_NEIGHBOURS: usize = 20;
/// Default date window: articles published more than this many days apart are not linked.
pub const DEFAULT_DATE_WINDOW_DAYS: u32 = 7;
/// Default neighbourhood size of the story similarity (see [`StoryParams`]).
pub const DEFAULT_STORY_RERANK_NEIGHBOURS: usize = 3;

/// How stories are formed.
///
/// Each document is linked to its `neighbours` most similar documents by the shared-neighbour
/// score of [`NeighbourRerank`] (TF-IDF cosine mixed with the cosine of the documents' 3
/// nearest neighbourhoods, weight 2); groups then merge by average linkage
/// ([`average_linkage`]) while their mean score is at least `threshold`. Within the date
/// window (default 7 days, `None` for none), documents whose dates are further apart are
/// not linked: an event's coverage is close in time, while the same people in the news
/// six weeks later is another story. Documents without a readable date link to all. The defaults were measured on NewsWCL50 and ECB+,
/// see `docs/stories.md`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryParams {
    threshold: f64,
    neighbours: usize,
    rerank: NeighbourRerank,
    date_window: Option<u32>,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            threshold: DEFAULT_STORY_THRESHOLD,
            neighbours: DEFAULT_STORY_NEIGHBOURS,
            rerank: NeighbourRerank::new(
                DEFAULT_STORY_RERANK_NEIGHBOURS,
                crate::tfidf::DEFAULT_RERANK_WEIGHT,
            )
            .unwrap_or_default(),
            date_window: Some(DEFAULT_DATE_WINDOW_DAYS),
        }
    }
}

impl StoryParams {
    /// The defaults with another threshold (in `(0, 1]`).
    pub fn with_threshold(mut self, threshold: f64) -> Result<Self> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(Error::config(
                "story_threshold",
                format!("{threshold} is not in (0, 1]"),
            ));
        }
        self.threshold = threshold;
        Ok(self)
    }

    /// Links only documents published at most `days` apart (`None`: any dates).
    pub fn with_date_window(mut self, days: Option<u32>) -> Self {
        self.date_window = days;
        self
    }

    /// Links per document (at least 1).
    pub fn with_neighbours(mut self, neighbours: usize) -> Result<Self> {
        if neighbours == 0 {
            return Err(Error::config("story_neighbours", "must be at least 1"));
        }
        self.neighbours = neighbours;
        Ok(self)
    }

    /// The merge threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The date window in days, if any.
    pub fn date_window(&self) -> Option<u32> {
        self.date_window
    }
}

/// A document's place in a story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryMember {
    /// The document number.
    pub doc: u32,
    /// The copy cluster it belongs to, if it has copies.
    pub copies: Option<ClusterId>,
    /// Its most similar fellow member and their story score.
    pub nearest: Option<(u32, f32)>,
}

/// Articles that cover one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Its number (0, 1, ... in order of each story's first document).
    pub id: u32,
    /// Members in input order.
    pub members: Vec<StoryMember>,
}

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

impl Pipeline {
    /// Reads a corpus once: shingles and signs each document, counts its terms, and keeps
    /// its text if `keep_text`; then fits TF-IDF (`tfidf`) and vectorises.
    pub fn analyse_corpus(
        &self,
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
                let (prints, signature) = self.fingerprints_and_signature(&d.text, &mut scratch.0);
                let terms = count_terms(self.analyzer(), &d.text, &mut scratch.1);
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
                signatures: SignatureMatrix::from_flat(self.sketch_params(), flat)?,
                empty,
            },
            model,
            vectors,
            texts,
        })
    }

    /// Copies (clusters of two or more) and stories (all documents, singletons included)
    /// of an analysed corpus, with the verified copy pairs.
    pub fn copies_and_stories(
        &self,
        corpus: &AnalysedCorpus,
        params: &StoryParams,
    ) -> (Vec<VerifiedPair>, Vec<Cluster>, Vec<Story>) {
        let pairs = self.pairs(&corpus.sketched);
        let copies = build_clusters(corpus.docs().len(), &pairs, false);
        let stories = group_stories(&corpus.vectors, corpus.docs(), &copies, params);
        (pairs, copies, stories)
    }
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
            params.rerank.first_pass(params.neighbours.min(n - 1)),
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
    let n = vectors.rows();
    let edges = story_edges(first, vectors, docs, params);
    let initial: Vec<Vec<u32>> = copies
        .iter()
        .map(|c| c.members.iter().map(|m| m.doc).collect())
        .collect();
    let labels = average_linkage(n, &edges, &initial, params.threshold);
    let mut copy_of: Vec<Option<ClusterId>> = vec![None; n];
    for c in copies {
        for m in &c.members {
            copy_of[m.doc as usize] = Some(c.id);
        }
    }
    // Each member's most similar fellow member.
    let mut nearest: Vec<Option<(u32, f32)>> = vec![None; n];
    for &(a, b, s) in &edges {
        if labels[a as usize] != labels[b as usize] {
            continue;
        }
        for (x, y) in [(a, b), (b, a)] {
            let slot = &mut nearest[x as usize];
            let better = match slot {
                None => true,
                Some((d, t)) => s > *t || (s == *t && y < *d),
            };
            if better {
                *slot = Some((y, s));
            }
        }
    }
    let mut story_of_label: Vec<u32> = vec![u32::MAX; n];
    let mut stories: Vec<Story> = Vec::new();
    for doc in 0..n {
        let label = labels[doc] as usize;
        if story_of_label[label] == u32::MAX {
            story_of_label[label] = stories.len() as u32;
            stories.push(Story {
                id: stories.len() as u32,
                members: Vec::new(),
            });
        }
        stories[story_of_label[label] as usize]
            .members
            .push(StoryMember {
                doc: doc as u32,
                copies: copy_of[doc],
                nearest: nearest[doc],
            });
    }
    stories
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
    let k = params.neighbours.min(n - 1);
    let graph = params.rerank.graph(first);
    let days: Vec<Option<i64>> = docs
        .iter()
        .map(|d| d.date.as_deref().and_then(day_number))
        .collect();
    let window = params.date_window.map(i64::from);
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
        .filter(
            |&(a, b, _)| match (window, days[a as usize], days[b as usize]) {
                (Some(w), Some(x), Some(y)) => (x - y).abs() <= w,
                _ => true,
            },
        )
        .collect()
}

impl Pipeline {
    /// The overlap report of an analysed corpus (read with its texts kept): copies,
    /// stories, the passages of every copy and its likely source, the outlet matrix, and
    /// related coverage (each document's 5 nearest neighbours by cosine, from the same
    /// all-pairs pass as the stories).
    pub fn report(
        &self,
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
        let pairs = self.pairs(&corpus.sketched);
        let copies = build_clusters(corpus.docs().len(), &pairs, false);
        // The stories' cosine first pass also gives the related coverage (its top 5).
        let mut first = cosine_first_pass(&corpus.vectors, params);
        let stories =
            stories_from_first_pass(&first, &corpus.vectors, corpus.docs(), &copies, params);
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
            &crate::align::Aligner::default(),
            self.analyzer(),
            options,
        ))
    }
}
