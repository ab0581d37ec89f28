//! Queries against an open index: near-duplicates (LSH candidates from the band tables,
//! verified on the stored fingerprints and figures as `pairs` verifies them) and the most
//! related documents by TF-IDF cosine (exact top-k over the postings, pruned by norm
//! bounds).

use super::deletions::Deletions;
use super::index::Index;
use super::weights::SegmentWeights;
use std::borrow::Cow;

use crate::cluster::{
    DocFigures, Figure, MatchKind, Screen, TemplateShingles, Verdict, VerifiedPair, Verifier,
};
use crate::error::Result;
use crate::lsh::DEFAULT_BUCKET_CAP;
use crate::minhash::{MinHasher, agreements};
use crate::shingle::{Fingerprint, ShingleScratch, Shingler, TokenSink, fingerprints};
use crate::text::Analyzer;
use crate::tfidf::{BoundedHeap, Neighbour, count_terms, top_k_of_scores};

/// A term number and its weight in a query vector.
type Term = (u32, f32);

/// A near-duplicate found by a query: an indexed document and how it matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryMatch {
    /// The indexed document.
    pub doc: u32,
    /// Jaccard similarity of the shingle sets (template shingles weighing less, as
    /// `pairs` weighs them, in an index that keeps figures).
    pub jaccard: f64,
    /// Share of the smaller set inside the larger (weighed the same way).
    pub containment: f64,
    /// How it passed.
    pub kind: MatchKind,
}

/// What a query found.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// Near-duplicates (LSH candidates that pass verification), best first.
    pub duplicates: Vec<QueryMatch>,
    /// LSH candidates looked at.
    pub candidates: usize,
    /// Candidates that pass on plain shingles but are set aside as `pairs` sets them
    /// aside: sharing only a template, or the same report with other figures.
    pub set_aside: usize,
    /// The most related documents by TF-IDF cosine, best first.
    pub related: Vec<Neighbour>,
}

/// The near-duplicates a query found, before its related articles.
#[derive(Debug, Default)]
pub(crate) struct Duplicates {
    /// Verified near-duplicates, best first.
    pub(crate) matches: Vec<QueryMatch>,
    /// LSH candidates looked at.
    pub(crate) candidates: usize,
    /// Candidates set aside (a template, other figures).
    pub(crate) set_aside: usize,
}

impl Duplicates {
    /// The query's result with these related articles.
    pub(crate) fn with_related(self, related: Vec<Neighbour>) -> QueryResult {
        QueryResult {
            duplicates: self.matches,
            candidates: self.candidates,
            set_aside: self.set_aside,
            related,
        }
    }
}

/// A query text's sorted, distinct shingle hashes, and its figures when `figures` (read
/// as `pairs` reads a document's, with its publication `day` when known: days since
/// 1970-01-01, UTC).
pub(crate) fn read_query(
    analyzer: &Analyzer,
    shingler: &Shingler,
    figures: bool,
    text: &str,
    day: Option<i64>,
) -> (Vec<u64>, Vec<Figure>) {
    let mut set = Vec::new();
    let mut collector = DocFigures::default();
    let mut read_figure = |t: &str, h: u64| collector.token(t, h);
    let sink: Option<TokenSink<'_>> = figures.then_some(&mut read_figure as TokenSink<'_>);
    shingler.shingles_into_with(
        analyzer,
        text,
        &mut ShingleScratch::default(),
        &mut set,
        sink,
    );
    set.sort_unstable();
    set.dedup();
    let found = match figures {
        true => collector.finish(text, day),
        false => Vec::new(),
    };
    (set, found)
}

/// Orders near-duplicates best first: the higher of Jaccard and containment, then the
/// document number.
pub(crate) fn sort_best_first(matches: &mut [QueryMatch]) {
    matches.sort_by(|a, b| {
        let score = |m: &QueryMatch| m.jaccard.max(m.containment);
        score(b).total_cmp(&score(a)).then(a.doc.cmp(&b.doc))
    });
}

/// Documents a query leaves out besides the deleted ones: the query's own document, and
/// those a predicate does not keep (it is given `base` plus the number in this index: a
/// segment's documents by their archive number).
#[derive(Clone, Copy, Default)]
pub(crate) struct Hidden<'f> {
    /// The query's own document.
    pub doc: Option<u32>,
    /// Keeps the documents that may be returned.
    pub visible: Option<&'f (dyn Fn(u32) -> bool + Sync)>,
    /// Added to a document's number before `visible` sees it.
    pub base: u32,
}

impl Hidden<'_> {
    /// Hides one document (or none).
    pub fn one(doc: Option<u32>) -> Self {
        Hidden {
            doc,
            ..Hidden::default()
        }
    }

    /// Whether document `d` is left out.
    #[inline]
    pub fn hides(&self, d: u32) -> bool {
        Some(d) == self.doc || self.visible.is_some_and(|f| !f(self.base + d))
    }
}

/// Answers queries against an open index.
#[derive(Debug)]
pub struct Searcher<'a> {
    index: &'a Index,
    analyzer: Analyzer,
    shingler: Shingler,
    hasher: MinHasher,
    verifier: Verifier,
    screen: Screen,
    tf_table: Vec<f32>,
    bucket_cap: Option<u32>,
    /// For a segment of an archive: its weights seen from the archive, and its deletions.
    segment: Option<(&'a SegmentWeights, &'a Deletions)>,
    /// The template shingles of the index (or of the archive a segment belongs to); none
    /// when it keeps no figures.
    templates: Option<Cow<'a, TemplateShingles>>,
    /// How related-article candidates are completed (tests force each way).
    completion: Completion,
}

/// How [`Searcher::related_to`] adds the common terms' part of each candidate's cosine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Completion {
    /// Whichever reads less.
    Cheaper,
    /// Each candidate's term row, best bound first.
    #[cfg_attr(not(test), allow(dead_code))]
    Rows,
    /// Every common term's postings.
    #[cfg_attr(not(test), allow(dead_code))]
    Postings,
}

impl<'a> Searcher<'a> {
    /// A searcher using the index's own settings (and its template shingles, when it keeps
    /// figures).
    pub fn new(index: &'a Index) -> Result<Self> {
        Ok(Searcher {
            templates: index.templates()?.map(Cow::Owned),
            ..Searcher::without_templates(index)?
        })
    }

    /// A searcher with the index's settings, verifying on plain shingles.
    fn without_templates(index: &'a Index) -> Result<Self> {
        let settings = index.settings();
        let tf = index.header().tfidf.tf_weight();
        let hasher = MinHasher::builder()
            .num_perm(settings.sketch.num_perm)
            .seed(settings.sketch.seed)
            .kind(settings.sketch.kind)
            .build()?;
        Ok(Searcher {
            analyzer: Analyzer::default(),
            shingler: Shingler::new(settings.shingle),
            screen: Screen::new(settings.verifier, settings.sketch.num_perm),
            verifier: settings.verifier,
            hasher,
            bucket_cap: Some(DEFAULT_BUCKET_CAP),
            tf_table: (0..256).map(|c| tf.weight(c)).collect(),
            index,
            segment: None,
            templates: None,
            completion: Completion::Cheaper,
        })
    }

    /// A searcher of one segment of an archive: TF-IDF weights as the archive sees them,
    /// the archive's template shingles, deleted documents never found.
    pub(crate) fn for_segment(
        index: &'a Index,
        weights: Option<&'a SegmentWeights>,
        deleted: &'a Deletions,
        templates: Option<&'a TemplateShingles>,
    ) -> Result<Self> {
        let mut s = Searcher::without_templates(index)?;
        s.segment = weights.map(|w| (w, deleted));
        s.templates = templates.map(Cow::Borrowed);
        Ok(s)
    }

    /// Whether pairs are verified with template shingles and figures.
    pub(crate) fn reads_figures(&self) -> bool {
        self.templates.is_some()
    }

    /// Whether document `d` is deleted (only in a segment of an archive).
    fn deleted(&self, d: u32) -> bool {
        self.segment
            .is_some_and(|(_, del)| del.contains(d as usize))
    }

    /// The same searcher with LSH buckets of more than `cap` documents split by the next
    /// band (`None`: never split); see [`Index::lsh_candidates_capped`]. The default is the
    /// pipeline's ([`DEFAULT_BUCKET_CAP`]), as for `neardup pairs`.
    pub fn with_bucket_cap(mut self, cap: Option<u32>) -> Self {
        self.bucket_cap = cap;
        self
    }

    /// The analyser queries are read with (the index's).
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The shingler queries are shingled with (the index's).
    pub fn shingler(&self) -> &Shingler {
        &self.shingler
    }

    /// Near-duplicates of `text` and its `k` most related documents. The text has no
    /// publication day: see [`query_dated`](Self::query_dated).
    pub fn query(&self, text: &str, k: usize) -> Result<QueryResult> {
        self.query_excluding(text, None, k, None)
    }

    /// [`query`](Self::query) for a text published on `day` (days since 1970-01-01, UTC,
    /// as [`day_number`](crate::corpus::day_number) reads a date), decided as `pairs`
    /// decides a dated document: a notice filled in anew, published more than
    /// [`REPORT_GAP_DAYS`](crate::cluster::REPORT_GAP_DAYS) from an indexed one whose
    /// figures differ, is not its near-duplicate.
    pub fn query_dated(&self, text: &str, day: Option<i64>, k: usize) -> Result<QueryResult> {
        self.query_excluding(text, day, k, None)
    }

    /// [`query_dated`](Self::query_dated), leaving document `exclude` out of both lists
    /// (the article itself, when it is in the index).
    pub fn query_excluding(
        &self,
        text: &str,
        day: Option<i64>,
        k: usize,
        exclude: Option<u32>,
    ) -> Result<QueryResult> {
        let figures = self.reads_figures();
        let (set, figures) = read_query(&self.analyzer, &self.shingler, figures, text, day);
        // Verified on fingerprints, as the index keeps them (and as `pairs` verifies).
        let fp = fingerprints(&set);
        let signature = (!set.is_empty()).then(|| self.hasher.signature(&set));
        let hidden = Hidden::one(exclude);
        let found = self.duplicates(&fp, &figures, signature.as_deref(), hidden)?;
        let related = self.related_to(self.query_vector(text)?, k, hidden, 16_384)?;
        Ok(found.with_related(related))
    }

    /// Near-duplicates and the `k` most related documents of document `doc` of the index
    /// (from its stored shingles, signature and terms; the document itself left out).
    pub fn query_doc(&self, doc: u32, k: usize) -> Result<QueryResult> {
        self.query_doc_hiding(doc, k, Hidden::one(Some(doc)))
    }

    /// [`query_doc`](Self::query_doc), leaving out what `hidden` hides (it should hide
    /// `doc` itself).
    pub(crate) fn query_doc_hiding(
        &self,
        doc: u32,
        k: usize,
        hidden: Hidden<'_>,
    ) -> Result<QueryResult> {
        if doc as usize >= self.index.len() {
            return Err(crate::error::Error::index(
                self.index.file().path(),
                format!("no document number {doc}"),
            ));
        }
        let fp = self.index.shingles(doc as usize)?;
        let signature = (!fp.is_empty())
            .then(|| self.index.signature(doc as usize))
            .transpose()?;
        let figures = self.index.figures(doc as usize)?;
        let found = self.duplicates(&fp, figures, signature, hidden)?;
        let related = self.related_to(self.index.doc_vector(doc as usize)?, k, hidden, 16_384)?;
        Ok(found.with_related(related))
    }

    /// The verified near-duplicates of a shingle set with this signature (`None`: an empty
    /// set, which has none), best first, and how many candidates were looked at.
    fn duplicates(
        &self,
        fp: &[Fingerprint],
        figures: &[Figure],
        signature: Option<&[u32]>,
        hidden: Hidden<'_>,
    ) -> Result<Duplicates> {
        let Some(signature) = signature else {
            return Ok(Duplicates::default());
        };
        let candidates = self
            .index
            .lsh_candidates_capped(signature, self.bucket_cap.map(|c| c as usize))?;
        let mut found = self.verified(fp, figures, signature, &candidates, hidden)?;
        found.candidates = candidates.len();
        Ok(found)
    }

    /// The candidates (documents of this index) that pass verification against a set with
    /// these figures and this signature, best first: as `pairs` decides, so a candidate
    /// that shares only a template, or whose figures conflict, is not one.
    pub(crate) fn verified(
        &self,
        fp: &[Fingerprint],
        figures: &[Figure],
        signature: &[u32],
        candidates: &[u32],
        hidden: Hidden<'_>,
    ) -> Result<Duplicates> {
        let mut found = Duplicates::default();
        for &c in candidates {
            if hidden.hides(c) || self.deleted(c) {
                continue;
            }
            let agree = agreements(signature, self.index.signature(c as usize)?);
            let other = self.index.shingles(c as usize)?;
            if !self.screen.may_pass(agree, fp.len(), other.len()) {
                continue;
            }
            match self.verifier.verify_with_figures(
                self.templates.as_deref(),
                u32::MAX,
                c,
                fp,
                &other,
                figures,
                self.index.figures(c as usize)?,
            ) {
                Verdict::Copy(VerifiedPair {
                    jaccard,
                    containment,
                    kind,
                    ..
                }) => found.matches.push(QueryMatch {
                    doc: c,
                    jaccard,
                    containment,
                    kind,
                }),
                Verdict::Template(_) | Verdict::Conflict(_) => found.set_aside += 1,
                Verdict::Different => {}
            }
        }
        sort_best_first(&mut found.matches);
        Ok(found)
    }

    /// The query's TF-IDF vector over the index's term table (unknown tokens and terms
    /// outside the df bounds dropped), L2-normalised, sorted by term number.
    fn query_vector(&self, text: &str) -> Result<Vec<(u32, f32)>> {
        let mut scratch = String::new();
        let counts = count_terms(&self.analyzer, text, &mut scratch);
        let idf = self.index.idf()?;
        let tf = self.index.header().tfidf.tf_weight();
        let mut q: Vec<(u32, f32)> = Vec::with_capacity(counts.len());
        for (h, c) in counts {
            if let Some(t) = self.index.term(h)?
                && idf[t as usize] > 0.0
            {
                q.push((t, tf.weight(c) * idf[t as usize]));
            }
        }
        q.sort_unstable_by_key(|x| x.0);
        let norm = q.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        for x in &mut q {
            x.1 /= norm;
        }
        Ok(q)
    }

    /// Dot product of a query part, given densely as `query weight × idf` per term
    /// (`qidf`, zero elsewhere), with document `d`'s normalised weights.
    fn dot(&self, qidf: &[f32], d: usize, norms: &[f32]) -> Result<f32> {
        let (terms, counts) = self.index.doc_terms(d)?;
        // Branch-free: most of a row's terms are not in the query, and a test per term
        // would be mispredicted often. Four partial sums break the dependency chain.
        let mut s = [0f32; 4];
        let (tc, rest) = terms.as_chunks::<4>();
        let (cc, rest_c) = counts.as_chunks::<4>();
        let q = |t: u32| qidf.get(t as usize).copied().unwrap_or(0.0);
        for (t4, c4) in tc.iter().zip(cc) {
            for i in 0..4 {
                s[i] += q(t4[i]) * self.tf(c4[i]);
            }
        }
        for (&t, &c) in rest.iter().zip(rest_c) {
            s[0] += q(t) * self.tf(c);
        }
        Ok((s[0] + s[1] + s[2] + s[3]) / norms[d])
    }

    /// The tf weight of a count (a table for small counts).
    fn tf(&self, c: u32) -> f32 {
        match self.tf_table.get(c as usize) {
            Some(&w) => w,
            None => self.index.header().tfidf.tf_weight().weight(c),
        }
    }

    /// The `k` documents with the highest TF-IDF cosine to `text` (idf from the index),
    /// leaving out `exclude`. Exact, but without walking the long postings of common terms:
    /// rare terms are accumulated through postings; a document's common-term part is at
    /// most `|q_common| × |d_common|` (Cauchy–Schwarz), so only documents whose bound can
    /// still reach the k-th score are completed, best bound first.
    pub fn related(&self, text: &str, k: usize, exclude: Option<u32>) -> Result<Vec<Neighbour>> {
        // 16,384 sums (64 KiB) stay in the L2 cache while the block's postings are added.
        self.related_to(self.query_vector(text)?, k, Hidden::one(exclude), 16_384)
    }

    /// [`related`](Self::related), accumulating `block` documents at a time.
    #[cfg(test)]
    pub(crate) fn related_in_blocks(
        &self,
        text: &str,
        k: usize,
        exclude: Option<u32>,
        block: usize,
    ) -> Result<Vec<Neighbour>> {
        self.related_to(self.query_vector(text)?, k, Hidden::one(exclude), block)
    }

    /// The `k` documents with the highest cosine to the normalised vector `q` (over this
    /// index's term numbers).
    pub(crate) fn related_to(
        &self,
        q: Vec<(u32, f32)>,
        k: usize,
        hidden: Hidden<'_>,
        block: usize,
    ) -> Result<Vec<Neighbour>> {
        if q.is_empty() || k == 0 {
            return Ok(Vec::new());
        }
        let df = self.index.df()?;
        let common_df = self.index.header().common_df;
        let (common, rare): (Vec<Term>, Vec<Term>) = q
            .iter()
            .partition(|&&(t, _)| df[t as usize] as usize >= common_df);
        let qc = common.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        let n = self.index.len();
        // No more results than documents, whatever was asked.
        let k = k.min(n);
        let keep = |d: u32| !hidden.hides(d) && !self.deleted(d);
        let mut heap = BoundedHeap::new(k);
        // Bounds are exact sums plus a norm product; the slack covers float rounding.
        const SLACK: f32 = 1e-5;
        let cn = match self.segment {
            Some((w, _)) => &w.common_norms[..],
            None => self.index.common_norms()?,
        };
        let can_enter =
            |heap: &BoundedHeap, bound: f32| heap.floor().is_none_or(|f| bound + SLACK >= f);
        // Rare terms are accumulated through their postings a block of documents at a
        // time, so the block's sums stay in the L1 cache; each block is then scanned while
        // it is hot. A document's rare-term sum is a lower bound of its cosine, so the
        // k-th largest sum so far (`lower`) bounds the k-th score from below: a document
        // whose upper bound (sum + |q_common| × |d_common|) is under it is never a
        // candidate. Weights are positive, so a document shares a rare term with the
        // query exactly when its sum is.
        let mut postings = Vec::with_capacity(rare.len());
        for &(t, w) in &rare {
            let (docs, weights) = self.index.postings(t)?;
            // In an archive: the stored weights times the archive's idf over the segment's.
            let w = match self.segment {
                Some((sw, _)) => w * sw.term_scale[t as usize],
                None => w,
            };
            postings.push((docs, weights, w));
        }
        let mut acc = vec![0f32; n];
        let mut lower = BoundedHeap::new(k);
        let mut cands: Vec<(f32, u32)> = Vec::new();
        for start in (0..n).step_by(block) {
            let end = (start + block).min(n);
            let sums = &mut acc[start..end];
            for (docs, weights, w) in &mut postings {
                // A linear walk: the postings are read anyway, and a binary search
                // would touch cold pages far ahead.
                let mut m = 0;
                for (&d, &x) in docs.iter().zip(weights.iter()) {
                    if d as usize >= end {
                        break;
                    }
                    // (A damaged file with unsorted postings loses terms, never panics.)
                    if let Some(a) = sums.get_mut((d as usize).wrapping_sub(start)) {
                        *a += *w * x;
                    }
                    m += 1;
                }
                *docs = &docs[m..];
                *weights = &weights[m..];
            }
            // In an archive: times the segment's norm over the archive's (0 if deleted).
            if let Some((sw, _)) = self.segment {
                for (a, &s) in sums.iter_mut().zip(&sw.doc_scale[start..end]) {
                    *a *= s;
                }
            }
            let mut floor = lower.floor().unwrap_or(f32::NEG_INFINITY);
            for ((i, &a), &c) in sums.iter().enumerate().zip(&cn[start..end]) {
                let bound = a + qc * c;
                if a > 0.0 && bound + SLACK >= floor {
                    let d = (start + i) as u32;
                    cands.push((bound, d));
                    if a > floor && keep(d) {
                        lower.offer(Neighbour::by_cosine(d, a));
                        floor = lower.floor().unwrap_or(f32::NEG_INFINITY);
                    }
                }
            }
        }
        if common.is_empty() {
            return Ok(lower.into_sorted());
        }
        let floor0 = lower.floor().unwrap_or(0.0);
        cands.retain(|&(bound, _)| bound + SLACK >= floor0);
        // Completing a candidate reads its whole term row; adding the common terms'
        // postings to every document costs their length. When the bounds leave more row
        // entries to read than those postings hold (text whose common words carry much
        // of every norm), the postings are cheaper, and as exact.
        let row = self.index.term_row_entries()? / n.max(1);
        let common_postings: usize = common.iter().map(|&(t, _)| df[t as usize] as usize).sum();
        let by_postings = match self.completion {
            Completion::Cheaper => cands.len().saturating_mul(row.max(1)) > common_postings,
            Completion::Rows => false,
            Completion::Postings => true,
        };
        if by_postings {
            return self.related_by_postings(&common, acc, k, keep);
        }
        // (Read only when there are common terms to complete.)
        let (idf, norms, by_common) = match self.segment {
            Some((w, _)) => (&w.idf[..], &w.norms[..], &w.by_common_norm[..]),
            None => (
                self.index.idf()?,
                self.index.doc_norms()?,
                self.index.by_common_norm()?,
            ),
        };
        let mut qidf = vec![0f32; idf.len()];
        for &(t, w) in &common {
            qidf[t as usize] = w * idf[t as usize];
        }
        let by_bound = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        // Complete the best-bounded candidates a round at a time; after each round drop
        // every candidate whose bound can no longer reach the k-th score. Rounds double,
        // so that a query with many candidates whose bounds stay high (a corpus with few
        // rare terms) costs O(n log n), not a partition of all of them per small round.
        let mut round = (4 * k).max(64);
        'rounds: while !cands.is_empty() {
            let take = round.min(cands.len());
            if take < cands.len() {
                cands.select_nth_unstable_by(take - 1, by_bound);
            }
            cands[..take].sort_unstable_by(by_bound);
            for &(bound, d) in &cands[..take] {
                if !can_enter(&heap, bound) {
                    break 'rounds;
                }
                if keep(d) {
                    let score = acc[d as usize] + self.dot(&qidf, d as usize, norms)?;
                    heap.offer(Neighbour::by_cosine(d, score));
                }
            }
            cands.drain(..take);
            cands.retain(|&(bound, _)| can_enter(&heap, bound));
            round *= 2;
        }
        // Documents with no rare term in common: only their common part counts.
        for &d in by_common {
            if !can_enter(&heap, qc * cn[d as usize]) {
                break;
            }
            if acc[d as usize] != 0.0 || !keep(d) {
                continue;
            }
            let score = self.dot(&qidf, d as usize, norms)?;
            if score > 0.0 {
                heap.offer(Neighbour::by_cosine(d, score));
            }
        }
        Ok(heap.into_sorted())
    }

    /// The end of [`related_to`](Self::related_to) when every document's common part is
    /// cheaper to add from the postings: `acc` holds each document's rare-term sum (in an
    /// archive, already times its document factor).
    fn related_by_postings(
        &self,
        common: &[Term],
        mut acc: Vec<f32>,
        k: usize,
        keep: impl Fn(u32) -> bool,
    ) -> Result<Vec<Neighbour>> {
        let mut part = vec![0f32; acc.len()];
        for &(t, w) in common {
            let (docs, weights) = self.index.postings(t)?;
            let w = match self.segment {
                Some((sw, _)) => w * sw.term_scale[t as usize],
                None => w,
            };
            for (&d, &x) in docs.iter().zip(weights) {
                part[d as usize] += w * x;
            }
        }
        match self.segment {
            Some((sw, _)) => {
                for ((a, p), &s) in acc.iter_mut().zip(&part).zip(&sw.doc_scale) {
                    *a += p * s;
                }
            }
            None => {
                for (a, p) in acc.iter_mut().zip(&part) {
                    *a += p;
                }
            }
        }
        let mut heap = BoundedHeap::new(k);
        for (d, &score) in acc.iter().enumerate() {
            let d = d as u32;
            if score > 0.0 && heap.floor().is_none_or(|f| score >= f) && keep(d) {
                heap.offer(Neighbour::by_cosine(d, score));
            }
        }
        Ok(heap.into_sorted())
    }

    /// Searchers of `index` completing related-article candidates each way: the cheaper,
    /// always from rows, always from postings (for oracle tests).
    #[cfg(test)]
    pub(crate) fn both_completions(index: &'a Index) -> Vec<Self> {
        [Completion::Cheaper, Completion::Rows, Completion::Postings]
            .into_iter()
            .map(|c| {
                let mut s = Searcher::new(index).unwrap();
                s.completion = c;
                s
            })
            .collect()
    }

    /// The plain reference for [`related`](Self::related): every posting of every query
    /// term accumulated, then the best `k`.
    pub fn related_exhaustive(
        &self,
        text: &str,
        k: usize,
        exclude: Option<u32>,
    ) -> Result<Vec<Neighbour>> {
        let q = self.query_vector(text)?;
        let mut acc = vec![0f32; self.index.len()];
        for (t, w) in q {
            let (docs, weights) = self.index.postings(t)?;
            for (&d, &x) in docs.iter().zip(weights) {
                acc[d as usize] += w * x;
            }
        }
        Ok(top_k_of_scores(&acc, k, exclude))
    }
}
