//! Rendering pairs and clusters as TSV, CSV, JSONL and text.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;
use neardup::corpus::{dated_span, first_published, shown_date};
use neardup::{Cluster, DocMeta, MatchKind, Neighbour, SketchedCorpus, Story, VerifiedPair};
use serde::Serialize;

use super::args::{ClusterFormat, CompareFormat, PairsFormat, QueryFormat, RankFormat};
use super::output::{tsv_cell, write_output};
use neardup::table::{Column, Table};

/// An id written back as it was read: a JSON number stays a number.
pub(super) struct Id<'a>(pub(super) &'a DocMeta);

impl Serialize for Id<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.id_is_number {
            if let Ok(n) = self.0.id.parse::<i64>() {
                return s.serialize_i64(n);
            }
            if let Ok(n) = self.0.id.parse::<u64>() {
                return s.serialize_u64(n);
            }
            // A float stays a float; digits beyond 64 bits are written as a string rather
            // than rounded into another id.
            if self.0.id.contains(['.', 'e', 'E'])
                && let Ok(n) = self.0.id.parse::<f64>()
            {
                return s.serialize_f64(n);
            }
        }
        s.serialize_str(&self.0.id)
    }
}

pub(super) fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[derive(Serialize)]
struct PairOut<'a> {
    a: Id<'a>,
    b: Id<'a>,
    jaccard: f64,
    containment: f64,
    #[serde(rename = "match")]
    kind: MatchKind,
}

fn kind_name(k: MatchKind) -> &'static str {
    match k {
        MatchKind::Jaccard => "jaccard",
        MatchKind::Containment => "containment",
    }
}

#[derive(Serialize)]
struct DroppedOut<'a> {
    id: Id<'a>,
    input: std::borrow::Cow<'a, str>,
    line: u64,
    cluster: u32,
    kept: Id<'a>,
    joined_by: Option<Id<'a>>,
    #[serde(rename = "match")]
    kind: Option<MatchKind>,
    jaccard: Option<f64>,
    containment: Option<f64>,
}

/// The `dedup` sidecar: one JSON object per dropped document, in input order, naming the
/// document kept in its place and the verified pair that made it a copy.
pub fn write_dropped(
    w: &mut dyn Write,
    corpus: &SketchedCorpus,
    clusters: &[Cluster],
    keep: &[bool],
) -> io::Result<()> {
    let docs = &corpus.docs;
    let mut rows: Vec<(u32, DroppedOut<'_>)> = Vec::new();
    for c in clusters {
        let Some(kept) = c.members.iter().map(|m| m.doc).find(|&d| keep[d as usize]) else {
            continue;
        };
        for m in c.members.iter().filter(|m| !keep[m.doc as usize]) {
            let d = &docs[m.doc as usize];
            // The tree's root joined nothing: name the pair of its first child instead.
            let (joined_to, pair) = match (m.joined_to(), m.joined_by) {
                (Some(j), p) => (Some(j), p),
                (None, _) => c
                    .members
                    .iter()
                    .find(|x| x.joined_to() == Some(m.doc))
                    .map_or((None, None), |x| (Some(x.doc), x.joined_by)),
            };
            rows.push((
                m.doc,
                DroppedOut {
                    id: Id(d),
                    input: corpus.inputs[d.input as usize].to_string_lossy(),
                    line: d.line,
                    cluster: c.id,
                    kept: Id(&docs[kept as usize]),
                    joined_by: joined_to.map(|j| Id(&docs[j as usize])),
                    kind: pair.map(|p| p.kind),
                    jaccard: pair.map(|p| round(p.jaccard)),
                    containment: pair.map(|p| round(p.containment)),
                },
            ));
        }
    }
    rows.sort_by_key(|r| r.0);
    for (_, r) in rows {
        serde_json::to_writer(&mut *w, &r)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the pairs.
pub fn write_pairs(
    out: Option<&Path>,
    format: PairsFormat,
    corpus: &SketchedCorpus,
    pairs: &[VerifiedPair],
) -> Result<()> {
    let docs = &corpus.docs;
    if format == PairsFormat::Parquet {
        let id = |i: u32| Some(docs[i as usize].id.to_string());
        let table = Table::new()
            .with("a", Column::Str(pairs.iter().map(|p| id(p.a)).collect()))?
            .with("b", Column::Str(pairs.iter().map(|p| id(p.b)).collect()))?
            .with(
                "jaccard",
                Column::Float(pairs.iter().map(|p| Some(p.jaccard)).collect()),
            )?
            .with(
                "containment",
                Column::Float(pairs.iter().map(|p| Some(p.containment)).collect()),
            )?
            .with(
                "match",
                Column::Str(
                    pairs
                        .iter()
                        .map(|p| Some(kind_name(p.kind).to_string()))
                        .collect(),
                ),
            )?;
        return write_table(out, &table);
    }
    write_output(out, |w| match format {
        PairsFormat::Parquet => unreachable!("written above"),
        PairsFormat::Tsv => {
            writeln!(w, "a\tb\tjaccard\tcontainment\tmatch")?;
            for p in pairs {
                writeln!(
                    w,
                    "{}\t{}\t{:.4}\t{:.4}\t{}",
                    tsv_cell(&docs[p.a as usize].id),
                    tsv_cell(&docs[p.b as usize].id),
                    p.jaccard,
                    p.containment,
                    kind_name(p.kind)
                )?;
            }
            Ok(())
        }
        PairsFormat::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(["a", "b", "jaccard", "containment", "match"])?;
            for p in pairs {
                c.write_record([
                    docs[p.a as usize].id.as_ref(),
                    docs[p.b as usize].id.as_ref(),
                    &format!("{:.4}", p.jaccard),
                    &format!("{:.4}", p.containment),
                    kind_name(p.kind),
                ])?;
            }
            c.flush()
        }
        PairsFormat::Jsonl => {
            for p in pairs {
                let row = PairOut {
                    a: Id(&docs[p.a as usize]),
                    b: Id(&docs[p.b as usize]),
                    jaccard: round(p.jaccard),
                    containment: round(p.containment),
                    kind: p.kind,
                };
                serde_json::to_writer(&mut *w, &row)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
    })
}

#[derive(Serialize)]
struct MemberOut<'a> {
    id: Id<'a>,
    outlet: Option<&'a str>,
    date: Option<&'a str>,
    title: Option<&'a str>,
    joined_by: Option<Id<'a>>,
    score: Option<f64>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    kind: Option<MatchKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    copies: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep: Option<bool>,
}

#[derive(Serialize)]
struct ClusterOut<'a> {
    cluster: u32,
    size: usize,
    members: Vec<MemberOut<'a>>,
}

/// A member of a cluster or a story as the machine formats print it: who joined it, with
/// what score, and the mode's own column (`match` for copies, `copies` for stories).
struct Row {
    doc: u32,
    joined_to: Option<u32>,
    score: Option<f64>,
    tag: Tag,
    /// Whether it is the group's first publication (copies only: `None` for stories).
    first: Option<bool>,
    /// Whether `dedup` would keep it (copies only).
    keep: Option<bool>,
}

#[derive(Clone, Copy)]
enum Tag {
    Match(Option<MatchKind>),
    Copies(Option<u32>),
}

/// Writes groups of rows as JSONL (one object per group) or TSV (one row per member).
fn write_group_rows(
    w: &mut dyn Write,
    jsonl: bool,
    tag_column: &str,
    docs: &[DocMeta],
    groups: impl Iterator<Item = (u32, Vec<Row>)>,
) -> io::Result<()> {
    let mut groups = groups.peekable();
    let keep_column = groups
        .peek()
        .is_some_and(|(_, rows)| rows.first().is_some_and(|r| r.keep.is_some()));
    if !jsonl {
        writeln!(
            w,
            "cluster\tid\toutlet\tdate\tjoined_by\tscore\t{tag_column}{}",
            if keep_column { "\tkeep" } else { "" }
        )?;
    }
    for (id, rows) in groups {
        if jsonl {
            let group = ClusterOut {
                cluster: id,
                size: rows.len(),
                members: rows
                    .iter()
                    .map(|r| {
                        let d = &docs[r.doc as usize];
                        MemberOut {
                            id: Id(d),
                            outlet: d.outlet.as_deref(),
                            date: d.date.as_deref(),
                            title: d.title.as_deref(),
                            joined_by: r.joined_to.map(|j| Id(&docs[j as usize])),
                            score: r.score.map(round),
                            kind: match r.tag {
                                Tag::Match(k) => k,
                                Tag::Copies(_) => None,
                            },
                            copies: match r.tag {
                                Tag::Copies(c) => Some(c),
                                Tag::Match(_) => None,
                            },
                            first: r.first,
                            keep: r.keep,
                        }
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut *w, &group)?;
            w.write_all(b"\n")?;
            continue;
        }
        for r in &rows {
            let d = &docs[r.doc as usize];
            let tag = match r.tag {
                Tag::Match(k) => k.map_or(String::new(), |k| kind_name(k).to_string()),
                Tag::Copies(c) => c.map_or(String::new(), |c| c.to_string()),
            };
            let keep = match r.keep {
                Some(k) if keep_column => format!("\t{k}"),
                _ => String::new(),
            };
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}{}",
                id,
                tsv_cell(&d.id),
                tsv_cell(d.outlet.as_deref().unwrap_or("")),
                tsv_cell(d.date.as_deref().unwrap_or("")),
                r.joined_to
                    .map_or(String::new(), |j| tsv_cell(&docs[j as usize].id)
                        .into_owned()),
                r.score.map_or(String::new(), |s| format!("{s:.4}")),
                tag,
                keep,
            )?;
        }
    }
    Ok(())
}

/// Writes the clusters.
pub fn write_clusters(
    out: Option<&Path>,
    format: ClusterFormat,
    corpus: &SketchedCorpus,
    clusters: &[Cluster],
    keep: neardup::Keep,
) -> Result<()> {
    let docs = &corpus.docs;
    let groups = || {
        clusters.iter().map(|c| {
            let first = first_published(docs, c.members.iter().map(|m| m.doc));
            let kept = keep.survivor(docs, c.members.iter().map(|m| m.doc));
            let rows = c
                .members
                .iter()
                .map(|m| Row {
                    doc: m.doc,
                    joined_to: m.joined_to(),
                    score: m.joined_by.map(|p| p.score()),
                    tag: Tag::Match(m.joined_by.map(|p| p.kind)),
                    first: Some(Some(m.doc) == first),
                    keep: Some(Some(m.doc) == kept),
                })
                .collect();
            (c.id, rows)
        })
    };
    if format == ClusterFormat::Parquet {
        return write_table(out, &group_table(docs, "match", groups())?);
    }
    write_output(out, |w| match format {
        ClusterFormat::Jsonl => write_group_rows(w, true, "match", docs, groups()),
        ClusterFormat::Tsv => write_group_rows(w, false, "match", docs, groups()),
        ClusterFormat::Text => write_text(w, docs, clusters),
        ClusterFormat::Parquet => unreachable!("written above"),
    })
}

/// One row per member of each group, as a table.
fn group_table(
    docs: &[DocMeta],
    tag_column: &str,
    groups: impl Iterator<Item = (u32, Vec<Row>)>,
) -> Result<Table> {
    let (mut cluster, mut id, mut outlet, mut date, mut title) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut joined, mut score, mut tag, mut copies, mut first, mut keep) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for (c, rows) in groups {
        for r in rows {
            let d = &docs[r.doc as usize];
            cluster.push(Some(i64::from(c)));
            id.push(Some(d.id.to_string()));
            outlet.push(d.outlet.as_deref().map(String::from));
            date.push(d.date.as_deref().map(String::from));
            title.push(d.title.as_deref().map(String::from));
            joined.push(r.joined_to.map(|j| docs[j as usize].id.to_string()));
            score.push(r.score);
            match r.tag {
                Tag::Match(k) => tag.push(k.map(|k| kind_name(k).to_string())),
                Tag::Copies(c) => copies.push(c.map(i64::from)),
            }
            first.push(r.first);
            keep.push(r.keep);
        }
    }
    Ok(Table::new()
        .with("cluster", Column::Int(cluster))?
        .with("id", Column::Str(id))?
        .with("outlet", Column::Str(outlet))?
        .with("date", Column::Str(date))?
        .with("title", Column::Str(title))?
        .with("joined_by", Column::Str(joined))?
        .with("score", Column::Float(score))?
        .with(
            tag_column,
            if tag_column == "copies" {
                Column::Int(copies)
            } else {
                Column::Str(tag)
            },
        )?
        .with("first", Column::Bool(first))?
        .with("keep", Column::Bool(keep))?)
}

/// Writes a table as Parquet, atomically to `out` or to standard output.
fn write_table(out: Option<&Path>, table: &Table) -> Result<()> {
    super::output::write_output_send(out, |w| {
        table.write_parquet(w).map_err(std::io::Error::other)
    })
}

/// `s` on one line and at most `max` characters, cut with an ellipsis.
pub(super) fn shorten(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let one_line = !s.contains(['\n', '\r', '\t']);
    if one_line && s.chars().count() <= max {
        return s.into();
    }
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat.into();
    }
    let mut cut: String = flat.chars().take(max - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut.into()
}

/// Column widths for listing the members of a group, one line each.
struct Columns {
    id: usize,
    outlet: usize,
}

impl Columns {
    fn of(members: &[&DocMeta]) -> Columns {
        let width = |f: &dyn Fn(&DocMeta) -> usize, cap: usize| {
            members.iter().map(|d| f(d)).max().unwrap_or(0).min(cap)
        };
        Columns {
            id: width(&|d| d.id.chars().count(), 32),
            outlet: width(
                &|d| d.outlet.as_deref().map_or(0, |o| o.chars().count()),
                20,
            ),
        }
    }

    /// `  id  outlet  date  title` (the columns a document has).
    fn line(&self, d: &DocMeta) -> String {
        let (id_width, outlet_width) = (self.id, self.outlet);
        let mut line = format!("  {:<id_width$}", d.id);
        if outlet_width > 0 {
            line.push_str(&format!(
                "  {:<outlet_width$}",
                d.outlet.as_deref().unwrap_or("-")
            ));
        }
        if let Some(date) = shown_date(d) {
            line.push_str(&format!("  {}", shorten(&date, 10)));
        }
        if let Some(title) = &d.title {
            line.push_str("  ");
            line.push_str(&shorten(title, 60));
        }
        line
    }
}

fn write_text(w: &mut dyn Write, docs: &[DocMeta], clusters: &[Cluster]) -> io::Result<()> {
    let multi = clusters.iter().filter(|c| c.members.len() > 1).count();
    let in_multi: usize = clusters
        .iter()
        .filter(|c| c.members.len() > 1)
        .map(|c| c.members.len())
        .sum();
    writeln!(
        w,
        "{} of near-duplicates ({in_multi} of {})",
        plural(multi, "cluster"),
        plural(docs.len(), "document")
    )?;
    for c in clusters {
        let members: Vec<&DocMeta> = c.members.iter().map(|m| &docs[m.doc as usize]).collect();
        writeln!(w)?;
        writeln!(w, "cluster {}: {}", c.id, summary(&members))?;
        let columns = Columns::of(&members);
        // "(first)" marks the first publication (earliest date, ties by input order); the
        // join edges ("<- doc") are the pairs that joined the cluster, whatever the dates.
        let first = first_published(docs, c.members.iter().map(|m| m.doc));
        for (m, d) in c.members.iter().zip(&members) {
            let mut line = columns.line(d);
            if c.members.len() > 1 && Some(m.doc) == first {
                line.push_str("  (first)");
            }
            if let (Some(p), Some(j)) = (m.joined_by, m.joined_to()) {
                line.push_str(&format!(
                    "  <- {} {} {:.2}",
                    docs[j as usize].id,
                    kind_name(p.kind),
                    p.score()
                ));
            }
            writeln!(w, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

/// Writes stories (`cluster --mode stories`): the same shapes as clusters, where
/// `joined_by`/`score` name each member's most similar fellow member and its story score,
/// and `copies` the copy cluster (of `--mode copies`) the member belongs to.
pub fn write_stories(
    out: Option<&Path>,
    format: ClusterFormat,
    docs: &[DocMeta],
    stories: &[Story],
) -> Result<()> {
    let groups = || {
        stories.iter().map(|st| {
            let rows = st
                .members
                .iter()
                .map(|m| Row {
                    doc: m.doc,
                    joined_to: m.nearest.map(|(j, _)| j),
                    score: m.nearest.map(|(_, s)| f64::from(s)),
                    tag: Tag::Copies(m.copies),
                    first: None,
                    keep: None,
                })
                .collect();
            (st.id, rows)
        })
    };
    if format == ClusterFormat::Parquet {
        return write_table(out, &group_table(docs, "copies", groups())?);
    }
    write_output(out, |w| match format {
        ClusterFormat::Jsonl => write_group_rows(w, true, "copies", docs, groups()),
        ClusterFormat::Tsv => write_group_rows(w, false, "copies", docs, groups()),
        ClusterFormat::Text => write_stories_text(w, docs, stories),
        ClusterFormat::Parquet => unreachable!("written above"),
    })
}

fn write_stories_text(w: &mut dyn Write, docs: &[DocMeta], stories: &[Story]) -> io::Result<()> {
    let multi: Vec<&Story> = stories.iter().filter(|s| s.members.len() > 1).collect();
    let in_multi: usize = multi.iter().map(|s| s.members.len()).sum();
    writeln!(
        w,
        "{} covered by two or more articles ({in_multi} of {})",
        plural(multi.len(), "story"),
        plural(docs.len(), "document")
    )?;
    for st in stories {
        let members: Vec<&DocMeta> = st.members.iter().map(|m| &docs[m.doc as usize]).collect();
        writeln!(w)?;
        writeln!(w, "story {}: {}", st.id, summary(&members))?;
        let columns = Columns::of(&members);
        for (m, d) in st.members.iter().zip(&members) {
            let mut line = columns.line(d);
            if let Some(c) = m.copies {
                line.push_str(&format!("  [copies {c}]"));
            }
            if let Some((j, s)) = m.nearest {
                line.push_str(&format!("  ~ {} {s:.2}", docs[j as usize].id));
            }
            writeln!(w, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

/// "1 passage", "2 passages".
/// A story's outlets for people: "2 outlets (Herald, Wire)", "2 outlets (Herald,
/// unknown)"; "outlet unknown" when none of its articles names one.
pub(crate) fn outlets_of(outlets: &[String]) -> String {
    let unknown = "(unknown)";
    if outlets.iter().all(|o| o == unknown) {
        return "outlet unknown".to_string();
    }
    let names: Vec<&str> = outlets
        .iter()
        .map(|o| if o == unknown { "unknown" } else { o.as_str() })
        .collect();
    format!("{} ({})", plural(outlets.len(), "outlet"), names.join(", "))
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {word}s")
    }
}

/// "3 documents, 2 outlets (A, B), 2024-06-01 to 2024-06-03".
fn summary(members: &[&DocMeta]) -> String {
    let mut outlets: Vec<&str> = members.iter().filter_map(|d| d.outlet.as_deref()).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let n = members.len();
    let mut s = format!("{n} document{}", if n == 1 { "" } else { "s" });
    if !outlets.is_empty() {
        s.push_str(&format!(
            ", {} outlet{} ({})",
            outlets.len(),
            if outlets.len() == 1 { "" } else { "s" },
            outlets.join(", ")
        ));
    }
    if let Some((a, b)) = dated_span(members.iter().copied()) {
        let (a, b) = (
            shown_date(a).unwrap_or_default(),
            shown_date(b).unwrap_or_default(),
        );
        if a == b {
            s.push_str(&format!(", {a}"));
        } else {
            s.push_str(&format!(", {a} to {b}"));
        }
    }
    s
}

#[derive(Serialize)]
struct NeighbourOut<'a> {
    id: Id<'a>,
    rank: usize,
    cosine: f64,
    score: f64,
}

#[derive(Serialize)]
struct RankOut<'a> {
    id: Id<'a>,
    neighbours: Vec<NeighbourOut<'a>>,
}

/// Writes every document's ranked neighbours.
pub fn write_neighbours(
    out: Option<&Path>,
    format: RankFormat,
    docs: &[DocMeta],
    neighbours: &[Vec<Neighbour>],
) -> Result<()> {
    if format == RankFormat::Parquet {
        let rows = || {
            neighbours
                .iter()
                .enumerate()
                .flat_map(|(d, list)| list.iter().enumerate().map(move |(r, n)| (d, r, n)))
        };
        let table = Table::new()
            .with(
                "id",
                Column::Str(
                    rows()
                        .map(|(d, _, _)| Some(docs[d].id.to_string()))
                        .collect(),
                ),
            )?
            .with(
                "neighbour",
                Column::Str(
                    rows()
                        .map(|(_, _, n)| Some(docs[n.doc as usize].id.to_string()))
                        .collect(),
                ),
            )?
            .with(
                "rank",
                Column::Int(rows().map(|(_, r, _)| Some(r as i64 + 1)).collect()),
            )?
            .with(
                "cosine",
                Column::Float(rows().map(|(_, _, n)| Some(f64::from(n.cosine))).collect()),
            )?
            .with(
                "score",
                Column::Float(rows().map(|(_, _, n)| Some(f64::from(n.score))).collect()),
            )?;
        return write_table(out, &table);
    }
    write_output(out, |w| match format {
        RankFormat::Parquet => unreachable!("written above"),
        RankFormat::Tsv => {
            writeln!(w, "id\tneighbour\trank\tcosine\tscore")?;
            for (d, list) in neighbours.iter().enumerate() {
                for (r, n) in list.iter().enumerate() {
                    writeln!(
                        w,
                        "{}\t{}\t{}\t{:.4}\t{:.4}",
                        tsv_cell(&docs[d].id),
                        tsv_cell(&docs[n.doc as usize].id),
                        r + 1,
                        n.cosine,
                        n.score
                    )?;
                }
            }
            Ok(())
        }
        RankFormat::Jsonl => {
            for (d, list) in neighbours.iter().enumerate() {
                let row = RankOut {
                    id: Id(&docs[d]),
                    neighbours: list
                        .iter()
                        .enumerate()
                        .map(|(r, n)| NeighbourOut {
                            id: Id(&docs[n.doc as usize]),
                            rank: r + 1,
                            cosine: round(f64::from(n.cosine)),
                            score: round(f64::from(n.score)),
                        })
                        .collect(),
                };
                serde_json::to_writer(&mut *w, &row)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
    })
}

/// Writes a comparison for people.
pub fn write_comparison(
    w: &mut (impl Write + ?Sized),
    id_a: &str,
    id_b: &str,
    c: &neardup::Comparison,
    pipeline: &neardup::Pipeline,
) -> Result<()> {
    let shingle = pipeline.shingle();
    let k = pipeline.sketch_params().num_perm;
    writeln!(w, "A: {id_a} ({} shingles, {shingle})", c.shingles_a)?;
    writeln!(w, "B: {id_b} ({} shingles)", c.shingles_b)?;
    writeln!(w, "shared shingles     {}", c.shared_shingles)?;
    writeln!(w, "jaccard             {:.4}", c.jaccard)?;
    writeln!(
        w,
        "jaccard (minhash)   {:.4} (standard error {:.4} with {k} slots)",
        c.jaccard_estimate, c.estimate_std_error
    )?;
    writeln!(w, "containment A in B  {:.4}", c.containment_a_in_b)?;
    writeln!(w, "containment B in A  {:.4}", c.containment_b_in_a)?;
    let idf = match c.idf {
        neardup::IdfSource::Pair => "idf from the two documents",
        neardup::IdfSource::Corpus => "idf from the index",
        neardup::IdfSource::Input => "idf from the input corpus",
    };
    writeln!(w, "tf-idf cosine       {:.4} ({idf})", c.cosine)?;
    let verdict = match c.near_duplicate {
        Some(neardup::MatchKind::Jaccard) => {
            format!("yes (jaccard >= {})", pipeline.verifier().threshold())
        }
        Some(neardup::MatchKind::Containment) => format!(
            "yes (containment >= {})",
            pipeline.verifier().containment().unwrap_or(0.0)
        ),
        None => match c.set_aside {
            Some(neardup::cluster::SetAside::Template) => {
                "no (set aside: they share only a template, shingles common in the corpus \
                 weighing less)"
                    .to_string()
            }
            Some(neardup::cluster::SetAside::Figures) => {
                "no (set aside: the same report with other figures; clusters keep them apart)"
                    .to_string()
            }
            None => "no".to_string(),
        },
    };
    writeln!(w, "near-duplicate      {verdict}")?;
    Ok(())
}

/// Writes how an index's documents were analysed, sketched and verified (`index info`).
fn write_settings(w: &mut (impl Write + ?Sized), h: &neardup::IndexHeader) -> Result<()> {
    writeln!(w, "text analysis    {}", h.analyzer)?;
    writeln!(w, "shingles         {} ({})", h.shingle, h.shingle_hash)?;
    writeln!(
        w,
        "sketch           {}, {} slots, seed {}",
        h.sketch, h.num_perm, h.seed
    )?;
    writeln!(w, "lsh      {} bands x {} rows", h.bands, h.rows)?;
    let containment = h.containment.map_or("off".to_string(), |c| {
        format!("{c} (at least {} shingles)", h.min_contained)
    });
    writeln!(
        w,
        "near-duplicate   jaccard >= {}, containment {containment}",
        h.threshold
    )?;
    let templates = match &h.templates {
        Some(rule) => format!(
            "--template-df {rule}: template shingles weigh less and figures are compared, as `pairs` decides"
        ),
        None => "off: plain Jaccard and containment (no figures kept)".to_string(),
    };
    writeln!(w, "templates        {templates}")?;
    Ok(())
}

/// Writes what `index info` shows.
pub fn write_index_info(
    w: &mut (impl Write + ?Sized),
    index: &neardup::Index,
    verified: bool,
    format: CompareFormat,
) -> Result<()> {
    let h = index.header();
    let file = index.file();
    match format {
        CompareFormat::Json => {
            let sections: serde_json::Map<String, serde_json::Value> = file
                .sections()
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        serde_json::json!({"offset": v.offset, "bytes": v.len, "type": v.dtype}),
                    )
                })
                .collect();
            let v = serde_json::json!({
                "path": file.path(),
                "format_version": file.version(),
                "bytes": file.len(),
                "verified": verified,
                "header": h,
                "sections": sections,
            });
            serde_json::to_writer(&mut *w, &v)?;
            writeln!(w)?;
        }
        CompareFormat::Text => {
            writeln!(w, "index            {}", file.path().display())?;
            writeln!(w, "format version   {}", file.version())?;
            writeln!(w, "size             {} bytes", file.len())?;
            writeln!(w, "written by       {}", h.written_by)?;
            writeln!(
                w,
                "documents        {} ({} with shingles)",
                h.documents, h.sketched
            )?;
            write_settings(w, h)?;
            writeln!(
                w,
                "tf-idf           {} terms, tf {:?}",
                h.terms,
                h.tfidf.tf_weight()
            )?;
            writeln!(
                w,
                "checksums        {}",
                if verified {
                    "all sections verified"
                } else {
                    "checked on read (--verify checks all)"
                }
            )?;
            writeln!(w, "sections")?;
            for (name, s) in file.sections() {
                writeln!(w, "  {name:<22} {:>12} bytes  {:?}", s.len, s.dtype)?;
            }
        }
    }
    Ok(())
}

/// Writes what `index info` shows of an index folder.
pub fn write_archive_info(
    w: &mut (impl Write + ?Sized),
    archive: &neardup::Archive,
    verified: bool,
    format: CompareFormat,
) -> Result<()> {
    let m = archive.manifest();
    let (all, deleted) = m.documents();
    match format {
        CompareFormat::Json => {
            let segments: Vec<serde_json::Value> = m
                .segments
                .iter()
                .zip(archive.segment_indexes())
                .map(|(s, i)| {
                    serde_json::json!({
                        "file": s.file, "documents": s.documents, "deleted": s.deleted,
                        "deletions": s.deletions, "bytes": i.file().len(),
                    })
                })
                .collect();
            let v = serde_json::json!({
                "path": archive.path(),
                "format_version": m.format,
                "generation": m.generation,
                "documents": all - deleted,
                "deleted": deleted,
                "verified": verified,
                "header": m.settings,
                "tfidf": m.tfidf,
                "segments": segments,
                "templates_in_manifest": archive.stores_templates()?,
            });
            serde_json::to_writer(&mut *w, &v)?;
            writeln!(w)?;
        }
        CompareFormat::Text => {
            let h = &m.settings;
            writeln!(w, "index            {} (folder)", archive.path().display())?;
            writeln!(
                w,
                "format version   {} (segments), generation {}",
                m.format, m.generation
            )?;
            writeln!(
                w,
                "documents        {} live ({deleted} deleted, dropped by `index merge`)",
                all - deleted
            )?;
            write_settings(w, h)?;
            if h.templates.is_some() && !m.is_one_whole_segment() {
                writeln!(
                    w,
                    "                 {}",
                    match archive.stores_templates()? {
                        true => "their template shingles stored in the manifest",
                        false =>
                            "their template shingles learnt at the first query (the next commit stores them)",
                    }
                )?;
            }
            writeln!(w, "tf-idf           tf {:?}", m.tfidf.tf_weight())?;
            writeln!(
                w,
                "checksums        {}",
                if verified {
                    "every segment verified"
                } else {
                    "checked on read (--verify checks all)"
                }
            )?;
            writeln!(w, "segments         {}", m.segments.len())?;
            for (s, i) in m.segments.iter().zip(archive.segment_indexes()) {
                writeln!(
                    w,
                    "  {:<18} {:>10} documents {:>8} deleted {:>14} bytes",
                    s.file,
                    s.documents,
                    s.deleted,
                    i.file().len()
                )?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct QueryRow<'a> {
    kind: &'static str,
    rank: usize,
    id: Id<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jaccard: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    containment: Option<f64>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    kind_of_match: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cosine: Option<f64>,
    outlet: Option<&'a str>,
    date: Option<&'a str>,
    title: Option<&'a str>,
}

/// Writes a query's results.
pub fn write_query(
    w: &mut (impl Write + ?Sized),
    index: &neardup::Archive,
    r: &neardup::QueryResult,
    format: QueryFormat,
) -> Result<()> {
    let dup_meta: Vec<DocMeta> = r
        .duplicates
        .iter()
        .map(|m| index.doc(m.doc))
        .collect::<Result<_, _>>()?;
    let rel_meta: Vec<DocMeta> = r
        .related
        .iter()
        .map(|n| index.doc(n.doc))
        .collect::<Result<_, _>>()?;
    let match_name = |k: MatchKind| match k {
        MatchKind::Jaccard => "jaccard",
        MatchKind::Containment => "containment",
    };
    let mut rows: Vec<QueryRow<'_>> = Vec::new();
    for (i, (m, d)) in r.duplicates.iter().zip(&dup_meta).enumerate() {
        rows.push(QueryRow {
            kind: "duplicate",
            rank: i + 1,
            id: Id(d),
            jaccard: Some(round(m.jaccard)),
            containment: Some(round(m.containment)),
            kind_of_match: Some(match_name(m.kind)),
            cosine: None,
            outlet: d.outlet.as_deref(),
            date: d.date.as_deref(),
            title: d.title.as_deref(),
        });
    }
    for (i, (n, d)) in r.related.iter().zip(&rel_meta).enumerate() {
        rows.push(QueryRow {
            kind: "related",
            rank: i + 1,
            id: Id(d),
            jaccard: None,
            containment: None,
            kind_of_match: None,
            cosine: Some(round(f64::from(n.cosine))),
            outlet: d.outlet.as_deref(),
            date: d.date.as_deref(),
            title: d.title.as_deref(),
        });
    }
    match format {
        QueryFormat::Jsonl => {
            for row in &rows {
                serde_json::to_writer(&mut *w, row)?;
                writeln!(w)?;
            }
        }
        QueryFormat::Tsv => {
            writeln!(
                w,
                "kind\tid\trank\tjaccard\tcontainment\tcosine\toutlet\tdate\ttitle"
            )?;
            let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
            let text = |v: Option<&str>| v.map_or(String::new(), |s| tsv_cell(s).into_owned());
            for (row, d) in rows.iter().zip(dup_meta.iter().chain(&rel_meta)) {
                writeln!(
                    w,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    row.kind,
                    tsv_cell(&d.id),
                    row.rank,
                    num(row.jaccard),
                    num(row.containment),
                    num(row.cosine),
                    text(row.outlet),
                    text(row.date),
                    text(row.title)
                )?;
            }
        }
        QueryFormat::Text => {
            // One set of columns for both lists, so ids, outlets and dates line up.
            let all: Vec<&DocMeta> = dup_meta.iter().chain(&rel_meta).collect();
            let columns = Columns::of(&all);
            let label = |d: &DocMeta| columns.line(d).trim().to_string();
            let set_aside = match r.set_aside {
                0 => String::new(),
                n => {
                    format!("; {n} set aside as sharing only a template or reporting other figures")
                }
            };
            writeln!(
                w,
                "near-duplicates: {} ({} candidates checked{set_aside})",
                r.duplicates.len(),
                r.candidates
            )?;
            for (i, (m, d)) in r.duplicates.iter().zip(&dup_meta).enumerate() {
                writeln!(
                    w,
                    "  {:>2}. jaccard {:.3}  containment {:.3}  {}",
                    i + 1,
                    m.jaccard,
                    m.containment,
                    label(d)
                )?;
            }
            writeln!(w, "related (tf-idf cosine): {}", r.related.len())?;
            for (i, (n, d)) in r.related.iter().zip(&rel_meta).enumerate() {
                writeln!(w, "  {:>2}. cosine {:.3}  {}", i + 1, n.cosine, label(d))?;
            }
        }
    }
    Ok(())
}

/// Writes the shared passages of two texts, then both texts with the passages highlighted:
/// in colour (`colour`) or marked `[[n ... ]]`.
pub fn write_passages(
    w: &mut (impl Write + ?Sized),
    text_a: &str,
    text_b: &str,
    al: &neardup::Alignment,
    colour: bool,
) -> Result<()> {
    writeln!(
        w,
        "shared passages     {} (cover {:.1}% of A, {:.1}% of B)",
        al.passages.len(),
        100.0 * al.coverage_a,
        100.0 * al.coverage_b
    )?;
    for (n, p) in al.passages.iter().enumerate() {
        writeln!(
            w,
            "  {}: A {}..{} ({} words), B {}..{} ({} words), {} words matched exactly",
            n + 1,
            p.a.start,
            p.a.end,
            p.words_a,
            p.b.start,
            p.b.end,
            p.words_b,
            p.matched
        )?;
    }
    for (label, text, ranges) in [
        (
            "A",
            text_a,
            al.passages.iter().map(|p| p.a.clone()).collect::<Vec<_>>(),
        ),
        (
            "B",
            text_b,
            al.passages.iter().map(|p| p.b.clone()).collect::<Vec<_>>(),
        ),
    ] {
        writeln!(w)?;
        writeln!(w, "--- {label}")?;
        // Passages are numbered in A's order; show them in each text's order.
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        order.sort_by_key(|&i| ranges[i].start);
        let mut at = 0;
        for i in order {
            let r = &ranges[i];
            w.write_all(&text.as_bytes()[at..r.start])?;
            if colour {
                w.write_all(super::output::HIGHLIGHT.0)?;
                w.write_all(&text.as_bytes()[r.clone()])?;
                w.write_all(super::output::HIGHLIGHT.1)?;
            } else {
                write!(w, "[[{} {}]]", i + 1, &text[r.clone()])?;
            }
            at = r.end;
        }
        w.write_all(&text.as_bytes()[at..])?;
        writeln!(w)?;
    }
    Ok(())
}

/// The report as text: each story with its outlets, first publisher and copies.
pub fn write_report_text(
    w: &mut dyn Write,
    r: &neardup::Report,
    docs: &[DocMeta],
) -> io::Result<()> {
    let outlet = |d: u32| docs[d as usize].outlet.as_deref().unwrap_or("(unknown)");
    writeln!(
        w,
        "{}, {} with two or more articles, {}",
        plural(r.documents, "document"),
        plural(r.stories.len(), "story"),
        plural(r.matrix.outlets.len(), "outlet")
    )?;
    for s in &r.stories {
        let first = &docs[s.first as usize];
        writeln!(w)?;
        writeln!(w, "story {}: {}", s.story, s.headline)?;
        writeln!(
            w,
            "  {}, {}; first: {} {} {}",
            plural(s.articles.len(), "article"),
            outlets_of(&s.outlets),
            outlet(s.first),
            first.id,
            shown_date(first).unwrap_or("(undated)".into())
        )?;
        for c in &s.copies {
            let shared = format!(
                "jaccard {:.2}, {} cover {:.0}%",
                c.jaccard,
                plural(c.passages.len(), "passage"),
                100.0 * c.coverage_copy
            );
            let (a, b) = (
                format!("{} {}", outlet(c.source), docs[c.source as usize].id),
                format!("{} {}", outlet(c.copy), docs[c.copy as usize].id),
            );
            match &c.common_source {
                None => writeln!(w, "  copy: {b} <- {a}  {shared} of the copy")?,
                Some(neardup::report::CommonSource::Agency(agency)) => writeln!(
                    w,
                    "  common source: {a} and {b} both from {agency}  {shared} of the later"
                )?,
                Some(neardup::report::CommonSource::Earlier(e)) => writeln!(
                    w,
                    "  common source: {a} and {b} both later than {} {}  {shared} of the later",
                    outlet(*e),
                    docs[*e as usize].id
                )?,
            }
        }
    }
    if !r.related.is_empty() {
        writeln!(w)?;
        writeln!(w, "related coverage (different stories, cosine):")?;
        for x in r.related.iter().take(20) {
            writeln!(
                w,
                "  {:.2}  {} (story {})  ~  {} (story {})",
                x.cosine, docs[x.a as usize].id, x.story_a, docs[x.b as usize].id, x.story_b
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{outlets_of, shorten};

    #[test]
    fn a_storys_outlets_read_without_nested_brackets() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(outlets_of(&names(&["(unknown)"])), "outlet unknown");
        assert_eq!(outlets_of(&names(&["Wire"])), "1 outlet (Wire)");
        assert_eq!(
            outlets_of(&names(&["(unknown)", "Herald", "Wire"])),
            "3 outlets (unknown, Herald, Wire)"
        );
    }

    #[test]
    fn long_titles_end_in_an_ellipsis_and_short_ones_stay() {
        assert_eq!(shorten("Rates up", 60), "Rates up");
        let long = "word ".repeat(20);
        let cut = shorten(&long, 20);
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with("word…"), "{cut}");
        assert_eq!(shorten("two\nlines", 60), "two lines");
    }
}
