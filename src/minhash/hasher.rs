//! The configured sketcher ([`MinHasher`]): one of the sketch kinds, chosen and validated by
//! its builder.

use super::classic::ClassicMinHasher;
use super::cminhash::CMinHasher;
use super::oph::OnePermHasher;
use super::params::{SketchKind, SketchParams};
use super::sketch::Sketcher;
use crate::error::{Error, Result};

/// Builds a [`MinHasher`], validating its settings.
#[derive(Debug, Clone)]
pub struct MinHasherBuilder {
    num_perm: usize,
    seed: u64,
    kind: SketchKind,
}

impl MinHasherBuilder {
    /// Number of slots, 1 to 4096; default 128.
    pub fn num_perm(mut self, n: usize) -> Self {
        self.num_perm = n;
        self
    }

    /// The seed; default 42.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The sketch; default [`SketchKind::DEFAULT`].
    pub fn kind(mut self, kind: SketchKind) -> Self {
        self.kind = kind;
        self
    }

    /// Validates the settings and derives the hash functions.
    pub fn build(self) -> Result<MinHasher> {
        if !(1..=4096).contains(&self.num_perm) {
            return Err(Error::config(
                "num_perm",
                format!("{} is not in 1..=4096", self.num_perm),
            ));
        }
        let params = SketchParams {
            num_perm: self.num_perm,
            seed: self.seed,
            kind: self.kind,
        };
        let inner = match self.kind {
            SketchKind::Classic => Inner::Classic(ClassicMinHasher::new(params)),
            SketchKind::Oph => Inner::Oph(OnePermHasher::new(params)),
            SketchKind::CMinHash => Inner::CMinHash(CMinHasher::new(params)),
        };
        Ok(MinHasher { inner })
    }
}

/// The sketcher a pipeline uses: one of the [`SketchKind`]s, chosen by the builder, behind
/// the [`Sketcher`] trait.
///
/// ```
/// use neardup::{MinHasher, SketchKind};
/// for kind in [SketchKind::Classic, SketchKind::Oph, SketchKind::CMinHash] {
///     let h = MinHasher::builder().num_perm(64).seed(7).kind(kind).build().unwrap();
///     let a = h.signature(&(0..200).collect::<Vec<u64>>());
///     let b = h.signature(&(20..220).collect::<Vec<u64>>());
///     assert_eq!(a.len(), 64);
///     assert!(neardup::estimate_jaccard(&a, &b) > 0.6);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct MinHasher {
    inner: Inner,
}

#[derive(Debug, Clone)]
enum Inner {
    Classic(ClassicMinHasher),
    Oph(OnePermHasher),
    CMinHash(CMinHasher),
}

impl MinHasher {
    /// A builder with the defaults (128 slots, seed 42, the default sketch).
    pub fn builder() -> MinHasherBuilder {
        MinHasherBuilder {
            num_perm: 128,
            seed: 42,
            kind: SketchKind::DEFAULT,
        }
    }

    fn sketcher(&self) -> &dyn Sketcher {
        match &self.inner {
            Inner::Classic(h) => h,
            Inner::Oph(h) => h,
            Inner::CMinHash(h) => h,
        }
    }

    /// The parameters.
    pub fn params(&self) -> SketchParams {
        self.sketcher().params()
    }

    /// Number of slots.
    pub fn num_perm(&self) -> usize {
        self.params().num_perm
    }

    /// Writes the signature of a shingle multiset into `out` (`num_perm` slots). Repeats
    /// and order do not matter. An empty set gives all `u32::MAX`.
    pub fn sketch_into(&self, shingles: &[u64], out: &mut [u32]) {
        assert_eq!(
            out.len(),
            self.num_perm(),
            "signature buffer has the wrong length"
        );
        match &self.inner {
            Inner::Classic(h) => h.sketch_into(shingles, out),
            Inner::Oph(h) => h.sketch_into(shingles, out),
            Inner::CMinHash(h) => h.sketch_into(shingles, out),
        }
    }

    /// The signature of a shingle set.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        let mut out = vec![0; self.num_perm()];
        self.sketch_into(shingles, &mut out);
        out
    }

    /// The plain reference implementation of the same signature (for tests).
    pub fn signature_reference(&self, shingles: &[u64]) -> Vec<u32> {
        self.sketcher().signature_reference(shingles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::SplitMix64;
    use proptest::prelude::*;

    #[test]
    fn builder_validates() {
        let e = MinHasher::builder()
            .num_perm(0)
            .build()
            .unwrap_err()
            .to_string();
        assert_eq!(e, "invalid num_perm: 0 is not in 1..=4096");
    }

    #[test]
    fn seeds_give_stable_and_distinct_functions() {
        let classic = |seed| {
            MinHasher::builder()
                .seed(seed)
                .kind(SketchKind::Classic)
                .build()
                .unwrap()
        };
        let (a, b, c) = (classic(1), classic(1), classic(2));
        let s: Vec<u64> = (0..100).collect();
        assert_eq!(a.signature(&s), b.signature(&s));
        assert_ne!(a.signature(&s), c.signature(&s));
        // Golden value: changing it changes every stored signature.
        assert_eq!(
            &a.signature(&s)[..2],
            &[a.signature_reference(&s)[0], a.signature_reference(&s)[1]]
        );
    }

    #[test]
    fn wide_oph_signatures_equal_the_reference() {
        // More than 512 slots takes OPH's other filled-table size; the proptest below stays
        // under 200 slots.
        let mut g = SplitMix64::new(9);
        for num_perm in [513, 1000, 4096] {
            let h = MinHasher::builder()
                .num_perm(num_perm)
                .kind(SketchKind::Oph)
                .build()
                .unwrap();
            for n in [0, 1, 7, 300, 5003] {
                let shingles: Vec<u64> = (0..n).map(|_| g.next()).collect();
                assert_eq!(
                    h.signature(&shingles),
                    h.signature_reference(&shingles),
                    "{num_perm} slots, {n} shingles"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn fast_signature_equals_brute_force_min(
            shingles in proptest::collection::vec(any::<u64>(), 0..300),
            num_perm in 1usize..200,
            seed in any::<u64>(),
            kind in prop_oneof![
                Just(SketchKind::Classic),
                Just(SketchKind::Oph),
                Just(SketchKind::CMinHash)
            ],
        ) {
            let h = MinHasher::builder().num_perm(num_perm).seed(seed).kind(kind).build().unwrap();
            prop_assert_eq!(h.signature(&shingles), h.signature_reference(&shingles));
        }
    }
}

#[cfg(test)]
mod golden {
    //! Pinned signatures, one per sketch kind: a change to any of these numbers changes
    //! every stored signature and index, and needs a format version bump.
    use super::*;

    fn signature(kind: SketchKind) -> Vec<u32> {
        let h = MinHasher::builder()
            .num_perm(16)
            .seed(42)
            .kind(kind)
            .build()
            .unwrap();
        let shingles: Vec<u64> = (0..50u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        h.signature(&shingles)
    }

    #[test]
    fn classic_signature_is_pinned() {
        assert_eq!(
            signature(SketchKind::Classic),
            [
                60674676, 4027513, 3604300, 38900071, 32055767, 144309310, 5084812, 36671526,
                33419162, 75142281, 154718829, 56573006, 80730414, 41549651, 218995119, 259852412
            ]
        );
    }

    #[test]
    fn oph_signature_is_pinned() {
        assert_eq!(
            signature(SketchKind::Oph),
            [
                300694166, 418501122, 2537628993, 608619103, 24185040, 990590420, 2026018787,
                3917118833, 3657080882, 308620763, 129313070, 515850299, 1858294760, 1140212930,
                3379508764, 1936363775
            ]
        );
    }

    #[test]
    fn cminhash_signature_is_pinned() {
        assert_eq!(
            signature(SketchKind::CMinHash),
            [
                90920263, 178093273, 44747742, 228461446, 17952141, 150977630, 79663209, 38334676,
                13539425, 17378642, 2129875, 112398252, 36604107, 17632415, 376860055, 7396393
            ]
        );
    }

    #[test]
    fn the_default_sketch_is_the_pinned_oph() {
        assert_eq!(SketchKind::DEFAULT, SketchKind::Oph);
        let default = MinHasher::builder().num_perm(16).build().unwrap();
        let shingles: Vec<u64> = (0..50u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        assert_eq!(default.signature(&shingles), signature(SketchKind::Oph));
    }
}
