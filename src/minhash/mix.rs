//! Mixing functions shared by the classic and C-MinHash sketches.

/// Folds a 64-bit shingle hash to 32 bits (also used by C-MinHash).
#[inline(always)]
pub(super) fn fold(s: u64) -> u32 {
    (s ^ (s >> 32)) as u32
}

/// A seeded bijection of the 32-bit values (also C-MinHash's σ and π).
#[inline(always)]
pub(super) fn slot_hash(x: u32, xor: u32, mul: u32) -> u32 {
    let mut v = (x ^ xor).wrapping_mul(mul);
    v ^= v >> 16;
    v = v.wrapping_mul(0x85EB_CA6B);
    v ^ (v >> 13)
}
