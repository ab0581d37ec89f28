//! Verifying candidate pairs on the exact shingle sets.

use super::figure::Figure;
use super::template::TemplateShingles;
use crate::error::{Error, Result};
use crate::minhash::Overlap;
use crate::shingle::Fingerprint;

/// Which test a verified pair passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Jaccard similarity at or above the threshold.
    Jaccard,
    /// The smaller text lies mostly inside the larger (a truncated or padded copy).
    Containment,
}

/// A candidate pair that passed verification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerifiedPair {
    /// The first document (smaller number).
    pub a: u32,
    /// The second document.
    pub b: u32,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// |A ∩ B| / min(|A|, |B|).
    pub containment: f64,
    /// The test it passed (Jaccard first).
    pub kind: MatchKind,
}

impl VerifiedPair {
    /// The score of the test it passed.
    pub fn score(&self) -> f64 {
        match self.kind {
            MatchKind::Jaccard => self.jaccard,
            MatchKind::Containment => self.containment,
        }
    }

    /// The order clusters join pairs in: higher score first, ties by document numbers.
    pub(crate) fn join_order(&self, other: &VerifiedPair) -> std::cmp::Ordering {
        other
            .score()
            .total_cmp(&self.score())
            .then(self.a.cmp(&other.a))
            .then(self.b.cmp(&other.b))
    }
}

/// Decides whether two shingle sets are near-duplicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verifier {
    threshold: f64,
    containment: Option<f64>,
    min_contained: usize,
}

impl Verifier {
    /// A pair passes when its Jaccard similarity is at least `threshold`, or, if
    /// `containment` is set, when at least that share of the smaller set lies in the larger
    /// and the smaller set has at least `min_contained` shingles (so a headline alone is
    /// not "contained" in every story that repeats it).
    pub fn new(threshold: f64, containment: Option<f64>, min_contained: usize) -> Result<Self> {
        if !(0.0..=1.0).contains(&threshold) || threshold.is_nan() {
            return Err(Error::config(
                "threshold",
                format!("{threshold} is not in [0, 1]"),
            ));
        }
        if let Some(c) = containment
            && !(c > 0.0 && c <= 1.0)
        {
            return Err(Error::config(
                "containment",
                format!("{c} is not in (0, 1]"),
            ));
        }
        Ok(Verifier {
            threshold,
            containment,
            min_contained,
        })
    }

    /// The smallest set that can count as contained.
    pub fn min_contained(&self) -> usize {
        self.min_contained
    }

    /// The Jaccard threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The containment threshold, if containment counts.
    pub fn containment(&self) -> Option<f64> {
        self.containment
    }

    /// The lowest Jaccard similarity a pair that passes can have, given the set sizes are
    /// unknown: the LSH banding must aim at this to find contained copies.
    pub fn min_candidate_similarity(&self, max_size_ratio: f64) -> f64 {
        match self.containment {
            // A smaller set S of ratio q = |S|/|L| with containment c has
            // J = c q / (1 + q - c q).
            Some(c) => {
                let q = max_size_ratio;
                self.threshold.min(c * q / (1.0 + q - c * q))
            }
            None => self.threshold,
        }
    }

    /// Verifies documents `a` and `b` with sorted, deduplicated shingle sets.
    pub fn verify<T: Ord + Copy>(
        &self,
        a: u32,
        b: u32,
        set_a: &[T],
        set_b: &[T],
    ) -> Option<VerifiedPair> {
        let o = Overlap::of_sorted(set_a, set_b);
        self.decide(a, b, o.jaccard(), o.containment(), o.intersection > 0, &o)
    }

    /// The rule: Jaccard first, then containment (for a smaller set of at least
    /// `min_contained` shingles).
    fn decide(
        &self,
        a: u32,
        b: u32,
        jaccard: f64,
        containment: f64,
        shared: bool,
        plain: &Overlap,
    ) -> Option<VerifiedPair> {
        let kind = if jaccard >= self.threshold && shared {
            MatchKind::Jaccard
        } else if self
            .containment
            .is_some_and(|c| containment >= c && plain.len_a.min(plain.len_b) >= self.min_contained)
        {
            MatchKind::Containment
        } else {
            return None;
        };
        Some(VerifiedPair {
            a: a.min(b),
            b: a.max(b),
            jaccard,
            containment,
            kind,
        })
    }
}

/// Two short texts (fewer shingles than the verifier's `min_contained`) are copies only
/// with at least this Jaccard similarity when template shingles are learnt.
pub const SHORT_JACCARD: f64 = 0.5;

/// What verification with template shingles decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// A near-duplicate pair.
    Copy(VerifiedPair),
    /// The pair passes on plain shingles but not once template shingles weigh less (or,
    /// for two short texts, not with Jaccard 0.5): it shares a template, not a text.
    Template(VerifiedPair),
    /// The pair passes, but its figures conflict (see [`FigureCount`](super::FigureCount)):
    /// the same report with other figures (another day's, a correction's).
    Conflict(VerifiedPair),
    /// Not a near-duplicate pair.
    Different,
}

/// Why verification set a pair aside that passes on plain shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SetAside {
    /// It shares only a template ([`Verdict::Template`]).
    Template,
    /// Its figures conflict ([`Verdict::Conflict`]): clusters keep it apart.
    Figures,
}

impl Verdict {
    /// The pair, when it is a near-duplicate.
    pub fn copy(&self) -> Option<VerifiedPair> {
        match self {
            Verdict::Copy(p) => Some(*p),
            _ => None,
        }
    }

    /// Why the pair was set aside, if it was.
    pub fn set_aside(&self) -> Option<SetAside> {
        match self {
            Verdict::Template(_) => Some(SetAside::Template),
            Verdict::Conflict(_) => Some(SetAside::Figures),
            Verdict::Copy(_) | Verdict::Different => None,
        }
    }
}

impl Verifier {
    /// [`Verifier::verify`] with each shingle weighted by how common it is in the corpus
    /// (see [`TemplateShingles`]): the rule is applied to the weighted Jaccard similarity
    /// and containment, and the pair reports them. Without template shingles (or with
    /// none in either set) they are the plain measures. A pair that the plain rule would
    /// pass but the weighted one does not shares a template, not a text
    /// ([`Verdict::Template`]); a pair that passes but whose figures conflict is the same
    /// report on another day ([`Verdict::Conflict`]).
    pub fn verify_with(
        &self,
        templates: Option<&TemplateShingles>,
        a: u32,
        b: u32,
        set_a: &[Fingerprint],
        set_b: &[Fingerprint],
    ) -> Verdict {
        self.verify_weighing(templates, a, b, set_a, set_b, |t| t.figures_conflict(a, b))
    }

    /// [`verify_with`](Self::verify_with) for a pair given with its figures (`figures_a`,
    /// `figures_b`), against template shingles learnt elsewhere
    /// ([`TemplateShingles::learn_sampled`]): the same verdict as `verify_with` over the
    /// corpus the shingles were learnt from.
    #[allow(clippy::too_many_arguments)]
    pub fn verify_with_figures(
        &self,
        templates: Option<&TemplateShingles>,
        a: u32,
        b: u32,
        set_a: &[Fingerprint],
        set_b: &[Fingerprint],
        figures_a: &[Figure],
        figures_b: &[Figure],
    ) -> Verdict {
        self.verify_weighing(templates, a, b, set_a, set_b, |t| {
            t.figures_conflict_of(figures_a, figures_b)
        })
    }

    fn verify_weighing(
        &self,
        templates: Option<&TemplateShingles>,
        a: u32,
        b: u32,
        set_a: &[Fingerprint],
        set_b: &[Fingerprint],
        conflict: impl FnOnce(&TemplateShingles) -> bool,
    ) -> Verdict {
        let plain = || match self.verify(a, b, set_a, set_b) {
            Some(pair) => Verdict::Copy(pair),
            None => Verdict::Different,
        };
        let Some(t) = templates else {
            return plain();
        };
        let verdict = if t.is_empty() {
            plain()
        } else {
            let w = t.overlap_of(a, b, set_a, set_b);
            let o = w.plain;
            match self.decide(a, b, w.jaccard(), w.containment(), w.intersection > 0.0, &o) {
                Some(pair) => Verdict::Copy(pair),
                None => {
                    match self.decide(a, b, o.jaccard(), o.containment(), o.intersection > 0, &o) {
                        Some(pair) => Verdict::Template(pair),
                        None => Verdict::Different,
                    }
                }
            }
        };
        // Two filled-in copies of a fixed report differ only in their figures.
        let short = set_a.len().min(set_b.len()) < self.min_contained;
        match verdict {
            Verdict::Copy(pair) if conflict(t) => Verdict::Conflict(pair),
            Verdict::Copy(pair) if short && pair.jaccard < SHORT_JACCARD => Verdict::Template(pair),
            v => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_set_aside_pairs_that_share_only_a_template() {
        let v = Verifier::new(0.3, Some(0.5), 20).unwrap();
        let template: Vec<u32> = (0..60).collect();
        let with = |own: u32| {
            let mut s = template.clone();
            s.extend((0..40).map(|k| 1000 * own + 100 + k));
            s
        };
        let t = TemplateShingles::from_parts(20, template.clone(), vec![100; 60]);
        let (a, b) = (with(1), with(2));
        assert!(v.verify(0, 1, &a, &b).is_some());
        assert!(matches!(
            v.verify_with(Some(&t), 0, 1, &a, &b),
            Verdict::Template(_)
        ));
        assert!(matches!(
            v.verify_with(Some(&t), 0, 1, &a, &a),
            Verdict::Copy(_)
        ));
        assert!(matches!(
            v.verify_with(None, 0, 1, &a, &b),
            Verdict::Copy(_)
        ));
        let far: Vec<u32> = (5000..5100).collect();
        assert_eq!(v.verify_with(Some(&t), 0, 1, &a, &far), Verdict::Different);
        // A copy padded with template text (a footer): plain Jaccard 40 / 100 and
        // containment 40 / 40 pass; so do the weighted ones, and higher (the padding
        // weighs 60 * 0.25 = 15).
        let own: Vec<u32> = (1100..1140).collect();
        let Verdict::Copy(p) = v.verify_with(Some(&t), 0, 1, &own, &a) else {
            panic!("a padded copy is a copy");
        };
        assert!((p.jaccard - 40.0 / 55.0).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn jaccard_then_containment() {
        let v = Verifier::new(0.5, Some(0.8), 3).unwrap();
        let p = v.verify(2, 1, &[1, 2, 3, 4], &[1, 2, 3, 5]).unwrap();
        assert_eq!((p.a, p.b, p.kind), (1, 2, MatchKind::Jaccard));
        assert!((p.jaccard - 0.6).abs() < 1e-12);
        let big: Vec<u64> = (0..20).collect();
        let p = v.verify(0, 1, &[1, 2, 3, 4], &big).unwrap();
        assert_eq!(p.kind, MatchKind::Containment);
        assert_eq!(p.score(), 1.0);
        // Too small to count as contained.
        assert!(v.verify(0, 1, &[1, 2], &big).is_none());
        assert!(
            Verifier::new(0.5, None, 3)
                .unwrap()
                .verify(0, 1, &[1, 2, 3, 4], &big)
                .is_none()
        );
        assert!(Verifier::new(1.5, None, 3).is_err());
    }

    #[test]
    fn min_candidate_similarity_matches_formula() {
        let v = Verifier::new(0.5, Some(0.9), 1).unwrap();
        // A set a third the size, 90% contained: J = 0.9 * (1/3) / (1 + 1/3 - 0.3) = 0.29...
        let j = v.min_candidate_similarity(1.0 / 3.0);
        let (s, l, i) = (100.0, 300.0, 90.0);
        assert!((j - i / (s + l - i)).abs() < 1e-9);
    }
}
