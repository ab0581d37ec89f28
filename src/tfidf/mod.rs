//! TF-IDF: vocabulary and idf, sparse (CSR) vectors, top-k cosine neighbours.

mod model;
mod postings;
mod rerank;
mod rows;
mod sparse;
mod topk;
mod twins;

pub use model::{
    DEFAULT_MAX_DF, DfBound, DocFreqs, TermCounts, TfWeight, TfidfBuilder, TfidfModel, count_terms,
};
pub use postings::{COMMON_TERM_SHARE, Postings, common_df};
pub use rerank::{
    DEFAULT_RERANK_NEIGHBOURS, DEFAULT_RERANK_WEIGHT, MAX_SHARED_NEIGHBOURS, NeighbourGraph,
    NeighbourRerank,
};
pub use rows::TermRows;
pub use sparse::{CsrMatrix, sparse_dot};
pub use topk::{
    AllPairsTopK, BoundedHeap, InvertedIndex, Neighbour, ScanScratch, TopKLists, TopKScratch,
    brute_force_top_k, top_k_of_scores,
};
pub use twins::Twins;
