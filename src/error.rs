//! The one error type of the library.

use std::path::PathBuf;

/// Where a record came from: a file (or `-` for standard input) and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The input path as the user gave it (`-` for standard input).
    pub path: PathBuf,
    /// 1-based line number, or 0 when the error concerns the whole file.
    pub line: u64,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path.display())
        } else {
            write!(f, "{}:{}", self.path.display(), self.line)
        }
    }
}

/// Every error the library reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A record could not be parsed.
    #[error("{location}: {reason}")]
    Parse {
        /// File and line of the bad record.
        location: Location,
        /// What is wrong with it.
        reason: String,
    },
    /// Two documents share an id.
    #[error("{location}: duplicate id {id:?} (first seen at {first})")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Where it is repeated.
        location: Location,
        /// Where it was first seen.
        first: Location,
    },
    /// A builder was given an invalid setting.
    #[error("invalid {field}: {reason}")]
    Config {
        /// The setting's name.
        field: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// Two sketches made with different parameters were compared.
    #[error("cannot compare signatures made with different {what}: {left} vs {right}")]
    Mismatch {
        /// Which parameter differs (seed, num_perm, sketch kind ...).
        what: &'static str,
        /// The left value.
        left: String,
        /// The right value.
        right: String,
    },
    /// An index file is damaged, truncated, not an index, or of another format version.
    #[error("{path}: {reason}")]
    Index {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The inputs held no documents.
    #[error("no documents in the input")]
    EmptyCorpus,
}

impl Error {
    /// A parse error at `path:line`.
    pub fn parse(path: impl Into<PathBuf>, line: u64, reason: impl Into<String>) -> Self {
        Error::Parse {
            location: Location {
                path: path.into(),
                line,
            },
            reason: reason.into(),
        }
    }

    /// An index-file error.
    pub fn index(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::Index {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// A configuration error naming the field.
    pub fn config(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Config {
            field,
            reason: reason.into(),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
