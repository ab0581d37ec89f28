//! Reading and sketching a corpus in parallel batches.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::config::Pipeline;
use crate::corpus::{Batch, CorpusReader, Document, Records, parse_jsonl_line};
use crate::error::{Error, Location, Result};
use crate::minhash::SignatureMatrix;
use crate::shingle::ShingleScratch;

/// What is kept of a document once its text is sketched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// The id as in the input.
    pub id: String,
    /// Whether the id was a JSON number.
    pub id_is_number: bool,
    /// Title, outlet, date, url, if given.
    pub title: Option<String>,
    /// The outlet.
    pub outlet: Option<String>,
    /// The date.
    pub date: Option<String>,
    /// The url.
    pub url: Option<String>,
    /// Index of the input file in [`SketchedCorpus::inputs`].
    pub input: u32,
    /// Line in that input (0 for whole-file documents).
    pub line: u64,
}

/// Sorted, deduplicated shingle sets of many documents, stored end to end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShingleSets {
    offsets: Vec<usize>,
    data: Vec<u64>,
}

impl ShingleSets {
    fn new() -> Self {
        ShingleSets {
            offsets: vec![0],
            data: Vec::new(),
        }
    }

    fn push(&mut self, set: &[u64]) {
        self.data.extend_from_slice(set);
        self.offsets.push(self.data.len());
    }

    /// The set of document `i`.
    pub fn get(&self, i: usize) -> &[u64] {
        &self.data[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A corpus reduced to what the later stages need.
#[derive(Debug)]
pub struct SketchedCorpus {
    /// Input paths, in order.
    pub inputs: Vec<PathBuf>,
    /// Metadata, in input order.
    pub docs: Vec<DocMeta>,
    /// Shingle sets, by document number.
    pub sets: ShingleSets,
    /// Signatures, by document number.
    pub signatures: SignatureMatrix,
    /// Documents without a single token (never matched).
    pub empty: Vec<u32>,
}

impl SketchedCorpus {
    /// Where document `i` came from.
    pub fn location(&self, i: usize) -> Location {
        let d = &self.docs[i];
        Location {
            path: self.inputs[d.input as usize].clone(),
            line: d.line,
        }
    }

    /// Document numbers that have at least one shingle.
    pub fn non_empty(&self) -> Vec<u32> {
        (0..self.docs.len() as u32)
            .filter(|&i| !self.sets.get(i as usize).is_empty())
            .collect()
    }
}

struct Sketched {
    meta: DocMeta,
    set: Vec<u64>,
    signature: Vec<u32>,
}

impl Pipeline {
    /// Reads every batch of `reader`, shingling and sketching documents in parallel (on
    /// the current rayon pool). `on_batch` is called after each batch with the number of
    /// documents so far (for progress reports).
    pub fn sketch_corpus(
        &self,
        reader: CorpusReader,
        mut on_batch: impl FnMut(usize),
    ) -> Result<SketchedCorpus> {
        let fields = reader.fields().clone();
        let k = self.hasher.num_perm();
        let mut inputs: Vec<PathBuf> = Vec::new();
        let mut docs = Vec::new();
        let mut sets = ShingleSets::new();
        let mut flat = Vec::new();
        let mut empty = Vec::new();
        let mut ids: HashMap<u64, u32> = HashMap::new();
        for batch in reader {
            let batch: Batch = batch?;
            if inputs.last() != Some(&*batch.path) {
                inputs.push((*batch.path).clone());
            }
            let input = (inputs.len() - 1) as u32;
            let results: Vec<Result<Option<Sketched>>> = match &batch.records {
                Records::Lines { buf, lines } => lines
                    .par_iter()
                    .map_init(ShingleScratch::default, |scratch, (line, range)| {
                        let doc =
                            parse_jsonl_line(&buf[range.clone()], &batch.path, *line, &fields)?;
                        Ok(doc.map(|d| self.sketch_document(&d, input, scratch)))
                    })
                    .collect(),
                Records::Docs(list) => list
                    .par_iter()
                    .map_init(ShingleScratch::default, |scratch, d| {
                        Ok(Some(self.sketch_document(d, input, scratch)))
                    })
                    .collect(),
            };
            for r in results {
                let Some(s) = r? else { continue };
                let n = docs.len() as u32;
                if let Some(&first) = ids.get(&xxh3_64(s.meta.id.as_bytes())) {
                    let f: &DocMeta = &docs[first as usize];
                    if f.id == s.meta.id {
                        return Err(Error::DuplicateId {
                            id: s.meta.id.clone(),
                            location: Location {
                                path: inputs[input as usize].clone(),
                                line: s.meta.line,
                            },
                            first: Location {
                                path: inputs[f.input as usize].clone(),
                                line: f.line,
                            },
                        });
                    }
                } else {
                    ids.insert(xxh3_64(s.meta.id.as_bytes()), n);
                }
                if s.set.is_empty() {
                    empty.push(n);
                }
                sets.push(&s.set);
                flat.extend_from_slice(&s.signature);
                docs.push(s.meta);
            }
            on_batch(docs.len());
        }
        if docs.is_empty() {
            return Err(Error::EmptyCorpus);
        }
        debug_assert_eq!(flat.len(), docs.len() * k);
        let signatures = SignatureMatrix::from_flat(self.hasher.params(), flat)?;
        Ok(SketchedCorpus {
            inputs,
            docs,
            sets,
            signatures,
            empty,
        })
    }

    fn sketch_document(
        &self,
        d: &Document<'_>,
        input: u32,
        scratch: &mut ShingleScratch,
    ) -> Sketched {
        let mut set = Vec::new();
        self.shingler
            .shingles_into(&self.analyzer, &d.text, scratch, &mut set);
        set.sort_unstable();
        set.dedup();
        set.shrink_to_fit();
        let signature = self.hasher.signature(&set);
        let own = |s: &Option<std::borrow::Cow<'_, str>>| s.as_ref().map(|s| s.to_string());
        Sketched {
            meta: DocMeta {
                id: d.id.to_string(),
                id_is_number: d.id_is_number,
                title: own(&d.title),
                outlet: own(&d.outlet),
                date: own(&d.date),
                url: own(&d.url),
                input,
                line: d.line,
            },
            set,
            signature,
        }
    }
}
