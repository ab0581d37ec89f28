//! Builds a persistent index of an archive, adds to it, and asks it what is like a new
//! article: near-duplicates (verified copies) and related coverage (TF-IDF cosine).
//!
//! ```sh
//! cargo run --release --example index_query
//! ```

use std::path::Path;

use neardup::{
    CorpusReader, FieldMap, Index, Input, Pipeline, Searcher, TfidfModel, add_to_index, build_index,
};

fn reader(path: &Path) -> neardup::Result<CorpusReader> {
    Ok(CorpusReader::new(
        vec![Input::new(path, None)?],
        FieldMap::default(),
    ))
}

/// Indexes the archive, adds `today`, then queries `text`: (near-duplicate ids, related ids,
/// documents in the index).
fn archive_and_query(
    archive: &Path,
    today: &Path,
    index_path: &Path,
    text: &str,
) -> neardup::Result<(Vec<String>, Vec<String>, usize)> {
    // The index records the pipeline's settings; every later step reuses them.
    let pipeline = Pipeline::builder().build()?;
    build_index(
        index_path,
        &pipeline,
        TfidfModel::builder(),
        reader(archive)?,
        |_| {},
    )?;
    // Adding writes a new file in place atomically (ids must stay unique).
    add_to_index(index_path, reader(today)?, |_| {})?;
    // Opening memory-maps the file and checks its version and checksums.
    let index = Index::open(index_path)?;
    let searcher = Searcher::new(&index)?;
    let found = searcher.query(text, 3)?;
    let id = |d: u32| index.doc(d as usize).map(|m| m.id.to_string());
    let duplicates = found
        .duplicates
        .iter()
        .map(|m| id(m.doc))
        .collect::<neardup::Result<_>>()?;
    let related = found
        .related
        .iter()
        .map(|n| id(n.doc))
        .collect::<neardup::Result<_>>()?;
    Ok((duplicates, related, index.len()))
}

/// The bundled sample split into an archive and a day's articles, in `dir`.
fn split_sample(dir: &Path) -> std::io::Result<(std::path::PathBuf, std::path::PathBuf, String)> {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/news.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(sample)?
        .lines()
        .map(str::to_string)
        .collect();
    let (archive, today) = (dir.join("archive.jsonl"), dir.join("today.jsonl"));
    std::fs::write(&archive, lines[..100].join("\n"))?;
    std::fs::write(&today, lines[100..].join("\n"))?;
    // The query: the first archived article with its last paragraph cut (a truncated copy).
    let first = &lines[0];
    let start = first.find("\"text\":\"").expect("a text field") + 8;
    let text = first[start..].split("\\n\\n").collect::<Vec<_>>();
    let query = text[..text.len() - 1].join("\n\n");
    Ok((archive, today, query))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("neardup-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (archive, today, query) = split_sample(&dir)?;
    let result = archive_and_query(&archive, &today, &dir.join("archive.ndx"), &query);
    std::fs::remove_dir_all(&dir)?;
    let (duplicates, related, n) = result?;
    println!("{n} articles indexed");
    println!("near-duplicates of the query: {}", duplicates.join(", "));
    println!("most related: {}", related.join(", "));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_truncated_article_finds_its_original_and_its_rewrites() {
        let dir = std::env::temp_dir().join(format!("neardup-example-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (archive, today, query) = super::split_sample(&dir).unwrap();
        let result = super::archive_and_query(&archive, &today, &dir.join("a.ndx"), &query);
        std::fs::remove_dir_all(&dir).unwrap();
        let (duplicates, related, n) = result.unwrap();
        assert_eq!(n, 122);
        assert_eq!(duplicates[0], "s00000-0");
        assert!(
            duplicates.contains(&"s00000-1".to_string()),
            "{duplicates:?}"
        );
        assert_eq!(related[0], "s00000-0");
    }
}
