//! Reading documents: JSONL, CSV, folders of `.txt`, the raw article form, standard input.
//!
//! Readers stream: they hand out batches of a few megabytes, and a JSONL batch is a
//! list of line ranges in a memory-mapped file, parsed later (in parallel, by the
//! pipeline) without copying the text. Memory therefore grows with what later stages keep,
//! not with the raw text.

mod copy;
mod csv_reader;
mod date;
mod document;
mod jsonl;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "parquet")]
mod parquet_footer;

/// How neardup writes Parquet (shared by `dedup`'s copies and result tables).
#[cfg(feature = "parquet")]
pub(crate) mod parquet_writing {
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::{WriterProperties, WriterPropertiesBuilder};

    use crate::error::Error;

    /// The properties neardup writes Parquet with: zstd pages, row groups of at most
    /// 64Ki rows (a writer holds a row group's encoded pages until it is complete).
    pub(crate) fn properties() -> WriterProperties {
        builder().build()
    }

    /// [`properties`], to add to.
    pub(crate) fn builder() -> WriterPropertiesBuilder {
        WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(1 << 16))
    }

    /// A Parquet or Arrow error while writing.
    pub(crate) fn write_error(e: impl std::fmt::Display) -> Error {
        Error::Io {
            path: "Parquet output".into(),
            source: std::io::Error::other(e.to_string()),
        }
    }
}
mod raw;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[cfg(feature = "parquet")]
pub use copy::copy_parquet_rows;
pub use copy::{copy_files, copy_records};
pub use csv_reader::CsvReader;
pub use date::{
    UnreadableDates, dated_span, day_number, day_of, first_published, given_day, is_missing_date,
    iso_day, parse_date, publication_key, shown_date, shown_day, unreadable_dates,
};
pub use document::{DocMeta, Document, FieldMap};
pub use jsonl::parse_jsonl_line;
#[cfg(feature = "parquet")]
pub(crate) use parquet::open_builder as open_parquet;
pub use raw::{parse_raw, split_raw};

use crate::error::{Error, Result};

/// How an input is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// One document per file (a folder is read recursively); a file that starts in the raw
    /// form `[OUTLET] date YYYY-MM-DD body` gets its outlet and date from that header.
    Txt,
    /// One document per file, which must be in the raw form `[OUTLET] date YYYY-MM-DD body`.
    Raw,
    /// Apache Parquet, one document per row (needs the `parquet` feature, on by default).
    Parquet,
}

impl InputFormat {
    /// The format a path's extension implies (`.jsonl`/`.ndjson`/`.json`, `.csv`, `.txt`,
    /// `.parquet`/`.pq`, a folder), or `None`.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        if path.is_dir() {
            return Some(InputFormat::Txt);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
            "csv" => Some(InputFormat::Csv),
            "txt" => Some(InputFormat::Txt),
            "parquet" | "pq" => Some(InputFormat::Parquet),
            _ => None,
        }
    }
}

/// One input: a path (`-` for standard input) and its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as given.
    pub path: PathBuf,
    /// Its format.
    pub format: InputFormat,
}

impl Input {
    /// Resolves the format: the override if given, else from the extension. Standard
    /// input without an override is JSONL.
    pub fn new(path: impl Into<PathBuf>, format: Option<InputFormat>) -> Result<Input> {
        let path = path.into();
        let format = match format {
            Some(f) => f,
            None if path.as_os_str() == "-" => InputFormat::Jsonl,
            None => {
                if !path.exists() {
                    return Err(not_found(&path));
                }
                InputFormat::from_path(&path).ok_or_else(|| {
                    Error::parse(
                        &path,
                        0,
                        "unknown format: name it .jsonl, .csv or .txt, or pass --input-format",
                    )
                })?
            }
        };
        Ok(Input { path, format })
    }
}

fn not_found(path: &Path) -> Error {
    Error::Io {
        path: path.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
    }
}

/// Bytes of an input read into memory: a batch's worth of whole lines.
pub(crate) type Buffer = Vec<u8>;

/// A group of records from one input.
pub(crate) struct Batch {
    /// The input they come from.
    pub path: Arc<PathBuf>,
    /// The records.
    pub records: Records,
}

/// The records of a batch.
pub(crate) enum Records {
    /// Unparsed JSONL lines: (1-based line number, byte range in `buf`).
    Lines {
        /// The bytes the ranges point into.
        buf: Arc<Buffer>,
        /// The offset of `buf` in the input.
        base: u64,
        /// One entry per line.
        lines: Vec<(u64, Range<usize>)>,
    },
    /// Parsed documents.
    Docs(Vec<Document<'static>>),
}

/// Parses one line of a [`Records::Lines`] batch (`buf` at offset `base` of its input),
/// recording where its bytes are in the input, line ending included.
pub(crate) fn parse_line<'b>(
    buf: &'b [u8],
    base: u64,
    (line, range): (u64, Range<usize>),
    path: &Path,
    fields: &FieldMap,
) -> Result<Option<Document<'b>>> {
    let end = if range.end < buf.len() {
        range.end + 1
    } else {
        range.end
    };
    let start = range.start;
    let doc = parse_jsonl_line(&buf[range], path, line, fields)?;
    Ok(doc.map(|mut d| {
        d.bytes = Some(base + start as u64..base + end as u64);
        d
    }))
}

enum Open {
    JsonlStream {
        reader: Box<dyn Read + Send>,
        carry: Vec<u8>,
        /// Bytes of the stream before `carry`.
        offset: u64,
        line: u64,
        eof: bool,
    },
    Csv(Box<CsvReader<Box<dyn Read + Send>>>),
    #[cfg(feature = "parquet")]
    Parquet(Box<parquet::ParquetSource>),
    Files {
        root: PathBuf,
        files: VecDeque<PathBuf>,
        raw_required: bool,
    },
}

/// Streams batches from a list of inputs, in order.
pub struct CorpusReader {
    inputs: VecDeque<Input>,
    current: Option<(Arc<PathBuf>, Open)>,
    fields: FieldMap,
    batch_bytes: usize,
    strict_dates: bool,
    max_record_bytes: usize,
}

/// The longest id read, in bytes: a longer one is an error naming its line (an id is a
/// key, printed on every output row; a page of text in it is a mistaken column).
pub const MAX_ID_BYTES: usize = 4096;

/// Bytes per batch unless told otherwise.
pub const DEFAULT_BATCH_BYTES: usize = 8 << 20;

/// The largest record (a JSONL line, a `.txt` file) read unless told otherwise: 256 MiB.
/// A longer one is an error naming it, rather than memory spent on what is almost surely
/// not one article (a dump without line ends, a binary file).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 256 << 20;

impl CorpusReader {
    /// A reader over `inputs`, in order.
    pub fn new(inputs: Vec<Input>, fields: FieldMap) -> Self {
        CorpusReader {
            inputs: inputs.into(),
            current: None,
            fields,
            batch_bytes: DEFAULT_BATCH_BYTES,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            strict_dates: false,
        }
    }

    /// Makes a date that cannot be read (see [`parse_date`]) an error naming its file and
    /// line, instead of an undated document.
    pub fn strict_dates(mut self, strict: bool) -> Self {
        self.strict_dates = strict;
        self
    }

    /// Whether unreadable dates are errors.
    pub fn is_strict_dates(&self) -> bool {
        self.strict_dates
    }

    /// Sets the largest record read, in bytes (default [`DEFAULT_MAX_RECORD_BYTES`]): a
    /// JSONL line, a CSV record, a `.txt` file or a Parquet row's text over it is an error
    /// naming it.
    pub fn max_record_bytes(mut self, bytes: usize) -> Self {
        self.max_record_bytes = bytes.max(1);
        self
    }

    /// The error of a line over [`max_record_bytes`](Self::max_record_bytes).
    fn too_long(&self, path: &Path, line: u64) -> Error {
        too_long(path, line, "a line longer than", self.max_record_bytes)
    }

    /// Sets the approximate size of a batch in bytes.
    pub fn batch_bytes(mut self, bytes: usize) -> Self {
        self.batch_bytes = bytes.max(1);
        self
    }

    /// The field names in use.
    pub fn fields(&self) -> &FieldMap {
        &self.fields
    }

    /// Reads every document into memory (for small inputs and tests).
    pub fn read_all(mut self) -> Result<Vec<Document<'static>>> {
        let fields = self.fields.clone();
        let mut docs = Vec::new();
        while let Some(batch) = self.next_batch() {
            let batch = batch?;
            match batch.records {
                Records::Docs(d) => docs.extend(d),
                Records::Lines { buf, base, lines } => {
                    for l in lines {
                        if let Some(d) = parse_line(&buf, base, l, &batch.path, &fields)? {
                            docs.push(d.into_owned());
                        }
                    }
                }
            }
        }
        Ok(docs)
    }

    fn open(&self, input: &Input) -> Result<Open> {
        let path = &input.path;
        let stdin = path.as_os_str() == "-";
        match input.format {
            InputFormat::Jsonl if stdin => Ok(Open::JsonlStream {
                reader: Box::new(std::io::stdin()),
                carry: Vec::new(),
                offset: 0,
                line: 0,
                eof: false,
            }),
            InputFormat::Jsonl => {
                // Read, not mapped: a file truncated or rewritten while it is read ends
                // early or changes, where a map would kill the process (SIGBUS). As fast
                // as the map was (one copy of each byte), and a pipe named as a file
                // (`/dev/stdin`, `<(zcat f.gz)`) reads the same way.
                Ok(Open::JsonlStream {
                    reader: Box::new(open_file(path)?),
                    carry: Vec::new(),
                    offset: 0,
                    line: 0,
                    eof: false,
                })
            }
            InputFormat::Csv => {
                let reader: Box<dyn Read + Send> = if stdin {
                    Box::new(std::io::stdin())
                } else {
                    // Looks at the first bytes without reading them away (a pipe cannot be
                    // opened twice).
                    let mut file = std::io::BufReader::with_capacity(1 << 16, open_file(path)?);
                    check_not_binary(path, file.fill_buf().map_err(|e| io_err(path, e))?)?;
                    Box::new(file)
                };
                Ok(Open::Csv(Box::new(
                    CsvReader::new(reader, path, &self.fields)?
                        .max_record_bytes(self.max_record_bytes),
                )))
            }
            InputFormat::Parquet => {
                if stdin {
                    return Err(Error::parse(
                        path,
                        0,
                        "standard input cannot be read as Parquet (save it to a file)",
                    ));
                }
                #[cfg(feature = "parquet")]
                {
                    open_file(path)?;
                    Ok(Open::Parquet(Box::new(parquet::ParquetSource::open(
                        path,
                        &self.fields,
                        self.max_record_bytes,
                    )?)))
                }
                #[cfg(not(feature = "parquet"))]
                Err(Error::config(
                    "format",
                    format!(
                        "{}: Parquet needs neardup built with the `parquet` feature",
                        path.display()
                    ),
                ))
            }
            InputFormat::Txt | InputFormat::Raw => {
                let raw_required = input.format == InputFormat::Raw;
                // Standard input is one text, whole (its id `-`).
                let files = if stdin {
                    VecDeque::from([path.clone()])
                } else if path.is_dir() {
                    let mut files = VecDeque::new();
                    // Symbolic links are followed (a loop is an error naming it).
                    for entry in walkdir::WalkDir::new(path)
                        .follow_links(true)
                        .sort_by_file_name()
                    {
                        let entry = entry.map_err(|e| {
                            let p = e.path().unwrap_or(path).to_owned();
                            io_err(&p, e.into())
                        })?;
                        let is_txt = entry
                            .path()
                            .extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
                        if entry.file_type().is_file() && is_txt {
                            files.push_back(entry.into_path());
                        }
                    }
                    files
                } else {
                    open_file(path)?;
                    VecDeque::from([path.clone()])
                };
                Ok(Open::Files {
                    root: path.clone(),
                    files,
                    raw_required,
                })
            }
        }
    }

    fn next_records(&mut self, path: &Arc<PathBuf>, open: &mut Open) -> Result<Option<Records>> {
        let batch_bytes = self.batch_bytes;
        match open {
            Open::JsonlStream {
                reader,
                carry,
                offset,
                line,
                eof,
            } => {
                if *eof && carry.is_empty() {
                    return Ok(None);
                }
                let mut data = std::mem::take(carry);
                let mut chunk = vec![0u8; batch_bytes.max(64 << 10)];
                // Only the bytes just read are searched for a line end: a line of a
                // gigabyte costs one pass, not one per chunk.
                let mut whole_line = memchr::memchr(b'\n', &data).is_some();
                while !*eof && (!whole_line || data.len() < batch_bytes) {
                    if !whole_line && data.len() > self.max_record_bytes {
                        return Err(self.too_long(path, *line + 1));
                    }
                    let n = reader.read(&mut chunk).map_err(|e| io_err(path, e))?;
                    if n == 0 {
                        *eof = true;
                    }
                    whole_line |= memchr::memchr(b'\n', &chunk[..n]).is_some();
                    data.extend_from_slice(&chunk[..n]);
                }
                check_not_binary(path, &data[..data.len().min(8192)])?;
                let cut = if *eof {
                    data.len()
                } else {
                    memchr::memrchr(b'\n', &data).map_or(data.len(), |i| i + 1)
                };
                let mut pos = 0;
                let lines = split_lines(&data[..cut], &mut pos, line, batch_bytes);
                if let Some((n, _)) = lines.iter().find(|(_, r)| r.len() > self.max_record_bytes) {
                    return Err(self.too_long(path, *n));
                }
                // What is left (lines past the batch's cap, a line not yet ended) waits.
                *carry = data.split_off(pos.min(data.len()));
                let base = *offset;
                *offset += data.len() as u64;
                let buf = Arc::new(data);
                Ok(Some(Records::Lines { buf, base, lines }))
            }
            Open::Csv(reader) => {
                let docs = reader.next_batch(batch_bytes)?;
                Ok((!docs.is_empty()).then_some(Records::Docs(docs)))
            }
            #[cfg(feature = "parquet")]
            Open::Parquet(source) => Ok(source.next_docs()?.map(Records::Docs)),
            Open::Files {
                root,
                files,
                raw_required,
            } => {
                let mut docs = Vec::new();
                let mut bytes = 0;
                while bytes < batch_bytes && docs.len() < 4096 {
                    let Some(file) = files.pop_front() else { break };
                    let doc = read_text_file(root, &file, *raw_required, self.max_record_bytes)?;
                    bytes += doc.text.len();
                    docs.push(doc);
                }
                Ok((!docs.is_empty()).then_some(Records::Docs(docs)))
            }
        }
    }
}

impl CorpusReader {
    /// The next batch, in input order; `None` when every input is read.
    pub(crate) fn next_batch(&mut self) -> Option<Result<Batch>> {
        loop {
            if self.current.is_none() {
                let input = self.inputs.pop_front()?;
                match self.open(&input) {
                    Ok(open) => self.current = Some((Arc::new(input.path), open)),
                    Err(e) => {
                        self.inputs.clear();
                        return Some(Err(e));
                    }
                }
            }
            let (path, mut open) = self.current.take()?;
            match self.next_records(&path, &mut open) {
                Ok(Some(records)) => {
                    self.current = Some((Arc::clone(&path), open));
                    return Some(Ok(Batch { path, records }));
                }
                Ok(None) => continue,
                Err(e) => {
                    self.inputs.clear();
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The most lines in one batch: a file of short (or blank) lines must not make a batch
/// of millions of per-line results.
const MAX_BATCH_LINES: usize = 1 << 16;

/// Splits whole lines from `buf[*pos..]` until about `max_bytes` or [`MAX_BATCH_LINES`]
/// lines are taken.
fn split_lines(
    buf: &[u8],
    pos: &mut usize,
    line: &mut u64,
    max_bytes: usize,
) -> Vec<(u64, Range<usize>)> {
    let start = *pos;
    let mut lines = Vec::new();
    while *pos < buf.len() && *pos - start < max_bytes && lines.len() < MAX_BATCH_LINES {
        let end = memchr::memchr(b'\n', &buf[*pos..]).map_or(buf.len(), |i| *pos + i);
        *line += 1;
        lines.push((*line, *pos..end));
        *pos = end + 1;
    }
    lines
}

fn open_file(path: &Path) -> Result<File> {
    let file = File::open(path).map_err(|e| io_err(path, e))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::parse(
            path,
            0,
            "is a folder; pass --input-format txt to read its .txt files",
        ));
    }
    Ok(file)
}

fn io_err(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Rejects data that looks binary (a NUL byte in its first 8 KiB).
fn check_not_binary(path: &Path, head: &[u8]) -> Result<()> {
    let head = &head[..head.len().min(8192)];
    match memchr::memchr(0, head) {
        Some(i) => {
            let line = 1 + memchr::memchr_iter(b'\n', &head[..i]).count() as u64;
            Err(Error::parse(
                path,
                line,
                "looks like a binary file (NUL byte); expected text",
            ))
        }
        None => Ok(()),
    }
}

/// The error of a record (`what`: "a line longer than", ...) over the largest record read.
pub(super) fn too_long(path: &Path, line: u64, what: &str, max_bytes: usize) -> Error {
    Error::parse(
        path,
        line,
        format!("{what} {max_bytes} bytes (the limit: --max-doc-bytes)"),
    )
}

fn read_text_file(
    root: &Path,
    file: &Path,
    raw_required: bool,
    max_bytes: usize,
) -> Result<Document<'static>> {
    let mut bytes = Vec::new();
    let limit = max_bytes as u64 + 1;
    match file.as_os_str() == "-" {
        true => std::io::stdin().lock().take(limit).read_to_end(&mut bytes),
        false => File::open(file).and_then(|f| f.take(limit).read_to_end(&mut bytes)),
    }
    .map_err(|e| io_err(file, e))?;
    if bytes.len() > max_bytes {
        return Err(too_long(file, 0, "longer than", max_bytes));
    }
    check_not_binary(file, &bytes)?;
    let span = 0..bytes.len() as u64;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &e.as_bytes()[..at]).count() as u64;
        Error::parse(file, line, "invalid UTF-8")
    })?;
    let id = if root == file {
        file.display().to_string()
    } else {
        file.strip_prefix(root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/")
    };
    if let Some(mut doc) = parse_raw(id.clone(), &text) {
        doc.bytes = Some(span);
        return Ok(doc);
    }
    if raw_required {
        return Err(Error::parse(
            file,
            1,
            "not in the raw form `[OUTLET] date YYYY-MM-DD body`",
        ));
    }
    let mut doc = Document::new(id, text);
    doc.bytes = Some(span);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    #[test]
    fn jsonl_batches_keep_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let mut content = String::new();
        for i in 0..100 {
            content.push_str(&format!("{{\"id\":{i},\"text\":\"doc {i}\"}}\n"));
        }
        content.push('\n');
        let p = write(dir.path(), "a.jsonl", content.as_bytes());
        let input = Input::new(&p, None).unwrap();
        let mut reader =
            CorpusReader::new(vec![input.clone()], FieldMap::default()).batch_bytes(100);
        let batches: Vec<_> = std::iter::from_fn(|| reader.next_batch())
            .collect::<Result<_>>()
            .unwrap();
        assert!(batches.len() > 10);
        let docs = CorpusReader::new(vec![input], FieldMap::default())
            .batch_bytes(100)
            .read_all()
            .unwrap();
        assert_eq!(docs.len(), 100);
        assert_eq!(docs[99].line, 100);
        assert_eq!(docs[99].text, "doc 99");
    }

    #[test]
    fn blank_lines_make_batches_of_bounded_length() {
        let dir = tempfile::tempdir().unwrap();
        let blank = 3 * MAX_BATCH_LINES + 7;
        let content = format!("{}{{\"id\":1,\"text\":\"the end\"}}\n", "\n".repeat(blank));
        let p = write(dir.path(), "a.jsonl", content.as_bytes());
        let input = Input::new(&p, None).unwrap();
        let mut reader = CorpusReader::new(vec![input.clone()], FieldMap::default());
        let batches: Vec<_> = std::iter::from_fn(|| reader.next_batch())
            .collect::<Result<_>>()
            .unwrap();
        // Before: one batch of every line (a per-line result each: gigabytes).
        assert_eq!(batches.len(), 4);
        for b in &batches {
            let Records::Lines { lines, .. } = &b.records else {
                panic!("lines expected")
            };
            assert!(lines.len() <= MAX_BATCH_LINES);
        }
        let docs = CorpusReader::new(vec![input], FieldMap::default())
            .read_all()
            .unwrap();
        assert_eq!((docs.len(), docs[0].line), (1, blank as u64 + 1));
    }

    #[test]
    fn an_input_truncated_while_read_ends_early_without_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let content: String = (0..20_000)
            .map(|i| format!("{{\"id\":{i},\"text\":\"document number {i} of many\"}}\n"))
            .collect();
        let p = write(dir.path(), "a.jsonl", content.as_bytes());
        let input = Input::new(&p, None).unwrap();
        let mut reader = CorpusReader::new(vec![input], FieldMap::default()).batch_bytes(1000);
        let first = reader.next_batch().unwrap().unwrap();
        // Another process truncates the file (as `cp` over it does first). Mapped, the
        // next read of the pages past the end killed the process with SIGBUS.
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        let mut lines = match &first.records {
            Records::Lines { lines, .. } => lines.len(),
            Records::Docs(_) => unreachable!("JSONL gives lines"),
        };
        while let Some(Ok(b)) = reader.next_batch() {
            if let Records::Lines { buf, lines: l, .. } = &b.records {
                lines += l.len();
                assert!(l.iter().all(|(_, r)| buf[r.clone()].starts_with(b"{")));
            }
        }
        assert!(lines < 20_000, "{lines}");
    }

    #[test]
    fn folder_of_txt_with_raw_headers() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b/2.txt", b"MNA date 2024-06-01 Second body");
        write(dir.path(), "a.txt", b"Plain text");
        write(dir.path(), "skip.md", b"not read");
        let input = Input::new(dir.path(), None).unwrap();
        let docs = CorpusReader::new(vec![input], FieldMap::default())
            .read_all()
            .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a.txt");
        assert_eq!(docs[1].id, "b/2.txt");
        assert_eq!(docs[1].outlet.as_deref(), Some("MNA"));
        assert_eq!(docs[1].date.as_deref(), Some("2024-06-01"));
        assert_eq!(docs[1].text, "Second body");
    }

    #[test]
    fn binary_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "bin.jsonl", b"{\"id\":1}\n\x00\x01\x02");
        let e = CorpusReader::new(vec![Input::new(&p, None).unwrap()], FieldMap::default())
            .read_all()
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("bin.jsonl:2: looks like a binary file (NUL byte); expected text"),
            "{e}"
        );
        let e = Input::new(dir.path().join("nope.jsonl"), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("nope.jsonl: no such file"), "{e}");
        let p = write(dir.path(), "x.bin", b"");
        assert!(
            Input::new(&p, None)
                .unwrap_err()
                .to_string()
                .contains("unknown format")
        );
    }

    #[test]
    fn invalid_utf8_in_txt_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "bad.txt", b"ok\nstill ok\nbad \xff here");
        let e = CorpusReader::new(vec![Input::new(&p, None).unwrap()], FieldMap::default())
            .read_all()
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("bad.txt:3: invalid UTF-8"), "{e}");
    }
}
