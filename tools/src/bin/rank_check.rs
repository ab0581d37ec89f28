//! Checks `neardup rank`'s all-pairs top-k against brute force on a sample: vectorises a
//! corpus as `rank` does (plain cosine, the given tf), computes every document's top k
//! with the fast scan, and for every `step`-th document compares with the cosine against
//! every other document.
//!
//!   cargo run --release -p neardup-tools --bin rank_check -- CORPUS.jsonl [K=10] [STEP=500] [raw|sublinear]

use neardup::{
    CorpusReader, FieldMap, Input, Ranker, TfidfModel, tfidf::TfWeight, tfidf::brute_force_top_k,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: rank_check CORPUS.jsonl [K=10] [STEP=500] [raw|sublinear]");
        std::process::exit(2);
    }
    let k: usize = args.get(2).map_or(Ok(10), |s| s.parse())?;
    let step: usize = args.get(3).map_or(Ok(500), |s| s.parse())?;
    let tf = match args.get(4).map(String::as_str) {
        Some("raw") => TfWeight::Raw,
        _ => TfWeight::Sublinear,
    };
    let reader = CorpusReader::new(vec![Input::new(&args[1], None)?], FieldMap::default());
    let ranker = Ranker::new(TfidfModel::builder().tf(tf)).rerank(None);
    let corpus = ranker.vectorize_corpus(reader, |_| {})?;
    let fast = ranker.neighbours(&corpus, k);
    let (mut docs, mut same, mut same_up_to_ties, mut max_diff) = (0, 0, 0, 0f32);
    for d in (0..corpus.vectors.rows()).step_by(step.max(1)) {
        let slow = brute_force_top_k(&corpus.vectors, corpus.vectors.row(d), k, Some(d as u32));
        let f = &fast[d];
        docs += 1;
        let ids = |v: &[neardup::Neighbour]| v.iter().map(|n| n.doc).collect::<Vec<_>>();
        if ids(f) == ids(&slow) {
            same += 1;
        }
        // Up to ties: same length, same scores rank by rank (within float rounding), and the
        // same documents above the k-th score.
        let close = f.len() == slow.len()
            && f.iter()
                .zip(&slow)
                .all(|(a, b)| (a.score - b.score).abs() < 1e-5);
        let last = slow.last().map_or(0.0, |n| n.score);
        let above = |v: &[neardup::Neighbour]| {
            let mut x: Vec<u32> = v
                .iter()
                .filter(|n| n.score > last + 1e-5)
                .map(|n| n.doc)
                .collect();
            x.sort_unstable();
            x
        };
        if close && above(f) == above(&slow) {
            same_up_to_ties += 1;
        } else {
            eprintln!("document {d}: fast {f:?}\n  brute force {slow:?}");
        }
        for (a, b) in f.iter().zip(&slow) {
            max_diff = max_diff.max((a.score - b.score).abs());
        }
    }
    println!(
        "{} documents, top {k}: {docs} checked against brute force; identical lists {same}, identical up to ties {same_up_to_ties}; largest score difference {max_diff:.2e}",
        corpus.vectors.rows()
    );
    if same_up_to_ties != docs {
        std::process::exit(1);
    }
    Ok(())
}
