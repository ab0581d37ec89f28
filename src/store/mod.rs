//! The on-disk index: a versioned, checksummed container of raw little-endian arrays,
//! memory-mapped for queries. Format: `docs/index-format.md`.

mod file;
mod index;
mod lookup;
mod searcher;

pub use file::{
    CHUNK_BYTES, Dtype, Element, FORMAT_VERSION, FileWriter, IndexFile, MIN_FORMAT_VERSION,
    Section, SectionInfo, SectionWriter, output_tempfile,
};
pub use index::{
    ANALYZER_ID, Index, IndexContents, IndexHeader, IndexSettings, SHINGLE_HASH_ID, write_index,
};
pub use searcher::{QueryMatch, QueryResult, Searcher};
