//! The banding index: documents bucketed by the hash of each band of their signature.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use super::params::LshParams;

/// The key of band `band` of a signature: xxh3 of its slots' little-endian bytes.
#[inline]
pub fn band_key(signature: &[u32], params: LshParams, band: usize) -> u64 {
    let slots = &signature[band * params.rows..(band + 1) * params.rows];
    let mut bytes = [0u8; 256];
    if slots.len() * 4 <= bytes.len() {
        for (chunk, v) in bytes.chunks_exact_mut(4).zip(slots) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        xxh3_64(&bytes[..slots.len() * 4])
    } else {
        let v: Vec<u8> = slots.iter().flat_map(|v| v.to_le_bytes()).collect();
        xxh3_64(&v)
    }
}

/// An incremental banding index over document numbers: insert, query, remove.
#[derive(Debug, Clone)]
pub struct BandIndex {
    params: LshParams,
    tables: Vec<HashMap<u64, Vec<u32>>>,
    len: usize,
}

impl BandIndex {
    /// An empty index.
    pub fn new(params: LshParams) -> Self {
        BandIndex {
            params,
            tables: vec![HashMap::new(); params.bands],
            len: 0,
        }
    }

    /// The banding.
    pub fn params(&self) -> LshParams {
        self.params
    }

    /// Number of documents inserted (and not removed).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds document `doc` with its signature.
    pub fn insert(&mut self, doc: u32, signature: &[u32]) {
        for (band, table) in self.tables.iter_mut().enumerate() {
            table
                .entry(band_key(signature, self.params, band))
                .or_default()
                .push(doc);
        }
        self.len += 1;
    }

    /// Removes document `doc`, which must have been inserted with this signature.
    /// Returns whether it was found.
    pub fn remove(&mut self, doc: u32, signature: &[u32]) -> bool {
        let mut found = false;
        for (band, table) in self.tables.iter_mut().enumerate() {
            let key = band_key(signature, self.params, band);
            if let Some(bucket) = table.get_mut(&key) {
                if let Some(pos) = bucket.iter().position(|&d| d == doc) {
                    bucket.swap_remove(pos);
                    found = true;
                }
                if bucket.is_empty() {
                    table.remove(&key);
                }
            }
        }
        if found {
            self.len -= 1;
        }
        found
    }

    /// Documents sharing at least one band with `signature`, sorted and unique.
    pub fn query(&self, signature: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        for (band, table) in self.tables.iter().enumerate() {
            if let Some(bucket) = table.get(&band_key(signature, self.params, band)) {
                out.extend_from_slice(bucket);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
