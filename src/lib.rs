//! # neardup
//!
//! Find near-duplicate and reworded text at scale: which outlets ran the same wire story,
//! who rewrote whose press release.
//!
//! The pipeline: [`CorpusReader`] reads documents; an [`Analyzer`] normalises (NFKC, case
//! folding, typographic variants) and tokenises (UAX#29) them; a [`Shingler`] turns tokens
//! into hashed word k-grams or character n-grams; a [`MinHasher`] sketches each shingle set
//! into a signature ([`SignatureMatrix`]); a banding index ([`BandIndex`], [`LshParams`])
//! proposes candidate pairs; a [`Verifier`] checks them on the exact shingle sets
//! (Jaccard, or containment for truncated and padded copies); and [`build_clusters`] joins
//! them by union-find. [`Pipeline`] runs all of it in parallel.
//!
//! The names most programs need are re-exported here; the rest live in their modules, one
//! module per stage, each importing only the stages below it:
//!
//! | module | what it holds |
//! |---|---|
//! | [`corpus`] | documents and their readers (JSONL, CSV, `.txt` folders, stdin) |
//! | [`text`] | normalisation, tokenisation, token filters |
//! | [`shingle`] | word k-grams and character n-grams, hashed; fingerprints |
//! | [`minhash`] | the sketch kinds, signatures, Jaccard estimates |
//! | [`tfidf`] | vocabulary, idf, sparse vectors, top-k cosine, postings |
//! | [`lsh`] | banding parameters, band index and tables, candidate pairs |
//! | [`cluster`] | verification, union-find, clusters, average linkage, stories |
//! | [`store`] | the index file and the searcher that queries it |
//! | [`report`] | the overlap report and aligned passages |
//! | [`pipeline`] | the stages wired together, in parallel (rayon) |
//!
//! The `neardup` command-line tool is this library's `cli` feature (on by default); a
//! library user can turn it off (`default-features = false`) and compile none of its
//! dependencies.
//!
//! ```
//! use neardup::minhash::Overlap;
//! use neardup::{Analyzer, MinHasher, ShingleKind, Shingler, estimate_jaccard};
//!
//! let analyzer = Analyzer::default();
//! let shingler = Shingler::new(ShingleKind::Word(3));
//! let a = shingler.shingle_set(&analyzer, "The central bank raised interest rates by half a point on Tuesday.");
//! let b = shingler.shingle_set(&analyzer, "The Central Bank raised interest rates by half a point on Wednesday.");
//! let exact = Overlap::of_sorted(&a, &b).jaccard();
//! let hasher = MinHasher::builder().num_perm(256).seed(1).build().unwrap();
//! let estimate = estimate_jaccard(&hasher.signature(&a), &hasher.signature(&b));
//! // 12 words give 10 three-word shingles each; 9 are shared: J = 9 / 11.
//! assert_eq!((a.len(), b.len()), (10, 10));
//! assert!((exact - 9.0 / 11.0).abs() < 1e-12);
//! assert!((estimate - exact).abs() < 0.15);
//! ```
#![deny(missing_docs)]

pub mod cluster;
pub mod corpus;
mod error;
pub mod lsh;
pub mod minhash;
mod output;
pub mod pipeline;
pub mod report;
pub mod shingle;
pub mod store;
pub mod table;
pub mod text;
pub mod tfidf;

pub use cluster::{
    Cluster, ClusterId, Keep, MatchKind, Member, Story, StoryMember, StoryParams, TemplateRule,
    VerifiedPair, Verifier, build_clusters,
};
pub use corpus::{CorpusReader, DocMeta, Document, FieldMap, Input, InputFormat};
pub use error::{Error, Location, Result};
pub use lsh::{BandIndex, LshParams};
pub use minhash::{
    MinHasher, MinHasherBuilder, SignatureMatrix, SketchKind, SketchParams, estimate_jaccard,
};
pub use output::{AtomicFile, remove_stale_outputs, remove_unfinished_outputs};
pub use pipeline::{
    AnalysedCorpus, Comparison, DEFAULT_CONTAINMENT, DEFAULT_THRESHOLD, IdfSource, Pipeline,
    PipelineBuilder, RankedCorpus, Ranker, SketchedCorpus, Source, add_to_index, build_index,
    query_many,
};
pub use report::{Aligner, Alignment, Passage, Report, ReportOptions};
pub use shingle::{ShingleKind, Shingler};
pub use store::{Archive, ArchiveSearcher, Index, IndexHeader, QueryMatch, QueryResult, Searcher};
pub use text::Analyzer;
pub use tfidf::{Neighbour, TfidfBuilder, TfidfModel};
