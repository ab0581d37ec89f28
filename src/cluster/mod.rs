//! Verification of candidates and clustering of the verified pairs.

mod average;
mod clusters;
mod screen;
mod union_find;
mod verify;

pub use average::{Edge, average_linkage};
pub use clusters::{Cluster, ClusterId, Member, build_clusters};
pub use screen::{SCREEN_RISK, Screen};
pub use union_find::UnionFind;
pub use verify::{MatchKind, VerifiedPair, Verifier};
