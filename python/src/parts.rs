//! The pipeline's stages one part at a time, for `neardup.spark`: each function takes one
//! Arrow batch's worth of numpy arrays and gives the bytes the CLI computes for those
//! documents, whatever the partitioning (see `neardup::Pipeline::sketch_texts`).

use neardup::cluster::MatchKind;
use neardup::cluster::Verdict;
use neardup::corpus::{day_number, parse_date};
use neardup::lsh::{BUCKET_WINDOW, BandCounts, Crowding, band_key, first_meeting_band};
use neardup::pipeline::BucketKey;
use neardup::{VerifiedPair, build_clusters};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use super::{Settings, Texts, py_err};

/// Shingle fingerprints and signatures of a part's texts (a null text is an empty one),
/// with their `dates` when given (read as the CLI reads dates; among the figures, so that
/// texts published days apart whose figures differ are kept apart as the CLI keeps them):
/// `offsets` (n + 1) into `prints`, `signatures` (n × num_perm, one row after another),
/// `figure_offsets` into `figures` (none when the template rule is off) and `chars` (each
/// text's length in characters, for `keep="longest"`).
#[pyfunction]
#[pyo3(signature = (texts, settings, dates=None))]
pub(crate) fn sketch_part<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    settings: Settings,
    dates: Option<Vec<Option<String>>>,
) -> PyResult<Bound<'py, PyDict>> {
    let pipeline = settings.pipeline()?;
    let texts = Texts::from_py(texts)?;
    let strs = texts.strs();
    let chars: Vec<i64> = strs.iter().map(|s| s.chars().count() as i64).collect();
    let sketched = match dates {
        None => py.detach(|| pipeline.sketch_texts(&strs)),
        Some(dates) => {
            let days: Vec<Option<i64>> = dates
                .iter()
                .map(|d| d.as_deref().and_then(day_number))
                .collect();
            py.detach(|| pipeline.sketch_dated_texts(&strs, &days))
                .map_err(py_err)?
        }
    };
    let (offsets, prints) = flatten(&sketched.sets);
    let (figure_offsets, figures) = flatten(&sketched.figures);
    let out = PyDict::new(py);
    out.set_item("offsets", offsets.into_pyarray(py))?;
    out.set_item("prints", prints.into_pyarray(py))?;
    out.set_item("signatures", sketched.signatures.into_pyarray(py))?;
    out.set_item("figure_offsets", figure_offsets.into_pyarray(py))?;
    out.set_item("figures", figures.into_pyarray(py))?;
    out.set_item("chars", chars.into_pyarray(py))?;
    Ok(out)
}

/// A list per document as offsets (n + 1) and values.
fn flatten<T: Copy>(sets: &neardup::shingle::ShingleSets<T>) -> (Vec<i64>, Vec<T>) {
    let mut offsets = Vec::with_capacity(sets.len() + 1);
    let mut values = Vec::new();
    offsets.push(0i64);
    for i in 0..sets.len() {
        values.extend_from_slice(sets.get(i));
        offsets.push(values.len() as i64);
    }
    (offsets, values)
}

/// Lists from offsets (n + 1) and values.
fn unflatten<T: Copy>(
    offsets: &[i64],
    values: &[T],
    what: &str,
) -> PyResult<neardup::shingle::ShingleSets<T>> {
    let mut sets = neardup::shingle::ShingleSets::new();
    for w in offsets.windows(2) {
        let part = values
            .get(w[0] as usize..w[1] as usize)
            .ok_or_else(|| PyValueError::new_err(format!("{what}: offsets beyond the values")))?;
        sets.push(part);
    }
    Ok(sets)
}

/// The rows of a flat signature array, checked against the settings.
fn rows<'a>(
    settings: &Settings,
    signatures: &'a [u32],
) -> PyResult<std::slice::ChunksExact<'a, u32>> {
    let k = settings.num_perm;
    if k == 0 || !signatures.len().is_multiple_of(k) {
        return Err(PyValueError::new_err(format!(
            "signatures: {} values are not rows of num_perm = {k}",
            signatures.len()
        )));
    }
    Ok(signatures.chunks_exact(k))
}

/// The bucket counters of a part's signatures (rows where `skip` is set, documents without
/// shingles, left out), as bytes to merge with [`merge_band_counts`]; `docs` is the number
/// of documents with shingles in the whole corpus.
#[pyfunction]
pub(crate) fn band_counts_part<'py>(
    py: Python<'py>,
    settings: Settings,
    docs: usize,
    signatures: PyReadonlyArray1<'py, u32>,
    skip: PyReadonlyArray1<'py, bool>,
) -> PyResult<Bound<'py, PyBytes>> {
    let pipeline = settings.pipeline()?;
    let mut counts = pipeline.band_counts(docs);
    for (row, &skip) in rows(&settings, signatures.as_slice()?)?.zip(skip.as_slice()?) {
        if !skip {
            counts.add_signature(row);
        }
    }
    Ok(PyBytes::new(py, &counts.to_le_bytes()))
}

/// Two parts' bucket counters added up (saturating).
#[pyfunction]
pub(crate) fn merge_band_counts<'py>(
    py: Python<'py>,
    settings: Settings,
    docs: usize,
    a: &[u8],
    b: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let lsh = settings.pipeline()?.lsh();
    let mut x = BandCounts::from_le_bytes(lsh, docs, a).map_err(py_err)?;
    x.merge(&BandCounts::from_le_bytes(lsh, docs, b).map_err(py_err)?);
    Ok(PyBytes::new(py, &x.to_le_bytes()))
}

/// The crowding of the whole corpus's `counts` (of `docs` documents with shingles), or
/// none when buckets are not split; with the pipeline's largest bucket walked whole.
fn crowding(
    pipeline: &neardup::Pipeline,
    docs: usize,
    counts: Option<&[u8]>,
) -> PyResult<Crowding> {
    Ok(match counts {
        Some(bytes) => pipeline
            .crowding_from(BandCounts::from_le_bytes(pipeline.lsh(), docs, bytes).map_err(py_err)?),
        None => Crowding::off().with_max_bucket(pipeline.max_bucket()),
    })
}

/// How buckets are walked: the most documents a bucket may hold to be paired whole (`None`:
/// any), and how many following documents, in signature order, each document of a larger
/// bucket is paired with.
#[pyfunction]
pub(crate) fn bucket_walk(settings: Settings) -> PyResult<(Option<usize>, usize)> {
    let pipeline = settings.pipeline()?;
    let max = Crowding::off()
        .with_max_bucket(pipeline.max_bucket())
        .max_bucket();
    Ok(((max != usize::MAX).then_some(max), BUCKET_WINDOW))
}

/// The number of LSH bands the settings choose.
#[pyfunction]
pub(crate) fn band_count(settings: Settings) -> PyResult<usize> {
    Ok(settings.pipeline()?.lsh().bands)
}

/// For candidate pairs each found in a bucket of `band` (per pair), whether that band is
/// the first where the two meet: the CLI takes each pair up once, in that band, so a pair
/// found again in a later band is not a new candidate, and one that a large bucket's
/// window left out in its first band is not one at all. `a_signatures` and `b_signatures`
/// are the pairs' signatures, one row after another.
#[pyfunction]
#[pyo3(signature = (settings, docs, counts, band, a_signatures, b_signatures))]
pub(crate) fn first_band_part<'py>(
    py: Python<'py>,
    settings: Settings,
    docs: usize,
    counts: Option<&[u8]>,
    band: PyReadonlyArray1<'py, i32>,
    a_signatures: PyReadonlyArray1<'py, u32>,
    b_signatures: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyArray1<bool>>> {
    let pipeline = settings.pipeline()?;
    let crowding = crowding(&pipeline, docs, counts)?;
    let band = band.as_slice()?;
    let (a, b) = (
        rows(&settings, a_signatures.as_slice()?)?,
        rows(&settings, b_signatures.as_slice()?)?,
    );
    if a.len() != band.len() || b.len() != band.len() {
        return Err(PyValueError::new_err(
            "first_band: one band and two signatures per pair",
        ));
    }
    let lsh = pipeline.lsh();
    let first: Vec<bool> = a
        .zip(b)
        .zip(band)
        .map(|((x, y), &k)| first_meeting_band(x, y, lsh, &crowding) == Some(k as usize))
        .collect();
    Ok(first.into_pyarray(py))
}

/// Every bucket of a part's documents: `row` (position in the part), `band`, `key` and
/// `sub` (the next band's key where the bucket is crowded by the whole corpus's `counts`,
/// else 0), keys as signed 64-bit integers (the bits of the unsigned keys). Rows where
/// `skip` is set have none.
#[pyfunction]
#[pyo3(signature = (settings, docs, counts, signatures, skip))]
pub(crate) fn bucket_keys_part<'py>(
    py: Python<'py>,
    settings: Settings,
    docs: usize,
    counts: Option<&[u8]>,
    signatures: PyReadonlyArray1<'py, u32>,
    skip: PyReadonlyArray1<'py, bool>,
) -> PyResult<Bound<'py, PyDict>> {
    let pipeline = settings.pipeline()?;
    let crowding = crowding(&pipeline, docs, counts)?;
    let (mut row, mut band, mut key, mut sub) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut keys: Vec<BucketKey> = Vec::new();
    for (i, (sig, &skip)) in rows(&settings, signatures.as_slice()?)?
        .zip(skip.as_slice()?)
        .enumerate()
    {
        if skip {
            continue;
        }
        keys.clear();
        pipeline.bucket_keys(sig, &crowding, &mut keys);
        for k in &keys {
            row.push(i as u32);
            band.push(k.band as i32);
            key.push(k.key as i64);
            sub.push(k.sub as i64);
        }
    }
    let out = PyDict::new(py);
    out.set_item("row", row.into_pyarray(py))?;
    out.set_item("band", band.into_pyarray(py))?;
    out.set_item("key", key.into_pyarray(py))?;
    out.set_item("sub", sub.into_pyarray(py))?;
    Ok(out)
}

/// The fingerprints of row `i` of a list column given as offsets and values.
fn set<'a>(offsets: &[i64], values: &'a [u32], i: usize) -> PyResult<&'a [u32]> {
    list(offsets, values, i)
}

/// Row `i` of a list column given as offsets and values.
fn list<'a, T>(offsets: &[i64], values: &'a [T], i: usize) -> PyResult<&'a [T]> {
    let (s, e) = (offsets[i] as usize, offsets[i + 1] as usize);
    values
        .get(s..e)
        .ok_or_else(|| PyValueError::new_err("lists: offsets beyond the values"))
}

/// Candidate pairs verified on their exact fingerprint sets with the CLI's rule: `passed`,
/// `jaccard`, `containment` and `match` (0 Jaccard, 1 containment, -1 none) per pair.
#[pyfunction]
pub(crate) fn verify_part<'py>(
    py: Python<'py>,
    settings: Settings,
    a_offsets: PyReadonlyArray1<'py, i64>,
    a_prints: PyReadonlyArray1<'py, u32>,
    b_offsets: PyReadonlyArray1<'py, i64>,
    b_prints: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let pipeline = settings.pipeline()?;
    let verifier = pipeline.verifier();
    let (ao, ap, bo, bp) = (
        a_offsets.as_slice()?,
        a_prints.as_slice()?,
        b_offsets.as_slice()?,
        b_prints.as_slice()?,
    );
    verified(py, ao, bo, |i| {
        let (x, y) = (set(ao, ap, i)?, set(bo, bp, i)?);
        Ok(match verifier.verify(0, 1, x, y) {
            Some(p) => Verdict::Copy(p),
            None => Verdict::Different,
        })
    })
}

/// The `match` of a pair kept apart ([`Verdict::Conflict`]: its figures conflict).
const APART: i8 = 2;

/// The verdicts of `n` pairs (`a_offsets.len() - 1`) as [`verify_part`] returns them; a
/// pair kept apart is `passed` with `match` [`APART`] and NaN measures (clusters need
/// only the pair, as the CLI keeps it).
fn verified<'py>(
    py: Python<'py>,
    a_offsets: &[i64],
    b_offsets: &[i64],
    mut verdict: impl FnMut(usize) -> PyResult<Verdict>,
) -> PyResult<Bound<'py, PyDict>> {
    if a_offsets.len() != b_offsets.len() || a_offsets.is_empty() {
        return Err(PyValueError::new_err(
            "verify: two offset arrays of one length (n + 1)",
        ));
    }
    let n = a_offsets.len() - 1;
    let (mut passed, mut jaccard, mut containment, mut rule) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for i in 0..n {
        let (pass, pair, r) = match verdict(i)? {
            Verdict::Copy(p) => (true, Some(p), i8::from(p.kind == MatchKind::Containment)),
            Verdict::Conflict(_) => (true, None, APART),
            Verdict::Template(_) | Verdict::Different => (false, None, -1),
        };
        passed.push(pass);
        jaccard.push(pair.map_or(f64::NAN, |p| p.jaccard));
        containment.push(pair.map_or(f64::NAN, |p| p.containment));
        rule.push(r);
    }
    let out = PyDict::new(py);
    out.set_item("passed", passed.into_pyarray(py))?;
    out.set_item("jaccard", jaccard.into_pyarray(py))?;
    out.set_item("containment", containment.into_pyarray(py))?;
    out.set_item("match", rule.into_pyarray(py))?;
    Ok(out)
}

/// The distance between the documents of the even sample the template rule learns from
/// (documents 0, step, 2 step, ... of a corpus of `n`: every one up to 20,000).
#[pyfunction]
pub(crate) fn template_sample_step(n: usize) -> usize {
    neardup::cluster::template_sample_step(n)
}

/// The corpus's template shingles and figures, learnt from its even sample (see
/// [`template_sample_step`]), held by each Spark worker process to verify candidate pairs
/// given with their sets and figures as the CLI does with the whole corpus at hand.
#[pyclass(module = "neardup._native", frozen)]
pub(crate) struct TemplateTable {
    pipeline: neardup::Pipeline,
    templates: Option<neardup::cluster::TemplateShingles>,
}

#[pymethods]
impl TemplateTable {
    /// `n` documents in the corpus; the sample's sets (`offsets` into `prints`) and figures
    /// (`figure_offsets` into `figures`), in the corpus's order.
    #[new]
    fn new(
        py: Python<'_>,
        settings: Settings,
        n: usize,
        offsets: PyReadonlyArray1<'_, i64>,
        prints: PyReadonlyArray1<'_, u32>,
        figure_offsets: PyReadonlyArray1<'_, i64>,
        figures: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Self> {
        let pipeline = settings.pipeline()?;
        let sets = unflatten(offsets.as_slice()?, prints.as_slice()?, "prints")?;
        let figures = unflatten(figure_offsets.as_slice()?, figures.as_slice()?, "figures")?;
        if figures.len() != sets.len() || sets.len() != n.div_ceil(template_sample_step(n)) {
            return Err(PyValueError::new_err(
                "the sample: one set and one figure list for each of documents 0, step, 2 step, ...",
            ));
        }
        let templates = py.detach(|| pipeline.learn_templates_sampled(&sets, &figures, n));
        Ok(TemplateTable {
            pipeline,
            templates,
        })
    }

    /// Template shingles learnt (`None` when the rule is off).
    fn __len__(&self) -> usize {
        self.templates.as_ref().map_or(0, |t| t.len())
    }

    /// Candidate pairs with their sets and figures verified as the CLI verifies them: the
    /// arrays of [`verify_part`], a pair that shares only a template not passed, and one
    /// whose figures conflict passed with `match` 2 (kept apart in clusters).
    #[allow(clippy::too_many_arguments)] // one array per argument, as Python passes them
    fn verify<'py>(
        &self,
        py: Python<'py>,
        a_offsets: PyReadonlyArray1<'py, i64>,
        a_prints: PyReadonlyArray1<'py, u32>,
        b_offsets: PyReadonlyArray1<'py, i64>,
        b_prints: PyReadonlyArray1<'py, u32>,
        a_figure_offsets: PyReadonlyArray1<'py, i64>,
        a_figures: PyReadonlyArray1<'py, u64>,
        b_figure_offsets: PyReadonlyArray1<'py, i64>,
        b_figures: PyReadonlyArray1<'py, u64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let verifier = self.pipeline.verifier();
        let (ao, ap, bo, bp) = (
            a_offsets.as_slice()?,
            a_prints.as_slice()?,
            b_offsets.as_slice()?,
            b_prints.as_slice()?,
        );
        let (afo, af, bfo, bf) = (
            a_figure_offsets.as_slice()?,
            a_figures.as_slice()?,
            b_figure_offsets.as_slice()?,
            b_figures.as_slice()?,
        );
        if afo.len() != ao.len() || bfo.len() != bo.len() {
            return Err(PyValueError::new_err(
                "verify: figure offsets for every pair",
            ));
        }
        let templates = self.templates.as_ref();
        verified(py, ao, bo, |i| {
            let (x, y) = (set(ao, ap, i)?, set(bo, bp, i)?);
            let (fx, fy) = (list(afo, af, i)?, list(bfo, bf, i)?);
            Ok(verifier.verify_with_figures(templates, 0, 1, x, y, fx, fy))
        })
    }
}

/// The clusters of the pairs and their spanning trees, as the CLI's clusters record them
/// (a maximum spanning tree by score, ties by document numbers, rooted at the first
/// document; a component splits into clusters only where a roundup is cut loose or a pair
/// of `match` 2 is kept apart): per member `doc`, `component` (its cluster's first
/// document), `joined_by` (-1 for the root), `score` and `match` of the joining pair.
/// Documents are any 64-bit numbers in input order.
#[pyfunction]
pub(crate) fn spanning_tree<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, i64>,
    b: PyReadonlyArray1<'py, i64>,
    jaccard: PyReadonlyArray1<'py, f64>,
    containment: PyReadonlyArray1<'py, f64>,
    rule: PyReadonlyArray1<'py, i8>,
) -> PyResult<Bound<'py, PyDict>> {
    let (a, b, j, c, r) = (
        a.as_slice()?,
        b.as_slice()?,
        jaccard.as_slice()?,
        containment.as_slice()?,
        rule.as_slice()?,
    );
    let n = a.len();
    if [b.len(), j.len(), c.len(), r.len()].iter().any(|&l| l != n) {
        return Err(PyValueError::new_err(
            "spanning_tree: columns of one length",
        ));
    }
    let mut docs: Vec<i64> = a.iter().chain(b).copied().collect();
    docs.sort_unstable();
    docs.dedup();
    let local = |d: i64| docs.binary_search(&d).unwrap() as u32;
    let apart: Vec<(u32, u32)> = (0..n)
        .filter(|&i| r[i] == APART)
        .map(|i| (local(a[i]), local(b[i])))
        .collect();
    let pairs: Vec<VerifiedPair> = (0..n)
        .filter(|&i| r[i] != APART)
        .map(|i| VerifiedPair {
            a: local(a[i]).min(local(b[i])),
            b: local(a[i]).max(local(b[i])),
            jaccard: j[i],
            containment: c[i],
            kind: if r[i] == 1 {
                MatchKind::Containment
            } else {
                MatchKind::Jaccard
            },
        })
        .collect();
    let clusters = build_clusters(docs.len(), &pairs, &apart, false);
    let (mut doc, mut component, mut joined, mut score, mut kind) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for cl in &clusters {
        for m in &cl.members {
            doc.push(docs[m.doc as usize]);
            component.push(docs[cl.members[0].doc as usize]);
            match (m.joined_by, m.joined_to()) {
                (Some(p), Some(to)) => {
                    joined.push(docs[to as usize]);
                    score.push(p.score());
                    kind.push(i8::from(p.kind == MatchKind::Containment));
                }
                _ => {
                    joined.push(-1);
                    score.push(f64::NAN);
                    kind.push(-1);
                }
            }
        }
    }
    let out = PyDict::new(py);
    out.set_item("doc", doc.into_pyarray(py))?;
    out.set_item("component", component.into_pyarray(py))?;
    out.set_item("joined_by", joined.into_pyarray(py))?;
    out.set_item("score", score.into_pyarray(py))?;
    out.set_item("match", kind.into_pyarray(py))?;
    Ok(out)
}

/// Publication instants in milliseconds since 1970 UTC, read as the CLI reads dates;
/// `i64::MAX` for a missing or unreadable date (sorted last, as `keep="earliest"` does).
#[pyfunction]
pub(crate) fn published<'py>(
    py: Python<'py>,
    dates: Vec<Option<String>>,
) -> Bound<'py, numpy::PyArray1<i64>> {
    dates
        .iter()
        .map(|d| d.as_deref().and_then(parse_date).unwrap_or(i64::MAX))
        .collect::<Vec<i64>>()
        .into_pyarray(py)
}

/// The sketches of a whole corpus (ascending document numbers, fingerprint sets, signatures)
/// and its crowded buckets, held by each Spark worker process, so that whole buckets of a
/// band are screened and verified where they meet first, as the CLI does, without a row
/// per candidate pair.
#[pyclass(module = "neardup._native", frozen)]
pub(crate) struct SketchTable {
    pipeline: neardup::Pipeline,
    docs: Vec<i64>,
    sets: neardup::shingle::ShingleSets<u32>,
    signatures: neardup::minhash::SignatureMatrix,
    crowding: neardup::lsh::Crowding,
    templates: Option<neardup::cluster::TemplateShingles>,
}

#[pymethods]
impl SketchTable {
    /// `docs` ascending (every document of the corpus, in its order); `offsets` (n + 1)
    /// into `prints`; `signatures` n × num_perm; `figures` as offsets and values (where the
    /// template rule is on: the table learns the corpus's template shingles, as the CLI
    /// does); `counts` the whole corpus's bucket counters over `total` documents with
    /// shingles (`None`: buckets are never split, unless `count_buckets`: then the table
    /// counts them itself from its signatures, as the CLI does).
    #[new]
    #[pyo3(signature = (settings, total, counts, docs, offsets, prints, signatures, figures=None, count_buckets=false))]
    #[allow(clippy::too_many_arguments)] // Python's keyword call: one array per argument.
    fn new(
        py: Python<'_>,
        settings: Settings,
        total: usize,
        counts: Option<&[u8]>,
        docs: PyReadonlyArray1<'_, i64>,
        offsets: PyReadonlyArray1<'_, i64>,
        prints: PyReadonlyArray1<'_, u32>,
        signatures: PyReadonlyArray1<'_, u32>,
        figures: Option<(PyReadonlyArray1<'_, i64>, PyReadonlyArray1<'_, u64>)>,
        count_buckets: bool,
    ) -> PyResult<Self> {
        let pipeline = settings.pipeline()?;
        let docs = docs.as_slice()?.to_vec();
        if !docs.is_sorted() {
            return Err(PyValueError::new_err("docs: ascending document numbers"));
        }
        let (offsets, prints) = (offsets.as_slice()?, prints.as_slice()?);
        if offsets.len() != docs.len() + 1 {
            return Err(PyValueError::new_err("offsets: one more than docs"));
        }
        let sets = unflatten(offsets, prints, "prints")?;
        let figures = match &figures {
            Some((o, v)) => unflatten(o.as_slice()?, v.as_slice()?, "figures")?,
            None => neardup::shingle::ShingleSets::new(),
        };
        if !figures.is_empty() && figures.len() != sets.len() {
            return Err(PyValueError::new_err("figures: one list per document"));
        }
        let templates = py.detach(|| pipeline.learn_templates(&sets, figures));
        let flat = signatures.as_slice()?.to_vec();
        let signatures = py
            .detach(|| neardup::minhash::SignatureMatrix::from_flat(pipeline.sketch_params(), flat))
            .map_err(py_err)?;
        if signatures.len() != docs.len() {
            return Err(PyValueError::new_err("signatures: one row per document"));
        }
        let crowding = if count_buckets && counts.is_none() {
            let mut counts = pipeline.band_counts(total);
            for i in 0..sets.len() {
                if !sets.get(i).is_empty() {
                    counts.add_signature(signatures.row(i));
                }
            }
            pipeline.crowding_from(counts)
        } else {
            crowding(&pipeline, total, counts)?
        };
        Ok(SketchTable {
            pipeline,
            docs,
            sets,
            signatures,
            crowding,
            templates,
        })
    }

    fn __len__(&self) -> usize {
        self.docs.len()
    }

    /// The verified pairs that meet first in `band`, among the documents of the table
    /// (with shingles) whose key in `band` is `group` modulo `groups`: `a < b` (document
    /// numbers), `jaccard`, `containment` and `match` (0 Jaccard, 1 containment; 2 for a
    /// pair whose figures conflict, kept apart in clusters, with NaN measures). Whole
    /// buckets, so the `groups` calls of a band find its pairs between them, with no
    /// bucket rows made or moved.
    fn group_pairs<'py>(
        &self,
        py: Python<'py>,
        band: usize,
        group: u64,
        groups: u64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let lsh = self.pipeline.lsh();
        if band >= lsh.bands || groups == 0 || group >= groups {
            return Err(PyValueError::new_err(format!(
                "group_pairs: band {band} of {}, group {group} of {groups}",
                lsh.bands
            )));
        }
        let local: Vec<u32> = py.detach(|| {
            (0..self.sets.len())
                .filter(|&i| {
                    !self.sets.get(i).is_empty()
                        && band_key(self.signatures.row(i), lsh, band) % groups == group
                })
                .map(|i| i as u32)
                .collect()
        });
        self.pairs_among(py, band, &local)
    }
}

impl SketchTable {
    /// The verified pairs among table rows `local` (sorted) that meet first in `band`.
    fn pairs_among<'py>(
        &self,
        py: Python<'py>,
        band: usize,
        local: &[u32],
    ) -> PyResult<Bound<'py, PyDict>> {
        let found = py
            .detach(|| {
                let corpus = neardup::pipeline::CorpusSketches {
                    sets: &self.sets,
                    signatures: &self.signatures,
                    templates: self.templates.as_ref(),
                };
                self.pipeline
                    .band_pairs(corpus, &self.crowding, band, local)
            })
            .map_err(py_err)?;
        let global = |i: u32| self.docs[i as usize];
        let rows = found.pairs.len() + found.apart.len();
        let (mut a, mut b, mut j, mut c, mut m) = (
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
        );
        for p in &found.pairs {
            a.push(global(p.a));
            b.push(global(p.b));
            j.push(p.jaccard);
            c.push(p.containment);
            m.push(i8::from(p.kind == MatchKind::Containment));
        }
        for &(x, y) in &found.apart {
            a.push(global(x));
            b.push(global(y));
            j.push(f64::NAN);
            c.push(f64::NAN);
            m.push(APART);
        }
        let out = PyDict::new(py);
        out.set_item("a", a.into_pyarray(py))?;
        out.set_item("b", b.into_pyarray(py))?;
        out.set_item("jaccard", j.into_pyarray(py))?;
        out.set_item("containment", c.into_pyarray(py))?;
        out.set_item("match", m.into_pyarray(py))?;
        Ok(out)
    }
}
