//! Verification of candidates and clustering of the verified pairs.

mod clusters;
mod union_find;
mod verify;

pub use clusters::{Cluster, ClusterId, Member, build_clusters};
pub use union_find::UnionFind;
pub use verify::{MatchKind, VerifiedPair, Verifier};
