//! What a signal handler calls: the temporary files of unfinished outputs go, the files
//! they would have replaced stay. (Its own test binary: it removes every unfinished output
//! of the process, which would race other tests' files.)

use std::io::Write;

#[test]
fn unfinished_outputs_are_removed_and_previous_files_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    std::fs::write(&path, "old").unwrap();
    let mut f = neardup::AtomicFile::create(&path).unwrap();
    f.write_all(b"half").unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    neardup::remove_unfinished_outputs();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    assert!(f.commit().is_err(), "its temporary is gone");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
}
