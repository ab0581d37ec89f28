//! How each parallel stage scales from one thread to two (issue 5): runs every stage of
//! the pipeline through the library in a rayon pool of 1 and of 2 threads, alternating,
//! `REPEATS` times each, and prints the fastest time per thread count and the speed-up.
//! Taking the fastest of alternating runs keeps the other tenants of a shared machine out
//! of the ratio as far as one process can.
//!
//!   cargo run --release -p neardup-tools --bin stage_scaling -- CORPUS.jsonl [REPEATS=3] [STAGES]
//!
//! STAGES is a comma-separated subset of `sketch,pairs,clusters,vectorise,topk,analyse,
//! stories` (all by default). `sketch` reads, normalises, shingles and signs (the CLI's
//! defaults); `pairs` finds and verifies candidates; `clusters` is union-find (one thread by
//! design: it is linear and memory-bound); `vectorise` reads and builds TF-IDF vectors;
//! `topk` is `rank --top 10`'s all-pairs scan with the shared-neighbour re-ranking;
//! `analyse` is the stories' single read (signatures and term counts); `stories` groups an
//! analysed corpus into stories (cosine first pass, re-scoring, average linkage).

use std::time::Instant;

use neardup::{
    CorpusReader, FieldMap, Input, Pipeline, Ranker, StoryParams, TfidfModel, build_clusters,
    pipeline::group_stories,
};

// The allocator the `neardup` binary uses, so the stages are timed as the CLI runs them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Stage<'a> = Box<dyn Fn() -> usize + Sync + 'a>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: stage_scaling CORPUS.jsonl [REPEATS=3] [STAGES]");
        std::process::exit(2);
    }
    let path = args[1].clone();
    let repeats: usize = args.get(2).map_or(Ok(3), |s| s.parse())?;
    let all = "sketch,pairs,clusters,vectorise,topk,analyse,stories";
    let wanted: Vec<&str> = args.get(3).map_or(all, String::as_str).split(',').collect();
    let reader = || -> CorpusReader {
        CorpusReader::new(
            vec![Input::new(&path, None).expect("input")],
            FieldMap::default(),
        )
    };

    // Inputs of the later stages, computed once with both threads.
    let pipeline = Pipeline::builder().build()?;
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let sketched = two.install(|| pipeline.sketch_corpus(reader(), |_| {}))?;
    let found = two.install(|| pipeline.find_pairs(&sketched));
    let ranker = Ranker::new(TfidfModel::builder());
    // The later stages' inputs only when a wanted stage needs them (they are large at 1M).
    let need = |stage: &str| wanted.contains(&stage);
    let ranked = match need("topk") {
        true => Some(two.install(|| ranker.vectorize_corpus(reader(), |_| {}))?),
        false => None,
    };
    let analysed = match need("stories") {
        true => Some(two.install(|| {
            pipeline.analyse_corpus(reader(), &TfidfModel::builder(), false, |_| {})
        })?),
        false => None,
    };
    let copies = analysed.as_ref().map(|a| {
        let found = two.install(|| pipeline.find_pairs(&a.sketched));
        build_clusters(a.docs().len(), &found.pairs, &found.apart, false)
    });
    let params = StoryParams::default();
    println!(
        "{path}: {} documents, {} near-duplicate pairs; fastest of {repeats} alternating runs",
        sketched.docs.len(),
        found.pairs.len()
    );

    let stages: Vec<(&str, Stage)> = vec![
        (
            "sketch",
            Box::new(|| {
                pipeline
                    .sketch_corpus(reader(), |_| {})
                    .expect("sketch")
                    .docs
                    .len()
            }),
        ),
        ("pairs", Box::new(|| pipeline.pairs(&sketched).len())),
        (
            "clusters",
            Box::new(|| {
                build_clusters(sketched.docs.len(), &found.pairs, &found.apart, false).len()
            }),
        ),
        (
            "vectorise",
            Box::new(|| {
                ranker
                    .vectorize_corpus(reader(), |_| {})
                    .expect("vectorise")
                    .vectors
                    .rows()
            }),
        ),
        (
            "topk",
            Box::new(|| ranker.neighbours(ranked.as_ref().unwrap(), 10).len()),
        ),
        (
            "analyse",
            Box::new(|| {
                pipeline
                    .analyse_corpus(reader(), &TfidfModel::builder(), false, |_| {})
                    .expect("analyse")
                    .docs()
                    .len()
            }),
        ),
        (
            "stories",
            Box::new(|| {
                let (a, c) = (analysed.as_ref().unwrap(), copies.as_ref().unwrap());
                group_stories(&a.vectors, a.docs(), c, &params).len()
            }),
        ),
    ];

    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    println!("| stage | 1 thread s | 2 threads s | speed-up |");
    println!("|---|---|---|---|");
    for (name, run) in &stages {
        if !wanted.contains(name) {
            continue;
        }
        let (mut best1, mut best2) = (f64::INFINITY, f64::INFINITY);
        let mut outputs = Vec::new();
        for _ in 0..repeats {
            for (pool, best) in [(&one, &mut best1), (&two, &mut best2)] {
                let start = Instant::now();
                outputs.push(pool.install(run));
                *best = best.min(start.elapsed().as_secs_f64());
            }
        }
        // Same output size with one thread and two: the stage is deterministic.
        assert!(
            outputs.windows(2).all(|w| w[0] == w[1]),
            "{name}: outputs differ"
        );
        println!(
            "| {name} | {best1:.3} | {best2:.3} | {:.2}x |",
            best1 / best2
        );
    }
    Ok(())
}
