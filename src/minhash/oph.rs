//! One-permutation hashing with optimal densification.
//!
//! Each shingle is hashed once with a seeded 64-bit mixer: the high 32 bits pick one of the
//! `k` bins (multiply-shift range reduction) and the low 32 bits are its value; a bin keeps
//! its minimum. A bin that no shingle reached borrows the value of the first non-empty bin
//! of its own probe sequence `p(i, 0), p(i, 1), ...` (a seeded hash of the bin and the
//! attempt), which is the "optimal densification" of Shrivastava (ICML 2017): two sets
//! agree in a bin with probability equal to their Jaccard similarity, and borrowed bins are
//! as independent as the scheme allows. The cost is one hash per shingle plus the probes,
//! instead of `k` hashes per shingle.

use super::params::SketchParams;
use super::sketch::Sketcher;
use super::splitmix::SplitMix64;
use crate::shingle::fmix64;

/// How far ahead of the shingle being hashed to prefetch, in shingles (2 KiB).
const PREFETCH_AHEAD: usize = 256;

/// Asks the CPU to bring the cache line at `p` in; a hint only, on x86-64 (elsewhere a
/// no-op). `p` may point past the end of the input: a prefetch never faults.
#[inline(always)]
fn prefetch(p: *const u64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 does not access memory architecturally; any address is allowed.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// One-permutation hashing with optimal densification.
#[derive(Debug, Clone)]
pub struct OnePermHasher {
    params: SketchParams,
    key: u64,
    probe_key: u64,
}

impl OnePermHasher {
    /// Derives the hash keys from the seed.
    pub fn new(params: SketchParams) -> Self {
        let mut g = SplitMix64::new(params.seed ^ 0x4f50_4821_u64);
        OnePermHasher {
            params,
            key: g.next(),
            probe_key: g.next(),
        }
    }

    #[inline(always)]
    fn bin_and_value(&self, s: u64) -> (usize, u32) {
        let h = fmix64(s ^ self.key);
        let bin = (((h >> 32) * self.params.num_perm as u64) >> 32) as usize;
        (bin, h as u32)
    }

    #[inline(always)]
    fn probe(&self, bin: usize, attempt: u32) -> usize {
        let h = fmix64(self.probe_key ^ ((bin as u64) << 32 | u64::from(attempt)));
        (((h >> 32) * self.params.num_perm as u64) >> 32) as usize
    }

    /// The fast path, with room for `CAP >= num_perm` bins in the filled table.
    fn sketch_with<const CAP: usize>(&self, shingles: &[u64], out: &mut [u32]) {
        let k = self.params.num_perm;
        out.fill(u32::MAX);
        // A bin is filled when some shingle reached it; a value of u32::MAX is a real value.
        let mut filled = [false; CAP];
        let filled = &mut filled[..k];
        let mut chunks = shingles.chunks_exact(8);
        for (i, c) in (&mut chunks).enumerate() {
            // The loop is short enough per shingle that a large input streams from memory
            // slower than it is hashed; asking for the line 2 KiB ahead keeps it fed.
            prefetch(shingles.as_ptr().wrapping_add(8 * i + PREFETCH_AHEAD));
            // Four independent hashes per step keep the multiplier pipeline busy.
            self.update4(&c[..4], out, filled);
            self.update4(&c[4..], out, filled);
        }
        for &s in chunks.remainder() {
            let (bin, v) = self.bin_and_value(s);
            out[bin] = out[bin].min(v);
            filled[bin] = true;
        }
        if filled.iter().all(|&f| f) {
            return;
        }
        self.densify(out, filled);
    }

    /// Hashes four shingles, then updates their bins.
    #[inline(always)]
    fn update4(&self, q: &[u64], out: &mut [u32], filled: &mut [bool]) {
        let h = [
            self.bin_and_value(q[0]),
            self.bin_and_value(q[1]),
            self.bin_and_value(q[2]),
            self.bin_and_value(q[3]),
        ];
        for (bin, v) in h {
            out[bin] = out[bin].min(v);
            filled[bin] = true;
        }
    }

    /// Fills the empty bins (marked in `filled`) from their probe sequences.
    fn densify(&self, out: &mut [u32], filled: &[bool]) {
        if !filled.iter().any(|&f| f) {
            out.fill(u32::MAX);
            return;
        }
        // Only empty bins are written and only filled bins are read, so the borrowed values
        // are always the bins' own minima.
        for i in 0..out.len() {
            if filled[i] {
                continue;
            }
            let mut attempt = 0u32;
            loop {
                let j = self.probe(i, attempt);
                if filled[j] {
                    out[i] = out[j];
                    break;
                }
                attempt += 1;
            }
        }
    }
}

impl Sketcher for OnePermHasher {
    fn params(&self) -> SketchParams {
        self.params
    }

    fn sketch_into(&self, shingles: &[u64], out: &mut [u32]) {
        // A filled table no larger than needed: zeroing 4 KiB per document cost about 5%
        // of sketching the benchmark's documents (about 400 shingles each).
        if self.params.num_perm <= 512 {
            self.sketch_with::<512>(shingles, out);
        } else {
            self.sketch_with::<4096>(shingles, out);
        }
    }

    fn signature_reference(&self, shingles: &[u64]) -> Vec<u32> {
        let k = self.params.num_perm;
        let mut bins: Vec<Option<u32>> = vec![None; k];
        for &s in shingles {
            let (bin, v) = self.bin_and_value(s);
            bins[bin] = Some(bins[bin].map_or(v, |b| b.min(v)));
        }
        if bins.iter().all(Option::is_none) {
            return vec![u32::MAX; k];
        }
        (0..k)
            .map(|i| match bins[i] {
                Some(v) => v,
                None => (0..)
                    .find_map(|t| bins[self.probe(i, t)])
                    .unwrap_or(u32::MAX),
            })
            .collect()
    }
}
