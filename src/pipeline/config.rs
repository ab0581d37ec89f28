//! The settings of a dedup run, validated into a [`Pipeline`].

use crate::cluster::{Screen, Verifier};
use crate::error::{Error, Result};
use crate::lsh::{DEFAULT_BUCKET_CAP, DEFAULT_MIN_RECALL, LshParams};
use crate::minhash::{MinHasher, SketchKind, SketchParams};
use crate::shingle::{ShingleKind, Shingler};
use crate::text::Analyzer;

/// Default Jaccard threshold of a near-duplicate pair (see `docs/design.md`).
pub const DEFAULT_THRESHOLD: f64 = 0.3;
/// Default containment threshold: a copy truncated or padded keeps this share of its
/// shingles inside the other text.
pub const DEFAULT_CONTAINMENT: f64 = 0.5;
/// The smallest text (in shingles) that can count as contained in another.
pub const DEFAULT_MIN_CONTAINED: usize = 20;

/// Builds a [`Pipeline`].
#[derive(Debug, Clone)]
pub struct PipelineBuilder {
    shingle: ShingleKind,
    num_perm: usize,
    seed: u64,
    sketch: SketchKind,
    threshold: f64,
    containment: Option<f64>,
    min_contained: usize,
    lsh: Option<(usize, usize)>,
    min_recall: f64,
    bucket_cap: Option<u32>,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder {
            shingle: ShingleKind::default(),
            num_perm: 128,
            seed: 42,
            sketch: SketchKind::DEFAULT,
            threshold: DEFAULT_THRESHOLD,
            containment: Some(DEFAULT_CONTAINMENT),
            min_contained: DEFAULT_MIN_CONTAINED,
            lsh: None,
            min_recall: DEFAULT_MIN_RECALL,
            bucket_cap: Some(DEFAULT_BUCKET_CAP),
        }
    }
}

impl PipelineBuilder {
    /// The sketch (default [`SketchKind::DEFAULT`]).
    pub fn sketch(mut self, kind: SketchKind) -> Self {
        self.sketch = kind;
        self
    }

    /// Shingle kind (default word 3-grams).
    pub fn shingle(mut self, kind: ShingleKind) -> Self {
        self.shingle = kind;
        self
    }
    /// MinHash slots (default 128).
    pub fn num_perm(mut self, n: usize) -> Self {
        self.num_perm = n;
        self
    }
    /// Seed of the hash functions (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Jaccard threshold (default 0.5).
    pub fn threshold(mut self, t: f64) -> Self {
        self.threshold = t;
        self
    }
    /// Containment threshold, or `None` to judge on Jaccard alone (default 0.8).
    pub fn containment(mut self, c: Option<f64>) -> Self {
        self.containment = c;
        self
    }
    /// Smallest text, in shingles, that can count as contained (default 20).
    pub fn min_contained(mut self, n: usize) -> Self {
        self.min_contained = n;
        self
    }
    /// Explicit banding instead of one chosen from the threshold.
    pub fn bands_rows(mut self, bands: usize, rows: usize) -> Self {
        self.lsh = Some((bands, rows));
        self
    }
    /// Probability that a pair at the target similarity becomes a candidate (default 0.95).
    pub fn min_recall(mut self, p: f64) -> Self {
        self.min_recall = p;
        self
    }

    /// Documents an LSH bucket may hold before it is split by the next band's key (see
    /// [`Crowding`](crate::Crowding)), or `None` to walk every bucket in full (default
    /// [`DEFAULT_BUCKET_CAP`](crate::DEFAULT_BUCKET_CAP)).
    pub fn bucket_cap(mut self, cap: Option<u32>) -> Self {
        self.bucket_cap = cap;
        self
    }

    /// Validates the settings.
    pub fn build(self) -> Result<Pipeline> {
        let hasher = MinHasher::builder()
            .num_perm(self.num_perm)
            .seed(self.seed)
            .kind(self.sketch)
            .build()?;
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::config(
                "threshold",
                format!("{} is not in (0, 1]", self.threshold),
            ));
        }
        let verifier = Verifier::new(self.threshold, self.containment, self.min_contained)?;
        let target = self.threshold.min(0.99);
        let lsh = match self.lsh {
            Some((b, r)) => LshParams::new(b, r, self.num_perm)?,
            None => LshParams::from_threshold(target, self.num_perm, self.min_recall)?,
        };
        if let Some(cap) = self.bucket_cap
            && !(1..u32::from(u16::MAX)).contains(&cap)
        {
            return Err(Error::config(
                "bucket_cap",
                format!("{cap} is not between 1 and {}", u16::MAX - 1),
            ));
        }
        Ok(Pipeline {
            analyzer: Analyzer::default(),
            shingler: Shingler::new(self.shingle),
            screen: Screen::new(verifier, self.num_perm),
            hasher,
            verifier,
            lsh,
            bucket_cap: self.bucket_cap,
            target,
        })
    }
}

/// A validated, immutable dedup configuration.
#[derive(Debug)]
pub struct Pipeline {
    pub(crate) analyzer: Analyzer,
    pub(crate) shingler: Shingler,
    pub(crate) hasher: MinHasher,
    pub(crate) verifier: Verifier,
    pub(crate) screen: Screen,
    pub(crate) lsh: LshParams,
    pub(crate) bucket_cap: Option<u32>,
    target: f64,
}

impl Pipeline {
    /// A builder with the defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The shingle kind.
    pub fn shingle(&self) -> ShingleKind {
        self.shingler.kind()
    }
    /// The sketch parameters.
    pub fn sketch_params(&self) -> SketchParams {
        self.hasher.params()
    }
    /// The banding.
    pub fn lsh(&self) -> LshParams {
        self.lsh
    }

    /// The signature screen in front of the verifier.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }
    /// Documents an LSH bucket may hold before it is split (`None`: never split).
    pub fn bucket_cap(&self) -> Option<u32> {
        self.bucket_cap
    }
    /// The similarity the banding aims at (the Jaccard threshold). Contained copies whose
    /// Jaccard similarity is lower are found with the probability the S-curve gives there.
    pub fn candidate_target(&self) -> f64 {
        self.target
    }
    /// The analyser.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }
    /// The shingler.
    pub fn shingler(&self) -> &Shingler {
        &self.shingler
    }
    /// The MinHash hasher.
    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// A human-readable account of the banding: b × r and the candidate probability at
    /// several similarities.
    pub fn explain(&self) -> String {
        let p = self.lsh;
        let mut s = format!(
            "shingles: {}\nminhash: {} slots, seed {}\nverify: jaccard >= {}{}\n\
             lsh: {} bands x {} rows ({} of {} slots), aimed at similarity {:.3}\n\
             buckets: {}\n\
             similarity  P(candidate)\n",
            self.shingler.kind(),
            self.hasher.num_perm(),
            self.hasher.params().seed,
            self.verifier.threshold(),
            match self.verifier.containment() {
                Some(c) => format!(" or containment >= {c}"),
                None => String::new(),
            },
            p.bands,
            p.rows,
            p.slots(),
            self.hasher.num_perm(),
            self.target,
            match self.bucket_cap {
                Some(cap) => format!(
                    "more than {cap} documents split by the next band's key (P below: uncrowded buckets)"
                ),
                None => "never split".to_string(),
            },
        );
        let mut points: Vec<f64> = vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        points.push(self.verifier.threshold());
        points.push(self.target);
        points.sort_by(f64::total_cmp);
        points.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        for x in points {
            s.push_str(&format!("{x:>10.3}  {:.4}\n", p.probability(x)));
        }
        s
    }
}
