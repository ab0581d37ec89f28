//! Choosing bands × rows from a similarity threshold.
//!
//! With `b` bands of `r` rows, two documents of Jaccard similarity `s` share at least one
//! band with probability `P(s) = 1 - (1 - s^r)^b` (the S-curve). We choose, among all
//! `b × r <= num_perm`, the banding with the smallest false-positive area `∫_0^t P(s) ds`
//! subject to `P(t) >= min_recall` (0.95 by default) at the threshold `t` itself. The
//! common criterion (datasketch's: minimise the sum of false-positive and false-negative
//! areas) puts `P(t)` near 0.3-0.4, losing pairs just above the threshold; here the exact
//! verification step removes the extra candidates cheaply, so recall comes first.

use crate::error::{Error, Result};

/// A banding: `bands` bands of `rows` slots each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Slots per band.
    pub rows: usize,
}

/// The lowest probability of becoming a candidate at the threshold, by default.
pub const DEFAULT_MIN_RECALL: f64 = 0.95;

impl LshParams {
    /// A banding given directly; `bands × rows` must not exceed `num_perm`.
    pub fn new(bands: usize, rows: usize, num_perm: usize) -> Result<Self> {
        if bands == 0 || rows == 0 {
            return Err(Error::config("bands", "bands and rows must be at least 1"));
        }
        if bands * rows > num_perm {
            return Err(Error::config(
                "bands",
                format!(
                    "{bands} bands x {rows} rows needs {} slots, num_perm is {num_perm}",
                    bands * rows
                ),
            ));
        }
        Ok(LshParams { bands, rows })
    }

    /// The banding with the least false-positive area such that a pair at exactly
    /// `threshold` becomes a candidate with probability at least `min_recall`.
    pub fn from_threshold(threshold: f64, num_perm: usize, min_recall: f64) -> Result<Self> {
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(Error::config(
                "threshold",
                format!("{threshold} is not between 0 and 1"),
            ));
        }
        if !(0.0..1.0).contains(&min_recall) {
            return Err(Error::config(
                "min_recall",
                format!("{min_recall} is not in [0, 1)"),
            ));
        }
        let mut best: Option<(f64, LshParams)> = None;
        for rows in 1..=num_perm {
            let bands = num_perm / rows;
            let p = LshParams { bands, rows };
            if p.probability(threshold) < min_recall {
                continue;
            }
            let fp = integrate(|s| p.probability(s), 0.0, threshold);
            if best.is_none_or(|(b, _)| fp < b) {
                best = Some((fp, p));
            }
        }
        best.map(|(_, p)| p).ok_or_else(|| {
            Error::config(
                "threshold",
                format!(
                    "no banding of {num_perm} slots reaches recall {min_recall} at {threshold}"
                ),
            )
        })
    }

    /// Probability that a pair of Jaccard similarity `s` shares at least one band.
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// Slots used (`bands × rows`).
    pub fn slots(&self) -> usize {
        self.bands * self.rows
    }

    /// The similarity where the S-curve is steepest, about `(1/b)^(1/r)`.
    pub fn knee(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }
}

fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = 200;
    let h = (b - a) / n as f64;
    // Simpson's rule.
    let mut sum = f(a) + f(b);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(a + i as f64 * h);
    }
    sum * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_banding_reaches_recall_at_threshold() {
        for &t in &[0.3, 0.5, 0.7, 0.8, 0.9] {
            for &k in &[64, 128, 256] {
                let p = LshParams::from_threshold(t, k, 0.95).unwrap();
                assert!(p.probability(t) >= 0.95, "t={t} k={k} {p:?}");
                assert!(p.slots() <= k);
                // No banding with a smaller false-positive area also reaches the recall.
                for rows in 1..=k {
                    let q = LshParams {
                        bands: k / rows,
                        rows,
                    };
                    if q.probability(t) >= 0.95 {
                        assert!(
                            integrate(|s| q.probability(s), 0.0, t)
                                >= integrate(|s| p.probability(s), 0.0, t) - 1e-12
                        );
                    }
                }
            }
        }
        assert_eq!(
            LshParams::from_threshold(0.5, 128, 0.95).unwrap(),
            LshParams { bands: 42, rows: 3 }
        );
    }

    #[test]
    fn invalid_settings() {
        assert!(LshParams::from_threshold(1.5, 128, 0.95).is_err());
        assert!(LshParams::from_threshold(0.0, 128, 0.95).is_err());
        assert!(
            LshParams::new(10, 20, 128)
                .unwrap_err()
                .to_string()
                .contains("needs 200 slots")
        );
        assert!(LshParams::from_threshold(0.05, 2, 0.999).is_err());
    }
}
