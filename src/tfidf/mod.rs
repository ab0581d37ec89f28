//! TF-IDF: vocabulary and idf, sparse (CSR) vectors, top-k cosine neighbours.

mod model;
mod sparse;
mod topk;

pub use model::{DfBound, DocFreqs, TermCounts, TfWeight, TfidfBuilder, TfidfModel, count_terms};
pub use sparse::{CsrMatrix, sparse_dot};
pub use topk::{InvertedIndex, Neighbour, TopKScratch, brute_force_top_k};
