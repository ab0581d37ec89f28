//! Reading a corpus in batches and processing each document in parallel.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::corpus::{Batch, CorpusReader, DocMeta, Document, Records, parse_jsonl_line};
use crate::error::{Error, Location, Result};

/// Documents read and processed: metadata and one result per document, in input order.
#[derive(Debug)]
pub struct ReadCorpus<T> {
    /// Input paths, in order.
    pub inputs: Vec<PathBuf>,
    /// Metadata, in input order.
    pub docs: Vec<DocMeta>,
    /// The processing result of each document.
    pub items: Vec<T>,
}

/// Reads every batch of `reader` and applies `f` to each document in parallel (on the
/// current rayon pool), with a per-thread scratch value. Ids must be unique. The first
/// error in input order is returned, whatever the number of threads.
pub fn read_corpus<T, S, F>(
    reader: CorpusReader,
    on_batch: impl FnMut(usize),
    f: F,
) -> Result<ReadCorpus<T>>
where
    T: Send,
    S: Default + Send,
    F: Fn(&Document<'_>, &mut S) -> T + Sync,
{
    read_corpus_then(reader, on_batch, f, |t| t)
}

/// As [`read_corpus`], then passes each result, in input order, through `then` (on the
/// calling thread) before keeping it: a place to fold per-document results into shared
/// state and keep something smaller.
pub fn read_corpus_then<T, U, S, F>(
    reader: CorpusReader,
    mut on_batch: impl FnMut(usize),
    f: F,
    mut then: impl FnMut(T) -> U,
) -> Result<ReadCorpus<U>>
where
    T: Send,
    S: Default + Send,
    F: Fn(&Document<'_>, &mut S) -> T + Sync,
{
    let fields = reader.fields().clone();
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut docs: Vec<DocMeta> = Vec::new();
    let mut items = Vec::new();
    let mut ids: HashMap<u64, u32> = HashMap::new();
    for batch in reader {
        let batch: Batch = batch?;
        if inputs.last() != Some(&*batch.path) {
            inputs.push((*batch.path).clone());
        }
        let input = (inputs.len() - 1) as u32;
        let results: Vec<Result<Option<(DocMeta, T)>>> = match &batch.records {
            Records::Lines { buf, lines } => lines
                .par_iter()
                .map_init(S::default, |scratch, (line, range)| {
                    let doc = parse_jsonl_line(&buf[range.clone()], &batch.path, *line, &fields)?;
                    Ok(doc.map(|d| (DocMeta::of(&d, input), f(&d, scratch))))
                })
                .collect(),
            Records::Docs(list) => list
                .par_iter()
                .map_init(S::default, |scratch, d| {
                    Ok(Some((DocMeta::of(d, input), f(d, scratch))))
                })
                .collect(),
        };
        for r in results {
            let Some((meta, item)) = r? else { continue };
            let key = xxh3_64(meta.id.as_bytes());
            match ids.get(&key) {
                Some(&first) if docs[first as usize].id == meta.id => {
                    let f = &docs[first as usize];
                    return Err(Error::DuplicateId {
                        id: meta.id.clone(),
                        location: Location {
                            path: inputs[input as usize].clone(),
                            line: meta.line,
                        },
                        first: Location {
                            path: inputs[f.input as usize].clone(),
                            line: f.line,
                        },
                    });
                }
                Some(_) => {}
                None => {
                    ids.insert(key, docs.len() as u32);
                }
            }
            docs.push(meta);
            items.push(then(item));
        }
        on_batch(docs.len());
    }
    if docs.is_empty() {
        return Err(Error::EmptyCorpus);
    }
    Ok(ReadCorpus {
        inputs,
        docs,
        items,
    })
}
