//! `neardup watch`: a feed answered article by article, within a sliding window of dates.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

mod common;
use common::{OTHER, STORY, neardup};

/// A feed line.
fn line(id: &str, date: &str, text: &str) -> String {
    json!({"id": id, "outlet": format!("outlet-{id}"), "date": date, "text": text}).to_string()
        + "\n"
}

/// A feed: a story and its copy a day later, an unrelated one, a reworded copy after the
/// window has moved past the first two, an article already too old when it arrives, and
/// a copy of the reworded one sent twice.
fn feed() -> Vec<String> {
    let reworded = STORY
        .replace("Tuesday", "Wednesday")
        .replace("sharply", "strongly");
    vec![
        line("a", "2024-06-01", STORY),
        line(
            "b",
            "2024-06-02",
            &format!("{STORY} Analysts had not expected it."),
        ),
        line("o", "2024-06-02", OTHER),
        line("c", "2024-06-20T09:00:00Z", &reworded),
        line("late", "2024-06-03", &format!("{OTHER} More rain is due.")),
        line("d", "2024-06-21", &format!("{reworded} Shares fell.")),
        line("d", "2024-06-21", &format!("{reworded} Shares fell.")),
    ]
}

/// Each answer line by id.
fn answers(stdout: &[u8]) -> Vec<(String, Value)> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

fn ids(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_article_gets_its_copies_within_the_window_from_what_came_before() {
    let out = neardup()
        .args(["watch", "-", "--window", "7d", "--output-format", "jsonl"])
        .write_stdin(feed().concat())
        .assert()
        .success()
        .get_output()
        .clone();
    let a = answers(&out.stdout);
    let order: Vec<&str> = a.iter().map(|x| x.0.as_str()).collect();
    // The repeated article is answered once.
    assert_eq!(order, ["a", "b", "o", "c", "late", "d"]);
    let get = |id: &str| &a.iter().find(|x| x.0 == id).unwrap().1;
    // The first article has no copy yet (its copy comes later).
    assert!(ids(get("a"), "duplicates").is_empty());
    assert_eq!(ids(get("b"), "duplicates"), ["a"]);
    assert_eq!(get("b")["duplicates"][0]["outlet"], "outlet-a");
    assert!(get("b")["duplicates"][0]["jaccard"].as_f64().unwrap() > 0.5);
    assert_eq!(ids(get("b"), "related")[0], "a");
    // By 20 June the window (7 days) has left a and b behind: c has no copy, and the
    // older articles are not even related.
    assert!(ids(get("c"), "duplicates").is_empty());
    assert!(
        !ids(get("c"), "related")
            .iter()
            .any(|i| i == "a" || i == "b")
    );
    assert_eq!(get("late")["outside_window"], true);
    assert_eq!(ids(get("d"), "duplicates"), ["c"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("watched 7 articles"), "{err}");
    assert!(err.contains("1 sent again"), "{err}");
    assert!(err.contains("1 older than the window"), "{err}");
    // a, b and o left the window (and late, answered but not kept).
    assert!(err.contains("4 left the window; 2 in the window"), "{err}");
}

#[test]
fn answers_do_not_depend_on_how_the_feed_arrives() {
    let whole = neardup()
        .args([
            "watch",
            "-",
            "--window",
            "7d",
            "--output-format",
            "jsonl",
            "-q",
        ])
        .write_stdin(feed().concat())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    // The same feed a line at a time, each answered before the next is written.
    let mut child = Process::new(env!("CARGO_BIN_EXE_neardup"))
        .args([
            "watch",
            "-",
            "--window",
            "7d",
            "--output-format",
            "jsonl",
            "-q",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut slow = Vec::new();
    for l in feed().iter().take(6) {
        stdin.write_all(l.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let mut got = String::new();
        stdout.read_line(&mut got).unwrap();
        slow.extend_from_slice(got.as_bytes());
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    let key = |b: &[u8]| -> Vec<(String, Vec<String>, Value)> {
        answers(b)
            .into_iter()
            .map(|(id, v)| (id, ids(&v, "duplicates"), v["outside_window"].clone()))
            .collect()
    };
    assert_eq!(key(&whole), key(&slow));
    assert_eq!(key(&slow).len(), 6);
}

#[test]
fn a_bad_line_is_an_error_naming_the_feed_and_line() {
    let mut f = feed();
    f.insert(2, "{\"id\": \"x\", \"text\": \n".into());
    neardup()
        .args(["watch", "-", "--output-format", "jsonl"])
        .write_stdin(f.concat())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("<stdin>:3"));
    let tmp = tempfile::tempdir().unwrap();
    let path = common::write(tmp.path(), "feed.jsonl", f.concat());
    neardup()
        .args(["watch"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("feed.jsonl:3"));
    neardup()
        .args(["watch", "-", "--window", "soon"])
        .write_stdin(feed().concat())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--window"));
}

#[test]
fn an_index_folder_keeps_the_window_between_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("window");
    let f = feed();
    neardup()
        .args(["watch", "-", "-q", "--window", "7d", "--index"])
        .arg(&index)
        .write_stdin(f[..3].concat())
        .assert()
        .success();
    // The second run finds the first run's articles.
    let out = neardup()
        .args([
            "watch",
            "-",
            "-q",
            "--window",
            "7d",
            "--output-format",
            "jsonl",
            "--index",
        ])
        .arg(&index)
        .write_stdin(line("b2", "2024-06-03", &format!("{STORY} Bonds fell.")))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let a = answers(&out);
    let mut copies = ids(&a[0].1, "duplicates");
    copies.sort();
    assert_eq!(copies, ["a", "b"]);
    // The folder is an index like any other.
    neardup()
        .args(["index", "info"])
        .arg(&index)
        .assert()
        .success()
        .stdout(predicates::str::is_match(r"documents +4 live").unwrap());
}

#[test]
fn following_a_file_answers_lines_as_they_are_appended() {
    let tmp = tempfile::tempdir().unwrap();
    let path = common::write(tmp.path(), "feed.jsonl", feed()[0].as_bytes());
    let mut child = Process::new(env!("CARGO_BIN_EXE_neardup"))
        .args(["watch", "--follow", "--output-format", "jsonl"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("\"id\":\"a\""), "{first}");
    std::thread::sleep(Duration::from_millis(300));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    // Half a line, then the rest: answered once whole.
    let b = &feed()[1];
    f.write_all(&b.as_bytes()[..20]).unwrap();
    f.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    f.write_all(&b.as_bytes()[20..]).unwrap();
    f.flush().unwrap();
    let mut second = String::new();
    stdout.read_line(&mut second).unwrap();
    let v: Value = serde_json::from_str(&second).unwrap();
    assert_eq!(v["id"], "b");
    assert_eq!(ids(&v, "duplicates"), ["a"]);
    // Ctrl-C ends it cleanly.
    Process::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(String::from_utf8_lossy(&out.stderr).contains("watched 2 articles"));
}
