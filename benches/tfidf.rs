//! TF-IDF: counting and vectorising documents, every document's top-k neighbours (the
//! all-pairs scan), and single queries through the inverted index.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::{
    Analyzer, TfidfModel, tfidf::AllPairsTopK, tfidf::DocFreqs, tfidf::InvertedIndex,
    tfidf::TopKScratch, tfidf::count_terms,
};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let texts = common::texts(2000, 300);
    let analyzer = Analyzer::default();
    let mut scratch = String::new();
    let counts: Vec<_> = texts
        .iter()
        .map(|t| count_terms(&analyzer, t, &mut scratch))
        .collect();
    let mut df = DocFreqs::default();
    for t in &counts {
        df.add(t);
    }
    let model = TfidfModel::builder().fit(&df).unwrap();
    let matrix = model.transform(&counts);

    let mut g = c.benchmark_group("tfidf");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("count_terms", |b| {
        let mut s = String::new();
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| count_terms(&analyzer, t, &mut s).len())
                .sum();
            assert!(n > 0);
            black_box(n)
        })
    });
    g.bench_function("vectorize", |b| {
        b.iter(|| {
            let m = model.transform(&counts);
            assert_eq!(m.rows(), texts.len());
            black_box(m)
        })
    });
    g.sample_size(10);
    g.bench_function("all_pairs_top10", |b| {
        b.iter(|| {
            let search = AllPairsTopK::new(&matrix, 10);
            let mut lists = search.lists();
            let mut s = neardup::tfidf::ScanScratch::default();
            search.scan(0..matrix.rows(), &mut lists, &mut s);
            let lists = lists.into_sorted();
            assert!(lists.iter().all(|l| l.len() == 10));
            black_box(lists)
        })
    });
    g.finish();

    let index = InvertedIndex::build(&matrix);
    let mut g = c.benchmark_group("tfidf_query");
    g.throughput(Throughput::Elements(100));
    g.bench_function("top10_inverted_index", |b| {
        let mut s = TopKScratch::default();
        b.iter(|| {
            let mut found = 0;
            for q in 0..100 {
                let top = index.top_k(matrix.row(q), 10, Some(q as u32), &mut s);
                found += top.len();
            }
            assert_eq!(found, 1000);
            black_box(found)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
