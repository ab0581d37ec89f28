//! The service's routes: JSON in, JSON out, errors as `{"error": ...}` with a 4xx or 5xx
//! status.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use neardup::corpus::given_day;
use neardup::{ArchiveSearcher, Document};
use serde::Deserialize;
use serde_json::{Value, json};

use super::App;
use crate::cli::live::{Snapshot, answer};
use crate::cli::render::Id;

/// Most related articles a request may ask for.
const MAX_TOP: usize = 1000;

/// An error answered as `{"error": message}`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(json!({ "error": self.message }))).into_response()
    }
}

impl From<neardup::Error> for ApiError {
    fn from(e: neardup::Error) -> Self {
        ApiError::internal(e)
    }
}

type Answer = Result<axum::Json<Value>, ApiError>;

/// The routes, with request metrics and the body limit.
pub(super) fn router(app: Arc<App>, max_body: usize) -> Router {
    Router::new()
        .route("/documents", post(post_documents))
        .route("/documents/{id}", get(get_document).delete(delete_document))
        .route("/documents/{id}/similar", get(similar))
        .route("/query", post(query))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no such route (see `neardup serve --help`)",
            )
        })
        .layer(middleware::from_fn_with_state(app.clone(), track))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}

/// Counts each request in the metrics, by route (not by path: ids do not make series).
async fn track(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("other", |m| m.as_str())
        .to_string();
    let res = next.run(req).await;
    app.metrics
        .observe_request(&method, &route, res.status().as_u16(), start.elapsed());
    res
}

impl App {
    /// Runs CPU work on a blocking thread, at most `--threads` at once.
    async fn compute<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "stopping"))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(ApiError::internal)?
    }
}

/// The query options of the URL (`?top=10&bucket_cap=1000`) or of a query's body.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Related articles to list (default 10).
    top: Option<usize>,
    /// LSH buckets of more than this many documents split by the next band (0: never).
    bucket_cap: Option<u32>,
}

impl Options {
    fn top(&self) -> Result<usize, ApiError> {
        match self.top.unwrap_or(10) {
            0 => Err(ApiError::bad("top must be at least 1")),
            n if n > MAX_TOP => Err(ApiError::bad(format!("top must be at most {MAX_TOP}"))),
            n => Ok(n),
        }
    }

    fn searcher<'a>(&self, snap: &'a Snapshot) -> Result<ArchiveSearcher<'a>, ApiError> {
        let cap = self.bucket_cap.unwrap_or(neardup::lsh::DEFAULT_BUCKET_CAP);
        Ok(ArchiveSearcher::new(&snap.archive)?.with_bucket_cap((cap > 0).then_some(cap)))
    }
}

fn options(q: Result<Query<Options>, QueryRejection>) -> Result<Options, ApiError> {
    q.map(|Query(o)| o)
        .map_err(|e| ApiError::bad(format!("bad query string: {}", e.body_text())))
}

fn body(b: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    b.map_err(|e| ApiError::new(e.status(), e.body_text()))
}

/// `POST /documents`: one document or a list; each answered with its copies and related
/// articles among the documents that were in the index before it (as `watch` answers).
async fn post_documents(
    State(app): State<Arc<App>>,
    q: Result<Query<Options>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> Answer {
    let opts = options(q)?;
    let top = opts.top()?;
    let b = body(b)?;
    let docs = app.compute(move || documents(&b)).await?;
    if docs.is_empty() {
        return Err(ApiError::bad("no documents in the request"));
    }
    if docs.len() > app.max_batch {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "{} documents in one request; at most {} (--max-batch)",
                docs.len(),
                app.max_batch
            ),
        ));
    }
    let ids: Vec<String> = docs.iter().map(|d| d.id.to_string()).collect();
    let snap = app.writer.insert(docs).await?;
    app.compute(move || {
        let searcher = opts.searcher(&snap)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let d = snap.archive.find_id(&id)?.ok_or_else(|| {
                ApiError::internal(format!("document {id:?} is missing after its commit"))
            })?;
            // What was there when it arrived: documents committed before it (earlier in
            // the batch, or in an earlier request of the same commit), not after.
            let before = |x: u32| x < d;
            let mut v = answer(&snap, &searcher.query_doc_among(d, top, &before)?)?;
            v["id"] =
                serde_json::to_value(Id(&snap.archive.doc(d)?)).map_err(ApiError::internal)?;
            out.push(v);
        }
        Ok(axum::Json(json!({
            "generation": snap.generation(),
            "documents": out,
        })))
    })
    .await
}

/// The documents of a request body: one JSON object or a list of them, each shaped like
/// a JSONL record (`id` and `text` required; `title`, `outlet`, `date`, `url`).
fn documents(body: &[u8]) -> Result<Vec<Document<'static>>, ApiError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad(format!("the body is not JSON: {e}")))?;
    let (items, one) = match v {
        Value::Array(a) => (a, false),
        v @ Value::Object(_) => (vec![v], true),
        _ => {
            return Err(ApiError::bad(
                "the body must be a document (an object) or a list of documents",
            ));
        }
    };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = |what: String| match one {
            true => ApiError::bad(what),
            false => ApiError::bad(format!("document {} of the list: {what}", i + 1)),
        };
        let Value::Object(mut o) = item else {
            return Err(at("not an object".into()));
        };
        let (id, id_is_number) = match o.remove("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => (s, false),
            Some(Value::Number(n)) => (n.to_string(), true),
            Some(_) => return Err(at("\"id\" must be a non-empty string or a number".into())),
            None => return Err(at("no \"id\"".into())),
        };
        if !seen.insert(id.clone()) {
            return Err(at(format!("id {id:?} is given twice")));
        }
        let text = match o.remove("text") {
            Some(Value::String(s)) => s,
            Some(_) => return Err(at("\"text\" must be a string".into())),
            None => return Err(at("no \"text\"".into())),
        };
        let mut field = |name: &str| match o.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.into())),
            Some(_) => Err(at(format!("{name:?} must be a string"))),
        };
        let mut d = Document::new(id, text);
        d.id_is_number = id_is_number;
        d.title = field("title")?;
        d.outlet = field("outlet")?;
        d.date = field("date")?;
        d.url = field("url")?;
        out.push(d);
    }
    Ok(out)
}

/// `POST /query`: `{"text": ..., "date": "2024-06-01", "top": 10, "bucket_cap": 1000}`
/// (all but the text optional); nothing is stored.
async fn query(State(app): State<Arc<App>>, b: Result<Bytes, BytesRejection>) -> Answer {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        text: String,
        date: Option<String>,
        top: Option<usize>,
        bucket_cap: Option<u32>,
    }
    let b = body(b)?;
    let snap = app.snapshot.load_full();
    app.compute(move || {
        let q: Body = serde_json::from_slice(&b).map_err(|e| {
            ApiError::bad(format!(
                "expected {{\"text\": ..., \"date\": ..., \"top\": N, \"bucket_cap\": N}}: {e}"
            ))
        })?;
        let day = given_day(q.date.as_deref()).map_err(ApiError::bad)?;
        let opts = Options {
            top: q.top,
            bucket_cap: q.bucket_cap,
        };
        let r = opts
            .searcher(&snap)?
            .query_dated(&q.text, day, opts.top()?)?;
        Ok(axum::Json(answer(&snap, &r)?))
    })
    .await
}

/// `GET /documents/{id}/similar`: as `neardup query --id`.
async fn similar(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    q: Result<Query<Options>, QueryRejection>,
) -> Answer {
    let opts = options(q)?;
    let top = opts.top()?;
    let snap = app.snapshot.load_full();
    app.compute(move || {
        let d = find(&snap, &id)?;
        let r = opts.searcher(&snap)?.query_doc(d, top)?;
        Ok(axum::Json(answer(&snap, &r)?))
    })
    .await
}

/// The live document with this id, or a 404.
fn find(snap: &Snapshot, id: &str) -> Result<u32, ApiError> {
    snap.archive
        .find_id(id)?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no document with id {id:?}")))
}

/// `GET /documents/{id}`: the stored record (the index keeps no text).
async fn get_document(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let snap = app.snapshot.load_full();
    let m = snap.archive.doc(find(&snap, &id)?)?;
    Ok(axum::Json(json!({
        "id": Id(&m),
        "title": m.title.as_deref(),
        "outlet": m.outlet.as_deref(),
        "date": m.date.as_deref(),
        "url": m.url.as_deref(),
    })))
}

/// `DELETE /documents/{id}`: answered once the deletion is committed.
async fn delete_document(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    match app.writer.delete(id.clone()).await? {
        Some(snap) => Ok(axum::Json(json!({
            "deleted": id,
            "generation": snap.generation(),
        }))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no document with id {id:?}"),
        )),
    }
}

/// `GET /health`: the snapshot served.
async fn health(State(app): State<Arc<App>>) -> Answer {
    let snap = app.snapshot.load();
    Ok(axum::Json(json!({
        "status": "ok",
        "documents": snap.archive.live(),
        "segments": snap.archive.manifest().segments.len(),
        "generation": snap.generation(),
    })))
}

/// `GET /metrics`: Prometheus (OpenMetrics) text.
async fn metrics(State(app): State<Arc<App>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.encode(),
    )
        .into_response()
}
