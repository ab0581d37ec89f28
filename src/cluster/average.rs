//! Average-linkage agglomerative clustering over a sparse similarity graph.
//!
//! Used for *stories*: articles that cover one event. Two groups merge while the mean
//! similarity over all cross pairs, `sum / (|A| · |B|)`, is at least the threshold; a pair
//! without an edge counts as similarity 0. So a group is never joined through one close
//! pair alone (single linkage chains look-alike events together), nor kept apart by one
//! distant pair (complete linkage splits long coverage). The choice was measured, see
//! `docs/stories.md`.
//!
//! The merge order is fixed: the highest mean first, ties by the groups' smallest document
//! numbers. Sums are kept per pair of groups in hash maps and the best merges in a heap with
//! lazy deletion, so the work is about `O(E log E)` for `E` edges (each merge moves the
//! smaller adjacency into the larger).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use super::union_find::UnionFind;

/// An undirected edge: two document numbers and their similarity (`>= 0`).
pub type Edge = (u32, u32, f32);

#[derive(Debug, PartialEq)]
struct Candidate {
    mean: f64,
    // Representatives (smallest document number) of the two groups, `a < b`.
    a: u32,
    b: u32,
    version_a: u32,
    version_b: u32,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then(other.a.cmp(&self.a))
            .then(other.b.cmp(&self.b))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Groups `n` documents by average linkage.
///
/// `initial` lists groups that start merged (e.g. the copies of one text), each a list of
/// document numbers; a document may be in at most one. Returns, for each document, its
/// group's smallest document number. Edges may come in any order and either direction; a
/// repeated edge keeps its largest similarity; self-edges are ignored. `threshold` must be
/// above 0: groups with no edge between them never merge.
pub fn average_linkage(n: usize, edges: &[Edge], initial: &[Vec<u32>], threshold: f64) -> Vec<u32> {
    // Each document's group at the start, by its smallest member (the id groups go by in
    // the merges); `groups` records the merges.
    let mut rep: Vec<u32> = (0..n as u32).collect();
    let mut groups = UnionFind::new(n);
    let mut size = vec![1u64; n];
    for g in initial {
        let Some(&first) = g.iter().min() else {
            continue;
        };
        for &d in g {
            rep[d as usize] = first;
        }
        size[first as usize] = g.len() as u64;
    }
    let mut edges: Vec<Edge> = edges
        .iter()
        .filter(|e| e.0 != e.1)
        .map(|&(a, b, w)| (a.min(b), a.max(b), w))
        .collect();
    edges.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(y.2.total_cmp(&x.2)));
    edges.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));

    let mut adjacency: Vec<HashMap<u32, f64>> = vec![HashMap::new(); n];
    for &(a, b, w) in &edges {
        let (ra, rb) = (rep[a as usize], rep[b as usize]);
        if ra != rb {
            *adjacency[ra as usize].entry(rb).or_insert(0.0) += f64::from(w);
            *adjacency[rb as usize].entry(ra).or_insert(0.0) += f64::from(w);
        }
    }
    let mut version = vec![0u32; n];
    let mut heap = BinaryHeap::new();
    let candidate = |a: u32, b: u32, sum: f64, size: &[u64], version: &[u32]| {
        let (a, b) = (a.min(b), a.max(b));
        Candidate {
            mean: sum / (size[a as usize] * size[b as usize]) as f64,
            a,
            b,
            version_a: version[a as usize],
            version_b: version[b as usize],
        }
    };
    for (a, adj) in adjacency.iter().enumerate() {
        for (&b, &sum) in adj {
            if (a as u32) < b {
                let c = candidate(a as u32, b, sum, &size, &version);
                if c.mean >= threshold {
                    heap.push(c);
                }
            }
        }
    }
    while let Some(c) = heap.pop() {
        if c.mean < threshold {
            break;
        }
        let (a, b) = (c.a as usize, c.b as usize);
        // A merge or the end of a group bumps its version, so stale candidates show.
        if version[a] != c.version_a || version[b] != c.version_b {
            continue;
        }
        // Merge b into a (a has the smaller representative).
        size[a] += size[b];
        version[a] += 1;
        version[b] += 1;
        groups.union(c.a, c.b);
        let mut from = std::mem::take(&mut adjacency[b]);
        from.remove(&c.a);
        adjacency[a].remove(&c.b);
        if adjacency[a].len() < from.len() {
            std::mem::swap(&mut adjacency[a], &mut from);
        }
        for (x, w) in from {
            *adjacency[a].entry(x).or_insert(0.0) += w;
        }
        let neighbours: Vec<(u32, f64)> = adjacency[a].iter().map(|(&x, &w)| (x, w)).collect();
        for (x, sum) in neighbours {
            let adj_x = &mut adjacency[x as usize];
            adj_x.remove(&c.b);
            adj_x.insert(c.a, sum);
            let cand = candidate(c.a, x, sum, &size, &version);
            if cand.mean >= threshold {
                heap.push(cand);
            }
        }
    }
    // Each document's group, labelled by its smallest document number.
    for (d, &r) in rep.iter().enumerate() {
        groups.union(d as u32, r);
    }
    groups.labels()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain algorithm: recompute every pair of groups' mean at every step.
    fn naive(n: usize, edges: &[Edge], initial: &[Vec<u32>], threshold: f64) -> Vec<u32> {
        let mut w = vec![vec![0f64; n]; n];
        for &(a, b, s) in edges {
            if a != b {
                let s = f64::from(s).max(w[a as usize][b as usize]);
                w[a as usize][b as usize] = s;
                w[b as usize][a as usize] = s;
            }
        }
        let mut groups: Vec<Vec<u32>> = initial.iter().filter(|g| !g.is_empty()).cloned().collect();
        for d in 0..n as u32 {
            if !groups.iter().any(|g| g.contains(&d)) {
                groups.push(vec![d]);
            }
        }
        loop {
            let mut best: Option<(f64, u32, u32, usize, usize)> = None;
            for i in 0..groups.len() {
                for j in 0..groups.len() {
                    let (ri, rj) = (
                        groups[i].iter().min().unwrap(),
                        groups[j].iter().min().unwrap(),
                    );
                    if ri >= rj {
                        continue;
                    }
                    let sum: f64 = groups[i]
                        .iter()
                        .flat_map(|&x| groups[j].iter().map(move |&y| (x, y)))
                        .map(|(x, y)| w[x as usize][y as usize])
                        .sum();
                    let mean = sum / (groups[i].len() * groups[j].len()) as f64;
                    let better = match best {
                        None => true,
                        Some((m, a, b, _, _)) => mean > m || (mean == m && (*ri, *rj) < (a, b)),
                    };
                    if better {
                        best = Some((mean, *ri, *rj, i, j));
                    }
                }
            }
            match best {
                Some((mean, _, _, i, j)) if mean >= threshold => {
                    let g = groups.remove(j.max(i));
                    let k = j.min(i);
                    groups[k].extend(g);
                }
                _ => break,
            }
        }
        let mut label = vec![0u32; n];
        for g in &groups {
            let r = *g.iter().min().unwrap();
            for &d in g {
                label[d as usize] = r;
            }
        }
        label
    }

    #[test]
    fn two_tight_groups_stay_apart() {
        // 0-1-2 close, 3-4 close, one bridge 2-3.
        let edges = [
            (0, 1, 0.9),
            (1, 2, 0.8),
            (0, 2, 0.7),
            (3, 4, 0.9),
            (2, 3, 0.5),
        ];
        let l = average_linkage(6, &edges, &[], 0.3);
        assert_eq!(l, vec![0, 0, 0, 3, 3, 5]);
        // Single linkage would chain them at 0.5; the mean is 0.5 / 6.
        let l = average_linkage(6, &edges, &[], 0.05);
        assert_eq!(l, vec![0, 0, 0, 0, 0, 5]);
    }

    #[test]
    fn initial_groups_start_merged() {
        let edges = [(0, 2, 0.6), (1, 2, 0.6)];
        let l = average_linkage(4, &edges, &[vec![3, 0, 1]], 0.5);
        // {0,1,3} and 2: mean 1.2 / 3 = 0.4 < 0.5.
        assert_eq!(l, vec![0, 0, 2, 0]);
        let l = average_linkage(4, &edges, &[vec![3, 0, 1]], 0.4);
        assert_eq!(l, vec![0, 0, 0, 0]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn matches_naive(
            n in 1usize..14,
            raw in proptest::collection::vec((0u32..14, 0u32..14, 0u32..=1024), 0..50),
            threshold in 1u32..600,
            group in proptest::collection::vec(0u32..14, 0..4),
        ) {
            // Weights in 1/1024 steps, so every sum is exact and ties are real ties.
            let edges: Vec<Edge> = raw
                .into_iter()
                .filter(|e| (e.0 as usize) < n && (e.1 as usize) < n)
                .map(|(a, b, w)| (a, b, w as f32 / 1024.0))
                .collect();
            let mut group: Vec<u32> = group.into_iter().filter(|&d| (d as usize) < n).collect();
            group.sort_unstable();
            group.dedup();
            let initial = vec![group];
            let t = f64::from(threshold) / 1024.0;
            prop_assert_eq!(
                average_linkage(n, &edges, &initial, t),
                naive(n, &edges, &initial, t)
            );
        }
    }
}
