//! Reading and sketching a corpus in parallel batches.

use std::path::PathBuf;

use super::config::Pipeline;
use super::read::read_corpus;
use crate::corpus::{CorpusReader, DocMeta, Document};
use crate::error::{Location, Result};
use crate::minhash::SignatureMatrix;
use crate::shingle::{ShingleScratch, ShingleSets};

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

impl Pipeline {
    /// Reads every batch of `reader`, shingling and sketching documents in parallel (on
    /// the current rayon pool). `on_batch` is called after each batch with the number of
    /// documents so far (for progress reports).
    pub fn sketch_corpus(
        &self,
        reader: CorpusReader,
        on_batch: impl FnMut(usize),
    ) -> Result<SketchedCorpus> {
        let k = self.hasher.num_perm();
        let read = read_corpus(
            reader,
            on_batch,
            |d: &Document<'_>, scratch: &mut ShingleScratch| {
                let mut set = Vec::new();
                self.shingler
                    .shingles_into(&self.analyzer, &d.text, scratch, &mut set);
                set.sort_unstable();
                set.dedup();
                let signature = self.hasher.signature(&set);
                (set, signature)
            },
        )?;
        let mut sets = ShingleSets::new();
        let mut flat = Vec::with_capacity(read.items.len() * k);
        let mut empty = Vec::new();
        for (i, (set, signature)) in read.items.into_iter().enumerate() {
            if set.is_empty() {
                empty.push(i as u32);
            }
            sets.push(&set);
            flat.extend_from_slice(&signature);
        }
        let signatures = SignatureMatrix::from_flat(self.hasher.params(), flat)?;
        Ok(SketchedCorpus {
            inputs: read.inputs,
            docs: read.docs,
            sets,
            signatures,
            empty,
        })
    }
}
