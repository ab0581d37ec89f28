//! Clusters from verified pairs: connected components with a deterministic spanning tree.

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

/// Groups `n` documents by verified pairs.
///
/// Documents are joined by union-find, except that a roundup (a text that joins two texts
/// that are not copies of each other by containment, see `roundup.rs`) joins only the
/// text of its best uneven pair; within each cluster a maximum spanning tree (by
/// score, ties by document numbers) records which pair joined each member, rooted at the
/// cluster's first document in input order. The result depends only on the set of pairs,
/// not on their order. With `singletons`, documents in no pair are returned as clusters
/// of one.
pub fn build_clusters(n: usize, pairs: &[VerifiedPair], singletons: bool) -> Vec<Cluster> {
    let keep = kept_pairs(n, pairs);
    let mut edges: Vec<&VerifiedPair> = pairs
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| p)
        .collect();
    edges.sort_by(|x, y| x.join_order(y));
    let mut uf = UnionFind::new(n);
    let mut tree: Vec<Vec<(u32, VerifiedPair)>> = vec![Vec::new(); n];
    for e in edges {
        if uf.union(e.a, e.b) {
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
        let c = build_clusters(7, &pairs, false);
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
        assert_eq!(build_clusters(7, &pairs, true).len(), 4);
        // Order of pairs does not matter.
        let mut rev = pairs;
        rev.reverse();
        assert_eq!(
            build_clusters(7, &rev, true),
            build_clusters(7, &pairs, true)
        );
    }
}
