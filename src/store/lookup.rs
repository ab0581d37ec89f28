//! Lookup in sorted arrays of hashes. The index's keys (token hashes, band keys) are
//! xxh3 outputs, spread evenly over `u64`, so a key's place is predicted by its value: one
//! interpolated guess lands within a few hundred entries of it (about `sqrt(len)`), and a
//! gallop from there brackets it in a page or two. A plain binary search over a
//! memory-mapped array touches a new page at most of its ~17 steps.

/// The first index whose key is `>= key` (as [`slice::partition_point`]), for a sorted
/// slice. Correct for any sorted input; fast when the keys are spread evenly.
pub fn lower_bound_uniform(keys: &[u64], key: u64) -> usize {
    let n = keys.len();
    if n < 64 {
        return keys.partition_point(|&k| k < key);
    }
    let guess = ((u128::from(key) * n as u128) >> 64) as usize;
    let guess = guess.min(n - 1);
    // Gallop away from the guess until the answer is bracketed in [lo, hi].
    let (lo, hi) = if keys[guess] < key {
        let mut step = 1;
        let mut lo = guess;
        loop {
            let next = lo + step;
            if next >= n {
                break (lo + 1, n);
            }
            if keys[next] >= key {
                break (lo + 1, next);
            }
            lo = next;
            step *= 2;
        }
    } else {
        let mut step = 1;
        let mut hi = guess;
        loop {
            if hi < step {
                break (0, hi);
            }
            let next = hi - step;
            if keys[next] < key {
                break (next + 1, hi);
            }
            hi = next;
            step *= 2;
        }
    };
    lo + keys[lo..hi].partition_point(|&k| k < key)
}

/// The range of entries equal to `key` in a sorted slice.
pub fn equal_range_uniform(keys: &[u64], key: u64) -> std::ops::Range<usize> {
    let lo = lower_bound_uniform(keys, key);
    let hi = lo + keys[lo..].partition_point(|&k| k == key);
    lo..hi
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Same answer as the standard library's binary search, on even and on skewed keys.
        #[test]
        fn matches_partition_point(
            mut keys in proptest::collection::vec(any::<u64>(), 0..400),
            skew in 0u32..40,
            probes in proptest::collection::vec(any::<u64>(), 1..20),
        ) {
            for k in &mut keys {
                *k >>= skew;
            }
            keys.sort_unstable();
            let mut probes = probes;
            probes.extend(keys.iter().step_by(7).copied());
            probes.extend([0, u64::MAX]);
            for p in probes {
                let p = p >> (skew / 2);
                prop_assert_eq!(lower_bound_uniform(&keys, p), keys.partition_point(|&k| k < p));
                let r = equal_range_uniform(&keys, p);
                prop_assert!(keys[r.clone()].iter().all(|&k| k == p));
                prop_assert_eq!(r.len(), keys.iter().filter(|&&k| k == p).count());
            }
        }
    }

    #[test]
    fn duplicates_and_edges() {
        let keys: Vec<u64> = (0..1000u64).map(|i| (i / 3) << 54).collect();
        for p in [0, 1, keys[500], keys[999], u64::MAX] {
            assert_eq!(
                lower_bound_uniform(&keys, p),
                keys.partition_point(|&k| k < p)
            );
        }
        assert_eq!(equal_range_uniform(&keys, keys[500]).len(), 3);
    }
}
