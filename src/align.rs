//! Aligned passages: the text two documents share, with character offsets in both.
//!
//! 1. Both texts are split into UAX#29 words *of the original text* (so offsets point into
//!    what the user gave us); each word is normalised (NFKC, case folding, typographic
//!    variants) and hashed.
//! 2. **Seeds**: every run of `seed` consecutive words that occurs in both texts.
//! 3. **Extension**: seeds on one diagonal (same offset between the two texts) that touch
//!    or overlap join into maximal exact runs.
//! 4. **Edits**: runs that follow each other in both texts with at most `max_gap` words
//!    between them in each (a changed word, an inserted clause, a typo) join into one
//!    passage. Passages are chained greedily, longest first, and never overlap in either
//!    text.
//! 5. Passages shorter than `min_words` (on both sides) are dropped: independent texts on
//!    one topic share stock phrases, not passages.
//!
//! This is the seed-and-extend scheme of BLAST, as text-reuse tools (passim, the
//! Superfastmatch family) use it, with gapped chaining instead of a full dynamic program.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::text::{Analyzer, Tokenizer, WordTokenizer};

/// Default seed length in words.
pub const DEFAULT_SEED_WORDS: usize = 3;
/// Default largest gap (in words, in each text) bridged inside one passage.
pub const DEFAULT_MAX_GAP: usize = 8;
/// Default shortest passage in words.
pub const DEFAULT_MIN_PASSAGE_WORDS: usize = 8;

/// One shared passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Byte range in the first text (from the first word's start to the last word's end).
    pub a: Range<usize>,
    /// Byte range in the second text.
    pub b: Range<usize>,
    /// Words of the first text inside the passage.
    pub words_a: usize,
    /// Words of the second text inside the passage.
    pub words_b: usize,
    /// Words matched exactly (inside seeds), a measure of how close the passage is.
    pub matched: usize,
}

/// The passages two texts share and how much of each they cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Passages in the order of the first text.
    pub passages: Vec<Passage>,
    /// Words in the first text.
    pub total_a: usize,
    /// Words in the second text.
    pub total_b: usize,
    /// Share of the first text's words inside a passage.
    pub coverage_a: f64,
    /// Share of the second text's words inside a passage.
    pub coverage_b: f64,
}

/// Finds shared passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aligner {
    seed: usize,
    max_gap: usize,
    min_words: usize,
}

impl Default for Aligner {
    fn default() -> Self {
        Aligner {
            seed: DEFAULT_SEED_WORDS,
            max_gap: DEFAULT_MAX_GAP,
            min_words: DEFAULT_MIN_PASSAGE_WORDS,
        }
    }
}

/// A word of the original text: its byte range and its normalised hash.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    hash: u64,
}

/// An exact run: `len` words from `i` in the first text and `j` in the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    i: usize,
    j: usize,
    len: usize,
}

impl Aligner {
    /// An aligner with `seed` words per seed (at least 2), gaps up to `max_gap` words, and
    /// passages of at least `min_words` words (at least `seed`).
    pub fn new(seed: usize, max_gap: usize, min_words: usize) -> Result<Self> {
        if seed < 2 {
            return Err(Error::config("seed", "seeds need at least 2 words"));
        }
        if min_words < seed {
            return Err(Error::config(
                "min_words",
                format!("{min_words} is shorter than a seed ({seed} words)"),
            ));
        }
        Ok(Aligner {
            seed,
            max_gap,
            min_words,
        })
    }

    /// Aligns `a` and `b`.
    pub fn align(&self, analyzer: &Analyzer, a: &str, b: &str) -> Alignment {
        let (wa, wb) = (words(analyzer, a), words(analyzer, b));
        let runs = self.exact_runs(&wa, &wb);
        let chains = self.chain(runs);
        let mut passages: Vec<Passage> = chains
            .into_iter()
            .filter_map(|c| {
                let (first, last) = (c.first()?, c.last()?);
                let (i0, i1) = (first.i, last.i + last.len);
                let (j0, j1) = (first.j, last.j + last.len);
                let (na, nb) = (i1 - i0, j1 - j0);
                if na.max(nb) < self.min_words {
                    return None;
                }
                Some(Passage {
                    a: wa[i0].start..wa[i1 - 1].end,
                    b: wb[j0].start..wb[j1 - 1].end,
                    words_a: na,
                    words_b: nb,
                    matched: c.iter().map(|r| r.len).sum(),
                })
            })
            .collect();
        passages.sort_by_key(|p| (p.a.start, p.b.start));
        let covered_a: usize = passages.iter().map(|p| p.words_a).sum();
        let covered_b: usize = passages.iter().map(|p| p.words_b).sum();
        let share = |c: usize, t: usize| if t == 0 { 0.0 } else { c as f64 / t as f64 };
        Alignment {
            total_a: wa.len(),
            total_b: wb.len(),
            coverage_a: share(covered_a, wa.len()),
            coverage_b: share(covered_b, wb.len()),
            passages,
        }
    }

    /// Maximal exact runs of at least `seed` words, each pair of positions in at most one.
    fn exact_runs(&self, wa: &[Word], wb: &[Word]) -> Vec<Run> {
        let k = self.seed;
        if wa.len() < k || wb.len() < k {
            return Vec::new();
        }
        let seed_hash = |w: &[Word]| {
            w.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, x| {
                (h ^ x.hash).wrapping_mul(0x0100_0000_01b3).rotate_left(23)
            })
        };
        let mut in_b: HashMap<u64, Vec<usize>> = HashMap::new();
        for j in 0..=wb.len() - k {
            in_b.entry(seed_hash(&wb[j..j + k])).or_default().push(j);
        }
        // Seeds, by diagonal (j - i) then by i: runs on one diagonal are then consecutive.
        let mut seeds: Vec<(isize, usize)> = Vec::new();
        for i in 0..=wa.len() - k {
            if let Some(js) = in_b.get(&seed_hash(&wa[i..i + k])) {
                for &j in js {
                    // Confirm word by word: a hash collision must not make a passage.
                    if (0..k).all(|t| wa[i + t].hash == wb[j + t].hash) {
                        seeds.push((j as isize - i as isize, i));
                    }
                }
            }
        }
        seeds.sort_unstable();
        let mut runs: Vec<Run> = Vec::new();
        for (d, i) in seeds {
            let j = (i as isize + d) as usize;
            match runs.last_mut() {
                Some(r) if r.j as isize - r.i as isize == d && i <= r.i + r.len => {
                    r.len = r.len.max(i + k - r.i);
                }
                _ => runs.push(Run { i, j, len: k }),
            }
        }
        runs
    }

    /// Chains runs into passages, longest run first; a chain grows by the runs that follow
    /// (or precede) it in both texts within the gap, and chains never overlap.
    fn chain(&self, mut runs: Vec<Run>) -> Vec<Vec<Run>> {
        runs.sort_by(|x, y| y.len.cmp(&x.len).then(x.i.cmp(&y.i)).then(x.j.cmp(&y.j)));
        let mut used_a: Vec<Range<usize>> = Vec::new();
        let mut used_b: Vec<Range<usize>> = Vec::new();
        let overlaps = |used: &[Range<usize>], r: &Range<usize>| {
            used.iter().any(|u| u.start < r.end && r.start < u.end)
        };
        let mut taken = vec![false; runs.len()];
        let mut chains = Vec::new();
        for s in 0..runs.len() {
            if taken[s] {
                continue;
            }
            let seed = runs[s];
            if overlaps(&used_a, &(seed.i..seed.i + seed.len))
                || overlaps(&used_b, &(seed.j..seed.j + seed.len))
            {
                taken[s] = true;
                continue;
            }
            taken[s] = true;
            let mut chain = vec![seed];
            // Grow right, then left, taking the nearest run each time.
            loop {
                let last = *chain.last().unwrap_or(&seed);
                let (ea, eb) = (last.i + last.len, last.j + last.len);
                let next = (0..runs.len())
                    .filter(|&t| !taken[t])
                    .filter(|&t| {
                        let r = runs[t];
                        r.i >= ea
                            && r.j >= eb
                            && r.i - ea <= self.max_gap
                            && r.j - eb <= self.max_gap
                            && !overlaps(&used_a, &(ea..r.i + r.len))
                            && !overlaps(&used_b, &(eb..r.j + r.len))
                    })
                    .min_by_key(|&t| ((runs[t].i - ea) + (runs[t].j - eb), runs[t].i));
                match next {
                    Some(t) => {
                        taken[t] = true;
                        chain.push(runs[t]);
                    }
                    None => break,
                }
            }
            loop {
                let first = chain[0];
                let prev = (0..runs.len())
                    .filter(|&t| !taken[t])
                    .filter(|&t| {
                        let r = runs[t];
                        let (ea, eb) = (r.i + r.len, r.j + r.len);
                        ea <= first.i
                            && eb <= first.j
                            && first.i - ea <= self.max_gap
                            && first.j - eb <= self.max_gap
                            && !overlaps(&used_a, &(r.i..first.i))
                            && !overlaps(&used_b, &(r.j..first.j))
                    })
                    .min_by_key(|&t| {
                        let r = runs[t];
                        ((first.i - r.i - r.len) + (first.j - r.j - r.len), r.i)
                    });
                match prev {
                    Some(t) => {
                        taken[t] = true;
                        chain.insert(0, runs[t]);
                    }
                    None => break,
                }
            }
            let (f, l) = (chain[0], chain[chain.len() - 1]);
            used_a.push(f.i..l.i + l.len);
            used_b.push(f.j..l.j + l.len);
            chains.push(chain);
        }
        chains
    }
}

/// The words of `text` with their byte ranges, each normalised as the analyser would.
fn words(analyzer: &Analyzer, text: &str) -> Vec<Word> {
    let base = text.as_ptr() as usize;
    let mut out = Vec::new();
    let mut scratch = String::new();
    WordTokenizer.tokenize(text, &mut |w: &str| {
        let start = w.as_ptr() as usize - base;
        scratch.clear();
        analyzer.normalizer().normalize_into(w, &mut scratch);
        out.push(Word {
            start,
            end: start + w.len(),
            hash: xxhash_rust::xxh3::xxh3_64(scratch.as_bytes()),
        });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Inheritance lets a class reuse the fields and methods of another class. \
        The derived class can override methods to change behaviour, and it can add new members \
        of its own. Most object-oriented languages support single inheritance.";

    #[test]
    fn identical_texts_are_one_passage() {
        let al = Aligner::default().align(&Analyzer::default(), SOURCE, SOURCE);
        assert_eq!(al.passages.len(), 1);
        let p = &al.passages[0];
        assert_eq!(
            (p.a.clone(), p.b.clone()),
            (0..SOURCE.len() - 1, 0..SOURCE.len() - 1)
        );
        assert_eq!(al.coverage_a, 1.0);
        assert_eq!(al.coverage_b, 1.0);
    }

    #[test]
    fn small_edits_stay_inside_one_passage_and_offsets_point_at_the_text() {
        let copy = "Breaking: INHERITANCE lets a class re-use the fields and methods of another \
            class. The derived class may override methods to change behaviour, and it can add \
            new members of its own. Nothing else.";
        let al = Aligner::default().align(&Analyzer::default(), SOURCE, copy);
        assert_eq!(al.passages.len(), 1, "{al:?}");
        let p = &al.passages[0];
        assert!(copy[p.b.clone()].starts_with("INHERITANCE lets a class"));
        assert!(copy[p.b.clone()].ends_with("of its own"));
        assert!(SOURCE[p.a.clone()].starts_with("Inheritance lets"));
        assert!(p.matched < p.words_a);
        assert!(
            al.coverage_b > 0.8 && al.coverage_b < 1.0,
            "{}",
            al.coverage_b
        );
    }

    #[test]
    fn reordered_sentences_give_separate_passages_and_unrelated_text_none() {
        let (s1, s2) = SOURCE.split_at(SOURCE.find(" The derived").unwrap());
        let swapped = format!("{} {}", s2.trim(), s1.trim());
        let al = Aligner::default().align(&Analyzer::default(), SOURCE, &swapped);
        assert_eq!(al.passages.len(), 2);
        assert!(al.coverage_a > 0.95);
        let other = "The central bank raised interest rates by half a point on Tuesday, citing \
            persistent inflation in services and a tight labour market.";
        let al = Aligner::default().align(&Analyzer::default(), SOURCE, other);
        assert!(al.passages.is_empty());
        assert_eq!(al.coverage_a, 0.0);
    }

    #[test]
    fn rejects_bad_settings() {
        assert!(Aligner::new(1, 4, 8).is_err());
        assert!(Aligner::new(4, 4, 3).is_err());
        assert!(Aligner::new(3, 0, 3).is_ok());
    }
}
