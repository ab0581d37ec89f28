//! Which member of each cluster of copies survives deduplication.

use super::clusters::Cluster;
use crate::corpus::{DocMeta, publication_key};

/// The rule that picks each cluster's survivor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The first in input order.
    First,
    /// The earliest published (undated last; ties by input order), as `(first)` in
    /// `cluster`'s output. Without dates this is [`Keep::First`].
    #[default]
    Earliest,
    /// The longest text in characters (ties by input order).
    Longest,
}

impl std::str::FromStr for Keep {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Keep> {
        match s {
            "first" => Ok(Keep::First),
            "earliest" => Ok(Keep::Earliest),
            "longest" => Ok(Keep::Longest),
            _ => Err(crate::Error::config(
                "keep",
                format!("{s:?}: expected first, earliest or longest"),
            )),
        }
    }
}

impl std::fmt::Display for Keep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Keep::First => "first",
            Keep::Earliest => "earliest",
            Keep::Longest => "longest",
        })
    }
}

impl Keep {
    /// The survivor among `members` (document numbers into `docs`); `None` if there are
    /// none.
    pub fn survivor(self, docs: &[DocMeta], members: impl IntoIterator<Item = u32>) -> Option<u32> {
        let members = members.into_iter();
        match self {
            Keep::First => members.min(),
            Keep::Earliest => members.min_by_key(|&d| publication_key(&docs[d as usize], d)),
            Keep::Longest => {
                members.min_by_key(|&d| (std::cmp::Reverse(docs[d as usize].chars), d))
            }
        }
    }

    /// Whether each of `n` documents is kept: all but the non-survivors of `clusters`.
    pub fn kept(self, n: usize, docs: &[DocMeta], clusters: &[Cluster]) -> Vec<bool> {
        let mut keep = vec![true; n];
        for c in clusters {
            let survivor = self.survivor(docs, c.members.iter().map(|m| m.doc));
            for m in &c.members {
                keep[m.doc as usize] = Some(m.doc) == survivor;
            }
        }
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{MatchKind, VerifiedPair, build_clusters};
    use crate::corpus::Document;

    #[test]
    fn each_rule_keeps_one_per_cluster() {
        let doc = |text: &str, date: Option<&str>| {
            let mut d = Document::new("x", text);
            d.date = date.map(Into::into);
            DocMeta::of(&d, 0)
        };
        let docs = [
            doc("a short one", Some("2024-06-03")),
            doc("the longest text of all", Some("2024-06-02")),
            doc("a middle text", None),
            doc("alone", Some("2024-06-01")),
            doc("a short two", Some("2024-06-01T20:00:00+02:00")),
        ];
        let pair = |a, b| VerifiedPair {
            a,
            b,
            jaccard: 0.9,
            containment: 0.9,
            kind: MatchKind::Jaccard,
        };
        let clusters = build_clusters(5, &[pair(0, 1), pair(1, 2), pair(1, 4)], &[], false);
        let kept = |k: Keep| k.kept(5, &docs, &clusters);
        assert_eq!(kept(Keep::First), [true, false, false, true, false]);
        // 4 is 2024-06-01 18:00 UTC, before 1 (2024-06-02); 2 is undated.
        assert_eq!(kept(Keep::Earliest), [false, false, false, true, true]);
        assert_eq!(kept(Keep::Longest), [false, true, false, true, false]);
        assert_eq!("longest".parse::<Keep>().unwrap(), Keep::Longest);
        assert!("last".parse::<Keep>().is_err());
        assert_eq!(Keep::default().to_string(), "earliest");
    }
}
