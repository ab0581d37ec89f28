//! MinHash signatures: seeded hash families, the signature matrix, Jaccard estimates.

mod cminhash;
mod estimate;
mod hasher;
mod matrix;
mod oph;
mod sketch;
mod splitmix;

pub use cminhash::CMinHasher;
pub use estimate::{Overlap, agreements, estimate_jaccard, standard_error};
pub use hasher::{ClassicMinHasher, MinHasher, MinHasherBuilder, SketchParams};
pub use matrix::SignatureMatrix;
pub use oph::OnePermHasher;
pub use sketch::{SketchKind, Sketcher};
pub use splitmix::SplitMix64;
