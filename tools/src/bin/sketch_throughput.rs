//! Sketching throughput, one thread, 128 slots, with the input in three forms.
//!
//!   cargo run --release -p neardup-tools --bin sketch_throughput -- SHINGLES.tsv [REPEATS] [HASHES_PREFIX]
//!
//! SHINGLES.tsv holds one document per line, its shingles (strings) separated by tabs, as
//! `scripts/bench-sketch.sh` writes them. Three measurements per sketch kind, each the best
//! of REPEATS runs (default 3), reported as shingles per second:
//!
//! - **strings**: each shingle string hashed with xxh3 (as neardup's shingler hashes a
//!   token), then every document sketched. Beside it, the floors: walking the strings
//!   (touching each one) and hashing them without sketching.
//! - **hashes in memory**: the same xxh3 hashes in one flat `u64` buffer with document
//!   offsets, sketched document by document; the floor is one pass that reads the buffer.
//!   With HASHES_PREFIX the buffer is written to `PREFIX.u64` and the offsets to
//!   `PREFIX.offsets.u64` (little-endian), so that another tool can sketch exactly the
//!   same hashes.
//! - **hashes in cache**: each document's hashes computed into a small reused buffer and
//!   sketched at once, timing only the sketch: the pipeline's situation, where a
//!   document's shingle hashes are made and sketched together.
use std::io::Write;
use std::time::Instant;

use neardup::{MinHasher, SketchKind};
use xxhash_rust::xxh3::xxh3_64;

/// Best wall time of `repeats` runs of `f`, and the value of the last run.
fn best<T>(repeats: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let v = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}

fn write_u64s(path: &str, values: &[u64]) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    for v in values {
        w.write_all(&v.to_le_bytes())?;
    }
    w.flush()?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or_else(|| {
        anyhow::anyhow!("usage: sketch_throughput SHINGLES.tsv [REPEATS] [HASHES_PREFIX]")
    })?;
    let repeats: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(3);
    let prefix = args.next();
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
    let rate = |secs: f64| total as f64 / secs / 1e6;
    println!(
        "{} documents, {total} shingles, 128 slots, one thread, best of {repeats}",
        docs.len()
    );

    let mut flat: Vec<u64> = Vec::with_capacity(total);
    let mut offsets: Vec<u64> = Vec::with_capacity(docs.len() + 1);
    offsets.push(0);
    for d in &docs {
        flat.extend(d.iter().map(|s| xxh3_64(s.as_bytes())));
        offsets.push(flat.len() as u64);
    }
    if let Some(prefix) = &prefix {
        write_u64s(&format!("{prefix}.u64"), &flat)?;
        write_u64s(&format!("{prefix}.offsets.u64"), &offsets)?;
    }

    let (walk, _) = best(repeats, || {
        let mut acc = 0u64;
        for d in &docs {
            for s in d {
                acc = acc.wrapping_add(s.len() as u64 + u64::from(s.as_bytes()[0]));
            }
        }
        acc
    });
    let (hash_only, _) = best(repeats, || {
        let mut acc = 0u64;
        for d in &docs {
            for s in d {
                acc ^= xxh3_64(s.as_bytes());
            }
        }
        acc
    });
    let (stream, _) = best(repeats, || flat.iter().fold(0u64, |a, &h| a ^ h));
    println!(
        "floor   strings: walk {:>7.1} M/s, xxh3 {:>7.1} M/s   hashes in memory: read {:>7.1} M/s",
        rate(walk),
        rate(hash_only),
        rate(stream)
    );

    for kind in [SketchKind::Oph, SketchKind::Classic, SketchKind::CMinHash] {
        let h = MinHasher::builder()
            .num_perm(128)
            .seed(42)
            .kind(kind)
            .build()?;
        let mut out = vec![0u32; 128];
        let mut hashes: Vec<u64> = Vec::new();
        let (strings, check) = best(repeats, || {
            let mut check = 0u64;
            for d in &docs {
                hashes.clear();
                hashes.extend(d.iter().map(|s| xxh3_64(s.as_bytes())));
                h.sketch_into(&hashes, &mut out);
                check = check.wrapping_add(u64::from(out[0]));
            }
            check
        });
        let (memory, check_memory) = best(repeats, || {
            let mut check = 0u64;
            for w in offsets.windows(2) {
                h.sketch_into(&flat[w[0] as usize..w[1] as usize], &mut out);
                check = check.wrapping_add(u64::from(out[0]));
            }
            check
        });
        assert_eq!(
            check, check_memory,
            "the two inputs gave different signatures"
        );
        let mut cache = f64::MAX;
        for _ in 0..repeats {
            let mut secs = 0.0;
            for w in offsets.windows(2) {
                hashes.clear();
                hashes.extend_from_slice(&flat[w[0] as usize..w[1] as usize]);
                let t = Instant::now();
                h.sketch_into(&hashes, &mut out);
                secs += t.elapsed().as_secs_f64();
            }
            cache = cache.min(secs);
        }
        println!(
            "neardup {:<9} strings {:>7.3} s {:>7.1} M/s   hashes in memory {:>7.3} s {:>7.1} M/s   hashes in cache {:>7.1} M/s   (check {check:x})",
            kind.name(),
            strings,
            rate(strings),
            memory,
            rate(memory),
            rate(cache)
        );
    }
    Ok(())
}
