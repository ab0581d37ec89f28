//! An archive (a folder of segments) after adds, removes and merges answers queries as a
//! fresh index of its live documents does: the oracle is `write_index` of those documents.

use std::path::Path;

use neardup::store::{Archive, ArchiveSearcher, MAX_SEGMENTS, write_index};
use neardup::{Document, Index, Pipeline, QueryResult, Searcher, TfidfModel};

/// A deterministic corpus: stories of 40-80 words from a 600-word vocabulary, each with
/// some copies (a few words changed, or cut short).
fn corpus(n_stories: usize, seed: u64, prefix: &str) -> Vec<(String, String)> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = Vec::new();
    for s in 0..n_stories {
        let len = 40 + (next() % 40) as usize;
        // Zipf-like words: common ones often, rare ones seldom.
        let words: Vec<String> = (0..len)
            .map(|_| {
                let r = next() % 600;
                format!("w{}", r * r / 600)
            })
            .collect();
        out.push((format!("{prefix}{s}"), words.join(" ")));
        for c in 0..(next() % 3) {
            let mut w = words.clone();
            for _ in 0..3 {
                let i = (next() % w.len() as u64) as usize;
                w[i] = format!("v{}", next() % 900);
            }
            if c == 1 {
                w.truncate(w.len() * 3 / 4);
            }
            out.push((format!("{prefix}{s}c{c}"), w.join(" ")));
        }
    }
    out
}

fn pipeline() -> Pipeline {
    Pipeline::builder().num_perm(64).build().unwrap()
}

fn contents(p: &Pipeline, docs: &[(String, String)]) -> neardup::store::IndexContents {
    let docs: Vec<Document> = docs
        .iter()
        .map(|(id, t)| Document::new(id.as_str(), t.as_str()))
        .collect();
    p.index_contents(&docs, |_| {}).unwrap()
}

/// Results by id: duplicates (id, jaccard, containment) and related (id, cosine).
type Answer = (Vec<(String, f64, f64)>, Vec<(String, f32)>);

fn by_id(doc: impl Fn(u32) -> String, r: &QueryResult) -> Answer {
    (
        r.duplicates
            .iter()
            .map(|m| (doc(m.doc), m.jaccard, m.containment))
            .collect(),
        r.related.iter().map(|n| (doc(n.doc), n.cosine)).collect(),
    )
}

/// Equal answers: the same duplicates, and related articles with the same cosines (to
/// float rounding) whose ids agree wherever the cosines are not tied.
fn assert_same(what: &str, a: &Answer, b: &Answer) {
    assert_eq!(a.0, b.0, "{what}: duplicates differ");
    assert_eq!(a.1.len(), b.1.len(), "{what}: related lengths differ");
    for (i, (x, y)) in a.1.iter().zip(&b.1).enumerate() {
        assert!(
            (x.1 - y.1).abs() < 2e-5,
            "{what}: cosine {i}: {x:?} vs {y:?}"
        );
        let tied = |v: &Vec<(String, f32)>| {
            (i > 0 && (v[i - 1].1 - v[i].1).abs() < 1e-4)
                || (i + 1 < v.len() && (v[i + 1].1 - v[i].1).abs() < 1e-4)
        };
        if !tied(&a.1) && !tied(&b.1) {
            assert_eq!(x.0, y.0, "{what}: related {i}");
        }
    }
}

/// Checks the archive in `dir` against a fresh index of `live` for a set of queries.
fn check(dir: &Path, live: &[(String, String)], queries: &[String], what: &str) {
    let p = pipeline();
    let fresh_path = dir.parent().unwrap().join(format!("fresh-{what}.ndx"));
    let tfidf = TfidfModel::builder();
    write_index(&fresh_path, &p.index_settings(tfidf), contents(&p, live)).unwrap();
    let fresh = Index::open(&fresh_path).unwrap();
    let fs = Searcher::new(&fresh).unwrap();
    let archive = Archive::open(dir).unwrap();
    assert_eq!(archive.live(), live.len(), "{what}: live documents");
    let s = ArchiveSearcher::new(&archive).unwrap();
    let (mut duplicates, mut related) = (0, 0);
    for (qi, q) in queries.iter().enumerate() {
        let a = by_id(
            |d| archive.doc(d).unwrap().id.to_string(),
            &s.query(q, 8).unwrap(),
        );
        let b = by_id(
            |d| fresh.doc(d as usize).unwrap().id.to_string(),
            &fs.query(q, 8).unwrap(),
        );
        assert_same(&format!("{what}, query {qi}"), &a, &b);
        duplicates += a.0.len();
        related += a.1.len();
    }
    // The comparison is not of empty answers.
    assert!(
        duplicates >= queries.len() / 2 && related >= 8 * queries.len() / 2,
        "{what}"
    );
    // By id: the article itself left out, in both.
    for (id, _) in live.iter().step_by(17) {
        let da = archive.find_id(id).unwrap().unwrap();
        let db = fresh.find_id(id).unwrap().unwrap();
        let a = by_id(
            |d| archive.doc(d).unwrap().id.to_string(),
            &s.query_doc(da, 5).unwrap(),
        );
        let b = by_id(
            |d| fresh.doc(d as usize).unwrap().id.to_string(),
            &fs.query_doc(db, 5).unwrap(),
        );
        assert_same(&format!("{what}, --id {id}"), &a, &b);
    }
}

#[test]
fn adds_removes_and_merges_answer_as_a_fresh_index_of_the_live_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let p = pipeline();
    let first = corpus(120, 1, "a");
    let second = corpus(40, 2, "b");
    let third = corpus(30, 3, "c");
    // Queries: stored texts (their copies are found) and new texts.
    let mut queries: Vec<String> = first
        .iter()
        .chain(&second)
        .step_by(23)
        .map(|d| d.1.clone())
        .collect();
    queries.extend(corpus(6, 9, "q").into_iter().map(|d| d.1));

    Archive::create(
        &dir,
        &p.index_settings(TfidfModel::builder()),
        contents(&p, &first),
    )
    .unwrap();
    let mut live: Vec<(String, String)> = first.clone();
    check(&dir, &live, &queries, "built");

    let m = Archive::add(&dir, contents(&p, &second)).unwrap();
    assert_eq!(m.segments.len(), 2);
    live.extend(second.iter().cloned());
    check(&dir, &live, &queries, "added");

    // Remove some of each segment (and an id that is not there).
    let gone: Vec<String> = live.iter().step_by(5).map(|d| d.0.clone()).collect();
    // (An id twice, and a missing one twice: each counts once.)
    let mut ask = gone.clone();
    ask.extend([gone[0].clone(), "nope".into(), "nope".into()]);
    let (m, missing) = Archive::remove(&dir, &ask).unwrap();
    assert_eq!(missing, ["nope"]);
    assert_eq!(m.documents().1, gone.len());
    live.retain(|d| !gone.contains(&d.0));
    check(&dir, &live, &queries, "removed");

    // A removed id can be added again; an id still live cannot.
    let again = vec![live[0].clone()];
    assert!(Archive::add(&dir, contents(&p, &again)).is_err());
    Archive::add(&dir, contents(&p, &third)).unwrap();
    live.extend(third.iter().cloned());
    check(&dir, &live, &queries, "added again");

    let m = Archive::merge(&dir).unwrap();
    assert_eq!(m.segments.len(), 1);
    assert_eq!(m.documents(), (live.len(), 0));
    check(&dir, &live, &queries, "merged");
    // Only the manifest, the lock and the one segment are left.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["manifest.ndx", &m.segments[0].file, "writer.lock"]);
}

#[test]
fn many_small_adds_are_merged_down_to_the_segment_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let p = pipeline();
    let all = corpus(150, 4, "d");
    let (head, rest) = all.split_at(60);
    Archive::create(
        &dir,
        &p.index_settings(TfidfModel::builder()),
        contents(&p, head),
    )
    .unwrap();
    for part in rest.chunks(7) {
        let m = Archive::add(&dir, contents(&p, part)).unwrap();
        assert!(m.segments.len() <= MAX_SEGMENTS);
    }
    let queries: Vec<String> = all.iter().step_by(19).map(|d| d.1.clone()).collect();
    check(&dir, &all, &queries, "small adds");
    // Document order is input order.
    let archive = Archive::open(&dir).unwrap();
    let ids: Vec<String> = (0..archive.len() as u32)
        .map(|d| archive.doc(d).unwrap().id.to_string())
        .collect();
    assert_eq!(ids, all.iter().map(|d| d.0.clone()).collect::<Vec<_>>());
}

/// `query_doc_among` (what a feed had seen when an article arrived) answers as `query_doc`
/// with every document asked for, then filtered and cut to `k`: on one plain segment and
/// on several with deletions.
#[test]
fn a_query_among_some_documents_is_the_full_answer_filtered() {
    let tmp = tempfile::tempdir().unwrap();
    let p = pipeline();
    let first = corpus(60, 4, "a");
    let second = corpus(30, 5, "b");
    let plain = tmp.path().join("plain");
    let mut all = first.clone();
    all.extend(second.iter().cloned());
    Archive::create(
        &plain,
        &p.index_settings(TfidfModel::builder()),
        contents(&p, &all),
    )
    .unwrap();
    let segmented = tmp.path().join("segmented");
    Archive::create(
        &segmented,
        &p.index_settings(TfidfModel::builder()),
        contents(&p, &first),
    )
    .unwrap();
    Archive::add(&segmented, contents(&p, &second)).unwrap();
    let gone: Vec<String> = first.iter().step_by(7).map(|d| d.0.clone()).collect();
    Archive::remove(&segmented, &gone).unwrap();
    for dir in [&plain, &segmented] {
        let archive = Archive::open(dir).unwrap();
        let s = ArchiveSearcher::new(&archive).unwrap();
        let n = archive.len() as u32;
        let (mut duplicates, mut related) = (0, 0);
        for d in (1..n).step_by(3) {
            if archive.is_deleted(d).unwrap() {
                continue;
            }
            // Earlier documents only, and not every third one.
            let visible = |x: u32| x < d && x % 3 != 1;
            let id = |x: u32| archive.doc(x).unwrap().id.to_string();
            let a = by_id(id, &s.query_doc_among(d, 4, &visible).unwrap());
            let mut full = s.query_doc(d, n as usize).unwrap();
            full.duplicates.retain(|m| visible(m.doc));
            full.related.retain(|r| visible(r.doc));
            full.related.truncate(4);
            let b = by_id(id, &full);
            assert_same(&format!("{}, doc {d}", dir.display()), &a, &b);
            assert!(a.0.iter().chain(&b.0).all(|m| m.0 != id(d)));
            duplicates += a.0.len();
            related += a.1.len();
        }
        assert!(duplicates > 5 && related > 50, "{duplicates} {related}");
    }
}

/// An archive of several segments (or with deletions) keeps the template shingles of its
/// live documents in its manifest, written at each commit: the ones a query would learn
/// from the stored shingle sets and figures (what a manifest written before they were
/// stored gets: the same query answers). One whole segment reads its own.
#[test]
fn commits_store_the_template_shingles_a_query_would_learn() {
    use neardup::store::Manifest;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let p = pipeline();
    let manifest = dir.join("manifest.ndx");
    let size = |path: &Path| std::fs::metadata(path).unwrap().len();
    // A story every document opens with: shingles common to all, a template.
    let with_template = |docs: Vec<(String, String)>| -> Vec<(String, String)> {
        docs.into_iter()
            .map(|(id, t)| (id, format!("the weekly wire bulletin reports that {t}")))
            .collect()
    };
    let first = with_template(corpus(60, 1, "a"));
    let second = with_template(corpus(30, 2, "b"));
    Archive::create(
        &dir,
        &p.index_settings(TfidfModel::builder()),
        contents(&p, &first),
    )
    .unwrap();
    // One whole segment: its own template shingles, none in the manifest.
    let alone = size(&manifest);
    let one = Archive::open(&dir).unwrap();
    let own = one.templates().unwrap().expect("figures are kept").clone();
    assert!(!own.is_empty());
    drop(one);

    let learnt_and_stored = |what: &str| {
        let stored = Archive::open(&dir)
            .unwrap()
            .templates()
            .unwrap()
            .expect("figures are kept")
            .clone();
        let with = size(&manifest);
        assert!(
            with > alone,
            "{what}: the manifest holds them ({with} bytes)"
        );
        assert!(Archive::open(&dir).unwrap().stores_templates().unwrap());
        // As an older neardup commits: the same state, no template sections.
        let m = Manifest::read(&dir).unwrap();
        m.commit(&dir, None).unwrap();
        assert!(size(&manifest) < with, "{what}");
        assert!(!Archive::open(&dir).unwrap().stores_templates().unwrap());
        let learnt = Archive::open(&dir)
            .unwrap()
            .templates()
            .unwrap()
            .expect("figures are kept")
            .clone();
        assert_eq!(stored, learnt, "{what}");
        stored
    };
    Archive::add(&dir, contents(&p, &second)).unwrap();
    let two = learnt_and_stored("two segments");
    assert_ne!(two, own, "the second segment's documents count");
    let gone: Vec<String> = first.iter().step_by(3).map(|d| d.0.clone()).collect();
    Archive::remove(&dir, &gone).unwrap();
    learnt_and_stored("with deletions");
    // Merged into one whole segment again: its own, and none in the manifest.
    Archive::merge(&dir).unwrap();
    assert!(size(&manifest) <= alone + 64);
    assert!(!Archive::open(&dir).unwrap().stores_templates().unwrap());
    assert!(Archive::open(&dir).unwrap().templates().unwrap().is_some());
}
