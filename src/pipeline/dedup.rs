//! Candidates, verification and clusters over a sketched corpus, in parallel.

use rayon::prelude::*;

use super::sketch::SketchedCorpus;
use super::stages::Stages;
use crate::cluster::{Verdict, VerifiedPair};
use crate::lsh::{
    BandCounts, Crowding, PackedPair, band_candidates, for_each_new_band_pair, merge_candidates,
    unpack_pair,
};
use crate::minhash::agreements;
use crate::shingle::Fingerprint;

/// Decoded sets of recent candidates: a small direct-mapped cache by document number. A
/// bucket's pairs meet each of its documents many times (a bucket of m documents makes
/// m(m-1)/2 pairs), so each set of a bucket of up to about [`SLOTS`] documents is decoded
/// about once, instead of once per pair.
struct Scratch {
    /// `(document, its set)`; `u32::MAX` for an empty slot.
    slots: Vec<(u32, Vec<Fingerprint>)>,
    /// For the second set of a pair whose documents share a slot.
    spare: Vec<Fingerprint>,
}

const SLOTS: usize = 128;

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            slots: vec![(u32::MAX, Vec::new()); SLOTS],
            spare: Vec::new(),
        }
    }
}

impl Scratch {
    /// Slot of document `d`, holding its set once this returns.
    fn fill(&mut self, corpus: &SketchedCorpus, d: u32) -> usize {
        let i = d as usize % SLOTS;
        let slot = &mut self.slots[i];
        if slot.0 != d {
            corpus.sets.set(d as usize, &mut slot.1);
            slot.0 = d;
        }
        i
    }
}

/// The work of [`Pipeline::crowding`](crate::Pipeline::crowding).
pub(super) fn crowding(p: &Stages, corpus: &SketchedCorpus, docs: &[u32]) -> Crowding {
    let Some(cap) = p.bucket_cap else {
        return Crowding::off().with_max_bucket(p.max_bucket);
    };
    let fresh = || BandCounts::new(p.lsh, docs.len());
    let counts = docs
        .par_chunks(1 << 16)
        .map(|part| {
            let mut c = fresh();
            c.add(&corpus.signatures, part);
            c
        })
        .reduce(fresh, |mut a, b| {
            a.merge(&b);
            a
        });
    Crowding::new(cap, counts).with_max_bucket(p.max_bucket)
}

/// The work of [`Pipeline::candidates`](crate::Pipeline::candidates).
pub(super) fn candidates(p: &Stages, corpus: &SketchedCorpus) -> Vec<PackedPair> {
    let docs = corpus.non_empty();
    let crowding = crowding(p, corpus, &docs);
    let parts: Vec<Vec<PackedPair>> = (0..p.lsh.bands)
        .into_par_iter()
        .map(|band| {
            let mut v = band_candidates(&corpus.signatures, &docs, p.lsh, band, &crowding);
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    merge_candidates(parts)
}

/// The work of [`Pipeline::verify`](crate::Pipeline::verify).
pub(super) fn verify(
    p: &Stages,
    corpus: &SketchedCorpus,
    candidates: &[PackedPair],
) -> Vec<VerifiedPair> {
    candidates
        .par_iter()
        .with_min_len(1024)
        .map_init(Scratch::default, |scratch, &pair| {
            let (a, b) = unpack_pair(pair);
            check(p, corpus, a, b, scratch).copy()
        })
        .flatten()
        .collect()
}

/// What finding the pairs of a corpus counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// Candidate pairs checked.
    pub candidates: u64,
    /// Pairs that passed on plain shingles but share only a template (see
    /// [`TemplateShingles`](crate::cluster::TemplateShingles)), set aside.
    pub templates: u64,
    /// Buckets (per band) over the maximum, whose documents met only their neighbours in
    /// signature order (see [`Crowding::with_max_bucket`]).
    pub windowed: u64,
}

/// The near-duplicate pairs of a corpus, the pairs verification set aside, and what
/// finding them counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FoundPairs {
    /// Near-duplicate pairs, in pair order.
    pub pairs: Vec<VerifiedPair>,
    /// Pairs that pass but whose figures conflict
    /// ([`Verdict::Conflict`]: the same report with other
    /// figures), as `(a, b)` with `a < b`, in pair order: clusters keep them apart.
    pub apart: Vec<(u32, u32)>,
    /// What finding them counted.
    pub counts: PairCounts,
}

/// The work of [`Pipeline::pairs`](crate::Pipeline::pairs).
pub(super) fn pairs(p: &Stages, corpus: &SketchedCorpus) -> Vec<VerifiedPair> {
    find_pairs(p, corpus).pairs
}

/// The work of [`Pipeline::find_pairs`](crate::Pipeline::find_pairs).
pub(super) fn find_pairs(p: &Stages, corpus: &SketchedCorpus) -> FoundPairs {
    let docs = corpus.non_empty();
    let crowding = crowding(p, corpus, &docs);
    let parts: Vec<FoundPairs> = (0..p.lsh.bands)
        .into_par_iter()
        .map(|band| {
            let mut found = FoundPairs::default();
            let mut scratch = Scratch::default();
            let windowed = for_each_new_band_pair(
                &corpus.signatures,
                &docs,
                p.lsh,
                band,
                &crowding,
                |a, b| {
                    found.counts.candidates += 1;
                    match check(p, corpus, a, b, &mut scratch) {
                        Verdict::Copy(pair) => found.pairs.push(pair),
                        Verdict::Conflict(pair) => found.apart.push((pair.a, pair.b)),
                        Verdict::Template(_) => found.counts.templates += 1,
                        Verdict::Different => {}
                    }
                },
            );
            found.counts.windowed = windowed as u64;
            found
        })
        .collect();
    let counts = PairCounts {
        candidates: parts.iter().map(|p| p.counts.candidates).sum(),
        windowed: parts.iter().map(|p| p.counts.windowed).sum(),
        templates: parts.iter().map(|p| p.counts.templates).sum(),
    };
    let (mut pairs, mut apart) = (Vec::new(), Vec::new());
    for part in parts {
        pairs.extend(part.pairs);
        apart.extend(part.apart);
    }
    pairs.sort_unstable_by_key(|p| (p.a, p.b));
    apart.sort_unstable();
    FoundPairs {
        pairs,
        apart,
        counts,
    }
}

/// The work of [`Pipeline::verdict`](crate::Pipeline::verdict): [`check`] without the
/// screen.
pub(super) fn verdict(p: &Stages, corpus: &SketchedCorpus, a: u32, b: u32) -> Verdict {
    let (a, b) = (a.min(b), a.max(b));
    let (mut buf_a, mut buf_b) = (Vec::new(), Vec::new());
    let sa = corpus.sets.set(a as usize, &mut buf_a);
    let sb = corpus.sets.set(b as usize, &mut buf_b);
    p.verifier
        .verify_with(corpus.templates.as_ref(), a, b, sa, sb)
}

/// Screens one candidate on its signatures and set sizes, then verifies it on its shingle
/// sets (decoded only then, with the corpus's template shingles weighing less).
fn check(p: &Stages, corpus: &SketchedCorpus, a: u32, b: u32, scratch: &mut Scratch) -> Verdict {
    let (a_len, b_len) = (
        corpus.sets.set_len(a as usize),
        corpus.sets.set_len(b as usize),
    );
    let agree = agreements(
        corpus.signatures.row(a as usize),
        corpus.signatures.row(b as usize),
    );
    if !p.screen.may_pass(agree, a_len, b_len) {
        return Verdict::Different;
    }
    let (ia, ib) = (scratch.fill(corpus, a), b as usize % SLOTS);
    let sb = if ia == ib {
        corpus.sets.set(b as usize, &mut scratch.spare)
    } else {
        scratch.fill(corpus, b);
        &scratch.slots[ib].1
    };
    p.verifier
        .verify_with(corpus.templates.as_ref(), a, b, &scratch.slots[ia].1, sb)
}

#[cfg(test)]
mod tests {
    use crate::corpus::{CorpusReader, FieldMap, Input};
    use crate::pipeline::Pipeline;

    /// A family of copies larger than the bucket cap is still found whole, and documents
    /// that share only a common phrase stop being paired with each other.
    #[test]
    fn crowded_buckets_keep_large_families_and_drop_boilerplate_pairs() {
        let mut rng = crate::minhash::SplitMix64::new(3);
        let mut lines = String::new();
        let story = "The central bank raised its main interest rate by half a percentage point \
on Tuesday, citing stubborn inflation in services and a tight labour market";
        for i in 0..150 {
            let text = format!("{story}, edition e{i}.");
            lines.push_str(&format!(
                "{}\n",
                serde_json::json!({"id": format!("copy{i}"), "text": text})
            ));
        }
        for i in 0..300 {
            let words: Vec<String> = (0..40).map(|_| format!("w{}", rng.next() % 5000)).collect();
            let text = format!(
                "a spokesman said in a statement on tuesday that {}",
                words.join(" ")
            );
            lines.push_str(&format!(
                "{}\n",
                serde_json::json!({"id": format!("other{i}"), "text": text})
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        std::fs::write(&path, lines).unwrap();
        let run = |cap: Option<u32>| {
            let p = Pipeline::builder().bucket_cap(cap).build().unwrap();
            let reader =
                CorpusReader::new(vec![Input::new(&path, None).unwrap()], FieldMap::default());
            let corpus = p.sketch_corpus(reader, |_| {}).unwrap();
            let found = p.find_pairs(&corpus);
            let checked = found.counts.candidates;
            let clusters = p.clusters(&corpus, &found, false);
            (found.pairs.len(), checked, clusters)
        };
        let (all_pairs, all_checked, all_clusters) = run(None);
        let (pairs, checked, clusters) = run(Some(20));
        // Every copy pair is verified either way (150 * 149 / 2); the family is one cluster.
        assert_eq!(all_pairs, 150 * 149 / 2);
        assert_eq!(all_clusters.len(), 1);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].members.len(), 150);
        // Close copies share the next band too: no pair is lost.
        assert_eq!(pairs, all_pairs);
        // The documents that share only a phrase collided in full before; split, they
        // give a tenth of the candidates or fewer.
        let family = (150 * 149 / 2) as u64;
        assert!(
            (checked - family) * 10 < all_checked - family,
            "{checked} vs {all_checked}"
        );
    }
}
