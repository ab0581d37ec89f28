//! Clusters from verified pairs: connected components with a deterministic spanning tree.

use super::apart::KeptApart;
use super::roundup::kept_pairs;
use super::union_find::UnionFind;
use super::verify::VerifiedPair;

/// The number of a cluster (0, 1, ... in order of each cluster's first document).
pub type ClusterId = u32;

/// One document of a cluster and how it joined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// The document number.
    pub doc: u32,
    /// The pair that joined it to the cluster: the member it is linked to in the cluster's
    /// spanning tree (rooted at the cluster's first document) and that pair's verification.
    pub joined_by: Option<VerifiedPair>,
}

/// A group of near-duplicate documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Its number.
    pub id: ClusterId,
    /// Its members in input order; the first has `joined_by == None`.
    pub members: Vec<Member>,
}

/// Groups `n` documents by verified pairs, keeping the pairs of `apart` (pairs whose
/// figures conflict, see [`Verdict::Conflict`](super::Verdict::Conflict)) in different
/// clusters.
///
/// Pairs are joined by union-find, strongest first (by score, ties by document numbers),
/// except that a roundup (a text that joins two texts that are not copies of each other
/// by containment, see `roundup.rs`) joins only the text of its best uneven pair, and a
/// join that would put a pair of `apart` in one cluster is skipped (see `apart.rs`).
/// Within each cluster the pairs joined form a maximum spanning tree that records which
/// pair joined each member, rooted at the cluster's first document in input order. The
/// result depends only on the sets of pairs, not on their order, and only on the pairs
/// among a component's documents: clusters built one component at a time are those of
/// the whole. With `singletons`, documents in no cluster are returned as clusters of one.
pub fn build_clusters(
    n: usize,
    pairs: &[VerifiedPair],
    apart: &[(u32, u32)],
    singletons: bool,
) -> Vec<Cluster> {
    let keep = kept_pairs(n, pairs);
    let mut edges: Vec<&VerifiedPair> = pairs
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| p)
        .collect();
    edges.sort_by(|x, y| x.join_order(y));
    let mut uf = UnionFind::new(n);
    let mut kept_apart = KeptApart::new(apart);
    let mut tree: Vec<Vec<(u32, VerifiedPair)>> = vec![Vec::new(); n];
    for e in edges {
        if kept_apart.union(&mut uf, e.a, e.b) {
            tree[e.a as usize].push((e.b, *e));
            tree[e.b as usize].push((e.a, *e));
        }
    }
    let labels = uf.labels();
    let mut clusters = Vec::new();
    let mut seen = vec![false; n];
    let mut slot_of_label: Vec<u32> = vec![u32::MAX; n];
    for doc in 0..n {
        let label = labels[doc] as usize;
        if label != doc {
            continue;
        }
        let is_single = tree[doc].is_empty();
        if is_single && !singletons {
            continue;
        }
        slot_of_label[label] = clusters.len() as u32;
        // Walk the spanning tree from its first document.
        let mut members = vec![Member {
            doc: doc as u32,
            joined_by: None,
        }];
        seen[doc] = true;
        let mut i = 0;
        while i < members.len() {
            let x = members[i].doc as usize;
            let mut next: Vec<(u32, VerifiedPair)> = tree[x]
                .iter()
                .filter(|(y, _)| !seen[*y as usize])
                .copied()
                .collect();
            next.sort_by_key(|(y, _)| *y);
            for (y, e) in next {
                seen[y as usize] = true;
                members.push(Member {
                    doc: y,
                    joined_by: Some(e),
                });
            }
            i += 1;
        }
        members.sort_by_key(|m| m.doc);
        clusters.push(Cluster {
            id: clusters.len() as ClusterId,
            members,
        });
    }
    clusters
}

impl Member {
    /// The other document of the pair that joined this member, if any.
    pub fn joined_to(&self) -> Option<u32> {
        self.joined_by
            .map(|p| if p.a == self.doc { p.b } else { p.a })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::MatchKind;
    use proptest::prelude::*;

    fn pair(a: u32, b: u32, j: f64) -> VerifiedPair {
        VerifiedPair {
            a,
            b,
            jaccard: j,
            containment: j,
            kind: MatchKind::Jaccard,
        }
    }

    #[test]
    fn components_with_spanning_tree() {
        let pairs = [
            pair(3, 5, 0.9),
            pair(0, 3, 0.6),
            pair(0, 5, 0.7),
            pair(1, 2, 0.8),
        ];
        let c = build_clusters(7, &pairs, &[], false);
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].members.iter().map(|m| m.doc).collect::<Vec<_>>(),
            [0, 3, 5]
        );
        assert_eq!(c[0].members[0].joined_by, None);
        // 0-3 (0.6) is the weakest edge of the triangle, so it is not in the tree.
        assert_eq!(c[0].members[1].joined_to(), Some(5));
        assert_eq!(c[0].members[2].joined_to(), Some(0));
        assert_eq!(c[1].id, 1);
        assert_eq!(build_clusters(7, &pairs, &[], true).len(), 4);
        // Order of pairs does not matter.
        let mut rev = pairs;
        rev.reverse();
        assert_eq!(
            build_clusters(7, &rev, &[], true),
            build_clusters(7, &pairs, &[], true)
        );
    }

    fn groups(n: usize, pairs: &[VerifiedPair], apart: &[(u32, u32)]) -> Vec<Vec<u32>> {
        build_clusters(n, pairs, apart, true)
            .iter()
            .map(|c| c.members.iter().map(|m| m.doc).collect())
            .collect()
    }

    #[test]
    fn a_pair_kept_apart_is_not_joined_through_a_third() {
        // 2 matches 0 (0.8) and 1 (0.7); 0 and 1 are kept apart: 2 goes with 0.
        let pairs = [pair(0, 2, 0.8), pair(1, 2, 0.7), pair(1, 3, 0.9)];
        assert_eq!(groups(4, &pairs, &[]), [vec![0, 1, 2, 3]]);
        assert_eq!(groups(4, &pairs, &[(0, 1)]), [vec![0, 2], vec![1, 3]]);
        // Kept apart from 3, 0 loses 2 to 1's side: 1-2 joins first once it is stronger.
        let pairs = [pair(0, 2, 0.6), pair(1, 2, 0.7), pair(1, 3, 0.9)];
        assert_eq!(groups(4, &pairs, &[(3, 0)]), [vec![0], vec![1, 2, 3]]);
        // A pair kept apart that is also verified (or joins a document to itself) changes
        // nothing but that pair.
        assert_eq!(
            groups(3, &[pair(0, 1, 0.9)], &[(0, 1), (2, 2)]),
            [vec![0], vec![1], vec![2]]
        );
    }

    /// Whether `x` and `y` are in one of `groups`.
    fn together(groups: &[Vec<u32>], x: u32, y: u32) -> bool {
        groups.iter().any(|g| g.contains(&x) && g.contains(&y))
    }

    proptest! {
        /// Against the rule itself (Jaccard pairs of even texts, so no roundups): no
        /// cluster holds a pair kept apart; each cluster is joined by its own pairs; two
        /// clusters with a verified pair between them hold a pair kept apart between them
        /// (no join was skipped without cause); the order of pairs does not matter; and
        /// clusters built one component at a time, with the pairs kept apart among its
        /// documents, are those of the whole.
        #[test]
        fn clusters_keep_pairs_apart_and_join_all_else(
            n in 2usize..30,
            raw in proptest::collection::vec((0u32..30, 0u32..30, 1u32..20), 0..60),
            raw_apart in proptest::collection::vec((0u32..30, 0u32..30), 0..12),
        ) {
            let m = n as u32;
            let mut pairs: Vec<VerifiedPair> = raw
                .iter()
                .map(|&(a, b, s)| (a % m, b % m, s))
                .filter(|(a, b, _)| a != b)
                .map(|(a, b, s)| pair(a.min(b), a.max(b), 0.5 + f64::from(s) / 50.0))
                .collect();
            pairs.sort_by_key(|p| (p.a, p.b));
            pairs.dedup_by_key(|p| (p.a, p.b));
            let apart: Vec<(u32, u32)> = raw_apart.iter().map(|&(a, b)| (a % m, b % m)).collect();
            let clusters = build_clusters(n, &pairs, &apart, true);
            let g: Vec<Vec<u32>> = clusters
                .iter()
                .map(|c| c.members.iter().map(|m| m.doc).collect())
                .collect();
            prop_assert_eq!(g.iter().map(Vec::len).sum::<usize>(), n);
            for &(x, y) in &apart {
                prop_assert!(x == y || !together(&g, x, y), "{} {} together", x, y);
            }
            for c in &clusters {
                for m in &c.members[1..] {
                    let p = m.joined_by.expect("joined");
                    prop_assert!(pairs.contains(&p));
                    prop_assert!(c.members.iter().any(|o| Some(o.doc) == m.joined_to()));
                }
            }
            let cluster_of = |x: u32| g.iter().position(|c| c.contains(&x)).unwrap();
            for p in &pairs {
                let (cx, cy) = (cluster_of(p.a), cluster_of(p.b));
                if cx != cy {
                    prop_assert!(
                        apart.iter().any(|&(u, v)| {
                            let (cu, cv) = (cluster_of(u), cluster_of(v));
                            (cu, cv) == (cx, cy) || (cu, cv) == (cy, cx)
                        }),
                        "{:?} split without a pair kept apart", p
                    );
                }
            }
            let mut rev = pairs.clone();
            rev.reverse();
            let mut rev_apart: Vec<(u32, u32)> = apart.iter().map(|&(a, b)| (b, a)).collect();
            rev_apart.reverse();
            prop_assert_eq!(&build_clusters(n, &rev, &rev_apart, true), &clusters);
            // One component at a time.
            let mut uf = UnionFind::new(n);
            for p in &pairs {
                uf.union(p.a, p.b);
            }
            let labels = uf.labels();
            let mut pieces: Vec<Vec<u32>> = Vec::new();
            for c in 0..m {
                let docs: Vec<u32> = (0..m).filter(|&d| labels[d as usize] == c).collect();
                if docs.is_empty() {
                    continue;
                }
                let local = |d: u32| docs.binary_search(&d).unwrap() as u32;
                let inside = |d: u32| labels[d as usize] == c;
                let own: Vec<VerifiedPair> = pairs
                    .iter()
                    .filter(|p| inside(p.a))
                    .map(|p| VerifiedPair { a: local(p.a), b: local(p.b), ..*p })
                    .collect();
                let own_apart: Vec<(u32, u32)> = apart
                    .iter()
                    .filter(|&&(x, y)| inside(x) && inside(y))
                    .map(|&(x, y)| (local(x), local(y)))
                    .collect();
                for cl in build_clusters(docs.len(), &own, &own_apart, true) {
                    pieces.push(cl.members.iter().map(|m| docs[m.doc as usize]).collect());
                }
            }
            pieces.sort();
            let mut whole = g.clone();
            whole.sort();
            prop_assert_eq!(pieces, whole);
        }
    }
}
