//! Orchestration: wires the stages together and runs them in parallel with rayon.
//!
//! The stages below this module are deterministic and single-threaded; this is the only
//! place that spawns work on a thread pool. Results are collected in input order, so the
//! output does not depend on the number of threads.

mod compare;
mod config;
mod contents;
mod dedup;
mod indexing;
mod parts;
mod rank;
mod read;
mod sketch;
#[cfg(feature = "parquet")]
mod stage_file;
mod stages;
mod stories;

pub use compare::{Comparison, IdfSource};
pub use config::{
    DEFAULT_CONTAINMENT, DEFAULT_MIN_CONTAINED, DEFAULT_THRESHOLD, Pipeline, PipelineBuilder,
};
pub use dedup::{FoundPairs, PairCounts};
pub use indexing::{add_contents_to_index, add_to_index, build_index, query_many};
pub use parts::{BucketKey, CorpusSketches, SketchedTexts};
pub use rank::{RankedCorpus, Ranker, all_pairs_top_k};
pub use read::{MEMORY_INPUT, ReadCorpus, Source, read_corpus, read_corpus_then};
pub use sketch::SketchedCorpus;
#[cfg(feature = "parquet")]
pub use stage_file::{STAGE_VERSION, is_sketch_stage, read_sketch_stage, write_sketch_stage};
pub use stories::{AnalysedCorpus, group_stories};
