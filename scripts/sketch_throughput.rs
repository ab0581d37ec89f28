//! Sketching throughput, one thread, 128 slots: shingle strings in, signatures out.
//!
//!   cargo run --release --example sketch_throughput -- SHINGLES.tsv [REPEATS]
//!
//! SHINGLES.tsv holds one document per line, its shingles (strings) separated by tabs, as
//! `scripts/bench-sketch.sh` writes them. Each shingle string is hashed with xxh3 (as
//! neardup's shingler does) and every document is sketched with each kind; the time of
//! hashing + sketching is reported as shingles per second (best of REPEATS runs, default
//! 3), with sketching alone beside it.
use std::time::Instant;

use neardup::{MinHasher, SketchKind};
use xxhash_rust::xxh3::xxh3_64;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: sketch_throughput SHINGLES.tsv [REPEATS]"))?;
    let repeats: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(3);
    let text = std::fs::read_to_string(&path)?;
    let docs: Vec<Vec<&str>> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                Vec::new()
            } else {
                l.split('\t').collect()
            }
        })
        .collect();
    let total: usize = docs.iter().map(Vec::len).sum();
    println!(
        "{} documents, {total} shingles, 128 slots, one thread",
        docs.len()
    );
    for kind in [SketchKind::Oph, SketchKind::Classic, SketchKind::CMinHash] {
        let h = MinHasher::builder()
            .num_perm(128)
            .seed(42)
            .kind(kind)
            .build()?;
        let mut out = vec![0u32; 128];
        let mut hashes: Vec<u64> = Vec::new();
        let (mut best_all, mut best_sketch) = (f64::MAX, f64::MAX);
        let mut check = 0u64;
        for _ in 0..repeats {
            let start = Instant::now();
            let mut sketch_s = 0.0;
            for d in &docs {
                hashes.clear();
                hashes.extend(d.iter().map(|s| xxh3_64(s.as_bytes())));
                let t = Instant::now();
                h.sketch_into(&hashes, &mut out);
                sketch_s += t.elapsed().as_secs_f64();
                check = check.wrapping_add(u64::from(out[0]));
            }
            best_all = best_all.min(start.elapsed().as_secs_f64());
            best_sketch = best_sketch.min(sketch_s);
        }
        println!(
            "neardup {:<9} hash+sketch {:>7.3} s  {:>6.1} M shingles/s   sketch only {:>6.1} M shingles/s   (check {check:x})",
            kind.name(),
            best_all,
            total as f64 / best_all / 1e6,
            total as f64 / best_sketch / 1e6
        );
    }
    Ok(())
}
