//! The settings of a dedup run, validated into a [`Pipeline`].

use super::compare::{self, Comparison, IdfSource};
use super::contents;
use super::dedup::{self, FoundPairs};
use super::parts::{self, BucketKey, CorpusSketches, SketchedTexts};
use super::read::Source;
use super::sketch::{self, SketchedCorpus};
use super::stages::Stages;
use super::stories::{self, AnalysedCorpus};
use crate::cluster::{
    Cluster, Figure, Screen, Story, StoryParams, TemplateRule, TemplateShingles, Verdict,
    VerifiedPair, Verifier, build_clusters,
};
use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::lsh::{
    BandCounts, Crowding, DEFAULT_BUCKET_CAP, DEFAULT_MAX_BUCKET, DEFAULT_MIN_RECALL, LshParams,
    PackedPair,
};
use crate::minhash::{MinHasher, MinHasherBuilder, SketchKind, SketchParams};
use crate::report::{Report, ReportOptions};
use crate::shingle::{Fingerprint, ShingleKind, ShingleSets, Shingler};
use crate::store::{Archive, IndexContents, IndexSettings};
use crate::text::Analyzer;
use crate::tfidf::{TfidfBuilder, TfidfModel};

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
    sketcher: MinHasherBuilder,
    threshold: f64,
    containment: Option<f64>,
    min_contained: usize,
    lsh: Option<(usize, usize)>,
    min_recall: f64,
    bucket_cap: Option<u32>,
    max_bucket: Option<u32>,
    templates: TemplateRule,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder {
            shingle: ShingleKind::default(),
            sketcher: MinHasher::builder(),
            threshold: DEFAULT_THRESHOLD,
            containment: Some(DEFAULT_CONTAINMENT),
            min_contained: DEFAULT_MIN_CONTAINED,
            lsh: None,
            min_recall: DEFAULT_MIN_RECALL,
            bucket_cap: Some(DEFAULT_BUCKET_CAP),
            max_bucket: Some(DEFAULT_MAX_BUCKET),
            templates: TemplateRule::Auto,
        }
    }
}

impl PipelineBuilder {
    /// The sketch (default [`SketchKind::DEFAULT`]).
    pub fn sketch(mut self, kind: SketchKind) -> Self {
        self.sketcher = self.sketcher.kind(kind);
        self
    }

    /// Shingle kind (default word 3-grams).
    pub fn shingle(mut self, kind: ShingleKind) -> Self {
        self.shingle = kind;
        self
    }
    /// MinHash slots, 1 to 4096 (default 128).
    pub fn num_perm(mut self, n: usize) -> Self {
        self.sketcher = self.sketcher.num_perm(n);
        self
    }
    /// Seed of the hash functions (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.sketcher = self.sketcher.seed(seed);
        self
    }
    /// Jaccard threshold, in (0, 1] (default [`DEFAULT_THRESHOLD`], 0.3).
    pub fn threshold(mut self, t: f64) -> Self {
        self.threshold = t;
        self
    }
    /// Containment threshold, or `None` to judge on Jaccard alone (default
    /// [`DEFAULT_CONTAINMENT`], 0.5).
    pub fn containment(mut self, c: Option<f64>) -> Self {
        self.containment = c;
        self
    }
    /// Smallest text, in shingles, that can count as contained (default
    /// [`DEFAULT_MIN_CONTAINED`], 20).
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
    /// [`Crowding`]), or `None` to walk every bucket in full (default
    /// [`DEFAULT_BUCKET_CAP`]).
    pub fn bucket_cap(mut self, cap: Option<u32>) -> Self {
        self.bucket_cap = cap;
        self
    }

    /// The largest LSH bucket (after splitting) whose pairs are all candidates, or `None`
    /// for no limit (default [`DEFAULT_MAX_BUCKET`]): in a
    /// larger one each document meets only its neighbours in signature order (see
    /// [`Crowding::with_max_bucket`](crate::lsh::Crowding::with_max_bucket)), so that a
    /// text copied 50,000 times costs 50,000 times, not 1.25 billion.
    pub fn max_bucket(mut self, max: Option<u32>) -> Self {
        self.max_bucket = max;
        self
    }

    /// How shingles common to many documents of a corpus (templates, boilerplate) weigh in
    /// verification (default [`TemplateRule::Auto`]; see
    /// [`TemplateShingles`]).
    pub fn templates(mut self, rule: TemplateRule) -> Self {
        self.templates = rule;
        self
    }

    /// Validates the settings.
    pub fn build(self) -> Result<Pipeline> {
        let hasher = self.sketcher.build()?;
        let num_perm = hasher.num_perm();
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::config(
                "threshold",
                format!("{} is not in (0, 1]", self.threshold),
            ));
        }
        let verifier = Verifier::new(self.threshold, self.containment, self.min_contained)?;
        let target = self.threshold.min(0.99);
        let lsh = match self.lsh {
            Some((b, r)) => LshParams::new(b, r, num_perm)?,
            None => LshParams::from_threshold(target, num_perm, self.min_recall)?,
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
            stages: Stages {
                analyzer: Analyzer::default(),
                shingler: Shingler::new(self.shingle),
                screen: Screen::new(verifier, num_perm),
                hasher,
                verifier,
                lsh,
                bucket_cap: self.bucket_cap,
                max_bucket: self.max_bucket,
                templates: self.templates,
            },
            target,
        })
    }
}

/// A validated, immutable dedup configuration.
#[derive(Debug)]
pub struct Pipeline {
    stages: Stages,
    target: f64,
}

impl Pipeline {
    /// A builder with the defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The shingle kind.
    pub fn shingle(&self) -> ShingleKind {
        self.stages.shingler.kind()
    }
    /// The sketch parameters.
    pub fn sketch_params(&self) -> SketchParams {
        self.stages.hasher.params()
    }
    /// The banding.
    pub fn lsh(&self) -> LshParams {
        self.stages.lsh
    }

    /// The signature screen in front of the verifier.
    pub fn screen(&self) -> &Screen {
        &self.stages.screen
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.stages.verifier
    }
    /// Documents an LSH bucket may hold before it is split (`None`: never split).
    pub fn bucket_cap(&self) -> Option<u32> {
        self.stages.bucket_cap
    }
    /// The largest bucket walked pair by pair (`None`: no limit).
    pub fn max_bucket(&self) -> Option<u32> {
        self.stages.max_bucket
    }
    /// The similarity the banding aims at (the Jaccard threshold). Contained copies whose
    /// Jaccard similarity is lower are found with the probability the S-curve gives there.
    pub fn candidate_target(&self) -> f64 {
        self.target
    }
    /// The analyser.
    pub fn analyzer(&self) -> &Analyzer {
        &self.stages.analyzer
    }
    /// The shingler.
    pub fn shingler(&self) -> &Shingler {
        &self.stages.shingler
    }
    /// The MinHash hasher.
    pub fn hasher(&self) -> &MinHasher {
        &self.stages.hasher
    }

    /// A human-readable account of the banding: b × r and the candidate probability at
    /// several similarities.
    pub fn explain(&self) -> String {
        let p = self.stages.lsh;
        let mut s = format!(
            "shingles: {}\nminhash: {} slots, seed {}\nverify: jaccard >= {}{}\n\
             lsh: {} bands x {} rows ({} of {} slots), aimed at similarity {:.3}\n\
             buckets: {}\n\
             templates: {}\n\
             similarity  P(candidate)\n",
            self.stages.shingler.kind(),
            self.stages.hasher.num_perm(),
            self.stages.hasher.params().seed,
            self.stages.verifier.threshold(),
            match self.stages.verifier.containment() {
                Some(c) => format!(" or containment >= {c}"),
                None => String::new(),
            },
            p.bands,
            p.rows,
            p.slots(),
            self.stages.hasher.num_perm(),
            self.target,
            match self.stages.bucket_cap {
                Some(cap) => format!(
                    "more than {cap} documents split by the next band's key (P below: uncrowded buckets)"
                ),
                None => "never split".to_string(),
            },
            match self.stages.templates {
                TemplateRule::Off => "off (every shingle weighs 1)".to_string(),
                TemplateRule::Auto => format!(
                    "shingles in max({}, documents / 4000) documents or more weigh less",
                    crate::cluster::MIN_TEMPLATE_DF
                ),
                TemplateRule::Df(d) => format!("shingles in {d} documents or more weigh less"),
            },
        );
        let mut points: Vec<f64> = vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        points.push(self.stages.verifier.threshold());
        points.push(self.target);
        points.sort_by(f64::total_cmp);
        points.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        for x in points {
            s.push_str(&format!("{x:>10.3}  {:.4}\n", p.probability(x)));
        }
        s
    }

    /// Reads every batch of `reader`, shingling and sketching documents in parallel (on
    /// the current rayon pool). `on_batch` is called after each batch with the number of
    /// documents so far (for progress reports).
    pub fn sketch_corpus<'a>(
        &self,
        source: impl Into<Source<'a>>,
        on_batch: impl FnMut(usize) + Send,
    ) -> Result<SketchedCorpus> {
        sketch::sketch_corpus(&self.stages, source, on_batch)
    }

    /// The shingle fingerprints (sorted, distinct), signatures and figures of `texts`, in
    /// order: what [`sketch_corpus`](Self::sketch_corpus) computes for them, for engines
    /// that sketch a corpus in parts (see [`BucketKey`]).
    pub fn sketch_texts(&self, texts: &[&str]) -> SketchedTexts {
        parts::sketch_texts(&self.stages, texts, &[])
    }

    /// [`sketch_texts`](Self::sketch_texts) for texts with their publication days (days
    /// since 1970-01-01, UTC, as [`day_number`](crate::corpus::day_number) reads a date;
    /// `None` where unknown), one per text: what
    /// [`sketch_corpus`](Self::sketch_corpus) computes for documents with those dates
    /// (texts published days apart whose figures differ are two reports, see
    /// [`REPORT_GAP_DAYS`](crate::cluster::REPORT_GAP_DAYS)).
    pub fn sketch_dated_texts(
        &self,
        texts: &[&str],
        days: &[Option<i64>],
    ) -> Result<SketchedTexts> {
        if days.len() != texts.len() {
            return Err(Error::config(
                "days",
                format!("{} days for {} texts", days.len(), texts.len()),
            ));
        }
        Ok(parts::sketch_texts(&self.stages, texts, days))
    }

    /// The template shingles of a whole corpus from its sets and figures by document
    /// number (as [`sketch_corpus`](Self::sketch_corpus) learns them), or `None` when the
    /// template rule is off.
    pub fn learn_templates(
        &self,
        sets: &(impl crate::shingle::FingerprintSets + ?Sized),
        figures: ShingleSets<Figure>,
    ) -> Option<TemplateShingles> {
        sketch::learn_templates(&self.stages, sets, figures)
    }

    /// The template rule.
    pub fn template_rule(&self) -> TemplateRule {
        self.stages.templates
    }

    /// [`learn_templates`](Self::learn_templates) from the corpus's even sample alone: the
    /// sets and figures of documents 0, `step`, 2·`step`, ... of a corpus of `n` documents
    /// (`step` = [`template_sample_step`](crate::cluster::template_sample_step)`(n)`).
    /// Pairs are then verified with their figures
    /// ([`Verifier::verify_with_figures`](crate::cluster::Verifier::verify_with_figures)),
    /// with the verdicts of the whole corpus's shingles.
    pub fn learn_templates_sampled(
        &self,
        sample: &ShingleSets<Fingerprint>,
        figures: &ShingleSets<Figure>,
        n: usize,
    ) -> Option<TemplateShingles> {
        TemplateShingles::learn_sampled(sample, n, self.stages.templates)
            .map(|t| t.with_sampled_figures(figures, n))
    }

    /// Empty bucket counters for a corpus of `docs` documents with shingles: the table
    /// [`candidates`](Self::candidates) fills, to fill in parts and merge.
    pub fn band_counts(&self, docs: usize) -> BandCounts {
        BandCounts::new(self.stages.lsh, docs)
    }

    /// The crowded buckets by counts of the whole corpus (none when buckets are never
    /// split).
    pub fn crowding_from(&self, counts: BandCounts) -> Crowding {
        parts::crowding_from(&self.stages, counts)
    }

    /// A document's bucket in every band (by its signature): two documents are
    /// [`candidates`](Self::candidates) exactly when they share a bucket.
    pub fn bucket_keys(&self, signature: &[u32], crowding: &Crowding, out: &mut Vec<BucketKey>) {
        parts::bucket_keys(&self.stages, signature, crowding, out)
    }

    /// The near-duplicate pairs (and pairs kept apart) among `docs` (document numbers of
    /// `corpus`, holding whole buckets of `band`) that meet first in `band`, screened and
    /// verified as [`find_pairs`](Self::find_pairs) does (with the corpus's template
    /// shingles when given): over all bands, the corpus's pairs, each once.
    pub fn band_pairs(
        &self,
        corpus: CorpusSketches<'_>,
        crowding: &Crowding,
        band: usize,
        docs: &[u32],
    ) -> Result<FoundPairs> {
        parts::band_pairs(&self.stages, corpus, crowding, band, docs)
    }

    /// The crowded buckets of every band (counted in parallel), or none when splitting is
    /// off.
    pub fn crowding(&self, corpus: &SketchedCorpus, docs: &[u32]) -> Crowding {
        dedup::crowding(&self.stages, corpus, docs)
    }

    /// Every pair of non-empty documents that meets in an LSH band (shares it, and the
    /// next band too where the bucket is crowded), sorted, without repeats.
    pub fn candidates(&self, corpus: &SketchedCorpus) -> Vec<PackedPair> {
        dedup::candidates(&self.stages, corpus)
    }

    /// The candidates that pass verification on the exact shingle sets, in pair order.
    /// Candidates whose signatures rule them out (see [`Screen`]) are
    /// dropped before their sets are read.
    pub fn verify(&self, corpus: &SketchedCorpus, candidates: &[PackedPair]) -> Vec<VerifiedPair> {
        dedup::verify(&self.stages, corpus, candidates)
    }

    /// Near-duplicate pairs of the corpus, in pair order: candidates, then verification.
    pub fn pairs(&self, corpus: &SketchedCorpus) -> Vec<VerifiedPair> {
        dedup::pairs(&self.stages, corpus)
    }

    /// Near-duplicate pairs of the corpus, the pairs set aside as sharing only a template
    /// (clusters keep them apart), and the number of candidate pairs checked.
    ///
    /// Bands are processed in parallel; in each, every pair that collides there and in no
    /// earlier band is screened and verified at once (`for_each_new_band_pair`), so each
    /// candidate is checked once and the candidate list is never held in memory. The
    /// result is the same as [`verify`](Self::verify) over [`candidates`](Self::candidates).
    pub fn find_pairs(&self, corpus: &SketchedCorpus) -> FoundPairs {
        dedup::find_pairs(&self.stages, corpus)
    }

    /// What verification decides for documents `a` and `b` of the corpus, as
    /// [`find_pairs`](Self::find_pairs) decides for a candidate (template shingles weigh
    /// less, figures compared), whether or not LSH would make them candidates.
    pub fn verdict(&self, corpus: &SketchedCorpus, a: u32, b: u32) -> Verdict {
        dedup::verdict(&self.stages, corpus, a, b)
    }

    /// Clusters of the corpus from its pairs (with singletons if asked): see
    /// [`build_clusters`].
    pub fn clusters(
        &self,
        corpus: &SketchedCorpus,
        found: &FoundPairs,
        singletons: bool,
    ) -> Vec<Cluster> {
        build_clusters(corpus.docs.len(), &found.pairs, &found.apart, singletons)
    }

    /// The settings an index built with this pipeline records.
    pub fn index_settings(&self, tfidf: TfidfBuilder) -> IndexSettings {
        contents::index_settings(&self.stages, tfidf)
    }

    /// The pipeline an index was built with.
    pub fn from_index(settings: &IndexSettings) -> Result<Pipeline> {
        Pipeline::builder()
            .shingle(settings.shingle)
            .num_perm(settings.sketch.num_perm)
            .seed(settings.sketch.seed)
            .sketch(settings.sketch.kind)
            .threshold(settings.verifier.threshold())
            .containment(settings.verifier.containment())
            .min_contained(settings.verifier.min_contained())
            .bands_rows(settings.lsh.bands, settings.lsh.rows)
            .templates(settings.templates)
            .build()
    }

    /// Reads a corpus once and computes what an index keeps of each document (in parallel
    /// on the current rayon pool).
    pub fn index_contents<'a>(
        &self,
        source: impl Into<Source<'a>>,
        on_batch: impl FnMut(usize) + Send,
    ) -> Result<IndexContents> {
        contents::index_contents(&self.stages, source, on_batch)
    }

    /// Reads a corpus once: shingles and signs each document, counts its terms, and keeps
    /// its text if `keep_text`; then fits TF-IDF (`tfidf`) and vectorises.
    pub fn analyse_corpus<'a>(
        &self,
        source: impl Into<Source<'a>>,
        tfidf: &TfidfBuilder,
        keep_text: bool,
        on_batch: impl FnMut(usize) + Send,
    ) -> Result<AnalysedCorpus> {
        stories::analyse_corpus(&self.stages, source, tfidf, keep_text, on_batch)
    }

    /// Reads a corpus once: shingles and signs each document and fits TF-IDF (`tfidf`) on
    /// its terms, without vectorising it: what [`sketch_corpus`](Self::sketch_corpus)
    /// returns, and the model [`analyse_corpus`](Self::analyse_corpus) fits.
    pub fn sketch_and_fit<'a>(
        &self,
        source: impl Into<Source<'a>>,
        tfidf: &TfidfBuilder,
        on_batch: impl FnMut(usize) + Send,
    ) -> Result<(SketchedCorpus, TfidfModel)> {
        stories::sketch_and_fit(&self.stages, source, tfidf, on_batch)
    }

    /// Copies (clusters of two or more) and stories (all documents, singletons included)
    /// of an analysed corpus, with the verified copy pairs.
    pub fn copies_and_stories(
        &self,
        corpus: &AnalysedCorpus,
        params: &StoryParams,
    ) -> (Vec<VerifiedPair>, Vec<Cluster>, Vec<Story>) {
        stories::copies_and_stories(&self.stages, corpus, params)
    }

    /// The overlap report of an analysed corpus (read with its texts kept): copies,
    /// stories, the passages of every copy and its likely source, the outlet matrix, and
    /// related coverage (each document's 5 nearest neighbours by cosine, from the same
    /// all-pairs pass as the stories).
    pub fn report(
        &self,
        corpus: &AnalysedCorpus,
        params: &StoryParams,
        options: &ReportOptions,
    ) -> Result<Report> {
        stories::report(&self.stages, corpus, params, options)
    }

    /// Compares two texts. The cosine uses `model` when given (with where it was fitted,
    /// which the comparison reports), else a model fitted on the two texts (`tfidf`
    /// settings).
    pub fn compare(
        &self,
        a: &str,
        b: &str,
        model: Option<(&TfidfModel, IdfSource)>,
        tfidf: &TfidfBuilder,
    ) -> Result<Comparison> {
        compare::compare(&self.stages, a, b, model, tfidf)
    }

    /// [`compare`](Self::compare) of two documents, with whether they are near-duplicates
    /// decided as [`find_pairs`](Self::find_pairs) decides on the corpus of the two (their
    /// figures compared, with their dates; a pair set aside says why; two documents teach
    /// no template shingles).
    pub fn compare_documents(
        &self,
        a: &Document<'_>,
        b: &Document<'_>,
        model: Option<(&TfidfModel, IdfSource)>,
        tfidf: &TfidfBuilder,
    ) -> Result<Comparison> {
        compare::compare_documents(&self.stages, a, b, model, tfidf)
    }

    /// Compares documents `a` and `b` of `index` from what it stores (shingles, signatures,
    /// figures, terms; the cosine with the index's idf), decided with the index's own
    /// settings as a query decides ([`Archive::verdict`]).
    pub fn compare_indexed(&self, index: &Archive, a: u32, b: u32) -> Result<Comparison> {
        compare::compare_indexed(index, a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let p = Pipeline::builder().build().unwrap();
        assert_eq!(p.verifier().threshold(), DEFAULT_THRESHOLD);
        assert_eq!(p.verifier().containment(), Some(DEFAULT_CONTAINMENT));
        assert_eq!(p.verifier().min_contained(), DEFAULT_MIN_CONTAINED);
        assert_eq!((DEFAULT_THRESHOLD, DEFAULT_CONTAINMENT), (0.3, 0.5));
        let sketch = p.sketch_params();
        assert_eq!((sketch.num_perm, sketch.seed), (128, 42));
        assert_eq!(sketch.kind, SketchKind::DEFAULT);
        assert_eq!(p.bucket_cap(), Some(DEFAULT_BUCKET_CAP));
        assert_eq!(p.shingle(), ShingleKind::Word(3));
    }

    #[test]
    fn the_builder_names_the_bad_field() {
        let field = |b: PipelineBuilder| match b.build() {
            Err(Error::Config { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(Pipeline::builder().num_perm(0)), "num_perm");
        assert_eq!(field(Pipeline::builder().threshold(1.5)), "threshold");
        assert_eq!(field(Pipeline::builder().bucket_cap(Some(0))), "bucket_cap");
        // The sketcher's settings pass through to the hasher.
        let p = Pipeline::builder()
            .num_perm(64)
            .seed(7)
            .sketch(SketchKind::Classic)
            .build()
            .unwrap();
        let want = MinHasher::builder()
            .num_perm(64)
            .seed(7)
            .kind(SketchKind::Classic)
            .build()
            .unwrap();
        assert_eq!(p.sketch_params(), want.params());
        let s: Vec<u64> = (0..40).collect();
        assert_eq!(p.hasher().signature(&s), want.signature(&s));
    }
}
