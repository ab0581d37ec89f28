//! Template shingles: shingles so common in a corpus (boilerplate, wire templates, tables)
//! that sharing them does not make two documents copies.
//!
//! On Reuters-21578, 53 announcements of different Eurobond issues share one template ("...
//! is issuing a ... eurobond due ... paying ... and priced at ... The selling concession is
//! ..."), and by plain Jaccard they are one cluster of "copies". A shingle's document
//! frequency says how much sharing it is evidence of: one in two documents of a copy
//! family is strong evidence, one in two hundred announcements of a template is weak. So a
//! verified pair must also pass the same rule (Jaccard, or containment) with each shingle
//! weighted by `min(1, cut / df)`, where `cut` is the document frequency from which a
//! shingle counts as a template shingle. Two filled-in templates then share only
//! low-weight shingles and their own text (issuer, amounts, dates) differs: they are not
//! copies. Exact and near-exact copies still are, whatever their df (their own text is
//! the same), and so is a story syndicated thousands of times with small changes.
//!
//! The cost of the rule: copies that are heavily reworded and belong to a family larger
//! than the cut look like filled-in templates and may split; turn the rule off
//! ([`TemplateRule::Off`]) to clean a corpus of templated items.

use super::figure::{Figure, NAME, is_entry, narrow};
use super::figure_count::FigureCount;
use super::flashes;
use super::names::NAME_WORDS;
use super::subjects;
use super::template_figures::TemplateFigures;
use crate::minhash::Overlap;
use crate::shingle::{Fingerprint, FingerprintSets, ShingleSets};

/// How the template cut is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TemplateRule {
    /// From the corpus size: `max(5, n / 4000)` documents.
    #[default]
    Auto,
    /// Shingles in at least this many documents are template shingles.
    Df(u32),
    /// Every shingle weighs the same (plain Jaccard and containment).
    Off,
}

/// The least a template shingle weighs: however common, it still counts a quarter, so a
/// family of copies does not fall apart as it grows (see the module's notes).
pub const MIN_WEIGHT: f64 = 0.25;

/// The smallest automatic cut, in documents.
pub const MIN_TEMPLATE_DF: u32 = 5;

/// At most this many documents are read to count document frequencies; larger corpora
/// are sampled evenly and the counts scaled.
const SAMPLE_DOCS: usize = 20_000;

/// The distance between the documents of the even sample template statistics are counted
/// on, in a corpus of `n` documents: 1 up to 20,000 documents.
pub fn template_sample_step(n: usize) -> usize {
    n.div_ceil(SAMPLE_DOCS).max(1)
}

impl TemplateRule {
    /// The cut for a corpus of `n` documents, `None` when off.
    pub fn cut(self, n: usize) -> Option<u32> {
        match self {
            TemplateRule::Auto => Some(MIN_TEMPLATE_DF.max(n.div_ceil(4000) as u32)),
            TemplateRule::Df(d) => Some(d.max(1)),
            TemplateRule::Off => None,
        }
    }
}

impl std::fmt::Display for TemplateRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateRule::Auto => f.write_str("auto"),
            TemplateRule::Df(d) => write!(f, "{d}"),
            TemplateRule::Off => f.write_str("off"),
        }
    }
}

impl std::str::FromStr for TemplateRule {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<TemplateRule> {
        match s {
            "auto" => Ok(TemplateRule::Auto),
            "off" => Ok(TemplateRule::Off),
            _ => match s.parse::<u32>() {
                Ok(d) if d >= 2 => Ok(TemplateRule::Df(d)),
                _ => Err(crate::Error::config(
                    "template_df",
                    format!("{s:?}: expected auto, off, or a document count of at least 2"),
                )),
            },
        }
    }
}

/// The template shingles of a corpus and their document frequencies.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateShingles {
    cut: u32,
    /// Template fingerprints, sorted.
    prints: Vec<Fingerprint>,
    /// Their (estimated) document frequencies.
    df: Vec<u32>,
    /// Where the template fingerprints with each top 16 bits start in `prints`
    /// (2^16 + 1 offsets): a lookup reads one or two entries of a short run.
    starts: Vec<u32>,
    /// Each document's total weight (its set's size when it holds no template shingle),
    /// when learnt from a corpus.
    doc_weights: Vec<f64>,
    /// Each document's figures (see [`FigureCount`]), when read from a corpus.
    figures: Option<ShingleSets<Figure>>,
    /// The figures found in at least `cut` documents.
    template_figures: TemplateFigures,
}

/// The parts of [`TemplateShingles`] an index stores, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StoredTemplates<'a> {
    /// The cut.
    pub(crate) cut: u32,
    /// Template fingerprints, sorted.
    pub(crate) prints: &'a [Fingerprint],
    /// Their document frequencies.
    pub(crate) df: &'a [u32],
    /// Template figures (narrowed), sorted.
    pub(crate) figures: &'a [Figure],
    /// Their document frequencies.
    pub(crate) figure_df: &'a [u32],
}

/// Weighted overlap of two sets, and the plain one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedOverlap {
    /// Weight of the intersection.
    pub intersection: f64,
    /// Weight of the first set.
    pub weight_a: f64,
    /// Weight of the second set.
    pub weight_b: f64,
    /// The sets' plain overlap.
    pub plain: Overlap,
}

impl WeightedOverlap {
    /// Weighted Jaccard similarity (0 when both weigh nothing).
    pub fn jaccard(&self) -> f64 {
        let union = self.weight_a + self.weight_b - self.intersection;
        if union <= 0.0 {
            0.0
        } else {
            self.intersection / union
        }
    }

    /// Weighted containment of the lighter set in the heavier.
    pub fn containment(&self) -> f64 {
        let small = self.weight_a.min(self.weight_b);
        if small <= 0.0 {
            0.0
        } else {
            self.intersection / small
        }
    }
}

impl TemplateShingles {
    /// Counts the document frequency of the shingles of `sets` (each set sorted and
    /// distinct; an even sample of 20,000 documents when there are more, counts
    /// scaled) and keeps those at or above the cut of `rule`. `None` when the rule is off.
    ///
    /// Memory stays small: a first pass counts fingerprints into 2^22 saturating one-byte
    /// slots (4 MiB, mostly in cache), and only the fingerprints of slots at or above the
    /// cut are then collected and counted exactly.
    pub fn learn(
        sets: &(impl FingerprintSets + ?Sized),
        rule: TemplateRule,
    ) -> Option<TemplateShingles> {
        let n = sets.len();
        let step = template_sample_step(n);
        Self::learn_over(sets, (0..n).step_by(step), n, rule)
    }

    /// [`learn`](Self::learn) from the even sample alone: `sample` holds the sets of
    /// documents 0, `step`, 2·`step`, ... of a corpus of `n` documents, `step` being
    /// [`template_sample_step`]`(n)` (every document up to 20,000). The same shingles as
    /// `learn` over the whole corpus.
    pub fn learn_sampled(
        sample: &(impl FingerprintSets + ?Sized),
        n: usize,
        rule: TemplateRule,
    ) -> Option<TemplateShingles> {
        Self::learn_over(sample, 0..sample.len(), n, rule)
    }

    /// Counts over the sets `sampled` of `sets`, scaled to a corpus of `n`.
    fn learn_over(
        sets: &(impl FingerprintSets + ?Sized),
        sampled: impl Iterator<Item = usize> + Clone,
        n: usize,
        rule: TemplateRule,
    ) -> Option<TemplateShingles> {
        const SLOTS: usize = 1 << 22;
        let cut = rule.cut(n)?;
        let count = sampled.clone().count();
        let scale = n as f64 / count.max(1) as f64;
        // The sampled count a shingle needs to reach the cut once scaled.
        let need = ((f64::from(cut) / scale).floor() as u32).max(1);
        let slot = |p: Fingerprint| p as usize & (SLOTS - 1);
        let mut counts = vec![0u8; SLOTS];
        let mut scratch = Vec::new();
        for i in sampled.clone() {
            for &p in sets.set(i, &mut scratch) {
                let c = &mut counts[slot(p)];
                *c = c.saturating_add(1);
            }
        }
        let need8 = need.min(u32::from(u8::MAX)) as u8;
        let mut hits: Vec<Fingerprint> = Vec::new();
        for i in sampled {
            hits.extend(
                sets.set(i, &mut scratch)
                    .iter()
                    .filter(|&&p| counts[slot(p)] >= need8),
            );
        }
        drop(counts);
        radsort::sort(&mut hits);
        let (mut prints, mut df) = (Vec::new(), Vec::new());
        for run in hits.chunk_by(|a, b| a == b) {
            let estimate = (run.len() as f64 * scale).round() as u32;
            if estimate >= cut {
                prints.push(run[0]);
                df.push(estimate);
            }
        }
        Some(Self::from_parts(cut, prints, df))
    }

    /// The total weight of a set.
    pub fn set_weight(&self, set: &[Fingerprint]) -> f64 {
        set.iter().map(|&p| self.weight(p)).sum()
    }

    /// These shingles with each document's total weight ([`set_weight`](Self::set_weight)
    /// of its set, by document number), which lets [`overlap_of`](Self::overlap_of) skip
    /// the weighted merge for documents without template shingles.
    pub fn with_doc_weights(mut self, weights: Vec<f64>) -> Self {
        self.doc_weights = weights;
        self
    }

    /// These shingles with each document's figures (by document number): two documents
    /// whose figures conflict fill in one template, whatever their shingles say.
    pub fn with_figures(mut self, figures: ShingleSets<Figure>) -> Self {
        self.template_figures = template_figures(&figures, self.cut, SAMPLE_DOCS);
        self.figures = Some(figures);
        self
    }

    /// These shingles with the template figures of the even sample's figures (documents
    /// 0, `step`, 2·`step`, ... of a corpus of `n`, as for
    /// [`learn_sampled`](Self::learn_sampled)), and no document's own: verify pairs with
    /// [`figures_conflict_of`](Self::figures_conflict_of) and their figures.
    pub fn with_sampled_figures(mut self, sample: &ShingleSets<Figure>, n: usize) -> Self {
        self.template_figures = template_figures_over(sample, 0..sample.len(), n, self.cut);
        self
    }

    /// Whether two documents with figures `a` and `b` report different figures in the same
    /// places ([`FigureCount::conflict`]).
    pub fn figures_conflict_of(&self, a: &[Figure], b: &[Figure]) -> bool {
        FigureCount::of_with(a, b, &self.template_figures).conflict()
    }

    /// Each document's figures (by document number), when read from a corpus.
    pub fn figures(&self) -> Option<&ShingleSets<Figure>> {
        self.figures.as_ref()
    }

    /// Whether documents `a` and `b` of the corpus report different figures in the same
    /// places ([`FigureCount::conflict`]); `false` without figures.
    pub fn figures_conflict(&self, a: u32, b: u32) -> bool {
        self.figures.as_ref().is_some_and(|f| {
            let (a, b) = (a as usize, b as usize);
            a < f.len() && b < f.len() && self.figures_conflict_of(f.get(a), f.get(b))
        })
    }

    /// The weighted overlap of documents `a` and `b` of the corpus the shingles were
    /// learnt from, with sets `set_a` and `set_b`: when either holds no template shingle,
    /// the shared shingles all weigh 1, and only the plain merge is needed.
    pub fn overlap_of(
        &self,
        a: u32,
        b: u32,
        set_a: &[Fingerprint],
        set_b: &[Fingerprint],
    ) -> WeightedOverlap {
        let (Some(&wa), Some(&wb)) = (
            self.doc_weights.get(a as usize),
            self.doc_weights.get(b as usize),
        ) else {
            return self.overlap(set_a, set_b);
        };
        // A set holding no template shingle weighs its size: the shared shingles then all
        // weigh 1, and the plain merge is all that is needed.
        if wa >= set_a.len() as f64 || wb >= set_b.len() as f64 {
            let o = Overlap::of_sorted(set_a, set_b);
            return WeightedOverlap {
                intersection: o.intersection as f64,
                weight_a: wa,
                weight_b: wb,
                plain: o,
            };
        }
        // Both hold template shingles: the sets' weights are known, so only the shared
        // shingles are looked up.
        self.shared(set_a, set_b, wa, wb)
    }

    /// Template shingles given directly: sorted distinct fingerprints and their document
    /// frequencies (each at least `cut`).
    pub fn from_parts(cut: u32, prints: Vec<Fingerprint>, df: Vec<u32>) -> TemplateShingles {
        debug_assert!(prints.windows(2).all(|w| w[0] < w[1]));
        let mut starts = vec![0u32; (1 << 16) + 1];
        for &p in &prints {
            starts[(p >> 16) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        TemplateShingles {
            cut,
            prints,
            df,
            starts,
            doc_weights: Vec::new(),
            figures: None,
            template_figures: TemplateFigures::default(),
        }
    }

    /// What an index stores of these shingles: the cut, the template fingerprints and
    /// their document frequencies, the template figures and theirs (see
    /// [`from_stored`](Self::from_stored)).
    pub(crate) fn stored(&self) -> StoredTemplates<'_> {
        let (figures, figure_df) = self.template_figures.parts();
        StoredTemplates {
            cut: self.cut,
            prints: &self.prints,
            df: &self.df,
            figures,
            figure_df,
        }
    }

    /// Template shingles as [`stored`](Self::stored) gave them: the same verdicts for
    /// pairs given with their figures
    /// ([`Verifier::verify_with_figures`](super::Verifier::verify_with_figures)).
    pub(crate) fn from_stored(s: StoredTemplates<'_>) -> TemplateShingles {
        let mut t = Self::from_parts(s.cut, s.prints.to_vec(), s.df.to_vec());
        t.template_figures = TemplateFigures::new(s.cut, s.figures.to_vec(), s.figure_df.to_vec());
        t
    }

    /// The cut: shingles in at least this many documents are template shingles.
    pub fn cut(&self) -> u32 {
        self.cut
    }

    /// How many distinct template shingles there are.
    pub fn len(&self) -> usize {
        self.prints.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.prints.is_empty()
    }

    /// The weight of a shingle: 1, or `cut / df` for a template shingle, but at least
    /// [`MIN_WEIGHT`].
    #[inline]
    pub fn weight(&self, print: Fingerprint) -> f64 {
        let top = (print >> 16) as usize;
        let (lo, hi) = (self.starts[top] as usize, self.starts[top + 1] as usize);
        if lo == hi {
            return 1.0;
        }
        match self.prints[lo..hi].binary_search(&print) {
            Ok(i) => (f64::from(self.cut) / f64::from(self.df[lo + i])).max(MIN_WEIGHT),
            Err(_) => 1.0,
        }
    }

    /// The weighted overlap of two sorted, distinct sets.
    pub fn overlap(&self, a: &[Fingerprint], b: &[Fingerprint]) -> WeightedOverlap {
        self.shared(a, b, self.set_weight(a), self.set_weight(b))
    }

    /// The overlap of two sorted, distinct sets that weigh `wa` and `wb`: one merge, the
    /// weights of the shared shingles looked up as they are met.
    fn shared(&self, a: &[Fingerprint], b: &[Fingerprint], wa: f64, wb: f64) -> WeightedOverlap {
        let (mut i, mut j, mut common, mut inter) = (0, 0, 0, 0.0);
        while i < a.len() && j < b.len() {
            let (x, y) = (a[i], b[j]);
            if x == y {
                common += 1;
                inter += self.weight(x);
            }
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        WeightedOverlap {
            intersection: inter,
            weight_a: wa,
            weight_b: wb,
            plain: Overlap {
                intersection: common,
                len_a: a.len(),
                len_b: b.len(),
            },
        }
    }
}

/// Whether [`TemplateFigures`] counts a figure: numbers, the words of names and subjects
/// (a name in many documents, an outlet naming itself in a footer, "Follow Metro Wire on
/// social media", is boilerplate, not what a text is about).
pub(super) fn counted(f: Figure) -> bool {
    f & NAME == 0 || is_entry(f, NAME_WORDS) || subjects::is_counted(f) || flashes::is_counted(f)
}

/// The figures found in at least `cut` of the documents' figure lists (sorted, each
/// sorted), counted on an even sample of at most `sample` documents and scaled, with
/// their document frequencies: the figures a template fills in for everyone.
pub fn template_figures(figures: &ShingleSets<Figure>, cut: u32, sample: usize) -> TemplateFigures {
    let n = figures.len();
    let step = n.div_ceil(sample.max(1)).max(1);
    template_figures_over(figures, (0..n).step_by(step), n, cut)
}

/// [`template_figures`] counted over the documents `sampled` of `figures` and scaled to a
/// corpus of `n`.
pub(crate) fn template_figures_over(
    figures: &ShingleSets<Figure>,
    sampled: impl Iterator<Item = usize> + Clone,
    n: usize,
    cut: u32,
) -> TemplateFigures {
    let scale = n as f64 / sampled.clone().count().max(1) as f64;
    let mut all: Vec<Figure> = Vec::new();
    let mut own: Vec<Figure> = Vec::new();
    for i in sampled {
        // Each document counts a figure once.
        own.clear();
        own.extend(
            figures
                .get(i)
                .iter()
                .filter(|&&f| counted(f))
                .map(|&f| narrow(f)),
        );
        own.sort_unstable();
        own.dedup();
        all.extend_from_slice(&own);
    }
    radsort::sort(&mut all);
    let (mut common, mut dfs) = (Vec::new(), Vec::new());
    for run in all.chunk_by(|x, y| x == y) {
        let df = (run.len() as f64 * scale).round();
        if df >= f64::from(cut) {
            common.push(run[0]);
            dfs.push(df as u32);
        }
    }
    TemplateFigures::new(cut, common, dfs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::Overlap;

    /// `n` documents sharing `template` plus their own shingles.
    fn filled(n: u32, template: &[u32], own: u32) -> ShingleSets<Fingerprint> {
        let mut sets = ShingleSets::new();
        for d in 0..n {
            let mut s: Vec<u32> = template.to_vec();
            s.extend((0..own).map(|k| 1_000_000 + d * 1000 + k));
            s.sort_unstable();
            sets.push(&s);
        }
        sets
    }

    #[test]
    fn filled_in_templates_weigh_little_and_copies_stay_copies() {
        let template: Vec<u32> = (0..60).collect();
        let sets = filled(100, &template, 40);
        let t = TemplateShingles::learn(&sets, TemplateRule::Auto).unwrap();
        assert_eq!(t.cut(), 5);
        assert_eq!(t.len(), 60);
        // 5 / 100, but never below a quarter.
        assert!((t.weight(5) - MIN_WEIGHT).abs() < 1e-12);
        assert_eq!(t.weight(1_000_005), 1.0);
        let (a, b) = (sets.get(0), sets.get(1));
        // Plain Jaccard 60 / 140 = 0.43 passes 0.3; weighted 15 / 95 = 0.16 does not.
        assert!((Overlap::of_sorted(a, b).jaccard() - 60.0 / 140.0).abs() < 1e-12);
        let w = t.overlap(a, b);
        assert!((w.jaccard() - 15.0 / 95.0).abs() < 1e-9, "{w:?}");
        // A copy of a filled-in template (same own text) is still a copy.
        assert!((t.overlap(a, a).jaccard() - 1.0).abs() < 1e-12);
        // Off: nothing is learnt.
        assert!(TemplateShingles::learn(&sets, TemplateRule::Off).is_none());
        // A high cut: no template shingles, every weight 1.
        let none = TemplateShingles::learn(&sets, TemplateRule::Df(500)).unwrap();
        assert!(none.is_empty());
        assert_eq!(
            none.overlap(a, b).jaccard(),
            Overlap::of_sorted(a, b).jaccard()
        );
    }

    proptest::proptest! {
        /// The plain part of the weighted overlap is the plain overlap, and with no
        /// template shingles the weighted measures are the plain ones.
        #[test]
        fn weighted_overlap_matches_the_plain_one(
            a in proptest::collection::btree_set(0u32..300, 0..80),
            b in proptest::collection::btree_set(0u32..300, 0..80),
            common in proptest::collection::btree_set(0u32..300, 0..40),
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let prints: Vec<u32> = common.into_iter().collect();
            let df = vec![40; prints.len()];
            let t = TemplateShingles::from_parts(10, prints.clone(), df);
            let w = t.overlap(&a, &b);
            let o = Overlap::of_sorted(&a, &b);
            proptest::prop_assert_eq!(w.plain, o);
            let weight = |s: &[u32]| s.iter().map(|x| if prints.contains(x) { 0.25 } else { 1.0 }).sum::<f64>();
            proptest::prop_assert!((w.weight_a - weight(&a)).abs() < 1e-9);
            let inter: Vec<u32> = a.iter().copied().filter(|x| b.contains(x)).collect();
            proptest::prop_assert!((w.intersection - weight(&inter)).abs() < 1e-9);
            let none = TemplateShingles::from_parts(10, Vec::new(), Vec::new());
            let w = none.overlap(&a, &b);
            proptest::prop_assert!((w.jaccard() - o.jaccard()).abs() < 1e-12);
            proptest::prop_assert!((w.containment() - o.containment()).abs() < 1e-12);
        }
    }

    #[test]
    fn a_large_family_with_small_edits_stays_similar() {
        // 150 copies of a 50-shingle story, each with 3 shingles of its own.
        let story: Vec<u32> = (0..50).collect();
        let sets = filled(150, &story, 3);
        let t = TemplateShingles::learn(&sets, TemplateRule::Auto).unwrap();
        let w = t.overlap(sets.get(3), sets.get(7));
        assert!(w.jaccard() > 0.5, "{w:?}");
        let weights = (0..150).map(|i| t.set_weight(sets.get(i))).collect();
        let t = t.with_doc_weights(weights);
        assert_eq!(t.overlap_of(3, 7, sets.get(3), sets.get(7)), w);
    }

    #[test]
    fn rules_parse_and_sampled_counts_scale() {
        assert_eq!("auto".parse::<TemplateRule>().unwrap(), TemplateRule::Auto);
        assert_eq!("off".parse::<TemplateRule>().unwrap(), TemplateRule::Off);
        assert_eq!("50".parse::<TemplateRule>().unwrap(), TemplateRule::Df(50));
        assert!("1".parse::<TemplateRule>().is_err());
        assert!("many".parse::<TemplateRule>().is_err());
        assert_eq!(TemplateRule::Auto.cut(1_000_000), Some(250));
        assert_eq!(TemplateRule::Auto.cut(5), Some(5));
        // More documents than the sample: every other one is read, counts doubled.
        let sets = filled(2 * SAMPLE_DOCS as u32, &[1, 2, 3], 1);
        let t = TemplateShingles::learn(&sets, TemplateRule::Df(SAMPLE_DOCS as u32)).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t.weight(1), 0.5);
    }
}
