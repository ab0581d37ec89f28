//! Atomic output: a file is written under a temporary name beside its destination and
//! renamed into place only when complete, so a failed or interrupted run never leaves a
//! partial file (and a previous file at that path stays intact until the rename).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file that appears at its path only when [`commit`](Self::commit) is called. Dropped
/// without a commit, it leaves nothing behind.
///
/// ```
/// use std::io::Write;
/// let dir = std::env::temp_dir().join(format!("neardup-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("out.tsv");
/// let mut f = neardup::AtomicFile::create(&path).unwrap();
/// writeln!(f, "a\tb").unwrap();
/// assert!(!path.exists());
/// f.commit().unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\tb\n");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub struct AtomicFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl std::fmt::Debug for AtomicFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicFile")
            .field("path", &self.path)
            .field("temporary", &self.tmp.path())
            .finish()
    }
}

impl AtomicFile {
    /// Starts the file that will appear at `path`: a hidden temporary file in the same
    /// folder (so the rename stays on one file system). On Unix it gets the permissions
    /// `File::create` would give (read-write for everyone, less the umask), not the
    /// owner-only mode of temporary files.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        Self::with_prefix(path, ".neardup-")
    }

    pub(crate) fn with_prefix(path: &Path, prefix: &str) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut b = tempfile::Builder::new();
        b.prefix(prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            b.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = b.tempfile_in(dir).map_err(|e| Error::Io {
            path: dir.to_owned(),
            source: e,
        })?;
        Ok(AtomicFile {
            path: path.to_owned(),
            tmp,
        })
    }

    /// The path the file will have.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Syncs the data to disk and renames the file into place.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        self.tmp.as_file().sync_all().map_err(io)?;
        self.tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.tmp.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit_and_nothing_stays_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        drop(f);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let e = AtomicFile::create(&dir.path().join("no/such/out.txt")).unwrap_err();
        assert!(e.to_string().contains("no/such"), "{e}");
    }
}
