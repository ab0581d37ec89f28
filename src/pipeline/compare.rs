//! Comparing two documents on every measure neardup has: exact and estimated Jaccard of
//! the shingle sets, containment both ways, and TF-IDF cosine.

use serde::Serialize;

use std::borrow::Cow;

use super::stages::Stages;
use super::{dedup, sketch};
use crate::cluster::{MatchKind, SetAside, Verdict};
use crate::corpus::Document;
use crate::error::Result;
use crate::minhash::{Overlap, estimate_jaccard, standard_error};
use crate::store::Archive;
use crate::text::Analyzer;
use crate::tfidf::{DocFreqs, TfidfBuilder, TfidfModel, count_terms, sparse_dot};

/// Where the idf of a comparison's cosine comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdfSource {
    /// Fitted on the two documents alone (weak: it only tells shared from unshared words).
    Pair,
    /// A model fitted on a corpus (an index).
    Corpus,
    /// A model fitted on the corpus the two documents were read from (`compare --id
    /// --input`), as `rank` fits it.
    Input,
}

/// Every similarity of two documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Shingles in A.
    pub shingles_a: usize,
    /// Shingles in B.
    pub shingles_b: usize,
    /// Shingles in both.
    pub shared_shingles: usize,
    /// Exact Jaccard of the shingle sets.
    pub jaccard: f64,
    /// MinHash estimate of the Jaccard.
    pub jaccard_estimate: f64,
    /// Standard error of the estimate, `sqrt(J(1-J)/k)` at the exact J.
    pub estimate_std_error: f64,
    /// Share of A's shingles that are in B.
    pub containment_a_in_b: f64,
    /// Share of B's shingles that are in A.
    pub containment_b_in_a: f64,
    /// TF-IDF cosine.
    pub cosine: f64,
    /// Where the idf came from.
    pub idf: IdfSource,
    /// How the pair counts as a near-duplicate under the pipeline's rule, if it does
    /// (written as `"jaccard"`, `"containment"` or `false`): on the plain measures above,
    /// or, [decided in a corpus](Self::in_corpus), as `pairs` decides.
    #[serde(serialize_with = "rule_or_false")]
    pub near_duplicate: Option<MatchKind>,
    /// Decided in a corpus: why a pair that passes on the plain measures is not a
    /// near-duplicate there (`"template"` or `"figures"`), else `null`.
    pub set_aside: Option<SetAside>,
}

/// A rule's name, or `false` when no rule holds: a reader tests the field for truth.
fn rule_or_false<S: serde::Serializer>(
    kind: &Option<MatchKind>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match kind {
        Some(MatchKind::Jaccard) => s.serialize_str("jaccard"),
        Some(MatchKind::Containment) => s.serialize_str("containment"),
        None => s.serialize_bool(false),
    }
}

/// The work of [`Pipeline::compare`](crate::Pipeline::compare).
pub(super) fn compare(
    p: &Stages,
    a: &str,
    b: &str,
    model: Option<(&TfidfModel, IdfSource)>,
    tfidf: &TfidfBuilder,
) -> Result<Comparison> {
    let set_a = p.shingler().shingle_set(p.analyzer(), a);
    let set_b = p.shingler().shingle_set(p.analyzer(), b);
    let overlap = Overlap::of_sorted(&set_a, &set_b);
    let k = p.sketch_params().num_perm;
    let estimate = if set_a.is_empty() || set_b.is_empty() {
        0.0
    } else {
        estimate_jaccard(&p.hasher().signature(&set_a), &p.hasher().signature(&set_b))
    };
    let near_duplicate = p.verifier().verify(0, 1, &set_a, &set_b).map(|p| p.kind);
    let cosine = cosine(p.analyzer(), a, b, model, tfidf)?;
    Ok(Comparison::of(
        &overlap,
        estimate,
        k,
        near_duplicate,
        cosine,
    ))
}

impl Comparison {
    /// The comparison of two shingle sets with this overlap, signature estimate (`k`
    /// slots), verdict and cosine.
    fn of(
        overlap: &Overlap,
        estimate: f64,
        k: usize,
        near_duplicate: Option<MatchKind>,
        (cosine, idf): (f64, IdfSource),
    ) -> Comparison {
        let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
        let jaccard = overlap.jaccard();
        Comparison {
            shingles_a: overlap.len_a,
            shingles_b: overlap.len_b,
            shared_shingles: overlap.intersection,
            jaccard,
            jaccard_estimate: estimate,
            estimate_std_error: standard_error(jaccard, k),
            containment_a_in_b: share(overlap.intersection, overlap.len_a),
            containment_b_in_a: share(overlap.intersection, overlap.len_b),
            cosine,
            idf,
            near_duplicate,
            set_aside: None,
        }
    }

    /// This comparison with the verdict of the two documents in their corpus
    /// ([`Pipeline::verdict`](crate::Pipeline::verdict): template shingles weigh less,
    /// figures compared), as `pairs` and `cluster` decide; the measures stay the plain ones.
    pub fn in_corpus(self, verdict: Verdict) -> Comparison {
        Comparison {
            near_duplicate: verdict.copy().map(|p| p.kind),
            set_aside: verdict.set_aside(),
            ..self
        }
    }
}

/// The work of [`Pipeline::compare_documents`](crate::Pipeline::compare_documents).
pub(super) fn compare_documents(
    p: &Stages,
    a: &Document<'_>,
    b: &Document<'_>,
    model: Option<(&TfidfModel, IdfSource)>,
    tfidf: &TfidfBuilder,
) -> Result<Comparison> {
    // The two as a corpus, borrowed: what `pairs` reads of each.
    fn borrowed<'d>(d: &'d Document<'_>) -> Document<'d> {
        let mut own = Document::new(&*d.id, &*d.text);
        own.date = d.date.as_deref().map(Cow::Borrowed);
        own
    }
    let docs = [borrowed(a), borrowed(b)];
    let corpus = sketch::sketch_corpus(p, &docs[..], |_| {})?;
    let verdict = dedup::verdict(p, &corpus, 0, 1);
    Ok(compare(p, &a.text, &b.text, model, tfidf)?.in_corpus(verdict))
}

/// The work of [`Pipeline::compare_indexed`](crate::Pipeline::compare_indexed).
pub(super) fn compare_indexed(index: &Archive, a: u32, b: u32) -> Result<Comparison> {
    let (set_a, set_b) = (index.shingles(a)?, index.shingles(b)?);
    let overlap = Overlap::of_sorted(&set_a, &set_b);
    let k = index.settings().sketch.num_perm;
    let estimate = if set_a.is_empty() || set_b.is_empty() {
        0.0
    } else {
        estimate_jaccard(index.signature(a)?, index.signature(b)?)
    };
    // Decided as a query decides (and as `pairs` does, when the index keeps figures).
    let verdict = index.verdict(a, b)?;
    // Both vectors are sorted by token hash: a merge of the two.
    let (va, vb) = (index.doc_vector(a)?, index.doc_vector(b)?);
    let (mut i, mut j, mut dot) = (0, 0, 0f32);
    while i < va.len() && j < vb.len() {
        match va[i].0.cmp(&vb[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += va[i].1 * vb[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    let cosine = f64::from(dot);
    Ok(Comparison::of(&overlap, estimate, k, None, (cosine, IdfSource::Corpus)).in_corpus(verdict))
}

/// A sparse vector as its terms and its weights.
fn split(v: &[(u32, f32)]) -> (Vec<u32>, Vec<f32>) {
    v.iter().copied().unzip()
}

fn cosine(
    analyzer: &Analyzer,
    a: &str,
    b: &str,
    model: Option<(&TfidfModel, IdfSource)>,
    tfidf: &TfidfBuilder,
) -> Result<(f64, IdfSource)> {
    let mut scratch = String::new();
    let ta = count_terms(analyzer, a, &mut scratch);
    let tb = count_terms(analyzer, b, &mut scratch);
    let (owned, source);
    let model = match model {
        Some((m, from)) => {
            source = from;
            m
        }
        None => {
            let mut df = DocFreqs::default();
            df.add(&ta);
            df.add(&tb);
            // Two documents: every df bound but "all terms" would make no sense.
            owned = tfidf
                .clone()
                .min_df(crate::tfidf::DfBound::Count(1))
                .max_df(crate::tfidf::DfBound::Share(1.0))
                .fit(&df)?;
            source = IdfSource::Pair;
            &owned
        }
    };
    let (va, vb) = (model.vectorize(&ta), model.vectorize(&tb));
    let (ia, wa) = split(&va);
    let (ib, wb) = split(&vb);
    Ok((f64::from(sparse_dot((&ia, &wa), (&ib, &wb))), source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Pipeline;

    const A: &str = "The central bank raised its main interest rate by half a percentage point on Tuesday, \
citing stubborn inflation in services and a tight labour market. Governor Maria Okafor said further \
increases could not be ruled out if wage growth stayed strong through the summer.";

    #[test]
    fn compares_a_copy_and_an_unrelated_text() {
        let p = Pipeline::builder().build().unwrap();
        let b = TfidfModel::builder();
        let same = p
            .compare(A, &A.replace("Tuesday", "Wednesday"), None, &b)
            .unwrap();
        assert!(same.jaccard > 0.7 && same.jaccard < 1.0, "{same:?}");
        assert!(
            (same.jaccard_estimate - same.jaccard).abs() < 5.0 * same.estimate_std_error + 0.02
        );
        assert_eq!(same.near_duplicate, Some(MatchKind::Jaccard));
        assert!(same.cosine > 0.8);
        assert_eq!(same.idf, IdfSource::Pair);
        let other = p
            .compare(
                A,
                "Heavy rain flooded the northern coast overnight.",
                None,
                &b,
            )
            .unwrap();
        assert_eq!(other.shared_shingles, 0);
        assert_eq!(other.near_duplicate, None);
        assert!(other.cosine < 0.2, "{other:?}");
        // A truncated copy is contained in the original.
        let half = &A[..A.len() / 2];
        let cut = p.compare(half, A, None, &b).unwrap();
        assert!(
            cut.containment_a_in_b > 0.9 && cut.containment_b_in_a < 0.6,
            "{cut:?}"
        );
    }

    /// Two documents of an index compare from what it stores as their texts compare with
    /// the index's idf.
    #[test]
    fn indexed_documents_compare_as_their_texts() {
        let dir = tempfile::tempdir().unwrap();
        let copy = A.replace("Tuesday", "Wednesday");
        let other = "Heavy rain flooded the northern coast overnight, closing two highways.";
        let body: String = [("a", A), ("b", copy.as_str()), ("c", other)]
            .iter()
            .map(|(id, t)| format!("{}\n", serde_json::json!({"id": id, "text": t})))
            .collect();
        let corpus = dir.path().join("c.jsonl");
        std::fs::write(&corpus, body).unwrap();
        let path = dir.path().join("c.ndx");
        let p = Pipeline::builder().build().unwrap();
        let reader = crate::corpus::CorpusReader::new(
            vec![crate::corpus::Input::new(&corpus, None).unwrap()],
            crate::corpus::FieldMap::default(),
        );
        crate::pipeline::build_index(&path, &p, TfidfModel::builder(), reader, |_| {}).unwrap();
        let index = crate::store::Archive::open(&path).unwrap();
        let stored = p.compare_indexed(&index, 0, 1).unwrap();
        let model = index.tfidf_model().unwrap();
        let texts = p
            .compare(
                A,
                &copy,
                Some((&model, IdfSource::Corpus)),
                &TfidfModel::builder(),
            )
            .unwrap();
        assert_eq!(stored.shared_shingles, texts.shared_shingles);
        assert!((stored.jaccard - texts.jaccard).abs() < 1e-9);
        assert!(
            (stored.cosine - texts.cosine).abs() < 1e-5,
            "{stored:?} {texts:?}"
        );
        assert_eq!(stored.near_duplicate, Some(MatchKind::Jaccard));
        assert_eq!(stored.idf, IdfSource::Corpus);
        assert_eq!(
            p.compare_indexed(&index, 0, 2).unwrap().near_duplicate,
            None
        );
    }
}
