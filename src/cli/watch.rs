//! `neardup watch`: a feed of articles, each answered as it arrives with its copies and
//! related coverage inside a sliding window of publication dates.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use neardup::{Archive, ArchiveSearcher, Document, FieldMap, Pipeline};
use rayon::prelude::*;
use serde_json::Value;

use super::args::{RunArgs, WatchArgs, WatchFormat};
use super::live::{answer_from, latest_trusted, stamp_arrival};
use super::output::Escaping;
use super::{pipeline, pool, render, tfidf_builder};

/// Most articles answered in one batch.
const MAX_BATCH: usize = 4096;

/// A line of the feed: its number and text (`Err`: the feed could not be read).
type Line = std::io::Result<(u64, String)>;

/// Runs `watch` until the feed ends (or Ctrl-C when following).
pub fn run(a: WatchArgs) -> Result<bool> {
    if a.top == 0 {
        bail!("invalid --top: must be at least 1");
    }
    let pool = pool(&RunArgs {
        output: None,
        threads: a.threads,
        quiet: a.quiet,
    })?;
    // The window's index: the folder given, or a temporary one removed at the end.
    let temporary;
    let dir = match &a.index {
        Some(d) => d.clone(),
        None => {
            temporary = tempfile::Builder::new()
                .prefix("neardup-watch-")
                .tempdir()
                .context("making a temporary index folder")?;
            temporary.path().to_owned()
        }
    };
    let (pipeline, mut new_settings) = match dir.join(neardup::store::MANIFEST).exists() {
        true => {
            let archive = Archive::open(&dir)?;
            (Pipeline::from_index(archive.settings())?, None)
        }
        false => {
            let p = pipeline(&a.sim)?;
            let settings = p.index_settings(tfidf_builder(&a.tfidf)?);
            (p, Some(settings))
        }
    };
    let stdin = a.input.as_os_str() == "-";
    let label = match stdin {
        true => PathBuf::from("<stdin>"),
        false => a.input.clone(),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Line>(4 * MAX_BATCH);
    let input = a.input.clone();
    let follow = a.follow;
    let reader_stop = stop.clone();
    std::thread::Builder::new()
        .name("neardup-feed".into())
        .spawn(move || read_feed(input, stdin, follow, tx, reader_stop))
        .context("starting the feed reader")?;

    let start = Instant::now();
    let mut tally = Tally::default();
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let mut out = Escaping::new(&mut lock);
    let mut current: Option<Archive> = None;
    // The latest publication seen so far (ms since 1970): the window ends there.
    let mut newest: Option<i64> = None;
    let window_ms = a.window.as_millis().min(i64::MAX as u128) as i64;
    let fields = FieldMap::default();
    while let Some(lines) = next_batch(&rx, &stop)? {
        let mut docs: Vec<Document<'static>> = Vec::with_capacity(lines.len());
        for (line, text) in &lines {
            if let Some(d) =
                neardup::corpus::parse_jsonl_line(text.as_bytes(), &label, *line, &fields)?
            {
                docs.push(d.into_owned());
            }
        }
        tally.seen += docs.len();
        // An article sent again (same id, still in the window) is answered once.
        let mut ids = std::collections::HashSet::new();
        let before = docs.len();
        docs.retain(|d| {
            ids.insert(d.id.to_string())
                && current
                    .as_ref()
                    .is_none_or(|s| s.find_id(&d.id).ok().flatten().is_none())
        });
        tally.repeated += before - docs.len();
        if docs.is_empty() {
            continue;
        }
        stamp_arrival(&mut docs);
        let contents = pool.install(|| pipeline.index_contents(&docs, |_| {}))?;
        match new_settings.take() {
            Some(settings) => Archive::create(&dir, &settings, contents)?,
            None => Archive::add(&dir, contents)?,
        };
        let opened = Archive::open(&dir)?;
        let archive = &opened;
        // Each article sees what arrived before it, inside the window as of its arrival:
        // the answer does not depend on how the feed was cut into batches.
        let published: Vec<Option<i64>> = (0..archive.len() as u32)
            .map(|d| Ok(archive.doc(d)?.published))
            .collect::<neardup::Result<_>>()?;
        let cap = latest_trusted();
        let mut numbers = Vec::with_capacity(docs.len());
        for d in &docs {
            let n = archive
                .find_id(&d.id)?
                .context("an article just added is not in the index")?;
            if let Some(t) = published[n as usize] {
                newest = newest.max(Some(t.min(cap)));
            }
            numbers.push((n, newest.map(|t| t.saturating_sub(window_ms))));
        }
        let searcher = ArchiveSearcher::new(archive)?;
        let answers: Vec<Option<Value>> = pool.install(|| {
            numbers
                .par_iter()
                .map(|&(n, horizon)| -> Result<Option<Value>> {
                    let inside = |x: u32| {
                        horizon.is_none_or(|h| published[x as usize].is_none_or(|t| t >= h))
                    };
                    if !inside(n) {
                        return Ok(None);
                    }
                    let visible = |x: u32| x < n && inside(x);
                    let r = searcher.query_doc_among(n, a.top, &visible)?;
                    let mut v = answer_from(archive, |_| Ok(true), &r)?;
                    if let Some(list) = v["related"].as_array_mut() {
                        list.retain(|r| r["cosine"].as_f64().is_some_and(|c| c >= a.min_cosine));
                    }
                    Ok(Some(v))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        drop(searcher);
        let mut written = Ok(());
        for (d, v) in docs.iter().zip(answers) {
            let v = v.unwrap_or_else(|| {
                tally.late += 1;
                serde_json::json!({"duplicates": [], "related": [], "outside_window": true})
            });
            tally.with_copies +=
                usize::from(v["duplicates"].as_array().is_some_and(|l| !l.is_empty()));
            if written.is_ok() {
                written = write_article(&mut out, d, &v, a.output_format);
            }
        }
        let written = written.and_then(|()| out.flush());
        // What fell out of the window (late articles too) is deleted.
        let horizon = newest.map(|t| t.saturating_sub(window_ms));
        let expired: Vec<String> = match horizon {
            None => Vec::new(),
            Some(h) => (0..archive.len() as u32)
                .filter(|&d| published[d as usize].is_some_and(|t| t < h))
                .map(|d| Ok((archive.is_deleted(d)?, d)))
                .collect::<neardup::Result<Vec<_>>>()?
                .into_iter()
                .filter(|&(deleted, _)| !deleted)
                .map(|(_, d)| Ok(archive.doc(d)?.id.to_string()))
                .collect::<neardup::Result<_>>()?,
        };
        current = Some(match expired.is_empty() {
            true => opened,
            false => {
                tally.left += expired.len();
                Archive::remove(&dir, &expired)?;
                Archive::open(&dir)?
            }
        });
        match written {
            // The reader went away (`| head`): stop quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
            r => r.context("writing to standard output")?,
        }
    }
    match out.finish().and_then(|()| lock.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.context("writing to standard output")?,
    }
    if !a.quiet {
        let secs = start.elapsed().as_secs_f64();
        let live = current.as_ref().map_or(0, |s| s.live());
        eprintln!(
            "neardup: watched {} ({} with copies, {} sent again, {} older than the window, {} left the window; {} in the window) in {secs:.2} s ({:.0} articles/s)",
            render::plural(tally.seen, "article"),
            tally.with_copies,
            tally.repeated,
            tally.late,
            tally.left,
            live,
            tally.seen as f64 / secs.max(1e-9)
        );
    }
    Ok(true)
}

/// What `watch` counted.
#[derive(Debug, Default)]
struct Tally {
    /// Articles read.
    seen: usize,
    /// Articles sent again (answered once).
    repeated: usize,
    /// Articles with at least one copy.
    with_copies: usize,
    /// Articles already older than the window when they arrived.
    late: usize,
    /// Articles deleted as the window moved on.
    left: usize,
}

/// The next batch: the first line waited for, then every line already read (up to
/// [`MAX_BATCH`]); `None` at the end of the feed or on Ctrl-C.
fn next_batch(rx: &Receiver<Line>, stop: &AtomicBool) -> Result<Option<Vec<(u64, String)>>> {
    let first = loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(None);
        }
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => break line?,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Ok(None),
        }
    };
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(line) => batch.push(line?),
            Err(_) => break,
        }
    }
    Ok(Some(batch))
}

/// Reads the feed line by line into `tx`; with `follow`, waits at the end of the file for
/// more (a line is sent once its newline is written).
fn read_feed(
    path: PathBuf,
    stdin: bool,
    follow: bool,
    tx: SyncSender<Line>,
    stop: Arc<AtomicBool>,
) {
    let mut reader: Box<dyn BufRead> = match stdin {
        true => Box::new(std::io::BufReader::new(std::io::stdin())),
        false => match std::fs::File::open(&path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                let _ = tx.send(Err(std::io::Error::new(
                    e.kind(),
                    format!("{}: {e}", path.display()),
                )));
                return;
            }
        },
    };
    let (mut line, mut number) = (String::new(), 0u64);
    loop {
        match reader.read_line(&mut line) {
            Ok(0) if follow && !stop.load(Ordering::SeqCst) => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(0) => {
                if !line.is_empty() {
                    number += 1;
                    let _ = tx.send(Ok((number, std::mem::take(&mut line))));
                }
                return;
            }
            Ok(_) if line.ends_with('\n') => {
                number += 1;
                let text = std::mem::take(&mut line);
                if tx.send(Ok((number, text))).is_err() {
                    return;
                }
            }
            // Part of a line: the rest comes with the next read.
            Ok(_) => {}
            Err(e) => {
                let _ = tx.send(Err(std::io::Error::new(
                    e.kind(),
                    format!("{}: {e}", path.display()),
                )));
                return;
            }
        }
    }
}

/// One article and what was found for it.
fn write_article(
    out: &mut impl Write,
    d: &Document<'_>,
    v: &Value,
    format: WatchFormat,
) -> std::io::Result<()> {
    match format {
        WatchFormat::Jsonl => {
            let mut v = v.clone();
            v["id"] = match d.id_is_number {
                true => serde_json::from_str(&d.id).unwrap_or_else(|_| Value::from(&*d.id)),
                false => Value::from(&*d.id),
            };
            writeln!(out, "{v}")?;
        }
        WatchFormat::Text => {
            let s = |x: &Value| x.as_str().unwrap_or("").to_string();
            let id = |x: &Value| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            writeln!(
                out,
                "{}  {}  {}  {}",
                d.id,
                d.outlet.as_deref().unwrap_or("-"),
                d.date.as_deref().unwrap_or("-"),
                render::shorten(d.title.as_deref().unwrap_or(""), 60)
            )?;
            if v["outside_window"].as_bool() == Some(true) {
                writeln!(out, "    (older than the window: not kept)")?;
            }
            for m in v["duplicates"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "    copy     {}  {}  {}  jaccard {:.3}  containment {:.3}",
                    id(&m["id"]),
                    s(&m["outlet"]),
                    s(&m["date"]),
                    m["jaccard"].as_f64().unwrap_or(0.0),
                    m["containment"].as_f64().unwrap_or(0.0)
                )?;
            }
            for m in v["related"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "    related  {}  {}  {}  cosine {:.3}",
                    id(&m["id"]),
                    s(&m["outlet"]),
                    s(&m["date"]),
                    m["cosine"].as_f64().unwrap_or(0.0)
                )?;
            }
        }
    }
    Ok(())
}
