//! Sketching throughput of each sketch kind (shingles per second, one thread).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::{MinHasher, SketchKind};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let sets = common::shingle_sets(1000, 400);
    let shingles: usize = sets.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("minhash");
    g.throughput(Throughput::Elements(shingles as u64));
    for (kind, num_perm) in [
        (SketchKind::Oph, 128),
        (SketchKind::Classic, 64),
        (SketchKind::Classic, 128),
        (SketchKind::Classic, 256),
        (SketchKind::CMinHash, 128),
    ] {
        let h = MinHasher::builder()
            .num_perm(num_perm)
            .seed(1)
            .kind(kind)
            .build()
            .unwrap();
        g.bench_function(format!("{kind}/{num_perm}"), |b| {
            let mut sig = vec![0u32; num_perm];
            b.iter(|| {
                let mut acc = 0u64;
                for s in &sets {
                    h.sketch_into(s, &mut sig);
                    acc = acc.wrapping_add(u64::from(sig[0]));
                }
                assert_ne!(sig[0], u32::MAX);
                black_box(acc)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
