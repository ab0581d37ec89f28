//! Building an index from a corpus (one read for shingles, signatures and term counts),
//! adding to it, and querying it.

use rayon::prelude::*;

use super::config::Pipeline;
use super::read::read_corpus_then;
use crate::cluster::{MatchKind, VerifiedPair};
use crate::corpus::{CorpusReader, Document};
use crate::error::{Error, Result};
use crate::minhash::{SignatureMatrix, agreements};
use crate::shingle::{Fingerprint, ShingleScratch, ShingleSets, fingerprints};
use crate::store::{Index, IndexContents, IndexHeader, IndexSettings, write_index};
use crate::tfidf::{DocFreqs, Neighbour, TermRows, TfidfBuilder, count_terms, top_k_of_scores};

impl Pipeline {
    /// The settings an index built with this pipeline records.
    pub fn index_settings(&self, tfidf: TfidfBuilder) -> IndexSettings {
        IndexSettings {
            shingle: self.shingle(),
            sketch: self.sketch_params(),
            lsh: self.lsh(),
            verifier: *self.verifier(),
            tfidf,
        }
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
            .build()
    }

    /// Reads a corpus once and computes what an index keeps of each document (in parallel
    /// on the current rayon pool).
    pub fn index_contents(
        &self,
        reader: CorpusReader,
        on_batch: impl FnMut(usize) + Send,
    ) -> Result<IndexContents> {
        // Each document is folded into the arrays as it arrives (input order).
        let mut sets: ShingleSets<Fingerprint> = ShingleSets::new();
        let mut flat = Vec::new();
        let mut terms = TermRows::new();
        let mut freqs = DocFreqs::default();
        let read = read_corpus_then(
            reader,
            on_batch,
            |d: &Document<'_>, scratch: &mut (ShingleScratch, String)| {
                let mut set = Vec::new();
                self.shingler()
                    .shingles_into(self.analyzer(), &d.text, &mut scratch.0, &mut set);
                // A signature does not depend on order or repeats; the fingerprints are
                // sorted and deduplicated.
                let signature = self.hasher().signature(&set);
                let terms = count_terms(self.analyzer(), &d.text, &mut scratch.1);
                (fingerprints(&set), signature, terms)
            },
            |(set, signature, t)| {
                sets.push(&set);
                flat.extend_from_slice(&signature);
                terms.push(&freqs.add_numbered(&t));
            },
        )?;
        Ok(IndexContents {
            docs: read.docs,
            sets,
            signatures: SignatureMatrix::from_flat(self.sketch_params(), flat)?,
            freqs,
            terms,
        })
    }
}

/// Builds an index of a corpus and writes it atomically to `path`.
pub fn build_index(
    path: &std::path::Path,
    pipeline: &Pipeline,
    tfidf: TfidfBuilder,
    reader: CorpusReader,
    on_batch: impl FnMut(usize) + Send,
) -> Result<IndexHeader> {
    let contents = pipeline.index_contents(reader, on_batch)?;
    write_index(path, &pipeline.index_settings(tfidf), contents)
}

/// Adds a corpus to the index at `path`: reads the index, appends the new documents
/// (shingled and sketched with the index's own settings; ids must stay unique), and writes
/// a new file in its place atomically (the TF-IDF model is refitted on all documents).
pub fn add_to_index(
    path: &std::path::Path,
    reader: CorpusReader,
    on_batch: impl FnMut(usize) + Send,
) -> Result<IndexHeader> {
    let index = Index::open(path)?;
    let settings = index.settings().clone();
    let pipeline = Pipeline::from_index(&settings)?;
    let mut contents = index.contents()?;
    drop(index);
    let added = pipeline.index_contents(reader, on_batch)?;
    let known: std::collections::HashSet<&str> =
        contents.docs.iter().map(|d| d.id.as_str()).collect();
    if let Some(d) = added.docs.iter().find(|d| known.contains(d.id.as_str())) {
        return Err(Error::Config {
            field: "id",
            reason: format!(
                "document id {:?} is already in the index {}",
                d.id,
                path.display()
            ),
        });
    }
    contents.append(added)?;
    write_index(path, &settings, contents)
}

/// A term number and its weight in a query vector.
type Term = (u32, f32);

/// A near-duplicate found by a query: an indexed document and how it matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryMatch {
    /// The indexed document.
    pub doc: u32,
    /// Exact Jaccard of the shingle sets.
    pub jaccard: f64,
    /// Share of the smaller set inside the larger.
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
    /// The most related documents by TF-IDF cosine, best first.
    pub related: Vec<Neighbour>,
}

/// Answers queries against an open index.
#[derive(Debug)]
pub struct Searcher<'a> {
    index: &'a Index,
    pipeline: Pipeline,
    tf_table: Vec<f32>,
    bucket_cap: Option<u32>,
}

impl<'a> Searcher<'a> {
    /// A searcher using the index's own settings.
    pub fn new(index: &'a Index) -> Result<Self> {
        let tf = index.header().tfidf.tf_weight();
        let pipeline = Pipeline::from_index(index.settings())?;
        Ok(Searcher {
            bucket_cap: pipeline.bucket_cap(),
            pipeline,
            tf_table: (0..256).map(|c| tf.weight(c)).collect(),
            index,
        })
    }

    /// The same searcher with LSH buckets of more than `cap` documents split by the next
    /// band (`None`: never split); see [`Index::lsh_candidates_capped`]. The default is the
    /// pipeline's ([`DEFAULT_BUCKET_CAP`](crate::DEFAULT_BUCKET_CAP)), as for `neardup pairs`.
    pub fn with_bucket_cap(mut self, cap: Option<u32>) -> Self {
        self.bucket_cap = cap;
        self
    }

    /// The pipeline (the index's settings).
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Near-duplicates of `text` and its `k` most related documents.
    pub fn query(&self, text: &str, k: usize) -> Result<QueryResult> {
        let p = &self.pipeline;
        let set = p.shingler().shingle_set(p.analyzer(), text);
        // Verified on fingerprints, as the index keeps them (and as `pairs` verifies).
        let fp = fingerprints(&set);
        let mut duplicates = Vec::new();
        let mut n_candidates = 0;
        if !set.is_empty() {
            let signature = p.hasher().signature(&set);
            let candidates = self
                .index
                .lsh_candidates_capped(&signature, self.bucket_cap.map(|c| c as usize))?;
            n_candidates = candidates.len();
            for c in candidates {
                let agree = agreements(&signature, self.index.signature(c as usize)?);
                let other = self.index.shingles(c as usize)?;
                if !p.screen().may_pass(agree, fp.len(), other.len()) {
                    continue;
                }
                if let Some(VerifiedPair {
                    jaccard,
                    containment,
                    kind,
                    ..
                }) = p.verifier().verify(u32::MAX, c, &fp, &other)
                {
                    duplicates.push(QueryMatch {
                        doc: c,
                        jaccard,
                        containment,
                        kind,
                    });
                }
            }
            duplicates.sort_by(|a, b| {
                let score = |m: &QueryMatch| m.jaccard.max(m.containment);
                score(b).total_cmp(&score(a)).then(a.doc.cmp(&b.doc))
            });
        }
        let related = self.related(text, k, None)?;
        Ok(QueryResult {
            duplicates,
            candidates: n_candidates,
            related,
        })
    }

    /// The query's TF-IDF vector over the index's term table (unknown tokens and terms
    /// outside the df bounds dropped), L2-normalised, sorted by term number.
    fn query_vector(&self, text: &str) -> Result<Vec<(u32, f32)>> {
        let mut scratch = String::new();
        let counts = count_terms(self.pipeline.analyzer(), text, &mut scratch);
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
        self.related_in_blocks(text, k, exclude, 16_384)
    }

    /// [`related`](Self::related), accumulating `block` documents at a time.
    fn related_in_blocks(
        &self,
        text: &str,
        k: usize,
        exclude: Option<u32>,
        block: usize,
    ) -> Result<Vec<Neighbour>> {
        let q = self.query_vector(text)?;
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
        let keep = |d: u32| Some(d) != exclude;
        let mut heap = crate::tfidf::BoundedHeap::new(k);
        // Bounds are exact sums plus a norm product; the slack covers float rounding.
        const SLACK: f32 = 1e-5;
        let cn = self.index.common_norms()?;
        let can_enter = |heap: &crate::tfidf::BoundedHeap, bound: f32| {
            heap.floor().is_none_or(|f| bound + SLACK >= f)
        };
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
            postings.push((docs, weights, w));
        }
        let mut acc = vec![0f32; n];
        let mut lower = crate::tfidf::BoundedHeap::new(k);
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
        let idf = self.index.idf()?;
        let norms = self.index.doc_norms()?;
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
        for &d in self.index.by_common_norm()? {
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

/// Queries many texts in parallel (on the current rayon pool).
pub fn query_many(searcher: &Searcher<'_>, texts: &[String], k: usize) -> Result<Vec<QueryResult>> {
    texts.par_iter().map(|t| searcher.query(t, k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{FieldMap, Input};
    use crate::tfidf::TfidfModel;

    fn corpus(dir: &std::path::Path, name: &str, docs: &[(&str, &str)]) -> CorpusReader {
        let body: String = docs
            .iter()
            .map(|(id, t)| format!("{}\n", serde_json::json!({"id": id, "text": t})))
            .collect();
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        CorpusReader::new(vec![Input::new(&p, None).unwrap()], FieldMap::default())
    }

    /// An index of `docs` built with the default pipeline, in `dir`.
    fn index_of(dir: &std::path::Path, docs: &[(&str, &str)]) -> Index {
        let path = dir.join("t.ndx");
        let p = Pipeline::builder().build().unwrap();
        let r = corpus(dir, "t.jsonl", docs);
        build_index(&path, &p, TfidfModel::builder(), r, |_| {}).unwrap();
        Index::open(&path).unwrap()
    }

    /// An index of `texts`, with ids `d0`, `d1`, ...
    fn index_of_texts(dir: &std::path::Path, texts: &[String]) -> Index {
        let ids: Vec<String> = (0..texts.len()).map(|i| format!("d{i}")).collect();
        let docs: Vec<(&str, &str)> = ids
            .iter()
            .zip(texts)
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        index_of(dir, &docs)
    }

    const A: &str = "The central bank raised its main interest rate by half a percentage point on Tuesday, \
citing stubborn inflation in services and a tight labour market, and said more increases may follow.";
    const B: &str = "Heavy rain flooded parts of the northern coast overnight, closing two highways and cutting \
power to thousands of homes, while crews evacuated a nursing home near the river.";
    const C: &str = "The football club confirmed the signing of a young striker from abroad on a five year \
contract, ending weeks of talks over the transfer fee and wages.";

    /// Contents whose parts disagree in length are an error, and no file is written.
    #[test]
    fn inconsistent_contents_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = Pipeline::builder().build().unwrap();
        let r = corpus(dir.path(), "t.jsonl", &[("a", A), ("b", B), ("c", C)]);
        let mut contents = p.index_contents(r, |_| {}).unwrap();
        contents.terms = TermRows::new();
        let path = dir.path().join("x.ndx");
        let e = write_index(&path, &p.index_settings(TfidfModel::builder()), contents)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("3 documents") && e.contains("0 term rows"),
            "{e}"
        );
        assert!(!path.exists());
    }

    /// A band is searched without checking its checksums and the answer is proven on the
    /// chunks around it: damage elsewhere does not stop a query, damage there does.
    #[test]
    fn band_search_checks_only_the_chunks_around_its_answer() {
        // 5,000 documents: each band's keys (8 bytes each) span about ten of the unit
        // tests' 4 KiB checksum chunks.
        let texts: Vec<String> = (0..5_000)
            .map(|i| {
                format!(
                    "report {i} on matter {} with figures {} and {}",
                    i % 97,
                    i * 7,
                    i * 13
                )
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_texts(dir.path(), &texts);
        let p = Pipeline::from_index(index.settings()).unwrap();
        let signature = p
            .hasher()
            .signature(&p.shingler().shingle_set(p.analyzer(), &texts[2345]));
        let want = index.lsh_candidates(&signature).unwrap();
        assert!(want.contains(&2345));
        // The chunks each band's answer is proven on, as byte positions in the file.
        let lsh = index.settings().lsh;
        let m = index.header().sketched;
        let keys = index.file().sections()["lsh.keys"].clone();
        let chunk = crate::store::CHUNK_BYTES;
        let mut touched = std::collections::BTreeSet::new();
        let mut bucket0 = 0;
        for b in 0..lsh.bands {
            let r = index
                .band_bucket(b, crate::lsh::band_key(&signature, lsh, b))
                .unwrap();
            assert!(!r.is_empty());
            if b == 0 {
                bucket0 = r.start;
            }
            let first = (b * m + r.start.saturating_sub(1)) * 8 / chunk;
            let last = (b * m + r.end.min(m - 1)) * 8 / chunk;
            touched.extend(first..=last);
        }
        let n_chunks = (keys.len as usize).div_ceil(chunk);
        let far = (0..n_chunks).find(|c| !touched.contains(c)).unwrap();
        let path = index.file().path().to_owned();
        drop(index);
        let good = std::fs::read(&path).unwrap();
        let damaged = |at: usize| {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            Index::open(&path).unwrap().lsh_candidates(&signature)
        };
        let far_byte = keys.offset as usize + far * chunk + chunk / 2;
        assert_eq!(damaged(far_byte).unwrap(), want);
        let near_byte = keys.offset as usize + bucket0 * 8 + 3;
        let e = damaged(near_byte).unwrap_err().to_string();
        assert!(e.contains("damaged index"), "{e}");
    }

    /// Pruned related-article search equals walking every posting.
    #[test]
    fn related_equals_exhaustive_search() {
        let mut rng = crate::minhash::SplitMix64::new(7);
        let word = |rng: &mut crate::minhash::SplitMix64| {
            // Zipf-like over 400 words: the first few are in most documents.
            let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
            format!("w{}", (400f64.powf(u) - 1.0) as usize)
        };
        let texts: Vec<String> = (0..500)
            .map(|_| {
                let len = 5 + (rng.next() % 120) as usize;
                (0..len)
                    .map(|_| word(&mut rng))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_texts(dir.path(), &texts);
        assert!(index.header().common_df >= 2);
        let s = Searcher::new(&index).unwrap();
        let mut queries: Vec<String> = texts.iter().step_by(10).cloned().collect();
        queries.push("w0 w1 w2".into());
        queries.push("w399 w1".into());
        for (qi, q) in queries.iter().enumerate() {
            for k in [1, 5, 20] {
                let exclude = (qi % 2 == 0).then_some(qi as u32 * 10);
                let fast = s.related(q, k, exclude).unwrap();
                // Small blocks: postings split across many of them.
                assert_eq!(fast, s.related_in_blocks(q, k, exclude, 3).unwrap());
                let slow = s.related_exhaustive(q, k, exclude).unwrap();
                assert_eq!(fast.len(), slow.len(), "{q}");
                for (f, b) in fast.iter().zip(&slow) {
                    assert!((f.score - b.score).abs() < 1e-4, "{fast:?} vs {slow:?}");
                }
                let last = slow.last().map_or(0.0, |n| n.score);
                let above = |v: &[Neighbour]| -> Vec<u32> {
                    let mut d: Vec<u32> = v
                        .iter()
                        .filter(|n| n.score > last + 1e-4)
                        .map(|n| n.doc)
                        .collect();
                    d.sort_unstable();
                    d
                };
                assert_eq!(above(&fast), above(&slow));
            }
        }
    }

    /// Capped LSH candidates follow the bucket-cap rule exactly: a document is a candidate
    /// when it shares a band whose bucket holds at most `cap` documents, or shares that
    /// band and the next one; without a cap, every document sharing a band.
    #[test]
    fn capped_query_candidates_follow_the_rule() {
        // 120 stories, 100 of them ending in the same long boilerplate paragraph.
        let boiler = "this article was produced by the regional news service and may be \
republished under its licence terms with credit to the original reporter and desk";
        let mut rng = crate::minhash::SplitMix64::new(11);
        let texts: Vec<String> = (0..120)
            .map(|i| {
                let own: Vec<String> = (0..30).map(|_| format!("w{}", rng.next() % 5000)).collect();
                let own = own.join(" ");
                if i < 100 {
                    format!("{own} {boiler}")
                } else {
                    own
                }
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_texts(dir.path(), &texts);
        let s = Searcher::new(&index).unwrap();
        let p = s.pipeline();
        let lsh = index.settings().lsh;
        let keys = |sig: &[u32]| -> Vec<u64> {
            (0..lsh.bands)
                .map(|b| crate::lsh::band_key(sig, lsh, b))
                .collect()
        };
        let doc_keys: Vec<Vec<u64>> = (0..index.len())
            .map(|d| keys(index.signature(d).unwrap()))
            .collect();
        let mut crowded_seen = false;
        let mut queries: Vec<String> = texts.iter().step_by(7).cloned().collect();
        queries.push(format!("a new lede entirely {boiler}"));
        for q in &queries {
            let set = p.shingler().shingle_set(p.analyzer(), q);
            let sig = p.hasher().signature(&set);
            let qk = keys(&sig);
            for cap in [None, Some(3), Some(20)] {
                let mut want: Vec<u32> = Vec::new();
                for b in 0..lsh.bands {
                    let bucket: Vec<u32> = (0..index.len() as u32)
                        .filter(|&d| doc_keys[d as usize][b] == qk[b])
                        .collect();
                    let next = (b + 1) % lsh.bands;
                    let crowded = cap.is_some_and(|c| bucket.len() > c);
                    crowded_seen |= crowded;
                    want.extend(
                        bucket
                            .iter()
                            .filter(|&&d| !crowded || doc_keys[d as usize][next] == qk[next]),
                    );
                }
                want.sort_unstable();
                want.dedup();
                let got = index.lsh_candidates_capped(&sig, cap).unwrap();
                assert_eq!(got, want, "cap {cap:?}");
                if cap.is_none() {
                    assert_eq!(got, index.lsh_candidates(&sig).unwrap());
                }
            }
        }
        assert!(crowded_seen, "the boilerplate must crowd some bucket");
        // An edited copy of a boilerplate story (its first three words dropped) is still
        // found through its own text.
        let copy: Vec<&str> = texts[3].split(' ').skip(3).collect();
        let res = s.query(&copy.join(" "), 5).unwrap();
        assert!(res.duplicates.iter().any(|m| m.doc == 3));
    }

    #[test]
    fn build_query_add() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("i.ndx");
        let p = Pipeline::builder().build().unwrap();
        let r = corpus(dir.path(), "a.jsonl", &[("a", A), ("b", B)]);
        let h = build_index(&path, &p, TfidfModel::builder(), r, |_| {}).unwrap();
        assert_eq!(
            (h.documents, h.num_perm, h.shingle.as_str()),
            (2, 128, "word:3")
        );
        let index = Index::open(&path).unwrap();
        let s = Searcher::new(&index).unwrap();
        let res = s.query(&A.replace("Tuesday", "Wednesday"), 5).unwrap();
        assert_eq!(res.duplicates.len(), 1);
        assert_eq!(res.duplicates[0].doc, 0);
        assert!(res.duplicates[0].jaccard > 0.7);
        assert_eq!(res.related[0].doc, 0);
        assert!(res.related[0].cosine > 0.8);
        drop(s);
        drop(index);
        // Add a document; a repeated id is refused and leaves the file as it was.
        let before = std::fs::read(&path).unwrap();
        let r = corpus(dir.path(), "dup.jsonl", &[("a", C)]);
        assert!(add_to_index(&path, r, |_| {}).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let r = corpus(dir.path(), "c.jsonl", &[("c", C)]);
        let h = add_to_index(&path, r, |_| {}).unwrap();
        assert_eq!(h.documents, 3);
        let index = Index::open(&path).unwrap();
        index.file().verify().unwrap();
        let s = Searcher::new(&index).unwrap();
        let res = s.query(C, 1).unwrap();
        assert_eq!(res.duplicates[0].doc, 2);
        assert_eq!(index.doc(2).unwrap().id, "c");
        assert_eq!(res.related.len(), 1);
        // The same index built in one go has the same contents.
        let path2 = dir.path().join("j.ndx");
        let r = corpus(dir.path(), "all.jsonl", &[("a", A), ("b", B), ("c", C)]);
        build_index(&path2, &p, TfidfModel::builder(), r, |_| {}).unwrap();
        let one = Index::open(&path2).unwrap();
        for i in 0..3 {
            assert_eq!(one.shingles(i).unwrap(), index.shingles(i).unwrap());
            assert_eq!(one.signature(i).unwrap(), index.signature(i).unwrap());
        }
        assert_eq!(one.idf().unwrap(), index.idf().unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&path2).unwrap()
        );
    }
}
