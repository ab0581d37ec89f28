//! Orchestration: wires the stages together and runs them in parallel with rayon.
//!
//! The stages below this module are deterministic and single-threaded; this is the only
//! place that spawns work on a thread pool. Results are collected in input order, so the
//! output does not depend on the number of threads.

mod config;
mod dedup;
mod rank;
mod read;
mod sketch;

pub use config::{
    DEFAULT_CONTAINMENT, DEFAULT_MIN_CONTAINED, DEFAULT_THRESHOLD, Pipeline, PipelineBuilder,
};
pub use rank::{RankedCorpus, Ranker};
pub use read::{DocMeta, ReadCorpus, read_corpus};
pub use sketch::{ShingleSets, SketchedCorpus};
