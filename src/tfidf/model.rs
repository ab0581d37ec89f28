//! Vocabulary, document frequencies, idf, and L2-normalised TF-IDF vectors.
//!
//! Terms are identified by the xxh3 hash of the normalised token (the same hash the word
//! shingles use), so a vocabulary is built without keeping strings, and term numbers are
//! assigned in hash order: independent of document order and thread count.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::sparse::CsrMatrix;
use crate::error::{Error, Result};
use crate::shingle::hash_token;
use crate::text::{Analyzer, Tokenizer};

/// Default `max_df`: keep every term, as scikit-learn does (idf already weighs common
/// words down; dropping them helps neither ranking on ECB+ nor small corpora, see
/// `docs/ranking.md`).
pub const DEFAULT_MAX_DF: &str = "1.0";

/// A document-frequency bound: an absolute count or a share of the documents.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DfBound {
    /// At least / at most this many documents.
    Count(usize),
    /// At least / at most this share of the documents (0 to 1).
    Share(f64),
}

impl DfBound {
    fn resolve(self, n_docs: usize) -> usize {
        match self {
            DfBound::Count(c) => c,
            DfBound::Share(s) => (s * n_docs as f64).floor() as usize,
        }
    }
}

impl std::str::FromStr for DfBound {
    type Err = Error;
    /// `5` is a count, `0.5` (with a point) a share.
    fn from_str(s: &str) -> Result<Self> {
        if s.contains('.') {
            let v: f64 = s
                .parse()
                .map_err(|_| Error::config("df", format!("{s:?} is not a number")))?;
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::config("df", format!("share {v} is not in [0, 1]")));
            }
            Ok(DfBound::Share(v))
        } else {
            s.parse()
                .map(DfBound::Count)
                .map_err(|_| Error::config("df", format!("{s:?} is not a count or a share")))
        }
    }
}

/// How term frequencies are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TfWeight {
    /// The raw count.
    Raw,
    /// `1 + ln(count)` (scikit-learn's `sublinear_tf=True`).
    Sublinear,
}

impl TfWeight {
    /// The weight of a term seen `count` times.
    pub fn weight(self, count: u32) -> f32 {
        match self {
            TfWeight::Raw => count as f32,
            TfWeight::Sublinear => 1.0 + (count as f32).ln(),
        }
    }
}

/// The counted terms of one document: (term hash, count), sorted by hash.
pub type TermCounts = Vec<(u64, u32)>;

/// Counts the terms of a text.
pub fn count_terms<T: Tokenizer>(
    analyzer: &Analyzer<T>,
    text: &str,
    scratch: &mut String,
) -> TermCounts {
    let mut hashes = Vec::new();
    analyzer.for_each_token(text, scratch, |t| hashes.push(hash_token(t)));
    hashes.sort_unstable();
    let mut out: TermCounts = Vec::new();
    for h in hashes {
        match out.last_mut() {
            Some((last, c)) if *last == h => *c += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// A hasher for keys that are already uniform hashes (xxh3 of tokens): the key is the hash.
#[derive(Debug, Default, Clone, Copy)]
struct KeyIsHash(u64);

impl Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<KeyIsHash>>;

/// Document frequencies accumulated over batches of documents; `merge` joins partial counts.
///
/// Terms are numbered in the order they are first seen ("provisional" numbers), so a
/// document's counts can be kept as compact `(number, count)` pairs while the corpus is
/// read; [`TfidfBuilder::fit`] then maps provisional numbers to the model's term numbers.
#[derive(Debug, Clone, Default)]
pub struct DocFreqs {
    ids: HashKeyed<u32>,
    hashes: Vec<u64>,
    df: Vec<u32>,
    n_docs: usize,
}

impl PartialEq for DocFreqs {
    fn eq(&self, other: &Self) -> bool {
        self.n_docs == other.n_docs && self.df_by_hash() == other.df_by_hash()
    }
}

impl DocFreqs {
    fn number(&mut self, h: u64) -> u32 {
        let next = self.hashes.len() as u32;
        let id = *self.ids.entry(h).or_insert(next);
        if id == next {
            self.hashes.push(h);
            self.df.push(0);
        }
        id
    }

    /// Counts one document's terms.
    pub fn add(&mut self, terms: &TermCounts) {
        for &(h, _) in terms {
            let id = self.number(h);
            self.df[id as usize] += 1;
        }
        self.n_docs += 1;
    }

    /// Counts one document's terms and returns them as (provisional number, count) pairs.
    pub fn add_numbered(&mut self, terms: &TermCounts) -> Box<[(u32, u32)]> {
        let out = terms
            .iter()
            .map(|&(h, c)| {
                let id = self.number(h);
                self.df[id as usize] += 1;
                (id, c)
            })
            .collect();
        self.n_docs += 1;
        out
    }

    /// Adds the counts of another batch.
    pub fn merge(&mut self, other: DocFreqs) {
        self.merge_numbered(other);
    }

    /// Adds the counts of another batch and returns, for each of its provisional numbers,
    /// the term's number here.
    pub fn merge_numbered(&mut self, other: DocFreqs) -> Vec<u32> {
        let map = other
            .hashes
            .into_iter()
            .zip(other.df)
            .map(|(h, df)| {
                let id = self.number(h);
                self.df[id as usize] += df;
                id
            })
            .collect();
        self.n_docs += other.n_docs;
        map
    }

    /// The token hashes, by provisional number.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// The document frequencies, by provisional number.
    pub fn dfs(&self) -> &[u32] {
        &self.df
    }

    /// Number of documents counted.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// Number of distinct terms.
    pub fn n_terms(&self) -> usize {
        self.hashes.len()
    }

    /// The document frequency of a token hash.
    pub fn df(&self, hash: u64) -> u32 {
        self.ids.get(&hash).map_or(0, |&id| self.df[id as usize])
    }

    fn df_by_hash(&self) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> = self
            .hashes
            .iter()
            .copied()
            .zip(self.df.iter().copied())
            .collect();
        v.sort_unstable();
        v
    }
}

/// Builds a [`TfidfModel`]; its settings serialise (an index records them).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TfidfBuilder {
    tf: TfWeight,
    min_df: DfBound,
    max_df: DfBound,
    smooth_idf: bool,
}

impl Default for TfidfBuilder {
    fn default() -> Self {
        TfidfBuilder {
            tf: TfWeight::Sublinear,
            min_df: DfBound::Count(1),
            max_df: DfBound::Share(1.0),
            smooth_idf: true,
        }
    }
}

impl TfidfBuilder {
    /// Term-frequency weighting (default sublinear).
    pub fn tf(mut self, tf: TfWeight) -> Self {
        self.tf = tf;
        self
    }
    /// Ignore terms in fewer documents than this (default 1).
    pub fn min_df(mut self, b: DfBound) -> Self {
        self.min_df = b;
        self
    }
    /// Ignore terms in more documents than this (default all, [`DEFAULT_MAX_DF`]).
    pub fn max_df(mut self, b: DfBound) -> Self {
        self.max_df = b;
        self
    }
    /// Smoothed idf `ln((1+n)/(1+df)) + 1` (default) or plain `ln(n/df) + 1`.
    pub fn smooth_idf(mut self, yes: bool) -> Self {
        self.smooth_idf = yes;
        self
    }

    /// The term-frequency weighting.
    pub fn tf_weight(&self) -> TfWeight {
        self.tf
    }

    /// The idf of a term in `df` of `n` documents: 0 outside the df bounds (an error when
    /// the bounds leave no room).
    pub fn idf_for(&self, n: usize) -> Result<impl Fn(u32) -> f32 + use<>> {
        let (lo, hi) = (self.min_df.resolve(n).max(1), self.max_df.resolve(n));
        if lo > hi {
            return Err(Error::config(
                "min_df",
                format!("min_df ({lo} documents) exceeds max_df ({hi})"),
            ));
        }
        let smooth = self.smooth_idf;
        Ok(move |df: u32| {
            if !(lo..=hi).contains(&(df as usize)) {
                return 0.0;
            }
            let (n, df) = (n as f64, df as f64);
            let v = if smooth {
                ((1.0 + n) / (1.0 + df)).ln() + 1.0
            } else {
                (n / df).ln() + 1.0
            };
            v as f32
        })
    }

    /// The same settings without df bounds (every term kept).
    pub fn unbounded(&self) -> TfidfBuilder {
        TfidfBuilder {
            min_df: DfBound::Count(1),
            max_df: DfBound::Share(1.0),
            ..self.clone()
        }
    }

    /// Fits the vocabulary and idf from document frequencies.
    pub fn fit(self, freqs: &DocFreqs) -> Result<TfidfModel> {
        let n = freqs.n_docs;
        let idf_of = self.idf_for(n)?;
        let mut terms: Vec<(u64, u32)> = freqs
            .df_by_hash()
            .into_iter()
            .filter(|&(_, df)| idf_of(df) > 0.0)
            .collect();
        terms.sort_unstable();
        let idf = terms.iter().map(|&(_, df)| idf_of(df)).collect();
        let index = terms
            .iter()
            .enumerate()
            .map(|(i, &(h, _))| (h, i as u32))
            .collect();
        Ok(TfidfModel {
            hashes: terms.iter().map(|&(h, _)| h).collect(),
            df: terms.iter().map(|&(_, d)| d).collect(),
            idf,
            index,
            n_docs: n,
            tf: self.tf,
        })
    }
}

fn normalize(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v {
            *w /= norm;
        }
    }
}

/// A fitted TF-IDF model: vocabulary (term hashes), document frequencies and idf.
#[derive(Debug, Clone)]
pub struct TfidfModel {
    hashes: Vec<u64>,
    df: Vec<u32>,
    idf: Vec<f32>,
    index: HashKeyed<u32>,
    n_docs: usize,
    tf: TfWeight,
}

impl TfidfModel {
    /// A builder with scikit-learn-like defaults (smoothed idf, L2 norm), but sublinear tf.
    pub fn builder() -> TfidfBuilder {
        TfidfBuilder::default()
    }

    /// A model from stored parts: term hashes (sorted, distinct), their document
    /// frequencies and idf, the number of documents, and the tf weighting.
    pub fn from_parts(
        hashes: Vec<u64>,
        df: Vec<u32>,
        idf: Vec<f32>,
        n_docs: usize,
        tf: TfWeight,
    ) -> Result<Self> {
        if df.len() != hashes.len()
            || idf.len() != hashes.len()
            || !hashes.windows(2).all(|w| w[0] < w[1])
        {
            return Err(Error::config(
                "tfidf",
                "vocabulary, df and idf differ in length or are not sorted",
            ));
        }
        let index = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        Ok(TfidfModel {
            hashes,
            df,
            idf,
            index,
            n_docs,
            tf,
        })
    }

    /// Number of terms.
    pub fn vocabulary_size(&self) -> usize {
        self.hashes.len()
    }

    /// Number of documents the model was fitted on.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// The idf of each term, by term number.
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// The document frequency of each term, by term number.
    pub fn df(&self) -> &[u32] {
        &self.df
    }

    /// The term hashes, by term number (sorted).
    pub fn term_hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// The term number of a token hash, if in the vocabulary.
    pub fn term(&self, hash: u64) -> Option<u32> {
        self.index.get(&hash).copied()
    }

    /// Maps the provisional term numbers of `freqs` to this model's term numbers
    /// (`u32::MAX` for terms outside the vocabulary).
    pub fn term_map(&self, freqs: &DocFreqs) -> Vec<u32> {
        freqs
            .hashes
            .iter()
            .map(|h| self.term(*h).unwrap_or(u32::MAX))
            .collect()
    }

    /// The vector of counts given as (provisional number, count), see [`DocFreqs::add_numbered`].
    pub fn vectorize_numbered(&self, terms: &[(u32, u32)], map: &[u32]) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = terms
            .iter()
            .filter_map(|&(p, c)| {
                let t = *map.get(p as usize)?;
                (t != u32::MAX).then(|| (t, self.weight(t, c)))
            })
            .collect();
        v.sort_unstable_by_key(|&(t, _)| t);
        normalize(&mut v);
        v
    }

    fn weight(&self, t: u32, count: u32) -> f32 {
        self.tf.weight(count) * self.idf[t as usize]
    }

    /// The L2-normalised TF-IDF vector of counted terms, sorted by term number. Terms not in
    /// the vocabulary are ignored; a document with none gives an empty vector.
    pub fn vectorize(&self, terms: &TermCounts) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = terms
            .iter()
            .filter_map(|&(h, c)| {
                let t = self.term(h)?;
                Some((t, self.weight(t, c)))
            })
            .collect();
        v.sort_unstable_by_key(|&(t, _)| t);
        normalize(&mut v);
        v
    }

    /// Vectors of many documents as a CSR matrix.
    pub fn transform(&self, docs: &[TermCounts]) -> CsrMatrix {
        let mut m = CsrMatrix::new(self.vocabulary_size());
        for d in docs {
            m.push_row(&self.vectorize(d));
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(texts: &[&str], b: TfidfBuilder) -> (TfidfModel, Vec<TermCounts>) {
        let a = Analyzer::default();
        let mut s = String::new();
        let counts: Vec<TermCounts> = texts.iter().map(|t| count_terms(&a, t, &mut s)).collect();
        let mut df = DocFreqs::default();
        for c in &counts {
            df.add(c);
        }
        (b.fit(&df).unwrap(), counts)
    }

    #[test]
    fn idf_matches_scikit_learn() {
        let (m, counts) = fit(
            &["a b", "a c", "a b b"],
            TfidfModel::builder().tf(TfWeight::Raw),
        );
        assert_eq!(m.vocabulary_size(), 3);
        let ha = hash_token("a");
        let hb = hash_token("b");
        let ia = m.term(ha).unwrap() as usize;
        let ib = m.term(hb).unwrap() as usize;
        assert!((m.idf()[ia] - 1.0).abs() < 1e-6);
        assert!((m.idf()[ib] - ((4.0f32 / 3.0).ln() + 1.0)).abs() < 1e-6);
        // scikit-learn's TfidfVectorizer(token_pattern=r"\w+") gives row 3 ("a b b") as
        // [0.3620, 0.9322, 0]: tf (1, 2) times idf (1, 1.2877), L2-normalised.
        let v = m.vectorize(&counts[2]);
        let w: HashMap<u32, f32> = v.into_iter().collect();
        assert!((w[&(ia as u32)] - 0.3620).abs() < 1e-3, "{w:?}");
        assert!((w[&(ib as u32)] - 0.9322).abs() < 1e-3);
    }

    #[test]
    fn df_bounds_and_merge() {
        let (m, _) = fit(
            &["a b", "a c", "a b d"],
            TfidfModel::builder().max_df(DfBound::Share(0.9)),
        );
        assert_eq!(m.vocabulary_size(), 3); // "a" is in every document
        let (m, _) = fit(
            &["a b", "a c", "a b d"],
            TfidfModel::builder().min_df(DfBound::Count(2)),
        );
        assert_eq!(m.vocabulary_size(), 2);
        assert!("0.5".parse::<DfBound>().unwrap() == DfBound::Share(0.5));
        assert!("2".parse::<DfBound>().unwrap() == DfBound::Count(2));
        assert!("1.5".parse::<DfBound>().is_err());
        let a = Analyzer::default();
        let mut s = String::new();
        let mut x = DocFreqs::default();
        x.add(&count_terms(&a, "a b", &mut s));
        let mut y = DocFreqs::default();
        y.add(&count_terms(&a, "a c", &mut s));
        x.merge(y);
        assert_eq!(x.n_docs(), 2);
        assert_eq!(x.df(hash_token("a")), 2);
    }
}
