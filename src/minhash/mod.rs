//! MinHash signatures: seeded hash families, the signature matrix, Jaccard estimates.

mod estimate;
mod hasher;
mod matrix;
mod splitmix;

pub use estimate::{Overlap, agreements, estimate_jaccard, standard_error};
pub use hasher::{MinHasher, MinHasherBuilder, SketchParams};
pub use matrix::SignatureMatrix;
pub use splitmix::SplitMix64;
