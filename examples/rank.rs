//! Ranks every article's most related articles by TF-IDF cosine: coverage of the same
//! event, whether or not the text was copied.
//!
//! ```sh
//! cargo run --release --example rank                          # the bundled sample
//! cargo run --release --example rank -- articles.jsonl 5      # any input, top 5
//! ```

use neardup::{CorpusReader, FieldMap, Input, Ranker, TfidfModel};

/// An article's id and its neighbours (id, cosine), best first.
type Ranked = (String, Vec<(String, f32)>);

/// Each article and its `top` neighbours.
fn rank(path: &str, top: usize) -> neardup::Result<Vec<Ranked>> {
    let reader = CorpusReader::new(vec![Input::new(path, None)?], FieldMap::default());
    // Sublinear tf and smoothed idf, as scikit-learn's TfidfVectorizer(sublinear_tf=True).
    let ranker = Ranker::new(TfidfModel::builder());
    let corpus = ranker.vectorize_corpus(reader, |_| {})?;
    let neighbours = ranker.neighbours(&corpus, top);
    Ok(corpus
        .docs
        .iter()
        .zip(neighbours)
        .map(|(doc, list)| {
            let list = list
                .iter()
                .map(|n| (corpus.docs[n.doc as usize].id.to_string(), n.cosine))
                .collect();
            (doc.id.to_string(), list)
        })
        .collect())
}

fn main() -> neardup::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/sample/news.jsonl").into()
    });
    let top = args.next().and_then(|t| t.parse().ok()).unwrap_or(3);
    for (id, list) in rank(&path, top)?.iter().take(10) {
        let shown: Vec<String> = list.iter().map(|(n, c)| format!("{n} ({c:.2})")).collect();
        println!("{id}: {}", shown.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_copy_ranks_its_original_first() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/sample/news.jsonl");
        let ranked = super::rank(path, 3).unwrap();
        assert_eq!(ranked.len(), 122);
        // s00000-1 and s00000-2 are rewrites of s00000-0 (datasets/sample/truth.tsv).
        for copy in ["s00000-1", "s00000-2"] {
            let (_, list) = ranked.iter().find(|(id, _)| id == copy).unwrap();
            assert_eq!(list.len(), 3);
            assert!(list[..2].iter().any(|(n, _)| n == "s00000-0"), "{list:?}");
        }
    }
}
