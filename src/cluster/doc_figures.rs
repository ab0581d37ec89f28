//! A document's figures as verification compares them: the numbers of its text (read from
//! its tokens, as shingling reads them), its name, subject and flash entries (read from the
//! text as written), without the figures of its datelines, with its publication day.
//! `pairs`, the index and the query service all read a text's figures here, so that they
//! decide a pair alike.

use super::dateline::without_datelines;
use super::figure::Figure;
use super::figures::FigureCollector;
use super::names::NameCollector;
use super::published::published_entry;

/// Collects one document's figures at a time (reused across documents).
#[derive(Debug, Default)]
pub(crate) struct DocFigures {
    figures: FigureCollector,
    names: NameCollector,
}

impl DocFigures {
    /// Reads the next token of the text (normalised as the shingles' tokens are) with its
    /// [`hash_token`](crate::shingle::hash_token).
    pub(crate) fn token(&mut self, token: &str, hash: u64) {
        self.figures.push_hashed(token, hash);
    }

    /// The figures of `text`, whose tokens were all read, published on `day` (days since
    /// 1970-01-01, UTC) when known: sorted. Starts the next text.
    pub(crate) fn finish(&mut self, text: &str, day: Option<i64>) -> Vec<Figure> {
        let mut figures = self.figures.finish();
        without_datelines(text, &mut figures);
        // The names are read from the text as written: the tokens are case-folded.
        self.names.collect(text, &mut figures);
        figures.extend(day.and_then(published_entry));
        figures.sort_unstable();
        figures
    }
}
