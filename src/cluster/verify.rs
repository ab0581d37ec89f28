//! Verifying candidate pairs on the exact shingle sets.

use crate::error::{Error, Result};
use crate::minhash::Overlap;

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
        let (jaccard, containment) = (o.jaccard(), o.containment());
        let kind = if jaccard >= self.threshold && o.intersection > 0 {
            MatchKind::Jaccard
        } else if self
            .containment
            .is_some_and(|c| containment >= c && set_a.len().min(set_b.len()) >= self.min_contained)
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

#[cfg(test)]
mod tests {
    use super::*;

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
