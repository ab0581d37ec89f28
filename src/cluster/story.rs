//! Story records: what a story is (articles that cover one event), how stories are formed
//! from links between documents, and the parameters of that grouping.

use super::average::{Edge, average_linkage};
use super::clusters::{Cluster, ClusterId};
use crate::error::{Error, Result};
use crate::tfidf::NeighbourRerank;

/// Default story threshold: the mean similarity two groups need to merge.
pub const DEFAULT_STORY_THRESHOLD: f64 = 0.13;
/// Default number of most similar documents each document is linked to.
pub const DEFAULT_STORY_NEIGHBOURS: usize = 20;
/// Default date window: articles published more than this many days apart are not linked.
pub const DEFAULT_DATE_WINDOW_DAYS: u32 = 7;
/// Default neighbourhood size of the story similarity (see [`StoryParams`]).
pub const DEFAULT_STORY_RERANK_NEIGHBOURS: usize = 3;

/// How stories are formed.
///
/// Each document is linked to its `neighbours` most similar documents by the shared-neighbour
/// score of [`NeighbourRerank`] (TF-IDF cosine mixed with the cosine of the documents' 3
/// nearest neighbourhoods, weight 2); groups then merge by average linkage
/// ([`average_linkage`]) while their mean score is at least `threshold`. Within the date
/// window (default 7 days, `None` for none), documents whose dates are further apart are
/// not linked: an event's coverage is close in time, while the same people in the news
/// six weeks later is another story. Documents without a readable date link to all. The defaults were measured on NewsWCL50 and ECB+,
/// see `docs/stories.md`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryParams {
    threshold: f64,
    neighbours: usize,
    rerank: NeighbourRerank,
    date_window: Option<u32>,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            threshold: DEFAULT_STORY_THRESHOLD,
            neighbours: DEFAULT_STORY_NEIGHBOURS,
            rerank: NeighbourRerank::new(
                DEFAULT_STORY_RERANK_NEIGHBOURS,
                crate::tfidf::DEFAULT_RERANK_WEIGHT,
            )
            .unwrap_or_default(),
            date_window: Some(DEFAULT_DATE_WINDOW_DAYS),
        }
    }
}

impl StoryParams {
    /// The defaults with another threshold (in `(0, 1]`).
    pub fn with_threshold(mut self, threshold: f64) -> Result<Self> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(Error::config(
                "story_threshold",
                format!("{threshold} is not in (0, 1]"),
            ));
        }
        self.threshold = threshold;
        Ok(self)
    }

    /// Links only documents published at most `days` apart (`None`: any dates).
    pub fn with_date_window(mut self, days: Option<u32>) -> Self {
        self.date_window = days;
        self
    }

    /// Links per document (at least 1).
    pub fn with_neighbours(mut self, neighbours: usize) -> Result<Self> {
        if neighbours == 0 {
            return Err(Error::config("story_neighbours", "must be at least 1"));
        }
        self.neighbours = neighbours;
        Ok(self)
    }

    /// The merge threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The date window in days, if any.
    pub fn date_window(&self) -> Option<u32> {
        self.date_window
    }

    /// Links per document.
    pub fn neighbours(&self) -> usize {
        self.neighbours
    }

    /// The shared-neighbour score the links are ranked by.
    pub fn rerank(&self) -> &NeighbourRerank {
        &self.rerank
    }

    /// Whether two documents with these day numbers (see
    /// [`day_of`](crate::corpus::day_of)) may be linked: both dated and further
    /// apart than the window, they may not.
    pub fn within_window(&self, a: Option<i64>, b: Option<i64>) -> bool {
        match (self.date_window, a, b) {
            (Some(w), Some(x), Some(y)) => (x - y).abs() <= i64::from(w),
            _ => true,
        }
    }
}

/// A document's place in a story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryMember {
    /// The document number.
    pub doc: u32,
    /// The copy cluster it belongs to, if it has copies.
    pub copies: Option<ClusterId>,
    /// Its most similar fellow member and their story score.
    pub nearest: Option<(u32, f32)>,
}

/// Articles that cover one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Its number: stories of two or more articles 0, 1, ... in order of their first
    /// document, then the stories of one article in the same order.
    pub id: u32,
    /// Members in input order.
    pub members: Vec<StoryMember>,
}

/// Stories from the story links of `n` documents (every document is in exactly one story;
/// a story may have one member): `copies` start as groups, so copies nest inside stories;
/// groups merge by average linkage while their mean link score is at least the threshold.
/// Stories are numbered in order of their first document, members kept in input order.
pub fn stories_from_links(
    n: usize,
    edges: &[Edge],
    copies: &[Cluster],
    params: &StoryParams,
) -> Vec<Story> {
    let initial: Vec<Vec<u32>> = copies
        .iter()
        .map(|c| c.members.iter().map(|m| m.doc).collect())
        .collect();
    let labels = average_linkage(n, edges, &initial, params.threshold);
    let mut copy_of: Vec<Option<ClusterId>> = vec![None; n];
    for c in copies {
        for m in &c.members {
            copy_of[m.doc as usize] = Some(c.id);
        }
    }
    // Each member's most similar fellow member.
    let mut nearest: Vec<Option<(u32, f32)>> = vec![None; n];
    for &(a, b, s) in edges {
        if labels[a as usize] != labels[b as usize] {
            continue;
        }
        for (x, y) in [(a, b), (b, a)] {
            let slot = &mut nearest[x as usize];
            let better = match slot {
                None => true,
                Some((d, t)) => s > *t || (s == *t && y < *d),
            };
            if better {
                *slot = Some((y, s));
            }
        }
    }
    let mut story_of_label: Vec<u32> = vec![u32::MAX; n];
    let mut stories: Vec<Story> = Vec::new();
    for doc in 0..n {
        let label = labels[doc] as usize;
        if story_of_label[label] == u32::MAX {
            story_of_label[label] = stories.len() as u32;
            stories.push(Story {
                id: stories.len() as u32,
                members: Vec::new(),
            });
        }
        stories[story_of_label[label] as usize]
            .members
            .push(StoryMember {
                doc: doc as u32,
                copies: copy_of[doc],
                nearest: nearest[doc],
            });
    }
    // Stories of two or more articles are numbered first, so that their numbers are the
    // same whether stories of one article are listed or not.
    let (mut multi, single): (Vec<Story>, Vec<Story>) =
        stories.into_iter().partition(|s| s.members.len() > 1);
    multi.extend(single);
    for (i, s) in multi.iter_mut().enumerate() {
        s.id = i as u32;
    }
    multi
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{MatchKind, VerifiedPair, build_clusters};

    #[test]
    fn links_above_the_threshold_merge_and_copies_nest() {
        // 0-1 strongly linked, 2-3 copies, 3-4 linked, 5 alone.
        let edges: Vec<Edge> = vec![(0, 1, 0.5), (3, 4, 0.4), (1, 2, 0.01)];
        let copies = build_clusters(
            6,
            &[VerifiedPair {
                a: 2,
                b: 3,
                jaccard: 0.9,
                containment: 0.9,
                kind: MatchKind::Jaccard,
            }],
            &[],
            false,
        );
        let stories = stories_from_links(6, &edges, &copies, &StoryParams::default());
        let members: Vec<Vec<u32>> = stories
            .iter()
            .map(|s| s.members.iter().map(|m| m.doc).collect())
            .collect();
        assert_eq!(members, vec![vec![0, 1], vec![2, 3, 4], vec![5]]);
        assert_eq!(
            stories.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        let m = &stories[1].members;
        assert_eq!(m[0].copies, Some(copies[0].id));
        assert_eq!(m[2].copies, None);
        // Each member's nearest fellow member, by link score.
        assert_eq!(stories[0].members[0].nearest, Some((1, 0.5)));
        assert_eq!(m[2].nearest, Some((3, 0.4)));
        assert_eq!(stories[2].members[0].nearest, None);
    }

    #[test]
    fn a_higher_threshold_keeps_weak_links_apart() {
        let edges: Vec<Edge> = vec![(0, 1, 0.2), (1, 2, 0.6)];
        let at = |t: f64| {
            let p = StoryParams::default().with_threshold(t).unwrap();
            stories_from_links(3, &edges, &[], &p).len()
        };
        assert_eq!(at(0.1), 1);
        assert_eq!(at(0.5), 2);
        assert_eq!(at(0.7), 3);
    }

    #[test]
    fn params_validate_and_the_window_applies_to_dated_pairs_only() {
        assert!(StoryParams::default().with_threshold(0.0).is_err());
        assert!(StoryParams::default().with_threshold(1.5).is_err());
        assert!(StoryParams::default().with_neighbours(0).is_err());
        let p = StoryParams::default();
        assert_eq!(p.date_window(), Some(DEFAULT_DATE_WINDOW_DAYS));
        assert!(p.within_window(Some(10), Some(17)));
        assert!(!p.within_window(Some(10), Some(18)));
        assert!(p.within_window(None, Some(18)));
        assert!(p.with_date_window(None).within_window(Some(0), Some(900)));
    }
}
