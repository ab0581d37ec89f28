//! The figures a template fills in for many documents of a corpus, with their document
//! frequencies: what [`FigureCount`](super::FigureCount) weighs less as evidence of one
//! text, and what the rules take as common words. Learnt by
//! [`template_figures`](fn@super::template_figures).

use super::figure::{Figure, narrow};

/// Figures common to many documents of a corpus, with their document frequencies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateFigures {
    cut: u32,
    figures: Vec<Figure>,
    df: Vec<u32>,
}

impl TemplateFigures {
    /// The figures (narrowed, sorted, each once) found in at least `cut` documents, with
    /// their document frequencies.
    pub(super) fn new(cut: u32, figures: Vec<Figure>, df: Vec<u32>) -> Self {
        debug_assert!(figures.is_sorted_by(|x, y| x < y) && figures.len() == df.len());
        TemplateFigures { cut, figures, df }
    }

    /// The figures and their document frequencies.
    pub(super) fn parts(&self) -> (&[Figure], &[u32]) {
        (&self.figures, &self.df)
    }

    /// Whether a figure is in at least `cut` documents.
    pub(crate) fn holds(&self, f: Figure) -> bool {
        self.figures.binary_search(&narrow(f)).is_ok()
    }

    /// In how many documents a figure is (scaled from the sample), 0 when in fewer than
    /// `cut`.
    pub(crate) fn df(&self, f: Figure) -> u32 {
        self.figures
            .binary_search(&narrow(f))
            .map_or(0, |i| self.df[i])
    }

    /// How much a figure two documents have in common weighs: 1, or `cut / df` for a
    /// figure in at least `cut` documents (as for template shingles, with no floor).
    pub fn weight(&self, f: Figure) -> f64 {
        match self.figures.binary_search(&narrow(f)) {
            Ok(i) => f64::from(self.cut) / f64::from(self.df[i]),
            Err(_) => 1.0,
        }
    }
}
