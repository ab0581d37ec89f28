//! What makes two signatures comparable: the kind of sketch, its slots and its seed.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Which sketch makes the signatures. All three estimate Jaccard similarity as the share of
/// equal slots; signatures of different kinds are never comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SketchKind {
    /// Classic k-permutation MinHash: `k` hash functions, the minimum of each over the set
    /// (Broder 1997). `O(n·k)` per set of `n` shingles.
    Classic,
    /// One-permutation hashing with optimal densification (Li, Owen & Zhang 2012;
    /// Shrivastava 2017): one hash per shingle picks one of `k` bins and each bin keeps its
    /// minimum; empty bins borrow from bins chosen by a seeded probe sequence. `O(n + k)`.
    Oph,
    /// C-MinHash (Li & Li 2021): one permutation `σ` of the shingles, then `k` circular
    /// shifts of a second permutation `π`; `O(n·k)` like classic, with a lower variance.
    CMinHash,
}

impl SketchKind {
    /// The default: one-permutation hashing, by measurement (`docs/benchmarks.md`).
    pub const DEFAULT: SketchKind = SketchKind::Oph;

    /// The identifier written into index files.
    pub fn id(&self) -> &'static str {
        match self {
            SketchKind::Classic => "minhash-classic/1",
            SketchKind::Oph => "oph-densified/1",
            SketchKind::CMinHash => "c-minhash/1",
        }
    }

    /// The kind an index identifier names.
    pub fn from_id(id: &str) -> Option<SketchKind> {
        [SketchKind::Classic, SketchKind::Oph, SketchKind::CMinHash]
            .into_iter()
            .find(|k| k.id() == id)
    }

    /// The name used on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            SketchKind::Classic => "classic",
            SketchKind::Oph => "oph",
            SketchKind::CMinHash => "cminhash",
        }
    }
}

impl fmt::Display for SketchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SketchKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "classic" | "minhash" => Ok(SketchKind::Classic),
            "oph" => Ok(SketchKind::Oph),
            "cminhash" | "c-minhash" => Ok(SketchKind::CMinHash),
            _ => Err(Error::config(
                "sketch",
                format!("`{s}` is not one of classic, oph, cminhash"),
            )),
        }
    }
}

/// The parameters that make two signatures comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SketchParams {
    /// Number of slots (hash functions).
    pub num_perm: usize,
    /// The seed the hash functions were derived from.
    pub seed: u64,
    /// Which sketch made the signatures.
    pub kind: SketchKind,
}

impl SketchParams {
    /// An error unless `other` was made with the same parameters.
    pub fn check_compatible(&self, other: &SketchParams) -> Result<()> {
        if self.kind != other.kind {
            return Err(Error::Mismatch {
                what: "sketch",
                left: self.kind.id().to_string(),
                right: other.kind.id().to_string(),
            });
        }
        if self.num_perm != other.num_perm {
            return Err(Error::Mismatch {
                what: "num_perm",
                left: self.num_perm.to_string(),
                right: other.num_perm.to_string(),
            });
        }
        if self.seed != other.seed {
            return Err(Error::Mismatch {
                what: "seed",
                left: self.seed.to_string(),
                right: other.seed.to_string(),
            });
        }
        Ok(())
    }
}
