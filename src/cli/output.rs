//! Writing results: to stdout, or atomically to a file.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Runs `write` against stdout, or against a temporary file next to `path` that is renamed
/// over `path` only when everything was written.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::with_capacity(1 << 16, stdout.lock());
            match write(&mut w).and_then(|()| w.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing to standard output"),
            }
        }
        Some(path) => to_file(path, |w| write(w)),
    }
}

/// [`write_output`] for writers that must be `Send` (Parquet's): standard output gets the
/// bytes once they are all written.
pub fn write_output_send(
    path: Option<&Path>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<()> {
    match path {
        None => {
            let mut buf = Vec::new();
            write(&mut buf)?;
            write_output(None, |w| w.write_all(&buf))
        }
        Some(path) => to_file(path, write),
    }
}

/// Runs `write` against a temporary file next to `path`, renamed over `path` only when
/// everything was written.
fn to_file(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = neardup::AtomicFile::create(path).with_context(|| {
        format!(
            "{}: cannot create a file in {}",
            path.display(),
            dir.display()
        )
    })?;
    let mut w = BufWriter::with_capacity(1 << 16, tmp);
    write(&mut w)
        .and_then(|()| w.flush())
        .with_context(|| format!("{}: write failed", path.display()))?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    tmp.commit()
        .with_context(|| format!("{}: cannot replace the file", path.display()))?;
    Ok(())
}

/// Escapes a value for a TSV cell (tabs and newlines become spaces).
pub fn tsv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        s.replace(['\t', '\n', '\r'], " ").into()
    } else {
        s.into()
    }
}
