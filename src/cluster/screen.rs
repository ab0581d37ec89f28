//! Screening candidates on their signatures before exact verification.
//!
//! LSH banding aimed at a low threshold (J = 0.3 with recall 0.95 needs 2-row bands) also
//! brings in many pairs far below it. Each slot of two classic MinHash signatures agrees
//! with probability J, independently, so the number of agreeing slots is Binomial(k, J). A
//! pair whose agreements are so few that, were its similarity high enough to pass, seeing
//! that few would have probability below `1e-9`, is dropped without reading its shingle
//! sets. Which similarity "high enough" is depends on the set sizes when containment
//! counts: a short text inside a long one has a low Jaccard similarity.

use super::Verifier;

/// The probability, for a pair that would pass, of being screened out.
pub const SCREEN_RISK: f64 = 1e-9;

/// Decides from signature agreement whether a candidate can still pass verification.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    verifier: Verifier,
    /// `max_j[m]`: the highest similarity at which `m` or fewer agreements out of `k` slots
    /// still have probability at least [`SCREEN_RISK`].
    max_j: Vec<f64>,
}

impl Screen {
    /// A screen for signatures of `slots` slots.
    pub fn new(verifier: Verifier, slots: usize) -> Screen {
        let n = slots as f64;
        let budget = -SCREEN_RISK.ln();
        let max_j = (0..=slots)
            .map(|m| {
                if m == slots {
                    return 1.0;
                }
                // Chernoff: P(X <= m) <= exp(-k KL(m/k || J)) for J above m/k. Where that
                // bound reaches the risk, the exact tail is already below it, so the
                // screen errs towards keeping pairs.
                let a = m as f64 / n;
                let (mut lo, mut hi) = (a, 1.0f64);
                for _ in 0..60 {
                    let mid = 0.5 * (lo + hi);
                    if n * kl_bernoulli(a, mid) <= budget {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                hi
            })
            .collect();
        Screen { verifier, max_j }
    }

    /// Whether a pair of sets of sizes `len_a` and `len_b` whose signatures agree on
    /// `agree` slots may pass verification (false: it almost surely cannot).
    pub fn may_pass(&self, agree: usize, len_a: usize, len_b: usize) -> bool {
        let Some(&max_j) = self.max_j.get(agree) else {
            return true;
        };
        let v = &self.verifier;
        let mut need = v.threshold();
        let small = len_a.min(len_b);
        if let Some(c) = v.containment()
            && small >= v.min_contained()
        {
            // The least intersection that makes the pair contained, as a Jaccard.
            let i = c * small as f64;
            need = need.min(i / ((len_a + len_b) as f64 - i)).max(0.0);
        }
        need <= max_j
    }
}

/// The Kullback–Leibler divergence of Bernoulli(`p`) from Bernoulli(`a`).
fn kl_bernoulli(a: f64, p: f64) -> f64 {
    let term = |x: f64, y: f64| if x > 0.0 { x * (x / y).ln() } else { 0.0 };
    term(a, p) + term(1.0 - a, 1.0 - p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P(X <= m) for X ~ Binomial(n, p), summed in log space.
    fn binomial_cdf(m: usize, n: usize, p: f64) -> f64 {
        let (lp, lq) = (p.ln(), (1.0 - p).ln());
        let mut ln_choose = 0f64;
        let mut total = 0f64;
        for i in 0..=m.min(n) {
            if i > 0 {
                ln_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
            }
            total += (ln_choose + i as f64 * lp + (n - i) as f64 * lq).exp();
        }
        total
    }
    use crate::minhash::{MinHasher, Overlap, SplitMix64};

    #[test]
    fn cdf_matches_direct_sum() {
        // n = 10, p = 0.3: P(X <= 2) = 0.3827827864.
        assert!((binomial_cdf(2, 10, 0.3) - 0.382_782_786_4).abs() < 1e-9);
        assert!((binomial_cdf(10, 10, 0.7) - 1.0).abs() < 1e-12);
        assert!(binomial_cdf(0, 128, 0.5) < 1e-38);
    }

    /// At each table entry the exact tail is within the risk: the Chernoff bound only
    /// ever makes the screen keep more.
    #[test]
    fn table_is_conservative() {
        for slots in [16, 64, 128, 256] {
            let s = Screen::new(Verifier::new(0.5, None, 0).unwrap(), slots);
            for (m, &j) in s.max_j.iter().enumerate().take(slots) {
                assert!(j > m as f64 / slots as f64);
                assert!(
                    binomial_cdf(m, slots, j) <= SCREEN_RISK * 1.000_001,
                    "{slots} {m}"
                );
            }
        }
    }

    #[test]
    fn thresholds_rise_with_agreement() {
        let s = Screen::new(Verifier::new(0.5, None, 0).unwrap(), 128);
        assert!(s.max_j.windows(2).all(|w| w[0] <= w[1]));
        // Nothing agreeing: J = 0.3 would show that with probability 0.7^128 < 1e-9.
        assert!(!s.may_pass(0, 100, 100));
        // Half the slots agreeing: a pair at 0.5 looks just like that.
        assert!(s.may_pass(64, 100, 100));
    }

    #[test]
    fn containment_lowers_the_bar() {
        let v = Verifier::new(0.5, Some(0.8), 10).unwrap();
        let s = Screen::new(v, 128);
        // 50 shingles inside 1,000: J = 40 / 1010 at the containment limit, about 0.04;
        // a handful of agreements is then unremarkable.
        assert!(s.may_pass(3, 50, 1000));
        assert!(!s.may_pass(3, 500, 500));
    }

    /// Over random pairs at many similarities, no pair that passes verification is ever
    /// screened out, and most pairs far below the threshold are.
    #[test]
    fn never_drops_a_passing_pair() {
        let v = Verifier::new(0.3, Some(0.5), 20).unwrap();
        let hasher = MinHasher::builder().num_perm(128).seed(3).build().unwrap();
        let screen = Screen::new(v, 128);
        let mut g = SplitMix64::new(11);
        let (mut passing, mut dropped_far) = (0, 0);
        for round in 0..400 {
            let shared = 5 + round % 200;
            let wide = if round % 2 == 0 { 30 } else { 300 };
            let (only_a, only_b) = (g.next() as usize % 300, g.next() as usize % wide);
            let common: Vec<u64> = (0..shared).map(|_| g.next()).collect();
            let mut a: Vec<u64> = common.clone();
            a.extend((0..only_a).map(|_| g.next()));
            let mut b = common;
            b.extend((0..only_b).map(|_| g.next()));
            a.sort_unstable();
            b.sort_unstable();
            let (sa, sb) = (hasher.signature(&a), hasher.signature(&b));
            let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count();
            let keep = screen.may_pass(agree, a.len(), b.len());
            if v.verify(0, 1, &a, &b).is_some() {
                passing += 1;
                assert!(keep, "round {round}: a passing pair was screened out");
            } else if Overlap::of_sorted(&a, &b).jaccard() < 0.05 && !keep {
                dropped_far += 1;
            }
        }
        assert!(passing > 50, "{passing}");
        assert!(dropped_far > 0);
    }
}
