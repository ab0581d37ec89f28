//! The report as one self-contained HTML page (inline CSS, no scripts, no network).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
use neardup::corpus::{day_number, shown_date};
use neardup::{DocMeta, Report, report::StoryReport};

const CSS: &str = r#"
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#f7f8fa; --accent:#1f5fa8; --mark:#ffe28a; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:20px 32px; }
header h1 { margin:0 0 4px; font-size:22px; }
header p { margin:0; color:var(--muted); }
main { padding:8px 32px 40px; max-width:1280px; }
h2 { font-size:18px; margin:28px 0 10px; }
.stats { display:flex; gap:12px; flex-wrap:wrap; margin-top:12px; }
.stat { background:var(--bg); border:1px solid var(--line); border-radius:8px; padding:6px 12px; }
.stat b { font-size:18px; display:block; }
table { border-collapse:collapse; background:#fff; }
th, td { border:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
td:first-child { white-space:nowrap; }
th { background:#eef1f5; font-weight:600; }
.heat td { text-align:center; min-width:44px; }
.heat th.row { text-align:right; }
.story { background:#fff; border:1px solid var(--line); border-radius:10px; margin:12px 0; }
.story > summary { cursor:pointer; padding:12px 16px; list-style:none; }
.story > summary::-webkit-details-marker { display:none; }
.story > summary h3 { margin:0; font-size:16px; }
.story .meta { color:var(--muted); font-size:13px; }
.story .body { padding:0 16px 16px; }
.badge { display:inline-block; border-radius:10px; padding:0 8px; font-size:12px; background:#e7eefb; color:var(--accent); margin-left:6px; }
.first { background:#e3f4e6; color:#1b6b2e; }
.copy { border-top:1px dashed var(--line); margin-top:14px; padding-top:10px; }
.pair { display:grid; grid-template-columns:1fr 1fr; gap:12px; margin-top:8px; }
.pair .text { background:var(--bg); border:1px solid var(--line); border-radius:6px; padding:8px 10px; max-height:320px; overflow:auto; white-space:pre-wrap; font-size:13.5px; }
.pair h4 { margin:0 0 4px; font-size:13px; color:var(--muted); font-weight:600; }
mark { background:var(--mark); padding:0 1px; border-radius:2px; }
mark.p1 { background:#bfe8c6; } mark.p2 { background:#c9dcf7; } mark.p3 { background:#f6cfe0; }
svg.timeline { display:block; margin:8px 0 4px; }
.legend { color:var(--muted); font-size:13px; }
"#;

fn outlet(d: &DocMeta) -> &str {
    d.outlet.as_deref().unwrap_or("(unknown)")
}

/// The page, with at most `limit` stories (the largest; 0 for all).
pub fn render(
    report: &Report,
    docs: &[DocMeta],
    texts: &[String],
    title: &str,
    limit: usize,
    matrix_outlets: usize,
) -> String {
    let mut h = String::with_capacity(1 << 16);
    let copies: usize = report.stories.iter().map(|s| s.copies.len()).sum();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body>\n<header><h1>{}</h1>\
         <p>Which outlets carried the same story, who published first, and the text they share.</p>\
         <div class=\"stats\"><div class=\"stat\"><b>{}</b>articles</div>\
         <div class=\"stat\"><b>{}</b>stories with two or more articles</div>\
         <div class=\"stat\"><b>{}</b>outlets</div><div class=\"stat\"><b>{}</b>copies</div></div>\
         </header>\n<main>\n",
        esc(title),
        esc(title),
        report.documents,
        report.stories.len(),
        report.matrix.outlets.len(),
        copies
    );
    heatmap(&mut h, report, matrix_outlets);
    h.push_str(
        "<h2>Stories</h2><p class=\"legend\">Largest first. Open a story for its timeline, \
         its articles, and each copy beside its likely source with the shared passages \
         <mark>highlighted</mark>.</p>\n",
    );
    let shown = if limit == 0 {
        report.stories.len()
    } else {
        limit.min(report.stories.len())
    };
    if shown < report.stories.len() {
        let _ = write!(
            h,
            "<p class=\"legend\">Showing the {shown} largest of {} stories (the outlet matrix \
             counts them all); <code>--html-stories 0</code> shows every story, and \
             <code>--output-format json</code> writes the whole report.</p>",
            report.stories.len()
        );
    }
    for (i, s) in report.stories.iter().take(shown).enumerate() {
        story(&mut h, s, docs, texts, i < 3);
    }
    let shown: HashSet<u32> = report.stories.iter().take(shown).map(|s| s.story).collect();
    related(&mut h, report, docs, &shown);
    h.push_str("</main></body></html>\n");
    h
}

/// The outlet x outlet heatmap, over the `cap` outlets with the most stories (0: all).
fn heatmap(h: &mut String, report: &Report, cap: usize) {
    let m = &report.matrix;
    if m.outlets.is_empty() {
        return;
    }
    let mut rows: Vec<usize> = (0..m.outlets.len()).collect();
    if cap > 0 && rows.len() > cap {
        rows.sort_by_key(|&i| (std::cmp::Reverse(m.shared_stories[i][i]), i));
        rows.truncate(cap);
        rows.sort_unstable();
    }
    let max = rows
        .iter()
        .flat_map(|&i| rows.iter().filter(move |&&j| j != i).map(move |&j| (i, j)))
        .map(|(i, j)| m.shared_stories[i][j])
        .max()
        .unwrap_or(0)
        .max(1);
    let _ = write!(
        h,
        "<h2>Outlets</h2><p class=\"legend\">Each cell: stories both outlets carried (shade), \
         and in brackets the copies in which the row's outlet reused text first published by \
         the column's outlet. The diagonal counts each outlet's stories.</p>"
    );
    if rows.len() < m.outlets.len() {
        let _ = write!(
            h,
            "<p class=\"legend\">The {} outlets with the most stories of {} \
             (<code>--matrix-outlets</code>; the JSON report has every outlet).</p>",
            rows.len(),
            m.outlets.len()
        );
    }
    h.push_str("<table class=\"heat\"><tr><th></th>");
    for &j in &rows {
        let _ = write!(h, "<th>{}</th>", esc(&m.outlets[j]));
    }
    h.push_str("</tr>\n");
    for &i in &rows {
        let o = &m.outlets[i];
        let _ = write!(h, "<tr><th class=\"row\">{}</th>", esc(o));
        for &j in &rows {
            let v = m.shared_stories[i][j];
            let c = m.copied[i][j];
            let style = if i == j {
                "background:#eef1f5".to_string()
            } else {
                format!(
                    "background:rgba(31,95,168,{:.2})",
                    0.08 + 0.8 * v as f64 / max as f64
                ) + if v as f64 / max as f64 > 0.55 {
                    ";color:#fff"
                } else {
                    ""
                }
            };
            let copied = if c > 0 {
                format!(" ({c})")
            } else {
                String::new()
            };
            let tip = format!(
                "{} and {}: {v} shared stories, {c} copies by {} of {}",
                o, m.outlets[j], o, m.outlets[j]
            );
            let _ = write!(
                h,
                "<td style=\"{style}\" title=\"{}\">{v}{copied}</td>",
                attr(&tip)
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
}

fn timeline(h: &mut String, s: &StoryReport) {
    let days: Vec<(i64, &str)> = s
        .articles
        .iter()
        .filter_map(|a| {
            Some((
                day_number(a.date.as_deref()?)?,
                a.outlet.as_deref().unwrap_or("(unknown)"),
            ))
        })
        .collect();
    if days.is_empty() {
        return;
    }
    let (lo, hi) = (
        days.iter().map(|d| d.0).min().unwrap_or(0),
        days.iter().map(|d| d.0).max().unwrap_or(0),
    );
    let span = (hi - lo).max(1) as f64;
    let (w, row) = (760.0, 18.0);
    let height = 30.0 + row * days.len() as f64;
    let _ = write!(
        h,
        "<svg class=\"timeline\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" \
         role=\"img\" aria-label=\"timeline\"><line x1=\"150\" y1=\"12\" x2=\"{}\" y2=\"12\" \
         stroke=\"#9aa3b2\"/>",
        w - 20.0
    );
    let x = |d: i64| 150.0 + (w - 190.0) * (d - lo) as f64 / span;
    let (first, last) = s.dates.clone().unwrap_or_default();
    let _ = write!(
        h,
        "<text x=\"150\" y=\"8\" font-size=\"10\" fill=\"#5b6475\">{}</text>\
         <text x=\"{}\" y=\"8\" font-size=\"10\" fill=\"#5b6475\" text-anchor=\"end\">{}</text>",
        esc(&first),
        w - 20.0,
        esc(&last)
    );
    for (k, (d, o)) in days.iter().enumerate() {
        let y = 28.0 + row * k as f64;
        let colour = if k == 0 { "#1b6b2e" } else { "#1f5fa8" };
        let _ = write!(
            h,
            "<text x=\"140\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <line x1=\"150\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e3e6ec\"/>\
             <circle cx=\"{}\" cy=\"{y}\" r=\"5\" fill=\"{colour}\"/>",
            y + 4.0,
            esc(o),
            w - 20.0,
            x(*d)
        );
    }
    h.push_str("</svg>\n");
}

/// The text with each passage marked; passage `n` gets colour `n mod 4` in both texts, so
/// reordered passages can be matched by eye (the number is in the tooltip).
fn marked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut r: Vec<(usize, &std::ops::Range<usize>)> = ranges.iter().enumerate().collect();
    r.sort_by_key(|x| x.1.start);
    let mut out = String::new();
    let mut at = 0;
    for (n, x) in r {
        if x.start < at || x.end > text.len() {
            continue;
        }
        out.push_str(&esc(&text[at..x.start]));
        let _ = write!(
            out,
            "<mark class=\"p{}\" title=\"passage {}\">{}</mark>",
            n % 4,
            n + 1,
            esc(&text[x.clone()])
        );
        at = x.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

fn story(h: &mut String, s: &StoryReport, docs: &[DocMeta], texts: &[String], open: bool) {
    let first = &docs[s.first as usize];
    let dates = match &s.dates {
        Some((a, b)) if a != b => format!(", {a} to {b}"),
        Some((a, _)) => format!(", {a}"),
        None => String::new(),
    };
    let _ = write!(
        h,
        "<details class=\"story\" id=\"story-{}\"{}><summary><h3><a href=\"#story-{}\">Story {}</a>: \
         {}</h3><div class=\"meta\">{}, {}{dates}. First: <b>{}</b>{}{}</div>\
         </summary><div class=\"body\">",
        s.story,
        if open { " open" } else { "" },
        s.story,
        s.story,
        esc(&s.headline),
        super::render::plural(s.articles.len(), "article"),
        esc(&super::render::outlets_of(&s.outlets)),
        esc(outlet(first)),
        match day(first, "") {
            d if d.is_empty() => String::new(),
            d => format!(" on {}", esc(&d)),
        },
        if s.copies.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"badge\">{} copies</span>", s.copies.len())
        }
    );
    timeline(h, s);
    h.push_str("<table><tr><th>date</th><th>outlet</th><th>article</th><th>copy of</th></tr>\n");
    for (k, a) in s.articles.iter().enumerate() {
        let src = s
            .copies
            .iter()
            .find(|c| c.copy == a.doc)
            .map(|c| {
                let d = &docs[c.source as usize];
                let from = match &c.common_source {
                    None => String::new(),
                    Some(neardup::report::CommonSource::Agency(a)) => {
                        format!("common source ({}): ", esc(a))
                    }
                    Some(neardup::report::CommonSource::Earlier(_)) => {
                        "common source, like ".to_string()
                    }
                };
                format!(
                    "{from}{} ({}), {:.0}% of its text",
                    esc(outlet(d)),
                    esc(&d.id),
                    100.0 * c.coverage_copy
                )
            })
            .unwrap_or_default();
        let name = a.title.clone().unwrap_or_else(|| a.id.clone());
        let link = match &a.url {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                format!("<a href=\"{}\">{}</a>", attr(u), esc(&name))
            }
            _ => esc(&name).into_owned(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}{}</td><td>{link} <span class=\"meta\">{}</span></td><td>{src}</td></tr>",
            esc(&day(&docs[a.doc as usize], "")),
            esc(a.outlet.as_deref().unwrap_or("(unknown)")),
            if k == 0 {
                "<span class=\"badge first\">first</span>"
            } else {
                ""
            },
            esc(&a.id)
        );
    }
    h.push_str("</table>\n");
    for c in &s.copies {
        let (sd, cd) = (&docs[c.source as usize], &docs[c.copy as usize]);
        let relation = match &c.common_source {
            None => "reused text of".to_string(),
            Some(neardup::report::CommonSource::Agency(a)) => {
                format!("ran the same {} story as", esc(a))
            }
            Some(neardup::report::CommonSource::Earlier(e)) => format!(
                "may share a source (both are later than {}, {}) with",
                esc(outlet(&docs[*e as usize])),
                esc(&docs[*e as usize].id)
            ),
        };
        let _ = write!(
            h,
            "<div class=\"copy\"><b>{}</b> ({}) {relation} <b>{}</b> ({}): Jaccard {:.2}, \
             {:.0}% of its shingles in the source; {} shared passage{} cover {:.0}% of the copy \
             and {:.0}% of the source.<div class=\"pair\"><div><h4>source: {} · {}</h4>\
             <div class=\"text\">{}</div></div><div><h4>copy: {} · {}</h4><div class=\"text\">{}\
             </div></div></div></div>",
            esc(outlet(cd)),
            esc(&day(cd, "undated")),
            esc(outlet(sd)),
            esc(&day(sd, "undated")),
            c.jaccard,
            100.0 * c.copy_in_source,
            c.passages.len(),
            if c.passages.len() == 1 { "" } else { "s" },
            100.0 * c.coverage_copy,
            100.0 * c.coverage_source,
            esc(outlet(sd)),
            esc(&sd.id),
            marked(
                &texts[c.source as usize],
                &c.passages.iter().map(|p| p.a.clone()).collect::<Vec<_>>()
            ),
            esc(outlet(cd)),
            esc(&cd.id),
            marked(
                &texts[c.copy as usize],
                &c.passages.iter().map(|p| p.b.clone()).collect::<Vec<_>>()
            ),
        );
    }
    h.push_str("</div></details>\n");
}

fn related(h: &mut String, report: &Report, docs: &[DocMeta], shown: &HashSet<u32>) {
    if report.related.is_empty() {
        return;
    }
    h.push_str(
        "<h2>Related coverage</h2><p class=\"legend\">Articles in different stories that \
         share vocabulary (TF-IDF cosine): the same people or subject, but not the same event \
         and not copied text.</p><table><tr><th>cosine</th><th>article</th><th>story</th>\
         <th>article</th><th>story</th></tr>\n",
    );
    let link = |n: u32| {
        if shown.contains(&n) {
            format!("<a href=\"#story-{n}\">{n}</a>")
        } else {
            n.to_string()
        }
    };
    for r in report.related.iter().take(50) {
        let (a, b) = (&docs[r.a as usize], &docs[r.b as usize]);
        let _ = writeln!(
            h,
            "<tr><td>{:.2}</td><td>{} · {} · {}</td><td>{}</td><td>{} · {} · {}</td><td>{}</td></tr>",
            r.cosine,
            esc(outlet(a)),
            esc(&day(a, "")),
            esc(a.title.as_deref().unwrap_or(&a.id)),
            link(r.story_a),
            esc(outlet(b)),
            esc(&day(b, "")),
            esc(b.title.as_deref().unwrap_or(&b.id)),
            link(r.story_b)
        );
    }
    h.push_str("</table>\n");
}

/// A document's date as listings show it (the day it stands for, or as written when it
/// cannot be read: see [`shown_date`]), or `none` when it is undated.
fn day<'a>(d: &'a DocMeta, none: &'a str) -> Cow<'a, str> {
    match shown_date(d) {
        Some(Cow::Borrowed(raw)) => super::render::shorten(raw, 10),
        Some(owned) => owned,
        None => Cow::Borrowed(none),
    }
}
