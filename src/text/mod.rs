//! Text analysis: normalisation, tokenisation (UAX#29) and token filters.

mod analyzer;
mod filter;
mod normalize;
mod tokenize;

pub use analyzer::Analyzer;
pub use filter::{MinLength, StopWords, TokenFilter};
pub use normalize::Normalizer;
pub use tokenize::{Tokenizer, WordTokenizer};
