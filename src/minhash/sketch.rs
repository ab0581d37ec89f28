//! The sketch trait every sketch kind implements.

use super::params::SketchParams;

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
