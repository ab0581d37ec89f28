//! LSH: candidate generation by sorting, index insert and query, and verification.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::{
    BandIndex, LshParams, MinHasher, SignatureMatrix, lsh::Crowding, lsh::band_candidates,
    lsh::merge_candidates, minhash::Overlap,
};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let n = 20_000;
    let mut sets = common::shingle_sets(n, 200);
    // Every tenth document is a near copy of the one before (90% shared).
    for i in (1..n).step_by(10) {
        let mut copy = sets[i - 1].clone();
        copy.truncate(180);
        copy.extend(sets[i].iter().take(20));
        sets[i] = copy;
    }
    for s in &mut sets {
        s.sort_unstable();
    }
    let h = MinHasher::builder().build().unwrap();
    let flat: Vec<u32> = sets.iter().flat_map(|s| h.signature(s)).collect();
    let m = SignatureMatrix::from_flat(h.params(), flat).unwrap();
    let params = LshParams::from_threshold(0.5, 128, 0.95).unwrap();
    let docs: Vec<u32> = (0..n as u32).collect();
    let mut g = c.benchmark_group("lsh");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("candidates_by_sorting", |b| {
        b.iter(|| {
            let parts = (0..params.bands)
                .map(|band| band_candidates(&m, &docs, params, band, &Crowding::off()))
                .collect();
            let c = merge_candidates(parts);
            assert!(c.len() >= n / 10 - 1);
            black_box(c.len())
        })
    });
    g.bench_function("index_insert", |b| {
        b.iter(|| {
            let mut index = BandIndex::new(params);
            for d in 0..n {
                index.insert(d as u32, m.row(d));
            }
            assert_eq!(index.len(), n);
            black_box(index.len())
        })
    });
    let mut index = BandIndex::new(params);
    for d in 0..n {
        index.insert(d as u32, m.row(d));
    }
    g.bench_function("index_query", |b| {
        b.iter(|| {
            let mut hits = 0;
            for d in 0..n {
                hits += index.query(m.row(d)).len();
            }
            assert!(hits >= n);
            black_box(hits)
        })
    });
    g.bench_function("verify_exact_jaccard", |b| {
        b.iter(|| {
            let mut passed = 0;
            for d in 1..n {
                if Overlap::of_sorted(&sets[d - 1], &sets[d]).jaccard() >= 0.5 {
                    passed += 1;
                }
            }
            assert!(passed >= n / 10 - 1);
            black_box(passed)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
