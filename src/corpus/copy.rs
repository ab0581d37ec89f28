//! Copying chosen records out of their inputs unchanged: the output of deduplication.
//!
//! Records are copied byte for byte from where the reader found them
//! ([`DocMeta::bytes`]), so every field, its spelling and its order stay as they were; the
//! inputs are read again in order, a buffer at a time, so memory does not grow with them.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use super::{DocMeta, Input, InputFormat, io_err};
use crate::error::{Error, Result};

/// Writes the records of `docs` for which `keep` holds, in input order, byte for byte
/// from their inputs, into `out`: JSONL lines, or CSV records under the first input's
/// header (every CSV input must have the same header). A record that does not end its
/// line gets a newline. `inputs` are the inputs that [`DocMeta::input`] numbers. Returns
/// the number of records written.
///
/// Documents of `.txt` inputs are files: see [`copy_files`].
pub fn copy_records(
    inputs: &[Input],
    docs: &[DocMeta],
    keep: &[bool],
    out: &mut dyn Write,
) -> Result<u64> {
    let mut header: Option<(PathBuf, Vec<u8>)> = None;
    let mut written = 0;
    for (input, run) in runs(docs) {
        let source = inputs.get(input as usize).ok_or_else(|| {
            Error::config("inputs", format!("no input number {input} in the list"))
        })?;
        let path = &source.path;
        if source.format == InputFormat::Parquet {
            return Err(Error::config(
                "format",
                format!(
                    "{}: Parquet rows are copied with copy_parquet_rows",
                    path.display()
                ),
            ));
        }
        if matches!(source.format, InputFormat::Txt | InputFormat::Raw) {
            return Err(Error::config(
                "format",
                format!(
                    "{}: documents of .txt files are files; copy them with copy_files",
                    path.display()
                ),
            ));
        }
        let spans = run
            .clone()
            .map(|i| span(path, &docs[i]))
            .collect::<Result<Vec<_>>>()?;
        let file = File::open(path).map_err(|e| io_err(path, e))?;
        let len = file.metadata().map_err(|e| io_err(path, e))?.len();
        if let Some((i, _)) = run.clone().zip(&spans).find(|(_, s)| s.end > len) {
            return Err(changed(path, &docs[i]));
        }
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut pos = 0u64;
        if source.format == InputFormat::Csv {
            let first = spans.first().map_or(0, |s| s.start);
            let mut bytes = Vec::new();
            (&mut reader)
                .take(first)
                .read_to_end(&mut bytes)
                .map_err(|e| io_err(path, e))?;
            pos = first;
            // The reader's records start after the line ending of the one before (a `\r`
            // ends a record, the `\n` after it is skipped), so the header may end in `\r`.
            if bytes.ends_with(b"\r") {
                bytes.push(b'\n');
            }
            match &header {
                None => {
                    out.write_all(&bytes).map_err(|e| io_err(path, e))?;
                    header = Some((path.clone(), bytes));
                }
                Some((first_path, h)) if *h != bytes => {
                    return Err(Error::parse(
                        path,
                        1,
                        format!(
                            "its CSV header differs from that of {}: deduplicate files with \
                             different columns separately",
                            first_path.display()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        for (i, s) in run.zip(&spans) {
            if !keep.get(i).copied().unwrap_or(true) {
                continue;
            }
            reader
                .seek_relative((s.start - pos) as i64)
                .map_err(|e| io_err(path, e))?;
            let mut record = Vec::with_capacity((s.end - s.start) as usize);
            (&mut reader)
                .take(s.end - s.start)
                .read_to_end(&mut record)
                .map_err(|e| io_err(path, e))?;
            if (record.len() as u64) < s.end - s.start {
                return Err(changed(path, &docs[i]));
            }
            pos = s.end;
            let record = if source.format == InputFormat::Csv {
                let lead = record
                    .iter()
                    .position(|b| !matches!(b, b'\r' | b'\n'))
                    .unwrap_or(record.len());
                &record[lead..]
            } else {
                &record[..]
            };
            out.write_all(record).map_err(|e| io_err(path, e))?;
            if !record.ends_with(b"\n") {
                out.write_all(b"\n").map_err(|e| io_err(path, e))?;
            }
            written += 1;
        }
    }
    Ok(written)
}

/// Copies the `.txt` documents of `docs` for which `keep` holds into the folder `dir`
/// (which must exist): a document of a folder input keeps its path under that folder, one
/// given as a file keeps its file name. Returns the number of files copied.
pub fn copy_files(inputs: &[Input], docs: &[DocMeta], keep: &[bool], dir: &Path) -> Result<u64> {
    let mut written = 0;
    for (i, d) in docs.iter().enumerate() {
        if !keep.get(i).copied().unwrap_or(true) {
            continue;
        }
        let input = inputs.get(d.input as usize).ok_or_else(|| {
            Error::config("inputs", format!("no input number {} in the list", d.input))
        })?;
        let (from, name) = if input.path.is_dir() {
            (input.path.join(&*d.id), PathBuf::from(&*d.id))
        } else {
            let name = input.path.file_name().map(PathBuf::from).ok_or_else(|| {
                Error::parse(&input.path, 0, "a .txt input must be a file or a folder")
            })?;
            (input.path.clone(), name)
        };
        let to = dir.join(&name);
        if to.exists() {
            return Err(Error::parse(
                &from,
                0,
                format!(
                    "two kept documents would both be written to {}",
                    to.display()
                ),
            ));
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        std::fs::copy(&from, &to).map_err(|e| io_err(&from, e))?;
        written += 1;
    }
    Ok(written)
}

/// Runs of consecutive documents from one input: (input, document numbers).
fn runs(docs: &[DocMeta]) -> Vec<(u32, std::ops::Range<usize>)> {
    let mut out: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        match out.last_mut() {
            Some((input, r)) if *input == d.input => r.end = i + 1,
            _ => out.push((d.input, i..i + 1)),
        }
    }
    out
}

fn span(path: &Path, d: &DocMeta) -> Result<std::ops::Range<u64>> {
    d.bytes.clone().ok_or_else(|| {
        Error::parse(
            path,
            d.line,
            format!(
                "document {:?} was not read from a file, so it cannot be copied",
                d.id
            ),
        )
    })
}

fn changed(path: &Path, d: &DocMeta) -> Error {
    Error::parse(
        path,
        d.line,
        "the file changed after it was read; run again",
    )
}

/// Writes the rows of `docs` for which `keep` holds, every column as it was and in input
/// order, from Parquet inputs into one Parquet file (every input must have the same
/// columns). `inputs` are the inputs that [`DocMeta::input`] numbers; a document's
/// [`DocMeta::line`] is its row. Returns the number of rows written.
#[cfg(feature = "parquet")]
pub fn copy_parquet_rows(
    inputs: &[Input],
    docs: &[DocMeta],
    keep: &[bool],
    out: impl Write + Send,
) -> Result<u64> {
    if let Some(i) = inputs.iter().find(|i| i.format != InputFormat::Parquet) {
        return Err(Error::config(
            "format",
            format!("{}: not a Parquet input", i.path.display()),
        ));
    }
    // Whether each row is kept, by input (row r at r - 1).
    let mut kept: Vec<Vec<bool>> = vec![Vec::new(); inputs.len()];
    for (d, &k) in docs.iter().zip(keep) {
        if let Some(rows) = kept.get_mut(d.input as usize) {
            let r = d.line.saturating_sub(1) as usize;
            if rows.len() <= r {
                rows.resize(r + 1, false);
            }
            rows[r] = k;
        }
    }
    let paths: Vec<&Path> = inputs.iter().map(|i| i.path.as_path()).collect();
    let is_kept = |input: usize, row: u64| {
        kept[input]
            .get(row.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(false)
    };
    super::parquet::copy_rows(&paths, is_kept, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusReader, FieldMap};

    fn metas(inputs: &[Input]) -> Vec<DocMeta> {
        let paths: Vec<_> = inputs.iter().map(|i| i.path.clone()).collect();
        CorpusReader::new(inputs.to_vec(), FieldMap::default())
            .batch_bytes(16)
            .read_all()
            .unwrap()
            .iter()
            .map(|d| {
                // Which input: the reader numbers them in order; here by id prefix.
                let input = paths
                    .iter()
                    .position(|p| d.id.starts_with(p.file_stem().unwrap().to_str().unwrap()))
                    .unwrap_or(0);
                DocMeta::of(d, input as u32)
            })
            .collect()
    }

    #[test]
    fn jsonl_records_are_copied_unchanged_without_the_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        let body = "{\"id\":\"a1\",\"text\":\"one\",\"extra\":[1, 2]}\n\n{\"text\":\"two\",  \"id\":\"a2\"}\r\n{\"id\":\"a3\",\"text\":\"caf\\u00e9\"}";
        std::fs::write(&p, body).unwrap();
        let inputs = [Input::new(&p, None).unwrap()];
        let docs = metas(&inputs);
        assert_eq!(docs.len(), 3);
        let mut out = Vec::new();
        let n = copy_records(&inputs, &docs, &[true, false, true], &mut out).unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"a1\",\"text\":\"one\",\"extra\":[1, 2]}\n{\"id\":\"a3\",\"text\":\"caf\\u00e9\"}\n"
        );
        let mut all = Vec::new();
        copy_records(&inputs, &docs, &[true; 3], &mut all).unwrap();
        assert_eq!(
            all,
            body.replace("\n\n", "\n")
                .as_bytes()
                .iter()
                .copied()
                .chain(*b"\n")
                .collect::<Vec<u8>>()
        );
    }

    #[test]
    fn csv_keeps_the_header_and_quoted_records_whole() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "id,text,n\na1,\"two\nlines\",1\na2,plain,2\n").unwrap();
        std::fs::write(&b, "id,text,n\nb1,\"x, y\",3").unwrap();
        let inputs = [Input::new(&a, None).unwrap(), Input::new(&b, None).unwrap()];
        let docs = metas(&inputs);
        assert_eq!(docs.iter().map(|d| d.input).collect::<Vec<_>>(), [0, 0, 1]);
        let mut out = Vec::new();
        copy_records(&inputs, &docs, &[true, false, true], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,text,n\na1,\"two\nlines\",1\nb1,\"x, y\",3\n"
        );
        std::fs::write(&b, "id,text,m\nb1,\"x, y\",3").unwrap();
        let e = copy_records(&inputs, &docs, &[true; 3], &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(e.contains("b.csv:1: its CSV header differs"), "{e}");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        std::fs::write(
            &p,
            "{\"id\":1,\"text\":\"one\"}\n{\"id\":2,\"text\":\"two\"}\n",
        )
        .unwrap();
        let inputs = [Input::new(&p, None).unwrap()];
        let docs = metas(&inputs);
        std::fs::write(&p, "{\"id\":1,\"text\":\"one\"}\n").unwrap();
        let e = copy_records(&inputs, &docs, &[true, true], &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("a.jsonl:2: the file changed after it was read"),
            "{e}"
        );
    }

    #[test]
    fn txt_documents_are_copied_as_files() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("in");
        std::fs::create_dir_all(src.join("sub")).unwrap();
        std::fs::write(src.join("a.txt"), "one").unwrap();
        std::fs::write(src.join("sub/b.txt"), "two").unwrap();
        let inputs = [Input::new(&src, None).unwrap()];
        let docs: Vec<DocMeta> = CorpusReader::new(inputs.to_vec(), FieldMap::default())
            .read_all()
            .unwrap()
            .iter()
            .map(|d| DocMeta::of(d, 0))
            .collect();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        assert_eq!(copy_files(&inputs, &docs, &[false, true], &out).unwrap(), 1);
        assert!(!out.join("a.txt").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("sub/b.txt")).unwrap(),
            "two"
        );
        assert!(copy_records(&inputs, &docs, &[true, true], &mut Vec::new()).is_err());
    }
}
