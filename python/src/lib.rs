//! neardup's Python bindings (`neardup._native`). The public Python API is the `neardup`
//! package around this module: it turns these arrays into pyarrow tables and ids.
//!
//! Every call that does real work releases the GIL and runs on rayon threads (`threads`:
//! a pool of that size, else the global pool). Texts come in as a sequence of `str` (copied
//! once) or as an Arrow string array or chunked array (`__arrow_c_array__` /
//! `__arrow_c_stream__`: read in place, no copy of the text).

use std::borrow::Cow;
use std::path::PathBuf;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use neardup::cluster::{MatchKind, SetAside};
use neardup::tfidf::NeighbourRerank;
use neardup::{
    Analyzer, Archive, ArchiveSearcher, BandIndex, Document, Keep, LshParams, MinHasher, Pipeline,
    Ranker, ShingleKind, Shingler, SketchKind, TemplateRule, TfidfModel,
};
use neardup::{Cluster, VerifiedPair};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use rayon::prelude::*;

mod parts;

create_exception!(
    _native,
    IndexFileError,
    PyException,
    "An index file is damaged, truncated, not an index, or of another format version."
);

/// A library error as the Python exception a user expects: bad settings and bad input are
/// `ValueError`s, unreadable files `OSError`s, damaged indexes `IndexFileError`s; the
/// message is the CLI's.
fn py_err(e: neardup::Error) -> PyErr {
    let msg = e.to_string();
    match e {
        neardup::Error::Io { .. } => PyOSError::new_err(msg),
        neardup::Error::Index { .. } => IndexFileError::new_err(msg),
        _ => PyValueError::new_err(msg),
    }
}

/// Runs `f` without the GIL, on a pool of `threads` threads (or the global pool).
fn run<T: Send>(
    py: Python<'_>,
    threads: Option<usize>,
    f: impl FnOnce() -> neardup::Result<T> + Send,
) -> PyResult<T> {
    let out = py.detach(|| match threads {
        None => Ok(f()),
        Some(0) => Err("threads must be at least 1".to_string()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(|pool| pool.install(f))
            .map_err(|e| e.to_string()),
    });
    match out {
        Ok(r) => r.map_err(py_err),
        Err(msg) => Err(PyValueError::new_err(msg)),
    }
}

/// A column of texts, read in place: Arrow chunks, or Python strings' own UTF-8 buffers.
enum Texts {
    Arrow(Vec<ArrayRef>),
    /// Strings borrowed from Python `str` objects that `_keep` holds alive.
    Python {
        _keep: Vec<Py<PyString>>,
        strs: Vec<&'static str>,
    },
}

impl Texts {
    fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Texts> {
        if obj.hasattr("__arrow_c_stream__")? || obj.hasattr("__arrow_c_array__")? {
            let any: pyo3_arrow::input::AnyArray = obj.extract()?;
            let (chunks, _) = any
                .into_chunked_array()
                .map_err(|e| PyTypeError::new_err(format!("texts: {e}")))?
                .into_inner();
            for c in &chunks {
                let t = c.data_type();
                if !matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
                    return Err(PyTypeError::new_err(format!(
                        "texts: an Arrow column of strings is needed, not {t}"
                    )));
                }
            }
            return Ok(Texts::Arrow(chunks));
        }
        if obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "texts: a sequence of strings is needed, not one string",
            ));
        }
        let n = obj.len().unwrap_or(0);
        let (mut keep, mut strs) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (i, item) in obj.try_iter()?.enumerate() {
            let item = item?;
            if item.is_none() {
                strs.push("");
                continue;
            }
            let s = item.cast_into::<PyString>().map_err(|e| {
                let item = e.into_inner();
                PyTypeError::new_err(format!(
                    "texts[{i}]: a str is needed, not {}",
                    item.get_type().name().map_or("?".into(), |n| n.to_string())
                ))
            })?;
            let text: &str = s.to_str()?;
            // SAFETY: a `str` is immutable, and its UTF-8 buffer (the string's own data for
            // ASCII, else a cached copy) is owned by the object and freed only with it;
            // `keep` holds a strong reference to every object for as long as the `Texts`
            // lives, and the slices only ever leave it as borrows of `&self`
            // (`Texts::strs`), so none outlives its object. Reading immutable bytes needs
            // no GIL.
            let text: &'static str = unsafe { std::mem::transmute::<&str, &'static str>(text) };
            strs.push(text);
            keep.push(s.unbind());
        }
        Ok(Texts::Python { _keep: keep, strs })
    }

    /// The texts as slices (a null is an empty text).
    fn strs(&self) -> Vec<&str> {
        match self {
            Texts::Python { strs, .. } => strs.clone(),
            Texts::Arrow(chunks) => {
                let mut out = Vec::new();
                for c in chunks {
                    let n = c.len();
                    let get = |i: usize| !c.is_null(i);
                    match c.data_type() {
                        DataType::Utf8 => {
                            let a = c.as_string::<i32>();
                            out.extend((0..n).map(|i| if get(i) { a.value(i) } else { "" }));
                        }
                        DataType::LargeUtf8 => {
                            let a = c.as_string::<i64>();
                            out.extend((0..n).map(|i| if get(i) { a.value(i) } else { "" }));
                        }
                        _ => {
                            let a = c.as_string_view();
                            out.extend((0..n).map(|i| if get(i) { a.value(i) } else { "" }));
                        }
                    }
                }
                out
            }
        }
    }
}

/// In-memory documents: ids as given (or the row numbers), texts borrowed.
fn documents<'a>(texts: &[&'a str], ids: &'a Option<Vec<String>>) -> Vec<Document<'a>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d = match ids {
                Some(ids) => Document::new(ids[i].as_str(), *t),
                None => Document::new(Cow::Owned(i.to_string()), *t),
            };
            d.id_is_number = ids.is_none();
            d
        })
        .collect()
}

/// Optional metadata columns of in-memory documents (one entry per text, `None` for none).
#[derive(Default)]
struct Meta {
    titles: Option<Vec<Option<String>>>,
    outlets: Option<Vec<Option<String>>>,
    dates: Option<Vec<Option<String>>>,
    urls: Option<Vec<Option<String>>>,
}

impl Meta {
    fn check(&self, n: usize) -> PyResult<()> {
        for (name, col) in [
            ("titles", &self.titles),
            ("outlets", &self.outlets),
            ("dates", &self.dates),
            ("urls", &self.urls),
        ] {
            if let Some(c) = col
                && c.len() != n
            {
                return Err(PyValueError::new_err(format!(
                    "{name}: {} values for {n} texts",
                    c.len()
                )));
            }
        }
        Ok(())
    }

    /// Sets document `i`'s metadata from the columns.
    fn apply<'a>(&'a self, i: usize, d: &mut Document<'a>) {
        let get = |c: &'a Option<Vec<Option<String>>>| {
            c.as_ref().and_then(|c| c[i].as_deref()).map(Cow::Borrowed)
        };
        d.title = get(&self.titles);
        d.outlet = get(&self.outlets);
        d.date = get(&self.dates);
        d.url = get(&self.urls);
    }
}

fn check_ids(n: usize, ids: &Option<Vec<String>>) -> PyResult<()> {
    match ids {
        Some(ids) if ids.len() != n => Err(PyValueError::new_err(format!(
            "ids: {} ids for {n} texts",
            ids.len()
        ))),
        _ => Ok(()),
    }
}

/// A setting read as the CLI reads it; the library's error already names the setting.
fn parse<T: std::str::FromStr<Err = neardup::Error>>(s: &str) -> PyResult<T> {
    s.parse().map_err(py_err)
}

/// The dedup settings, named as the CLI's flags (a dict from the Python side).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Settings {
    threshold: f64,
    containment: Option<f64>,
    min_contained: usize,
    shingle: String,
    num_perm: usize,
    seed: u64,
    sketch: String,
    bucket_cap: Option<u32>,
    template_df: String,
    max_bucket: Option<u32>,
}

impl Settings {
    fn pipeline(&self) -> PyResult<Pipeline> {
        Pipeline::builder()
            .threshold(self.threshold)
            .containment(self.containment)
            .min_contained(self.min_contained)
            .shingle(parse::<ShingleKind>(&self.shingle)?)
            .num_perm(self.num_perm)
            .seed(self.seed)
            .sketch(parse::<SketchKind>(&self.sketch)?)
            .bucket_cap(self.bucket_cap)
            .max_bucket(self.max_bucket)
            .templates(parse::<TemplateRule>(&self.template_df)?)
            .build()
            .map_err(py_err)
    }
}

fn match_name(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Jaccard => "jaccard",
        MatchKind::Containment => "containment",
    }
}

/// Checks settings without texts: the error a call with texts would raise.
#[pyfunction]
fn validate(settings: Settings) -> PyResult<()> {
    settings.pipeline().map(|_| ())
}

/// Sketches the texts, then finds and verifies their near-duplicate pairs; with
/// `clusters`, also joins them (singletons included).
/// What [`find_pairs`] found: the number of texts, the pairs, the clusters (if asked) and
/// which texts `keep` keeps (if asked).
type Found = (usize, Vec<VerifiedPair>, Vec<Cluster>, Option<Vec<bool>>);

/// What a [`find_pairs`] call asks for beyond the pairs.
#[derive(Default)]
struct Ask {
    /// The clusters too.
    clusters: bool,
    /// The texts' dates (for `keep`, and the publication day among the figures).
    dates: Option<Vec<Option<String>>>,
    /// Which texts this rule keeps.
    keep: Option<Keep>,
}

fn find_pairs(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    ids: Option<Vec<String>>,
    settings: &Settings,
    threads: Option<usize>,
    ask: Ask,
) -> PyResult<Found> {
    let Ask {
        clusters,
        dates,
        keep,
    } = ask;
    let pipeline = settings.pipeline()?;
    let texts = Texts::from_py(texts)?;
    let strs = texts.strs();
    check_ids(strs.len(), &ids)?;
    if let Some(d) = &dates
        && d.len() != strs.len()
    {
        return Err(PyValueError::new_err(format!(
            "dates: {} dates for {} texts",
            d.len(),
            strs.len()
        )));
    }
    let (pairs, clusters, kept) = run(py, threads, || {
        let mut docs = documents(&strs, &ids);
        if let Some(dates) = &dates {
            for (d, date) in docs.iter_mut().zip(dates) {
                d.date = date.as_deref().map(Cow::Borrowed);
            }
        }
        let corpus = pipeline.sketch_corpus(&docs, |_| {})?;
        let found = pipeline.find_pairs(&corpus);
        let clusters = match clusters {
            true => pipeline.clusters(&corpus, &found, true),
            false => Vec::new(),
        };
        let pairs = found.pairs;
        let kept = keep.map(|k| k.kept(corpus.docs.len(), &corpus.docs, &clusters));
        Ok((pairs, clusters, kept))
    })?;
    Ok((strs.len(), pairs, clusters, kept))
}

/// Near-duplicate pairs: document numbers `a < b`, their Jaccard and containment, and
/// which rule matched (0 Jaccard, 1 containment), in pair order.
#[pyfunction]
#[pyo3(signature = (texts, ids, settings, threads, dates=None))]
fn pairs<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    ids: Option<Vec<String>>,
    settings: Settings,
    threads: Option<usize>,
    dates: Option<Vec<Option<String>>>,
) -> PyResult<Bound<'py, PyDict>> {
    let ask = Ask {
        dates,
        ..Ask::default()
    };
    let (_, found, _, _) = find_pairs(py, texts, ids, &settings, threads, ask)?;
    let column = |f: &dyn Fn(&VerifiedPair) -> f64| found.iter().map(f).collect::<Vec<f64>>();
    let out = PyDict::new(py);
    out.set_item(
        "a",
        found
            .iter()
            .map(|p| p.a)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "b",
        found
            .iter()
            .map(|p| p.b)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item("jaccard", column(&|p| p.jaccard).into_pyarray(py))?;
    out.set_item("containment", column(&|p| p.containment).into_pyarray(py))?;
    out.set_item(
        "match",
        found
            .iter()
            .map(|p| u8::from(p.kind == MatchKind::Containment))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    Ok(out)
}

/// Clusters of copies, one row per document: its cluster (numbered in order of each
/// cluster's first document, singletons included), the cluster's size, the member it was
/// joined to (-1 for a cluster's first) with that pair's score and rule (-1: none).
#[pyfunction]
#[pyo3(signature = (texts, ids, settings, threads, dates=None, keep=None))]
fn cluster<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    ids: Option<Vec<String>>,
    settings: Settings,
    threads: Option<usize>,
    dates: Option<Vec<Option<String>>>,
    keep: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let keep = keep.map(|k| parse::<Keep>(&k)).transpose()?;
    let ask = Ask {
        clusters: true,
        dates,
        keep,
    };
    let (n, _, clusters, kept) = find_pairs(py, texts, ids, &settings, threads, ask)?;
    let mut cluster = vec![0i64; n];
    let mut size = vec![0i64; n];
    let mut joined = vec![-1i64; n];
    let mut score = vec![f64::NAN; n];
    let mut rule = vec![-1i8; n];
    for c in &clusters {
        for m in &c.members {
            let d = m.doc as usize;
            cluster[d] = i64::from(c.id);
            size[d] = c.members.len() as i64;
            if let Some(p) = m.joined_by {
                joined[d] = i64::from(if p.a == m.doc { p.b } else { p.a });
                score[d] = p.score();
                rule[d] = i8::from(p.kind == MatchKind::Containment);
            }
        }
    }
    let out = PyDict::new(py);
    out.set_item("cluster", cluster.into_pyarray(py))?;
    out.set_item("size", size.into_pyarray(py))?;
    out.set_item("joined_by", joined.into_pyarray(py))?;
    out.set_item("score", score.into_pyarray(py))?;
    out.set_item("match", rule.into_pyarray(py))?;
    if let Some(kept) = kept {
        out.set_item("keep", kept.into_pyarray(py))?;
    }
    Ok(out)
}

/// Every document's `top` most related documents: rows (doc, neighbour, rank from 1,
/// cosine, score), best first per document. `rerank_neighbours = 0` ranks by cosine alone.
#[pyfunction]
#[pyo3(signature = (texts, ids, top, rerank_neighbours, threads))]
fn rank<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    ids: Option<Vec<String>>,
    top: usize,
    rerank_neighbours: usize,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let rerank = match rerank_neighbours {
        0 => None,
        k => Some(NeighbourRerank::new(k, neardup::tfidf::DEFAULT_RERANK_WEIGHT).map_err(py_err)?),
    };
    let ranker = Ranker::new(TfidfModel::builder()).rerank(rerank);
    let texts = Texts::from_py(texts)?;
    let strs = texts.strs();
    check_ids(strs.len(), &ids)?;
    let lists = run(py, threads, || {
        let docs = documents(&strs, &ids);
        let corpus = ranker.vectorize_corpus(&docs, |_| {})?;
        Ok(ranker.neighbours(&corpus, top))
    })?;
    let (mut doc, mut nb, mut rk, mut cos, mut sc) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (d, list) in lists.iter().enumerate() {
        for (r, n) in list.iter().enumerate() {
            doc.push(d as u32);
            nb.push(n.doc);
            rk.push(r as u32 + 1);
            cos.push(n.cosine);
            sc.push(n.score);
        }
    }
    let out = PyDict::new(py);
    out.set_item("doc", doc.into_pyarray(py))?;
    out.set_item("neighbour", nb.into_pyarray(py))?;
    out.set_item("rank", rk.into_pyarray(py))?;
    out.set_item("cosine", cos.into_pyarray(py))?;
    out.set_item("score", sc.into_pyarray(py))?;
    Ok(out)
}

/// Jaccard (exact and estimated), containment both ways, cosine (idf from the two texts)
/// and whether the pair counts as a near-duplicate, decided as `pairs` decides on the two
/// (published on `date_a` and `date_b` when given).
#[pyfunction]
#[pyo3(signature = (a, b, settings, date_a=None, date_b=None))]
fn compare<'py>(
    py: Python<'py>,
    a: &str,
    b: &str,
    settings: Settings,
    date_a: Option<&str>,
    date_b: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let pipeline = settings.pipeline()?;
    fn document<'d>(id: &'d str, text: &'d str, date: Option<&'d str>) -> PyResult<Document<'d>> {
        let mut d = Document::new(id, text);
        if neardup::corpus::given_day(date)
            .map_err(PyValueError::new_err)?
            .is_some()
        {
            d.date = date.map(Into::into);
        }
        Ok(d)
    }
    let (da, db) = (document("a", a, date_a)?, document("b", b, date_b)?);
    let c = run(py, Some(1), || {
        pipeline.compare_documents(&da, &db, None, &TfidfModel::builder())
    })?;
    let out = PyDict::new(py);
    out.set_item("shingles_a", c.shingles_a)?;
    out.set_item("shingles_b", c.shingles_b)?;
    out.set_item("shared_shingles", c.shared_shingles)?;
    out.set_item("jaccard", c.jaccard)?;
    out.set_item("jaccard_estimate", c.jaccard_estimate)?;
    out.set_item("estimate_std_error", c.estimate_std_error)?;
    out.set_item("containment_a_in_b", c.containment_a_in_b)?;
    out.set_item("containment_b_in_a", c.containment_b_in_a)?;
    out.set_item("cosine", c.cosine)?;
    match c.near_duplicate {
        Some(kind) => out.set_item("near_duplicate", match_name(kind))?,
        None => out.set_item("near_duplicate", false)?,
    }
    let set_aside = c.set_aside.map(|s| match s {
        SetAside::Template => "template",
        SetAside::Figures => "figures",
    });
    out.set_item("set_aside", set_aside)?;
    Ok(out)
}

/// Texts to MinHash signatures, exactly as the CLI sketches them.
#[pyclass(module = "neardup._native", frozen)]
struct Sketcher {
    analyzer: Analyzer,
    shingler: Shingler,
    hasher: MinHasher,
    shingle: String,
    sketch: String,
}

#[pymethods]
impl Sketcher {
    #[new]
    #[pyo3(signature = (num_perm, seed, sketch, shingle))]
    fn new(num_perm: usize, seed: u64, sketch: &str, shingle: &str) -> PyResult<Self> {
        let kind = parse::<SketchKind>(sketch)?;
        let shingle_kind = parse::<ShingleKind>(shingle)?;
        let hasher = MinHasher::builder()
            .num_perm(num_perm)
            .seed(seed)
            .kind(kind)
            .build()
            .map_err(py_err)?;
        Ok(Sketcher {
            analyzer: Analyzer::default(),
            shingler: Shingler::new(shingle_kind),
            hasher,
            shingle: shingle_kind.to_string(),
            sketch: kind.to_string(),
        })
    }

    /// Slots per signature.
    #[getter]
    fn num_perm(&self) -> usize {
        self.hasher.num_perm()
    }

    /// The seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.hasher.params().seed
    }

    /// The sketch kind, as the CLI's `--sketch` names it.
    #[getter]
    fn sketch(&self) -> &str {
        &self.sketch
    }

    /// The shingle kind, as the CLI's `--shingle` names it.
    #[getter]
    fn shingle(&self) -> &str {
        &self.shingle
    }

    /// An `n × num_perm` uint32 matrix, one signature per text.
    #[pyo3(signature = (texts, threads=None))]
    fn sketch_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyArray2<u32>>> {
        let texts = Texts::from_py(texts)?;
        let strs = texts.strs();
        let k = self.hasher.num_perm();
        let flat = run(py, threads, || {
            let mut flat = vec![0u32; strs.len() * k];
            flat.par_chunks_mut(k.max(1))
                .zip(strs.par_iter())
                .for_each_init(
                    || (Default::default(), Vec::new()),
                    |(scratch, shingles): &mut (neardup::shingle::ShingleScratch, Vec<u64>),
                     (out, text)| {
                        shingles.clear();
                        self.shingler
                            .shingles_into(&self.analyzer, text, scratch, shingles);
                        self.hasher.sketch_into(shingles, out);
                    },
                );
            Ok(flat)
        })?;
        flat.into_pyarray(py).reshape([strs.len(), k])
    }

    /// The signature of one text.
    fn sketch_one<'py>(&self, py: Python<'py>, text: &str) -> Bound<'py, PyArray1<u32>> {
        let set = self.shingler.shingle_set(&self.analyzer, text);
        self.hasher.signature(&set).into_pyarray(py)
    }
}

/// Estimated Jaccard similarity of two signatures (the share of equal slots).
#[pyfunction]
fn estimate_jaccard(a: PyReadonlyArray1<'_, u32>, b: PyReadonlyArray1<'_, u32>) -> PyResult<f64> {
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    if a.len() != b.len() || a.is_empty() {
        return Err(PyValueError::new_err(format!(
            "signatures of {} and {} slots cannot be compared",
            a.len(),
            b.len()
        )));
    }
    Ok(neardup::estimate_jaccard(a, b))
}

/// Each row's estimated Jaccard similarity to `signature`.
#[pyfunction]
fn estimate_jaccard_many<'py>(
    py: Python<'py>,
    matrix: PyReadonlyArray2<'py, u32>,
    signature: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let s = signature.as_slice()?;
    let m = matrix.as_array();
    if m.ncols() != s.len() {
        return Err(PyValueError::new_err(format!(
            "signatures of {} and {} slots cannot be compared",
            m.ncols(),
            s.len()
        )));
    }
    let out: Vec<f64> = m
        .rows()
        .into_iter()
        .map(|row| {
            let equal = row.iter().zip(s).filter(|(x, y)| x == y).count();
            equal as f64 / s.len() as f64
        })
        .collect();
    Ok(out.into_pyarray(py))
}

/// The LSH banding index over slot numbers; keys live in the Python class around it.
#[pyclass(module = "neardup._native")]
struct BandTable {
    index: BandIndex,
    params: LshParams,
    signatures: std::collections::HashMap<u32, Vec<u32>>,
}

#[pymethods]
impl BandTable {
    #[new]
    #[pyo3(signature = (num_perm, threshold, bands=None, rows=None))]
    fn new(
        num_perm: usize,
        threshold: f64,
        bands: Option<usize>,
        rows: Option<usize>,
    ) -> PyResult<Self> {
        let params = match (bands, rows) {
            (Some(b), Some(r)) => LshParams::new(b, r, num_perm),
            (None, None) => {
                LshParams::from_threshold(threshold, num_perm, neardup::lsh::DEFAULT_MIN_RECALL)
            }
            _ => {
                return Err(PyValueError::new_err(
                    "bands and rows go together (or neither, to choose from the threshold)",
                ));
            }
        }
        .map_err(py_err)?;
        Ok(BandTable {
            index: BandIndex::new(params),
            params,
            signatures: Default::default(),
        })
    }

    #[getter]
    fn bands(&self) -> usize {
        self.params.bands
    }

    #[getter]
    fn rows(&self) -> usize {
        self.params.rows
    }

    fn insert(&mut self, slot: u32, signature: PyReadonlyArray1<'_, u32>) -> PyResult<()> {
        let s = signature.as_slice()?;
        if s.len() < self.params.slots() {
            return Err(PyValueError::new_err(format!(
                "a signature of {} slots is too short for {} bands x {} rows",
                s.len(),
                self.params.bands,
                self.params.rows
            )));
        }
        self.index.insert(slot, s);
        self.signatures.insert(slot, s.to_vec());
        Ok(())
    }

    fn remove(&mut self, slot: u32) -> bool {
        match self.signatures.remove(&slot) {
            Some(s) => self.index.remove(slot, &s),
            None => false,
        }
    }

    fn query<'py>(
        &self,
        py: Python<'py>,
        signature: PyReadonlyArray1<'py, u32>,
    ) -> PyResult<Bound<'py, PyArray1<u32>>> {
        let s = signature.as_slice()?;
        if s.len() < self.params.slots() {
            return Err(PyValueError::new_err(format!(
                "a signature of {} slots is too short for {} bands x {} rows",
                s.len(),
                self.params.bands,
                self.params.rows
            )));
        }
        let mut found = self.index.query(s);
        found.sort_unstable();
        Ok(found.into_pyarray(py))
    }
}

/// A persistent index: an index folder (segments that grow, shrink and merge) or a single
/// index file, opened memory-mapped, queried, extended.
#[pyclass(module = "neardup._native")]
struct IndexHandle {
    path: PathBuf,
    archive: Archive,
}

/// The documents `texts` with `ids` and metadata.
fn documents_with<'a>(
    strs: &[&'a str],
    ids: &'a Option<Vec<String>>,
    meta: &'a Meta,
) -> Vec<Document<'a>> {
    let mut docs = documents(strs, ids);
    for (i, d) in docs.iter_mut().enumerate() {
        meta.apply(i, d);
    }
    docs
}

/// `ValueError` for an operation only an index folder has.
fn folder_only(path: &std::path::Path, what: &str) -> PyErr {
    PyValueError::new_err(format!(
        "{}: {what} an index folder only (Index.build without single_file=True)",
        path.display()
    ))
}

#[pymethods]
impl IndexHandle {
    /// Builds the index of `texts` at `path`: a folder of segments, or with `single_file`
    /// one index file (written atomically either way).
    #[staticmethod]
    #[pyo3(signature = (path, texts, ids, settings, threads, single_file=false, titles=None, outlets=None, dates=None, urls=None))]
    #[allow(clippy::too_many_arguments)]
    fn build(
        py: Python<'_>,
        path: PathBuf,
        texts: &Bound<'_, PyAny>,
        ids: Option<Vec<String>>,
        settings: Settings,
        threads: Option<usize>,
        single_file: bool,
        titles: Option<Vec<Option<String>>>,
        outlets: Option<Vec<Option<String>>>,
        dates: Option<Vec<Option<String>>>,
        urls: Option<Vec<Option<String>>>,
    ) -> PyResult<IndexHandle> {
        let meta = Meta {
            titles,
            outlets,
            dates,
            urls,
        };
        let pipeline = settings.pipeline()?;
        let texts = Texts::from_py(texts)?;
        let strs = texts.strs();
        check_ids(strs.len(), &ids)?;
        meta.check(strs.len())?;
        if single_file && path.is_dir() {
            return Err(PyValueError::new_err(format!(
                "{}: is a folder (an index folder?): single_file=True writes a file",
                path.display()
            )));
        }
        run(py, threads, || {
            let docs = documents_with(&strs, &ids, &meta);
            if single_file {
                return neardup::build_index(
                    &path,
                    &pipeline,
                    TfidfModel::builder(),
                    &docs,
                    |_| {},
                )
                .map(|_| ());
            }
            let settings = pipeline.index_settings(TfidfModel::builder());
            Archive::create(&path, &settings, pipeline.index_contents(&docs, |_| {})?).map(|_| ())
        })?;
        IndexHandle::open(py, path)
    }

    /// Opens the index folder or file at `path` (memory-mapped).
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<IndexHandle> {
        let archive = py.detach(|| Archive::open(&path)).map_err(py_err)?;
        Ok(IndexHandle { path, archive })
    }

    /// Opens the latest committed state again (another writer's changes included).
    fn refresh(&mut self, py: Python<'_>) -> PyResult<()> {
        let path = &self.path;
        self.archive = py.detach(|| Archive::open(path)).map_err(py_err)?;
        Ok(())
    }

    /// Adds documents (ids must stay unique among the live ones): a new segment of a
    /// folder, or a single file rewritten; then opens the new state.
    #[pyo3(signature = (texts, ids, threads, titles=None, outlets=None, dates=None, urls=None))]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        ids: Option<Vec<String>>,
        threads: Option<usize>,
        titles: Option<Vec<Option<String>>>,
        outlets: Option<Vec<Option<String>>>,
        dates: Option<Vec<Option<String>>>,
        urls: Option<Vec<Option<String>>>,
    ) -> PyResult<()> {
        let meta = Meta {
            titles,
            outlets,
            dates,
            urls,
        };
        let texts = Texts::from_py(texts)?;
        let strs = texts.strs();
        check_ids(strs.len(), &ids)?;
        meta.check(strs.len())?;
        let ids = match ids {
            Some(ids) => Some(ids),
            // Numbers from the count of document numbers on, skipping live ids.
            None => {
                let mut out = Vec::with_capacity(strs.len());
                let mut n = self.archive.len();
                while out.len() < strs.len() {
                    let id = n.to_string();
                    if self.archive.find_id(&id).map_err(py_err)?.is_none() {
                        out.push(id);
                    }
                    n += 1;
                }
                Some(out)
            }
        };
        let path = self.path.clone();
        let folder = self.archive.is_folder();
        let pipeline = Pipeline::from_index(self.archive.settings()).map_err(py_err)?;
        run(py, threads, || {
            let contents = pipeline.index_contents(&documents_with(&strs, &ids, &meta), |_| {})?;
            match folder {
                true => Archive::add(&path, contents).map(|_| ()),
                false => neardup::pipeline::add_contents_to_index(&path, contents).map(|_| ()),
            }
        })?;
        self.refresh(py)
    }

    /// Deletes the live documents with these ids (a folder only); returns the ids not
    /// found.
    fn remove(&mut self, py: Python<'_>, ids: Vec<String>) -> PyResult<Vec<String>> {
        if !self.archive.is_folder() {
            return Err(folder_only(&self.path, "documents can be removed from"));
        }
        let path = &self.path;
        let (_, missing) = py.detach(|| Archive::remove(path, &ids)).map_err(py_err)?;
        self.refresh(py)?;
        Ok(missing)
    }

    /// Rewrites the folder as one segment without its deleted documents.
    fn merge(&mut self, py: Python<'_>) -> PyResult<()> {
        if !self.archive.is_folder() {
            return Err(folder_only(&self.path, "merge applies to"));
        }
        let path = &self.path;
        py.detach(|| Archive::merge(path)).map_err(py_err)?;
        self.refresh(py)
    }

    /// Live documents.
    fn __len__(&self) -> usize {
        self.archive.live()
    }

    /// The path.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Every live document's id, in index order.
    fn ids(&self) -> PyResult<Vec<String>> {
        let mut out = Vec::with_capacity(self.archive.live());
        for d in 0..self.archive.len() as u32 {
            if !self.archive.is_deleted(d).map_err(py_err)? {
                out.push(self.archive.doc(d).map_err(py_err)?.id.into());
            }
        }
        Ok(out)
    }

    /// The metadata of the given documents: (ids, titles, outlets, dates, urls).
    #[allow(clippy::type_complexity)]
    fn docs(
        &self,
        docs: Vec<u32>,
    ) -> PyResult<(
        Vec<String>,
        Vec<Option<String>>,
        Vec<Option<String>>,
        Vec<Option<String>>,
        Vec<Option<String>>,
    )> {
        let mut out = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for d in docs {
            let m = self.archive.doc(d).map_err(py_err)?;
            out.0.push(m.id.into());
            out.1.push(m.title.map(String::from));
            out.2.push(m.outlet.map(String::from));
            out.3.push(m.date.map(String::from));
            out.4.push(m.url.map(String::from));
        }
        Ok(out)
    }

    /// The recorded settings, as the CLI's `index info` shows them, and the state: live
    /// and deleted documents, segments, the commit's generation, whether it is a folder.
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = self.archive.manifest();
        let h = &m.settings;
        let (all, deleted) = m.documents();
        let out = PyDict::new(py);
        out.set_item("documents", all - deleted)?;
        out.set_item("deleted", deleted)?;
        out.set_item("segments", m.segments.len())?;
        out.set_item("generation", m.generation)?;
        out.set_item("folder", self.archive.is_folder())?;
        out.set_item("shingle", &h.shingle)?;
        out.set_item("sketch", &h.sketch)?;
        out.set_item("num_perm", h.num_perm)?;
        out.set_item("seed", h.seed)?;
        out.set_item("bands", h.bands)?;
        out.set_item("rows", h.rows)?;
        out.set_item("threshold", h.threshold)?;
        out.set_item("containment", h.containment)?;
        out.set_item("min_contained", h.min_contained)?;
        out.set_item("written_by", &h.written_by)?;
        Ok(out)
    }

    /// Near-duplicates of `text` (doc, jaccard, containment, rule) and its `top` most
    /// related documents (doc, cosine), best first; published on `date` when given (any
    /// form the readers take; `ValueError` when it cannot be read).
    #[pyo3(signature = (text, top, bucket_cap, date=None))]
    fn query<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        top: usize,
        bucket_cap: Option<u32>,
        date: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let day = neardup::corpus::given_day(date).map_err(PyValueError::new_err)?;
        let archive = &self.archive;
        let found = py
            .detach(|| {
                ArchiveSearcher::new(archive)?
                    .with_bucket_cap(bucket_cap)
                    .query_dated(text, day, top)
            })
            .map_err(py_err)?;
        query_result(py, &found)
    }

    /// As [`query`](Self::query), for the live document with this id (left out of its
    /// own answer); `KeyError` when there is none.
    #[pyo3(signature = (id, top, bucket_cap))]
    fn similar<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        top: usize,
        bucket_cap: Option<u32>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let archive = &self.archive;
        let found = py
            .detach(|| -> neardup::Result<_> {
                let Some(d) = archive.find_id(id)? else {
                    return Ok(None);
                };
                ArchiveSearcher::new(archive)?
                    .with_bucket_cap(bucket_cap)
                    .query_doc(d, top)
                    .map(Some)
            })
            .map_err(py_err)?;
        match found {
            Some(found) => query_result(py, &found),
            None => Err(PyKeyError::new_err(format!(
                "no live document with id {id:?} in {}",
                self.path.display()
            ))),
        }
    }
}

/// A query's answer as arrays: near-duplicates (doc, jaccard, containment, rule) and
/// related documents (doc, cosine), best first.
fn query_result<'py>(
    py: Python<'py>,
    found: &neardup::QueryResult,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let d = &found.duplicates;
    out.set_item(
        "dup_doc",
        d.iter().map(|m| m.doc).collect::<Vec<_>>().into_pyarray(py),
    )?;
    out.set_item(
        "dup_jaccard",
        d.iter()
            .map(|m| m.jaccard)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "dup_containment",
        d.iter()
            .map(|m| m.containment)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "dup_match",
        d.iter()
            .map(|m| u8::from(m.kind == MatchKind::Containment))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    let r = &found.related;
    out.set_item(
        "rel_doc",
        r.iter().map(|n| n.doc).collect::<Vec<_>>().into_pyarray(py),
    )?;
    out.set_item(
        "rel_cosine",
        r.iter()
            .map(|n| n.cosine)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item("candidates", found.candidates)?;
    out.set_item("set_aside", found.set_aside)?;
    Ok(out)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pairs, m)?)?;
    m.add_function(wrap_pyfunction!(cluster, m)?)?;
    m.add_function(wrap_pyfunction!(rank, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_jaccard_many, m)?)?;
    m.add_function(wrap_pyfunction!(parts::sketch_part, m)?)?;
    m.add_function(wrap_pyfunction!(parts::band_counts_part, m)?)?;
    m.add_function(wrap_pyfunction!(parts::merge_band_counts, m)?)?;
    m.add_function(wrap_pyfunction!(parts::bucket_keys_part, m)?)?;
    m.add_function(wrap_pyfunction!(parts::verify_part, m)?)?;
    m.add_function(wrap_pyfunction!(parts::bucket_walk, m)?)?;
    m.add_function(wrap_pyfunction!(parts::band_count, m)?)?;
    m.add_function(wrap_pyfunction!(parts::template_sample_step, m)?)?;
    m.add_class::<parts::TemplateTable>()?;
    m.add_function(wrap_pyfunction!(parts::first_band_part, m)?)?;
    m.add_function(wrap_pyfunction!(parts::spanning_tree, m)?)?;
    m.add_function(wrap_pyfunction!(parts::published, m)?)?;
    m.add_class::<parts::SketchTable>()?;
    m.add_class::<Sketcher>()?;
    m.add_class::<BandTable>()?;
    m.add_class::<IndexHandle>()?;
    m.add("IndexFileError", m.py().get_type::<IndexFileError>())?;
    m.add("DEFAULT_THRESHOLD", neardup::DEFAULT_THRESHOLD)?;
    m.add("DEFAULT_CONTAINMENT", neardup::DEFAULT_CONTAINMENT)?;
    m.add("DEFAULT_MAX_BUCKET", neardup::lsh::DEFAULT_MAX_BUCKET)?;
    m.add(
        "DEFAULT_MIN_CONTAINED",
        neardup::pipeline::DEFAULT_MIN_CONTAINED,
    )?;
    m.add("DEFAULT_BUCKET_CAP", neardup::lsh::DEFAULT_BUCKET_CAP)?;
    m.add(
        "DEFAULT_RERANK_NEIGHBOURS",
        neardup::tfidf::DEFAULT_RERANK_NEIGHBOURS,
    )?;
    Ok(())
}
