//! Clustering: union-find, clusters from verified pairs, average linkage, passage alignment.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::{
    Aligner, Analyzer, MatchKind, VerifiedPair, build_clusters, cluster::UnionFind,
    cluster::average_linkage, minhash::SplitMix64,
};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let n = 200_000usize;
    let mut g = SplitMix64::new(5);
    // Pairs inside groups of about 5 documents, plus random links.
    let pairs: Vec<VerifiedPair> = (0..n as u32)
        .filter_map(|a| {
            let b = if g.next().is_multiple_of(4) {
                (g.next() % n as u64) as u32
            } else {
                (a / 5) * 5 + (g.next() % 5) as u32
            };
            (a != b && (b as usize) < n).then(|| VerifiedPair {
                a: a.min(b),
                b: a.max(b),
                jaccard: 0.5 + (g.next() % 500) as f64 / 1000.0,
                containment: 0.9,
                kind: MatchKind::Jaccard,
            })
        })
        .collect();
    let mut group = c.benchmark_group("cluster");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("union_find", |b| {
        b.iter(|| {
            let mut uf = UnionFind::new(n);
            let mut joined = 0;
            for p in &pairs {
                joined += usize::from(uf.union(p.a, p.b));
            }
            assert!(joined > n / 2);
            black_box(joined)
        })
    });
    group.bench_function("build_clusters", |b| {
        b.iter(|| {
            let clusters = build_clusters(n, &pairs, &[], false);
            assert!(!clusters.is_empty());
            black_box(clusters.len())
        })
    });
    let edges: Vec<(u32, u32, f32)> = pairs
        .iter()
        .map(|p| (p.a, p.b, p.jaccard as f32 - 0.4))
        .collect();
    group.bench_function("average_linkage", |b| {
        b.iter(|| {
            let labels = average_linkage(n, &edges, &[], 0.13);
            assert_eq!(labels.len(), n);
            black_box(labels[n - 1])
        })
    });
    group.finish();

    // Passages between a text and a copy with edits.
    let texts = common::texts(50, 400);
    let copies: Vec<String> = texts
        .iter()
        .map(|t| {
            let words: Vec<&str> = t.split(' ').collect();
            let mut w: Vec<&str> = words.iter().skip(20).copied().collect();
            for i in (0..w.len()).step_by(37) {
                w[i] = "edited";
            }
            w.join(" ")
        })
        .collect();
    let words: usize = texts.iter().map(|t| t.split(' ').count()).sum();
    let (aligner, analyzer) = (Aligner::default(), Analyzer::default());
    let mut group = c.benchmark_group("align");
    group.throughput(Throughput::Elements(words as u64));
    group.bench_function("passages", |b| {
        b.iter(|| {
            let mut covered = 0.0;
            for (t, c) in texts.iter().zip(&copies) {
                covered += aligner.align(&analyzer, t, c).coverage_b;
            }
            assert!(covered / texts.len() as f64 > 0.8, "{covered}");
            black_box(covered)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
