//! Roundups: a text that contains two texts that are not copies of each other.
//!
//! Jaccard copies are joined transitively: a chain of rewordings is one text. Containment
//! is not transitive. A roundup that retells two interviews (Reuters 9795: Baker on a
//! stock transaction tax, and Baker on bank loans) contains both; a brief can lie inside
//! two longer stories that went on to say different things (the Omaha hog-price flash
//! inside both the Omaha and the Sioux City reports). Connected components would make one
//! cluster of the two stories through it.
//!
//! Nor is Jaccard between texts of very different lengths: at the default threshold of 0.3,
//! a text inside one three times its length passes on Jaccard alone. A pair is *uneven*
//! when the longer text is at least [`UNEVEN`] times the shorter one, whichever test it
//! passed (a ratio read off the pair's own measures: with containment `c` of the shorter
//! set `S` and Jaccard `j`, `|L| / |S| = c / j + c - 1`); a truncated or padded copy that
//! keeps more than half of its text is even, and joins as a Jaccard copy does.
//!
//! So clusters are built from *cores*, the components of the even pairs, joined by uneven
//! pairs; and a core whose removal splits its component into two or more pieces (an
//! articulation point of the graph of cores) joins only the piece of its best uneven pair
//! (highest score, ties by document numbers). Its other pieces become clusters of their
//! own. Everything else is joined as before: a padded or truncated copy of one story, or a
//! story with many truncated copies whose truncations also match each other, keeps all
//! its members.
//!
//! The rule depends only on the pairs of one component, not on their order or on the
//! numbering of the documents beyond its order, so clusters built one component at a time
//! (as the Spark path does) are the clusters of the whole.

use super::union_find::UnionFind;
use super::verify::VerifiedPair;

/// A pair whose longer text is at least this many times the shorter is uneven. (On
/// Reuters-21578 the pairs through which six roundups joined two texts have one text 2.2
/// to 5.5 times the other; at 1.5, an original and heavily edited teasers of it, each
/// keeping 40 to 80% of it, made false roundups in the peers' synthetic corpus.)
pub(crate) const UNEVEN: f64 = 2.0;

const UNSEEN: u32 = u32::MAX;

/// Whether a pair is uneven (see the module's notes).
fn uneven(p: &VerifiedPair) -> bool {
    p.jaccard <= 0.0 || p.containment / p.jaccard + p.containment - 1.0 >= UNEVEN
}

/// Which of `pairs` clusters keep: all but the uneven pairs that join a roundup (a core
/// that joins two or more pieces) to the pieces other than its best pair's. Cutting one
/// roundup loose can make another (two stories that were also joined through it), so
/// this repeats until no core joins two pieces.
pub(crate) fn kept_pairs(n: usize, pairs: &[VerifiedPair]) -> Vec<bool> {
    let mut keep = vec![true; pairs.len()];
    if pairs.iter().filter(|p| uneven(p)).nth(1).is_none() {
        return keep;
    }
    let mut uf = UnionFind::new(n);
    for p in pairs.iter().filter(|p| !uneven(p)) {
        uf.union(p.a, p.b);
    }
    while cut_roundups(&mut uf, pairs, &mut keep) {}
    keep
}

/// One round of [`kept_pairs`] over the pairs still kept; whether it cut any.
fn cut_roundups(uf: &mut UnionFind, pairs: &[VerifiedPair], keep: &mut [bool]) -> bool {
    // Uneven pairs between two cores, as (core of a, core of b, pair index).
    let mut cross: Vec<(u32, u32, usize)> = pairs
        .iter()
        .enumerate()
        .filter(|&(i, p)| keep[i] && uneven(p))
        .map(|(i, p)| (uf.find(p.a), uf.find(p.b), i))
        .filter(|(x, y, _)| x != y)
        .collect();
    if cross.len() < 2 {
        return false;
    }
    // The graph of cores, numbered densely, as sorted adjacency lists.
    let mut cores: Vec<u32> = cross.iter().flat_map(|&(x, y, _)| [x, y]).collect();
    cores.sort_unstable();
    cores.dedup();
    let dense = |c: u32| cores.binary_search(&c).expect("a core of a pair") as u32;
    for c in &mut cross {
        (c.0, c.1) = (dense(c.0), dense(c.1));
    }
    let mut links: Vec<(u32, u32)> = cross
        .iter()
        .flat_map(|&(x, y, _)| [(x, y), (y, x)])
        .collect();
    links.sort_unstable();
    links.dedup();
    let m = cores.len();
    let mut start = vec![0usize; m + 1];
    for &(x, _) in &links {
        start[x as usize + 1] += 1;
    }
    for i in 0..m {
        start[i + 1] += start[i];
    }
    let next: Vec<u32> = links.iter().map(|&(_, y)| y).collect();
    let cut = Cuts::find(&start, &next);

    // Each roundup's best uneven pair (its place in `cross`), in the order clusters
    // join pairs.
    let mut best: Vec<Option<usize>> = vec![None; m];
    for (k, &(x, y, i)) in cross.iter().enumerate() {
        for v in [x, y] {
            let better = |b: usize| pairs[i].join_order(&pairs[cross[b].2]).is_lt();
            if cut.pieces(v) >= 2 && best[v as usize].is_none_or(better) {
                best[v as usize] = Some(k);
            }
        }
    }
    let mut changed = false;
    for &(x, y, i) in &cross {
        for (v, w) in [(x, y), (y, x)] {
            let Some(b) = best[v as usize] else { continue };
            let (bx, by, _) = cross[b];
            let other = if bx == v { by } else { bx };
            if cut.piece(v, w) != cut.piece(v, other) {
                keep[i] = false;
                changed = true;
            }
        }
    }
    changed
}

/// Articulation points of a simple graph (Hopcroft and Tarjan's depth-first search), with
/// what each one's removal leaves: one piece per child whose subtree reaches no higher
/// than it, plus the rest (its parent's side, with the other children) unless it is a root.
struct Cuts {
    disc: Vec<u32>,
    /// The last discovery number in each node's subtree.
    last: Vec<u32>,
    /// Per node, its children that become pieces of their own, in discovery order.
    separate: Vec<Vec<u32>>,
    root: Vec<bool>,
}

impl Cuts {
    fn find(start: &[usize], next: &[u32]) -> Cuts {
        let m = start.len() - 1;
        let mut disc = vec![UNSEEN; m];
        let mut low = vec![0u32; m];
        let mut last = vec![0u32; m];
        let mut parent = vec![UNSEEN; m];
        let mut separate: Vec<Vec<u32>> = vec![Vec::new(); m];
        let mut root = vec![false; m];
        let mut time = 0u32;
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for s in 0..m as u32 {
            if disc[s as usize] != UNSEEN {
                continue;
            }
            root[s as usize] = true;
            disc[s as usize] = time;
            low[s as usize] = time;
            time += 1;
            stack.push((s, start[s as usize]));
            while let Some(top) = stack.last_mut() {
                let v = top.0 as usize;
                if top.1 < start[v + 1] {
                    let w = next[top.1];
                    top.1 += 1;
                    if disc[w as usize] == UNSEEN {
                        parent[w as usize] = v as u32;
                        disc[w as usize] = time;
                        low[w as usize] = time;
                        time += 1;
                        stack.push((w, start[w as usize]));
                    } else if w != parent[v] {
                        low[v] = low[v].min(disc[w as usize]);
                    }
                } else {
                    stack.pop();
                    last[v] = time - 1;
                    let p = parent[v];
                    if p != UNSEEN {
                        let p = p as usize;
                        low[p] = low[p].min(low[v]);
                        if low[v] >= disc[p] {
                            separate[p].push(v as u32);
                        }
                    }
                }
            }
        }
        Cuts {
            disc,
            last,
            separate,
            root,
        }
    }

    /// How many pieces removing `v` leaves of its component (1 when it is no cut).
    fn pieces(&self, v: u32) -> usize {
        let v = v as usize;
        self.separate[v].len() + usize::from(!self.root[v])
    }

    /// The piece of `v`'s neighbour `w` once `v` is removed: a separate child's number,
    /// or `UNSEEN` for the rest.
    fn piece(&self, v: u32, w: u32) -> u32 {
        let children = &self.separate[v as usize];
        let d = self.disc[w as usize];
        let k = children.partition_point(|&c| self.disc[c as usize] <= d);
        match k.checked_sub(1).map(|k| children[k]) {
            Some(c) if d <= self.last[c as usize] => c,
            _ => UNSEEN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{MatchKind, build_clusters};
    use MatchKind::{Containment as C, Jaccard as J};
    use proptest::prelude::*;

    /// A Jaccard pair of two texts of one length (even), or a containment pair of a text
    /// inside one three times its length (uneven).
    fn pair(a: u32, b: u32, score: f64, kind: MatchKind) -> VerifiedPair {
        VerifiedPair {
            a,
            b,
            jaccard: if kind == J { score } else { score / 3.0 },
            containment: score,
            kind,
        }
    }

    fn groups(n: usize, pairs: &[VerifiedPair]) -> Vec<Vec<u32>> {
        build_clusters(n, pairs, &[], true)
            .into_iter()
            .map(|c| c.members.iter().map(|m| m.doc).collect())
            .collect()
    }

    #[test]
    fn a_roundup_joins_only_its_best_story() {
        // 2 retells story {0, 1} (copies of each other) and story 3.
        let pairs = [
            pair(0, 1, 0.9, J),
            pair(1, 2, 0.74, C),
            pair(0, 2, 0.71, C),
            pair(2, 3, 0.59, C),
        ];
        assert_eq!(groups(4, &pairs), [vec![0, 1, 2], vec![3]]);
        // A brief (0) inside two longer stories that are not copies of each other.
        let pairs = [pair(0, 1, 0.51, C), pair(0, 2, 0.72, C)];
        assert_eq!(groups(3, &pairs), [vec![0, 2], vec![1]]);
    }

    #[test]
    fn padded_and_truncated_copies_stay_together() {
        // 1 and 2 both pad 0 and match each other: 0 joins one piece, not two.
        let pairs = [pair(0, 1, 0.9, C), pair(1, 2, 0.6, J), pair(0, 2, 0.8, C)];
        assert_eq!(groups(3, &pairs), [vec![0, 1, 2]]);
        // A chain of truncations: 0 contains 1, which contains 2, and 0 contains 2.
        let pairs = [pair(0, 1, 0.9, C), pair(1, 2, 0.9, C), pair(0, 2, 0.8, C)];
        assert_eq!(groups(3, &pairs), [vec![0, 1, 2]]);
        // Jaccard chains are transitive whatever their shape.
        let pairs = [pair(0, 1, 0.5, J), pair(1, 2, 0.5, J), pair(1, 3, 0.5, J)];
        assert_eq!(groups(4, &pairs), [vec![0, 1, 2, 3]]);
    }

    #[test]
    fn a_whole_joins_one_of_its_parts_even_by_jaccard() {
        // 0 is the whole, 1 and 2 its parts: each 0.8 inside it, 2.1 and 2.5 times shorter.
        let part = |b: u32, j: f64| VerifiedPair {
            a: 0,
            b,
            jaccard: j,
            containment: 0.8,
            kind: J,
        };
        let (p1, p2) = (part(1, 0.3), part(2, 0.35));
        assert!(uneven(&p1) && uneven(&p2));
        assert_eq!(groups(3, &[p1, p2]), [vec![0, 2], vec![1]]);
        // Texts of about one length are even: a chain of copies.
        let even = |a: u32, b: u32| VerifiedPair {
            a,
            b,
            jaccard: 0.42,
            containment: 0.6,
            kind: J,
        };
        assert!(!uneven(&even(0, 1)));
        assert_eq!(groups(3, &[even(0, 1), even(0, 2)]), [vec![0, 1, 2]]);
    }

    /// How many pieces joined to `doc`'s core by uneven pairs are left when that core is
    /// removed, by joining everything else: the plain oracle for `Cuts`.
    fn cut_by_search(n: usize, pairs: &[VerifiedPair], doc: u32) -> usize {
        let mut uf = UnionFind::new(n);
        for p in pairs.iter().filter(|p| !uneven(p)) {
            uf.union(p.a, p.b);
        }
        let core = uf.find(doc);
        let mut rest = UnionFind::new(n);
        let mut touched = Vec::new();
        for p in pairs {
            let (x, y) = (uf.find(p.a), uf.find(p.b));
            if x == core || y == core {
                if uneven(p) && x != y {
                    touched.push(if x == core { y } else { x });
                }
                continue;
            }
            rest.union(x, y);
        }
        let mut pieces: Vec<u32> = touched.iter().map(|&t| rest.find(t)).collect();
        pieces.sort_unstable();
        pieces.dedup();
        pieces.len()
    }

    proptest! {
        #[test]
        fn cuts_equal_search_and_no_roundup_is_left(
            n in 2usize..14,
            raw in proptest::collection::vec((0u32..14, 0u32..14, 1u32..100, 0u8..4), 0..24),
        ) {
            // Kinds: 0 even Jaccard, 1 uneven containment, 2 uneven Jaccard, 3 even containment.
            let mut pairs: Vec<VerifiedPair> = raw
                .iter()
                .map(|&(a, b, s, k)| (a % n as u32, b % n as u32, f64::from(s) / 100.0, k))
                .filter(|(a, b, _, _)| a != b)
                .map(|(a, b, s, k)| {
                    let mut p = pair(a.min(b), a.max(b), s, if k % 2 == 1 { C } else { J });
                    match k {
                        2 => p.jaccard = s / 3.0,
                        3 => p.jaccard = s * 0.9,
                        _ => {}
                    }
                    p
                })
                .collect();
            pairs.sort_by_key(|p| (p.a, p.b));
            pairs.dedup_by_key(|p| (p.a, p.b));
            let keep = kept_pairs(n, &pairs);
            let kept: Vec<VerifiedPair> = pairs.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| *p).collect();
            let mut joined = UnionFind::new(n);
            for p in &kept {
                joined.union(p.a, p.b);
            }
            // Nothing is cut where no core joins two pieces; only uneven pairs are cut, and
            // each one cut leaves its two texts apart.
            let cuts = (0..n as u32).filter(|&d| cut_by_search(n, &pairs, d) >= 2).count();
            prop_assert_eq!(cuts == 0, keep.iter().all(|&k| k));
            for (p, &k) in pairs.iter().zip(&keep) {
                if !k {
                    prop_assert!(uneven(p));
                    prop_assert_ne!(joined.find(p.a), joined.find(p.b));
                }
            }
            // No core joins two pieces once the roundups are cut.
            for d in 0..n as u32 {
                prop_assert!(cut_by_search(n, &kept, d) <= 1, "doc {} still joins pieces", d);
            }
            // The order of pairs does not matter.
            let mut rev = pairs.clone();
            rev.reverse();
            let keep_rev = kept_pairs(n, &rev);
            let mut a: Vec<_> = pairs.iter().zip(&keep).map(|(p, k)| (p.a, p.b, *k)).collect();
            let mut b: Vec<_> = rev.iter().zip(&keep_rev).map(|(p, k)| (p.a, p.b, *k)).collect();
            a.sort_unstable();
            b.sort_unstable();
            prop_assert_eq!(a, b);
        }
    }
}
