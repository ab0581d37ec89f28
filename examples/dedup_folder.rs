//! Finds the near-duplicates in a folder of articles and prints them as groups.
//!
//! ```sh
//! cargo run --release --example dedup_folder                # the bundled examples/articles
//! cargo run --release --example dedup_folder -- my/folder   # any folder, JSONL or CSV file
//! ```
//!
//! A `.txt` file is one article; one that starts `OUTLET date YYYY-MM-DD` gets its outlet
//! and date from that header.

use neardup::{CorpusReader, FieldMap, Input, Pipeline};

/// Each group of copies: (member id, outlet, the member it was joined to, Jaccard).
type Groups = Vec<Vec<(String, String, Option<String>, Option<f64>)>>;

fn dedup(path: &str) -> neardup::Result<Groups> {
    // The defaults: word 3-grams, 128 MinHash slots, Jaccard 0.3 or containment 0.5.
    let pipeline = Pipeline::builder().threshold(0.3).build()?;
    // The format comes from the path (a folder is read recursively).
    let reader = CorpusReader::new(vec![Input::new(path, None)?], FieldMap::default());
    // Read, shingle and sketch in parallel; the closure reports progress (documents read).
    let corpus = pipeline.sketch_corpus(reader, |_read| {})?;
    // LSH candidates, each verified on the exact shingle sets (copies, and reports whose
    // figures conflict, to be kept apart).
    let found = pipeline.find_pairs(&corpus);
    // Union-find over the verified pairs; clusters of two or more.
    let clusters = pipeline.clusters(&corpus, &found, false);
    Ok(clusters
        .iter()
        .map(|c| {
            c.members
                .iter()
                .map(|m| {
                    let doc = &corpus.docs[m.doc as usize];
                    let joined = m.joined_by.map(|p| {
                        let other = if p.a == m.doc { p.b } else { p.a };
                        (corpus.docs[other as usize].id.to_string(), p.jaccard)
                    });
                    (
                        doc.id.to_string(),
                        doc.outlet.as_deref().unwrap_or_default().to_string(),
                        joined.as_ref().map(|j| j.0.clone()),
                        joined.map(|j| j.1),
                    )
                })
                .collect()
        })
        .collect())
}

fn main() -> neardup::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/articles").into());
    let groups = dedup(&path)?;
    println!("{} groups of copies in {path}", groups.len());
    for (i, group) in groups.iter().enumerate() {
        println!("group {i}:");
        for (id, outlet, joined, jaccard) in group {
            match (joined, jaccard) {
                (Some(j), Some(x)) => println!("  {id} ({outlet}) <- {j}, Jaccard {x:.2}"),
                _ => println!("  {id} ({outlet})"),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_articles_hold_two_groups_of_copies() {
        let groups =
            super::dedup(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/articles")).unwrap();
        let ids: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|m| m.0.as_str()).collect())
            .collect();
        assert_eq!(
            ids,
            vec![
                vec!["s00000-0.txt", "s00000-1.txt", "s00000-2.txt"],
                vec!["s00001-0.txt", "s00001-1.txt"]
            ]
        );
        // Outlets come from the raw header.
        assert_eq!(groups[1][0].1, "NorthgateNews");
        assert!(groups[0][1].3.unwrap() > 0.3);
    }
}
