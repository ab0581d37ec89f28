//! Fixed synthetic inputs shared by the benches (deterministic, no files).
#![allow(dead_code)] // each bench uses a subset of these helpers

use neardup::minhash::SplitMix64;

const WORDS: &[&str] = &[
    "the",
    "bank",
    "said",
    "on",
    "tuesday",
    "rates",
    "would",
    "rise",
    "after",
    "inflation",
    "in",
    "march",
    "officials",
    "expect",
    "growth",
    "to",
    "slow",
    "this",
    "year",
    "while",
    "exports",
    "fell",
    "sharply",
    "analysts",
    "warned",
    "that",
    "prices",
    "could",
    "climb",
    "further",
    "government",
    "budget",
    "plan",
    "minister",
    "told",
    "reporters",
    "talks",
    "with",
    "unions",
    "resumed",
    "despite",
    "strike",
    "threat",
];

/// `n` news-like ASCII texts of about `words` words each.
pub fn texts(n: usize, words: usize) -> Vec<String> {
    let mut g = SplitMix64::new(1);
    (0..n)
        .map(|_| {
            let mut s = String::with_capacity(words * 7);
            for i in 0..words {
                let w = WORDS[(g.next() % WORDS.len() as u64) as usize];
                s.push_str(w);
                s.push(if i % 12 == 11 { '.' } else { ' ' });
                if i % 12 == 11 {
                    s.push(' ');
                }
            }
            s
        })
        .collect()
}

/// `n` random shingle sets of `len` hashes each.
pub fn shingle_sets(n: usize, len: usize) -> Vec<Vec<u64>> {
    let mut g = SplitMix64::new(2);
    (0..n)
        .map(|_| (0..len).map(|_| g.next()).collect())
        .collect()
}
