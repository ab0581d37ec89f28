//! Input as crawlers and feeds produce it (issue 15's findings): each test failed before
//! its fix.

mod common;

use common::{OTHER, STORY, neardup, sample, write};

/// Standard output of a run that must succeed.
fn output_of(cmd: &mut assert_cmd::Command) -> Vec<u8> {
    cmd.assert().success().get_output().stdout.clone()
}

/// Standard error of a run that must fail with exit code 2.
fn error_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().code(2).get_output().stderr.clone()).unwrap()
}

fn jsonl(records: &[(&str, &str)]) -> String {
    records
        .iter()
        .map(|(id, text)| format!("{{\"id\": {id}, \"text\": {}}}\n", serde_json::json!(text)))
        .collect()
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let body = jsonl(&[("\"a\"", STORY), ("\"b\"", STORY), ("\"c\"", OTHER)]);
    let with_bom = write(dir.path(), "bom.jsonl", format!("\u{feff}{body}"));
    let out = output_of(
        neardup()
            .args(["pairs", "-q", "--template-df", "off"])
            .arg(&with_bom),
    );
    assert_eq!(
        String::from_utf8(out).unwrap().lines().nth(1).unwrap(),
        "a\tb\t1.0000\t1.0000\tjaccard"
    );
}

#[test]
fn ids_beyond_64_bits_are_not_rounded_into_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "big.jsonl",
        jsonl(&[
            ("18446744073709551617", STORY),
            ("18446744073709551618", STORY),
        ]),
    );
    let out = output_of(
        neardup()
            .args([
                "pairs",
                "-q",
                "--template-df",
                "off",
                "--output-format",
                "jsonl",
            ])
            .arg(&input),
    );
    let row: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(row["a"], "18446744073709551617");
    assert_eq!(row["b"], "18446744073709551618");
}

#[test]
fn a_csv_quote_left_open_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,text\n");
    for i in 0..40 {
        csv.push_str(&format!("{i},\"{STORY} number {i}\"\n"));
    }
    csv.push_str("40,\"an unclosed quote\n");
    for i in 41..120 {
        csv.push_str(&format!("{i},plain row {i}\n"));
    }
    let input = write(dir.path(), "open.csv", csv);
    let out = dir.path().join("pairs.tsv");
    let err = error_of(neardup().args(["pairs", "-q", "-o"]).arg(&out).arg(&input));
    assert!(
        err.contains("open.csv:42:") && err.contains("never closed"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn pipes_named_as_files_are_read() {
    let text = std::fs::read(sample()).unwrap();
    let from = |path: &str| {
        neardup()
            .args(["pairs", "-q", "--input-format", "jsonl", path])
            .write_stdin(text.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let dash = from("-");
    assert!(dash.len() > 1000);
    assert_eq!(from("/dev/stdin"), dash);
}

#[cfg(unix)]
#[test]
fn symlinked_files_in_folders_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let outside = write(dir.path(), "outside/story.txt", STORY);
    write(dir.path(), "in/a.txt", STORY);
    write(dir.path(), "in/b.txt", OTHER);
    std::os::unix::fs::symlink(&outside, dir.path().join("in/link.txt")).unwrap();
    let out = output_of(
        neardup()
            .args(["pairs", "-q", "--template-df", "off"])
            .arg(dir.path().join("in")),
    );
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("a.txt\tlink.txt\t1.0000"), "{out}");
}

#[test]
fn blank_lines_on_a_pipe_keep_their_line_numbers() {
    // 200,000 blank lines, a document, then a bad line: batches are cut by line count,
    // and the error still names the right line.
    let mut input = "\n".repeat(200_000);
    input.push_str(&jsonl(&[("\"a\"", STORY)]));
    input.push_str("{not json}\n");
    let err = error_of(neardup().args(["pairs", "-q", "-"]).write_stdin(input));
    assert!(
        err.contains("-:200002:") || err.contains("<stdin>:200002:"),
        "{err}"
    );
}

#[test]
fn flags_that_would_allocate_by_their_value_are_bounded() {
    let sample = sample();
    // --top and --rerank-neighbours beyond the corpus: the corpus's neighbours, no abort.
    let out = output_of(
        neardup()
            .args([
                "rank",
                "-q",
                "--top",
                "99999999999",
                "--rerank-neighbours",
                "1000000000000",
            ])
            .arg(&sample),
    );
    let rows = String::from_utf8(out).unwrap().lines().count() - 1;
    assert!(rows > 122 && rows <= 122 * 121, "{rows}");
    // --threads beyond any machine: a clear error before any work.
    let err = error_of(
        neardup()
            .args(["pairs", "-q", "--threads", "100000"])
            .arg(&sample),
    );
    assert!(err.contains("at most 1024"));
    // query --top beyond the index.
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("a.ndx");
    neardup()
        .args(["index", "build", "-q", "-o"])
        .arg(&index)
        .arg(&sample)
        .assert()
        .success();
    neardup()
        .args(["query", "--top", "1000000000", "--id", "s00000-0"])
        .arg(&index)
        .assert()
        .success();
}

#[test]
fn terminal_escapes_in_documents_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let evil = serde_json::json!({
        "id": "x\u{1b}]0;pwned\u{7}",
        "title": "T\u{1b}[31mred\u{9b}2J",
        "outlet": "O\u{1b}[2J",
        "text": format!("{STORY} \u{1b}[2J"),
    });
    let input = write(
        dir.path(),
        "esc.jsonl",
        format!("{evil}\n{}", jsonl(&[("\"y\"", STORY), ("\"z\"", OTHER)])),
    );
    let run = |args: &[&str]| {
        let out = neardup()
            .args(args)
            .args(["-q", "--template-df", "off"])
            .arg(&input)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for args in [
        &["cluster"][..],
        &["cluster", "--output-format", "tsv"],
        &["pairs"],
        &["pairs", "--output-format", "csv"],
        &["report"],
    ] {
        let out = run(args);
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args:?}: {out:?}"
        );
        assert!(out.contains("\\u001b"), "{args:?}: {out:?}");
    }
    // JSON keeps the same strings.
    let json = run(&["pairs", "--output-format", "jsonl"]);
    let row: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(row["a"], "x\u{1b}]0;pwned\u{7}");
    // Highlighted passages keep their colour, and only theirs.
    let out = neardup()
        .args(["compare", "--passages", "--color", "always", "--input"])
        .arg(&input)
        .args(["--id", "x\u{1b}]0;pwned\u{7}", "--id", "y"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("\u{1b}[1;33m") && out.contains("\u{1b}[0m"),
        "{out:?}"
    );
    assert!(
        !out.contains("\u{1b}[2J") && out.contains("\\u001b[2J"),
        "{out:?}"
    );
}

#[test]
fn concurrent_adds_to_one_index_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(sample())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let part = |name: &str, range: std::ops::Range<usize>| {
        write(dir.path(), name, lines[range].join("\n") + "\n")
    };
    let (base, a, b) = (
        part("base.jsonl", 0..60),
        part("a.jsonl", 60..90),
        part("b.jsonl", 90..lines.len()),
    );
    let index = dir.path().join("c.ndx");
    for _ in 0..3 {
        neardup()
            .args(["index", "build", "-q", "-o"])
            .arg(&index)
            .arg(&base)
            .assert()
            .success();
        // Before: both exited 0 and the second rename dropped the first one's batch.
        let adds: Vec<_> = [&a, &b]
            .iter()
            .map(|p| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("neardup"))
                    .args(["index", "add", "-q"])
                    .arg(&index)
                    .arg(p)
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in adds {
            assert!(c.wait().unwrap().success());
        }
        let info = neardup()
            .args(["index", "info", "--output-format", "json"])
            .arg(&index)
            .output()
            .unwrap()
            .stdout;
        let info: serde_json::Value = serde_json::from_slice(&info).unwrap();
        assert_eq!(info["documents"], lines.len(), "{info}");
    }
}

#[test]
fn folders_where_files_belong_are_named_once_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("d");
    std::fs::create_dir(&folder).unwrap();
    let err = |args: &[&str]| {
        let out = neardup().args(args).arg(&folder).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let sample = sample();
    let sample = sample.to_str().unwrap();
    // Before: "cannot replace the file: .../d: Is a directory", after the work.
    let e = err(&["pairs", "-q", sample, "-o"]);
    assert!(
        e.contains("is a folder") && e.matches("/d").count() == 1,
        "{e}"
    );
    // Before: "No such device (os error 19)".
    let e = err(&["index", "info"]);
    assert!(e.contains("not a neardup index"), "{e}");
    let e = err(&["query", "--text", "hello"]);
    assert!(e.contains("not a neardup index"), "{e}");
}

#[test]
fn a_document_over_the_size_limit_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let long = "word ".repeat(2000);
    let input = write(
        dir.path(),
        "long.jsonl",
        jsonl(&[("\"a\"", STORY), ("\"b\"", &long), ("\"c\"", OTHER)]),
    );
    write(dir.path(), "txt/a.txt", STORY);
    write(dir.path(), "txt/b.txt", &long);
    let csv = write(
        dir.path(),
        "long.csv",
        format!("id,text\na,\"{STORY}\"\nb,\"{long}\"\nc,\"{OTHER}\"\n"),
    );
    let parquet = dir.path().join("long.parquet");
    neardup::table::Table::new()
        .with(
            "text",
            neardup::table::Column::Str(vec![Some(STORY.into()), Some(long.clone())]),
        )
        .unwrap()
        .write_parquet(std::fs::File::create(&parquet).unwrap())
        .unwrap();
    // A JSONL line, a `.txt` file in a folder, a CSV record, a Parquet row: each named.
    for (path, named) in [
        (input.clone(), "long.jsonl:2:"),
        (dir.path().join("txt"), "b.txt"),
        (csv, "long.csv:3:"),
        (parquet, "long.parquet:2:"),
    ] {
        let err = error_of(
            neardup()
                .args(["pairs", "-q", "--max-doc-bytes", "4000"])
                .arg(&path),
        );
        assert!(
            err.contains(named) && err.contains("--max-doc-bytes"),
            "{err}"
        );
    }
    // Under the limit, read as ever (exit 1: no pair among them).
    neardup()
        .args(["pairs", "-q", "--max-doc-bytes", "20000"])
        .arg(&input)
        .assert()
        .code(1);
}

#[test]
fn deeply_nested_json_costs_no_stack() {
    let dir = tempfile::tempdir().unwrap();
    let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let input = write(
        dir.path(),
        "deep.jsonl",
        format!(
            "{{\"id\": \"a\", \"text\": \"{STORY}\", \"x\": {}}}\n\
             {{\"id\": \"b\", \"text\": {}}}\n",
            deep(100_000),
            deep(100_000)
        ),
    );
    let err = error_of(neardup().args(["pairs", "-q"]).arg(&input));
    assert!(err.contains("deep.jsonl:2:"), "{err}");
}

#[test]
fn an_id_longer_than_the_limit_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let long_id = format!("\"{}\"", "x".repeat(neardup::corpus::MAX_ID_BYTES + 1));
    let input = write(
        dir.path(),
        "ids.jsonl",
        jsonl(&[("\"a\"", STORY), (&long_id, OTHER)]),
    );
    let err = error_of(neardup().args(["pairs", "-q"]).arg(&input));
    assert!(
        err.contains("ids.jsonl:2:") && err.contains("an id of 4097 bytes"),
        "{err}"
    );
    let ok_id = format!("\"{}\"", "x".repeat(neardup::corpus::MAX_ID_BYTES));
    let input = write(
        dir.path(),
        "ok.jsonl",
        jsonl(&[("\"a\"", STORY), (&ok_id, OTHER)]),
    );
    neardup().args(["pairs", "-q"]).arg(&input).assert().code(1);
}

#[test]
fn one_text_copied_thousands_of_times_costs_linear_pairs() {
    // 2,500 identical documents: 3.1 million pairs walked in full; over the maximum
    // bucket (1,000 here) each meets its 100 neighbours in signature order.
    let dir = tempfile::tempdir().unwrap();
    let n = 2500;
    let records: Vec<(String, &str)> = (0..n).map(|i| (format!("\"c{i}\""), STORY)).collect();
    let records: Vec<(&str, &str)> = records.iter().map(|(i, t)| (i.as_str(), *t)).collect();
    let input = write(dir.path(), "copies.jsonl", jsonl(&records));
    let run = neardup()
        .args(["pairs", "--template-df", "off", "--max-bucket", "1000"])
        .arg(&input)
        .assert()
        .success();
    let out = run.get_output();
    let pairs = String::from_utf8_lossy(&out.stdout).lines().count() - 1;
    assert_eq!(pairs, (n - 100) * 100 + 100 * 99 / 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning:") && err.contains("--max-bucket 0"),
        "{err}"
    );
    // The family is still one cluster.
    let out = output_of(
        neardup()
            .args([
                "cluster",
                "-q",
                "--template-df",
                "off",
                "--max-bucket",
                "1000",
            ])
            .args(["--output-format", "tsv"])
            .arg(&input),
    );
    let text = String::from_utf8(out).unwrap();
    let clusters: std::collections::BTreeSet<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(text.lines().count() - 1, n);
    assert_eq!(clusters.len(), 1, "{clusters:?}");
}
