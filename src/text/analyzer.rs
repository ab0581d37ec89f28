//! The analyser: normaliser, tokeniser and filters, applied in that order.

use std::fmt;

use super::filter::TokenFilter;
use super::normalize::Normalizer;
use super::tokenize::{Tokenizer, WordTokenizer};

/// Turns raw text into a stream of normalised tokens.
///
/// ```
/// use neardup::Analyzer;
/// let a = Analyzer::default();
/// assert_eq!(a.tokens("The U.S. Dollar\u{2019}s RISE"), ["the", "u.s", "dollar's", "rise"]);
/// ```
pub struct Analyzer<T: Tokenizer = WordTokenizer> {
    normalizer: Normalizer,
    tokenizer: T,
    filters: Vec<Box<dyn TokenFilter>>,
}

impl Default for Analyzer<WordTokenizer> {
    fn default() -> Self {
        Analyzer::new(Normalizer::default(), WordTokenizer)
    }
}

impl<T: Tokenizer> fmt::Debug for Analyzer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer")
            .field("normalizer", &self.normalizer)
            .field("filters", &self.filters.len())
            .finish()
    }
}

impl<T: Tokenizer> Analyzer<T> {
    /// An analyser with a normaliser and a tokeniser, and no filters.
    pub fn new(normalizer: Normalizer, tokenizer: T) -> Self {
        Analyzer {
            normalizer,
            tokenizer,
            filters: Vec::new(),
        }
    }

    /// Adds a filter, applied after those already added.
    pub fn with_filter(mut self, filter: impl TokenFilter + 'static) -> Self {
        self.filters.push(Box::new(filter));
        self
    }

    /// The normaliser.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Normalises `text` into `scratch` and calls `sink` with each token.
    pub fn for_each_token(&self, text: &str, scratch: &mut String, sink: impl FnMut(&str)) {
        self.normalizer.normalize_into(text, scratch);
        self.tokens_of_normalized_inline(scratch, sink);
    }

    /// Calls `sink` with each token of already normalised text.
    pub fn tokens_of_normalized(&self, normalized: &str, sink: &mut dyn FnMut(&str)) {
        if self.filters.is_empty() {
            self.tokenizer.tokenize(normalized, &mut |t| sink(t));
            return;
        }
        self.tokenizer.tokenize(normalized, &mut |t| {
            let mut owned: Option<String> = None;
            for f in &self.filters {
                let current = owned.as_deref().unwrap_or(t);
                let rewritten = match f.filter(current) {
                    Some(std::borrow::Cow::Borrowed(_)) => None,
                    Some(std::borrow::Cow::Owned(s)) => Some(s),
                    None => return,
                };
                if rewritten.is_some() {
                    owned = rewritten;
                }
            }
            sink(owned.as_deref().unwrap_or(t));
        });
    }

    /// As [`tokens_of_normalized`](Self::tokens_of_normalized), with an inlined sink when
    /// there are no filters (the shingling hot path).
    pub fn tokens_of_normalized_inline(&self, normalized: &str, mut sink: impl FnMut(&str)) {
        if self.filters.is_empty() {
            self.tokenizer.tokenize_inline(normalized, sink);
        } else {
            self.tokens_of_normalized(normalized, &mut sink);
        }
    }

    /// The tokens of `text`, as owned strings.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut scratch = String::new();
        self.for_each_token(text, &mut scratch, |t| out.push(t.to_owned()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::filter::StopWords;

    #[test]
    fn filters_apply_after_normalising() {
        let a = Analyzer::default().with_filter(StopWords::new(["the"]));
        assert_eq!(a.tokens("THE Cat and The Dog"), ["cat", "and", "dog"]);
    }
}
