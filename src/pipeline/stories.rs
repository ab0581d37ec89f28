//! Two levels of grouping over one read of a corpus: *copies* (one text reworded, by
//! verified Jaccard/containment) and *stories* (articles covering one event, by TF-IDF
//! similarity and average linkage). Copies nest inside stories: each copy cluster starts as
//! one group before stories are merged.

use std::path::PathBuf;

use rayon::prelude::*;

use super::rank::{all_pairs_top_k, vectorize_all};
use super::read::{Source, read_corpus_then};
use super::sketch::SketchedCorpus;
use super::stages::{SketchScratch, Stages};
use crate::cluster::{
    Cluster, Edge, Story, StoryParams, VerifiedPair, build_clusters, stories_from_links,
};
use crate::corpus::{DocMeta, Document, day_number, day_of};
use crate::error::{Error, Result};
use crate::minhash::SignatureMatrix;
use crate::shingle::ShingleSets;
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

/// The work of [`Pipeline::analyse_corpus`](crate::Pipeline::analyse_corpus).
pub(super) fn analyse_corpus<'a>(
    p: &Stages,
    source: impl Into<Source<'a>>,
    tfidf: &TfidfBuilder,
    keep_text: bool,
    on_batch: impl FnMut(usize) + Send,
) -> Result<AnalysedCorpus> {
    let read = read_and_fit(
        p,
        source,
        tfidf,
        Keep {
            text: keep_text,
            terms: true,
        },
        on_batch,
    )?;
    let map = read.model.term_map(&read.freqs);
    drop(read.freqs);
    let vectors = vectorize_all(&read.model, &map, read.numbered);
    Ok(AnalysedCorpus {
        sketched: read.sketched,
        model: read.model,
        vectors,
        texts: read.texts,
    })
}

/// The work of [`Pipeline::sketch_and_fit`](crate::Pipeline::sketch_and_fit).
pub(super) fn sketch_and_fit<'a>(
    p: &Stages,
    source: impl Into<Source<'a>>,
    tfidf: &TfidfBuilder,
    on_batch: impl FnMut(usize) + Send,
) -> Result<(SketchedCorpus, TfidfModel)> {
    let keep = Keep {
        text: false,
        terms: false,
    };
    let read = read_and_fit(p, source, tfidf, keep, on_batch)?;
    Ok((read.sketched, read.model))
}

/// What a read keeps of each document besides its sketch and its terms' document
/// frequencies.
#[derive(Clone, Copy)]
struct Keep {
    /// Its text.
    text: bool,
    /// Its terms, numbered (to vectorise it).
    terms: bool,
}

/// A corpus read once and its TF-IDF model fitted.
struct Fitted {
    sketched: SketchedCorpus,
    model: TfidfModel,
    freqs: DocFreqs,
    /// Each document's numbered terms (empty unless kept).
    numbered: Vec<Box<[(u32, u32)]>>,
    /// The texts (empty unless kept).
    texts: Vec<String>,
}

/// Reads a corpus once: shingles and signs each document and counts its terms, then fits
/// TF-IDF (`tfidf`) on the document frequencies.
fn read_and_fit<'a>(
    p: &Stages,
    source: impl Into<Source<'a>>,
    tfidf: &TfidfBuilder,
    keep: Keep,
    on_batch: impl FnMut(usize) + Send,
) -> Result<Fitted> {
    let mut freqs = DocFreqs::default();
    // Fold each document into the corpus arrays as it arrives (input order).
    let mut sets = crate::shingle::PackedSets::new();
    let mut figures = ShingleSets::new();
    let mut flat: Vec<u32> = Vec::new();
    let mut empty = Vec::new();
    let mut numbered = Vec::new();
    let mut texts = Vec::new();
    let mut n = 0u32;
    let read = read_corpus_then(
        source,
        on_batch,
        |d: &Document<'_>, scratch: &mut (SketchScratch, String)| {
            let day = d.date.as_deref().and_then(day_number);
            let doc = p.sketch_document(&d.text, day, &mut scratch.0);
            let terms = count_terms(p.analyzer(), &d.text, &mut scratch.1);
            let text = if keep.text {
                d.text.to_string()
            } else {
                String::new()
            };
            (doc, terms, text)
        },
        |(doc, terms, text)| {
            if doc.prints.is_empty() {
                empty.push(n);
            }
            n += 1;
            sets.push(&doc.prints);
            figures.push(&doc.figures);
            flat.extend_from_slice(&doc.signature);
            if keep.terms {
                numbered.push(freqs.add_numbered(&terms));
            } else {
                freqs.add(&terms);
            }
            if keep.text {
                texts.push(text);
            }
        },
    )?;
    let model = tfidf.clone().fit(&freqs)?;
    let templates = super::sketch::learn_templates(p, &sets, figures);
    Ok(Fitted {
        sketched: SketchedCorpus {
            inputs: read.inputs,
            docs: read.docs,
            sets,
            signatures: SignatureMatrix::from_flat(p.sketch_params(), flat)?,
            empty,
            templates,
        },
        model,
        freqs,
        numbered,
        texts,
    })
}

/// The work of [`Pipeline::copies_and_stories`](crate::Pipeline::copies_and_stories).
pub(super) fn copies_and_stories(
    p: &Stages,
    corpus: &AnalysedCorpus,
    params: &StoryParams,
) -> (Vec<VerifiedPair>, Vec<Cluster>, Vec<Story>) {
    let found = super::dedup::find_pairs(p, &corpus.sketched);
    let copies = build_clusters(corpus.docs().len(), &found.pairs, &found.apart, false);
    let pairs = found.pairs;
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
    let days: Vec<Option<i64>> = docs.iter().map(|d| d.published.map(day_of)).collect();
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

/// The work of [`Pipeline::report`](crate::Pipeline::report).
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
    let found = super::dedup::find_pairs(p, &corpus.sketched);
    let copies = build_clusters(corpus.docs().len(), &found.pairs, &found.apart, false);
    let pairs = found.pairs;
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

#[cfg(test)]
mod tests {
    use crate::cluster::StoryParams;
    use crate::corpus::{CorpusReader, FieldMap, Input};
    use crate::pipeline::Pipeline;
    use crate::report::ReportOptions;
    use crate::tfidf::TfidfModel;

    const FLOOD: &str = "Floods swept through the river valley on Monday, forcing thousands of \
        residents from their homes as the water rose above the old stone bridge and rescue \
        boats searched the flooded streets for families trapped on rooftops.";
    const FLOOD_REWRITE: &str = "Rescue boats searched flooded streets on Monday after the river \
        burst its banks, and officials said thousands of valley residents had fled rising water \
        that covered the stone bridge and trapped families on their roofs.";
    const ELECTION: &str = "Voters in the northern province elected a new governor on Sunday, \
        choosing the former mayor after a campaign dominated by promises on schools, hospital \
        waiting lists and the cost of public transport.";

    /// A corpus of two events: the flood (a wire text, a copy of it with a sign-off, and a
    /// rewrite), then an election; and the flood's wire text again two months later.
    fn reader(dir: &std::path::Path) -> CorpusReader {
        let docs = [
            ("wire", "Wire", "2024-03-04", FLOOD.to_string()),
            (
                "copy",
                "Herald",
                "2024-03-05",
                format!("{FLOOD} Our reporter contributed."),
            ),
            ("rewrite", "Post", "2024-03-05", FLOOD_REWRITE.to_string()),
            ("vote", "Post", "2024-03-06", ELECTION.to_string()),
            ("later", "Herald", "2024-05-20", FLOOD.to_string()),
        ];
        let body: String = docs
            .iter()
            .map(|(id, outlet, date, text)| {
                let j = serde_json::json!({"id": id, "outlet": outlet, "date": date, "text": text});
                format!("{j}\n")
            })
            .collect();
        let path = dir.join("c.jsonl");
        std::fs::write(&path, body).unwrap();
        CorpusReader::new(vec![Input::new(&path, None).unwrap()], FieldMap::default())
    }

    fn ids(corpus: &super::AnalysedCorpus, members: &[u32]) -> Vec<String> {
        members
            .iter()
            .map(|&d| corpus.docs()[d as usize].id.to_string())
            .collect()
    }

    #[test]
    fn copies_nest_in_stories_and_the_date_window_splits_a_rerun() {
        let dir = tempfile::tempdir().unwrap();
        let p = Pipeline::builder().build().unwrap();
        let corpus = p
            .analyse_corpus(reader(dir.path()), &TfidfModel::builder(), false, |_| {})
            .unwrap();
        assert!(corpus.texts.is_empty());
        assert_eq!(corpus.vectors.rows(), 5);
        let (pairs, copies, stories) = p.copies_and_stories(&corpus, &StoryParams::default());
        assert!(!pairs.is_empty());
        let copy_ids: Vec<Vec<String>> = copies
            .iter()
            .map(|c| {
                ids(
                    &corpus,
                    &c.members.iter().map(|m| m.doc).collect::<Vec<_>>(),
                )
            })
            .collect();
        // The wire text, its copy and the later rerun are copies; the rewrite is not.
        assert_eq!(copy_ids, vec![vec!["wire", "copy", "later"]]);
        let story_ids: Vec<Vec<String>> = stories
            .iter()
            .map(|s| {
                ids(
                    &corpus,
                    &s.members.iter().map(|m| m.doc).collect::<Vec<_>>(),
                )
            })
            .collect();
        // Copies start as one group, so the rerun stays with them; the rewrite joins the
        // flood's coverage; the election is its own story.
        assert_eq!(
            story_ids,
            vec![vec!["wire", "copy", "rewrite", "later"], vec!["vote"]]
        );
        assert_eq!(stories[0].members[0].copies, Some(copies[0].id));
        assert_eq!(stories[0].members[2].copies, None);
        // Without copies to hold it, a rerun two months later is another story.
        let alone =
            super::group_stories(&corpus.vectors, corpus.docs(), &[], &StoryParams::default());
        let later = alone
            .iter()
            .find(|s| s.members.iter().any(|m| m.doc == 4))
            .unwrap();
        assert_eq!(later.members.len(), 1);
        let unbounded = StoryParams::default().with_date_window(None);
        let together = super::group_stories(&corpus.vectors, corpus.docs(), &[], &unbounded);
        // ... and with the window off, it joins the flood again.
        let with_later = together
            .iter()
            .find(|s| s.members.iter().any(|m| m.doc == 4))
            .unwrap();
        assert!(with_later.members.iter().any(|m| m.doc == 0));
    }

    #[test]
    fn a_report_needs_the_texts() {
        let dir = tempfile::tempdir().unwrap();
        let p = Pipeline::builder().build().unwrap();
        let tfidf = TfidfModel::builder();
        let without = p
            .analyse_corpus(reader(dir.path()), &tfidf, false, |_| {})
            .unwrap();
        let params = StoryParams::default();
        let options = ReportOptions::default();
        assert!(p.report(&without, &params, &options).is_err());
        let with = p
            .analyse_corpus(reader(dir.path()), &tfidf, true, |_| {})
            .unwrap();
        let report = p.report(&with, &params, &options).unwrap();
        assert_eq!(report.documents, 5);
        let flood = &report.stories[0];
        assert_eq!(flood.articles.len(), 4);
        assert_eq!(flood.first, 0);
        // The copy and the rerun each point back to the wire text.
        let links: Vec<(u32, u32)> = flood.copies.iter().map(|c| (c.source, c.copy)).collect();
        assert_eq!(links, vec![(0, 1), (0, 4)]);
    }
}
