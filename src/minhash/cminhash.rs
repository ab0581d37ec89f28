//! C-MinHash: two permutations instead of `k`.
//!
//! Li & Li (2021) show that `k` MinHash values can come from one permutation `π` shifted
//! circularly, `h_j(S) = min over s in S of π((σ(s) + j) mod 2^32)`, once an initial
//! permutation `σ` has broken up any structure of the data; the estimate stays unbiased and
//! its variance is never larger than that of `k` independent permutations. Here `σ` and `π`
//! are seeded 32-bit bijections (xor, odd multiply, xorshift-multiply-xorshift), and the
//! slot loop vectorises like the classic one (AVX2, picked at run time).

use super::mix::{fold, slot_hash};
use super::params::SketchParams;
use super::sketch::Sketcher;
use super::splitmix::SplitMix64;

/// C-MinHash-(σ, π).
#[derive(Debug, Clone)]
pub struct CMinHasher {
    params: SketchParams,
    sigma: (u32, u32),
    pi: (u32, u32),
}

/// The bijection `(xor, mul)` of the classic slot hash.
#[inline(always)]
fn permute(x: u32, (xor, mul): (u32, u32)) -> u32 {
    slot_hash(x, xor, mul)
}

#[inline(always)]
fn kernel(shingles: &[u64], sigma: (u32, u32), pi: (u32, u32), out: &mut [u32]) {
    out.fill(u32::MAX);
    let n = out.len() as u32;
    let mut pairs = shingles.chunks_exact(2);
    for p in &mut pairs {
        let (y0, y1) = (permute(fold(p[0]), sigma), permute(fold(p[1]), sigma));
        for (j, o) in (0..n).zip(out.iter_mut()) {
            let h = permute(y0.wrapping_add(j), pi).min(permute(y1.wrapping_add(j), pi));
            *o = (*o).min(h);
        }
    }
    for &s in pairs.remainder() {
        let y = permute(fold(s), sigma);
        for (j, o) in (0..n).zip(out.iter_mut()) {
            *o = (*o).min(permute(y.wrapping_add(j), pi));
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn kernel_avx2(shingles: &[u64], sigma: (u32, u32), pi: (u32, u32), out: &mut [u32]) {
    kernel(shingles, sigma, pi, out)
}

impl CMinHasher {
    /// Derives `σ` and `π` from the seed.
    pub fn new(params: SketchParams) -> Self {
        let mut g = SplitMix64::new(params.seed ^ 0x434d_4821_u64);
        let (a, b) = (g.next(), g.next());
        CMinHasher {
            params,
            sigma: ((a >> 32) as u32, (a as u32) | 1),
            pi: ((b >> 32) as u32, (b as u32) | 1),
        }
    }
}

impl Sketcher for CMinHasher {
    fn params(&self) -> SketchParams {
        self.params
    }

    fn sketch_into(&self, shingles: &[u64], out: &mut [u32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { kernel_avx2(shingles, self.sigma, self.pi, out) };
            return;
        }
        kernel(shingles, self.sigma, self.pi, out);
    }

    fn signature_reference(&self, shingles: &[u64]) -> Vec<u32> {
        (0..self.params.num_perm as u32)
            .map(|j| {
                shingles
                    .iter()
                    .map(|&s| permute(permute(fold(s), self.sigma).wrapping_add(j), self.pi))
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }
}
