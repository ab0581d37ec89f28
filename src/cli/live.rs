//! An index folder that lives (`serve`, `watch`): a snapshot of it with a sliding window
//! of publication dates, and query answers as JSON.

#[cfg(feature = "server")]
use std::time::Duration;

#[cfg(feature = "server")]
use anyhow::Result;
use neardup::{Archive, DocMeta, Document, MatchKind, QueryResult};
use serde_json::{Value, json};

use super::render::{Id, round};

/// Future dates are trusted up to this far ahead of the clock when placing the window.
const FUTURE_SLACK_MS: i64 = 86_400_000;

/// An open archive as of one commit, with its window.
#[cfg(feature = "server")]
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The archive.
    pub archive: Archive,
    /// Documents published before this instant (ms since 1970) are outside the window.
    pub horizon: Option<i64>,
    /// Ids of the live documents outside the window (to be deleted).
    expired: Vec<String>,
}

#[cfg(feature = "server")]
impl Snapshot {
    /// The snapshot of `archive` with a window of `window` ending at its latest
    /// publication (not later than a day past the clock).
    pub fn new(archive: Archive, window: Option<Duration>) -> Result<Self> {
        // Learnt here, by whoever publishes the snapshot, so that no query waits for it.
        archive.templates()?;
        let Some(window) = window else {
            return Ok(Snapshot {
                archive,
                horizon: None,
                expired: Vec::new(),
            });
        };
        let mut dated: Vec<(i64, u32)> = Vec::new();
        for d in 0..archive.len() as u32 {
            if !archive.is_deleted(d)?
                && let Some(t) = archive.doc(d)?.published
            {
                dated.push((t, d));
            }
        }
        let cap = latest_trusted();
        let newest = dated.iter().map(|x| x.0.min(cap)).max();
        let horizon =
            newest.map(|t| t.saturating_sub(window.as_millis().min(i64::MAX as u128) as i64));
        let mut expired = Vec::new();
        if let Some(h) = horizon {
            for &(t, d) in &dated {
                if t < h {
                    expired.push(archive.doc(d)?.id.into());
                }
            }
        }
        Ok(Snapshot {
            archive,
            horizon,
            expired,
        })
    }

    /// Ids of the live documents outside the window (to be deleted).
    pub fn expired(&self) -> &[String] {
        &self.expired
    }

    /// The commit this snapshot shows.
    pub fn generation(&self) -> u64 {
        self.archive.manifest().generation
    }

    /// Whether document `d` is inside the window (always, without one).
    pub fn in_window(&self, d: u32) -> neardup::Result<bool> {
        Ok(match self.horizon {
            None => true,
            Some(h) => self.archive.doc(d)?.published.is_none_or(|t| t >= h),
        })
    }
}

/// The latest publication time trusted (ms since 1970): a day past the clock. A date
/// further ahead (a typo, a wrong zone) would move the window past everything else.
pub(crate) fn latest_trusted() -> i64 {
    now_ms().saturating_add(FUTURE_SLACK_MS)
}

/// Milliseconds since 1970 by the clock.
fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Gives each undated document its arrival (now, RFC 3339) as its date, so the window
/// places it.
pub(crate) fn stamp_arrival(docs: &mut [Document<'_>]) {
    let now = jiff::Timestamp::now().to_string();
    for d in docs {
        if d.date.as_deref().is_none_or(|s| s.trim().is_empty()) {
            d.date = Some(now.clone().into());
        }
    }
}

/// A query's answer as JSON: copies (with the rule that passed them) and related articles,
/// best first, each with its stored metadata; documents outside the window left out.
#[cfg(feature = "server")]
pub(crate) fn answer(snap: &Snapshot, r: &QueryResult) -> neardup::Result<Value> {
    answer_from(&snap.archive, |d| snap.in_window(d), r)
}

/// [`answer`] from `archive`, listing the documents `keep` keeps.
pub(crate) fn answer_from(
    archive: &Archive,
    keep: impl Fn(u32) -> neardup::Result<bool>,
    r: &QueryResult,
) -> neardup::Result<Value> {
    let meta = |m: &DocMeta| {
        json!({
            "id": Id(m),
            "outlet": m.outlet.as_deref(),
            "date": m.date.as_deref(),
            "title": m.title.as_deref(),
            "url": m.url.as_deref(),
        })
    };
    let mut duplicates = Vec::new();
    for m in &r.duplicates {
        if !keep(m.doc)? {
            continue;
        }
        let mut v = meta(&archive.doc(m.doc)?);
        v["jaccard"] = json!(round(m.jaccard));
        v["containment"] = json!(round(m.containment));
        v["match"] = json!(match m.kind {
            MatchKind::Jaccard => "jaccard",
            MatchKind::Containment => "containment",
        });
        duplicates.push(v);
    }
    let mut related = Vec::new();
    for n in &r.related {
        if !keep(n.doc)? {
            continue;
        }
        let mut v = meta(&archive.doc(n.doc)?);
        v["cosine"] = json!(round(f64::from(n.cosine)));
        related.push(v);
    }
    Ok(json!({ "duplicates": duplicates, "related": related }))
}
