//! Parquet in and out: the same answers as JSONL, every column kept by `dedup`, clear
//! errors for columns of the wrong type.

mod common;

use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use neardup::table::{Column, Table};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use common::{neardup, sample};

/// The sample as a Parquet file, with an extra column no stage reads.
fn sample_parquet(dir: &Path) -> std::path::PathBuf {
    let docs: Vec<serde_json::Value> = std::fs::read_to_string(sample())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let col = |k: &str| {
        Column::Str(
            docs.iter()
                .map(|d| d[k].as_str().map(str::to_owned))
                .collect(),
        )
    };
    let table = Table::new()
        .with("id", col("id"))
        .unwrap()
        .with("outlet", col("outlet"))
        .unwrap()
        .with("date", col("date"))
        .unwrap()
        .with("title", col("title"))
        .unwrap()
        .with("text", col("text"))
        .unwrap()
        .with(
            "row",
            Column::Int((0..docs.len() as i64).map(Some).collect()),
        )
        .unwrap();
    let path = dir.join("sample.parquet");
    table.write_parquet(File::create(&path).unwrap()).unwrap();
    path
}

fn read_column(path: &Path, name: &str) -> Vec<String> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let c = batch.column_by_name(name).unwrap();
        match c.data_type() {
            arrow_schema::DataType::Int64 => out.extend(
                c.as_primitive::<arrow_array::types::Int64Type>()
                    .iter()
                    .map(|v| v.unwrap().to_string()),
            ),
            _ => out.extend(
                c.as_string::<i32>()
                    .iter()
                    .map(|v| v.unwrap_or("").to_string()),
            ),
        }
    }
    out
}

#[test]
fn parquet_gives_the_jsonl_answers() {
    let dir = tempfile::tempdir().unwrap();
    let pq = sample_parquet(dir.path());
    for args in [
        vec!["cluster", "--output-format", "jsonl"],
        vec!["pairs"],
        vec!["cluster", "--mode", "stories", "--output-format", "jsonl"],
    ] {
        let run = |input: &Path| {
            let out = neardup().args(&args).arg("-q").arg(input).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            out.stdout
        };
        let (a, b) = (run(&sample()), run(&pq));
        assert!(!a.is_empty());
        assert_eq!(a, b, "{args:?}");
    }
}

#[test]
fn dedup_keeps_every_column_and_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let pq = sample_parquet(dir.path());
    let out = dir.path().join("kept.parquet");
    neardup()
        .args(["dedup", "-q", "-o"])
        .arg(&out)
        .arg(&pq)
        .assert()
        .success();
    // The same rows as dedup of the JSONL, in the same order, with the extra column.
    let jsonl_out = dir.path().join("kept.jsonl");
    neardup()
        .args(["dedup", "-q", "-o"])
        .arg(&jsonl_out)
        .arg(sample())
        .assert()
        .success();
    let want: Vec<String> = std::fs::read_to_string(&jsonl_out)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(want.len() > 10 && want.len() < 122, "{}", want.len());
    assert_eq!(read_column(&out, "id"), want);
    let rows: Vec<u64> = read_column(&out, "row")
        .iter()
        .map(|r| r.parse().unwrap())
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(rows.len(), want.len());
}

#[test]
fn pairs_and_clusters_as_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let pq = sample_parquet(dir.path());
    let pairs = dir.path().join("pairs.parquet");
    neardup()
        .args(["pairs", "-q", "--output-format", "parquet", "-o"])
        .arg(&pairs)
        .arg(&pq)
        .assert()
        .success();
    let tsv = neardup()
        .args(["pairs", "-q"])
        .arg(&pq)
        .output()
        .unwrap()
        .stdout;
    let tsv_a: Vec<String> = String::from_utf8(tsv)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(read_column(&pairs, "a"), tsv_a);
    let clusters = dir.path().join("clusters.parquet");
    neardup()
        .args(["cluster", "-q", "--output-format", "parquet", "-o"])
        .arg(&clusters)
        .arg(&pq)
        .assert()
        .success();
    let ids = read_column(&clusters, "id");
    assert!(ids.len() > 20);
}

#[test]
fn rank_as_parquet_holds_the_tsv_rows() {
    let dir = tempfile::tempdir().unwrap();
    let pq = sample_parquet(dir.path());
    let out = dir.path().join("rank.parquet");
    neardup()
        .args([
            "rank",
            "-q",
            "--top",
            "3",
            "--output-format",
            "parquet",
            "-o",
        ])
        .arg(&out)
        .arg(&pq)
        .assert()
        .success();
    let tsv = neardup()
        .args(["rank", "-q", "--top", "3"])
        .arg(&pq)
        .output()
        .unwrap()
        .stdout;
    let rows: Vec<Vec<String>> = String::from_utf8(tsv)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect();
    assert!(rows.len() > 20, "{}", rows.len());
    let column = |i: usize| rows.iter().map(|r| r[i].clone()).collect::<Vec<_>>();
    assert_eq!(read_column(&out, "id"), column(0));
    assert_eq!(read_column(&out, "neighbour"), column(1));
    assert_eq!(read_column(&out, "rank"), column(2));
}

#[test]
fn null_texts_are_empty_documents_and_wrong_types_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nulls.parquet");
    Table::new()
        .with("id", Column::Int(vec![Some(1), Some(2), None]))
        .unwrap()
        .with(
            "text",
            Column::Str(vec![
                Some("a b c d e".into()),
                None,
                Some("a b c d e".into()),
            ]),
        )
        .unwrap()
        .write_parquet(File::create(&path).unwrap())
        .unwrap();
    let out = neardup()
        .args(["cluster", "-q", "--singletons", "--output-format", "tsv"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Three documents: the empty one is kept alone; the missing id is FILE:ROW.
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("nulls.parquet:3"), "{text}");
    let bad = dir.path().join("bad.parquet");
    Table::new()
        .with("text", Column::Float(vec![Some(1.0)]))
        .unwrap()
        .write_parquet(File::create(&bad).unwrap())
        .unwrap();
    let out = neardup().args(["pairs"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.parquet") && err.contains("\"text\""),
        "{err}"
    );
    let not = dir.path().join("not.parquet");
    std::fs::write(&not, "{\"id\": 1}\n").unwrap();
    let out = neardup().args(["pairs"]).arg(&not).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("not a readable Parquet file")
    );
}

/// A footer declaring a list of 2^31 - 1 booleans as an unknown field: the `parquet` crate
/// skips it one zero-byte element at a time (seconds per list; found by fuzzing), so it
/// is refused before the crate sees it, and so are a list longer than the footer and a
/// known field of the wrong wire type (from which the crate's reading would part from the
/// bytes' structure and could meet such a list anywhere).
#[test]
fn footers_declaring_lists_beyond_their_bytes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, footer) in [
        // FileMetaData { field 100 (id as a varint): list<bool> of 2^31 - 1 }
        (
            "bools",
            vec![0x09, 0xc8, 0x01, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00],
        ),
        // FileMetaData { field 20: list<i32> of 1,000 } in 8 bytes
        ("long", vec![0x09, 0x28, 0xf5, 0xe8, 0x07, 0x00, 0x00, 0x00]),
        // FileMetaData { field 1 (version, i32) as a boolean, then a bool-list header }
        (
            "typed",
            vec![0x11, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00],
        ),
    ] {
        let path = dir.path().join(format!("{name}.parquet"));
        let mut bytes = b"PAR1".to_vec();
        bytes.extend(&footer);
        bytes.extend((footer.len() as u32).to_le_bytes());
        bytes.extend(b"PAR1");
        std::fs::write(&path, bytes).unwrap();
        let out = neardup().args(["pairs"]).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("{name}.parquet"))
                && err.contains("not a readable Parquet file (its footer holds a"),
            "{err}"
        );
    }
}

/// `neardup sketch` writes the sketch stage in `neardup.spark.sketch`'s schema, with the
/// stage version and settings where Spark reads field metadata (python/tests/test_spark.py
/// resumes a Spark job from it).
#[test]
fn the_sketch_stage_has_sparks_schema_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.sketch.parquet");
    neardup()
        .args(["sketch", "-q", "--shingle", "word:4", "-o"])
        .arg(&out)
        .arg(sample())
        .assert()
        .code(0);
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&out).unwrap()).unwrap();
    let kv = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .iter()
        .find(|kv| kv.key == "org.apache.spark.sql.parquet.row.metadata")
        .and_then(|kv| kv.value.clone())
        .unwrap();
    let spark: serde_json::Value = serde_json::from_str(&kv).unwrap();
    let names: Vec<&str> = spark["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "_nd_doc",
            "_nd_prints",
            "_nd_signature",
            "_nd_chars",
            "_nd_published",
            "_nd_figures"
        ]
    );
    let meta = &spark["fields"][2]["metadata"]["neardup"];
    assert_eq!(meta["stage_version"], 26);
    assert_eq!(meta["shingle"], "word:4");
    assert_eq!(meta["num_perm"], 128);
    let mut rows = 0;
    for batch in reader.build().unwrap() {
        let batch = batch.unwrap();
        let docs = batch
            .column_by_name("_nd_doc")
            .unwrap()
            .as_primitive::<arrow_array::types::Int64Type>();
        let prints = batch.column_by_name("_nd_prints").unwrap().as_list::<i32>();
        let sigs = batch
            .column_by_name("_nd_signature")
            .unwrap()
            .as_list::<i32>();
        for i in 0..batch.num_rows() {
            assert_eq!(docs.value(i), rows as i64);
            let p: Vec<u32> = prints
                .value(i)
                .as_primitive::<arrow_array::types::Int32Type>()
                .values()
                .iter()
                .map(|&v| v as u32)
                .collect();
            assert!(p.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
            assert_eq!(sigs.value(i).len(), 128);
            rows += 1;
        }
    }
    assert_eq!(rows, 122);
}

/// `pairs` and `cluster` continue from a sketch stage (here `neardup sketch`'s; the Spark
/// job's folder of parts in python/tests/test_spark.py) to the answers they give from the
/// input, without its texts; a stage made with other settings, a stage mixed with other
/// inputs and `dedup` of a stage (no records to write) are refused, naming the file.
#[test]
fn pairs_and_cluster_resume_from_a_sketch_stage() {
    let dir = tempfile::tempdir().unwrap();
    for flags in [&[][..], &["--template-df", "off"][..]] {
        let stage = dir.path().join(format!("s{}.parquet", flags.len()));
        neardup()
            .args(["sketch", "-q", "-o"])
            .arg(&stage)
            .arg(sample())
            .args(flags)
            .assert()
            .code(0);
        for verb in [
            &["pairs", "--output-format", "jsonl"][..],
            &["cluster", "--output-format", "jsonl", "--keep", "longest"][..],
            &["cluster", "--output-format", "jsonl", "--keep", "earliest"][..],
        ] {
            let run = |input: &Path| {
                let out = neardup()
                    .args(verb)
                    .args(flags)
                    .arg("-q")
                    .arg(input)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(0), "{verb:?} {flags:?}");
                String::from_utf8(out.stdout).unwrap()
            };
            let (from_stage, from_input) = (run(&stage), run(&sample()));
            assert!(from_input.lines().count() > 20);
            if verb[0] == "pairs" {
                assert_eq!(from_stage, from_input);
            } else {
                // The stage keeps ids, lengths and publication instants, not titles,
                // outlets or date strings: the clusters, trees and survivors are equal.
                let decisions = |out: &str| -> Vec<(String, String, String, bool, bool)> {
                    out.lines()
                        .flat_map(|l| {
                            let c: serde_json::Value = serde_json::from_str(l).unwrap();
                            c["members"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|m| {
                                    (
                                        m["id"].to_string(),
                                        m["joined_by"].to_string(),
                                        m["score"].to_string(),
                                        m["first"].as_bool().unwrap(),
                                        m["keep"].as_bool().unwrap(),
                                    )
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect()
                };
                assert_eq!(decisions(&from_stage), decisions(&from_input), "{verb:?}");
            }
        }
    }
    let stage = dir.path().join("s0.parquet");
    let refused = |args: &[&str], why: &str| {
        let out = neardup().args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(why) && err.contains(stage.to_str().unwrap()),
            "{err}"
        );
    };
    let s = stage.to_str().unwrap();
    let sample = sample();
    refused(
        &["pairs", s, "--shingle", "word:5"],
        "sketched with other settings",
    );
    refused(
        &["pairs", s, sample.to_str().unwrap()],
        "is not a sketch stage",
    );
    let out = dir.path().join("out.parquet");
    refused(
        &["dedup", s, "-o", out.to_str().unwrap()],
        "holds no records",
    );
    assert!(!out.exists());
}
