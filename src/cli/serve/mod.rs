//! `neardup serve`: an index folder behind JSON over HTTP (axum on tokio).
//!
//! Reads never wait for writes: every request answers from the snapshot current when it
//! began (an open [`neardup::Archive`], swapped whole after each commit). Writes go to one
//! writer thread, which takes every write waiting when it gets to them as one batch:
//! one segment or deletion commit (fsynced), then a new snapshot, then the answers. A
//! write is acknowledged only after its commit, so a crash or SIGTERM never loses an
//! acknowledged write.

mod api;
mod metrics;
mod writer;

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arc_swap::ArcSwap;

use super::args::ServeArgs;
use crate::cli::live::Snapshot;
use metrics::Metrics;
use writer::Writer;

/// What every request handler shares.
struct App {
    /// The current snapshot.
    snapshot: Arc<ArcSwap<Snapshot>>,
    /// The writer thread's queue.
    writer: Writer,
    /// Bounds the queries computed at once (one per thread of `--threads`).
    permits: tokio::sync::Semaphore,
    metrics: Arc<Metrics>,
    max_batch: usize,
}

/// Runs the service until SIGTERM or Ctrl-C.
pub fn run(a: ServeArgs) -> Result<bool> {
    if a.threads == Some(0) {
        bail!("invalid --threads: must be at least 1");
    }
    if a.max_batch == 0 {
        bail!("invalid --max-batch: must be at least 1");
    }
    let archive = neardup::Archive::open(&a.index)?;
    if !archive.is_folder() {
        bail!(
            "{}: a single-file index cannot take writes; serve an index folder (`neardup index build` without --single-file)",
            a.index.display()
        );
    }
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let metrics = Arc::new(Metrics::new());
    let snapshot = Arc::new(ArcSwap::from_pointee(Snapshot::new(archive, a.window)?));
    metrics.observe_snapshot(&snapshot.load());
    let (writer, writer_thread) = Writer::start(
        a.index.clone(),
        a.window,
        snapshot.clone(),
        metrics.clone(),
        a.quiet,
    )?;
    let app = Arc::new(App {
        snapshot: snapshot.clone(),
        writer,
        permits: tokio::sync::Semaphore::new(threads),
        metrics,
        max_batch: a.max_batch,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .context("starting the service's threads")?;
    let quiet = a.quiet;
    let index = a.index.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&a.bind)
            .await
            .with_context(|| format!("--bind {}: cannot listen there", a.bind))?;
        if !quiet {
            let s = snapshot.load();
            eprintln!(
                "neardup: serving {} ({}, {}) on http://{}",
                index.display(),
                crate::cli::render::plural(s.archive.live(), "document"),
                crate::cli::render::plural(s.archive.manifest().segments.len(), "segment"),
                listener.local_addr().context("the listening address")?
            );
        }
        let router = api::router(app, a.max_body);
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")
    })?;
    // Every request has been answered and the router (holding the writer's queue) is
    // gone: the writer finishes what it holds and stops.
    writer_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the writer thread failed"))?;
    if !quiet {
        eprintln!("neardup: stopped; every acknowledged write is committed");
    }
    Ok(true)
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
