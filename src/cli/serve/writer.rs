//! The service's one writer: batches of writes committed in turn, each followed by a new
//! snapshot for readers; the window's expired documents deleted as they fall out.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use arc_swap::ArcSwap;
use axum::http::StatusCode;
use neardup::{Archive, Document, Pipeline};
use tokio::sync::oneshot;

use super::api::ApiError;
use super::metrics::Metrics;
use crate::cli::live::{Snapshot, stamp_arrival};

/// How often the writer looks for another writer's commits and for expired documents.
const TICK: Duration = Duration::from_secs(1);

/// Most documents taken into one commit.
const MAX_COMMIT_DOCS: usize = 50_000;

/// Where an insert's answer goes: the snapshot holding its documents.
type InsertReply = oneshot::Sender<Result<Arc<Snapshot>, ApiError>>;
/// Where a delete's answer goes: the snapshot without the document (`None`: not found).
type DeleteReply = oneshot::Sender<Result<Option<Arc<Snapshot>>, ApiError>>;

/// A write waiting for the writer.
enum Op {
    /// Documents to add; answered with the snapshot that holds them.
    Insert {
        docs: Vec<Document<'static>>,
        reply: InsertReply,
    },
    /// A document to delete; answered with the snapshot without it, `None` when no live
    /// document has the id.
    Delete { id: String, reply: DeleteReply },
}

/// The writer thread's queue.
pub(super) struct Writer {
    tx: Sender<Op>,
}

impl Writer {
    /// Starts the writer thread of the archive in `dir`, publishing into `snapshot`.
    pub fn start(
        dir: PathBuf,
        window: Option<Duration>,
        snapshot: Arc<ArcSwap<Snapshot>>,
        metrics: Arc<Metrics>,
        quiet: bool,
    ) -> Result<(Writer, std::thread::JoinHandle<()>)> {
        let pipeline = Pipeline::from_index(snapshot.load().archive.settings())?;
        let (tx, rx) = std::sync::mpsc::channel();
        let mut thread = WriterThread {
            dir,
            window,
            pipeline,
            snapshot,
            metrics,
            quiet,
        };
        let handle = std::thread::Builder::new()
            .name("neardup-writer".into())
            .spawn(move || thread.run(rx))
            .context("starting the writer thread")?;
        Ok((Writer { tx }, handle))
    }

    /// Adds `docs` (ids unique among the live documents); answers once they are committed,
    /// with the snapshot that holds them.
    pub async fn insert(&self, docs: Vec<Document<'static>>) -> Result<Arc<Snapshot>, ApiError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Op::Insert { docs, reply })
            .map_err(|_| stopping())?;
        rx.await.map_err(|_| stopping())?
    }

    /// Deletes the document `id`; answers once committed (`None`: no live document has it).
    pub async fn delete(&self, id: String) -> Result<Option<Arc<Snapshot>>, ApiError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Op::Delete { id, reply })
            .map_err(|_| stopping())?;
        rx.await.map_err(|_| stopping())?
    }
}

fn stopping() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the service is stopping")
}

/// The status a library error stands for, when a write fails.
fn write_error(e: &neardup::Error) -> ApiError {
    let status = match e {
        neardup::Error::Config { field: "id", .. } => StatusCode::CONFLICT,
        neardup::Error::Config { .. } | neardup::Error::Parse { .. } => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    ApiError::new(status, e.to_string())
}

struct WriterThread {
    dir: PathBuf,
    window: Option<Duration>,
    pipeline: Pipeline,
    snapshot: Arc<ArcSwap<Snapshot>>,
    metrics: Arc<Metrics>,
    quiet: bool,
}

/// Replies owed once the batch's snapshot is published.
#[derive(Default)]
struct Owed {
    inserts: Vec<InsertReply>,
    deletes: Vec<DeleteReply>,
}

impl WriterThread {
    fn run(&mut self, rx: Receiver<Op>) {
        loop {
            let first = match rx.recv_timeout(TICK) {
                Ok(op) => Some(op),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            // Every write waiting now joins the batch (group commit).
            let mut ops: Vec<Op> = first.into_iter().collect();
            let mut docs: usize = ops.iter().map(Op::docs).sum();
            while docs < MAX_COMMIT_DOCS {
                match rx.try_recv() {
                    Ok(op) => {
                        docs += op.docs();
                        ops.push(op);
                    }
                    Err(_) => break,
                }
            }
            self.batch(ops);
        }
    }

    /// Commits `ops` in their order (each run of inserts one segment, each run of
    /// deletes one deletion commit), publishes the new snapshot and answers.
    fn batch(&mut self, ops: Vec<Op>) {
        let mut owed = Owed::default();
        let mut changed = false;
        let mut snap = self.snapshot.load_full();
        // Another writer (an `index add` beside the service) may have committed.
        let on_disk = neardup::store::Manifest::read(&self.dir).map(|m| m.generation);
        if on_disk.as_ref().ok() != Some(&snap.generation()) {
            changed = true;
        }
        if !snap.expired().is_empty() {
            match Archive::remove(&self.dir, snap.expired()) {
                Ok(_) => {
                    changed = true;
                    if !self.quiet {
                        eprintln!(
                            "neardup: {} left the window and were deleted",
                            plural(snap.expired().len(), "document")
                        );
                    }
                }
                Err(e) => eprintln!("neardup: error: deleting expired documents: {e}"),
            }
        }
        if changed {
            // Ids below are checked against what is on disk now.
            match self.refresh() {
                Ok(s) => snap = s,
                Err(e) => eprintln!("neardup: error: {e:#}"),
            }
            changed = false;
        }
        let mut added: HashSet<String> = HashSet::new();
        let mut removed: HashSet<String> = HashSet::new();
        let mut ops = ops.into_iter().peekable();
        while let Some(op) = ops.next() {
            match op {
                Op::Insert { docs, reply } => {
                    let mut run = vec![(docs, reply)];
                    while let Some(Op::Insert { .. }) = ops.peek() {
                        if let Some(Op::Insert { docs, reply }) = ops.next() {
                            run.push((docs, reply));
                        }
                    }
                    changed |= self.insert_run(&snap, run, &mut added, &mut removed, &mut owed);
                }
                Op::Delete { id, reply } => {
                    let mut run = vec![(id, reply)];
                    while let Some(Op::Delete { .. }) = ops.peek() {
                        if let Some(Op::Delete { id, reply }) = ops.next() {
                            run.push((id, reply));
                        }
                    }
                    changed |= self.delete_run(run, &mut added, &mut removed, &mut owed);
                }
            }
        }
        if !changed {
            return;
        }
        match self.refresh() {
            Ok(snap) => {
                for r in owed.inserts {
                    let _ = r.send(Ok(snap.clone()));
                }
                for r in owed.deletes {
                    let _ = r.send(Ok(Some(snap.clone())));
                }
            }
            Err(e) => {
                let e = ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("committed, but the index could not be reopened: {e:#}"),
                );
                for r in owed.inserts {
                    let _ = r.send(Err(e.clone()));
                }
                for r in owed.deletes {
                    let _ = r.send(Err(e.clone()));
                }
            }
        }
    }

    /// Commits a run of inserts as one segment; the requests whose ids clash are refused
    /// alone. Returns whether anything was committed.
    fn insert_run(
        &mut self,
        snap: &Snapshot,
        run: Vec<(Vec<Document<'static>>, InsertReply)>,
        added: &mut HashSet<String>,
        removed: &mut HashSet<String>,
        owed: &mut Owed,
    ) -> bool {
        let mut docs: Vec<Document<'static>> = Vec::new();
        let mut replies = Vec::new();
        let mut batch_ids: HashSet<String> = HashSet::new();
        for (mut request, reply) in run {
            let clash = request.iter().find_map(|d| {
                let live = added.contains(&*d.id)
                    || batch_ids.contains(&*d.id)
                    || (!removed.contains(&*d.id)
                        && snap.archive.find_id(&d.id).ok().flatten().is_some());
                live.then(|| d.id.to_string())
            });
            if let Some(id) = clash {
                let _ = reply.send(Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("document id {id:?} is already in the index"),
                )));
                continue;
            }
            if self.window.is_some() {
                stamp_arrival(&mut request);
            }
            batch_ids.extend(request.iter().map(|d| d.id.to_string()));
            docs.extend(request);
            replies.push(reply);
        }
        if docs.is_empty() {
            return false;
        }
        let start = Instant::now();
        let result = self
            .pipeline
            .index_contents(&docs, |_| {})
            .and_then(|contents| Archive::add(&self.dir, contents));
        match result {
            Ok(_) => {
                self.metrics.observe_commit(start.elapsed(), docs.len());
                for id in batch_ids {
                    removed.remove(&id);
                    added.insert(id);
                }
                owed.inserts.extend(replies);
                true
            }
            Err(e) => {
                let e = write_error(&e);
                for r in replies {
                    let _ = r.send(Err(e.clone()));
                }
                false
            }
        }
    }

    /// Commits a run of deletes at once. Returns whether anything was committed.
    fn delete_run(
        &mut self,
        run: Vec<(String, DeleteReply)>,
        added: &mut HashSet<String>,
        removed: &mut HashSet<String>,
        owed: &mut Owed,
    ) -> bool {
        let mut ids: Vec<String> = run.iter().map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids.dedup();
        let start = Instant::now();
        match Archive::remove(&self.dir, &ids) {
            Ok((_, missing)) => {
                let missing: HashSet<String> = missing.into_iter().collect();
                let mut any = false;
                for (id, reply) in run {
                    if missing.contains(&id) {
                        let _ = reply.send(Ok(None));
                    } else {
                        added.remove(&id);
                        removed.insert(id);
                        owed.deletes.push(reply);
                        any = true;
                    }
                }
                if any {
                    self.metrics.observe_commit(start.elapsed(), 0);
                }
                any
            }
            Err(e) => {
                let e = write_error(&e);
                for (_, r) in run {
                    let _ = r.send(Err(e.clone()));
                }
                false
            }
        }
    }

    /// Opens the archive as it is now and publishes it.
    fn refresh(&mut self) -> Result<Arc<Snapshot>> {
        let archive = Archive::open(&self.dir)?;
        let snap = Arc::new(Snapshot::new(archive, self.window)?);
        self.snapshot.store(snap.clone());
        self.metrics.observe_snapshot(&snap);
        Ok(snap)
    }
}

impl Op {
    fn docs(&self) -> usize {
        match self {
            Op::Insert { docs, .. } => docs.len(),
            Op::Delete { .. } => 1,
        }
    }
}

fn plural(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        _ => format!("{n} {what}s"),
    }
}
