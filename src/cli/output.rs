//! Writing results: to stdout, or atomically to a file.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Runs `write` against stdout, or against a temporary file next to `path` that is renamed
/// over `path` only when everything was written. Control characters from document text
/// are made visible on the way ([`Escaping`]): what neardup prints never moves a
/// terminal's cursor, sets its title or changes its colours (only [`HIGHLIGHT`] does).
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    write_output_raw(path, |w| {
        let mut e = Escaping::new(w);
        write(&mut e)?;
        e.finish()
    })
}

/// [`write_output`] without the escaping: for bytes that must reach the file as they are
/// (copied records, Parquet, an HTML page).
pub fn write_output_raw(
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
            write_output_raw(None, |w| w.write_all(&buf))
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

/// What [`write_output`]'s writers take to start and end a highlight (bold yellow): bytes
/// that valid UTF-8, and so document text, never holds.
pub const HIGHLIGHT: (&[u8], &[u8]) = (b"\xff1", b"\xff0");

/// A writer that makes control characters visible: C0 controls other than tab and line
/// feed, DEL and the C1 controls become `\u00XX` (also a valid escape inside a JSON
/// string, so JSON output keeps its meaning); [`HIGHLIGHT`]'s markers become the terminal
/// sequences they stand for.
pub struct Escaping<'a> {
    inner: &'a mut dyn Write,
    /// A byte held back at the end of a write: the first of a C1 character (0xC2) or a
    /// highlight marker (0xFF).
    held: Option<u8>,
}

impl<'a> Escaping<'a> {
    pub fn new(inner: &'a mut dyn Write) -> Self {
        Escaping { inner, held: None }
    }

    /// Writes a byte held back at the end (an incomplete character, as it was).
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(b) = self.held.take() {
            self.inner.write_all(&[b])?;
        }
        Ok(())
    }

    /// Escapes `b`, the byte after a held `first`, or writes both as they are.
    fn pair(&mut self, first: u8, b: u8) -> io::Result<()> {
        match (first, b) {
            (0xC2, 0x80..=0x9F) => write!(self.inner, "\\u{:04x}", b),
            (0xFF, b'1') => self.inner.write_all(b"\x1b[1;33m"),
            (0xFF, b'0') => self.inner.write_all(b"\x1b[0m"),
            _ => self.inner.write_all(&[first, b]),
        }
    }
}

impl Write for Escaping<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut i = 0;
        if let Some(first) = self.held.take() {
            match buf.first() {
                Some(&b) => {
                    self.pair(first, b)?;
                    i = 1;
                }
                None => self.held = Some(first),
            }
        }
        let mut start = i;
        while i < buf.len() {
            let b = buf[i];
            match b {
                b'\t' | b'\n' | 0x20..=0x7E | 0x80..=0xC1 | 0xC3..=0xFE => {}
                0x00..=0x1F | 0x7F => {
                    self.inner.write_all(&buf[start..i])?;
                    write!(self.inner, "\\u{:04x}", b)?;
                    start = i + 1;
                }
                0xC2 | 0xFF => {
                    self.inner.write_all(&buf[start..i])?;
                    match buf.get(i + 1) {
                        Some(&next) => {
                            self.pair(b, next)?;
                            i += 1;
                        }
                        None => self.held = Some(b),
                    }
                    start = i + 1;
                }
            }
            i += 1;
        }
        self.inner.write_all(&buf[start..])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(parts: &[&[u8]]) -> String {
        let mut out = Vec::new();
        let mut e = Escaping::new(&mut out);
        for p in parts {
            e.write_all(p).unwrap();
        }
        e.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn controls_are_made_visible_and_highlights_pass() {
        let title = "Title\x1b]0;owned\x07 \x1b[31mred\r\u{9b}2J é\ttab\n";
        let want = "Title\\u001b]0;owned\\u0007 \\u001b[31mred\\u000d\\u009b2J é\ttab\n";
        assert_eq!(escaped(&[title.as_bytes()]), want);
        // Split anywhere, the same.
        for cut in 0..title.len() {
            let (a, b) = title.as_bytes().split_at(cut);
            assert_eq!(escaped(&[a, b]), want, "cut at {cut}");
        }
        // A JSON string with a C1 control stays the same string.
        let json = serde_json::to_string("a\u{85}b").unwrap();
        let back: String = serde_json::from_str(&escaped(&[json.as_bytes()])).unwrap();
        assert_eq!(back, "a\u{85}b");
        assert_eq!(
            escaped(&[HIGHLIGHT.0, b"x", HIGHLIGHT.1]),
            "\x1b[1;33mx\x1b[0m"
        );
    }
}
