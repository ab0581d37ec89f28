//! Classic k-permutation MinHash ([`ClassicMinHasher`]): `num_perm` seeded hash functions,
//! the minimum of each over a shingle set.

use super::mix::{fold, slot_hash};
use super::params::SketchParams;
use super::sketch::Sketcher;
use super::splitmix::SplitMix64;

/// Classic k-permutation MinHash with 32-bit slots.
///
/// Slot `i` hashes a shingle `s` (a 64-bit hash) as `h_i(s) = mix((fold(s) ^ x_i) * m_i)`,
/// where `fold` xors the two halves of `s`, `x_i` and odd `m_i` are drawn from SplitMix64
/// seeded with the seed, and `mix` is a xorshift-multiply-xorshift step. Each `h_i` is a bijection of
/// the 32-bit values, so it is a permutation; the slot keeps the minimum over the set.
/// All arithmetic is 32-bit so that the slot loop vectorises with AVX2 (8 lanes); the
/// binary picks the AVX2 version at run time when the CPU has it.
///
#[derive(Debug, Clone)]
pub struct ClassicMinHasher {
    params: SketchParams,
    mul: Vec<u32>,
    xor: Vec<u32>,
}

#[inline(always)]
fn kernel(shingles: &[u64], xor: &[u32], mul: &[u32], out: &mut [u32]) {
    out.fill(u32::MAX);
    let n = out.len();
    let (xor, mul) = (&xor[..n], &mul[..n]);
    // Two shingles per pass over the slots: half the loads and stores of the signature.
    let mut pairs = shingles.chunks_exact(2);
    for p in &mut pairs {
        let (x0, x1) = (fold(p[0]), fold(p[1]));
        for i in 0..n {
            let h = slot_hash(x0, xor[i], mul[i]).min(slot_hash(x1, xor[i], mul[i]));
            out[i] = out[i].min(h);
        }
    }
    for &s in pairs.remainder() {
        let x = fold(s);
        for i in 0..n {
            out[i] = out[i].min(slot_hash(x, xor[i], mul[i]));
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn kernel_avx2(shingles: &[u64], xor: &[u32], mul: &[u32], out: &mut [u32]) {
    kernel(shingles, xor, mul, out)
}

impl ClassicMinHasher {
    /// Derives the `num_perm` hash functions from the seed.
    pub fn new(params: SketchParams) -> Self {
        let mut g = SplitMix64::new(params.seed);
        let mut mul = Vec::with_capacity(params.num_perm);
        let mut xor = Vec::with_capacity(params.num_perm);
        for _ in 0..params.num_perm {
            let r = g.next();
            mul.push((r as u32) | 1);
            xor.push((r >> 32) as u32);
        }
        ClassicMinHasher { params, mul, xor }
    }
}

impl Sketcher for ClassicMinHasher {
    fn params(&self) -> SketchParams {
        self.params
    }

    fn sketch_into(&self, shingles: &[u64], out: &mut [u32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { kernel_avx2(shingles, &self.xor, &self.mul, out) };
            return;
        }
        kernel(shingles, &self.xor, &self.mul, out);
    }

    fn signature_reference(&self, shingles: &[u64]) -> Vec<u32> {
        (0..self.params.num_perm)
            .map(|i| {
                shingles
                    .iter()
                    .map(|&s| slot_hash(fold(s), self.xor[i], self.mul[i]))
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }
}
