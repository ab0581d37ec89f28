//! Replays the fuzzing corpus kept in `fuzz/corpus/<target>/` (made by `scripts/fuzz.sh`)
//! through the fuzz targets' bodies: every input that once found new coverage must still
//! run without a panic. The targets are `fuzz/targets/mod.rs`, shared with the AFL++
//! binaries.

#[path = "../fuzz/targets/mod.rs"]
#[allow(dead_code)]
mod targets;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("fuzz input {} panics", f.display());
        }
    }
    files.len()
}

#[test]
fn the_reader_corpus_replays() {
    assert!(replay("read", targets::read) >= 10);
}

#[test]
fn the_parquet_corpus_replays() {
    assert!(replay("parquet", targets::parquet) >= 10);
}

#[test]
fn the_index_corpus_replays() {
    assert!(replay("index", targets::index) >= 10);
}

#[test]
fn resealing_a_valid_index_keeps_it_valid_and_a_changed_byte_reaches_the_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ndx");
    targets::small_index(
        &path,
        &[
            "The central bank raised its key rate by half a point on Tuesday.",
            "The central bank raised its key rate by half a point on Wednesday.",
            "Floods closed schools across the northern province for a week.",
        ],
    );
    let good = std::fs::read(&path).unwrap();
    let open = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        neardup::store::IndexFile::open(&path)
    };
    let resealed = targets::reseal(&good).expect("a readable manifest");
    let (a, b) = (open(&good).unwrap(), open(&resealed).unwrap());
    assert_eq!(a.sections(), b.sections());
    b.verify().unwrap();
    // A flipped byte in the first section fails its checksum; re-sealed, it passes.
    let mut bad = good.clone();
    bad[8] ^= 0xff;
    assert!(open(&bad).unwrap().verify().is_err());
    open(&targets::reseal(&bad).unwrap())
        .unwrap()
        .verify()
        .unwrap();
    targets::index(&[&[1u8][..], &bad].concat());
}

/// Replays one input (for triage): `FUZZ_TARGET=index FUZZ_INPUT=FILE cargo test --release
/// --test fuzz_corpus replay_one -- --ignored`.
#[test]
#[ignore]
fn replay_one() {
    let data = std::fs::read(std::env::var("FUZZ_INPUT").expect("FUZZ_INPUT")).unwrap();
    match std::env::var("FUZZ_TARGET").as_deref() {
        Ok("read") => targets::read(&data),
        Ok("parquet") => targets::parquet(&data),
        Ok("index") => targets::index(&data),
        other => panic!("FUZZ_TARGET must be read, parquet or index, not {other:?}"),
    }
}
