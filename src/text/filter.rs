//! Token filters: small, composable steps applied to each token after tokenising.

use std::borrow::Cow;
use std::collections::HashSet;

/// Drops or rewrites a token.
pub trait TokenFilter: Send + Sync {
    /// The token to keep (possibly rewritten), or `None` to drop it.
    fn filter<'t>(&self, token: &'t str) -> Option<Cow<'t, str>>;
}

/// Drops tokens found in a list (compare with normalised, case-folded words).
#[derive(Debug, Clone, Default)]
pub struct StopWords {
    words: HashSet<String>,
}

impl StopWords {
    /// A stop list from words (normalise them as the text is: lower case).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(words: I) -> Self {
        StopWords {
            words: words.into_iter().map(Into::into).collect(),
        }
    }
}

impl TokenFilter for StopWords {
    fn filter<'t>(&self, token: &'t str) -> Option<Cow<'t, str>> {
        (!self.words.contains(token)).then_some(Cow::Borrowed(token))
    }
}

/// Drops tokens shorter than a number of characters.
#[derive(Debug, Clone, Copy)]
pub struct MinLength(pub usize);

impl TokenFilter for MinLength {
    fn filter<'t>(&self, token: &'t str) -> Option<Cow<'t, str>> {
        (token.chars().count() >= self.0).then_some(Cow::Borrowed(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_and_min_length() {
        let s = StopWords::new(["the", "a"]);
        assert!(s.filter("the").is_none());
        assert_eq!(s.filter("cat").as_deref(), Some("cat"));
        assert!(MinLength(2).filter("é").is_none());
        assert!(MinLength(2).filter("éé").is_some());
    }
}
