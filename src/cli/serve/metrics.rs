//! The service's Prometheus metrics (`GET /metrics`, OpenMetrics text).

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::cli::live::Snapshot;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type Histograms = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Counters, gauges and histograms of one service.
#[derive(Debug)]
pub(super) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histograms,
    documents: Gauge,
    segments: Gauge,
    generation: Gauge,
    commits: Counter,
    committed_documents: Counter,
    commit_seconds: Histogram,
}

fn latency_histogram() -> Histogram {
    // 0.1 ms .. about 26 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 19))
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("neardup");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        let latency: Histograms = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its answer",
            latency.clone(),
        );
        let documents = Gauge::default();
        registry.register(
            "documents",
            "Live documents in the served index",
            documents.clone(),
        );
        let segments = Gauge::default();
        registry.register("segments", "Segments of the served index", segments.clone());
        let generation = Gauge::default();
        registry.register(
            "index_generation",
            "The commit the service answers from",
            generation.clone(),
        );
        let commits = Counter::default();
        registry.register(
            "commits",
            "Commits of writes (each fsynced)",
            commits.clone(),
        );
        let committed_documents = Counter::default();
        registry.register(
            "committed_documents",
            "Documents added by the service's commits",
            committed_documents.clone(),
        );
        let commit_seconds = latency_histogram();
        registry.register(
            "commit_duration_seconds",
            "Time to write and sync one commit",
            commit_seconds.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            documents,
            segments,
            generation,
            commits,
            committed_documents,
            commit_seconds,
        }
    }

    /// Counts an answered request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.into(),
                route: route.into(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.into(),
                route: route.into(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts a commit of `documents` added documents.
    pub fn observe_commit(&self, took: Duration, documents: usize) {
        self.commits.inc();
        self.committed_documents.inc_by(documents as u64);
        self.commit_seconds.observe(took.as_secs_f64());
    }

    /// Records the size of the snapshot now served.
    pub fn observe_snapshot(&self, s: &Snapshot) {
        self.documents.set(s.archive.live() as i64);
        self.segments
            .set(s.archive.manifest().segments.len() as i64);
        self.generation.set(s.generation() as i64);
    }

    /// The metrics as OpenMetrics text.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
