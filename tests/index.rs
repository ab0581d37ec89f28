//! The persistent index from the command line: build, add, info, query, and damage.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::neardup;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

const QUERY: &str = "The central bank raised its main interest rate by half a percentage point, citing \
inflation in services and a tight labour market. Governor Maria Okafor said more increases could come.";

fn query_tsv(index: &Path) -> Vec<Vec<String>> {
    let out = neardup()
        .arg("query")
        .arg(index)
        .args(["--text", QUERY, "--output-format", "tsv"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

fn duplicates_and_related(index: &Path) -> (Vec<String>, Vec<String>) {
    let rows = query_tsv(index);
    let pick = |kind: &str| {
        rows.iter()
            .filter(|r| r[0] == kind)
            .map(|r| r[1].clone())
            .collect::<Vec<_>>()
    };
    (pick("duplicate"), pick("related"))
}

/// The golden files of format versions 1 (64-bit shingle hashes) and 2 (32-bit
/// fingerprints; with id hashes; with figures) open, verify and give the same answers.
#[test]
fn golden_v1_and_v2_indexes_open_and_answer() {
    for (file, version) in [
        ("index-v1.ndx", 1),
        ("index-v2.ndx", 2),
        ("index-v2-ids.ndx", 2),
        ("index-v2-figures.ndx", 2),
    ] {
        let golden = data(file);
        neardup()
            .args(["index", "info", "--verify"])
            .arg(&golden)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "format version   {version}"
            )))
            .stdout(predicate::str::contains(
                "documents        5 (5 with shingles)",
            ))
            .stdout(predicate::str::contains("all sections verified"));
        let (dups, related) = duplicates_and_related(&golden);
        assert_eq!(dups, ["wire-1", "daily-1"], "{file}");
        assert_eq!(
            related,
            ["daily-1", "wire-1", "post-2", "post-1", "7"],
            "{file}"
        );
    }
}

/// A fresh build gives the version-2 golden file with figures byte for byte (with the
/// template rule off, the one written before figures were kept), and `index add` on the
/// version-1 file, which keeps no figures, writes what a fresh build of all the documents
/// with the template rule off writes.
#[test]
fn fresh_builds_and_additions_to_v1_equal_the_v2_format() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.ndx");
    // (The golden files were written with classic MinHash, before the default became OPH.)
    let build = |out: &Path, corpus: &Path, template_df: &str| {
        neardup()
            .args([
                "index",
                "build",
                "-q",
                "--single-file",
                "--sketch",
                "classic",
                "--template-df",
                template_df,
                "-o",
            ])
            .arg(out)
            .arg(corpus)
            .assert()
            .success();
    };
    let same = |a: &Path, b: &Path| std::fs::read(a).unwrap() == std::fs::read(b).unwrap();
    build(&fresh, &data("golden-corpus.jsonl"), "auto");
    assert!(same(&fresh, &data("index-v2-figures.ndx")));
    build(&fresh, &data("golden-corpus.jsonl"), "off");
    assert!(same(&fresh, &data("index-v2-ids.ndx")));
    let extra = r#"{"id": "extra-1", "title": "Harbour", "text": "The harbour authority opened a second container terminal on Monday, doubling the port's capacity."}"#;
    let more = dir.path().join("more.jsonl");
    std::fs::write(&more, format!("{extra}\n")).unwrap();
    let all = dir.path().join("all.jsonl");
    std::fs::write(
        &all,
        format!("{}{extra}\n", include_str!("data/golden-corpus.jsonl")),
    )
    .unwrap();
    let upgraded = dir.path().join("upgraded.ndx");
    std::fs::copy(data("index-v1.ndx"), &upgraded).unwrap();
    neardup()
        .args(["index", "add", "-q"])
        .arg(&upgraded)
        .arg(&more)
        .assert()
        .success();
    build(&fresh, &all, "off");
    assert!(same(&upgraded, &fresh));
    build(&fresh, &all, "auto");
    assert!(!same(&upgraded, &fresh), "a fresh build keeps figures");
}

#[test]
fn add_then_query_and_info_json() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("a.ndx");
    let lines: Vec<&str> = include_str!("data/golden-corpus.jsonl").lines().collect();
    let first = dir.path().join("first.jsonl");
    let rest = dir.path().join("rest.jsonl");
    std::fs::write(&first, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    std::fs::write(&rest, format!("{}\n{}\n{}\n", lines[1], lines[3], lines[4])).unwrap();
    neardup()
        .args(["index", "build", "-q", "-o"])
        .arg(&idx)
        .arg(&first)
        .assert()
        .success();
    neardup()
        .args(["index", "add", "-q"])
        .arg(&idx)
        .arg(&rest)
        .assert()
        .success();
    let out = neardup()
        .args(["index", "info", "--output-format", "json"])
        .arg(&idx)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 5);
    assert_eq!(v["format_version"], 3);
    assert_eq!(v["segments"].as_array().unwrap().len(), 2);
    // Two segments: the commit stored the template shingles of both in the manifest.
    assert_eq!(v["templates_in_manifest"], true);
    neardup()
        .args(["index", "info"])
        .arg(&idx)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "their template shingles stored in the manifest",
        ));
    let rows = query_tsv(&idx);
    let dups: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == "duplicate")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(dups, ["wire-1", "daily-1"]);
    // Adding an id that is already there fails and leaves the index as it was.
    let before = snapshot(&idx);
    neardup()
        .args(["index", "add", "-q"])
        .arg(&idx)
        .arg(&rest)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already in the index"));
    assert_eq!(snapshot(&idx), before);
    // The index's own settings are used: there is no flag to give others.
    neardup()
        .args(["index", "add", "-q", "--num-perm", "64"])
        .arg(&idx)
        .arg(&rest)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--num-perm'"));
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .chain(std::fs::read_dir(&idx).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".neardup")),
        "{names:?}"
    );
}

/// The bytes of an index: a file's, or each file's of a folder (the writer lock aside).
fn snapshot(p: &Path) -> Vec<(String, Vec<u8>)> {
    if p.is_file() {
        return vec![(String::new(), std::fs::read(p).unwrap())];
    }
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != "writer.lock")
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn failed_build_leaves_the_previous_file() {
    for single in [false, true] {
        failed_build_leaves_the_previous_index(single);
    }
}

fn failed_build_leaves_the_previous_index(single: bool) {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("a.ndx");
    neardup()
        .args(["index", "build", "-q", "-o"])
        .arg(&idx)
        .args(single.then_some("--single-file"))
        .arg(data("golden-corpus.jsonl"))
        .assert()
        .success();
    assert_eq!(idx.is_dir(), !single);
    let before = snapshot(&idx);
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": 1, \"text\": \"fine\"}\n{\"id\": 2, \"text\": \n",
    )
    .unwrap();
    neardup()
        .args(["index", "build", "-q", "-o"])
        .arg(&idx)
        .args(single.then_some("--single-file"))
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:2"));
    neardup()
        .args(["index", "add", "-q"])
        .arg(&idx)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:2"));
    assert_eq!(snapshot(&idx), before);
}

#[test]
fn damaged_indexes_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(data("index-v1.ndx")).unwrap();
    let check = |bytes: &[u8], args: &[&str], msg: &str| {
        let p = dir.path().join("x.ndx");
        std::fs::write(&p, bytes).unwrap();
        let mut cmd = neardup();
        cmd.args(&args[..1]).arg(&p).args(&args[1..]);
        cmd.assert().code(2).stderr(predicate::str::contains(msg));
    };
    let query = ["query", "--text", QUERY];
    // Truncated.
    check(
        &good[..good.len() - 100],
        &query,
        "truncated or damaged index",
    );
    check(&good[..10], &query, "truncated or damaged index");
    // Another format version.
    let mut v9 = good.clone();
    let n = v9.len();
    v9[n - 12..n - 8].copy_from_slice(&9u32.to_le_bytes());
    check(
        &v9,
        &query,
        "index format version 9; this neardup reads versions 1 to 2",
    );
    // Not an index at all.
    check(b"id,text\n1,hello\n", &query, "not a neardup index");
    // A flipped byte in every position class: data sections, manifest.
    for at in [20, good.len() / 3, good.len() / 2, good.len() - 200] {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        let p = dir.path().join("x.ndx");
        std::fs::write(&p, &bad).unwrap();
        let mut cmd = neardup();
        if at < good.len() - 1000 {
            cmd.args(["index"]).arg("info").arg(&p).arg("--verify");
        } else {
            cmd.arg("query").arg(&p).args(["--text", QUERY]);
        }
        cmd.assert()
            .code(2)
            .stderr(predicate::str::contains("damaged"));
    }
    // A missing file.
    neardup()
        .args(["query", "/nonexistent/x.ndx", "--text", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/x.ndx"));
}

#[test]
fn compare_with_index_idf_and_query_from_stdin() {
    let idx = data("index-v1.ndx");
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, QUERY).unwrap();
    std::fs::write(
        &b,
        "Economists expect the central bank to keep interest rates high.",
    )
    .unwrap();
    let out = neardup()
        .args(["compare", "--output-format", "json", "--index"])
        .arg(&idx)
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["comparison"]["idf"], "corpus");
    assert!(v["comparison"]["cosine"].as_f64().unwrap() > 0.1);
    neardup()
        .arg("query")
        .arg(&idx)
        .arg("-")
        .write_stdin(QUERY)
        .assert()
        .success()
        .stdout(predicate::str::contains("near-duplicates: 2"));
    // No source is a usage error.
    neardup().arg("query").arg(&idx).assert().code(2);
}
