//! The overlap report: per story, its outlets, dates and first publisher, its copies and
//! who likely copied whom, with the passages they share; an outlet × outlet matrix of
//! shared stories and copied text; and related coverage across stories.
//!
//! Pure data: built from what the pipeline computed (documents, texts, copy pairs, copy
//! clusters, stories, nearest neighbours by cosine); rendering (text, JSON, HTML) is the
//! caller's.

use std::collections::BTreeMap;

use serde::Serialize;

use super::align::{Aligner, Passage};
use crate::cluster::Story;
use crate::cluster::VerifiedPair;
use crate::corpus::{DocMeta, dated_span, publication_key, shown_day};
use crate::minhash::Overlap;
use crate::shingle::PackedSets;
use crate::text::Analyzer;
use crate::tfidf::Neighbour;

/// Default lowest cosine for two stories to be listed as related coverage.
pub const DEFAULT_RELATED_MIN_COSINE: f32 = 0.2;

/// What a report holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportOptions {
    /// Keep only stories carried by two or more outlets, and copies across outlets.
    pub cross_outlet_only: bool,
    /// Lowest cosine for related coverage.
    pub related_min_cosine: f32,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            cross_outlet_only: false,
            related_min_cosine: DEFAULT_RELATED_MIN_COSINE,
        }
    }
}

/// One article in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// Document number (input order).
    pub doc: u32,
    /// Its id.
    pub id: String,
    /// Outlet, if known.
    pub outlet: Option<String>,
    /// Date as given.
    pub date: Option<String>,
    /// Title, if known.
    pub title: Option<String>,
    /// URL, if known.
    pub url: Option<String>,
    /// The copy cluster it belongs to, if any.
    pub copies: Option<u32>,
}

/// A copy: a later article that reuses an earlier one's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyLink {
    /// The earlier article (document number).
    pub source: u32,
    /// The later article.
    pub copy: u32,
    /// Exact Jaccard of their shingle sets.
    pub jaccard: f64,
    /// Share of the copy's shingles found in the source.
    pub copy_in_source: f64,
    /// Passages they share (`a` in the source, `b` in the copy).
    pub passages: Vec<Passage>,
    /// Share of the source's words inside a passage.
    pub coverage_source: f64,
    /// Share of the copy's words inside a passage.
    pub coverage_copy: f64,
    /// When the two more likely both come from a third source than one from the other:
    /// `None` for a copy.
    pub common_source: Option<CommonSource>,
}

/// Why two articles that share text are shown as coming from a common source rather than
/// one copied from the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommonSource {
    /// The later article credits a news agency (and the earlier one is not that agency):
    /// both ran the agency's story.
    Agency(String),
    /// An article of the story published before both holds the later one's text as well
    /// (within [`COMMON_SOURCE_MARGIN`]): both may come from it.
    Earlier(u32),
}

/// How much more of a copy's text the likely source must hold than an earlier article
/// for the copy to be shown as taken from it rather than from a common source.
pub const COMMON_SOURCE_MARGIN: f64 = 0.05;

/// News agencies whose credit in a text marks a syndicated story: the words as they are
/// written in credit lines (`PARIS (AFP) -`, `(Reuters) -`, `— dpa`).
pub const AGENCIES: &[(&str, &str)] = &[
    ("AFP", "AFP"),
    ("Agence France-Presse", "AFP"),
    ("AP", "AP"),
    ("Associated Press", "AP"),
    ("Reuters", "Reuters"),
    ("REUTERS", "Reuters"),
    ("dpa", "dpa"),
    ("DPA", "dpa"),
    ("ANSA", "ANSA"),
    ("EFE", "EFE"),
    ("Xinhua", "Xinhua"),
    ("XINHUA", "Xinhua"),
    ("Kyodo", "Kyodo"),
    ("UPI", "UPI"),
    ("PTI", "PTI"),
    ("IANS", "IANS"),
    ("ANI", "ANI"),
    ("TASS", "TASS"),
    ("Yonhap", "Yonhap"),
    ("Bernama", "Bernama"),
    ("AAP", "AAP"),
];

/// The agency a text credits (the first of [`AGENCIES`] found as a whole word, case as
/// written), if any.
pub fn credited_agency(text: &str) -> Option<&'static str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    AGENCIES.iter().find_map(|&(word, agency)| {
        text.match_indices(word)
            .any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + word.len()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
            .then_some(agency)
    })
}

/// A story in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryReport {
    /// The story number, as `cluster --mode stories` and the HTML page show it.
    pub story: u32,
    /// A headline: the first publisher's title, else the first words of its text.
    pub headline: String,
    /// Distinct outlets, sorted.
    pub outlets: Vec<String>,
    /// Articles, earliest first (undated last; ties by input order).
    pub articles: Vec<Article>,
    /// The first publisher: the first article in that order.
    pub first: u32,
    /// The days (`YYYY-MM-DD`, UTC) of the earliest and the latest article whose date can
    /// be read; `None` when none can.
    pub dates: Option<(String, String)>,
    /// Copies, each later article linked to its most likely source.
    pub copies: Vec<CopyLink>,
}

/// Two articles in different stories with similar words (related coverage, not a copy).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// Story of the first article.
    pub story_a: u32,
    /// The first article.
    pub a: u32,
    /// Story of the second article.
    pub story_b: u32,
    /// The second article.
    pub b: u32,
    /// TF-IDF cosine.
    pub cosine: f32,
}

/// Outlet × outlet counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletMatrix {
    /// Outlets, sorted (articles without an outlet count as "(unknown)").
    pub outlets: Vec<String>,
    /// `shared_stories[i][j]`: stories carried by both outlets (diagonal: by outlet `i`).
    pub shared_stories: Vec<Vec<u32>>,
    /// `copied[i][j]`: copies where outlet `i` published text first published by outlet `j`
    /// (not counting articles shown as coming from a common source).
    pub copied: Vec<Vec<u32>>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Documents read.
    pub documents: usize,
    /// Stories listed (two or more articles, after filters), largest first.
    pub stories: Vec<StoryReport>,
    /// The outlet matrix over the listed stories.
    pub matrix: OutletMatrix,
    /// Related coverage across stories, highest cosine first.
    pub related: Vec<Related>,
}

/// What the report is built from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// Metadata of every document.
    pub docs: &'a [DocMeta],
    /// Texts of every document.
    pub texts: &'a [String],
    /// Shingle sets as fingerprints (for the direction of containment).
    pub sets: &'a PackedSets,
    /// Verified copy pairs.
    pub pairs: &'a [VerifiedPair],
    /// Stories (every document in one).
    pub stories: &'a [Story],
    /// Each document's nearest neighbours by cosine.
    pub neighbours: &'a [Vec<Neighbour>],
}

const UNKNOWN_OUTLET: &str = "(unknown)";

/// Builds the report.
pub fn build_report(
    input: ReportInput<'_>,
    aligner: &Aligner,
    analyzer: &Analyzer,
    options: &ReportOptions,
) -> Report {
    let docs = input.docs;
    let outlet_of =
        |d: u32| -> &str { docs[d as usize].outlet.as_deref().unwrap_or(UNKNOWN_OUTLET) };
    let mut story_of = vec![0u32; docs.len()];
    for s in input.stories {
        for m in &s.members {
            story_of[m.doc as usize] = s.id;
        }
    }
    // Verified pairs by document, for the sources of copies.
    let mut pairs_of: Vec<Vec<&VerifiedPair>> = vec![Vec::new(); docs.len()];
    for p in input.pairs {
        pairs_of[p.a as usize].push(p);
        pairs_of[p.b as usize].push(p);
    }
    let mut stories = Vec::new();
    // Buffers the sets of a pair are decoded into.
    let mut scratch = (Vec::new(), Vec::new());
    for s in input.stories {
        if s.members.len() < 2 {
            continue;
        }
        let mut order: Vec<u32> = s.members.iter().map(|m| m.doc).collect();
        order.sort_by(|&a, &b| {
            publication_key(&docs[a as usize], a).cmp(&publication_key(&docs[b as usize], b))
        });
        let mut outlets: Vec<String> = order.iter().map(|&d| outlet_of(d).to_string()).collect();
        outlets.sort();
        outlets.dedup();
        if options.cross_outlet_only && outlets.len() < 2 {
            continue;
        }
        let rank: BTreeMap<u32, usize> = order.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let mut copies = Vec::new();
        for &d in &order {
            // The most likely source: an earlier verified partner, by the share of this
            // article's shingles it holds, then Jaccard.
            let best = pairs_of[d as usize]
                .iter()
                .filter_map(|p| {
                    let other = if p.a == d { p.b } else { p.a };
                    (rank.get(&other)? < &rank[&d]).then_some((other, *p))
                })
                .filter(|(other, _)| {
                    !options.cross_outlet_only || outlet_of(*other) != outlet_of(d)
                })
                .map(|(other, p)| {
                    let (sd, so) = (
                        input.sets.set(d as usize, &mut scratch.0),
                        input.sets.set(other as usize, &mut scratch.1),
                    );
                    (other, p, Overlap::of_sorted(sd, so).containment_of_a())
                })
                .max_by(|x, y| {
                    x.2.total_cmp(&y.2)
                        .then(x.1.jaccard.total_cmp(&y.1.jaccard))
                        .then(rank[&y.0].cmp(&rank[&x.0]))
                });
            if let Some((source, p, share)) = best {
                let al = aligner.align(
                    analyzer,
                    &input.texts[source as usize],
                    &input.texts[d as usize],
                );
                // A credited agency, or an article before both that explains the copy
                // about as well, makes a common source the likelier story.
                let agency = credited_agency(&input.texts[d as usize])
                    .filter(|a| !outlet_of(source).to_lowercase().contains(&a.to_lowercase()));
                let earlier = pairs_of[d as usize]
                    .iter()
                    .filter_map(|p| {
                        let other = if p.a == d { p.b } else { p.a };
                        (rank.get(&other)? < &rank[&source]).then_some(other)
                    })
                    .filter(|&e| {
                        let sd = input.sets.set(d as usize, &mut scratch.0);
                        let held =
                            Overlap::of_sorted(sd, input.sets.set(e as usize, &mut scratch.1));
                        held.containment_of_a() + COMMON_SOURCE_MARGIN >= share
                    })
                    .min_by_key(|&e| rank[&e]);
                let common_source = match (agency, earlier) {
                    (Some(a), _) => Some(CommonSource::Agency(a.to_string())),
                    (None, Some(e)) => Some(CommonSource::Earlier(e)),
                    (None, None) => None,
                };
                copies.push(CopyLink {
                    source,
                    copy: d,
                    jaccard: p.jaccard,
                    copy_in_source: share,
                    passages: al.passages,
                    coverage_source: al.coverage_a,
                    coverage_copy: al.coverage_b,
                    common_source,
                });
            }
        }
        let first = order[0];
        let dates = dated_span(order.iter().map(|&d| &docs[d as usize])).map(|(a, b)| {
            let day = |m: &DocMeta| shown_day(m).unwrap_or_default();
            (day(a), day(b))
        });
        let copy_of: BTreeMap<u32, Option<u32>> =
            s.members.iter().map(|m| (m.doc, m.copies)).collect();
        stories.push(StoryReport {
            story: s.id,
            headline: headline(&docs[first as usize], &input.texts[first as usize]),
            outlets,
            articles: order
                .iter()
                .map(|&d| {
                    let m = &docs[d as usize];
                    Article {
                        doc: d,
                        id: m.id.to_string(),
                        outlet: m.outlet.as_deref().map(String::from),
                        date: m.date.as_deref().map(String::from),
                        title: m.title.as_deref().map(String::from),
                        url: m.url.as_deref().map(String::from),
                        copies: copy_of[&d],
                    }
                })
                .collect(),
            first,
            dates,
            copies,
        });
    }
    stories.sort_by(|x, y| {
        y.articles
            .len()
            .cmp(&x.articles.len())
            .then(x.story.cmp(&y.story))
    });
    let matrix = outlet_matrix(&stories, outlet_of);
    let mut related: Vec<Related> = Vec::new();
    for (a, list) in input.neighbours.iter().enumerate() {
        for n in list {
            let (a, b) = (a as u32, n.doc);
            if a < b
                && story_of[a as usize] != story_of[b as usize]
                && n.cosine >= options.related_min_cosine
            {
                related.push(Related {
                    story_a: story_of[a as usize],
                    a,
                    story_b: story_of[b as usize],
                    b,
                    cosine: n.cosine,
                });
            }
        }
    }
    related.sort_by(|x, y| {
        y.cosine
            .total_cmp(&x.cosine)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    Report {
        documents: docs.len(),
        stories,
        matrix,
        related,
    }
}

fn outlet_matrix<'d>(stories: &[StoryReport], outlet_of: impl Fn(u32) -> &'d str) -> OutletMatrix {
    let mut outlets: Vec<String> = stories.iter().flat_map(|s| s.outlets.clone()).collect();
    outlets.sort();
    outlets.dedup();
    let index: BTreeMap<&str, usize> = outlets
        .iter()
        .enumerate()
        .map(|(i, o)| (o.as_str(), i))
        .collect();
    let n = outlets.len();
    let mut shared = vec![vec![0u32; n]; n];
    let mut copied = vec![vec![0u32; n]; n];
    for s in stories {
        let ids: Vec<usize> = s.outlets.iter().map(|o| index[o.as_str()]).collect();
        for &i in &ids {
            for &j in &ids {
                shared[i][j] += 1;
            }
        }
        for c in s.copies.iter().filter(|c| c.common_source.is_none()) {
            let (i, j) = (index[outlet_of(c.copy)], index[outlet_of(c.source)]);
            copied[i][j] += 1;
        }
    }
    OutletMatrix {
        outlets,
        shared_stories: shared,
        copied,
    }
}

/// The title, else the first line's first 12 words.
fn headline(meta: &DocMeta, text: &str) -> String {
    if let Some(t) = meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().take(12).collect();
    let mut h = words.join(" ");
    if line.split_whitespace().count() > 12 {
        h.push_str(" …");
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies_are_credited_as_whole_words() {
        assert_eq!(
            credited_agency("PARIS (AFP) - The minister said"),
            Some("AFP")
        );
        assert_eq!(
            credited_agency("the minister told Reuters on Monday"),
            Some("Reuters")
        );
        assert_eq!(credited_agency("Reporting by dpa."), Some("dpa"));
        assert_eq!(credited_agency("The Associated Press reported"), Some("AP"));
        // Inside a word, or in another case, it is not a credit.
        assert_eq!(
            credited_agency("the SAFPX fund and a map of the city"),
            None
        );
        assert_eq!(credited_agency("an apple a day"), None);
        assert_eq!(credited_agency("Ap and afp"), None);
    }
    use crate::cluster::{MatchKind, StoryMember};
    use crate::shingle::{ShingleKind, Shingler, fingerprints};

    const WIRE: &str = "The central bank raised its main interest rate by half a percentage point \
        on Tuesday, citing stubborn inflation in services and a tight labour market across the region.";

    fn meta(id: &str, outlet: Option<&str>, date: Option<&str>) -> DocMeta {
        let mut d = crate::corpus::Document::new(id, "");
        d.outlet = outlet.map(Into::into);
        d.date = date.map(Into::into);
        DocMeta::of(&d, 0)
    }

    fn member(doc: u32, copies: Option<u32>) -> StoryMember {
        StoryMember {
            doc,
            copies,
            nearest: None,
        }
    }

    /// Four articles: a wire story (dated after its copy's source), a later copy of it by
    /// another outlet, an undated third in the same story, and one alone.
    fn fixture() -> (Vec<DocMeta>, Vec<String>, PackedSets) {
        let docs = vec![
            meta("herald", Some("Herald"), Some("2024-06-03")),
            meta("wire", Some("Wire"), Some("2024-06-01")),
            meta("post", Some("Post"), None),
            meta("alone", Some("Herald"), Some("2024-06-02")),
        ];
        let texts = vec![
            format!("{WIRE} Our reporter adds that markets fell."),
            WIRE.to_string(),
            "Rates went up again, the bank said; economists had expected it.".to_string(),
            "A local football club won its cup final on penalties.".to_string(),
        ];
        let analyzer = Analyzer::default();
        let shingler = Shingler::new(ShingleKind::Word(3));
        let mut sets = PackedSets::new();
        for t in &texts {
            sets.push(&fingerprints(&shingler.shingle_set(&analyzer, t)));
        }
        (docs, texts, sets)
    }

    fn report(options: &ReportOptions, neighbours: &[Vec<Neighbour>]) -> Report {
        let (docs, texts, sets) = fixture();
        let pairs = [VerifiedPair {
            a: 0,
            b: 1,
            jaccard: 0.7,
            containment: 1.0,
            kind: MatchKind::Containment,
        }];
        let stories = [
            Story {
                id: 0,
                members: vec![member(0, Some(0)), member(1, Some(0)), member(2, None)],
            },
            Story {
                id: 1,
                members: vec![member(3, None)],
            },
        ];
        let input = ReportInput {
            docs: &docs,
            texts: &texts,
            sets: &sets,
            pairs: &pairs,
            stories: &stories,
            neighbours,
        };
        build_report(input, &Aligner::default(), &Analyzer::default(), options)
    }

    #[test]
    fn first_publisher_is_the_earliest_date_and_the_copy_points_back_to_it() {
        let r = report(&ReportOptions::default(), &[]);
        assert_eq!(r.documents, 4);
        // The single-article story is not listed.
        assert_eq!(r.stories.len(), 1);
        let s = &r.stories[0];
        // Earliest first, undated last, whatever the input order.
        let order: Vec<u32> = s.articles.iter().map(|a| a.doc).collect();
        assert_eq!(order, vec![1, 0, 2]);
        assert_eq!(s.first, 1);
        assert_eq!(s.outlets, vec!["Herald", "Post", "Wire"]);
        assert_eq!(
            s.dates,
            Some(("2024-06-01".to_string(), "2024-06-03".to_string()))
        );
        assert!(s.headline.starts_with("The central bank raised"));
        assert!(s.headline.ends_with('…'));
        // The later Herald article copies the earlier wire text, which it holds whole.
        assert_eq!(s.copies.len(), 1);
        let c = &s.copies[0];
        assert_eq!((c.source, c.copy), (1, 0));
        assert!(c.copy_in_source > 0.5 && c.copy_in_source < 1.0);
        assert!(!c.passages.is_empty());
        assert!((c.coverage_source - 1.0).abs() < 1e-9);
        // Herald copied Wire once; the three outlets share one story.
        let m = &r.matrix;
        let at = |o: &str| m.outlets.iter().position(|x| x == o).unwrap();
        assert_eq!(m.copied[at("Herald")][at("Wire")], 1);
        assert_eq!(m.copied[at("Wire")][at("Herald")], 0);
        assert_eq!(m.shared_stories[at("Post")][at("Wire")], 1);
        assert_eq!(m.shared_stories[at("Herald")][at("Herald")], 1);
    }

    #[test]
    fn related_coverage_crosses_stories_above_the_cosine_floor() {
        let neighbours = vec![
            vec![Neighbour::by_cosine(3, 0.35), Neighbour::by_cosine(1, 0.9)],
            vec![Neighbour::by_cosine(3, 0.1)],
            vec![Neighbour::by_cosine(3, 0.5)],
            vec![Neighbour::by_cosine(2, 0.5)],
        ];
        let r = report(&ReportOptions::default(), &neighbours);
        // Same-story pairs, pairs under 0.2 and the reverse direction are left out.
        let got: Vec<(u32, u32, f32)> = r.related.iter().map(|x| (x.a, x.b, x.cosine)).collect();
        assert_eq!(got, vec![(2, 3, 0.5), (0, 3, 0.35)]);
        assert_eq!((r.related[0].story_a, r.related[0].story_b), (0, 1));
    }

    #[test]
    fn cross_outlet_only_drops_single_outlet_stories() {
        let (mut docs, texts, sets) = fixture();
        for d in &mut docs {
            d.outlet = Some("Herald".into());
        }
        let stories = [Story {
            id: 0,
            members: vec![member(0, None), member(2, None)],
        }];
        let input = ReportInput {
            docs: &docs,
            texts: &texts,
            sets: &sets,
            pairs: &[],
            stories: &stories,
            neighbours: &[],
        };
        let options = ReportOptions {
            cross_outlet_only: true,
            ..ReportOptions::default()
        };
        let a = Aligner::default();
        let az = Analyzer::default();
        assert!(build_report(input, &a, &az, &options).stories.is_empty());
        let all = build_report(input, &a, &az, &ReportOptions::default());
        assert_eq!(all.stories.len(), 1);
        assert!(all.stories[0].copies.is_empty());
        assert_eq!(all.matrix.outlets, vec!["Herald"]);
    }
}
