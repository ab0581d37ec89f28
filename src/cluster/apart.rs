//! Pairs kept apart: two texts that verification set aside because their figures conflict
//! (the same report with other figures) must not end up in one cluster through a third.
//!
//! Copies are joined transitively, so a text that matches two others can join them even
//! when those two are not copies of each other: on Reuters-21578 an overnight System
//! repurchase that names no amount matches the Fed's customer repurchases of two days,
//! two billion dlrs and 1.5 billion, which verification told apart. Clusters join pairs
//! strongest first; a join that would put a pair kept apart in one cluster is skipped
//! (a cannot-link constraint), so the text goes with the report it matches best.
//!
//! Each cluster (union-find root) holds the list of the texts its members are kept apart
//! from. Two clusters may join when no text of the shorter list lies in the other cluster
//! (the relation is symmetric, so one list is enough); joined, the shorter list is moved
//! onto the longer.

use std::collections::HashMap;

use super::union_find::UnionFind;

/// The texts each cluster's members are kept apart from, by union-find root.
#[derive(Debug, Default)]
pub(crate) struct KeptApart {
    partners: HashMap<u32, Vec<u32>>,
}

impl KeptApart {
    /// Constraints from pairs of document numbers (each `(a, b)` in either order).
    pub(crate) fn new(apart: &[(u32, u32)]) -> Self {
        let mut partners: HashMap<u32, Vec<u32>> = HashMap::new();
        for &(a, b) in apart {
            if a != b {
                partners.entry(a).or_default().push(b);
                partners.entry(b).or_default().push(a);
            }
        }
        KeptApart { partners }
    }

    fn len(&self, root: u32) -> usize {
        self.partners.get(&root).map_or(0, Vec::len)
    }

    /// Joins the clusters of `a` and `b` unless they are one already or joining them would
    /// put a pair kept apart in one cluster; whether it joined them.
    pub(crate) fn union(&mut self, uf: &mut UnionFind, a: u32, b: u32) -> bool {
        if self.partners.is_empty() {
            return uf.union(a, b);
        }
        let (ra, rb) = (uf.find(a), uf.find(b));
        if ra == rb {
            return false;
        }
        let (short, long) = if self.len(ra) <= self.len(rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        if let Some(list) = self.partners.get(&short)
            && list.iter().any(|&x| uf.find(x) == long)
        {
            return false;
        }
        uf.union(ra, rb);
        let root = uf.find(ra);
        let mut moved = self.partners.remove(&short).unwrap_or_default();
        let mut kept = self.partners.remove(&long).unwrap_or_default();
        kept.append(&mut moved);
        if !kept.is_empty() {
            self.partners.insert(root, kept);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_text_joins_only_one_of_two_kept_apart() {
        let mut uf = UnionFind::new(5);
        let mut apart = KeptApart::new(&[(0, 1)]);
        assert!(apart.union(&mut uf, 0, 2));
        assert!(
            !apart.union(&mut uf, 2, 1),
            "2 is with 0, kept apart from 1"
        );
        assert!(apart.union(&mut uf, 1, 3));
        assert!(!apart.union(&mut uf, 3, 0));
        assert!(apart.union(&mut uf, 4, 3));
        assert!(!apart.union(&mut uf, 4, 2));
        assert!(!apart.union(&mut uf, 4, 1), "already one cluster");
        assert_eq!(uf.labels(), [0, 1, 0, 1, 1]);
    }
}
