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
    /// Its entry among this process's live temporaries, while it lives.
    _live: LiveEntry,
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
        // Through a symbolic link: the file it points to is replaced, not the link.
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        let io = |source| Error::Io {
            path: dir.clone(),
            source,
        };
        remove_stale_temporaries(&dir, prefix);
        let mut b = tempfile::Builder::new();
        b.prefix(prefix).suffix(TMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            b.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = b.tempfile_in(&dir).map_err(io)?;
        // Held until the file is renamed or dropped: a temporary nobody holds is a dead
        // writer's, which the next writer in the folder removes.
        tmp.as_file().lock().map_err(io)?;
        // The file replaced keeps its permissions (a mode-600 index stays 600).
        if let Ok(old) = std::fs::metadata(&path) {
            std::fs::set_permissions(tmp.path(), old.permissions()).map_err(io)?;
        }
        live_temporaries().push(tmp.path().to_owned());
        let _live = LiveEntry(tmp.path().to_owned());
        Ok(AtomicFile { path, tmp, _live })
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
        // The rename itself is durable once the folder is synced.
        #[cfg(unix)]
        if let Some(dir) = path.parent()
            && let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
        {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Removes a path from the live temporaries when dropped (renamed or removed by then).
#[derive(Debug)]
struct LiveEntry(PathBuf);

impl Drop for LiveEntry {
    fn drop(&mut self) {
        live_temporaries().retain(|p| p != &self.0);
    }
}

/// The suffix of every temporary file [`AtomicFile`] writes.
const TMP_SUFFIX: &str = ".tmp";

/// The temporary files of this process's writers not yet renamed or removed.
fn live_temporaries() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    static LIVE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary files of this process's unfinished [`AtomicFile`]s: for a signal
/// handler (Ctrl-C, SIGTERM) to call before the process exits, since destructors do not
/// run then. Previous files at their paths are untouched.
pub fn remove_unfinished_outputs() {
    for p in live_temporaries().drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

/// Removes, from `dir`, the temporary files that [`AtomicFile`]s of processes that died
/// (killed, or the machine stopped) left there; each writer does so as it starts, and a
/// program may call it before its work starts.
pub fn remove_stale_outputs(dir: &Path) {
    remove_stale_temporaries(dir, ".neardup-");
}

/// Removes, from `dir`, temporaries of this kind left by writers that died: no process
/// holds their lock, and they were last written more than 2 seconds ago (a writer locks
/// its file as soon as it creates it).
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let old_enough = |m: &std::fs::Metadata| {
        m.modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= 2)
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(prefix) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let path = e.path();
        let Ok(f) = std::fs::OpenOptions::new().read(true).open(&path) else {
            continue;
        };
        if f.metadata().is_ok_and(|m| m.is_file() && old_enough(&m)) && f.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
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
    fn a_dead_writers_temporary_goes_and_a_live_ones_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let dead = dir.path().join(".neardup-dead.tmp");
        std::fs::write(&dead, "left by a killed run").unwrap();
        let live = AtomicFile::create(&path).unwrap();
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for p in [&dead, &live.tmp.path().to_owned()] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(an_hour_ago)
                .unwrap();
        }
        let mut f = AtomicFile::create(&path).unwrap();
        assert!(!dead.exists());
        assert!(live.tmp.path().exists(), "a live writer's file is kept");
        f.write_all(b"x").unwrap();
        f.commit().unwrap();
        drop(live);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_and_the_mode_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ndx");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.ndx");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let e = AtomicFile::create(&dir.path().join("no/such/out.txt")).unwrap_err();
        assert!(e.to_string().contains("no/such"), "{e}");
    }
}
