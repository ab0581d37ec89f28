//! Text analysis: normalisation, tokenisation (UAX#29) and token filters.

mod analyzer;
mod filter;
mod normalize;
#[cfg(feature = "stemming")]
mod stem;
mod tokenize;

pub use analyzer::Analyzer;
pub use filter::{MinLength, StopWords, TokenFilter};
pub use normalize::Normalizer;
#[cfg(feature = "stemming")]
pub use stem::SnowballStemmer;
pub use tokenize::{Tokenizer, WordTokenizer};
