//! Identical rows of a TF-IDF matrix ("twins": one text copied many times), collapsed
//! before an all-pairs search and expanded after.
//!
//! An all-pairs top-k search costs the square of the documents that share terms: 50,000
//! copies of one wire story are 1.25 billion scores, all equal. Twins are searched once,
//! through their first row (the representative), and each twin's list is then made from
//! its own group (the other copies, at the cosine of the row with itself) and the
//! representative's neighbours, each standing for its whole group at one cosine. Ties keep
//! their order (lower document number first), so the lists equal those of the full search
//! up to the rounding of the cosines.

use std::collections::HashMap;

use xxhash_rust::xxh3::Xxh3;

use super::sparse::CsrMatrix;
use super::topk::{Neighbour, better};

/// The groups of identical non-empty rows of a matrix.
#[derive(Debug, Clone)]
pub struct Twins {
    /// For every row, its group (an index into `members`), or `u32::MAX` for an empty row.
    group: Vec<u32>,
    /// Per group, its rows in ascending order; the first is the representative.
    members: Vec<Vec<u32>>,
}

impl Twins {
    /// Finds the groups of identical rows (same columns, bit-identical values).
    pub fn of(m: &CsrMatrix) -> Self {
        let mut group = vec![u32::MAX; m.rows()];
        let mut members: Vec<Vec<u32>> = Vec::new();
        let mut by_hash: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, g) in group.iter_mut().enumerate() {
            let row = m.row(i);
            if row.0.is_empty() {
                continue;
            }
            let mut h = Xxh3::new();
            h.update(bytemuck::cast_slice(row.0));
            h.update(bytemuck::cast_slice(row.1));
            let groups = by_hash.entry(h.digest()).or_default();
            let same = groups
                .iter()
                .copied()
                .find(|&q| equal(m.row(members[q as usize][0] as usize), row));
            match same {
                Some(q) => {
                    members[q as usize].push(i as u32);
                    *g = q;
                }
                None => {
                    *g = members.len() as u32;
                    groups.push(*g);
                    members.push(vec![i as u32]);
                }
            }
        }
        Twins { group, members }
    }

    /// Whether any two rows are identical.
    pub fn any(&self) -> bool {
        self.members.len() < self.group.iter().filter(|&&g| g != u32::MAX).count()
    }

    /// The representatives' rows as a matrix: row `q` is group `q`'s first row (rows
    /// without terms are in no group and have no neighbours anyway).
    pub fn representatives(&self, m: &CsrMatrix) -> CsrMatrix {
        let mut out = CsrMatrix::new(m.cols());
        let mut row = Vec::new();
        for g in &self.members {
            let (cols, vals) = m.row(g[0] as usize);
            row.clear();
            row.extend(cols.iter().copied().zip(vals.iter().copied()));
            out.push_row(&row);
        }
        out
    }

    /// Row `i`'s `k` best neighbours from the representatives' lists (`lists[q]`: the
    /// neighbours of group `q`'s representative among the representatives, best first, by
    /// group number). A row without terms has none.
    pub fn expand_row(
        &self,
        m: &CsrMatrix,
        lists: &[Vec<Neighbour>],
        i: usize,
        k: usize,
    ) -> Vec<Neighbour> {
        let g = self.group[i];
        if g == u32::MAX || k == 0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let (_, vals) = m.row(i);
        let own = vals.iter().map(|w| w * w).sum::<f32>();
        if own > 0.0 {
            let twins = self.members[g as usize]
                .iter()
                .filter(|&&j| j as usize != i);
            out.extend(twins.take(k).map(|&j| Neighbour::by_cosine(j, own)));
        }
        // Each neighbour group's first k rows, at its representative's cosine: ties are
        // broken by document number, and a group's rows all follow its representative.
        for n in &lists[g as usize] {
            let rows = &self.members[n.doc as usize];
            out.extend(rows.iter().take(k).map(|&j| Neighbour {
                doc: j,
                cosine: n.cosine,
                score: n.score,
            }));
        }
        out.sort_by(better);
        out.truncate(k);
        out.shrink_to_fit();
        out
    }
}

fn equal(a: (&[u32], &[f32]), b: (&[u32], &[f32])) -> bool {
    a.0 == b.0
        && a.1.len() == b.1.len()
        && a.1.iter().zip(b.1).all(|(x, y)| x.to_bits() == y.to_bits())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::all_pairs_top_k;
    use proptest::prelude::*;

    fn matrix(rows: &[Vec<(u32, f32)>]) -> CsrMatrix {
        let mut m = CsrMatrix::new(8);
        for r in rows {
            let norm = r.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            let r: Vec<(u32, f32)> = r.iter().map(|&(c, w)| (c, w / norm.max(1e-9))).collect();
            m.push_row(&r);
        }
        m
    }

    /// A plain reference: every pair scored, sorted, the best k kept.
    fn brute(m: &CsrMatrix, k: usize) -> Vec<Vec<Neighbour>> {
        (0..m.rows())
            .map(|i| {
                let mut v: Vec<Neighbour> = (0..m.rows())
                    .filter(|&j| j != i)
                    .map(|j| {
                        Neighbour::by_cosine(
                            j as u32,
                            super::super::sparse::sparse_dot(m.row(i), m.row(j)),
                        )
                    })
                    .filter(|n| n.cosine > 0.0)
                    .collect();
                v.sort_by(better);
                v.truncate(k);
                v
            })
            .collect()
    }

    proptest! {
        /// With twins collapsed, every row gets the neighbours the full search gives:
        /// the same documents in the same order, cosines equal up to rounding.
        #[test]
        fn collapsed_twins_give_the_lists_of_the_full_search(
            kinds in proptest::collection::vec(
                proptest::collection::btree_map(0u32..8, 1u32..4, 0..4), 1..6),
            picks in proptest::collection::vec(0usize..6, 1..40),
            k in 1usize..6,
        ) {
            let rows: Vec<Vec<(u32, f32)>> = picks
                .iter()
                .map(|&p| kinds[p % kinds.len()].iter().map(|(&c, &w)| (c, w as f32)).collect())
                .collect();
            let m = matrix(&rows);
            let got = all_pairs_top_k(&m, k);
            let want = brute(&m, k);
            let full = brute(&m, m.rows());
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                let (gd, wd): (Vec<u32>, Vec<u32>) = (g.iter().map(|n| n.doc).collect(), w.iter().map(|n| n.doc).collect());
                // Cosines tie exactly only up to rounding: compare documents by cosine
                // class, and cosines closely.
                prop_assert_eq!(g.len(), w.len(), "row {}: {:?} vs {:?}", i, gd, wd);
                for (a, b) in g.iter().zip(w) {
                    prop_assert!((a.cosine - b.cosine).abs() < 1e-5, "row {}: {:?} vs {:?}", i, g, w);
                }
                // Each document listed belongs at its rank: its cosine from the plain
                // search is the rank's, up to rounding (a tie at the k-th place, say
                // 2/3 from two sums, may keep either document), and none is listed twice.
                let all = &full[i];
                for (rank, n) in g.iter().enumerate() {
                    let plain = all.iter().find(|m| m.doc == n.doc);
                    prop_assert!(
                        plain.is_some_and(|m| (m.cosine - w[rank].cosine).abs() < 1e-5),
                        "row {}: {:?} vs {:?}", i, gd, wd
                    );
                }
                let mut unique = gd.clone();
                unique.sort_unstable();
                unique.dedup();
                prop_assert_eq!(unique.len(), gd.len(), "row {}: {:?}", i, gd);
            }
        }
    }

    #[test]
    fn groups_hold_identical_rows_only() {
        let m = matrix(&[
            vec![(0, 1.0), (1, 2.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0), (1, 2.0)],
            vec![],
            vec![],
            vec![(0, 1.0), (1, 2.0)],
        ]);
        let t = Twins::of(&m);
        assert!(t.any());
        assert_eq!(t.members, vec![vec![0, 2, 5], vec![1]]);
        assert_eq!(t.group, vec![0, 1, 0, u32::MAX, u32::MAX, 0]);
        assert_eq!(t.representatives(&m).rows(), 2);
        assert!(!Twins::of(&matrix(&[vec![(0, 1.0)], vec![(1, 1.0)]])).any());
    }
}
