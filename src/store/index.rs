//! The index: documents' metadata, shingle sets, MinHash signatures and LSH band tables,
//! and the TF-IDF model with its postings, in one [`IndexFile`] container.
//!
//! Sections (format version 2; `n` documents, `m` of them non-empty, `T` terms):
//!
//! | section | type | content |
//! |---|---|---|
//! | `docs.offsets`, `docs.meta` | u64 (n+1), u8 | one JSON object per document: id, title, outlet, date, url |
//! | `docs.id_hashes`, `docs.id_order` | u64, u32 (n) | xxh3 of each id, sorted, and the document of each (for finding an id; absent in older files) |
//! | `shingles.offsets`, `shingles.fingerprints` | u64 (n+1), u32 | each document's sorted, distinct shingle fingerprints ([`Fingerprint`], what verification compares) |
//! | `figures.offsets`, `figures.data` | u64 (n+1), u64 | each document's sorted [`Figure`]s, when the header's `templates` rule is on (absent in older files, which verify on plain Jaccard and containment) |
//! | `templates.cut`, `templates.prints`, `templates.df`, `templates.figures`, `templates.figure_df` | u32 (1), u32, u32, u64, u32 | with the figures: the documents' template shingles as `pairs` learns them ([`TemplateShingles`]), their cut, fingerprints and document frequencies, and the template figures and theirs |
//! | `minhash.signatures` | u32 (n × num_perm) | signatures, row-major |
//! | `lsh.keys`, `lsh.docs` | u64, u32 (bands × m) | per band, (band key, document) sorted by key then document |
//! | `tfidf.terms`, `tfidf.df`, `tfidf.idf`, `tfidf.max_weight` | u64, u32, f32, f32 (T) | every token seen (hashes, sorted), document frequencies, idf (0 outside the df bounds), largest weight in any document |
//! | `tfidf.doc_offsets`, `tfidf.doc_terms`, `tfidf.doc_counts` | u64 (n+1), u32, u32 | each document's term numbers and counts |
//! | `tfidf.doc_norms`, `tfidf.common_norms` | f32 (n) | L2 norm of each document's tf·idf vector; share of it (as a norm) on common terms |
//! | `tfidf.by_common_norm` | u32 (n) | documents by decreasing common-term norm |
//! | `tfidf.post_offsets`, `tfidf.post_docs`, `tfidf.post_weights` | u64 (T+1), u32, f32 | postings with L2-normalised TF-IDF weights |
//!
//! Version 1 kept the 64-bit shingle hashes instead (`shingles.data`, u64); such files are
//! still read, their hashes turned into fingerprints as they are used, and `index add`
//! writes them anew as version 2.

use std::borrow::Cow;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::file::{Dtype, Element, FileWriter, IndexFile, Section};
use super::lookup::{equal_range_uniform, lower_bound_uniform};
use super::templates::{learn_templates, read_templates, template_sections, write_templates};
use crate::cluster::{Figure, TemplateRule, TemplateShingles, Verifier};
use crate::corpus::DocMeta;
use crate::error::{Error, Result};
use crate::lsh::{BandTables, LshParams, band_key};
use crate::minhash::{SignatureMatrix, SketchKind, SketchParams};
use crate::shingle::{Fingerprint, ShingleKind, ShingleSets, fingerprints};
use crate::tfidf::{DocFreqs, Postings, TermRows, TfidfBuilder, TfidfModel};

/// How the documents of an index are shingled, sketched, banded and verified.
#[derive(Debug, Clone)]
pub struct IndexSettings {
    /// Shingles.
    pub shingle: ShingleKind,
    /// MinHash parameters.
    pub sketch: SketchParams,
    /// LSH banding.
    pub lsh: LshParams,
    /// What counts as a near-duplicate.
    pub verifier: Verifier,
    /// TF-IDF settings.
    pub tfidf: TfidfBuilder,
    /// Which shingles count as a template's, learnt from the indexed documents (off: every
    /// shingle weighs the same, and no figures are kept).
    pub templates: TemplateRule,
}

/// Identifies the text analysis (normaliser + tokeniser) an index was built with; bumped
/// whenever either changes what tokens a text gives.
pub const ANALYZER_ID: &str = "nfkc-casefold-typographic/1+uax29-words/1";
/// Identifies the shingle hash.
pub const SHINGLE_HASH_ID: &str = "xxh3-64/1";

/// Everything an index records about how it was made (the manifest header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexHeader {
    /// The neardup version that wrote the file.
    pub written_by: String,
    /// Number of documents.
    pub documents: usize,
    /// Documents with at least one shingle.
    pub sketched: usize,
    /// Text analysis.
    pub analyzer: String,
    /// Shingles (`word:3`).
    pub shingle: String,
    /// Shingle hash.
    pub shingle_hash: String,
    /// Sketch kind.
    pub sketch: String,
    /// MinHash slots.
    pub num_perm: usize,
    /// MinHash seed.
    pub seed: u64,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Jaccard threshold of near-duplicates.
    pub threshold: f64,
    /// Containment threshold (none: Jaccard only).
    pub containment: Option<f64>,
    /// Smallest set that can count as contained.
    pub min_contained: usize,
    /// TF-IDF settings.
    pub tfidf: TfidfBuilder,
    /// Distinct tokens (the term table; terms outside the df bounds have idf 0).
    pub terms: usize,
    /// Terms in at least this many documents are "common": queries score them only for
    /// documents that can still reach the top k (see `docs/index-format.md`).
    pub common_df: usize,
    /// The template rule (`auto`, a document count, or `off`) verification learns template
    /// shingles by, with each document's figures kept; absent (off) in files written
    /// before figures were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

impl IndexHeader {
    /// The settings the index was built with.
    pub fn settings(&self) -> Result<IndexSettings> {
        Ok(IndexSettings {
            shingle: self.shingle.parse()?,
            sketch: self.sketch_params()?,
            lsh: LshParams::new(self.bands, self.rows, self.num_perm)?,
            verifier: Verifier::new(self.threshold, self.containment, self.min_contained)?,
            tfidf: self.tfidf.clone(),
            templates: match &self.templates {
                Some(rule) => rule.parse()?,
                None => TemplateRule::Off,
            },
        })
    }

    /// The sketch parameters (an error for a sketch this neardup does not know).
    pub fn sketch_params(&self) -> Result<SketchParams> {
        let kind = SketchKind::from_id(&self.sketch).ok_or_else(|| Error::Mismatch {
            what: "sketch",
            left: self.sketch.clone(),
            right: "minhash-classic/1, oph-densified/1 or c-minhash/1 (this neardup)".into(),
        })?;
        Ok(SketchParams {
            num_perm: self.num_perm,
            seed: self.seed,
            kind,
        })
    }
}

/// An index's contents in memory: what `index build` computes and `index add` extends.
#[derive(Debug)]
pub struct IndexContents {
    /// The inputs the documents were read from (what [`DocMeta::input`] numbers; for
    /// messages, not stored: empty for contents read back from an index).
    pub inputs: Vec<std::path::PathBuf>,
    /// Metadata, in order.
    pub docs: Vec<DocMeta>,
    /// Shingle sets, as fingerprints.
    pub sets: ShingleSets<Fingerprint>,
    /// Each document's figures (empty sets when the template rule is off).
    pub figures: ShingleSets<Figure>,
    /// Signatures.
    pub signatures: SignatureMatrix,
    /// Document frequencies of every token seen; its provisional numbers are those of
    /// `terms`.
    pub freqs: DocFreqs,
    /// Each document's (provisional term number, count) pairs.
    pub terms: TermRows,
}

impl IndexContents {
    /// Appends other contents made with the same parameters.
    pub fn append(&mut self, other: IndexContents) -> Result<()> {
        self.signatures.merge(&other.signatures)?;
        for i in 0..other.sets.len() {
            self.sets.push(other.sets.get(i));
            self.figures.push(other.figures.get(i));
        }
        self.docs.extend(other.docs);
        let map = self.freqs.merge_numbered(other.freqs);
        let mut row = Vec::new();
        for i in 0..other.terms.len() {
            other.terms.get(i, &mut row);
            for p in row.iter_mut() {
                p.0 = map[p.0 as usize];
            }
            self.terms.push(&row);
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct StoredMeta {
    id: Box<str>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    id_is_number: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Box<str>>,
}

/// Writes an index of `contents` made with `settings`, atomically. Each part of the
/// contents is dropped once its sections are written, so the peak memory is about that of
/// the contents.
pub fn write_index(
    path: &Path,
    settings: &IndexSettings,
    contents: IndexContents,
) -> Result<IndexHeader> {
    let IndexContents {
        inputs: _,
        docs,
        sets,
        figures,
        signatures,
        freqs,
        terms,
    } = contents;
    settings.sketch.check_compatible(&signatures.params())?;
    let tfidf = &settings.tfidf;
    let n = docs.len();
    if n == 0 {
        return Err(Error::EmptyCorpus);
    }
    for (what, len) in [
        ("shingle sets", sets.len()),
        ("figure sets", figures.len()),
        ("signatures", signatures.len()),
        ("term rows", terms.len()),
    ] {
        if len != n {
            return Err(Error::Mismatch {
                what: "index contents",
                left: format!("{n} documents"),
                right: format!("{len} {what}"),
            });
        }
    }
    let mut w = FileWriter::create(path)?;

    let mut offsets = vec![0u64];
    let mut meta = Vec::new();
    for d in &docs {
        let m = StoredMeta {
            id: d.id.clone(),
            id_is_number: d.id_is_number,
            title: d.title.clone(),
            outlet: d.outlet.clone(),
            date: d.date.clone(),
            url: d.url.clone(),
        };
        serde_json::to_writer(&mut meta, &m).map_err(|e| Error::index(path, e.to_string()))?;
        offsets.push(meta.len() as u64);
    }
    w.u64s("docs.offsets", &offsets)?;
    w.bytes("docs.meta", &meta)?;
    drop((offsets, meta));
    let mut ids: Vec<(u64, u32)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (id_hash(&d.id), i as u32))
        .collect();
    drop(docs);
    ids.sort_unstable();
    w.u64s(
        "docs.id_hashes",
        &ids.iter().map(|x| x.0).collect::<Vec<_>>(),
    )?;
    w.u32s(
        "docs.id_order",
        &ids.iter().map(|x| x.1).collect::<Vec<_>>(),
    )?;
    drop(ids);

    write_sets(&mut w, "shingles", "fingerprints", &sets)?;
    let keep_figures = settings.templates != TemplateRule::Off;
    if keep_figures {
        write_sets(&mut w, "figures", "data", &figures)?;
        let templates = learn_templates(settings.templates, n, 0..n as u32, |d| {
            Ok((Cow::Borrowed(sets.get(d as usize)), figures.get(d as usize)))
        })?
        .expect("the rule is on");
        write_templates(&mut w, &templates)?;
    }
    drop(figures);
    let live: Vec<u32> = (0..n as u32)
        .filter(|&i| !sets.get(i as usize).is_empty())
        .collect();
    drop(sets);
    let mut rows = w.begin::<u32>("minhash.signatures")?;
    for i in 0..n {
        rows.write(signatures.row(i))?;
    }
    rows.finish()?;

    // LSH: per band, (key, doc) of non-empty documents sorted by key then doc.
    let lsh = settings.lsh;
    let tables = BandTables::build(&signatures, &live, lsh);
    drop(signatures);
    w.u64s("lsh.keys", &tables.keys)?;
    w.u32s("lsh.docs", &tables.docs)?;
    drop(tables);

    let Postings {
        terms: all,
        df,
        idf,
        max_weight,
        rows: terms,
        doc_offsets,
        doc_norms,
        common_norms,
        by_common_norm: by_common,
        post_offsets: post_len,
        post_docs,
        post_weights,
        common_df,
    } = Postings::build(tfidf, freqs, terms)?;
    let t_count = all.len();
    let mut row = Vec::new();
    w.u64s("tfidf.terms", &all)?;
    w.u32s("tfidf.df", &df)?;
    w.f32s("tfidf.idf", &idf)?;
    w.f32s("tfidf.max_weight", &max_weight)?;
    w.u64s("tfidf.doc_offsets", &doc_offsets)?;
    // The rows' term numbers, then their counts, each streamed as one section.
    for (name, pick) in [
        ("tfidf.doc_terms", (|x| x.0) as fn(&(u32, u32)) -> u32),
        ("tfidf.doc_counts", |x| x.1),
    ] {
        let mut column = Vec::new();
        let mut section = w.begin::<u32>(name)?;
        for d in 0..n {
            terms.get(d, &mut row);
            column.clear();
            column.extend(row.iter().map(pick));
            section.write(&column)?;
        }
        section.finish()?;
    }
    drop(terms);
    w.f32s("tfidf.doc_norms", &doc_norms)?;
    w.f32s("tfidf.common_norms", &common_norms)?;
    w.u32s("tfidf.by_common_norm", &by_common)?;
    w.u64s("tfidf.post_offsets", &post_len)?;
    w.u32s("tfidf.post_docs", &post_docs)?;
    w.f32s("tfidf.post_weights", &post_weights)?;

    let verifier = &settings.verifier;
    let header = IndexHeader {
        written_by: format!("neardup {}", env!("CARGO_PKG_VERSION")),
        documents: n,
        sketched: live.len(),
        analyzer: ANALYZER_ID.into(),
        shingle: settings.shingle.to_string(),
        shingle_hash: SHINGLE_HASH_ID.into(),
        sketch: settings.sketch.kind.id().into(),
        num_perm: settings.sketch.num_perm,
        seed: settings.sketch.seed,
        bands: lsh.bands,
        rows: lsh.rows,
        threshold: verifier.threshold(),
        containment: verifier.containment(),
        min_contained: verifier.min_contained(),
        tfidf: tfidf.clone(),
        terms: t_count,
        common_df,
        templates: keep_figures.then(|| settings.templates.to_string()),
    };
    w.finish(&header)?;
    Ok(header)
}

/// Writes `sets` as the sections `{name}.offsets` (u64, one more than the sets: where each
/// starts) and `{name}.{data}`, all the sets end to end.
fn write_sets<T: Element>(
    w: &mut FileWriter,
    name: &str,
    data: &str,
    sets: &ShingleSets<T>,
) -> Result<()> {
    let mut offsets = Vec::with_capacity(sets.len() + 1);
    offsets.push(0u64);
    let mut total = 0u64;
    for i in 0..sets.len() {
        total += sets.get(i).len() as u64;
        offsets.push(total);
    }
    w.u64s(&format!("{name}.offsets"), &offsets)?;
    drop(offsets);
    let mut section = w.begin::<T>(&format!("{name}.{data}"))?;
    for part in sets.parts() {
        section.write(part)?;
    }
    section.finish()
}

/// The hash of a document id in `docs.id_hashes`.
fn id_hash(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// Where the shingle sets are, by format version.
#[derive(Debug, Clone, Copy)]
enum ShingleData {
    /// `shingles.fingerprints` (u32), since version 2.
    Fingerprints(Section),
    /// `shingles.data` (u64, the full hashes), version 1.
    Hashes(Section),
}

/// The sections an index reads, resolved once when it is opened.
#[derive(Debug, Clone, Copy)]
struct Sections {
    tfidf_doc_offsets: Section,
    tfidf_post_offsets: Section,
    shingles_offsets: Section,
    docs_offsets: Section,
    docs_meta: Section,
    lsh_docs: Section,
    lsh_keys: Section,
    minhash_signatures: Section,
    shingles_data: ShingleData,
    tfidf_by_common_norm: Section,
    tfidf_common_norms: Section,
    tfidf_df: Section,
    tfidf_doc_counts: Section,
    tfidf_doc_norms: Section,
    tfidf_doc_terms: Section,
    tfidf_idf: Section,
    tfidf_post_docs: Section,
    tfidf_post_weights: Section,
    tfidf_terms: Section,
    /// `docs.id_hashes` and `docs.id_order`, in files that have them.
    ids: Option<(Section, Section)>,
    /// `figures.offsets` and `figures.data`, in files that keep figures...
    figures: Option<(Section, Section)>,
    /// ...and with them the `templates.*` sections: cut, prints, df, figures, figure_df.
    templates: Option<[Section; 5]>,
}

impl Sections {
    fn resolve(file: &IndexFile) -> Result<Self> {
        Ok(Sections {
            tfidf_doc_offsets: file.section("tfidf.doc_offsets", Dtype::U64)?,
            tfidf_post_offsets: file.section("tfidf.post_offsets", Dtype::U64)?,
            shingles_offsets: file.section("shingles.offsets", Dtype::U64)?,
            docs_offsets: file.section("docs.offsets", Dtype::U64)?,
            docs_meta: file.section("docs.meta", Dtype::U8)?,
            lsh_docs: file.section("lsh.docs", Dtype::U32)?,
            lsh_keys: file.section("lsh.keys", Dtype::U64)?,
            minhash_signatures: file.section("minhash.signatures", Dtype::U32)?,
            shingles_data: if file.version() >= 2 {
                ShingleData::Fingerprints(file.section("shingles.fingerprints", Dtype::U32)?)
            } else {
                ShingleData::Hashes(file.section("shingles.data", Dtype::U64)?)
            },
            tfidf_by_common_norm: file.section("tfidf.by_common_norm", Dtype::U32)?,
            tfidf_common_norms: file.section("tfidf.common_norms", Dtype::F32)?,
            tfidf_df: file.section("tfidf.df", Dtype::U32)?,
            tfidf_doc_counts: file.section("tfidf.doc_counts", Dtype::U32)?,
            tfidf_doc_norms: file.section("tfidf.doc_norms", Dtype::F32)?,
            tfidf_doc_terms: file.section("tfidf.doc_terms", Dtype::U32)?,
            tfidf_idf: file.section("tfidf.idf", Dtype::F32)?,
            tfidf_post_docs: file.section("tfidf.post_docs", Dtype::U32)?,
            tfidf_post_weights: file.section("tfidf.post_weights", Dtype::F32)?,
            tfidf_terms: file.section("tfidf.terms", Dtype::U64)?,
            ids: match file.sections().contains_key("docs.id_hashes") {
                true => Some((
                    file.section("docs.id_hashes", Dtype::U64)?,
                    file.section("docs.id_order", Dtype::U32)?,
                )),
                false => None,
            },
            figures: match file.sections().contains_key("figures.offsets") {
                true => Some((
                    file.section("figures.offsets", Dtype::U64)?,
                    file.section("figures.data", Dtype::U64)?,
                )),
                false => None,
            },
            templates: match file.sections().contains_key("figures.offsets") {
                true => Some(template_sections(file)?.ok_or_else(|| {
                    Error::index(file.path(), "damaged index (no templates.* sections)")
                })?),
                false => None,
            },
        })
    }
}

/// An open index. Reads go through the memory map; only what is read is checked.
#[derive(Debug)]
pub struct Index {
    file: IndexFile,
    s: Sections,
    header: IndexHeader,
    settings: IndexSettings,
    live: usize,
    /// Whether `tfidf.by_common_norm` holds document numbers only (checked on first use).
    common_order_ok: std::sync::OnceLock<bool>,
    /// Per term, whether its postings were found to hold document numbers only (a bit
    /// each, set on first read: a query service reads the same common terms all day).
    postings_ok: std::sync::OnceLock<Vec<std::sync::atomic::AtomicU64>>,
}

impl Index {
    /// Opens an index: checks the container, the format version and that this build of
    /// neardup analyses, shingles and sketches text the way the index was made.
    pub fn open(path: &Path) -> Result<Self> {
        let file = IndexFile::open(path)?;
        let header: IndexHeader = serde_json::from_value(file.header().clone())
            .map_err(|e| Error::index(path, format!("damaged index (header: {e})")))?;
        for (what, have, want) in [
            ("text analysis", header.analyzer.as_str(), ANALYZER_ID),
            (
                "shingle hash",
                header.shingle_hash.as_str(),
                SHINGLE_HASH_ID,
            ),
        ] {
            if have != want {
                return Err(Error::Mismatch {
                    what,
                    left: have.to_string(),
                    right: format!("{want} (this neardup; rebuild the index)"),
                });
            }
        }
        let settings = header.settings()?;
        let lsh = settings.lsh;
        let live = header.sketched;
        let idx = Index {
            s: Sections::resolve(&file)?,
            file,
            header,
            settings,
            live,
            common_order_ok: std::sync::OnceLock::new(),
            postings_ok: std::sync::OnceLock::new(),
        };
        // Cheap consistency checks of the section sizes against the header.
        let n = idx.header.documents;
        let expect = [
            ("docs.offsets", n + 1),
            ("shingles.offsets", n + 1),
            ("minhash.signatures", n * idx.header.num_perm),
            ("lsh.keys", lsh.bands * live),
            ("lsh.docs", lsh.bands * live),
            ("tfidf.terms", idx.header.terms),
            ("tfidf.idf", idx.header.terms),
            ("tfidf.df", idx.header.terms),
            ("tfidf.doc_offsets", n + 1),
            ("tfidf.post_offsets", idx.header.terms + 1),
            ("tfidf.doc_norms", n),
            ("tfidf.common_norms", n),
            ("tfidf.by_common_norm", n),
            ("tfidf.max_weight", idx.header.terms),
        ];
        // Figures are kept exactly when the header names a template rule.
        if idx.s.figures.is_some() != idx.header.templates.is_some() {
            return Err(Error::index(
                path,
                "damaged index (figures and the template rule disagree)",
            ));
        }
        let figures = idx.s.figures.map(|_| ("figures.offsets", n + 1));
        for (name, count) in expect.into_iter().chain(figures) {
            if idx.file.count(name)? != count {
                return Err(Error::index(
                    path,
                    format!("damaged index (section {name} has the wrong size)"),
                ));
            }
        }
        Ok(idx)
    }

    /// How the index was made.
    pub fn header(&self) -> &IndexHeader {
        &self.header
    }

    /// The settings (shingles, sketch, LSH, verification, TF-IDF) the index was built with.
    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    /// The container.
    pub fn file(&self) -> &IndexFile {
        &self.file
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.header.documents
    }

    /// Whether the index holds no documents (never, for a written index).
    pub fn is_empty(&self) -> bool {
        self.header.documents == 0
    }

    /// An error unless documents shingled with `shingle` and sketched with `sketch` can be
    /// compared with the index's.
    pub fn check_compatible(&self, shingle: ShingleKind, sketch: &SketchParams) -> Result<()> {
        if shingle != self.settings.shingle {
            return Err(Error::Mismatch {
                what: "shingles",
                left: self.settings.shingle.to_string(),
                right: shingle.to_string(),
            });
        }
        self.settings.sketch.check_compatible(sketch)
    }

    fn range(&self, offsets: Section, i: usize) -> Result<std::ops::Range<usize>> {
        let o = self.file.u64s_at(offsets, Some(i..i + 2))?;
        let (a, b) = (o[0] as usize, o[1] as usize);
        if a > b {
            return Err(Error::index(
                self.file.path(),
                "damaged index (offsets not increasing)",
            ));
        }
        Ok(a..b)
    }

    /// Term-row entries of all documents together (the length of `tfidf.doc_terms`).
    pub(crate) fn term_row_entries(&self) -> Result<usize> {
        match self.len() {
            0 => Ok(0),
            n => Ok(self.range(self.s.tfidf_doc_offsets, n - 1)?.end),
        }
    }

    /// The number of the document with this id, if the index holds it (a binary search of
    /// the id hashes; in files written before them, a scan of the metadata: about a
    /// second per million documents).
    pub fn find_id(&self, id: &str) -> Result<Option<u32>> {
        if let Some((hashes, order)) = self.s.ids {
            let hashes = self.file.u64s_at(hashes, None)?;
            let h = id_hash(id);
            let start = hashes.partition_point(|&x| x < h);
            let end = start + hashes[start..].partition_point(|&x| x == h);
            for &d in self.file.u32s_at(order, Some(start..end))? {
                if d as usize >= self.len() {
                    return Err(self.out_of_range("docs.id_order"));
                }
                if &*self.doc(d as usize)?.id == id {
                    return Ok(Some(d));
                }
            }
            return Ok(None);
        }
        for i in 0..self.len() {
            if &*self.doc(i)?.id == id {
                return Ok(Some(i as u32));
            }
        }
        Ok(None)
    }

    /// Document `i`'s metadata.
    pub fn doc(&self, i: usize) -> Result<DocMeta> {
        let r = self.range(self.s.docs_offsets, i)?;
        let bytes = self.file.bytes_at(self.s.docs_meta, Some(r))?;
        let m: StoredMeta = serde_json::from_slice(bytes).map_err(|e| {
            Error::index(
                self.file.path(),
                format!("damaged index (document {i}: {e})"),
            )
        })?;
        Ok(DocMeta {
            published: m.date.as_deref().and_then(crate::corpus::parse_date),
            id: m.id,
            id_is_number: m.id_is_number,
            title: m.title,
            outlet: m.outlet,
            date: m.date,
            url: m.url,
            input: 0,
            line: 0,
            bytes: None,
            chars: 0,
        })
    }

    /// Document `i`'s shingle set: its sorted, distinct fingerprints (borrowed from the
    /// file; made from the stored 64-bit hashes in a version-1 file).
    pub fn shingles(&self, i: usize) -> Result<Cow<'_, [Fingerprint]>> {
        let r = self.range(self.s.shingles_offsets, i)?;
        Ok(match self.s.shingles_data {
            ShingleData::Fingerprints(sec) => Cow::Borrowed(self.file.u32s_at(sec, Some(r))?),
            ShingleData::Hashes(sec) => Cow::Owned(fingerprints(self.file.u64s_at(sec, Some(r))?)),
        })
    }

    /// Document `i`'s figures, sorted (none in an index that keeps no figures).
    pub fn figures(&self, i: usize) -> Result<&[Figure]> {
        match self.s.figures {
            Some((offsets, data)) => {
                let r = self.range(offsets, i)?;
                self.file.u64s_at(data, Some(r))
            }
            None => Ok(&[]),
        }
    }

    /// Whether the index keeps its documents' figures (with a template rule that is on).
    pub fn has_figures(&self) -> bool {
        self.s.figures.is_some()
    }

    /// The template shingles of the index's documents, as stored when it was written
    /// (what `pairs` learns from the same corpus), or `None` when it keeps no figures.
    pub fn templates(&self) -> Result<Option<TemplateShingles>> {
        self.s
            .templates
            .map(|sections| read_templates(&self.file, sections))
            .transpose()
    }

    /// Document `i`'s signature.
    pub fn signature(&self, i: usize) -> Result<&[u32]> {
        let k = self.header.num_perm;
        self.file
            .u32s("minhash.signatures", Some(i * k..(i + 1) * k))
    }

    /// Documents whose signature shares at least one band with `signature`, sorted.
    pub fn lsh_candidates(&self, signature: &[u32]) -> Result<Vec<u32>> {
        self.lsh_candidates_capped(signature, None)
    }

    /// As [`lsh_candidates`](Self::lsh_candidates), but a bucket of more than `cap`
    /// documents only yields those that share the next band with `signature` too (the
    /// bucket cap of `neardup pairs`, see `docs/design.md`): documents that meet the query
    /// only through a phrase thousands of documents share are not candidates.
    pub fn lsh_candidates_capped(&self, signature: &[u32], cap: Option<usize>) -> Result<Vec<u32>> {
        let m = self.live;
        let lsh = self.settings.lsh;
        // The query's bucket in every band: its documents, sorted (the format keeps each
        // band's (key, document) pairs sorted by key then document).
        let mut buckets = Vec::with_capacity(lsh.bands);
        for b in 0..lsh.bands {
            let key = band_key(signature, lsh, b);
            let std::ops::Range { start: lo, end: hi } = self.band_bucket(b, key)?;
            buckets.push(if hi > lo {
                self.file
                    .u32s_at(self.s.lsh_docs, Some(b * m + lo..b * m + hi))?
            } else {
                &[]
            });
        }
        let mut out = Vec::new();
        for (b, docs) in buckets.iter().enumerate() {
            match cap {
                Some(cap) if docs.len() > cap => {
                    let next = buckets[(b + 1) % lsh.bands];
                    out.extend(docs.iter().filter(|d| next.binary_search(d).is_ok()));
                }
                _ => out.extend_from_slice(docs),
            }
        }
        out.sort_unstable();
        out.dedup();
        if out.last().is_some_and(|&d| d as usize >= self.len()) {
            return Err(self.out_of_range("lsh.docs"));
        }
        Ok(out)
    }

    /// The documents in band `b`'s bucket `key`, sorted.
    pub(crate) fn bucket_docs(&self, b: usize, key: u64) -> Result<&[u32]> {
        let m = self.live;
        let std::ops::Range { start: lo, end: hi } = self.band_bucket(b, key)?;
        if hi == lo {
            return Ok(&[]);
        }
        let docs = self
            .file
            .u32s_at(self.s.lsh_docs, Some(b * m + lo..b * m + hi))?;
        if docs.iter().any(|&d| d as usize >= self.len()) {
            return Err(self.out_of_range("lsh.docs"));
        }
        Ok(docs)
    }

    /// The positions of `key` in band `b`'s sorted keys. The search reads the band without
    /// checking its checksums (checking a whole band would cost more than the query), then
    /// checks the chunks that hold the answer and its two neighbours: in a sorted array the
    /// equal range is the one whose left neighbour is below `key` and whose right neighbour
    /// is above, so checked neighbours prove it whatever bytes the search passed over.
    pub(crate) fn band_bucket(&self, b: usize, key: u64) -> Result<std::ops::Range<usize>> {
        let m = self.live;
        let keys = self
            .file
            .u64s_unverified_at(self.s.lsh_keys, b * m..(b + 1) * m)?;
        let r = equal_range_uniform(keys, key);
        let (lo, hi) = (r.start.saturating_sub(1), (r.end + 1).min(m));
        let near = self
            .file
            .u64s_at(self.s.lsh_keys, Some(b * m + lo..b * m + hi))?;
        let inner = &near[r.start - lo..r.end - lo];
        let proven = inner.iter().all(|&k| k == key)
            && (r.start == 0 || near[0] < key)
            && (r.end == m || near[near.len() - 1] > key);
        if !proven {
            return Err(Error::index(
                self.file.path(),
                "damaged index (section lsh.keys is not sorted)",
            ));
        }
        Ok(r)
    }

    /// An error for a section holding a number out of its range (a file whose checksums
    /// were re-sealed after an edit: the checksums cannot catch it).
    fn out_of_range(&self, section: &str) -> Error {
        Error::index(
            self.file.path(),
            format!("damaged index (section {section} holds a number out of range)"),
        )
    }

    /// The term number of a token hash.
    pub fn term(&self, hash: u64) -> Result<Option<u32>> {
        let terms = self.file.u64s_at(self.s.tfidf_terms, None)?;
        let t = lower_bound_uniform(terms, hash);
        Ok((terms.get(t) == Some(&hash)).then_some(t as u32))
    }

    /// The token hash of every term, sorted (term numbers are positions here).
    pub fn term_hashes(&self) -> Result<&[u64]> {
        self.file.u64s_at(self.s.tfidf_terms, None)
    }

    /// The idf of every term.
    pub fn idf(&self) -> Result<&[f32]> {
        self.file.f32s_at(self.s.tfidf_idf, None)
    }

    /// The postings of term `t`: documents and their L2-normalised weights.
    pub fn postings(&self, t: u32) -> Result<(&[u32], &[f32])> {
        let r = self.range(self.s.tfidf_post_offsets, t as usize)?;
        let docs = self.file.u32s_at(self.s.tfidf_post_docs, Some(r.clone()))?;
        // The callers index per-document arrays by these: checked once per term.
        use std::sync::atomic::Ordering::Relaxed;
        let ok = self.postings_ok.get_or_init(|| {
            (0..self.header.terms.div_ceil(64))
                .map(|_| std::sync::atomic::AtomicU64::new(0))
                .collect()
        });
        let (word, bit) = (t as usize / 64, 1u64 << (t % 64));
        if ok.get(word).is_none_or(|w| w.load(Relaxed) & bit == 0) {
            if docs.iter().any(|&d| d as usize >= self.len()) {
                return Err(self.out_of_range("tfidf.post_docs"));
            }
            if let Some(w) = ok.get(word) {
                w.fetch_or(bit, Relaxed);
            }
        }
        Ok((docs, self.file.f32s_at(self.s.tfidf_post_weights, Some(r))?))
    }

    /// The fitted TF-IDF model (reads the vocabulary, df and idf sections).
    pub fn tfidf_model(&self) -> Result<TfidfModel> {
        let terms = self.file.u64s_at(self.s.tfidf_terms, None)?;
        let df = self.file.u32s_at(self.s.tfidf_df, None)?;
        let idf = self.file.f32s_at(self.s.tfidf_idf, None)?;
        let keep: Vec<usize> = (0..terms.len()).filter(|&t| idf[t] > 0.0).collect();
        TfidfModel::from_parts(
            keep.iter().map(|&t| terms[t]).collect(),
            keep.iter().map(|&t| df[t]).collect(),
            keep.iter().map(|&t| idf[t]).collect(),
            self.header.documents,
            self.header.tfidf.tf_weight(),
        )
    }

    /// Document `i`'s term numbers and counts.
    pub fn doc_terms(&self, i: usize) -> Result<(&[u32], &[u32])> {
        let r = self.range(self.s.tfidf_doc_offsets, i)?;
        let terms = self.file.u32s_at(self.s.tfidf_doc_terms, Some(r.clone()))?;
        if terms.iter().any(|&t| t as usize >= self.header.terms) {
            return Err(self.out_of_range("tfidf.doc_terms"));
        }
        Ok((terms, self.file.u32s_at(self.s.tfidf_doc_counts, Some(r))?))
    }

    /// Document `i`'s TF-IDF vector over the index's terms (idf from the index, terms with
    /// idf 0 left out), L2-normalised, by term number.
    pub fn doc_vector(&self, i: usize) -> Result<Vec<(u32, f32)>> {
        self.doc_vector_with(i, self.idf()?)
    }

    /// [`doc_vector`](Self::doc_vector) with another idf per term (an archive's).
    pub(crate) fn doc_vector_with(&self, i: usize, idf: &[f32]) -> Result<Vec<(u32, f32)>> {
        let (terms, counts) = self.doc_terms(i)?;
        let tf = self.header().tfidf.tf_weight();
        let mut v: Vec<(u32, f32)> = terms
            .iter()
            .zip(counts)
            .filter_map(|(&t, &c)| {
                let w = idf.get(t as usize).copied().unwrap_or(0.0);
                (w > 0.0).then(|| (t, tf.weight(c) * w))
            })
            .collect();
        v.sort_unstable_by_key(|x| x.0);
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        for x in &mut v {
            x.1 /= norm;
        }
        Ok(v)
    }

    /// Each document's TF-IDF norm.
    pub fn doc_norms(&self) -> Result<&[f32]> {
        self.file.f32s_at(self.s.tfidf_doc_norms, None)
    }

    /// Each document's common-term norm, as a share of its whole norm.
    pub fn common_norms(&self) -> Result<&[f32]> {
        self.file.f32s_at(self.s.tfidf_common_norms, None)
    }

    /// Documents by decreasing common-term norm.
    pub fn by_common_norm(&self) -> Result<&[u32]> {
        let order = self.file.u32s_at(self.s.tfidf_by_common_norm, None)?;
        let n = self.len();
        if !*self
            .common_order_ok
            .get_or_init(|| order.iter().all(|&d| (d as usize) < n))
        {
            return Err(self.out_of_range("tfidf.by_common_norm"));
        }
        Ok(order)
    }

    /// Document frequencies of the term table.
    pub fn df(&self) -> Result<&[u32]> {
        self.file.u32s_at(self.s.tfidf_df, None)
    }

    /// Reads everything back (for `index add`, which writes a new file).
    pub fn contents(&self) -> Result<IndexContents> {
        self.contents_where(|_| true)
    }

    /// Reads back the documents for which `keep` holds (by number), in order.
    pub fn contents_where(&self, keep: impl Fn(usize) -> bool) -> Result<IndexContents> {
        let kept: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        let mut docs = Vec::with_capacity(kept.len());
        let mut sets = ShingleSets::new();
        let mut figures = ShingleSets::new();
        for &i in &kept {
            docs.push(self.doc(i)?);
            sets.push(&self.shingles(i)?);
            figures.push(self.figures(i)?);
        }
        let k = self.header.num_perm;
        let all = self.file.u32s_at(self.s.minhash_signatures, None)?;
        let mut flat = Vec::with_capacity(kept.len() * k);
        for &i in &kept {
            flat.extend_from_slice(&all[i * k..(i + 1) * k]);
        }
        let signatures = SignatureMatrix::from_flat(self.header.sketch_params()?, flat)?;
        let hashes = self.file.u64s_at(self.s.tfidf_terms, None)?;
        let mut freqs = DocFreqs::default();
        let mut terms = TermRows::new();
        let mut row = Vec::new();
        for &i in &kept {
            let (t, c) = self.doc_terms(i)?;
            row.clear();
            for (&t, &c) in t.iter().zip(c) {
                let h = *hashes.get(t as usize).ok_or_else(|| {
                    Error::index(self.file.path(), "damaged index (term number out of range)")
                })?;
                row.push((h, c));
            }
            // A term twice in a row (a repeated number, or two numbers of one hash) would
            // count its document twice.
            row.sort_unstable_by_key(|x| x.0);
            if row.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(Error::index(
                    self.file.path(),
                    format!("damaged index (document {i} holds a term twice)"),
                ));
            }
            terms.push(&freqs.add_numbered(&row));
        }
        Ok(IndexContents {
            inputs: Vec::new(),
            docs,
            sets,
            figures,
            signatures,
            freqs,
            terms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;
    use crate::shingle::Shingler;
    use crate::text::Analyzer;
    use crate::tfidf::count_terms;

    const TEXTS: &[&str] = &[
        "The central bank raised its main interest rate by half a point on Tuesday, citing inflation.",
        "The central bank raised its main interest rate by half a point on Tuesday, citing prices.",
        "",
        "A local football club won its cup final on penalties after a goalless draw in the rain.",
        "Fishermen protested new quotas in the harbour, blocking the ferry for an hour on Monday.",
    ];

    fn settings() -> IndexSettings {
        let sketch = SketchParams {
            num_perm: 32,
            seed: 3,
            kind: SketchKind::Oph,
        };
        IndexSettings {
            shingle: ShingleKind::Word(3),
            sketch,
            lsh: LshParams::new(8, 4, 32).unwrap(),
            verifier: Verifier::new(0.3, Some(0.5), 20).unwrap(),
            tfidf: TfidfModel::builder(),
            templates: TemplateRule::Auto,
        }
    }

    /// What the pipeline would compute, made here from the algorithm layers alone.
    fn contents(settings: &IndexSettings) -> IndexContents {
        let analyzer = Analyzer::default();
        let shingler = Shingler::new(settings.shingle);
        let hasher = MinHasher::builder()
            .num_perm(settings.sketch.num_perm)
            .seed(settings.sketch.seed)
            .kind(settings.sketch.kind)
            .build()
            .unwrap();
        let mut c = IndexContents {
            inputs: Vec::new(),
            docs: Vec::new(),
            sets: ShingleSets::new(),
            figures: ShingleSets::new(),
            signatures: SignatureMatrix::from_flat(settings.sketch, Vec::new()).unwrap(),
            freqs: DocFreqs::default(),
            terms: TermRows::new(),
        };
        let mut flat = Vec::new();
        for (i, text) in TEXTS.iter().enumerate() {
            let set = shingler.shingle_set(&analyzer, text);
            c.sets.push(&fingerprints(&set));
            // Stand-in figures: the store keeps them as given (none for the empty text).
            let figures: Vec<Figure> = (0..text.len() as u64 % 4)
                .map(|k| k << 40 | i as u64)
                .collect();
            c.figures.push(&figures);
            flat.extend(hasher.signature(&set));
            let terms = count_terms(&analyzer, text, &mut String::new());
            c.terms.push(&c.freqs.add_numbered(&terms));
            let mut d = crate::corpus::Document::new(format!("d{i}"), *text);
            d.title = (i == 0).then(|| "Rates up".into());
            d.outlet = Some("Wire".into());
            d.date = Some(format!("2024-06-0{}", i + 1).into());
            d.line = i as u64 + 1;
            c.docs.push(DocMeta::of(&d, 0));
        }
        c.signatures = SignatureMatrix::from_flat(settings.sketch, flat).unwrap();
        c
    }

    #[test]
    fn what_is_written_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ndx");
        let settings = settings();
        let written = contents(&settings);
        let expected_sets: Vec<Vec<Fingerprint>> = (0..TEXTS.len())
            .map(|i| written.sets.get(i).to_vec())
            .collect();
        let expected_sigs = written.signatures.clone();
        let expected_figures: Vec<Vec<Figure>> = (0..TEXTS.len())
            .map(|i| written.figures.get(i).to_vec())
            .collect();
        assert!(expected_figures.iter().any(|f| f.len() > 1));
        let header = write_index(&path, &settings, written).unwrap();
        assert_eq!((header.documents, header.sketched), (5, 4));
        assert_eq!(header.templates.as_deref(), Some("auto"));
        assert_eq!((header.bands, header.rows), (8, 4));
        assert_eq!(header.sketch, "oph-densified/1");
        let index = Index::open(&path).unwrap();
        assert_eq!(index.header(), &header);
        assert_eq!(index.len(), 5);
        let d0 = index.doc(0).unwrap();
        assert_eq!(
            (d0.id.as_ref(), d0.title.as_deref(), d0.date.as_deref()),
            ("d0", Some("Rates up"), Some("2024-06-01"))
        );
        for (i, set) in expected_sets.iter().enumerate() {
            assert_eq!(&*index.shingles(i).unwrap(), set.as_slice());
            assert_eq!(index.signature(i).unwrap(), expected_sigs.row(i));
            assert_eq!(index.figures(i).unwrap(), expected_figures[i].as_slice());
        }
        assert!(index.has_figures());
        assert_eq!(index.settings().templates, TemplateRule::Auto);
        // With the template rule off, no figures are kept and the header says so.
        let off = IndexSettings {
            templates: TemplateRule::Off,
            ..settings.clone()
        };
        let plain = dir.path().join("plain.ndx");
        let header = write_index(&plain, &off, contents(&off)).unwrap();
        assert_eq!(header.templates, None);
        let index_off = Index::open(&plain).unwrap();
        assert!(!index_off.has_figures());
        assert!(index_off.figures(0).unwrap().is_empty());
        assert_eq!(index_off.settings().templates, TemplateRule::Off);
        // Every sketched document is in the band tables; the empty one is not.
        for d in [0u32, 1, 3, 4] {
            let found = index.lsh_candidates(expected_sigs.row(d as usize)).unwrap();
            assert!(found.contains(&d), "{d}: {found:?}");
            assert!(!found.contains(&2));
        }
        // The near-copies share a band; the unrelated stories do not meet them.
        assert!(
            index
                .lsh_candidates(expected_sigs.row(0))
                .unwrap()
                .contains(&1)
        );
        assert!(
            !index
                .lsh_candidates(expected_sigs.row(0))
                .unwrap()
                .contains(&3)
        );
    }

    /// The template shingles an index stores are those learnt from its stored sets and
    /// figures (what an archive of several segments learns them from).
    #[test]
    fn stored_templates_are_the_learnt_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ndx");
        // A cut of 2: the two rate stories share shingles, and figures stand in for each.
        let settings = IndexSettings {
            templates: TemplateRule::Df(2),
            ..settings()
        };
        write_index(&path, &settings, contents(&settings)).unwrap();
        let index = Index::open(&path).unwrap();
        let stored = index.templates().unwrap().expect("kept with the figures");
        let learnt = learn_templates(TemplateRule::Df(2), index.len(), 0..5, |d| {
            Ok((index.shingles(d as usize)?, index.figures(d as usize)?))
        })
        .unwrap()
        .unwrap();
        assert!(!stored.is_empty());
        assert_eq!(stored.cut(), 2);
        assert_eq!(stored, learnt);
    }

    #[test]
    fn postings_are_sorted_normalised_and_agree_with_the_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ndx");
        let settings = settings();
        write_index(&path, &settings, contents(&settings)).unwrap();
        let index = Index::open(&path).unwrap();
        let n_terms = index.header().terms;
        let mut norm2 = vec![0f32; index.len()];
        let mut from_postings = Vec::new();
        for t in 0..n_terms as u32 {
            let (docs, weights) = index.postings(t).unwrap();
            assert!(docs.windows(2).all(|w| w[0] < w[1]));
            for (&d, &w) in docs.iter().zip(weights) {
                assert!(w > 0.0);
                norm2[d as usize] += w * w;
                from_postings.push((d, t));
            }
        }
        for (d, n) in norm2.iter().enumerate() {
            let want = if TEXTS[d].is_empty() { 0.0 } else { 1.0 };
            assert!((n - want).abs() < 1e-4, "doc {d}: {n}");
        }
        // Each posting is a term of that document's row, and every row term with idf > 0
        // has its posting.
        let idf = index.idf().unwrap();
        let mut from_rows = Vec::new();
        for d in 0..index.len() {
            let (terms, counts) = index.doc_terms(d).unwrap();
            assert!(terms.windows(2).all(|w| w[0] < w[1]));
            assert!(counts.iter().all(|&c| c > 0));
            from_rows.extend(
                terms
                    .iter()
                    .filter(|&&t| idf[t as usize] > 0.0)
                    .map(|&t| (d as u32, t)),
            );
        }
        from_postings.sort_unstable();
        assert_eq!(from_postings, from_rows);
        // The model read back keeps only the terms inside its df bounds.
        let model = index.tfidf_model().unwrap();
        assert!(model.idf().iter().all(|&x| x > 0.0));
        assert_eq!(model.idf().len(), idf.iter().filter(|&&x| x > 0.0).count());
    }

    #[test]
    fn contents_read_back_write_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.ndx"), dir.path().join("b.ndx"));
        let settings = settings();
        write_index(&a, &settings, contents(&settings)).unwrap();
        let again = Index::open(&a).unwrap().contents().unwrap();
        write_index(&b, &settings, again).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn contents_that_disagree_are_refused_and_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ndx");
        let settings = settings();
        let mut c = contents(&settings);
        c.docs.pop();
        assert!(matches!(
            write_index(&path, &settings, c),
            Err(Error::Mismatch {
                what: "index contents",
                ..
            })
        ));
        let other = IndexSettings {
            sketch: SketchParams {
                seed: 4,
                ..settings.sketch
            },
            ..settings.clone()
        };
        assert!(matches!(
            write_index(&path, &other, contents(&settings)),
            Err(Error::Mismatch { what: "seed", .. })
        ));
        let mut empty = contents(&settings);
        empty.docs.clear();
        empty.sets = ShingleSets::new();
        empty.signatures = SignatureMatrix::from_flat(settings.sketch, Vec::new()).unwrap();
        empty.terms = TermRows::new();
        assert!(matches!(
            write_index(&path, &settings, empty),
            Err(Error::EmptyCorpus)
        ));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
