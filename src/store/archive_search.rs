//! Queries against an archive: each segment searched with the archive's statistics, the
//! answers merged, as one index of the live documents would answer.
//!
//! Near-duplicates: a query's LSH bucket in a band is the union of its buckets in every
//! segment, and the bucket cap counts the live documents of that union (as one index would
//! count them); candidates are verified in their segment. Related articles: the query's
//! TF-IDF vector is made with the archive's idf, each segment returns its best `k` with
//! the archive's weights ([`super::weights`]), and the best `k` of those are the answer.

use super::archive::Archive;
use super::searcher::{
    Duplicates, Hidden, QueryMatch, QueryResult, Searcher, read_query, sort_best_first,
};
use crate::cluster::Figure;
use crate::error::Result;
use crate::lsh::{DEFAULT_BUCKET_CAP, band_key};
use crate::minhash::MinHasher;
use crate::shingle::{Fingerprint, Shingler, fingerprints};
use crate::text::Analyzer;
use crate::tfidf::{Neighbour, count_terms};

/// Answers queries against an open archive.
#[derive(Debug)]
pub struct ArchiveSearcher<'a> {
    archive: &'a Archive,
    searchers: Vec<Searcher<'a>>,
    bucket_cap: Option<u32>,
    analyzer: Analyzer,
    shingler: Shingler,
    hasher: MinHasher,
}

impl<'a> ArchiveSearcher<'a> {
    /// A searcher with the archive's settings.
    pub fn new(archive: &'a Archive) -> Result<Self> {
        let templates = archive.templates()?;
        let searchers = archive
            .segments()
            .iter()
            .enumerate()
            .map(|(s, seg)| {
                Searcher::for_segment(&seg.index, archive.weights(s), &seg.deleted, templates)
            })
            .collect::<Result<_>>()?;
        let settings = archive.settings();
        Ok(ArchiveSearcher {
            archive,
            searchers,
            bucket_cap: Some(DEFAULT_BUCKET_CAP),
            analyzer: Analyzer::default(),
            shingler: Shingler::new(settings.shingle),
            hasher: MinHasher::builder()
                .num_perm(settings.sketch.num_perm)
                .seed(settings.sketch.seed)
                .kind(settings.sketch.kind)
                .build()?,
        })
    }

    /// The same searcher with LSH buckets of more than `cap` live documents split by the
    /// next band (`None`: never split), as [`Searcher::with_bucket_cap`].
    pub fn with_bucket_cap(mut self, cap: Option<u32>) -> Self {
        self.bucket_cap = cap;
        self.searchers = self
            .searchers
            .into_iter()
            .map(|s| s.with_bucket_cap(cap))
            .collect();
        self
    }

    /// Whether the archive is one segment searched as a plain index.
    fn plain(&self) -> bool {
        self.searchers.len() == 1 && self.archive.weights(0).is_none()
    }

    /// Near-duplicates of `text` and its `k` most related documents. The text has no
    /// publication day: see [`query_dated`](Self::query_dated).
    pub fn query(&self, text: &str, k: usize) -> Result<QueryResult> {
        self.query_excluding(text, None, k, None)
    }

    /// [`query`](Self::query) for a text published on `day`, as
    /// [`Searcher::query_dated`].
    pub fn query_dated(&self, text: &str, day: Option<i64>, k: usize) -> Result<QueryResult> {
        self.query_excluding(text, day, k, None)
    }

    /// [`query_dated`](Self::query_dated), leaving document `exclude` out of both lists.
    pub fn query_excluding(
        &self,
        text: &str,
        day: Option<i64>,
        k: usize,
        exclude: Option<u32>,
    ) -> Result<QueryResult> {
        if self.plain() {
            return self.searchers[0].query_excluding(text, day, k, exclude);
        }
        let figures = self.searchers.iter().any(Searcher::reads_figures);
        let (set, figures) = read_query(&self.analyzer, &self.shingler, figures, text, day);
        let fp = fingerprints(&set);
        let signature = (!set.is_empty()).then(|| self.hasher.signature(&set));
        let hidden = Hidden::one(exclude);
        let found = self.duplicates(&fp, &figures, signature.as_deref(), hidden)?;
        // The query's vector with the archive's idf, by token hash.
        let mut scratch = String::new();
        let counts = count_terms(&self.analyzer, text, &mut scratch);
        let tf = self.archive.settings().tfidf.tf_weight();
        let mut q: Vec<(u64, f32)> = Vec::with_capacity(counts.len());
        if let Some(terms) = self.archive.terms() {
            for (h, c) in counts {
                if let Some(t) = terms.term(h)
                    && terms.idf[t as usize] > 0.0
                {
                    q.push((h, tf.weight(c) * terms.idf[t as usize]));
                }
            }
        }
        q.sort_unstable_by_key(|x| x.0);
        let norm = q.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        for x in &mut q {
            x.1 /= norm;
        }
        let related = self.related(&q, k, hidden)?;
        Ok(found.with_related(related))
    }

    /// Near-duplicates and the `k` most related documents of document `doc` (the document
    /// itself left out).
    pub fn query_doc(&self, doc: u32, k: usize) -> Result<QueryResult> {
        self.query_doc_hiding(doc, k, Hidden::one(Some(doc)))
    }

    /// [`query_doc`](Self::query_doc), returning only documents that `visible` keeps (by
    /// archive number): what a feed had seen when the document arrived, say.
    pub fn query_doc_among(
        &self,
        doc: u32,
        k: usize,
        visible: &(dyn Fn(u32) -> bool + Sync),
    ) -> Result<QueryResult> {
        let hidden = Hidden {
            doc: Some(doc),
            visible: Some(visible),
            base: 0,
        };
        self.query_doc_hiding(doc, k, hidden)
    }

    /// [`query_doc`](Self::query_doc), leaving out what `hidden` hides (archive numbers).
    fn query_doc_hiding(&self, doc: u32, k: usize, hidden: Hidden<'_>) -> Result<QueryResult> {
        let (s, i) = self.archive.locate(doc)?;
        if self.plain() {
            return self.searchers[0].query_doc_hiding(i as u32, k, self.local(0, hidden));
        }
        let fp = self.archive.shingles(doc)?;
        let signature = match fp.is_empty() {
            true => None,
            false => Some(self.archive.segments()[s].index.signature(i)?),
        };
        let figures = self.archive.figures(doc)?;
        let found = self.duplicates(&fp, figures, signature, hidden)?;
        let related = self.related(&self.archive.doc_vector(doc)?, k, hidden)?;
        Ok(found.with_related(related))
    }

    /// Verified near-duplicates of a set with this signature, best first, and how many
    /// live candidates were looked at.
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
        let lsh = self.archive.settings().lsh;
        let segments = self.archive.segments();
        // Every band's bucket in every segment.
        let mut buckets: Vec<Vec<&[u32]>> = Vec::with_capacity(lsh.bands);
        for b in 0..lsh.bands {
            let key = band_key(signature, lsh, b);
            buckets.push(
                segments
                    .iter()
                    .map(|seg| seg.index.bucket_docs(b, key))
                    .collect::<Result<_>>()?,
            );
        }
        let mut candidates: Vec<Vec<u32>> = vec![Vec::new(); segments.len()];
        for b in 0..lsh.bands {
            let live: usize = buckets[b]
                .iter()
                .zip(segments)
                .map(|(docs, seg)| {
                    docs.iter()
                        .filter(|&&d| !seg.deleted.contains(d as usize))
                        .count()
                })
                .sum();
            let crowded = self.bucket_cap.is_some_and(|cap| live > cap as usize);
            for (s, docs) in buckets[b].iter().enumerate() {
                match crowded {
                    true => {
                        let next = buckets[(b + 1) % lsh.bands][s];
                        candidates[s].extend(docs.iter().filter(|d| next.binary_search(d).is_ok()));
                    }
                    false => candidates[s].extend_from_slice(docs),
                }
            }
        }
        let mut out = Duplicates::default();
        for (s, mut c) in candidates.into_iter().enumerate() {
            c.sort_unstable();
            c.dedup();
            let seg = &segments[s];
            c.retain(|&d| !seg.deleted.contains(d as usize));
            out.candidates += c.len();
            let base = self.archive.base(s);
            let found =
                self.searchers[s].verified(fp, figures, signature, &c, self.local(s, hidden))?;
            out.set_aside += found.set_aside;
            out.matches
                .extend(found.matches.into_iter().map(|m| QueryMatch {
                    doc: m.doc + base,
                    ..m
                }));
        }
        sort_best_first(&mut out.matches);
        Ok(out)
    }

    /// `hidden` (archive numbers) seen from segment `s`.
    fn local<'f>(&self, s: usize, hidden: Hidden<'f>) -> Hidden<'f> {
        let base = self.archive.base(s);
        Hidden {
            doc: hidden
                .doc
                .filter(|&d| d >= base && d < self.archive.base(s + 1))
                .map(|d| d - base),
            visible: hidden.visible,
            base: hidden.base + base,
        }
    }

    /// The `k` live documents most related to the normalised vector `q` (token hash,
    /// weight; sorted by hash), leaving out what `hidden` hides.
    fn related(&self, q: &[(u64, f32)], k: usize, hidden: Hidden<'_>) -> Result<Vec<Neighbour>> {
        let mut all = Vec::new();
        for (s, seg) in self.archive.segments().iter().enumerate() {
            // The query over this segment's term numbers (hash order is number order).
            let hashes = seg.index.term_hashes()?;
            let qs: Vec<(u32, f32)> = q
                .iter()
                .filter_map(|&(h, w)| hashes.binary_search(&h).ok().map(|t| (t as u32, w)))
                .collect();
            let base = self.archive.base(s);
            all.extend(
                self.searchers[s]
                    .related_to(qs, k, self.local(s, hidden), 16_384)?
                    .into_iter()
                    .map(|n| Neighbour {
                        doc: n.doc + base,
                        ..n
                    }),
            );
        }
        all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        all.truncate(k);
        Ok(all)
    }
}
