//! An archive's manifest: which segments (and which deletion file of each) make up its
//! current state. It is the one file of an archive that is ever replaced, atomically (a
//! new file synced, then renamed over the old one, then the folder synced), so a reader
//! sees one committed state or the next, never a mix. It is a container like an index file,
//! versioned and checksummed: a header, and the archive's template shingles as sections
//! when they are not one segment's own.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::file::{FileWriter, IndexFile};
use super::index::IndexHeader;
use super::templates::write_templates;
use crate::cluster::TemplateShingles;
use crate::error::{Error, Result};
use crate::tfidf::TfidfBuilder;

/// The manifest's file name in an archive's folder.
pub const MANIFEST: &str = "manifest.ndx";
/// The writer lock's file name in an archive's folder.
pub const WRITER_LOCK: &str = "writer.lock";
/// The archive format (a folder of segments); single index files are versions 1 and 2.
pub const ARCHIVE_FORMAT: u32 = 3;
const KIND: &str = "neardup-archive";

/// One segment of an archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentEntry {
    /// Its index file, in the archive's folder.
    pub file: String,
    /// Documents in it (deleted ones included).
    pub documents: usize,
    /// Its deletion file, if any document of it is deleted.
    pub deletions: Option<String>,
    /// Documents deleted.
    pub deleted: usize,
}

/// The state of an archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `neardup-archive`.
    pub kind: String,
    /// [`ARCHIVE_FORMAT`].
    pub format: u32,
    /// Counts commits: each writer's commit writes the next.
    pub generation: u64,
    /// The number the next new segment's file takes.
    pub next_segment: u64,
    /// How the documents are shingled, sketched, banded and verified (the header of the
    /// last segment written; every segment has these settings).
    pub settings: IndexHeader,
    /// The TF-IDF settings of queries (the segments are written without df bounds; these
    /// apply to the archive's merged counts).
    pub tfidf: TfidfBuilder,
    /// The segments, in document order.
    pub segments: Vec<SegmentEntry>,
}

impl Manifest {
    /// An archive with no segment yet.
    pub fn empty(settings: IndexHeader, tfidf: TfidfBuilder) -> Self {
        Manifest {
            kind: KIND.into(),
            format: ARCHIVE_FORMAT,
            generation: 0,
            next_segment: 1,
            settings,
            tfidf,
            segments: Vec::new(),
        }
    }

    /// Reads the manifest of the archive in `dir`.
    pub fn read(dir: &Path) -> Result<Self> {
        Self::read_file(dir).map(|(m, _)| m)
    }

    /// [`read`](Self::read), with the open file, whose sections hold the archive's
    /// template shingles when its commit stored them ([`commit`](Self::commit)).
    pub(crate) fn read_file(dir: &Path) -> Result<(Self, IndexFile)> {
        let path = dir.join(MANIFEST);
        let file = IndexFile::open(&path)?;
        let m: Manifest = serde_json::from_value(file.header().clone())
            .map_err(|e| Error::index(&path, format!("damaged archive manifest ({e})")))?;
        if m.kind != KIND {
            return Err(Error::index(&path, "not a neardup archive manifest"));
        }
        if m.format != ARCHIVE_FORMAT {
            return Err(Error::index(
                &path,
                format!(
                    "archive format {}; this neardup reads format {ARCHIVE_FORMAT} (upgrade neardup)",
                    m.format
                ),
            ));
        }
        for s in &m.segments {
            let plain = |f: &str| !f.contains(['/', '\\']) && !f.starts_with('.');
            if !plain(&s.file) || s.deletions.as_deref().is_some_and(|d| !plain(d)) {
                return Err(Error::index(&path, "damaged archive manifest (file names)"));
            }
        }
        Ok((m, file))
    }

    /// Writes this state as the archive's current one (atomically, synced), with the
    /// template shingles of its live documents in `templates.*` sections when given (an
    /// archive of one segment without deletions reads its segment's instead).
    pub fn commit(&self, dir: &Path, templates: Option<&TemplateShingles>) -> Result<()> {
        let mut w = FileWriter::create(&dir.join(MANIFEST))?;
        if let Some(t) = templates {
            write_templates(&mut w, t)?;
        }
        w.finish(self)
    }

    /// The next segment's file name, counted.
    pub fn new_segment_name(&mut self) -> String {
        self.next_segment += 1;
        segment_name(self.next_segment - 1)
    }

    /// Whether the state is one segment without deletions: its file is the whole archive
    /// (its statistics and template shingles are the archive's).
    pub fn is_one_whole_segment(&self) -> bool {
        matches!(self.segments.as_slice(), [s] if s.deleted == 0)
    }

    /// Documents in all segments, and of those deleted.
    pub fn documents(&self) -> (usize, usize) {
        self.segments
            .iter()
            .fold((0, 0), |(n, d), s| (n + s.documents, d + s.deleted))
    }
}

/// The file name of segment number `n`.
pub fn segment_name(n: u64) -> String {
    format!("seg-{n:06}.ndx")
}

/// The name of a segment's deletion file as of generation `generation`.
pub fn deletions_name(segment: &str, generation: u64) -> String {
    format!(
        "{}.{generation:06}.del",
        segment.strip_suffix(".ndx").unwrap_or(segment)
    )
}
