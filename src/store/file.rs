//! The container format: named sections of raw little-endian arrays, a JSON manifest, and a
//! fixed footer (magic, format version, manifest position and checksum).
//!
//! ```text
//! header   "NEARDUP\0" (8 bytes)
//! sections each 8-byte aligned; raw little-endian u8/u32/u64/f32 arrays
//! manifest JSON: parameters, the checksum chunk size (256 KiB; absent in version 1,
//!          where it is 1 MiB), and per section its offset, length, type and the
//!          crc32 of every chunk
//! footer   manifest offset u64 | manifest length u64 | manifest crc32 u32 |
//!          format version u32 | "NDXFOOT\0" (8 bytes)          = 32 bytes
//! ```
//!
//! Opening reads the footer and the manifest only (and checks both); a section's chunks are
//! checked against their crc32 the first time a read touches them, so a query reads and
//! checks only the parts of the file it uses, and a flipped byte anywhere it reads is an
//! error, never a silent wrong answer. [`IndexFile::verify`] checks everything.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// First bytes of every index file.
pub const MAGIC: &[u8; 8] = b"NEARDUP\0";
/// Last bytes of every index file.
pub const FOOTER_MAGIC: &[u8; 8] = b"NDXFOOT\0";
/// The format version this build writes: 2 since index files keep 32-bit shingle
/// fingerprints (version 1 kept the 64-bit hashes).
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format version this build reads.
pub const MIN_FORMAT_VERSION: u32 = 1;
/// Bytes per checksummed chunk.
/// 256 KiB: on the peers' 100k index a cold `neardup query` took 0.050 s with 1 MiB
/// chunks, 0.029 s with 256 KiB and 0.017 s with 64 KiB; 64 KiB raised the p50 of the
/// first 1,000 queries of an open index by 0.15-0.46 ms (`docs/benchmarks.md`). Unit tests use 4 KiB
/// so that small test indexes span many chunks.
pub const CHUNK_BYTES: usize = if cfg!(test) { 1 << 12 } else { 1 << 18 };
/// Bytes per checksummed chunk in format version 1, which did not record it.
const V1_CHUNK_BYTES: usize = 1 << 20;
const FOOTER_BYTES: usize = 32;

/// Element types of sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    /// Bytes.
    U8,
    /// Little-endian u32.
    U32,
    /// Little-endian u64.
    U64,
    /// Little-endian IEEE f32.
    F32,
}

/// Where a section lies and its checksums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionInfo {
    /// Byte offset in the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// Element type.
    pub dtype: Dtype,
    /// crc32 of each [`CHUNK_BYTES`] chunk.
    pub crc: Vec<u32>,
}

/// Writes a container to a temporary file next to `path`, then renames it into place, so a
/// crash leaves any previous file intact.
pub(crate) struct FileWriter {
    path: PathBuf,
    out: BufWriter<AtomicFile>,
    pos: u64,
    sections: BTreeMap<String, SectionInfo>,
}

impl std::fmt::Debug for FileWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileWriter")
            .field("path", &self.path)
            .field("pos", &self.pos)
            .finish()
    }
}

impl FileWriter {
    /// Starts writing the file that will replace `path`.
    pub fn create(path: &Path) -> Result<Self> {
        let tmp = AtomicFile::with_prefix(path, ".neardup-index-")?;
        let mut w = FileWriter {
            path: path.to_owned(),
            out: BufWriter::with_capacity(1 << 20, tmp),
            pos: 0,
            sections: BTreeMap::new(),
        };
        w.raw(MAGIC)?;
        Ok(w)
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(|e| io(&self.path, e))?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn pad(&mut self) -> Result<()> {
        let pad = (8 - (self.pos % 8) as usize) % 8;
        self.raw(&[0u8; 8][..pad])
    }

    /// Starts a section of `T`s that is written piece by piece (so that it never has to be
    /// in memory whole); [`SectionWriter::finish`] ends it.
    pub fn begin<T: Element>(&mut self, name: &str) -> Result<SectionWriter<'_, T>> {
        assert!(
            !self.sections.contains_key(name),
            "section {name} written twice"
        );
        self.pad()?;
        Ok(SectionWriter {
            offset: self.pos,
            w: self,
            name: name.to_owned(),
            len: 0,
            crc: Vec::new(),
            chunk: crc32fast::Hasher::new(),
            in_chunk: 0,
            _t: std::marker::PhantomData,
        })
    }

    fn section<T: Element>(&mut self, name: &str, v: &[T]) -> Result<()> {
        let mut s = self.begin::<T>(name)?;
        s.write(v)?;
        s.finish()
    }

    /// Writes a byte section.
    pub fn bytes(&mut self, name: &str, v: &[u8]) -> Result<()> {
        self.section(name, v)
    }
    /// Writes a u32 section.
    pub fn u32s(&mut self, name: &str, v: &[u32]) -> Result<()> {
        self.section(name, v)
    }
    /// Writes a u64 section.
    pub fn u64s(&mut self, name: &str, v: &[u64]) -> Result<()> {
        self.section(name, v)
    }
    /// Writes an f32 section.
    pub fn f32s(&mut self, name: &str, v: &[f32]) -> Result<()> {
        self.section(name, v)
    }

    /// Writes the manifest (the caller's `header`, plus the section table) and the footer,
    /// syncs, and renames the file into place.
    pub fn finish<H: Serialize>(mut self, header: &H) -> Result<()> {
        #[derive(Serialize)]
        struct Manifest<'a, H> {
            header: &'a H,
            chunk_bytes: usize,
            sections: &'a BTreeMap<String, SectionInfo>,
        }
        self.pad()?;
        let offset = self.pos;
        let json = serde_json::to_vec(&Manifest {
            header,
            chunk_bytes: CHUNK_BYTES,
            sections: &self.sections,
        })
        .map_err(|e| Error::index(&self.path, format!("cannot encode the manifest: {e}")))?;
        self.raw(&json)?;
        let mut footer = Vec::with_capacity(FOOTER_BYTES);
        footer.extend_from_slice(&offset.to_le_bytes());
        footer.extend_from_slice(&(json.len() as u64).to_le_bytes());
        footer.extend_from_slice(&crc32fast::hash(&json).to_le_bytes());
        footer.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        footer.extend_from_slice(FOOTER_MAGIC);
        self.raw(&footer)?;
        let path = self.path.clone();
        let tmp = self
            .out
            .into_inner()
            .map_err(|e| io(&path, e.into_error()))?;
        tmp.commit()
    }
}

/// The element types of sections.
pub(crate) trait Element: bytemuck::Pod {
    /// The section type of an array of these.
    const DTYPE: Dtype;
}
impl Element for u8 {
    const DTYPE: Dtype = Dtype::U8;
}
impl Element for u32 {
    const DTYPE: Dtype = Dtype::U32;
}
impl Element for u64 {
    const DTYPE: Dtype = Dtype::U64;
}
impl Element for f32 {
    const DTYPE: Dtype = Dtype::F32;
}

/// A section being written piece by piece ([`FileWriter::begin`]): the pieces are written
/// through as they come and their checksums are kept per [`CHUNK_BYTES`] chunk, exactly as
/// if the whole array had been written at once.
pub(crate) struct SectionWriter<'a, T> {
    w: &'a mut FileWriter,
    name: String,
    offset: u64,
    len: u64,
    crc: Vec<u32>,
    chunk: crc32fast::Hasher,
    in_chunk: usize,
    _t: std::marker::PhantomData<T>,
}

impl<T: Element> SectionWriter<'_, T> {
    /// Appends `v` to the section.
    pub fn write(&mut self, v: &[T]) -> Result<()> {
        let bytes = le_bytes(v);
        let mut rest: &[u8] = &bytes;
        while !rest.is_empty() {
            let take = rest.len().min(CHUNK_BYTES - self.in_chunk);
            let (piece, tail) = rest.split_at(take);
            self.chunk.update(piece);
            self.in_chunk += take;
            if self.in_chunk == CHUNK_BYTES {
                let full = std::mem::replace(&mut self.chunk, crc32fast::Hasher::new());
                self.crc.push(full.finalize());
                self.in_chunk = 0;
            }
            rest = tail;
        }
        self.w.raw(&bytes)?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Ends the section and records it in the manifest.
    pub fn finish(mut self) -> Result<()> {
        if self.in_chunk > 0 {
            self.crc.push(self.chunk.finalize());
        }
        let info = SectionInfo {
            offset: self.offset,
            len: self.len,
            dtype: T::DTYPE,
            crc: self.crc,
        };
        self.w.sections.insert(self.name, info);
        Ok(())
    }
}

/// Little-endian bytes of a slice of plain numbers.
fn le_bytes<T: bytemuck::Pod>(v: &[T]) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(target_endian = "little")]
    {
        std::borrow::Cow::Borrowed(bytemuck::cast_slice(v))
    }
    #[cfg(not(target_endian = "little"))]
    {
        compile_error!("index files are little-endian; big-endian targets are not supported yet")
    }
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source: e,
    }
}

/// A resolved section of an open container: cheap to copy, looked up once by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section(usize);

/// An open, memory-mapped container.
pub struct IndexFile {
    path: PathBuf,
    /// Declared before `map`, so it is unregistered before the map is dropped.
    _guard: super::guard::MappedRange,
    map: memmap2::Mmap,
    sections: BTreeMap<String, SectionInfo>,
    /// Sections by handle number: name and table entry.
    table: Vec<(String, SectionInfo)>,
    /// Per section (by handle number), whether each chunk has been checked.
    checked: Vec<Vec<AtomicBool>>,
    header: serde_json::Value,
    version: u32,
    /// Bytes per checksummed chunk.
    chunk: usize,
}

impl std::fmt::Debug for IndexFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexFile")
            .field("path", &self.path)
            .field("bytes", &self.map.len())
            .field("sections", &self.sections.len())
            .finish()
    }
}

impl IndexFile {
    /// Maps `path` and checks its header, footer, format version and manifest.
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| io(path, e))?;
        if !file.metadata().map_err(|e| io(path, e))?.is_file() {
            return Err(Error::index(path, "not a neardup index (not a file)"));
        }
        // SAFETY: the map is read-only; a file changed underneath by another process can
        // give wrong bytes, which the chunk checksums then report.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| io(path, e))?;
        // Registered before the first read (and dropped before the map).
        let guard = super::guard::MappedRange::new(&map, path);
        let bad = |reason: String| Error::index(path, reason);
        if map.len() < MAGIC.len() || &map[..MAGIC.len()] != MAGIC {
            return Err(bad("not a neardup index (bad magic number)".into()));
        }
        if map.len() < MAGIC.len() + FOOTER_BYTES || &map[map.len() - 8..] != FOOTER_MAGIC {
            return Err(bad(
                "truncated or damaged index (no footer); rebuild it".into()
            ));
        }
        let f = &map[map.len() - FOOTER_BYTES..];
        let word = |i: usize| u64::from_le_bytes(f[i..i + 8].try_into().expect("8 bytes"));
        let (offset, len) = (word(0), word(8));
        let crc = u32::from_le_bytes(f[16..20].try_into().expect("4 bytes"));
        let version = u32::from_le_bytes(f[20..24].try_into().expect("4 bytes"));
        if !(MIN_FORMAT_VERSION..=FORMAT_VERSION).contains(&version) {
            let fix = if version > FORMAT_VERSION {
                "a newer neardup wrote it; upgrade neardup, or rebuild the index with this one"
            } else {
                "rebuild the index with `neardup index build`"
            };
            return Err(bad(format!(
                "index format version {version}; this neardup reads versions {MIN_FORMAT_VERSION} to {FORMAT_VERSION} ({fix})"
            )));
        }
        let end = offset
            .checked_add(len)
            .filter(|&e| e <= (map.len() - FOOTER_BYTES) as u64);
        let Some(end) = end else {
            return Err(bad("damaged index (manifest out of bounds)".into()));
        };
        let json = &map[offset as usize..end as usize];
        if crc32fast::hash(json) != crc {
            return Err(bad("damaged index (manifest checksum mismatch)".into()));
        }
        #[derive(Deserialize)]
        struct Manifest {
            header: serde_json::Value,
            #[serde(default)]
            chunk_bytes: Option<usize>,
            sections: BTreeMap<String, SectionInfo>,
        }
        let m: Manifest = serde_json::from_slice(json)
            .map_err(|e| bad(format!("damaged index (manifest: {e})")))?;
        let chunk = match (version, m.chunk_bytes) {
            (1, None) => V1_CHUNK_BYTES,
            (2.., Some(c)) if c.is_power_of_two() && c >= 4096 => c,
            _ => return Err(bad("damaged index (manifest: checksum chunk size)".into())),
        };
        for (name, s) in &m.sections {
            let ok = s.offset % 8 == 0
                && s.offset.checked_add(s.len).is_some_and(|e| e <= offset)
                && s.crc.len() == (s.len as usize).div_ceil(chunk);
            if !ok {
                return Err(bad(format!("damaged index (section {name} out of bounds)")));
            }
        }
        let table: Vec<(String, SectionInfo)> = m
            .sections
            .iter()
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect();
        let checked = table
            .iter()
            .map(|(_, s)| (0..s.crc.len()).map(|_| AtomicBool::new(false)).collect())
            .collect();
        Ok(IndexFile {
            path: path.to_owned(),
            _guard: guard,
            map,
            sections: m.sections,
            table,
            checked,
            header: m.header,
            version,
            chunk,
        })
    }

    /// The path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the file is empty (never, for a valid index).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The format version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The caller's header from the manifest.
    pub(crate) fn header(&self) -> &serde_json::Value {
        &self.header
    }

    /// The section table.
    pub fn sections(&self) -> &BTreeMap<String, SectionInfo> {
        &self.sections
    }

    /// Resolves a section by name, checking its element type.
    pub fn section(&self, name: &str, dtype: Dtype) -> Result<Section> {
        let i = self
            .table
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .map_err(|_| Error::index(&self.path, format!("damaged index (no section {name})")))?;
        if self.table[i].1.dtype != dtype {
            return Err(Error::index(
                &self.path,
                format!("damaged index (section {name} has the wrong type)"),
            ));
        }
        Ok(Section(i))
    }

    /// Bytes `start..end` of a section, after checking the chunks they lie in.
    fn checked_bytes(&self, sec: Section, start: usize, end: usize) -> Result<&[u8]> {
        let (name, s) = &self.table[sec.0];
        let base = s.offset as usize;
        let flags = &self.checked[sec.0];
        if end > start {
            let (first, last) = (start / self.chunk, (end - 1) / self.chunk);
            for (c, flag) in flags.iter().enumerate().take(last + 1).skip(first) {
                if flag.load(Ordering::Relaxed) {
                    continue;
                }
                let lo = base + c * self.chunk;
                let hi = (lo + self.chunk).min(base + s.len as usize);
                if crc32fast::hash(&self.map[lo..hi]) != s.crc[c] {
                    return Err(Error::index(
                        &self.path,
                        format!(
                            "damaged index (checksum mismatch in section {name}, bytes {lo}..{hi}); rebuild it"
                        ),
                    ));
                }
                flag.store(true, Ordering::Relaxed);
            }
        }
        Ok(&self.map[base + start..base + end])
    }

    /// Elements `range` (or all) of a section, their chunks checked first when `check`.
    fn slice_at<T: bytemuck::Pod>(
        &self,
        sec: Section,
        range: Option<std::ops::Range<usize>>,
        check: bool,
    ) -> Result<&[T]> {
        let (name, s) = &self.table[sec.0];
        let size = std::mem::size_of::<T>();
        let n = s.len as usize / size;
        let r = range.unwrap_or(0..n);
        if r.start > r.end || r.end > n || !(s.len as usize).is_multiple_of(size) {
            return Err(Error::index(
                &self.path,
                format!("damaged index (read past section {name})"),
            ));
        }
        let (start, end) = (r.start * size, r.end * size);
        let bytes = if check {
            self.checked_bytes(sec, start, end)?
        } else {
            let base = s.offset as usize;
            &self.map[base + start..base + end]
        };
        bytemuck::try_cast_slice(bytes)
            .map_err(|e| Error::index(&self.path, format!("damaged index (section {name}: {e})")))
    }

    /// Elements `range` of a resolved u64 section, bounds-checked but with their checksums
    /// NOT checked: only for a search whose answer the caller then proves on checked
    /// elements (see `Index::band_bucket`).
    pub(crate) fn u64s_unverified_at(
        &self,
        sec: Section,
        range: std::ops::Range<usize>,
    ) -> Result<&[u64]> {
        self.slice_at(sec, Some(range), false)
    }

    /// Elements `range` (or all) of a resolved u32 section.
    pub fn u32s_at(&self, sec: Section, range: Option<std::ops::Range<usize>>) -> Result<&[u32]> {
        self.slice_at(sec, range, true)
    }
    /// Elements `range` (or all) of a resolved u64 section.
    pub fn u64s_at(&self, sec: Section, range: Option<std::ops::Range<usize>>) -> Result<&[u64]> {
        self.slice_at(sec, range, true)
    }
    /// Elements `range` (or all) of a resolved f32 section.
    pub fn f32s_at(&self, sec: Section, range: Option<std::ops::Range<usize>>) -> Result<&[f32]> {
        self.slice_at(sec, range, true)
    }
    /// Bytes `range` (or all) of a resolved byte section.
    pub fn bytes_at(&self, sec: Section, range: Option<std::ops::Range<usize>>) -> Result<&[u8]> {
        self.slice_at(sec, range, true)
    }

    fn slice<T: bytemuck::Pod>(
        &self,
        name: &str,
        dtype: Dtype,
        range: Option<std::ops::Range<usize>>,
    ) -> Result<&[T]> {
        let sec = self.section(name, dtype)?;
        self.slice_at(sec, range, true)
    }

    /// A whole byte section.
    pub fn bytes(&self, name: &str, range: Option<std::ops::Range<usize>>) -> Result<&[u8]> {
        self.slice(name, Dtype::U8, range)
    }
    /// Elements `range` (or all) of a u32 section.
    pub fn u32s(&self, name: &str, range: Option<std::ops::Range<usize>>) -> Result<&[u32]> {
        self.slice(name, Dtype::U32, range)
    }
    /// Elements `range` (or all) of a u64 section.
    pub fn u64s(&self, name: &str, range: Option<std::ops::Range<usize>>) -> Result<&[u64]> {
        self.slice(name, Dtype::U64, range)
    }
    /// Elements `range` (or all) of an f32 section.
    pub fn f32s(&self, name: &str, range: Option<std::ops::Range<usize>>) -> Result<&[f32]> {
        self.slice(name, Dtype::F32, range)
    }

    /// Number of elements of a section.
    pub fn count(&self, name: &str) -> Result<usize> {
        let s = self.sections.get(name).ok_or_else(|| {
            Error::index(&self.path, format!("damaged index (no section {name})"))
        })?;
        let size = match s.dtype {
            Dtype::U8 => 1,
            Dtype::U32 | Dtype::F32 => 4,
            Dtype::U64 => 8,
        };
        Ok(s.len as usize / size)
    }

    /// Checks every chunk of every section.
    pub fn verify(&self) -> Result<()> {
        for (i, (_, s)) in self.table.iter().enumerate() {
            self.checked_bytes(Section(i), 0, s.len as usize)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_written_in_pieces_equal_sections_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ndx");
        let mut w = FileWriter::create(&path).unwrap();
        // 2.3 chunks of u32s, split at sizes that straddle chunk boundaries.
        let v: Vec<u32> = (0..(CHUNK_BYTES as u32 / 4) * 23 / 10).collect();
        w.u32s("whole", &v).unwrap();
        let mut s = w.begin::<u32>("pieces").unwrap();
        let mut rest = &v[..];
        for take in [1, 7, CHUNK_BYTES / 4 - 8, 3, CHUNK_BYTES / 4 + 5] {
            let (a, b) = rest.split_at(take);
            s.write(a).unwrap();
            rest = b;
        }
        s.write(rest).unwrap();
        s.finish().unwrap();
        w.begin::<u64>("empty").unwrap().finish().unwrap();
        w.finish(&serde_json::json!({})).unwrap();
        let f = IndexFile::open(&path).unwrap();
        let (a, b) = (&f.sections()["whole"], &f.sections()["pieces"]);
        assert_eq!(a.crc.len(), 3);
        assert_eq!((a.len, &a.crc, a.dtype), (b.len, &b.crc, b.dtype));
        assert_eq!(f.u32s("pieces", None).unwrap(), &v[..]);
        assert_eq!(f.u64s("empty", None).unwrap(), &[] as &[u64]);
        f.verify().unwrap();
    }

    #[test]
    fn round_trip_and_damage_detection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ndx");
        let mut w = FileWriter::create(&path).unwrap();
        let big: Vec<u64> = (0..300_000u64).collect();
        w.u64s("big", &big).unwrap();
        w.bytes("name", b"hello").unwrap();
        w.u32s("small", &[1, 2, 3]).unwrap();
        w.f32s("w", &[0.5, 0.25]).unwrap();
        w.finish(&serde_json::json!({"n": 3})).unwrap();
        let f = IndexFile::open(&path).unwrap();
        assert_eq!(f.header()["n"], 3);
        assert_eq!(f.u32s("small", None).unwrap(), [1, 2, 3]);
        assert_eq!(
            f.u64s("big", Some(299_998..300_000)).unwrap(),
            [299_998, 299_999]
        );
        assert_eq!(f.bytes("name", None).unwrap(), b"hello");
        assert_eq!(f.f32s("w", None).unwrap(), [0.5, 0.25]);
        assert!(f.u32s("big", None).is_err(), "wrong type");
        assert!(f.u32s("small", Some(2..4)).is_err(), "out of range");
        f.verify().unwrap();
        drop(f);
        let good = std::fs::read(&path).unwrap();
        // A flipped byte in the last chunk of "big": opening works, reading it does not.
        let mut bad = good.clone();
        let at = 8 + 300_000 * 8 - 10;
        bad[at] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        let f = IndexFile::open(&path).unwrap();
        assert_eq!(f.u64s("big", Some(0..10)).unwrap().len(), 10);
        let e = f
            .u64s("big", Some(299_000..300_000))
            .unwrap_err()
            .to_string();
        assert!(e.contains("checksum mismatch in section big"), "{e}");
        assert!(f.verify().is_err());
        // Truncated, another version, not an index.
        std::fs::write(&path, &good[..good.len() - 5]).unwrap();
        assert!(
            IndexFile::open(&path)
                .unwrap_err()
                .to_string()
                .contains("truncated")
        );
        let mut newer = good.clone();
        let n = newer.len();
        newer[n - 12..n - 8].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        std::fs::write(&path, &newer).unwrap();
        let e = IndexFile::open(&path).unwrap_err().to_string();
        assert!(
            e.contains(&format!("format version {}", FORMAT_VERSION + 1)),
            "{e}"
        );
        std::fs::write(&path, b"id,text\n1,hello\n").unwrap();
        assert!(
            IndexFile::open(&path)
                .unwrap_err()
                .to_string()
                .contains("not a neardup index")
        );
        // A flipped byte in the manifest.
        let mut m = good.clone();
        m[n - 40] ^= 0x20;
        std::fs::write(&path, &m).unwrap();
        assert!(
            IndexFile::open(&path)
                .unwrap_err()
                .to_string()
                .contains("damaged")
        );
    }
}
