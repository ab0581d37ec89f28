//! Normalising, tokenising and shingling throughput.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::{Analyzer, ShingleKind, Shingler, shingle::ShingleScratch};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let texts = common::texts(200, 400);
    let bytes: usize = texts.iter().map(String::len).sum();
    let analyzer = Analyzer::default();
    let mut g = c.benchmark_group("shingle");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("tokenize_ascii", |b| {
        let mut scratch = String::new();
        b.iter(|| {
            let mut n = 0usize;
            for t in &texts {
                analyzer.for_each_token(t, &mut scratch, |_| n += 1);
            }
            assert_eq!(n, 200 * 400);
            black_box(n)
        })
    });
    for kind in [
        ShingleKind::Word(3),
        ShingleKind::Word(5),
        ShingleKind::Char(7),
    ] {
        let shingler = Shingler::new(kind);
        g.bench_function(format!("{kind}"), |b| {
            let mut scratch = ShingleScratch::default();
            let mut out = Vec::new();
            b.iter(|| {
                out.clear();
                for t in &texts {
                    shingler.shingles_into(&analyzer, t, &mut scratch, &mut out);
                }
                assert!(out.len() >= 200 * 390);
                black_box(out.len())
            })
        });
    }
    let unicode: Vec<String> = texts
        .iter()
        .map(|t| t.replace("bank", "Bänk").replace(" said", " «said»"))
        .collect();
    let shingler = Shingler::new(ShingleKind::Word(3));
    g.bench_function("word:3 non-ascii", |b| {
        let mut scratch = ShingleScratch::default();
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            for t in &unicode {
                shingler.shingles_into(&analyzer, t, &mut scratch, &mut out);
            }
            assert!(out.len() >= 200 * 390);
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
