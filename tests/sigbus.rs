//! A mapped index cut short under a reader (as `cp` over it does) is a clear error with
//! exit code 2, not a death by SIGBUS (issue 15). The reader runs in a child process (this
//! test binary again), since the error ends the process.

use std::process::Command;

const CHILD: &str = "NEARDUP_SIGBUS_CHILD";

fn child(path: &str) -> ! {
    neardup::store::guard_mapped_reads();
    let index = neardup::store::Index::open(std::path::Path::new(path)).unwrap();
    // Cut the file short under the map, then read every page of it.
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(0)
        .unwrap();
    let _ = index.file().verify();
    // Not reached: the read above faults.
    std::process::exit(0)
}

#[test]
fn an_index_cut_short_under_a_reader_is_an_error_not_sigbus() {
    if let Ok(path) = std::env::var(CHILD) {
        child(&path);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.ndx");
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/news.jsonl");
    let reader = neardup::CorpusReader::new(
        vec![neardup::Input::new(&sample, None).unwrap()],
        neardup::FieldMap::default(),
    );
    neardup::build_index(
        &path,
        &neardup::Pipeline::builder().build().unwrap(),
        neardup::tfidf::TfidfBuilder::default(),
        reader,
        |_| {},
    )
    .unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "an_index_cut_short_under_a_reader_is_an_error_not_sigbus",
            "--nocapture",
        ])
        .env(CHILD, &path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{:?}: {err}", out.status);
    assert!(
        err.contains("sample.ndx") && err.contains("cut short"),
        "{err}"
    );
}
