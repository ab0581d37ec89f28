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
//! ```
//! use neardup::{Analyzer, MinHasher, Shingler, ShingleKind, estimate_jaccard, Overlap};
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
pub mod error;
pub mod lsh;
pub mod minhash;
pub mod pipeline;
pub mod report;
pub mod shingle;
pub mod store;
pub mod text;
pub mod tfidf;

pub use cluster::{
    Cluster, ClusterId, DEFAULT_DATE_WINDOW_DAYS, DEFAULT_STORY_NEIGHBOURS,
    DEFAULT_STORY_RERANK_NEIGHBOURS, DEFAULT_STORY_THRESHOLD, Edge, MatchKind, Member, SCREEN_RISK,
    Screen, Story, StoryMember, StoryParams, UnionFind, VerifiedPair, Verifier, average_linkage,
    build_clusters,
};
pub use corpus::{
    Batch, Buffer, CorpusReader, CsvReader, DEFAULT_BATCH_BYTES, DocMeta, Document, FieldMap,
    Input, InputFormat, Records, day_number, parse_jsonl_line, parse_raw, split_raw,
};
pub use error::{Error, Location, Result};
pub use lsh::{
    BandCounts, BandIndex, Crowding, DEFAULT_BUCKET_CAP, DEFAULT_MIN_RECALL, LshParams, PackedPair,
    band_candidates, band_key, for_each_new_band_pair, merge_candidates, pack_pair, unpack_pair,
};
pub use minhash::{
    CMinHasher, ClassicMinHasher, MinHasher, MinHasherBuilder, OnePermHasher, Overlap,
    SignatureMatrix, SketchKind, SketchParams, Sketcher, SplitMix64, agreements, estimate_jaccard,
    standard_error,
};
pub use pipeline::{
    AnalysedCorpus, Comparison, DEFAULT_CONTAINMENT, DEFAULT_MIN_CONTAINED, DEFAULT_THRESHOLD,
    IdfSource, Pipeline, PipelineBuilder, RankedCorpus, Ranker, ReadCorpus, SketchedCorpus,
    add_to_index, all_pairs_top_k, build_index, group_stories, query_many, read_corpus,
    read_corpus_then,
};
pub use report::{
    Aligner, Alignment, Article, CopyLink, DEFAULT_MAX_GAP, DEFAULT_MIN_PASSAGE_WORDS,
    DEFAULT_RELATED_MIN_COSINE, DEFAULT_SEED_WORDS, OutletMatrix, Passage, Related, Report,
    ReportInput, ReportOptions, StoryReport, build_report,
};
pub use shingle::{
    Fingerprint, ShingleKind, ShingleScratch, ShingleSets, Shingler, combine_token_hashes,
    fingerprint, fingerprints, hash_token,
};
pub use store::{
    ANALYZER_ID, CHUNK_BYTES, Dtype, Element, FORMAT_VERSION, FileWriter, Index, IndexContents,
    IndexFile, IndexHeader, IndexSettings, MIN_FORMAT_VERSION, QueryMatch, QueryResult,
    SHINGLE_HASH_ID, Searcher, Section, SectionInfo, SectionWriter, output_tempfile, write_index,
};
#[cfg(feature = "stemming")]
pub use text::SnowballStemmer;
pub use text::{Analyzer, MinLength, Normalizer, StopWords, TokenFilter, Tokenizer, WordTokenizer};
pub use tfidf::{
    AllPairsTopK, BoundedHeap, CsrMatrix, DEFAULT_MAX_DF, DEFAULT_RERANK_NEIGHBOURS,
    DEFAULT_RERANK_WEIGHT, DfBound, DocFreqs, InvertedIndex, Neighbour, NeighbourGraph,
    NeighbourRerank, ScanScratch, TermCounts, TermRows, TfWeight, TfidfBuilder, TfidfModel,
    TopKLists, TopKScratch, brute_force_top_k, count_terms, sparse_dot, top_k_of_scores,
};
