//! End-to-end tests of the `neardup` binary.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{OTHER, STORY, neardup, sample, write};

/// One JSON value per line of a command's output.
fn jsonl_rows(stdout: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn small_corpus(dir: &Path) -> PathBuf {
    let copy = STORY
        .replace("Tuesday", "Wednesday")
        .replace("sharply", "quickly");
    let lines = [
        serde_json::json!({"id": "a", "outlet": "Wire", "date": "2024-06-01", "title": "Rates up", "text": STORY}),
        serde_json::json!({"id": "b", "outlet": "Daily", "date": "2024-06-02", "text": copy}),
        serde_json::json!({"id": 3, "outlet": "Post", "date": "2024-06-01", "text": OTHER}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    write(dir, "news.jsonl", body)
}

#[test]
fn pairs_tsv_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let out = neardup()
        .args(["pairs", "--output-format", "tsv", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    assert!(lines.next().unwrap().starts_with("a\tb\tjaccard"));
    let row: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(&row[..2], ["a", "b"]);
    let j: f64 = row[2].parse().unwrap();
    assert!(j > 0.5 && j < 1.0, "{j}");
    assert_eq!(lines.next(), None);
}

#[test]
fn cluster_jsonl_contract_and_numeric_ids() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let out = neardup()
        .args(["cluster", "--output-format", "jsonl", "--singletons", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows = jsonl_rows(&out.stdout);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["cluster"], 0);
    assert_eq!(rows[0]["size"], 2);
    let m = &rows[0]["members"];
    assert_eq!(m[0]["id"], "a");
    assert_eq!(m[0]["joined_by"], serde_json::Value::Null);
    assert_eq!(m[1]["joined_by"], "a");
    assert!(m[1]["score"].as_f64().unwrap() > 0.5);
    assert_eq!(m[1]["outlet"], "Daily");
    // A numeric id is written back as a number.
    assert_eq!(rows[1]["members"][0]["id"], 3);
}

#[test]
fn nothing_found_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "x.jsonl",
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": "a", "text": STORY}),
            serde_json::json!({"id": "b", "text": OTHER})
        ),
    );
    neardup()
        .args(["pairs", "-q"])
        .arg(&input)
        .assert()
        .code(1)
        .stdout("a\tb\tjaccard\tcontainment\tmatch\n");
    neardup()
        .args(["cluster", "-q"])
        .arg(&input)
        .assert()
        .code(1);
}

#[test]
fn sample_text_report_snapshot() {
    let out = neardup()
        .args(["cluster", "-q"])
        .arg(sample())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(
        "sample_clusters_text",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn sample_pairs_snapshot() {
    let out = neardup()
        .args(["pairs", "-q"])
        .arg(sample())
        .output()
        .unwrap();
    insta::assert_snapshot!("sample_pairs_tsv", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn first_means_the_earliest_publication_not_the_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let story = "The central bank raised its main interest rate by half a percentage point on \
        Tuesday, citing stubborn inflation in services and a tight labour market";
    let lines = [
        // The later rerun comes first in the input; the wire story was published earlier.
        serde_json::json!({"id": "rerun", "date": "2024-06-05", "text": format!("{story}, officials said.")}),
        serde_json::json!({"id": "other", "date": "2024-06-01", "text": "A cup final was won on penalties after a goalless draw."}),
        serde_json::json!({"id": "wire", "date": "2024-06-02", "text": format!("{story}.")}),
        serde_json::json!({"id": "undated", "text": format!("{story}, analysts said.")}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let path = write(dir.path(), "c.jsonl", body);
    let text = neardup()
        .args(["cluster", "-q"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let line = |id: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(line("wire").contains("(first)"), "{text}");
    assert!(!line("rerun").contains("(first)"), "{text}");
    // The join edges are shown apart from it: the earliest was joined to the tree's root.
    assert!(line("wire").contains("<- rerun"), "{text}");
    let out = neardup()
        .args(["cluster", "-q", "--output-format", "jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    let rows = jsonl_rows(&out.stdout);
    let firsts: Vec<(&str, bool)> = rows[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["first"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        firsts,
        [("rerun", false), ("wire", true), ("undated", false)]
    );
}

#[test]
fn counts_read_as_english_and_the_help_lists_each_example_once() {
    let out = neardup()
        .args(["report", "-q"])
        .arg(sample())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(", 1 passage cover"), "{text}");
    assert!(text.contains(" passages cover"));
    assert!(!text.contains("passage(s)"));
    assert!(text.lines().next().unwrap().ends_with(" 12 outlets"));
    let help = neardup().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let examples: Vec<&str> = help
        .lines()
        .filter(|l| l.starts_with("  neardup "))
        .collect();
    let mut unique = examples.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), examples.len(), "{help}");
}

#[test]
fn an_output_into_a_missing_folder_fails_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/folder/pairs.tsv");
    // Checked before anything is read: with a missing input too, the output is named.
    neardup()
        .args(["pairs", "missing-input.jsonl", "-o"])
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/folder"));
    neardup()
        .args(["pairs"])
        .arg(sample())
        .arg("-o")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write there: no folder"));
    neardup()
        .args(["report"])
        .arg(sample())
        .arg("--html")
        .arg(dir.path().join("nope/r.html"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"));
    neardup()
        .args(["index", "build"])
        .arg(sample())
        .arg("-o")
        .arg(dir.path().join("nope/a.ndx"))
        .assert()
        .code(2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_summary_counts_pairs_by_rule_and_they_add_up() {
    let out = neardup()
        .args(["pairs", "--threshold", "0.8"])
        .arg(sample())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().skip(1).collect();
    let by = |rule: &str| rows.iter().filter(|r| r.ends_with(rule)).count();
    // At 0.8 the containment rule (on by default) still lists pairs below 0.8 Jaccard.
    assert!(by("\tcontainment") > 0);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{} near-duplicate pairs ({} by Jaccard, {} by containment)",
            rows.len(),
            by("\tjaccard"),
            by("\tcontainment")
        )),
        "{stderr}"
    );
    // The help says the containment rule stays on.
    let help = neardup().args(["pairs", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("stays on unless `--containment"), "{help}");
}

#[test]
fn sample_clusters_match_the_generator_truth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let truth = std::fs::read_to_string(root.join("datasets/sample/truth.tsv")).unwrap();
    let story: std::collections::HashMap<String, String> = truth
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    let out = neardup()
        .args(["cluster", "-q", "--output-format", "jsonl"])
        .arg(sample())
        .output()
        .unwrap();
    let mut clustered = 0;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        let stories: std::collections::BTreeSet<&str> = c["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| story[m["id"].as_str().unwrap()].as_str())
            .collect();
        assert_eq!(stories.len(), 1, "a cluster mixes stories: {line}");
        clustered += c["size"].as_u64().unwrap();
    }
    let copies = story.len()
        - story
            .values()
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    // Every copy and its original are clustered (copies + one original per copied story).
    assert!(
        clustered as usize > copies,
        "{clustered} clustered, {copies} copies"
    );
}

#[test]
fn output_is_identical_across_thread_counts() {
    let run = |threads: &str| {
        neardup()
            .args([
                "cluster",
                "-q",
                "--output-format",
                "jsonl",
                "--singletons",
                "--threads",
                threads,
            ])
            .arg(sample())
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}

#[test]
fn output_file_is_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let out = dir.path().join("pairs.tsv");
    neardup()
        .args(["pairs", "-q", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0)
        .stdout("");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("a\tb\tjaccard")
    );
    // A failing run leaves the previous file untouched and no temporary file behind.
    let bad = write(
        dir.path(),
        "bad.jsonl",
        "{\"id\": 1, \"text\": \"ok\"}\n{not json}\n",
    );
    neardup()
        .args(["pairs", "-q", "-o"])
        .arg(&out)
        .arg(&bad)
        .assert()
        .code(2);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("a\tb\tjaccard")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bad_inputs_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "malformed.jsonl",
            b"{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"\n".to_vec(),
            "malformed.jsonl:2: invalid JSON",
        ),
        (
            "utf8.jsonl",
            b"{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"\xff\"}\n".to_vec(),
            "utf8.jsonl:2: invalid UTF-8",
        ),
        (
            "binary.jsonl",
            b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec(),
            "binary.jsonl:1: looks like a binary file",
        ),
        (
            "notext.jsonl",
            b"{\"id\":1,\"body\":\"a\"}\n".to_vec(),
            "notext.jsonl:1: no field \"text\"",
        ),
        (
            "dup.jsonl",
            b"{\"id\":1,\"text\":\"a\"}\n{\"id\":1,\"text\":\"b\"}\n".to_vec(),
            "dup.jsonl:2: duplicate id \"1\"",
        ),
        ("empty.jsonl", b"".to_vec(), "no documents in the input"),
        (
            "ragged.csv",
            b"id,text\n1,hello\n2,a,b\n".to_vec(),
            "ragged.csv:3: invalid CSV",
        ),
    ];
    for (name, content, message) in cases {
        let p = write(dir.path(), name, content);
        neardup()
            .args(["pairs", "-q"])
            .arg(&p)
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains(message).and(predicate::str::contains("panicked").not()),
            );
    }
    neardup()
        .args(["pairs", "-q"])
        .arg(dir.path().join("missing.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.jsonl: no such file"));
    neardup()
        .args(["pairs", "--threshold", "1.5", "x.jsonl"])
        .assert()
        .code(2);
    neardup()
        .args(["pairs", "--shingle", "word:0", "x.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid shingle"));
}

#[test]
fn empty_documents_are_warned_and_never_matched() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "e.jsonl",
        "{\"id\":\"x\",\"text\":\"\"}\n{\"id\":\"y\",\"text\":\" ... \"}\n{\"id\":\"z\",\"text\":null}\n",
    );
    neardup().args(["pairs"]).arg(&p).assert().code(1).stderr(
        predicate::str::contains("warning: 3 documents have no words")
            .and(predicate::str::contains("e.jsonl:1")),
    );
    let one = write(
        dir.path(),
        "one.jsonl",
        "{\"id\":\"a\",\"text\":\"some words\"}\n{\"id\":\"b\",\"text\":\"\"}\n",
    );
    neardup()
        .args(["cluster"])
        .arg(&one)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("warning: 1 document has no words and is never matched")
                .and(predicate::str::contains("one.jsonl:2")),
        );
}

#[test]
fn other_input_formats() {
    let dir = tempfile::tempdir().unwrap();
    let copy = STORY.replace("Tuesday", "Monday");
    let mut w = csv::Writer::from_path(dir.path().join("n.csv")).unwrap();
    w.write_record(["guid", "body", "outlet"]).unwrap();
    w.write_record(["g1", STORY, "Wire"]).unwrap();
    w.write_record(["g2", &copy, "Daily"]).unwrap();
    w.flush().unwrap();
    neardup()
        .args(["pairs", "-q", "--id-field", "guid", "--text-field", "body"])
        .arg(dir.path().join("n.csv"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("g1\tg2\t"));

    let folder = dir.path().join("articles");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    write(&folder, "one.txt", format!("MNA date 2024-06-01 {STORY}"));
    write(
        &folder.join("sub"),
        "two.txt",
        format!(" date 2024-06-02 {copy}"),
    );
    let out = neardup()
        .args(["cluster", "-q", "--output-format", "jsonl"])
        .arg(&folder)
        .output()
        .unwrap();
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["members"][0]["id"], "one.txt");
    assert_eq!(c["members"][0]["outlet"], "MNA");
    assert_eq!(c["members"][1]["id"], "sub/two.txt");
    assert_eq!(c["members"][1]["date"], "2024-06-02");

    let stdin = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "s1", "text": STORY}),
        serde_json::json!({"id": "s2", "text": copy})
    );
    neardup()
        .args(["pairs", "-q", "-"])
        .write_stdin(stdin)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("s1\ts2\t"));

    // Standard input as text is one document, id `-` (the raw form read as from a file).
    let story = dir.path().join("story.txt");
    std::fs::write(&story, STORY).unwrap();
    let out = neardup()
        .args([
            "compare",
            "--input-format",
            "txt",
            "--output-format",
            "json",
            "-",
        ])
        .arg(&story)
        .write_stdin(format!("MNA date 2024-06-03 {copy}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["a"], "-");
    assert_eq!(c["comparison"]["near_duplicate"], "jaccard", "{c}");
    neardup()
        .args(["pairs", "--input-format", "raw", "-"])
        .write_stdin("no header here")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-:1: not in the raw form"));
}

#[test]
fn explain_prints_the_banding() {
    neardup()
        .args(["pairs", "--explain", "--threshold", "0.5"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("lsh: 42 bands x 3 rows")
                .and(predicate::str::contains("0.500  0.99")),
        );
}

#[test]
fn help_lists_examples() {
    neardup()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:"));
    neardup()
        .args(["cluster", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--singletons"));
}

#[test]
fn rank_tsv_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_corpus(dir.path());
    let out = neardup()
        .args(["rank", "--top", "1", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id\tneighbour\trank\tcosine")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    // The copy is each original's best neighbour; the unrelated story ranks one of them.
    assert_eq!(rows.len(), 3, "{stdout}");
    assert_eq!(&rows[0][..3], ["a", "b", "1"]);
    assert_eq!(&rows[1][..3], ["b", "a", "1"]);
    let cos: f64 = rows[0][3].parse().unwrap();
    assert!(cos > 0.5 && cos <= 1.0, "{cos}");
    assert_eq!(rows[2][0], "3");
}

#[test]
fn rank_sample_neighbours_are_sorted_and_deterministic() {
    let run = |threads: &str, format: &str| {
        let out = neardup()
            .args([
                "rank",
                "--top",
                "5",
                "-q",
                "--threads",
                threads,
                "--output-format",
                format,
            ])
            .arg(sample())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let tsv = run("1", "tsv");
    assert_eq!(tsv, run("2", "tsv"));
    let mut last: Option<(String, f64)> = None;
    let mut per_doc = std::collections::HashMap::<String, usize>::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let score: f64 = f[f.len() - 1].parse().unwrap();
        *per_doc.entry(f[0].to_string()).or_default() += 1;
        if let Some((id, prev)) = &last
            && id == f[0]
        {
            assert!(score <= *prev, "{line}");
        }
        last = Some((f[0].to_string(), score));
    }
    assert_eq!(per_doc.len(), 122);
    assert!(per_doc.values().all(|&n| n == 5));
    let jsonl = run("2", "jsonl");
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["neighbours"].as_array().unwrap().len(), 5);
}

#[test]
fn rank_rejects_bad_options() {
    for args in [["--top", "0"], ["--min-df", "x"], ["--max-df", "1.5"]] {
        neardup()
            .arg("rank")
            .args(args)
            .arg(sample())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid"));
    }
}

#[test]
fn compare_reports_every_measure() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", format!("Wire date 2024-06-01 {STORY}"));
    let b = write(dir.path(), "b.txt", STORY.replace("Tuesday", "Wednesday"));
    let c = write(dir.path(), "c.txt", OTHER);
    let out = neardup()
        .args(["compare", "--output-format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cmp = &v["comparison"];
    let j = cmp["jaccard"].as_f64().unwrap();
    assert!(j > 0.7 && j < 1.0, "{v}");
    assert!((cmp["jaccard_estimate"].as_f64().unwrap() - j).abs() < 0.2);
    assert_eq!(cmp["near_duplicate"], "jaccard");
    assert!(cmp["cosine"].as_f64().unwrap() > 0.8);
    // No rule holds: `false`, not null.
    let apart = neardup()
        .args(["compare", "--output-format", "json"])
        .arg(&a)
        .arg(&c)
        .output()
        .unwrap();
    let apart: serde_json::Value = serde_json::from_slice(&apart.stdout).unwrap();
    assert_eq!(apart["comparison"]["near_duplicate"], false, "{apart}");
    let text = neardup().arg("compare").arg(&a).arg(&c).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("near-duplicate      no"), "{text}");
    assert!(text.contains("shared shingles     0"), "{text}");
    // A file with two documents is an error naming the file.
    let two = write(
        dir.path(),
        "two.jsonl",
        "{\"id\":1,\"text\":\"a b\"}\n{\"id\":2,\"text\":\"c d\"}\n",
    );
    neardup()
        .arg("compare")
        .arg(&two)
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "two.jsonl: expected one document, found 2",
        ));
}

/// Two events covered by several outlets in their own words, a wire copy of one article,
/// and a later, different event with the same chess player.
fn events_corpus(dir: &Path) -> PathBuf {
    let docs = [
        (
            "flood-1",
            "Gazette",
            "2024-03-04",
            "Floodwaters from the swollen Maren river forced the evacuation of four hundred residents in Holtby on Monday, after three days of heavy rain. Emergency crews used boats to reach families trapped on upper floors, and the town's school was turned into a shelter. The mayor said the levee on the east bank had been overtopped before dawn.",
        ),
        (
            "flood-2",
            "Herald",
            "2024-03-04",
            "Hundreds of people left their homes in Holtby as the Maren river burst its banks overnight. Rescue teams in boats pulled stranded residents from flooded houses near the east levee, while the school gym became an emergency shelter. Forecasters expect more rain on Tuesday, and the mayor warned that the river could rise again.",
        ),
        (
            "flood-3",
            "Times",
            "2024-03-05",
            "The clean-up in Holtby began on Tuesday as the Maren river slowly receded, a day after flooding drove four hundred residents from their homes. Officials blamed the overtopped east levee, and the mayor asked the regional government for emergency funds to rebuild it. Families sheltering in the school hope to return by the weekend.",
        ),
        (
            "flood-1-copy",
            "Courier",
            "2024-03-04",
            "Floodwaters from the swollen Maren river forced the evacuation of 400 residents in Holtby on Monday after three days of heavy rain. Emergency crews used boats to reach families stranded on upper floors, and the town school was turned into a shelter. The mayor said the levee on the east bank was overtopped before dawn. More to follow.",
        ),
        (
            "chess-1",
            "Gazette",
            "2024-03-05",
            "Grandmaster Ilse Varga won the national chess championship on Tuesday, beating the defending champion in a tense rapid tiebreak after the classical games were drawn. Varga, 19, sacrificed a rook in the deciding game and converted the attack in forty moves. She becomes the youngest champion in the event's history.",
        ),
        (
            "chess-2",
            "Herald",
            "2024-03-05",
            "Nineteen-year-old Ilse Varga is the new national chess champion. After four drawn classical games, the final went to rapid tiebreaks, where Varga's bold rook sacrifice broke open the defending champion's king. Organisers said the final drew a record online audience for the championship.",
        ),
        (
            "chess-3",
            "Times",
            "2024-03-06",
            "A day after her victory in the national championship final, Ilse Varga said the rook sacrifice in the tiebreak had been prepared at home. The new champion, the youngest in the tournament's history, will now represent the country at the olympiad, the chess federation said.",
        ),
        (
            "chess-later",
            "Times",
            "2024-04-20",
            "Ilse Varga lost in the second round of the Baltic Open on Saturday, six weeks after winning the national chess championship. The grandmaster was outplayed in a long endgame by an unrated local player, the biggest upset of the open so far. Varga said she would take a break before the olympiad.",
        ),
    ];
    let mut s = String::new();
    for (id, outlet, date, text) in docs {
        s.push_str(
            &serde_json::json!({"id": id, "outlet": outlet, "date": date, "text": text})
                .to_string(),
        );
        s.push('\n');
    }
    write(dir, "events.jsonl", s)
}

#[test]
fn stories_group_events_with_copies_nested() {
    let dir = tempfile::tempdir().unwrap();
    let input = events_corpus(dir.path());
    let out = neardup()
        .args([
            "cluster",
            "--mode",
            "stories",
            "--output-format",
            "jsonl",
            "--singletons",
            "-q",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows = jsonl_rows(&out.stdout);
    let ids = |r: &serde_json::Value| -> Vec<String> {
        r["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    let groups: Vec<Vec<String>> = rows.iter().map(ids).collect();
    assert_eq!(
        groups,
        vec![
            vec!["flood-1", "flood-2", "flood-3", "flood-1-copy"],
            vec!["chess-1", "chess-2", "chess-3"],
            vec!["chess-later"],
        ]
    );
    // The wire copy and its original share a copy cluster; the others have none.
    let flood = &rows[0]["members"];
    assert_eq!(flood[0]["copies"], 0);
    assert_eq!(flood[3]["copies"], 0);
    assert_eq!(flood[1]["copies"], serde_json::Value::Null);
    assert_eq!(flood[3]["joined_by"], "flood-1");
    assert!(flood[1]["score"].as_f64().unwrap() > 0.0);

    // Without the date window, the later chess story is only kept apart by its text.
    let out = neardup()
        .args([
            "cluster",
            "--mode",
            "stories",
            "--output-format",
            "jsonl",
            "-q",
        ])
        .args(["--date-window", "off", "--story-threshold", "0.9"])
        .arg(&input)
        .output()
        .unwrap();
    let rows = jsonl_rows(&out.stdout);
    // At 0.9 only the copy pair (which starts merged) stays together.
    assert_eq!(rows.len(), 1);
    assert_eq!(ids(&rows[0]), vec!["flood-1", "flood-1-copy"]);

    let out = neardup()
        .args(["cluster", "--mode", "stories", "--date-window", "soon"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date-window"));
}

#[test]
fn compare_passages_marks_shared_text() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.txt",
        "Floodwaters from the swollen Maren river forced the evacuation of four hundred residents in Holtby on Monday, after three days of heavy rain. Officials said more rain is due.",
    );
    let b = write(
        dir.path(),
        "b.txt",
        "HOLTBY (Wire) - Floodwaters from the swollen Maren river forced the evacuation of 400 residents in Holtby on Monday after three days of heavy rain. Subscribe for more.",
    );
    let out = neardup()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--passages")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("shared passages     1"), "{text}");
    // Not a terminal: no escape codes, passages marked in both texts.
    assert!(!text.contains('\x1b'));
    assert!(text.contains("[[1 Floodwaters from the swollen"), "{text}");
    assert!(text.contains("three days of heavy rain]]"), "{text}");

    let out = neardup()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["--passages", "--output-format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &v["passages"]["passages"][0];
    let (s, e) = (
        p["b"]["start"].as_u64().unwrap() as usize,
        p["b"]["end"].as_u64().unwrap() as usize,
    );
    let b_text = std::fs::read_to_string(&b).unwrap();
    assert!(b_text[s..e].starts_with("Floodwaters"));
    assert!(v["passages"]["coverage_a"].as_f64().unwrap() > 0.7);
}

#[test]
fn report_json_and_self_contained_html() {
    let dir = tempfile::tempdir().unwrap();
    let input = events_corpus(dir.path());
    let html = dir.path().join("report.html");
    let out = neardup()
        .args(["report", "--output-format", "json", "-q", "--html"])
        .arg(&html)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["documents"], 8);
    let stories = r["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 2);
    // Largest first: the flood (4 articles), first published by the Gazette on 2024-03-04.
    let flood = &stories[0];
    assert_eq!(flood["articles"].as_array().unwrap().len(), 4);
    assert_eq!(flood["articles"][0]["id"], "flood-1");
    assert_eq!(flood["first"], 0);
    // The Courier's copy (same day, later in input order) is linked to its source.
    let copy = &flood["copies"][0];
    assert_eq!(
        (copy["source"].as_u64(), copy["copy"].as_u64()),
        (Some(0), Some(3))
    );
    assert!(copy["coverage_copy"].as_f64().unwrap() > 0.8);
    assert!(!copy["passages"].as_array().unwrap().is_empty());
    // Outlet matrix: the Courier copied the Gazette once.
    let outlets: Vec<&str> = r["matrix"]["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    let (ci, gi) = (
        outlets.iter().position(|o| *o == "Courier").unwrap(),
        outlets.iter().position(|o| *o == "Gazette").unwrap(),
    );
    assert_eq!(r["matrix"]["copied"][ci][gi], 1);
    assert_eq!(r["matrix"]["copied"][gi][ci], 0);
    // The later chess story is related coverage, not part of the championship story.
    assert!(
        r["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["b"] == 7 || x["a"] == 7)
    );

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<mark class=\"p0\" title=\"passage 1\">"));
    assert!(page.contains("Related coverage"));
    assert!(!page.contains("<script") && !page.contains("src=\"http") && !page.contains("<link"));
    assert_eq!(page.matches("<details class=\"story\"").count(), 2);

    // A large corpus's page lists only the largest stories.
    let out = neardup()
        .args(["report", "-q", "--html-stories", "1", "--html"])
        .arg(&html)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<details class=\"story\"").count(), 1);
    assert!(page.contains("Showing the 1 largest of 2 stories"));

    // Cross-outlet only drops nothing here (every story spans outlets), but a bad window fails.
    let out = neardup()
        .args(["report", "--date-window", "-3"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn report_cross_outlet_only_drops_single_outlet_stories() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Floodwaters from the swollen Maren river forced the evacuation of four hundred residents in Holtby on Monday, after three days of heavy rain. Emergency crews used boats to reach families trapped on upper floors.";
    let mut s = String::new();
    for (id, date) in [("a", "2024-03-04"), ("b", "2024-03-05")] {
        s.push_str(
            &serde_json::json!({"id": id, "outlet": "Gazette", "date": date, "text": text})
                .to_string(),
        );
        s.push('\n');
    }
    let input = write(dir.path(), "one-outlet.jsonl", s);
    let run = |extra: &[&str]| {
        let out = neardup()
            .args(["report", "--output-format", "json", "-q"])
            .args(extra)
            .arg(&input)
            .output()
            .unwrap();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), r["stories"].as_array().unwrap().len())
    };
    // One story, its copy republished a day later by the same outlet.
    assert_eq!(run(&[]), (Some(0), 1));
    assert_eq!(run(&["--cross-outlet-only"]), (Some(1), 0));
    // Counted in words as they are: "1 outlet", not "1 outlets".
    let text = neardup()
        .args(["report", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    // The first article is named by its outlet, its id and its day.
    assert!(
        text.contains("2 articles, 1 outlet (Gazette); first: Gazette a 2024-03-04"),
        "{text}"
    );
}

#[test]
fn rank_stop_words_drop_terms() {
    let dir = tempfile::tempdir().unwrap();
    let input = events_corpus(dir.path());
    let rank = |extra: &[&str]| {
        let out = neardup()
            .args(["rank", "--top", "1", "--rerank-neighbours", "0", "-q"])
            .args(extra)
            .arg(&input)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, plain, _) = rank(&[]);
    assert_eq!(code, Some(0));
    // Stop words change the vectors, so the cosines change (and are never higher than 1).
    let list = write(dir.path(), "stop.txt", "the\nof\nand\nin\na\nTHE\n");
    let (code, stopped, _) = rank(&["--stop-words", list.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_ne!(plain, stopped);
    let missing = dir.path().join("missing.txt");
    let (code, _, err) = rank(&["--stop-words", missing.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.txt"), "{err}");
}
