//! CSV with a header row: columns are mapped to document fields by name.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use super::document::{Document, FieldMap, Slot};
use crate::error::{Error, Result};

/// Reads CSV records in batches of about `batch_bytes` of text.
pub struct CsvReader<R: Read> {
    reader: csv::Reader<R>,
    slots: Vec<Option<Slot>>,
    has_id: bool,
    path: std::path::PathBuf,
    record: csv::ByteRecord,
}

impl<R: Read> CsvReader<R> {
    /// Reads the header and maps its columns.
    pub fn new(input: R, path: &Path, fields: &FieldMap) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
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
        })
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

fn csv_error(path: &Path, e: &csv::Error) -> Error {
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
