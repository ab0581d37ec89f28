//! Overlap reports for people: per story its outlets, dates and first publisher, its copies
//! and who likely copied whom, with the passages they share (aligned word by word, with
//! offsets into the original texts); an outlet × outlet matrix; related coverage.
//!
//! Pure data built from what the pipeline computed; rendering (text, JSON, HTML) is the
//! caller's. The module owns its records ([`Report`] and its parts).

mod align;
mod overlap;

pub use align::{
    Aligner, Alignment, DEFAULT_MAX_GAP, DEFAULT_MIN_PASSAGE_WORDS, DEFAULT_SEED_WORDS, Passage,
};
pub use overlap::{
    AGENCIES, Article, COMMON_SOURCE_MARGIN, CommonSource, CopyLink, DEFAULT_RELATED_MIN_COSINE,
    OutletMatrix, Related, Report, ReportInput, ReportOptions, StoryReport, build_report,
    credited_agency,
};
