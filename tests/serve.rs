//! `neardup serve`: answers equal the CLI's on the same index, writes are durable when
//! acknowledged (SIGTERM under load loses none), bad requests get a 4xx with a reason,
//! the window deletes what falls out of it, and another writer's commits are seen.
#![cfg(all(unix, feature = "server"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;

fn neardup() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("neardup"))
}

/// The bundled sample's records.
fn sample() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("datasets/sample/news.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An index folder of `records`, in `dir`.
fn index_of(dir: &Path, records: &[Value]) -> PathBuf {
    let input = dir.join("in.jsonl");
    let body: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&input, body).unwrap();
    let index = dir.join("archive.ndx");
    let out = neardup()
        .args(["index", "build", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    index
}

struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = neardup()
            .arg("serve")
            .arg(index)
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        lines.read_line(&mut first).unwrap();
        let addr = first
            .split("http://")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .trim()
            .to_string();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = lines.read_to_string(&mut rest);
            sink.lock().unwrap().push_str(&rest);
        });
        Server {
            child,
            addr,
            stderr,
        }
    }

    /// One request; the status and the JSON answer (`Null` when not JSON).
    fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let (status, text) = self.raw(method, path, body.unwrap_or(""));
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn raw(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let (head, text) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        (status, text.to_string())
    }

    /// Sends SIGTERM; the exit status and what the service wrote on stderr.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = self.child.wait().unwrap();
        // (The reader thread ends with the process.)
        std::thread::sleep(Duration::from_millis(50));
        (status, self.stderr.lock().unwrap().clone())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `neardup query INDEX --id ID` as (duplicate ids, related ids).
fn cli_query(index: &Path, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let out = neardup()
        .arg("query")
        .arg(index)
        .args(args)
        .args(["--output-format", "jsonl"])
        .output()
        .unwrap();
    assert!(
        out.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (mut dup, mut rel) = (Vec::new(), Vec::new());
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        match v["kind"].as_str().unwrap() {
            "duplicate" => dup.push(id),
            _ => rel.push(id),
        }
    }
    (dup, rel)
}

fn ids(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

/// Documents added over HTTP are answered at insertion, and every answer afterwards
/// equals the CLI's on the same folder: by id, by text, after a delete.
#[test]
fn answers_equal_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let records = sample();
    let (first, rest) = records.split_at(80);
    let index = index_of(dir.path(), first);
    let server = Server::start(&index, &[]);
    let (status, health) = server.request("GET", "/health", None);
    assert_eq!((status, health["documents"].as_u64()), (200, Some(80)));

    // A batch, then one by one.
    let (status, added) = server.request(
        "POST",
        "/documents?top=5",
        Some(&Value::Array(rest[..20].to_vec()).to_string()),
    );
    assert_eq!(status, 200, "{added}");
    let answers = added["documents"].as_array().unwrap();
    assert_eq!(answers.len(), 20);
    // Each document of the batch is answered from what came before it: never a later one.
    let mut found = 0;
    for (i, v) in answers.iter().enumerate() {
        assert_eq!(v["id"], rest[i]["id"]);
        let later: Vec<&str> = rest[i..20]
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        for list in ["duplicates", "related"] {
            assert!(
                !ids(v, list).iter().any(|x| later.contains(&x.as_str())),
                "{v}"
            );
            found += ids(v, list).len();
        }
    }
    assert!(found > 20);
    for r in &rest[20..] {
        let (status, v) = server.request("POST", "/documents", Some(&r.to_string()));
        assert_eq!(status, 200, "{v}");
    }
    let (_, health) = server.request("GET", "/health", None);
    assert_eq!(health["documents"].as_u64(), Some(records.len() as u64));

    // Every answer now equals the CLI's.
    let mut copies_seen = 0;
    for r in &records {
        let id = r["id"].as_str().unwrap();
        let (status, v) = server.request("GET", &format!("/documents/{id}/similar?top=5"), None);
        assert_eq!(status, 200, "{v}");
        let (dup, rel) = cli_query(&index, &["--id", id, "--top", "5"]);
        assert_eq!(ids(&v, "duplicates"), dup, "{id}");
        assert_eq!(ids(&v, "related"), rel, "{id}");
        copies_seen += dup.len();
    }
    assert!(copies_seen > 20, "the sample has copies: {copies_seen}");
    let text = rest[3]["text"].as_str().unwrap();
    let (status, v) = server.request(
        "POST",
        "/query",
        Some(&json!({"text": text, "top": 4}).to_string()),
    );
    assert_eq!(status, 200, "{v}");
    let (dup, rel) = cli_query(&index, &["--text", text, "--top", "4"]);
    assert_eq!((ids(&v, "duplicates"), ids(&v, "related")), (dup, rel));
    // Dated, as `query --date` (a form other than the record's).
    let (status, v) = server.request(
        "POST",
        "/query",
        Some(&json!({"text": text, "date": "Sun, 02 Jun 2024 10:00:00 +0000"}).to_string()),
    );
    assert_eq!(status, 200, "{v}");
    let (dup, rel) = cli_query(&index, &["--text", text, "--date", "2024-06-02"]);
    assert_eq!((ids(&v, "duplicates"), ids(&v, "related")), (dup, rel));

    // A deleted document is gone from every answer.
    let gone = rest[3]["id"].as_str().unwrap();
    let (status, _) = server.request("DELETE", &format!("/documents/{gone}"), None);
    assert_eq!(status, 200);
    let (status, _) = server.request("GET", &format!("/documents/{gone}"), None);
    assert_eq!(status, 404);
    let (status, v) = server.request("POST", "/query", Some(&json!({"text": text}).to_string()));
    assert_eq!(status, 200);
    assert!(!ids(&v, "duplicates").contains(&gone.to_string()), "{v}");
    assert!(!ids(&v, "related").contains(&gone.to_string()), "{v}");
    let (dup, rel) = cli_query(&index, &["--text", text]);
    assert_eq!((ids(&v, "duplicates"), ids(&v, "related")), (dup, rel));

    // Metrics count what was asked.
    let (status, metrics) = server.raw("GET", "/metrics", "");
    assert_eq!(status, 200);
    let posts = 1 + rest.len() - 20;
    assert!(
        metrics.contains(&format!(
            r#"neardup_http_requests_total{{method="POST",route="/documents",status="200"}} {posts}"#
        )),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!("neardup_documents {}", records.len() - 1)),
        "{metrics}"
    );
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{status:?} {stderr}");
}

/// A dated question is decided as `pairs` decides a dated document: a weekly notice filled
/// in anew, asked with a date two weeks on, is no copy of the indexed one; undated, it is.
#[test]
fn a_dated_query_sets_another_weeks_notice_apart() {
    let dir = tempfile::tempdir().unwrap();
    let notice = common::weekly_notice;
    let records = [json!({"id": "march", "date": "2024-03-18", "text": notice("March 25")})];
    let index = index_of(dir.path(), &records);
    let server = Server::start(&index, &[]);
    let ask = |date: Option<&str>| {
        let mut body = json!({"text": notice("April 8"), "top": 1});
        if let Some(d) = date {
            body["date"] = json!(d);
        }
        let (status, v) = server.request("POST", "/query", Some(&body.to_string()));
        assert_eq!(status, 200, "{v}");
        ids(&v, "duplicates")
    };
    assert_eq!(ask(None), ["march"]);
    assert_eq!(ask(Some("2024-04-01")), Vec::<String>::new());
    assert_eq!(ask(Some("2024-03-19")), ["march"]);
    let (status, stderr) = server.terminate();
    assert!(status.success(), "{status:?} {stderr}");
}

/// Bad requests get a 4xx and a reason; nothing is stored from them.
#[test]
fn bad_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let records = sample();
    let index = index_of(dir.path(), &records[..30]);
    let server = Server::start(&index, &["--max-body", "2000", "--max-batch", "3"]);
    let existing = records[0]["id"].as_str().unwrap();
    let cases: Vec<(&str, &str, String, u16, &str)> = vec![
        ("POST", "/documents", "{\"id\": ".into(), 400, "not JSON"),
        ("POST", "/documents", "42".into(), 400, "a document"),
        (
            "POST",
            "/documents",
            r#"{"text": "no id"}"#.into(),
            400,
            "no \"id\"",
        ),
        (
            "POST",
            "/documents",
            r#"{"id": "x", "text": 5}"#.into(),
            400,
            "\"text\" must be a string",
        ),
        (
            "POST",
            "/documents",
            r#"[{"id": "x", "text": "a"}, {"id": "x", "text": "b"}]"#.into(),
            400,
            "given twice",
        ),
        (
            "POST",
            "/documents",
            r#"[{"id": "y", "text": "a"}, {"id": "z", "text": "b", "title": 3}]"#.into(),
            400,
            "document 2 of the list",
        ),
        (
            "POST",
            "/documents",
            json!({"id": existing, "text": "again"}).to_string(),
            409,
            "already in the index",
        ),
        ("POST", "/documents", "[]".into(), 400, "no documents"),
        (
            "POST",
            "/documents",
            json!(
                (0..4)
                    .map(|i| json!({"id": format!("n{i}"), "text": "t"}))
                    .collect::<Vec<_>>()
            )
            .to_string(),
            413,
            "at most 3",
        ),
        (
            "POST",
            "/documents",
            json!({"id": "big", "text": "w ".repeat(2000)}).to_string(),
            413,
            "length limit",
        ),
        (
            "POST",
            "/documents?top=abc",
            json!({"id": "q", "text": "t"}).to_string(),
            400,
            "query string",
        ),
        (
            "POST",
            "/query",
            r#"{"text": "x", "top": 0}"#.into(),
            400,
            "top must be at least 1",
        ),
        (
            "POST",
            "/query",
            r#"{"words": "x"}"#.into(),
            400,
            "unknown field",
        ),
        (
            "POST",
            "/query",
            r#"{"text": "x", "date": "the week after"}"#.into(),
            400,
            "cannot read the date",
        ),
        (
            "GET",
            "/documents/nobody/similar",
            String::new(),
            404,
            "no document with id",
        ),
        (
            "DELETE",
            "/documents/nobody",
            String::new(),
            404,
            "no document with id",
        ),
        ("GET", "/nowhere", String::new(), 404, "no such route"),
    ];
    for (method, path, body, want, says) in cases {
        let (status, text) = server.raw(method, path, &body);
        assert_eq!(status, want, "{method} {path} {body:.80}: {text}");
        let error: Value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        let error = error["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error in {text}"));
        assert!(
            error.contains(says),
            "{method} {path}: {error} lacks {says:?}"
        );
    }
    let (_, health) = server.request("GET", "/health", None);
    assert_eq!(health["documents"].as_u64(), Some(30));
    assert_eq!(
        health["generation"].as_u64(),
        Some(1),
        "nothing was committed"
    );
}

/// SIGTERM while clients are adding documents: every acknowledged document is in the
/// index afterwards, the service exits 0, and the folder verifies.
#[test]
fn sigterm_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let records = sample();
    let index = index_of(dir.path(), &records[..10]);
    let mut server = Server::start(&index, &[]);
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut clients = Vec::new();
    for c in 0..4 {
        let (addr, acked) = (server.addr.clone(), acked.clone());
        let texts: Vec<String> = records
            .iter()
            .map(|r| r["text"].as_str().unwrap().to_string())
            .collect();
        clients.push(std::thread::spawn(move || {
            for i in 0.. {
                let id = format!("c{c}-{i}");
                let body = json!({"id": id, "text": texts[i % texts.len()]}).to_string();
                let Ok(mut s) = TcpStream::connect(&addr) else { break };
                let req = format!(
                    "POST /documents HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                if s.write_all(req.as_bytes()).is_err() {
                    break;
                }
                let mut out = String::new();
                if s.read_to_string(&mut out).is_err() || !out.starts_with("HTTP/1.1 200") {
                    break;
                }
                acked.lock().unwrap().push(id);
            }
        }));
    }
    let start = Instant::now();
    while acked.lock().unwrap().len() < 40 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    for c in clients {
        c.join().unwrap();
    }
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40, "{}", acked.len());
    let archive = neardup::Archive::open(&index).unwrap();
    archive.verify().unwrap();
    for id in &acked {
        assert!(
            archive.find_id(id).unwrap().is_some(),
            "acknowledged {id} is missing"
        );
    }
}

/// With `--window 2d`, documents published more than two days before the newest are
/// deleted, and never listed meanwhile.
#[test]
fn the_window_deletes_old_documents() {
    let dir = tempfile::tempdir().unwrap();
    let text = |i: usize| sample()[i]["text"].as_str().unwrap().to_string();
    let records: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("d{i}"), "text": text(i % 3), "date": format!("2024-07-0{}", i + 1)}))
        .collect();
    let index = index_of(dir.path(), &records);
    let server = Server::start(&index, &["--window", "2d"]);
    // 2024-07-06 is the newest: 07-01 .. 07-03 are out (the window is [07-04, 07-06]).
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.request("GET", "/documents/d0", None).0 != 404 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    for (i, want) in [404, 404, 404, 200, 200, 200].into_iter().enumerate() {
        let (status, v) = server.request("GET", &format!("/documents/d{i}"), None);
        assert_eq!(status, want, "d{i}: {v}");
    }
    // A newer document moves the window: 07-04 falls out; its copies answer without it.
    let (status, v) = server.request(
        "POST",
        "/documents",
        Some(&json!({"id": "d9", "text": text(0), "date": "2024-07-07"}).to_string()),
    );
    assert_eq!(status, 200, "{v}");
    // (The sample's first three articles are copies of one story: so are d0 .. d5.)
    let mut listed = ids(&v["documents"][0], "duplicates");
    listed.sort();
    assert_eq!(listed, ["d4", "d5"], "d3 is outside the window: {v}");
    while server.request("GET", "/documents/d3", None).0 != 404 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.request("GET", "/documents/d3", None).0, 404);
    let (status, v) = server.request("GET", "/documents/d9/similar", None);
    assert_eq!(status, 200);
    assert!(!ids(&v, "duplicates").contains(&"d3".to_string()), "{v}");
    let (status, stderr) = server.terminate();
    assert!(status.success());
    assert!(stderr.contains("left the window"), "{stderr}");
}

/// Another writer's commit (`neardup index add` beside the service) is seen within a
/// second or two, and the service's own writes keep it.
#[test]
fn another_writer_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let records = sample();
    let index = index_of(dir.path(), &records[..20]);
    let server = Server::start(&index, &[]);
    let more = dir.path().join("more.jsonl");
    let body: String = records[20..30].iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&more, body).unwrap();
    let out = neardup()
        .args(["index", "add", "-q"])
        .arg(&index)
        .arg(&more)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, h) = server.request("GET", "/health", None);
        if h["documents"].as_u64() == Some(30) {
            break;
        }
        assert!(Instant::now() < deadline, "never saw the other writer: {h}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, v) = server.request("POST", "/documents", Some(&records[30].to_string()));
    assert_eq!(status, 200, "{v}");
    let (_, h) = server.request("GET", "/health", None);
    assert_eq!(h["documents"].as_u64(), Some(31));
}
