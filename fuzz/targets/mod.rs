//! The fuzz targets' bodies, shared by the `afl` binaries in `fuzz/src/bin/` and by the
//! regression test that replays the kept corpus (`tests/fuzz_corpus.rs`). Each takes any
//! bytes; an `Err` is a fine answer, a panic (or a hang, or unbounded memory) is a finding.
//! Only the public API is used, through files, as a user's input arrives.

use std::path::{Path, PathBuf};

use neardup::Pipeline;
use neardup::corpus::{CorpusReader, FieldMap, Input, InputFormat};
use neardup::store::{Index, IndexFile, Searcher};

/// A scratch file for one fuzzing process and thread (the input is written there, then
/// read back; the replay tests run targets on several threads at once, and a file rewritten
/// under another thread's map would end the process with SIGBUS).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "neardup-fuzz-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir.join(name)
}

/// A small pipeline: the default rules, fewer permutations (each execution stays fast).
fn pipeline() -> Pipeline {
    Pipeline::builder()
        .num_perm(32)
        .bands_rows(16, 2)
        .build()
        .expect("a valid pipeline")
}

/// Reads `path` as `format`, then sketches, pairs and clusters what was read.
fn read_and_cluster(path: &Path, format: InputFormat) {
    let Ok(input) = Input::new(path, Some(format)) else {
        return;
    };
    let reader = CorpusReader::new(vec![input], FieldMap::default()).max_record_bytes(1 << 20);
    let p = pipeline();
    if let Ok(corpus) = p.sketch_corpus(reader, |_| {}) {
        let found = p.find_pairs(&corpus);
        let clusters = p.clusters(&corpus, &found, true);
        assert_eq!(
            clusters.iter().map(|c| c.members.len()).sum::<usize>(),
            corpus.docs.len(),
            "every document in one cluster"
        );
    }
}

/// Target `read`: the first byte picks the reader (JSONL, CSV, `.txt`, the raw form), the
/// rest is the file.
pub fn read(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let (format, name) = match which % 4 {
        0 => (InputFormat::Jsonl, "in.jsonl"),
        1 => (InputFormat::Csv, "in.csv"),
        2 => (InputFormat::Txt, "in.txt"),
        _ => (InputFormat::Raw, "in.txt"),
    };
    let path = scratch(name);
    std::fs::write(&path, body).expect("scratch write");
    read_and_cluster(&path, format);
}

/// Target `parquet`: the bytes as a Parquet file.
pub fn parquet(data: &[u8]) {
    let path = scratch("in.parquet");
    std::fs::write(&path, data).expect("scratch write");
    read_and_cluster(&path, InputFormat::Parquet);
}

/// Target `index`: the first byte says whether to re-seal the checksums (so that changed
/// bytes reach the section readers instead of stopping at a checksum), the rest is an
/// index file; it is opened, verified, inspected and queried.
pub fn index(data: &[u8]) {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let bytes = if flags & 1 == 1 {
        reseal(body).unwrap_or_else(|| body.to_vec())
    } else {
        body.to_vec()
    };
    let path = scratch("in.ndx");
    std::fs::write(&path, &bytes).expect("scratch write");
    if let Ok(file) = IndexFile::open(&path) {
        let _ = file.verify();
        for name in file.sections().keys() {
            let _ = file.count(name);
        }
    }
    let Ok(index) = Index::open(&path) else {
        return;
    };
    let _ = index.file().verify();
    let n = index.len();
    for i in [0, n / 2, n.saturating_sub(1), n] {
        let _ = index.doc(i);
        let _ = index.shingles(i);
        let _ = index.signature(i);
        let _ = index.doc_vector(i);
    }
    let _ = index.contents();
    let Ok(searcher) = Searcher::new(&index) else {
        return;
    };
    let _ = searcher.query("The central bank raised its key rate by half a point", 5);
    if n > 0 {
        let _ = searcher.query_doc(0, 5);
        let _ = searcher.query_doc((n - 1) as u32, 3);
    }
}

/// Recomputes an index file's chunk checksums and manifest checksum (the layout of
/// `docs/index-format.md`), or `None` when the footer or manifest cannot be read.
pub fn reseal(bytes: &[u8]) -> Option<Vec<u8>> {
    const FOOTER: usize = 32;
    let n = bytes.len();
    if n < 8 + FOOTER {
        return None;
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let (offset, len) = (word(n - FOOTER) as usize, word(n - FOOTER + 8) as usize);
    let end = offset.checked_add(len).filter(|&e| e <= n - FOOTER)?;
    let mut manifest: serde_json::Value = serde_json::from_slice(&bytes[offset..end]).ok()?;
    let chunk = manifest
        .get("chunk_bytes")
        .and_then(|c| c.as_u64())
        .unwrap_or(1 << 20)
        .clamp(4096, 1 << 30) as usize;
    for (_, s) in manifest.get_mut("sections")?.as_object_mut()?.iter_mut() {
        let (Some(at), Some(size)) = (s["offset"].as_u64(), s["len"].as_u64()) else {
            continue;
        };
        let (at, size) = (at as usize, size as usize);
        if at.checked_add(size).is_none_or(|e| e > offset) {
            continue;
        }
        let crcs: Vec<u32> = bytes[at..at + size]
            .chunks(chunk)
            .map(crc32fast::hash)
            .collect();
        s["crc"] = serde_json::json!(crcs);
    }
    let json = serde_json::to_vec(&manifest).ok()?;
    let mut out = bytes[..offset].to_vec();
    out.extend_from_slice(&json);
    out.extend_from_slice(&(offset as u64).to_le_bytes());
    out.extend_from_slice(&(json.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&json).to_le_bytes());
    out.extend_from_slice(&bytes[n - 12..]);
    Some(out)
}

/// A small valid index (seed for the `index` target), built from `texts`.
pub fn small_index(path: &Path, texts: &[&str]) {
    let p = pipeline();
    let docs: Vec<neardup::Document<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| neardup::Document::new(format!("d{i}"), *t))
        .collect();
    let contents = p.index_contents(&docs, |_| {}).expect("contents");
    let settings = p.index_settings(neardup::tfidf::TfidfBuilder::default());
    neardup::store::write_index(path, &settings, contents).expect("an index");
}
