//! Locality-sensitive hashing by banding: parameter choice, an incremental index, and
//! batch candidate generation.

mod candidates;
mod crowding;
mod index;
mod params;

pub use candidates::{
    PackedPair, band_candidates, for_each_new_band_pair, merge_candidates, pack_pair, unpack_pair,
};
pub use crowding::{BandCounts, Crowding, DEFAULT_BUCKET_CAP};
pub use index::{BandIndex, band_key};
pub use params::{DEFAULT_MIN_RECALL, LshParams};
