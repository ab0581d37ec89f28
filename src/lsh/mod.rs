//! Locality-sensitive hashing by banding: parameter choice, an incremental index, and
//! batch candidate generation.

mod band_index;
mod band_tables;
mod candidates;
mod crowding;
mod params;

pub use band_index::{BandIndex, band_key};
pub use band_tables::BandTables;
pub use candidates::{
    PackedPair, band_candidates, first_meeting_band, for_each_new_band_pair, merge_candidates,
    pack_pair, unpack_pair,
};
pub use crowding::{BUCKET_WINDOW, BandCounts, Crowding, DEFAULT_BUCKET_CAP, DEFAULT_MAX_BUCKET};
pub use params::{DEFAULT_MIN_RECALL, LshParams};
