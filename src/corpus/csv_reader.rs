//! CSV with a header row: columns are mapped to document fields by name.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use super::document::{Document, FieldMap, Slot};
use crate::error::{Error, Result};

/// Reads CSV records in batches of about `batch_bytes` of text.
pub struct CsvReader<R: Read> {
    reader: csv::Reader<QuoteWatch<R>>,
    slots: Vec<Option<Slot>>,
    has_id: bool,
    path: std::path::PathBuf,
    record: csv::ByteRecord,
    max_record_bytes: usize,
}

impl<R: Read> CsvReader<R> {
    /// Reads the header and maps its columns.
    pub fn new(input: R, path: &Path, fields: &FieldMap) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(QuoteWatch::new(input));
        let headers = reader
            .byte_headers()
            .map_err(|e| csv_error(path, &e))?
            .clone();
        let slots: Vec<Option<Slot>> = headers
            .iter()
            .map(|h| {
                std::str::from_utf8(h)
                    .ok()
                    .and_then(|h| fields.slot(h.trim()))
            })
            .collect();
        if !slots.contains(&Some(Slot::Text)) {
            return Err(Error::parse(
                path,
                1,
                format!(
                    "the header has no column {:?} (choose another with --text-field)",
                    fields.text
                ),
            ));
        }
        let has_id = slots.contains(&Some(Slot::Id));
        Ok(CsvReader {
            reader,
            slots,
            has_id,
            path: path.to_owned(),
            record: csv::ByteRecord::new(),
            max_record_bytes: usize::MAX,
        })
    }

    /// Makes a record (all its fields) longer than `bytes` an error naming its line.
    pub fn max_record_bytes(mut self, bytes: usize) -> Self {
        self.max_record_bytes = bytes;
        self
    }

    /// The next batch of documents, empty at the end of the input.
    pub fn next_batch(&mut self, batch_bytes: usize) -> Result<Vec<Document<'static>>> {
        let mut out = Vec::new();
        let mut bytes = 0;
        while bytes < batch_bytes {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| csv_error(&self.path, &e))?;
            if !more {
                break;
            }
            let line = self.record.position().map_or(0, |p| p.line());
            if self.record.as_slice().len() > self.max_record_bytes {
                return Err(super::too_long(
                    &self.path,
                    line,
                    "a record longer than",
                    self.max_record_bytes,
                ));
            }
            let start = self.record.position().map_or(0, |p| p.byte());
            let end = self.reader.position().byte();
            bytes += self.record.as_slice().len();
            let mut doc = self.to_document(line)?;
            doc.bytes = Some(start..end);
            out.push(doc);
        }
        Ok(out)
    }

    fn to_document(&self, line: u64) -> Result<Document<'static>> {
        let mut doc = Document::new(String::new(), String::new());
        doc.line = line;
        for (value, slot) in self.record.iter().zip(&self.slots) {
            let Some(slot) = slot else { continue };
            let value = std::str::from_utf8(value).map_err(|e| {
                Error::parse(
                    &self.path,
                    line,
                    format!(
                        "invalid UTF-8 in column {slot:?} at byte {}",
                        e.valid_up_to() + 1
                    ),
                )
            })?;
            let owned: Cow<'static, str> = Cow::Owned(value.to_owned());
            let meta = (!value.is_empty()).then(|| owned.clone());
            match slot {
                Slot::Id => doc.id = owned,
                Slot::Text => doc.text = owned,
                Slot::Title => doc.title = meta,
                Slot::Outlet => doc.outlet = meta,
                Slot::Date => doc.date = meta,
                Slot::Url => doc.url = meta,
            }
        }
        if !self.has_id || doc.id.is_empty() {
            doc.id = Cow::Owned(format!("{}:{line}", self.path.display()));
        }
        Ok(doc)
    }
}

/// The most lines one quoted field may span: more is a quote left open (a record would
/// swallow the rows after it), not a text.
pub const MAX_QUOTED_LINES: u64 = 10_000;

/// Where a quoted field opened that never closed, or ran over [`MAX_QUOTED_LINES`].
#[derive(Debug)]
struct OpenQuote {
    line: u64,
    at_end: bool,
}

impl std::fmt::Display for OpenQuote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at_end {
            write!(f, "the quote opened here is never closed")
        } else {
            write!(
                f,
                "the quoted field opened here runs over {MAX_QUOTED_LINES} lines (a quote left open?)"
            )
        }
    }
}

impl std::error::Error for OpenQuote {}

/// Where [`QuoteWatch`] is in the CSV grammar (RFC 4180, read leniently as the csv crate
/// reads it: bytes after a closing quote continue the field unquoted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first half of `""`.
    QuoteInQuoted,
}

/// Passes CSV bytes through unchanged, following the quoting, so that a quote left open
/// is an error naming its line instead of a record that silently swallows the rest of
/// the file (the csv crate ends such a field at the end of the input).
struct QuoteWatch<R> {
    inner: R,
    state: QuoteState,
    line: u64,
    opened: u64,
}

impl<R: Read> QuoteWatch<R> {
    fn new(inner: R) -> Self {
        QuoteWatch {
            inner,
            state: QuoteState::FieldStart,
            line: 1,
            opened: 0,
        }
    }

    fn scan(&mut self, bytes: &[u8]) -> Result<(), OpenQuote> {
        use QuoteState::*;
        let mut i = 0;
        while i < bytes.len() {
            if self.state == Quoted {
                // Skip to the next quote or line end.
                match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                    Some(j) => i += j,
                    None => return Ok(()),
                }
            } else if self.state == Unquoted {
                match memchr::memchr2(b',', b'\n', &bytes[i..]) {
                    Some(j) => i += j,
                    None => return Ok(()),
                }
            }
            let b = bytes[i];
            if b == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, b) {
                (Quoted, b'\n') => {
                    if self.line - self.opened > MAX_QUOTED_LINES {
                        return Err(OpenQuote {
                            line: self.opened,
                            at_end: false,
                        });
                    }
                    Quoted
                }
                (Quoted, _) => QuoteInQuoted,
                (QuoteInQuoted, b'"') => Quoted,
                (FieldStart, b'"') => {
                    self.opened = self.line;
                    Quoted
                }
                (_, b',' | b'\n') => FieldStart,
                _ => Unquoted,
            };
            i += 1;
        }
        Ok(())
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let found = if n == 0 && self.state == QuoteState::Quoted {
            Err(OpenQuote {
                line: self.opened,
                at_end: true,
            })
        } else {
            self.scan(&buf[..n])
        };
        found.map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        Ok(n)
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(open) = io.get_ref().and_then(|e| e.downcast_ref::<OpenQuote>())
    {
        return Error::parse(path, open.line, format!("invalid CSV: {open}"));
    }
    let line = e.position().map_or(0, |p| p.line());
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    };
    Error::parse(path, line, format!("invalid CSV: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_columns_and_reports_lines() {
        let data = "id,outlet,text\n1,AP,\"hello, world\"\n2,,second\n3,x\n";
        let mut r =
            CsvReader::new(data.as_bytes(), Path::new("a.csv"), &FieldMap::default()).unwrap();
        let err = r.next_batch(1 << 20).unwrap_err().to_string();
        assert_eq!(err, "a.csv:4: invalid CSV: expected 3 fields, found 2");
        let data = "id,outlet,text\n1,AP,\"hello, world\"\n2,,second\n";
        let mut r =
            CsvReader::new(data.as_bytes(), Path::new("a.csv"), &FieldMap::default()).unwrap();
        let docs = r.next_batch(1 << 20).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "hello, world");
        assert_eq!(docs[0].outlet.as_deref(), Some("AP"));
        assert_eq!(docs[1].outlet, None);
        assert_eq!(docs[1].line, 3);
        assert!(r.next_batch(1 << 20).unwrap().is_empty());
    }

    #[test]
    fn a_quote_left_open_is_an_error_at_its_line() {
        let read_all = |data: &str| -> Result<usize> {
            let mut r = CsvReader::new(data.as_bytes(), Path::new("a.csv"), &FieldMap::default())?;
            let mut n = 0;
            loop {
                let docs = r.next_batch(1 << 20)?;
                if docs.is_empty() {
                    return Ok(n);
                }
                n += docs.len();
            }
        };
        // Before: one document swallowing the rows after it, and no word.
        let open = "id,text\n1,\"hello world\n2,foo bar\n3,other text\n";
        let e = read_all(open).unwrap_err().to_string();
        assert_eq!(
            e,
            "a.csv:2: invalid CSV: the quote opened here is never closed"
        );
        // Quoted commas, newlines, doubled quotes and a quote inside an unquoted field
        // are all well formed.
        let fine = "id,text\n1,\"a, \"\"b\"\"\nc\"\n2,5\" screen\n3,\"x\"y\n";
        assert_eq!(read_all(fine).unwrap(), 3);
        // A quote that closes far below: the record would swallow thousands of rows.
        let mut long = String::from("id,text\n1,\"open\n");
        for i in 0..MAX_QUOTED_LINES + 5 {
            long.push_str(&format!("{i},row\n"));
        }
        long.push_str("9,x\"\n");
        let e = read_all(&long).unwrap_err().to_string();
        assert!(
            e.starts_with("a.csv:2: invalid CSV: the quoted field opened here runs over"),
            "{e}"
        );
    }

    #[test]
    fn missing_text_column_is_an_error() {
        let e = CsvReader::new(
            "id,body\n1,x\n".as_bytes(),
            Path::new("a.csv"),
            &FieldMap::default(),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            e.starts_with("a.csv:1: the header has no column \"text\""),
            "{e}"
        );
    }

    #[test]
    fn missing_ids_become_file_line() {
        let mut r = CsvReader::new(
            "text\nx\n".as_bytes(),
            Path::new("a.csv"),
            &FieldMap::default(),
        )
        .unwrap();
        assert_eq!(r.next_batch(100).unwrap()[0].id, "a.csv:2");
    }
}
