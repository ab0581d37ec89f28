//! An archive: an index that grows, shrinks and is queried while it does. A folder of
//! immutable index files (segments, each one [`Index`]) with their deletion files, and a
//! manifest naming the current ones (format 3, `docs/index-format.md`):
//!
//! ```text
//! ARCHIVE/manifest.ndx            the current state: segments, deletions, settings
//! ARCHIVE/seg-000001.ndx          an index file (format 2), never changed
//! ARCHIVE/seg-000001.000004.del   segment 1's deletions as of generation 4
//! ARCHIVE/writer.lock             taken by the one writer at a time
//! ```
//!
//! Adding documents writes a new segment (time proportional to what is added); removing
//! writes deletion files; merging rewrites segments into one without their deleted
//! documents, and an add that leaves more than [`MAX_SEGMENTS`] segments merges the two
//! adjacent ones with the fewest documents until it does not. Each change ends by replacing
//! the manifest atomically, so a reader sees one committed state or the next; files no
//! manifest names (left by a writer that died, or replaced by a merge) are removed by the
//! next writer. Queries see every live document of every segment, scored with the
//! archive's TF-IDF statistics ([`super::weights`]), as one index of the live documents
//! would score them. A single index file (format 1 or 2) opens as an archive of one
//! segment.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::deletions::Deletions;
use super::file::IndexFile;
use super::index::{Index, IndexContents, IndexSettings, write_index};
use super::lock::WriterLock;
use super::manifest::{
    MANIFEST, Manifest, SegmentEntry, WRITER_LOCK, deletions_name, segment_name,
};
use super::templates::{learn_templates, read_templates, template_sections};
use super::weights::{ArchiveTerms, SegmentWeights, archive_weights};
use crate::cluster::{Figure, TemplateShingles, Verdict};
use crate::corpus::DocMeta;
use crate::error::{Error, Result};
use crate::shingle::Fingerprint;
use crate::tfidf::TfidfModel;

/// An add that leaves more segments than this merges some.
pub const MAX_SEGMENTS: usize = 10;

/// A segment of an open archive.
#[derive(Debug)]
pub(crate) struct Segment {
    pub(crate) index: Index,
    pub(crate) deleted: Deletions,
}

/// An open archive (or a single index file, as an archive of one segment).
#[derive(Debug)]
pub struct Archive {
    path: PathBuf,
    folder: bool,
    manifest: Manifest,
    segments: Vec<Segment>,
    /// The first document number of each segment, and the total.
    bases: Vec<u32>,
    settings: IndexSettings,
    /// The archive's TF-IDF statistics, where they differ from the one segment's own.
    view: Option<(ArchiveTerms, Vec<SegmentWeights>)>,
    /// The manifest file of the state it shows (a folder's), whose sections hold the
    /// template shingles its commit learnt.
    manifest_file: Option<IndexFile>,
    /// The template shingles of the live documents, read (or learnt) at the first
    /// verification.
    templates: std::sync::OnceLock<Option<TemplateShingles>>,
}

impl Archive {
    /// Opens the archive in the folder `path`, or the index file `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, true)
    }

    /// [`open`](Self::open), computing the archive's TF-IDF statistics only if asked (a
    /// writer needs none: it reads ids and contents).
    fn open_with(path: &Path, statistics: bool) -> Result<Self> {
        if !path.is_dir() {
            let index = Index::open(path)?;
            let manifest = Manifest {
                generation: 0,
                segments: vec![SegmentEntry {
                    file: path.display().to_string(),
                    documents: index.len(),
                    deletions: None,
                    deleted: 0,
                }],
                ..Manifest::empty(index.header().clone(), index.settings().tfidf.clone())
            };
            let deleted = Deletions::none(index.len());
            return Self::assemble(
                path,
                (manifest, None),
                vec![Segment { index, deleted }],
                statistics,
            );
        }
        if !path.join(MANIFEST).is_file() {
            return Err(Error::index(
                path,
                format!("not a neardup index (a folder with no {MANIFEST})"),
            ));
        }
        // A writer may commit (and remove files the last state named) between reading the
        // manifest and opening its files: then read the new manifest.
        let mut attempt = 0;
        loop {
            let (manifest, file) = Manifest::read_file(path)?;
            match Self::open_segments(path, &manifest) {
                Ok(segments) => {
                    return Self::assemble(path, (manifest, Some(file)), segments, statistics);
                }
                Err(Error::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound && attempt < 20 =>
                {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn open_segments(dir: &Path, manifest: &Manifest) -> Result<Vec<Segment>> {
        let mut out = Vec::with_capacity(manifest.segments.len());
        for s in &manifest.segments {
            let index = Index::open(&dir.join(&s.file))?;
            if index.len() != s.documents {
                return Err(Error::index(
                    dir.join(&s.file),
                    "the segment's size differs from the manifest's",
                ));
            }
            let deleted = match &s.deletions {
                Some(d) => Deletions::read(&dir.join(d), s.documents)?,
                None => Deletions::none(s.documents),
            };
            if deleted.len() != s.deleted {
                return Err(Error::index(
                    dir.join(MANIFEST),
                    "damaged archive manifest (deletion count)",
                ));
            }
            out.push(Segment { index, deleted });
        }
        Ok(out)
    }

    /// The archive of `segments` as `manifest` lists them; a folder's when its manifest
    /// file is given (or for a state about to be committed, when `manifest_file` is
    /// `None` and `path` a folder).
    fn assemble(
        path: &Path,
        (manifest, manifest_file): (Manifest, Option<IndexFile>),
        segments: Vec<Segment>,
        statistics: bool,
    ) -> Result<Self> {
        let folder = manifest_file.is_some() || path.is_dir();
        let mut settings = manifest.settings.settings()?;
        settings.tfidf = manifest.tfidf.clone();
        let mut bases = vec![0u32];
        for s in &segments {
            let total = *bases.last().expect("starts at 0") as usize + s.index.len();
            let total = u32::try_from(total).map_err(|_| {
                Error::index(path, "more than 4,294,967,295 documents in one archive")
            })?;
            bases.push(total);
        }
        for s in &segments {
            let (a, b) = (&s.index.settings(), &settings);
            if a.shingle != b.shingle || a.sketch != b.sketch || a.lsh != b.lsh {
                return Err(Error::index(
                    s.index.file().path(),
                    "a segment made with other settings than the archive's",
                ));
            }
        }
        // One segment with its own statistics needs no view.
        let plain = segments.len() == 1
            && segments[0].deleted.is_empty()
            && segments[0].index.settings().tfidf == settings.tfidf;
        let view = match plain || !statistics {
            true => None,
            false => {
                let pairs: Vec<(&Index, &Deletions)> =
                    segments.iter().map(|s| (&s.index, &s.deleted)).collect();
                Some(archive_weights(&pairs, &settings.tfidf)?)
            }
        };
        Ok(Archive {
            path: path.to_owned(),
            folder,
            manifest,
            segments,
            bases,
            settings,
            view,
            manifest_file,
            templates: std::sync::OnceLock::new(),
        })
    }

    /// The folder (or file) it was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether it is a folder of segments (format 3), not a single index file.
    pub fn is_folder(&self) -> bool {
        self.folder
    }

    /// The committed state it shows.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Its segments' index files, in document order.
    pub fn segment_indexes(&self) -> impl Iterator<Item = &Index> {
        self.segments.iter().map(|s| &s.index)
    }

    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub(crate) fn weights(&self, s: usize) -> Option<&SegmentWeights> {
        self.view.as_ref().map(|(_, w)| &w[s])
    }

    pub(crate) fn terms(&self) -> Option<&ArchiveTerms> {
        self.view.as_ref().map(|(t, _)| t)
    }

    pub(crate) fn base(&self, s: usize) -> u32 {
        self.bases[s]
    }

    /// The settings its documents were made with (TF-IDF: the archive's).
    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    /// Document numbers: every document of every segment, deleted ones included.
    pub fn len(&self) -> usize {
        *self.bases.last().expect("starts at 0") as usize
    }

    /// Whether it holds no document number at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Documents not deleted.
    pub fn live(&self) -> usize {
        self.segments
            .iter()
            .map(|s| s.index.len() - s.deleted.len())
            .sum()
    }

    /// The segment and the number in it of document `d`.
    pub(crate) fn locate(&self, d: u32) -> Result<(usize, usize)> {
        if d as usize >= self.len() {
            return Err(Error::index(&self.path, format!("no document number {d}")));
        }
        let s = self.bases.partition_point(|&b| b <= d) - 1;
        Ok((s, (d - self.bases[s]) as usize))
    }

    /// Whether document `d` is deleted.
    pub fn is_deleted(&self, d: u32) -> Result<bool> {
        let (s, i) = self.locate(d)?;
        Ok(self.segments[s].deleted.contains(i))
    }

    /// Document `d`'s metadata.
    pub fn doc(&self, d: u32) -> Result<DocMeta> {
        let (s, i) = self.locate(d)?;
        self.segments[s].index.doc(i)
    }

    /// Document `d`'s shingle fingerprints.
    pub fn shingles(&self, d: u32) -> Result<Cow<'_, [Fingerprint]>> {
        let (s, i) = self.locate(d)?;
        self.segments[s].index.shingles(i)
    }

    /// Document `d`'s signature.
    pub fn signature(&self, d: u32) -> Result<&[u32]> {
        let (s, i) = self.locate(d)?;
        self.segments[s].index.signature(i)
    }

    /// Document `d`'s figures (none when the archive keeps no figures).
    pub fn figures(&self, d: u32) -> Result<&[Figure]> {
        let (s, i) = self.locate(d)?;
        self.segments[s].index.figures(i)
    }

    /// The template shingles of the live documents (as `pairs` learns them from the same
    /// corpus), or `None` when the archive keeps no figures (made with the template rule
    /// off, or before figures were kept): pairs are then verified on plain Jaccard and
    /// containment. A single segment without deletions stores them in its file, a folder's
    /// commit in the manifest; a manifest written before that has none, and they are then
    /// learnt from the segments' sets and figures on the first call.
    pub fn templates(&self) -> Result<Option<&TemplateShingles>> {
        if let Some(t) = self.templates.get() {
            return Ok(t.as_ref());
        }
        let stored = match &self.manifest_file {
            Some(f) => template_sections(f)?.map(|sections| (f, sections)),
            None => None,
        };
        let all_figures = self.segments.iter().all(|s| s.index.has_figures());
        let learnt = match (all_figures, stored) {
            (false, _) => None,
            _ if self.manifest.is_one_whole_segment() => self.segments[0].index.templates()?,
            // Stored by the commit of this state (a manifest written before they were
            // stored has none: then they are learnt here).
            (true, Some((f, sections))) => Some(read_templates(f, sections)?),
            (true, None) => {
                let live = self.segments.iter().enumerate().flat_map(|(s, seg)| {
                    let base = self.bases[s];
                    (0..seg.index.len())
                        .filter(|&i| !seg.deleted.contains(i))
                        .map(move |i| base + i as u32)
                });
                learn_templates(self.settings.templates, self.live(), live, |d| {
                    Ok((self.shingles(d)?, self.figures(d)?))
                })?
            }
        };
        Ok(self.templates.get_or_init(|| learnt).as_ref())
    }

    /// Whether its manifest stores the template shingles of its live documents (as every
    /// commit of a folder of several segments, or with deletions, writes them since
    /// 2026-12-07); `false` also for a single file or one whole segment, which reads the
    /// segment's own.
    pub fn stores_templates(&self) -> Result<bool> {
        match &self.manifest_file {
            Some(f) => Ok(template_sections(f)?.is_some()),
            None => Ok(false),
        }
    }

    /// What verification decides for documents `a` and `b`, as a query does (and as
    /// `pairs` decides for them in the corpus of the live documents): template shingles
    /// weigh less and figures are compared, when the archive keeps figures.
    pub fn verdict(&self, a: u32, b: u32) -> Result<Verdict> {
        let (sa, sb) = (self.shingles(a)?, self.shingles(b)?);
        Ok(self.settings.verifier.verify_with_figures(
            self.templates()?,
            a,
            b,
            &sa,
            &sb,
            self.figures(a)?,
            self.figures(b)?,
        ))
    }

    /// The number of the live document with this id.
    pub fn find_id(&self, id: &str) -> Result<Option<u32>> {
        for (s, seg) in self.segments.iter().enumerate() {
            if let Some(i) = seg.index.find_id(id)?
                && !seg.deleted.contains(i as usize)
            {
                return Ok(Some(self.bases[s] + i));
            }
        }
        Ok(None)
    }

    /// Document `d`'s TF-IDF vector (the archive's idf), L2-normalised, as (token hash,
    /// weight) sorted by hash.
    pub fn doc_vector(&self, d: u32) -> Result<Vec<(u64, f32)>> {
        let (s, i) = self.locate(d)?;
        let index = &self.segments[s].index;
        let idf = match self.weights(s) {
            Some(w) => &w.idf[..],
            None => index.idf()?,
        };
        // Term numbers are in hash order, so the vector stays sorted.
        let hashes = index.term_hashes()?;
        Ok(index
            .doc_vector_with(i, idf)?
            .into_iter()
            .map(|(t, w)| (hashes[t as usize], w))
            .collect())
    }

    /// The archive's TF-IDF model (vocabulary and idf of its live documents).
    pub fn tfidf_model(&self) -> Result<TfidfModel> {
        match &self.view {
            None => self.segments[0].index.tfidf_model(),
            Some((t, _)) => {
                let keep: Vec<usize> = (0..t.hashes.len()).filter(|&i| t.idf[i] > 0.0).collect();
                TfidfModel::from_parts(
                    keep.iter().map(|&i| t.hashes[i]).collect(),
                    keep.iter().map(|&i| t.df[i]).collect(),
                    keep.iter().map(|&i| t.idf[i]).collect(),
                    t.n_docs,
                    self.settings.tfidf.tf_weight(),
                )
            }
        }
    }

    /// Checks every byte of every segment and deletion file.
    pub fn verify(&self) -> Result<()> {
        for s in &self.segments {
            s.index.file().verify()?;
        }
        Ok(())
    }

    // --- writing -------------------------------------------------------------------------

    /// Makes (or replaces the contents of) the archive in folder `dir` with `contents`,
    /// made with `settings`: one segment.
    pub fn create(
        dir: &Path,
        settings: &IndexSettings,
        contents: IndexContents,
    ) -> Result<Manifest> {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::index(
                dir,
                "is a file (a single-file index): remove it, or write a single file with --single-file",
            ));
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let _lock = lock(dir)?;
        let segment_settings = IndexSettings {
            tfidf: settings.tfidf.unbounded(),
            ..settings.clone()
        };
        // Replacing an archive: its counters go on, so no file name comes back.
        let previous = match dir.join(MANIFEST).exists() {
            true => Some(Manifest::read(dir)?),
            false => None,
        };
        let (generation, number) = previous
            .as_ref()
            .map_or((0, 1), |m| (m.generation, m.next_segment));
        let name = segment_name(number);
        let header = write_index(&dir.join(&name), &segment_settings, contents)?;
        let manifest = Manifest {
            generation,
            next_segment: number + 1,
            segments: vec![SegmentEntry {
                file: name,
                documents: header.documents,
                deletions: None,
                deleted: 0,
            }],
            ..Manifest::empty(header, settings.tfidf.clone())
        };
        commit(dir, manifest)
    }

    /// Adds `contents` (made with the archive's settings, see
    /// [`Pipeline::from_index`](crate::Pipeline::from_index)) to the archive in `dir` as a
    /// new segment; ids must stay unique among the live documents. Merges segments when
    /// there are more than [`MAX_SEGMENTS`].
    pub fn add(dir: &Path, contents: IndexContents) -> Result<Manifest> {
        let _lock = lock(dir)?;
        let archive = Archive::open_with(dir, false)?;
        if !archive.folder {
            return Err(Error::index(dir, "not an archive folder"));
        }
        let mut seen = std::collections::HashSet::new();
        for d in &contents.docs {
            if !seen.insert(&d.id) || archive.find_id(&d.id)?.is_some() {
                return Err(Error::Config {
                    field: "id",
                    reason: format!(
                        "document id {:?} is already in the index {}",
                        d.id,
                        dir.display()
                    ),
                });
            }
        }
        let mut manifest = archive.manifest.clone();
        let segment_settings = IndexSettings {
            tfidf: archive.settings.tfidf.unbounded(),
            ..archive.settings.clone()
        };
        let name = manifest.new_segment_name();
        let header = write_index(&dir.join(&name), &segment_settings, contents)?;
        manifest.segments.push(SegmentEntry {
            file: name,
            documents: header.documents,
            deletions: None,
            deleted: 0,
        });
        // Merge adjacent pairs, fewest documents first, down to MAX_SEGMENTS.
        let mut segments = archive.segments;
        segments.push(Segment {
            index: Index::open(&dir.join(&manifest.segments.last().expect("pushed").file))?,
            deleted: Deletions::none(header.documents),
        });
        while manifest.segments.len() > MAX_SEGMENTS {
            let live = |e: &SegmentEntry| e.documents - e.deleted;
            let i = (0..manifest.segments.len() - 1)
                .min_by_key(|&i| live(&manifest.segments[i]) + live(&manifest.segments[i + 1]))
                .expect("more than one segment");
            let merged = merge_segments(dir, &mut manifest, &segments[i..i + 2])?;
            let (entry, segment): (Vec<_>, Vec<_>) = merged.into_iter().unzip();
            manifest.segments.splice(i..i + 2, entry);
            segments.splice(i..i + 2, segment);
        }
        commit(dir, manifest)
    }

    /// Deletes the live documents with these ids from the archive in `dir`; returns the
    /// new state and the ids not found.
    pub fn remove(dir: &Path, ids: &[String]) -> Result<(Manifest, Vec<String>)> {
        let _lock = lock(dir)?;
        let archive = Archive::open_with(dir, false)?;
        if !archive.folder {
            return Err(Error::index(dir, "not an archive folder"));
        }
        let mut deleted: Vec<Deletions> =
            archive.segments.iter().map(|s| s.deleted.clone()).collect();
        let mut changed = vec![false; deleted.len()];
        let mut missing = Vec::new();
        for id in ids {
            let found = archive.find_id(id)?;
            match found {
                Some(d) => {
                    let (s, i) = archive.locate(d)?;
                    changed[s] |= deleted[s].insert(i);
                }
                None if !missing.contains(id) => missing.push(id.clone()),
                None => {}
            }
        }
        let mut manifest = archive.manifest.clone();
        let generation = manifest.generation + 1;
        let mut entries = Vec::with_capacity(manifest.segments.len());
        for (s, entry) in manifest.segments.iter().enumerate() {
            let mut entry = entry.clone();
            if changed[s] {
                if deleted[s].len() == entry.documents {
                    continue;
                }
                let name = deletions_name(&entry.file, generation);
                deleted[s].write(&dir.join(&name), entry.documents)?;
                entry.deletions = Some(name);
                entry.deleted = deleted[s].len();
            }
            entries.push(entry);
        }
        manifest.segments = entries;
        Ok((commit(dir, manifest)?, missing))
    }

    /// Rewrites the archive in `dir` as one segment without its deleted documents.
    pub fn merge(dir: &Path) -> Result<Manifest> {
        let _lock = lock(dir)?;
        let archive = Archive::open_with(dir, false)?;
        if !archive.folder {
            return Err(Error::index(dir, "not an archive folder"));
        }
        let mut manifest = archive.manifest.clone();
        let single = manifest.is_one_whole_segment();
        if manifest.segments.is_empty() || single {
            return Ok(manifest);
        }
        let merged = merge_segments(dir, &mut manifest, &archive.segments)?;
        manifest.segments = merged.into_iter().map(|(e, _)| e).collect();
        commit(dir, manifest)
    }
}

/// Takes the archive's writer lock (made on first use).
fn lock(dir: &Path) -> Result<WriterLock> {
    let path = dir.join(WRITER_LOCK);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    WriterLock::acquire(&path)
}

/// Writes the live documents of `segments` as one new segment, and opens it; `None` when
/// none is live.
fn merge_segments(
    dir: &Path,
    manifest: &mut Manifest,
    segments: &[Segment],
) -> Result<Option<(SegmentEntry, Segment)>> {
    let mut contents: Option<IndexContents> = None;
    for seg in segments {
        let part = seg.index.contents_where(|i| !seg.deleted.contains(i))?;
        match &mut contents {
            None => contents = Some(part),
            Some(c) => c.append(part)?,
        }
    }
    let Some(contents) = contents.filter(|c| !c.docs.is_empty()) else {
        return Ok(None);
    };
    let settings = IndexSettings {
        tfidf: manifest.tfidf.unbounded(),
        ..manifest.settings.settings()?
    };
    let name = manifest.new_segment_name();
    let path = dir.join(&name);
    let header = write_index(&path, &settings, contents)?;
    let entry = SegmentEntry {
        file: name,
        documents: header.documents,
        deletions: None,
        deleted: 0,
    };
    let segment = Segment {
        index: Index::open(&path)?,
        deleted: Deletions::none(header.documents),
    };
    Ok(Some((entry, segment)))
}

/// Commits `manifest` as the next generation, with the template shingles of its live
/// documents when its segments keep figures and they are not one whole segment's own, and
/// removes the files it does not name.
fn commit(dir: &Path, mut manifest: Manifest) -> Result<Manifest> {
    manifest.generation += 1;
    let whole = manifest.is_one_whole_segment();
    let templates = match whole || manifest.settings.templates.is_none() {
        true => None,
        false => {
            let segments = Archive::open_segments(dir, &manifest)?;
            let state = Archive::assemble(dir, (manifest.clone(), None), segments, false)?;
            state.templates()?.cloned()
        }
    };
    manifest.commit(dir, templates.as_ref())?;
    sweep(dir, &manifest);
    Ok(manifest)
}

/// Removes segment and deletion files the manifest does not name (replaced by this commit,
/// or left by a writer that died before its commit). Best effort: a file that cannot be
/// removed now is removed by a later writer.
fn sweep(dir: &Path, manifest: &Manifest) {
    let named: std::collections::HashSet<&str> = manifest
        .segments
        .iter()
        .flat_map(|s| std::iter::once(s.file.as_str()).chain(s.deletions.as_deref()))
        .collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name.starts_with("seg-") && (name.ends_with(".ndx") || name.ends_with(".del"));
        if ours && !named.contains(name) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
