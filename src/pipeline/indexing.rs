//! Building an index from a corpus (one read for shingles, signatures and term counts),
//! adding to it, and answering many queries in parallel.

use rayon::prelude::*;

use super::config::Pipeline;
use super::read::Source;
use crate::error::{Error, Result};
use crate::store::{
    Index, IndexContents, IndexHeader, QueryResult, Searcher, WriterLock, write_index,
};
use crate::tfidf::TfidfBuilder;

/// Builds an index of a corpus and writes it atomically to `path`.
pub fn build_index<'a>(
    path: &std::path::Path,
    pipeline: &Pipeline,
    tfidf: TfidfBuilder,
    source: impl Into<Source<'a>>,
    on_batch: impl FnMut(usize) + Send,
) -> Result<IndexHeader> {
    let contents = pipeline.index_contents(source, on_batch)?;
    // Replacing an index another writer is adding to: after it, not under it (or the
    // other's rename would undo this build).
    let _lock = match path.is_file() {
        true => Some(WriterLock::acquire(path)?),
        false => None,
    };
    write_index(path, &pipeline.index_settings(tfidf), contents)
}

/// Adds a corpus to the index at `path`: reads the index, appends the new documents
/// (shingled and sketched with the index's own settings; ids must stay unique), and writes
/// a new file in its place atomically (the TF-IDF model is refitted on all documents).
pub fn add_to_index<'a>(
    path: &std::path::Path,
    source: impl Into<Source<'a>>,
    on_batch: impl FnMut(usize) + Send,
) -> Result<IndexHeader> {
    let pipeline = Pipeline::from_index(Index::open(path)?.settings())?;
    let added = pipeline.index_contents(source, on_batch)?;
    add_contents_to_index(path, added)
}

/// Adds contents read with the index's own pipeline ([`Pipeline::from_index`]) to the
/// index at `path`, as [`add_to_index`] does (ids must stay unique; a new file written in
/// its place atomically).
pub fn add_contents_to_index(path: &std::path::Path, added: IndexContents) -> Result<IndexHeader> {
    // Another writer's update is never lost: writers read and replace the file in turn.
    let _lock = WriterLock::acquire(path)?;
    let index = Index::open(path)?;
    let settings = index.settings().clone();
    let mut contents = index.contents()?;
    drop(index);
    let known: std::collections::HashSet<&str> =
        contents.docs.iter().map(|d| d.id.as_ref()).collect();
    if let Some(d) = added.docs.iter().find(|d| known.contains(d.id.as_ref())) {
        return Err(Error::Config {
            field: "id",
            reason: format!(
                "document id {:?} is already in the index {}",
                d.id,
                path.display()
            ),
        });
    }
    contents.append(added)?;
    write_index(path, &settings, contents)
}

/// Queries many texts in parallel (on the current rayon pool).
pub fn query_many(searcher: &Searcher<'_>, texts: &[String], k: usize) -> Result<Vec<QueryResult>> {
    texts.par_iter().map(|t| searcher.query(t, k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusReader, FieldMap, Input};
    use crate::tfidf::Neighbour;
    use crate::tfidf::TermRows;
    use crate::tfidf::TfidfModel;

    fn corpus(dir: &std::path::Path, name: &str, docs: &[(&str, &str)]) -> CorpusReader {
        let body: String = docs
            .iter()
            .map(|(id, t)| format!("{}\n", serde_json::json!({"id": id, "text": t})))
            .collect();
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        CorpusReader::new(vec![Input::new(&p, None).unwrap()], FieldMap::default())
    }

    /// An index of `docs` built with the default pipeline, in `dir`.
    fn index_of(dir: &std::path::Path, docs: &[(&str, &str)]) -> Index {
        let path = dir.join("t.ndx");
        let p = Pipeline::builder().build().unwrap();
        let r = corpus(dir, "t.jsonl", docs);
        build_index(&path, &p, TfidfModel::builder(), r, |_| {}).unwrap();
        Index::open(&path).unwrap()
    }

    /// An index of `texts`, with ids `d0`, `d1`, ...
    fn index_of_texts(dir: &std::path::Path, texts: &[String]) -> Index {
        let ids: Vec<String> = (0..texts.len()).map(|i| format!("d{i}")).collect();
        let docs: Vec<(&str, &str)> = ids
            .iter()
            .zip(texts)
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        index_of(dir, &docs)
    }

    const A: &str = "The central bank raised its main interest rate by half a percentage point on Tuesday, \
citing stubborn inflation in services and a tight labour market, and said more increases may follow.";
    const B: &str = "Heavy rain flooded parts of the northern coast overnight, closing two highways and cutting \
power to thousands of homes, while crews evacuated a nursing home near the river.";
    const C: &str = "The football club confirmed the signing of a young striker from abroad on a five year \
contract, ending weeks of talks over the transfer fee and wages.";

    /// Contents whose parts disagree in length are an error, and no file is written.
    #[test]
    fn inconsistent_contents_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = Pipeline::builder().build().unwrap();
        let r = corpus(dir.path(), "t.jsonl", &[("a", A), ("b", B), ("c", C)]);
        let mut contents = p.index_contents(r, |_| {}).unwrap();
        contents.terms = TermRows::new();
        let path = dir.path().join("x.ndx");
        let e = write_index(&path, &p.index_settings(TfidfModel::builder()), contents)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("3 documents") && e.contains("0 term rows"),
            "{e}"
        );
        assert!(!path.exists());
    }

    /// A band is searched without checking its checksums and the answer is proven on the
    /// chunks around it: damage elsewhere does not stop a query, damage there does.
    #[test]
    fn band_search_checks_only_the_chunks_around_its_answer() {
        // 5,000 documents: each band's keys (8 bytes each) span about ten of the unit
        // tests' 4 KiB checksum chunks.
        let texts: Vec<String> = (0..5_000)
            .map(|i| {
                format!(
                    "report {i} on matter {} with figures {} and {}",
                    i % 97,
                    i * 7,
                    i * 13
                )
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_texts(dir.path(), &texts);
        let p = Pipeline::from_index(index.settings()).unwrap();
        let signature = p
            .hasher()
            .signature(&p.shingler().shingle_set(p.analyzer(), &texts[2345]));
        let want = index.lsh_candidates(&signature).unwrap();
        assert!(want.contains(&2345));
        // The chunks each band's answer is proven on, as byte positions in the file.
        let lsh = index.settings().lsh;
        let m = index.header().sketched;
        let keys = index.file().sections()["lsh.keys"].clone();
        let chunk = crate::store::CHUNK_BYTES;
        let mut touched = std::collections::BTreeSet::new();
        let mut bucket0 = 0;
        for b in 0..lsh.bands {
            let r = index
                .band_bucket(b, crate::lsh::band_key(&signature, lsh, b))
                .unwrap();
            assert!(!r.is_empty());
            if b == 0 {
                bucket0 = r.start;
            }
            let first = (b * m + r.start.saturating_sub(1)) * 8 / chunk;
            let last = (b * m + r.end.min(m - 1)) * 8 / chunk;
            touched.extend(first..=last);
        }
        let n_chunks = (keys.len as usize).div_ceil(chunk);
        let far = (0..n_chunks).find(|c| !touched.contains(c)).unwrap();
        let path = index.file().path().to_owned();
        drop(index);
        let good = std::fs::read(&path).unwrap();
        let damaged = |at: usize| {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            Index::open(&path).unwrap().lsh_candidates(&signature)
        };
        let far_byte = keys.offset as usize + far * chunk + chunk / 2;
        assert_eq!(damaged(far_byte).unwrap(), want);
        let near_byte = keys.offset as usize + bucket0 * 8 + 3;
        let e = damaged(near_byte).unwrap_err().to_string();
        assert!(e.contains("damaged index"), "{e}");
    }

    /// Pruned related-article search equals walking every posting.
    #[test]
    fn related_equals_exhaustive_search() {
        let mut rng = crate::minhash::SplitMix64::new(7);
        let word = |rng: &mut crate::minhash::SplitMix64| {
            // Zipf-like over 400 words: the first few are in most documents.
            let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
            format!("w{}", (400f64.powf(u) - 1.0) as usize)
        };
        let texts: Vec<String> = (0..500)
            .map(|_| {
                let len = 5 + (rng.next() % 120) as usize;
                (0..len)
                    .map(|_| word(&mut rng))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_texts(dir.path(), &texts);
        assert!(index.header().common_df >= 2);
        let mut queries: Vec<String> = texts.iter().step_by(10).cloned().collect();
        queries.push("w0 w1 w2".into());
        queries.push("w399 w1".into());
        // Candidates completed from their rows, from the common postings, or the cheaper.
        for s in Searcher::both_completions(&index) {
            for (qi, q) in queries.iter().enumerate() {
                for k in [1, 5, 20] {
                    let exclude = (qi % 2 == 0).then_some(qi as u32 * 10);
                    let fast = s.related(q, k, exclude).unwrap();
                    // Small blocks: postings split across many of them.
                    assert_eq!(fast, s.related_in_blocks(q, k, exclude, 3).unwrap());
                    let slow = s.related_exhaustive(q, k, exclude).unwrap();
                    assert_eq!(fast.len(), slow.len(), "{q}");
                    for (f, b) in fast.iter().zip(&slow) {
                        assert!((f.score - b.score).abs() < 1e-4, "{fast:?} vs {slow:?}");
                    }
                    let last = slow.last().map_or(0.0, |n| n.score);
                    let above = |v: &[Neighbour]| -> Vec<u32> {
                        let mut d: Vec<u32> = v
                            .iter()
                            .filter(|n| n.score > last + 1e-4)
                            .map(|n| n.doc)
                            .collect();
                        d.sort_unstable();
                        d
                    };
                    assert_eq!(above(&fast), above(&slow));
                }
            }
        }
    }

    /// Capped LSH candidates follow the bucket-cap rule exactly: a document is a candidate
    /// when it shares a band whose bucket holds at most `cap` documents, or shares that
    /// band and the next one; without a cap, every document sharing a band.
    #[test]
    fn capped_query_candidates_follow_the_rule() {
        // 120 stories, 100 of them ending in the same long boilerplate paragraph.
        let boiler = "this article was produced by the regional news service and may be \
republished under its licence terms with credit to the original reporter and desk";
        let mut rng = crate::minhash::SplitMix64::new(11);
        let texts: Vec<String> = (0..120)
            .map(|i| {
                let own: Vec<String> = (0..30).map(|_| format!("w{}", rng.next() % 5000)).collect();
                let own = own.join(" ");
                if i < 100 {
                    format!("{own} {boiler}")
                } else {
                    own
                }
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_texts(dir.path(), &texts);
        let s = Searcher::new(&index).unwrap();
        let pipeline = Pipeline::from_index(index.settings()).unwrap();
        let p = &pipeline;
        let lsh = index.settings().lsh;
        let keys = |sig: &[u32]| -> Vec<u64> {
            (0..lsh.bands)
                .map(|b| crate::lsh::band_key(sig, lsh, b))
                .collect()
        };
        let doc_keys: Vec<Vec<u64>> = (0..index.len())
            .map(|d| keys(index.signature(d).unwrap()))
            .collect();
        let mut crowded_seen = false;
        let mut queries: Vec<String> = texts.iter().step_by(7).cloned().collect();
        queries.push(format!("a new lede entirely {boiler}"));
        for q in &queries {
            let set = p.shingler().shingle_set(p.analyzer(), q);
            let sig = p.hasher().signature(&set);
            let qk = keys(&sig);
            for cap in [None, Some(3), Some(20)] {
                let mut want: Vec<u32> = Vec::new();
                for b in 0..lsh.bands {
                    let bucket: Vec<u32> = (0..index.len() as u32)
                        .filter(|&d| doc_keys[d as usize][b] == qk[b])
                        .collect();
                    let next = (b + 1) % lsh.bands;
                    let crowded = cap.is_some_and(|c| bucket.len() > c);
                    crowded_seen |= crowded;
                    want.extend(
                        bucket
                            .iter()
                            .filter(|&&d| !crowded || doc_keys[d as usize][next] == qk[next]),
                    );
                }
                want.sort_unstable();
                want.dedup();
                let got = index.lsh_candidates_capped(&sig, cap).unwrap();
                assert_eq!(got, want, "cap {cap:?}");
                if cap.is_none() {
                    assert_eq!(got, index.lsh_candidates(&sig).unwrap());
                }
            }
        }
        assert!(crowded_seen, "the boilerplate must crowd some bucket");
        // An edited copy of a boilerplate story (its first three words dropped) is still
        // found through its own text.
        let copy: Vec<&str> = texts[3].split(' ').skip(3).collect();
        let res = s.query(&copy.join(" "), 5).unwrap();
        assert!(res.duplicates.iter().any(|m| m.doc == 3));
    }

    #[test]
    fn build_query_add() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("i.ndx");
        let p = Pipeline::builder().build().unwrap();
        let r = corpus(dir.path(), "a.jsonl", &[("a", A), ("b", B)]);
        let h = build_index(&path, &p, TfidfModel::builder(), r, |_| {}).unwrap();
        assert_eq!(
            (h.documents, h.num_perm, h.shingle.as_str()),
            (2, 128, "word:3")
        );
        let index = Index::open(&path).unwrap();
        let s = Searcher::new(&index).unwrap();
        let res = s.query(&A.replace("Tuesday", "Wednesday"), 5).unwrap();
        assert_eq!(res.duplicates.len(), 1);
        assert_eq!(res.duplicates[0].doc, 0);
        assert!(res.duplicates[0].jaccard > 0.7);
        assert_eq!(res.related[0].doc, 0);
        assert!(res.related[0].cosine > 0.8);
        drop(s);
        drop(index);
        // Add a document; a repeated id is refused and leaves the file as it was.
        let before = std::fs::read(&path).unwrap();
        let r = corpus(dir.path(), "dup.jsonl", &[("a", C)]);
        assert!(add_to_index(&path, r, |_| {}).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let r = corpus(dir.path(), "c.jsonl", &[("c", C)]);
        let h = add_to_index(&path, r, |_| {}).unwrap();
        assert_eq!(h.documents, 3);
        let index = Index::open(&path).unwrap();
        index.file().verify().unwrap();
        let s = Searcher::new(&index).unwrap();
        let res = s.query(C, 1).unwrap();
        assert_eq!(res.duplicates[0].doc, 2);
        assert_eq!(&*index.doc(2).unwrap().id, "c");
        assert_eq!(res.related.len(), 1);
        // The same index built in one go has the same contents.
        let path2 = dir.path().join("j.ndx");
        let r = corpus(dir.path(), "all.jsonl", &[("a", A), ("b", B), ("c", C)]);
        build_index(&path2, &p, TfidfModel::builder(), r, |_| {}).unwrap();
        let one = Index::open(&path2).unwrap();
        for i in 0..3 {
            assert_eq!(one.shingles(i).unwrap(), index.shingles(i).unwrap());
            assert_eq!(one.signature(i).unwrap(), index.signature(i).unwrap());
        }
        assert_eq!(one.idf().unwrap(), index.idf().unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&path2).unwrap()
        );
    }
}
