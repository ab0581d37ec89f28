//! Query latency through the library: opens an index and answers queries read from a JSONL
//! file (the `text` field of its first N lines), one at a time on one thread, and prints
//! the p50 / p90 / p99 / max time per query (near-duplicates + top-k related).
//!
//!   cargo run --release -p neardup-tools --bin query_latency -- INDEX QUERIES.jsonl [N] [TOP] [related]

use std::io::BufRead;
use std::time::Instant;

// The allocator the `neardup` binary uses, so queries are timed as the CLI runs them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: query_latency INDEX QUERIES.jsonl [N=1000] [TOP=10]");
        std::process::exit(2);
    }
    let n: usize = args.get(3).map_or(Ok(1000), |s| s.parse())?;
    let top: usize = args.get(4).map_or(Ok(10), |s| s.parse())?;
    // A fifth argument `related` times only the TF-IDF half of each query.
    let related_only = args.get(5).is_some_and(|s| s == "related");
    let open = Instant::now();
    let index = neardup::Index::open(std::path::Path::new(&args[1]))?;
    let searcher = neardup::Searcher::new(&index)?;
    let open = open.elapsed();
    let file = std::io::BufReader::new(std::fs::File::open(&args[2])?);
    let mut texts = Vec::new();
    for line in file.lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
    }
    let mut times = Vec::with_capacity(texts.len());
    let mut found = 0usize;
    let mut candidates = Vec::with_capacity(texts.len());
    for t in &texts {
        let start = Instant::now();
        if related_only {
            found += searcher.related(t, top, None)?.len();
        } else {
            let r = searcher.query(t, top)?;
            found += r.duplicates.len();
            candidates.push(r.candidates);
        }
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{} documents, {} queries (top {top}): open {:.1} ms; per query p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {} results",
        index.len(),
        times.len(),
        open.as_secs_f64() * 1e3,
        q(0.5),
        q(0.9),
        q(0.99),
        times[times.len() - 1],
        found
    );
    if !candidates.is_empty() {
        candidates.sort_unstable();
        let c = |p: f64| candidates[((candidates.len() - 1) as f64 * p).round() as usize];
        println!(
            "LSH candidates per query: p50 {}, p90 {}, max {}",
            c(0.5),
            c(0.9),
            c(1.0)
        );
    }
    Ok(())
}
