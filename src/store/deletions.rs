//! The documents deleted from a segment of an archive: a bit per document in memory, and
//! on disk a sorted list of document numbers in a container file of its own
//! (`seg-000001.000007.del`: segment 1's deletions as of generation 7), versioned and
//! checksummed like an index file. A segment never changes; deleting a document writes a
//! new deletion file for its segment, which the next manifest names.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::file::{FileWriter, IndexFile};
use crate::error::{Error, Result};

/// Which documents of a segment are deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deletions {
    bits: Vec<u64>,
    count: usize,
}

#[derive(Serialize, Deserialize)]
struct DeletionsHeader {
    kind: String,
    /// Documents in the segment (every number below it).
    documents: usize,
    /// Deleted documents.
    deleted: usize,
}

const KIND: &str = "neardup-deletions/1";

impl Deletions {
    /// No document of a segment of `n` deleted.
    pub fn none(n: usize) -> Self {
        Deletions {
            bits: vec![0; n.div_ceil(64)],
            count: 0,
        }
    }

    /// Whether document `d` is deleted.
    #[inline]
    pub fn contains(&self, d: usize) -> bool {
        self.bits
            .get(d / 64)
            .is_some_and(|w| w >> (d % 64) & 1 == 1)
    }

    /// Deletes document `d` (below the segment's size); whether it was live.
    pub fn insert(&mut self, d: usize) -> bool {
        let w = &mut self.bits[d / 64];
        let bit = 1u64 << (d % 64);
        let new = *w & bit == 0;
        *w |= bit;
        self.count += usize::from(new);
        new
    }

    /// How many documents are deleted.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The deleted documents, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }

    /// Writes the deletions of a segment of `n` documents to `path` (atomically).
    pub fn write(&self, path: &Path, n: usize) -> Result<()> {
        let list: Vec<u32> = self.iter().map(|d| d as u32).collect();
        let mut w = FileWriter::create(path)?;
        w.u32s("deleted", &list)?;
        w.finish(&DeletionsHeader {
            kind: KIND.into(),
            documents: n,
            deleted: list.len(),
        })
    }

    /// Reads the deletions of a segment of `n` documents, checking every byte.
    pub fn read(path: &Path, n: usize) -> Result<Self> {
        let file = IndexFile::open(path)?;
        file.verify()?;
        let damaged = |why: &str| Error::index(path, format!("damaged deletion file ({why})"));
        let header: DeletionsHeader =
            serde_json::from_value(file.header().clone()).map_err(|e| damaged(&e.to_string()))?;
        if header.kind != KIND {
            return Err(damaged(&format!("kind {:?}", header.kind)));
        }
        if header.documents != n {
            return Err(damaged("it is for a segment of another size"));
        }
        let list = file.u32s("deleted", None)?;
        let mut out = Deletions::none(n);
        for (i, &d) in list.iter().enumerate() {
            if d as usize >= n || (i > 0 && list[i - 1] >= d) {
                return Err(damaged("numbers out of range or out of order"));
            }
            out.insert(d as usize);
        }
        if out.len() != header.deleted {
            return Err(damaged("wrong count"));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_set_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg.del");
        let mut d = Deletions::none(200);
        for i in [0, 63, 64, 130, 199] {
            assert!(d.insert(i));
        }
        assert!(!d.insert(64));
        assert_eq!(d.len(), 5);
        assert_eq!(d.iter().collect::<Vec<_>>(), [0, 63, 64, 130, 199]);
        d.write(&path, 200).unwrap();
        let back = Deletions::read(&path, 200).unwrap();
        assert_eq!(back, d);
        assert!(back.contains(130) && !back.contains(131));
        // Read for a segment of another size: refused.
        assert!(Deletions::read(&path, 100).is_err());
        // A flipped byte: refused.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[9] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert!(Deletions::read(&path, 200).is_err());
    }
}
