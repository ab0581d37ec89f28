//! The on-disk index: a versioned, checksummed container of raw little-endian arrays,
//! memory-mapped for queries (format: `docs/index-format.md`), and the [`Searcher`] that
//! answers queries against it.
//!
//! [`Index`] opens and reads a file; [`write_index`] lays out what the stages built (shingle
//! fingerprints, signatures, [`BandTables`](crate::lsh::BandTables),
//! [`Postings`](crate::tfidf::Postings)); [`IndexFile`] is the container underneath
//! (sections, checksums), for inspection.

mod archive;
mod archive_search;
mod deletions;
mod file;
mod guard;
mod index;
mod lock;
mod lookup;
mod manifest;
mod searcher;
mod templates;
mod weights;

pub use archive::{Archive, MAX_SEGMENTS};
pub use archive_search::ArchiveSearcher;
pub use deletions::Deletions;
pub use file::{
    CHUNK_BYTES, Dtype, FORMAT_VERSION, IndexFile, MIN_FORMAT_VERSION, Section, SectionInfo,
};
pub use guard::guard_mapped_reads;
pub use index::{
    ANALYZER_ID, Index, IndexContents, IndexHeader, IndexSettings, SHINGLE_HASH_ID, write_index,
};
pub use lock::WriterLock;
pub use manifest::{ARCHIVE_FORMAT, MANIFEST, Manifest, SegmentEntry};
pub use searcher::{QueryMatch, QueryResult, Searcher};
