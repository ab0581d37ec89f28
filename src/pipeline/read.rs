//! Reading a corpus in batches and processing each document in parallel.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::corpus::{Batch, CorpusReader, DocMeta, Document, MAX_ID_BYTES, Records, parse_line};
use crate::error::{Error, Location, Result};

/// Where a pipeline's documents come from: files and streams read in batches, or documents
/// already in memory (their texts borrowed, not copied: from Python strings, an Arrow
/// column, a database row set).
pub enum Source<'a> {
    /// Inputs read in batches.
    Reader(Box<CorpusReader>),
    /// Documents in memory, in order; errors name their place as `<memory>:N` (1-based).
    Memory(&'a [Document<'a>]),
}

impl std::fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Reader(r) => f.debug_tuple("Reader").field(r.fields()).finish(),
            Source::Memory(docs) => write!(f, "Memory({} documents)", docs.len()),
        }
    }
}

impl From<CorpusReader> for Source<'_> {
    fn from(reader: CorpusReader) -> Self {
        Source::Reader(Box::new(reader))
    }
}

impl<'a> From<&'a [Document<'a>]> for Source<'a> {
    fn from(docs: &'a [Document<'a>]) -> Self {
        Source::Memory(docs)
    }
}

impl<'a> From<&'a Vec<Document<'a>>> for Source<'a> {
    fn from(docs: &'a Vec<Document<'a>>) -> Self {
        Source::Memory(docs)
    }
}

/// The input name of documents in memory.
pub const MEMORY_INPUT: &str = "<memory>";

/// Documents in memory processed per step (the parallel map of one step overlaps the
/// serial fold of the one before, as for batches read from files).
const MEMORY_CHUNK: usize = 8192;

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
pub fn read_corpus<'a, T, S, F>(
    source: impl Into<Source<'a>>,
    on_batch: impl FnMut(usize) + Send,
    f: F,
) -> Result<ReadCorpus<T>>
where
    T: Send,
    S: Default + Send,
    F: Fn(&Document<'_>, &mut S) -> T + Sync,
{
    read_corpus_then(source, on_batch, f, |t| t)
}

/// As [`read_corpus`], then passes each result, in input order, through `then` (on the
/// calling thread) before keeping it: a place to fold per-document results into shared
/// state and keep something smaller.
///
/// The serial part overlaps the parallel one: while the pool processes batch `k`, the
/// calling thread folds batch `k - 1` into the corpus and reads batch `k + 1`, then joins
/// the pool's work.
pub fn read_corpus_then<'a, T, U, S, F>(
    source: impl Into<Source<'a>>,
    on_batch: impl FnMut(usize) + Send,
    f: F,
    then: impl FnMut(T) -> U + Send,
) -> Result<ReadCorpus<U>>
where
    T: Send,
    U: Send,
    S: Default + Send,
    F: Fn(&Document<'_>, &mut S) -> T + Sync,
{
    match source.into() {
        Source::Reader(reader) => read_batches_then(*reader, on_batch, f, then),
        Source::Memory(docs) => read_memory_then(docs, on_batch, f, then),
    }
}

/// [`read_corpus_then`] over documents in memory: chunks mapped in parallel, each folded
/// while the next is mapped.
fn read_memory_then<T, U, S, F>(
    docs: &[Document<'_>],
    mut on_batch: impl FnMut(usize) + Send,
    f: F,
    mut then: impl FnMut(T) -> U + Send,
) -> Result<ReadCorpus<U>>
where
    T: Send,
    U: Send,
    S: Default + Send,
    F: Fn(&Document<'_>, &mut S) -> T + Sync,
{
    let inputs = vec![PathBuf::from(MEMORY_INPUT)];
    let mut kept = Kept::with_capacity(docs.len());
    let process = |start: usize, chunk: &[Document<'_>]| -> Processed<T> {
        chunk
            .par_iter()
            .enumerate()
            .map_init(S::default, |scratch, (i, d)| {
                let mut meta = DocMeta::of(d, 0);
                meta.line = (start + i + 1) as u64;
                Ok(Some((meta, f(d, scratch))))
            })
            .collect()
    };
    let mut pending: Option<Processed<T>> = None;
    for (k, chunk) in docs.chunks(MEMORY_CHUNK).enumerate() {
        let (folded, results) = rayon::join(
            || kept.fold_pending(pending.take(), &inputs, &mut then, &mut on_batch),
            || process(k * MEMORY_CHUNK, chunk),
        );
        folded?;
        pending = Some(results);
    }
    kept.fold_pending(pending, &inputs, &mut then, &mut on_batch)?;
    kept.finish(inputs)
}

/// [`read_corpus_then`] over inputs read in batches.
fn read_batches_then<T, U, S, F>(
    mut reader: CorpusReader,
    mut on_batch: impl FnMut(usize) + Send,
    f: F,
    mut then: impl FnMut(T) -> U + Send,
) -> Result<ReadCorpus<U>>
where
    T: Send,
    U: Send,
    S: Default + Send,
    F: Fn(&Document<'_>, &mut S) -> T + Sync,
{
    let fields = reader.fields().clone();
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut kept = Kept::with_capacity(0);
    kept.strict_dates = reader.is_strict_dates();
    let process = |batch: &Batch, input: u32| -> Processed<T> {
        match &batch.records {
            Records::Lines { buf, base, lines } => lines
                .par_iter()
                .map_init(S::default, |scratch, (line, range)| {
                    let doc = parse_line(buf, *base, (*line, range.clone()), &batch.path, &fields)?;
                    Ok(doc.map(|d| (DocMeta::of(&d, input), f(&d, scratch))))
                })
                .collect(),
            Records::Docs(list) => list
                .par_iter()
                .map_init(S::default, |scratch, d| {
                    Ok(Some((DocMeta::of(d, input), f(d, scratch))))
                })
                .collect(),
        }
    };
    let mut next = reader.next_batch();
    let mut pending: Option<Processed<T>> = None;
    while let Some(batch) = next {
        let batch: Batch = match batch {
            Ok(b) => b,
            Err(e) => {
                // Errors in input order: those of the batch before this one come first.
                kept.fold_pending(pending, &inputs, &mut then, &mut on_batch)?;
                return Err(e);
            }
        };
        if inputs.last() != Some(&*batch.path) {
            inputs.push((*batch.path).clone());
        }
        let input = (inputs.len() - 1) as u32;
        let (serial, results) = rayon::join(
            || -> Result<Option<Result<Batch>>> {
                kept.fold_pending(pending.take(), &inputs, &mut then, &mut on_batch)?;
                Ok(reader.next_batch())
            },
            || process(&batch, input),
        );
        next = serial?;
        pending = Some(results);
    }
    kept.fold_pending(pending, &inputs, &mut then, &mut on_batch)?;
    kept.finish(inputs)
}

/// The per-document results of one batch, in input order (`None` for a skipped line).
type Processed<T> = Vec<Result<Option<(DocMeta, T)>>>;

/// What reading has kept so far, and the ids seen (by hash, to report duplicates).
struct Kept<U> {
    docs: Vec<DocMeta>,
    items: Vec<U>,
    ids: HashMap<u64, u32>,
    /// A date that cannot be read is an error.
    strict_dates: bool,
}

impl<U> Kept<U> {
    fn with_capacity(n: usize) -> Self {
        Kept {
            docs: Vec::with_capacity(n),
            items: Vec::with_capacity(n),
            ids: HashMap::with_capacity(n),
            strict_dates: false,
        }
    }

    /// Folds the batch processed last, if any, and reports progress.
    fn fold_pending<T>(
        &mut self,
        pending: Option<Processed<T>>,
        inputs: &[PathBuf],
        then: &mut impl FnMut(T) -> U,
        on_batch: &mut impl FnMut(usize),
    ) -> Result<()> {
        if let Some(results) = pending {
            self.fold(results, inputs, then)?;
            on_batch(self.docs.len());
        }
        Ok(())
    }

    /// What was read, or [`Error::EmptyCorpus`] if nothing was.
    fn finish(self, inputs: Vec<PathBuf>) -> Result<ReadCorpus<U>> {
        if self.docs.is_empty() {
            return Err(Error::EmptyCorpus);
        }
        Ok(ReadCorpus {
            inputs,
            docs: self.docs,
            items: self.items,
        })
    }

    /// Keeps a processed batch, in order, through `then`; the first error in input order
    /// (a document's, or a duplicate id) stops it.
    fn fold<T>(
        &mut self,
        results: Processed<T>,
        inputs: &[PathBuf],
        then: &mut impl FnMut(T) -> U,
    ) -> Result<()> {
        for r in results {
            let Some((meta, item)) = r? else { continue };
            if self.strict_dates && meta.date_unreadable() {
                return Err(Error::parse(
                    inputs[meta.input as usize].clone(),
                    meta.line,
                    format!(
                        "cannot read the date {:?} (not a form neardup reads)",
                        meta.date.as_deref().unwrap_or("")
                    ),
                ));
            }
            if meta.id.len() > MAX_ID_BYTES {
                return Err(Error::parse(
                    inputs[meta.input as usize].clone(),
                    meta.line,
                    format!(
                        "an id of {} bytes (ids are at most {MAX_ID_BYTES} bytes: is the id \
                         field the right one?)",
                        meta.id.len()
                    ),
                ));
            }
            let key = xxh3_64(meta.id.as_bytes());
            match self.ids.get(&key) {
                Some(&first) if self.docs[first as usize].id == meta.id => {
                    let f = &self.docs[first as usize];
                    return Err(Error::DuplicateId {
                        id: meta.id.to_string(),
                        location: Location {
                            path: inputs[meta.input as usize].clone(),
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
                    self.ids.insert(key, self.docs.len() as u32);
                }
            }
            self.docs.push(meta);
            self.items.push(then(item));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{FieldMap, Input};

    /// A JSONL file of `n` documents with `bad(i)` replacing line `i + 1` when it says so.
    fn corpus(dir: &std::path::Path, n: usize, bad: impl Fn(usize) -> Option<String>) -> Input {
        let mut content = String::new();
        for i in 0..n {
            let line =
                bad(i).unwrap_or_else(|| format!("{{\"id\":\"d{i}\",\"text\":\"doc {i}\"}}"));
            content.push_str(&line);
            content.push('\n');
        }
        let p = dir.join("c.jsonl");
        std::fs::write(&p, content).unwrap();
        Input::new(&p, None).unwrap()
    }

    fn run(input: &Input, threads: usize) -> Result<ReadCorpus<String>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let reader = CorpusReader::new(vec![input.clone()], FieldMap::default()).batch_bytes(90);
        let mut batches = 0;
        let r = pool.install(|| {
            read_corpus_then(
                reader,
                |_| batches += 1,
                |d: &Document<'_>, _: &mut ()| d.text.len(),
                |len| format!("{len}"),
            )
        });
        if r.is_ok() {
            // One progress report per batch kept, none before the first.
            let mut reader =
                CorpusReader::new(vec![input.clone()], FieldMap::default()).batch_bytes(90);
            let expected = std::iter::from_fn(|| reader.next_batch()).count();
            assert!(expected > 10, "{expected} batches: the test needs many");
            assert_eq!(batches, expected);
        }
        r
    }

    #[test]
    fn overlapped_batches_keep_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let input = corpus(dir.path(), 300, |_| None);
        for threads in [1, 2] {
            let r = run(&input, threads).unwrap();
            assert_eq!(r.docs.len(), 300);
            for (i, (d, item)) in r.docs.iter().zip(&r.items).enumerate() {
                assert_eq!(&*d.id, format!("d{i}"));
                assert_eq!(d.line, i as u64 + 1);
                assert_eq!(*item, format!("doc {i}").len().to_string());
            }
        }
    }

    #[test]
    fn first_error_in_input_order_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        // A duplicate id on line 51, then malformed lines in later batches.
        let input = corpus(dir.path(), 300, |i| match i {
            50 => Some("{\"id\":\"d3\",\"text\":\"again\"}".into()),
            51 | 120 | 250 => Some("{\"id\": oops".into()),
            _ => None,
        });
        for threads in [1, 2] {
            match run(&input, threads) {
                Err(Error::DuplicateId { id, location, .. }) => {
                    assert_eq!(id, "d3");
                    assert_eq!(location.line, 51);
                }
                other => panic!("expected the duplicate id on line 51, got {other:?}"),
            }
        }
        // Without the duplicate, the first malformed line is the one reported.
        let input = corpus(dir.path(), 300, |i| match i {
            120 | 250 => Some("{\"id\": oops".into()),
            _ => None,
        });
        for threads in [1, 2] {
            match run(&input, threads) {
                Err(Error::Parse { location, .. }) => assert_eq!(location.line, 121),
                other => panic!("expected a parse error on line 121, got {other:?}"),
            }
        }
    }
}

#[cfg(test)]
mod memory_tests {
    use super::*;
    use crate::corpus::{FieldMap, Input};

    #[test]
    fn documents_in_memory_read_as_the_same_file_does() {
        let n = MEMORY_CHUNK * 2 + 17;
        let texts: Vec<String> = (0..n).map(|i| format!("doc {i} of {}", i % 7)).collect();
        let docs: Vec<Document<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i}"), t.as_str()))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let lines: String = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                format!(
                    "{}\n",
                    serde_json::json!({"id": format!("d{i}"), "text": t})
                )
            })
            .collect();
        std::fs::write(&path, lines).unwrap();
        let f = |d: &Document<'_>, _: &mut ()| d.text.len();
        let mut reports = Vec::new();
        let mem = read_corpus(&docs, |k| reports.push(k), f).unwrap();
        let reader = CorpusReader::new(vec![Input::new(&path, None).unwrap()], FieldMap::default());
        let file = read_corpus(reader, |_| {}, f).unwrap();
        assert_eq!(mem.items, file.items);
        let ids = |r: &ReadCorpus<usize>| r.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&mem), ids(&file));
        assert_eq!(mem.inputs, vec![PathBuf::from(MEMORY_INPUT)]);
        // Lines count documents from 1; progress is reported per chunk.
        assert_eq!(mem.docs[0].line, 1);
        assert_eq!(mem.docs[n - 1].line, n as u64);
        assert_eq!(reports, vec![MEMORY_CHUNK, 2 * MEMORY_CHUNK, n]);
    }

    #[test]
    fn a_repeated_id_in_memory_is_an_error_naming_both_places() {
        let mut docs: Vec<Document<'_>> = (0..MEMORY_CHUNK + 5)
            .map(|i| Document::new(format!("d{i}"), "text"))
            .collect();
        docs[MEMORY_CHUNK + 2].id = "d3".into();
        let e = read_corpus(&docs, |_| {}, |_, _: &mut ()| ()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "<memory>:{}: duplicate id \"d3\" (first seen at <memory>:4)",
                MEMORY_CHUNK + 3
            )
        );
        let empty: Vec<Document<'_>> = Vec::new();
        assert!(matches!(
            read_corpus(&empty, |_| {}, |_, _: &mut ()| ()),
            Err(Error::EmptyCorpus)
        ));
    }
}
