//! The pipeline's stages one piece at a time, for engines that spread a corpus over many
//! processes (Spark): each piece gives the same bytes as the whole-corpus run, so the
//! results do not depend on how the corpus was split.
//!
//! [`Pipeline`](crate::pipeline::Pipeline)'s methods for them:
//!
//! 1. `Pipeline::sketch_texts`: each text's shingle fingerprints, signature and figures.
//! 2. `Pipeline::band_counts` per part,
//!    [`BandCounts::to_le_bytes`](crate::lsh::BandCounts::to_le_bytes) to send,
//!    [`BandCounts::merge`](crate::lsh::BandCounts::merge) to add them up: the bucket sizes
//!    the crowding rule reads.
//! 3. `Pipeline::bucket_keys`: each document's bucket in every band, the next band's
//!    key added where the bucket is crowded. Two documents are candidates exactly when they
//!    share a bucket, as in `Pipeline::candidates`.
//! 4. `Pipeline::learn_templates` over the whole corpus's sets and figures (where the
//!    template rule is on), then `Pipeline::band_pairs`: the verified pairs (and those
//!    kept apart) of whole buckets of one band (those that meet there first, screened and verified as the CLI
//!    does); or [`Verifier::verify`](crate::cluster::Verifier::verify) on the two fingerprint sets of
//!    a candidate (the rule without templates). Then
//!    [`build_clusters`](crate::cluster::build_clusters) on a component's pairs and the
//!    pairs kept apart among its documents.

use super::dedup::FoundPairs;
use super::stages::{SketchScratch, Stages};
use crate::cluster::{Figure, TemplateShingles, Verdict};
use crate::error::{Error, Result};
use crate::lsh::{BandCounts, Crowding, band_key, for_each_new_band_pair};
use crate::minhash::{SignatureMatrix, agreements};
use crate::shingle::{Fingerprint, ShingleSets};

/// A band bucket: the band, its key, and the next band's key where the bucket is crowded
/// (0 otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BucketKey {
    /// The band.
    pub band: u32,
    /// The band's key ([`band_key`]).
    pub key: u64,
    /// The next band's key in a crowded bucket, else 0.
    pub sub: u64,
}

/// What `Pipeline::sketch_texts` computes for some texts.
#[derive(Debug, Clone, PartialEq)]
pub struct SketchedTexts {
    /// Shingle fingerprints, sorted and distinct, by text.
    pub sets: ShingleSets<Fingerprint>,
    /// Signatures, `num_perm` slots each, one after another.
    pub signatures: Vec<u32>,
    /// Figures ([`FigureCollector`](crate::cluster::FigureCollector)), sorted, by text;
    /// empty when the template rule is off.
    pub figures: ShingleSets<Figure>,
}

/// The sketches of a whole corpus by document number, for `Pipeline::band_pairs`.
#[derive(Debug, Clone, Copy)]
pub struct CorpusSketches<'a> {
    /// Shingle fingerprints.
    pub sets: &'a ShingleSets<Fingerprint>,
    /// Signatures.
    pub signatures: &'a SignatureMatrix,
    /// The corpus's template shingles (`Pipeline::learn_templates`), or `None`.
    pub templates: Option<&'a TemplateShingles>,
}

/// The work of `Pipeline::sketch_texts` and `Pipeline::sketch_dated_texts`: `days` holds
/// one publication day per text, or is empty.
pub(super) fn sketch_texts(p: &Stages, texts: &[&str], days: &[Option<i64>]) -> SketchedTexts {
    let mut scratch = SketchScratch::default();
    let mut out = SketchedTexts {
        sets: ShingleSets::new(),
        signatures: Vec::with_capacity(texts.len() * p.hasher.num_perm()),
        figures: ShingleSets::new(),
    };
    for (i, text) in texts.iter().enumerate() {
        let day = days.get(i).copied().flatten();
        let d = p.sketch_document(text, day, &mut scratch);
        out.sets.push(&d.prints);
        out.figures.push(&d.figures);
        out.signatures.extend_from_slice(&d.signature);
    }
    out
}

/// The work of `Pipeline::band_pairs`.
pub(super) fn band_pairs(
    p: &Stages,
    corpus: CorpusSketches<'_>,
    crowding: &Crowding,
    band: usize,
    docs: &[u32],
) -> Result<FoundPairs> {
    let CorpusSketches {
        sets,
        signatures,
        templates,
    } = corpus;
    if band >= p.lsh.bands || sets.len() != signatures.len() {
        return Err(Error::config(
            "band",
            format!(
                "band {band} of {}, {} sets for {} signatures",
                p.lsh.bands,
                sets.len(),
                signatures.len()
            ),
        ));
    }
    let mut found = FoundPairs::default();
    let windowed = for_each_new_band_pair(signatures, docs, p.lsh, band, crowding, |a, b| {
        found.counts.candidates += 1;
        let (sa, sb) = (sets.get(a as usize), sets.get(b as usize));
        let agree = agreements(signatures.row(a as usize), signatures.row(b as usize));
        if p.screen.may_pass(agree, sa.len(), sb.len()) {
            match p.verifier.verify_with(templates, a, b, sa, sb) {
                Verdict::Copy(pair) => found.pairs.push(pair),
                Verdict::Conflict(pair) => found.apart.push((pair.a, pair.b)),
                Verdict::Template(_) => found.counts.templates += 1,
                Verdict::Different => {}
            }
        }
    });
    found.counts.windowed = windowed as u64;
    Ok(found)
}

/// The work of `Pipeline::crowding_from`.
pub(super) fn crowding_from(p: &Stages, counts: BandCounts) -> Crowding {
    match p.bucket_cap {
        Some(cap) => Crowding::new(cap, counts),
        None => Crowding::off(),
    }
    .with_max_bucket(p.max_bucket)
}

/// The work of `Pipeline::bucket_keys`.
pub(super) fn bucket_keys(
    p: &Stages,
    signature: &[u32],
    crowding: &Crowding,
    out: &mut Vec<BucketKey>,
) {
    let lsh = p.lsh;
    for band in 0..lsh.bands {
        let slots = &signature[band * lsh.rows..(band + 1) * lsh.rows];
        let sub = if crowding.is_crowded(band, slots) {
            band_key(signature, lsh, (band + 1) % lsh.bands)
        } else {
            0
        };
        out.push(BucketKey {
            band: band as u32,
            key: band_key(signature, lsh, band),
            sub,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;
    use crate::cluster::TemplateRule;
    use crate::corpus::Document;
    use crate::lsh::unpack_pair;
    use std::collections::{BTreeSet, HashMap};

    /// Template shingles and figures learnt from the even sample alone (a corpus of 45,000
    /// documents: every third one) are those of the whole corpus, and pairs verified with
    /// their figures get the whole corpus's verdicts.
    #[test]
    fn dated_texts_are_sketched_as_dated_documents() {
        let p = Pipeline::builder().build().unwrap();
        let texts = [
            "Levies on grain stay unchanged for the week starting March 25, officials said.",
            "Levies on grain stay unchanged for the week starting April 8, officials said.",
            "The council met on Monday.",
        ];
        let dates = [Some("2024-03-18"), Some("18 March 2024"), None];
        let docs: Vec<Document> = texts
            .iter()
            .zip(dates)
            .enumerate()
            .map(|(i, (t, d))| {
                let mut doc = Document::new(i.to_string(), *t);
                doc.date = d.map(Into::into);
                doc
            })
            .collect();
        let corpus = p.sketch_corpus(&docs[..], |_| {}).unwrap();
        let whole = corpus.templates.as_ref().unwrap().figures().unwrap();
        let days: Vec<Option<i64>> = dates
            .iter()
            .map(|d| d.and_then(crate::corpus::day_number))
            .collect();
        assert_eq!(days[0], days[1]);
        let parts = p.sketch_dated_texts(&texts, &days).unwrap();
        let undated = p.sketch_texts(&texts);
        for (i, day) in days.iter().enumerate() {
            assert_eq!(parts.figures.get(i), whole.get(i));
            // The day is one more entry among the figures.
            let more = usize::from(day.is_some());
            assert_eq!(
                parts.figures.get(i).len(),
                undated.figures.get(i).len() + more
            );
        }
        assert!(p.sketch_dated_texts(&texts, &days[..2]).is_err());
    }

    #[test]
    fn templates_from_the_sample_verify_as_the_whole_corpus() {
        let p = Pipeline::builder().build().unwrap();
        let n = 45_000;
        let banks = ["Morgan", "Nomura", "Deutsche", "Barclays", "Paribas"];
        let texts: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "issuer {} is issuing a {} mln dlr eurobond due {} paying {} pct and priced at {} \
                     said lead manager {} bank in london on the day of the offer",
                    i % 4001,
                    50 + i % 7 * 25,
                    1990 + i % 9,
                    (5 + i % 6) as f64 + 0.25 * (i % 4) as f64,
                    100 + i % 3,
                    banks[i % banks.len()]
                )
            })
            .collect();
        // Copies: every 1,000th text repeats the one before it, with a word more.
        let mut texts = texts;
        for j in (1_000..n).step_by(1_000) {
            texts[j] = format!("{} reuters", texts[j - 1]);
        }
        let strs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let all = p.sketch_texts(&strs);
        let whole = p.learn_templates(&all.sets, all.figures.clone()).unwrap();
        let step = crate::cluster::template_sample_step(n);
        assert_eq!(step, 3);
        let (mut sample, mut figures) = (ShingleSets::new(), ShingleSets::new());
        for i in (0..n).step_by(step) {
            sample.push(all.sets.get(i));
            figures.push(all.figures.get(i));
        }
        let sampled = p.learn_templates_sampled(&sample, &figures, n).unwrap();
        assert!(whole.len() > 20, "{} template shingles", whole.len());
        assert_eq!(sampled.len(), whole.len());
        for &x in all.sets.get(0).iter().chain(all.sets.get(1)) {
            assert_eq!(sampled.weight(x), whole.weight(x));
        }
        let v = p.verifier();
        let (mut copies, mut templates) = (0, 0);
        for (a, b) in [
            (0, 4001),
            (0, 8002),
            (1, 4002),
            (3, 7),
            (10, 4011),
            (5, 6),
            (0, 1),
        ]
        .into_iter()
        .chain((0..300).map(|i| (i, i + 1 + i % 13)))
        .chain((1_000..n).step_by(1_000).map(|j| (j - 1, j)))
        {
            let (sa, sb) = (all.sets.get(a), all.sets.get(b));
            let want = v.verify_with(Some(&whole), a as u32, b as u32, sa, sb);
            let got = v.verify_with_figures(
                Some(&sampled),
                a as u32,
                b as u32,
                sa,
                sb,
                all.figures.get(a),
                all.figures.get(b),
            );
            assert_eq!(got, want, "{a} {b}");
            copies += usize::from(matches!(want, Verdict::Copy(_)));
            templates += usize::from(matches!(want, Verdict::Template(_)));
        }
        assert!(
            copies > 0 && templates > 0,
            "{copies} copies, {templates} templates"
        );
    }

    /// Candidates from buckets, with the corpus sketched and counted in three parts, are
    /// the whole-corpus candidates, and whole buckets verified band by band give the
    /// whole-corpus pairs.
    fn parts_give_the_whole_corpus_pairs(rule: TemplateRule) {
        let p = Pipeline::builder()
            .templates(rule)
            .bucket_cap(Some(3))
            .build()
            .unwrap();
        let mut texts = Vec::new();
        for i in 0..60 {
            // Families of near-copies, and boilerplate everyone shares (crowded buckets).
            texts.push(format!(
                "the council said in a statement on monday that story {} of family {} \
                 was reported by the press agency with details {}",
                i % 7,
                i % 5,
                i % 3
            ));
        }
        let strs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let ids: Vec<String> = (0..strs.len()).map(|i| i.to_string()).collect();
        let docs: Vec<Document> = strs
            .iter()
            .zip(&ids)
            .map(|(t, id)| Document::new(id.as_str(), *t))
            .collect();
        let corpus = p.sketch_corpus(&docs[..], |_| {}).unwrap();
        let whole: BTreeSet<(u32, u32)> =
            p.candidates(&corpus).into_iter().map(unpack_pair).collect();

        let parts: Vec<_> = [0..17, 17..40, 40..60]
            .into_iter()
            .map(|r| {
                let t = p.sketch_texts(&strs[r.clone()]);
                (r.start, (t.sets, t.signatures, t.figures))
            })
            .collect();
        let (mut all_sets, mut all_figures) = (ShingleSets::new(), ShingleSets::new());
        for (_, (sets, _, figures)) in &parts {
            for i in 0..sets.len() {
                all_sets.push(sets.get(i));
                all_figures.push(figures.get(i));
            }
        }
        let templates = p.learn_templates(&all_sets, all_figures);
        assert_eq!(templates.is_some(), rule != TemplateRule::Off);
        let k = p.sketch_params().num_perm;
        let mut counts = p.band_counts(strs.len());
        for (_, (_, sigs, _)) in &parts {
            let mut c = p.band_counts(strs.len());
            for s in sigs.chunks(k) {
                c.add_signature(s);
            }
            counts
                .merge(&BandCounts::from_le_bytes(p.lsh(), strs.len(), &c.to_le_bytes()).unwrap());
        }
        let crowding = p.crowding_from(counts);
        let mut buckets: HashMap<BucketKey, Vec<u32>> = HashMap::new();
        let mut keys = Vec::new();
        for (start, (sets, sigs, _)) in &parts {
            for (i, s) in sigs.chunks(k).enumerate() {
                assert_eq!(sets.get(i), corpus.sets.set(start + i, &mut Vec::new()));
                assert_eq!(s, corpus.signatures.row(start + i));
                keys.clear();
                p.bucket_keys(s, &crowding, &mut keys);
                for key in &keys {
                    buckets.entry(*key).or_default().push((start + i) as u32);
                }
            }
        }
        assert!(buckets.keys().any(|b| b.sub != 0), "no crowded bucket");
        let mut from_parts = BTreeSet::new();
        for docs in buckets.values() {
            for (i, &a) in docs.iter().enumerate() {
                for &b in &docs[i + 1..] {
                    from_parts.insert((a.min(b), a.max(b)));
                }
            }
        }
        assert_eq!(from_parts, whole);
        // Whole buckets of each band, verified where they meet first: the CLI's pairs.
        let mut by_band: HashMap<u32, Vec<u32>> = HashMap::new();
        for (key, docs) in &buckets {
            by_band.entry(key.band).or_default().extend(docs);
        }
        let sketches = CorpusSketches {
            sets: &all_sets,
            signatures: &corpus.signatures,
            templates: templates.as_ref(),
        };
        let (mut found, mut apart) = (Vec::new(), Vec::new());
        for (band, docs) in by_band {
            let mut docs = docs;
            docs.sort_unstable();
            docs.dedup();
            let part = p
                .band_pairs(sketches, &crowding, band as usize, &docs)
                .unwrap();
            found.extend(part.pairs);
            apart.extend(part.apart);
        }
        found.sort_by_key(|x| (x.a, x.b));
        apart.sort_unstable();
        let cli = p.find_pairs(&corpus);
        assert!(!cli.pairs.is_empty());
        assert_eq!(found, cli.pairs);
        assert_eq!(apart, cli.apart);
    }

    #[test]
    fn parts_give_the_whole_corpus_pairs_without_templates() {
        parts_give_the_whole_corpus_pairs(TemplateRule::Off);
    }

    #[test]
    fn parts_give_the_whole_corpus_pairs_with_templates() {
        parts_give_the_whole_corpus_pairs(TemplateRule::Auto);
    }
}
