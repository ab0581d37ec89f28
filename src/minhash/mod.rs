//! MinHash signatures: seeded hash families, the signature matrix, Jaccard estimates.

mod classic;
mod cminhash;
mod estimate;
mod hasher;
mod matrix;
mod mix;
mod oph;
mod params;
mod sketch;
mod splitmix;

pub use classic::ClassicMinHasher;
pub use cminhash::CMinHasher;
pub use estimate::{Overlap, agreements, estimate_jaccard, standard_error};
pub use hasher::{MinHasher, MinHasherBuilder};
pub use matrix::SignatureMatrix;
pub use oph::OnePermHasher;
pub use params::{SketchKind, SketchParams};
pub use sketch::Sketcher;
pub use splitmix::SplitMix64;
