//! The writer lock of an index file: writers that read, change and replace an index take
//! it in turn, so that none replaces the file with a version missing another's update.
//!
//! The lock is the operating system's advisory lock (`flock` on Unix) on the index file
//! itself. A writer replaces the file by renaming a new one over it, so a writer that waited
//! may hold the lock of a file no longer at the path: it then locks the new one.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

/// Held while a writer reads and replaces the index at a path; released when dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Waits for the index at `path` to be free of other writers, and takes it.
    pub fn acquire(path: &Path) -> Result<WriterLock> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        loop {
            let file = File::open(path).map_err(io)?;
            file.lock().map_err(io)?;
            // Replaced while we waited? Then lock the file now at the path.
            if same_file(&file, path).map_err(io)? {
                return Ok(WriterLock { _file: file });
            }
        }
    }
}

/// Whether `path` still names the file `file` has open.
fn same_file(file: &File, path: &Path) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (a, b) = (file.metadata()?, std::fs::metadata(path)?);
        Ok((a.dev(), a.ino()) == (b.dev(), b.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two writers incrementing one counter file through the lock and an atomic replace
    /// lose no update.
    #[test]
    fn writers_take_turns_and_lose_no_update() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("count");
        std::fs::write(&path, "0").unwrap();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..25 {
                        let _lock = WriterLock::acquire(&path).unwrap();
                        let n: u32 = std::fs::read_to_string(&path).unwrap().parse().unwrap();
                        let mut f = crate::AtomicFile::create(&path).unwrap();
                        std::io::Write::write_all(&mut f, (n + 1).to_string().as_bytes()).unwrap();
                        f.commit().unwrap();
                    }
                });
            }
        });
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "100");
    }
}
