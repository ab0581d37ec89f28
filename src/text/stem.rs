//! Snowball stemming as a token filter (feature `stemming`, through `rust-stemmers`).

use std::borrow::Cow;

use super::filter::TokenFilter;
use crate::error::{Error, Result};

/// Reduces each token to its Snowball stem (`running` → `run`), so inflected forms count as
/// one term. Tokens are expected normalised (lower case), as the analyser gives them.
pub struct SnowballStemmer {
    language: &'static str,
    stemmer: rust_stemmers::Stemmer,
}

impl std::fmt::Debug for SnowballStemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnowballStemmer")
            .field("language", &self.language)
            .finish()
    }
}

const LANGUAGES: &[(&str, rust_stemmers::Algorithm)] = &[
    ("arabic", rust_stemmers::Algorithm::Arabic),
    ("danish", rust_stemmers::Algorithm::Danish),
    ("dutch", rust_stemmers::Algorithm::Dutch),
    ("english", rust_stemmers::Algorithm::English),
    ("finnish", rust_stemmers::Algorithm::Finnish),
    ("french", rust_stemmers::Algorithm::French),
    ("german", rust_stemmers::Algorithm::German),
    ("greek", rust_stemmers::Algorithm::Greek),
    ("hungarian", rust_stemmers::Algorithm::Hungarian),
    ("italian", rust_stemmers::Algorithm::Italian),
    ("norwegian", rust_stemmers::Algorithm::Norwegian),
    ("portuguese", rust_stemmers::Algorithm::Portuguese),
    ("romanian", rust_stemmers::Algorithm::Romanian),
    ("russian", rust_stemmers::Algorithm::Russian),
    ("spanish", rust_stemmers::Algorithm::Spanish),
    ("swedish", rust_stemmers::Algorithm::Swedish),
    ("tamil", rust_stemmers::Algorithm::Tamil),
    ("turkish", rust_stemmers::Algorithm::Turkish),
];

impl SnowballStemmer {
    /// The stemmer of a language by its English name (`english`, `german`, ...).
    pub fn new(language: &str) -> Result<Self> {
        let lower = language.to_ascii_lowercase();
        let (name, algorithm) = LANGUAGES.iter().find(|(n, _)| *n == lower).ok_or_else(|| {
            let names: Vec<&str> = LANGUAGES.iter().map(|(n, _)| *n).collect();
            Error::config(
                "stem",
                format!(
                    "no Snowball stemmer for `{language}` (one of {})",
                    names.join(", ")
                ),
            )
        })?;
        Ok(SnowballStemmer {
            language: name,
            stemmer: rust_stemmers::Stemmer::create(*algorithm),
        })
    }

    /// The language.
    pub fn language(&self) -> &'static str {
        self.language
    }
}

impl TokenFilter for SnowballStemmer {
    fn filter<'t>(&self, token: &'t str) -> Option<Cow<'t, str>> {
        match self.stemmer.stem(token) {
            Cow::Borrowed(s) if s.len() == token.len() => Some(Cow::Borrowed(token)),
            stem => Some(Cow::Owned(stem.into_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    #[test]
    fn stems_inflected_forms_to_one_term() {
        let a = Analyzer::default().with_filter(SnowballStemmer::new("English").unwrap());
        assert_eq!(
            a.tokens("Officials RAISED rates; raising rates again"),
            ["offici", "rais", "rate", "rais", "rate", "again"]
        );
        assert!(SnowballStemmer::new("klingon").is_err());
    }
}
