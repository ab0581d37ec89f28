//! The sketch trait and the kinds of sketch.

use std::fmt;
use std::str::FromStr;

use super::hasher::SketchParams;
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

/// A MinHash-style sketch: a signature of `num_perm` 32-bit slots per shingle set, such
/// that two sets agree in a slot with probability (about) their Jaccard similarity.
pub trait Sketcher: Send + Sync {
    /// The parameters (slots, seed, kind).
    fn params(&self) -> SketchParams;

    /// Writes the signature of a shingle multiset into `out` (`num_perm` slots). Repeats and
    /// order do not matter; an empty set gives all `u32::MAX`.
    fn sketch_into(&self, shingles: &[u64], out: &mut [u32]);

    /// The same signature, computed the plain way (the oracle of the fast path's tests).
    fn signature_reference(&self, shingles: &[u64]) -> Vec<u32>;
}
