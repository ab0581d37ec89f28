//! Aligned-passage coverage on the Clough-Stevenson corpus of short answers (issue 4).
//!
//!   cargo run --release -p neardup-tools --bin align_eval -- ../shared/datasets/clough_stevenson_plagiarism/documents.jsonl
//!
//! Each answer is aligned with the Wikipedia source of its task; the coverage is the share
//! of the answer's words inside a shared passage. Prints the mean coverage per category
//! (cut, light, heavy: rewritten from the source with more and more effort; non: written
//! independently from other material) and the AUC of coverage for plagiarised (cut, light,
//! heavy) against independent (non) answers, and for cut against non.
use std::collections::{BTreeMap, HashMap};

use neardup::{Aligner, Analyzer};

fn auc(pos: &[f64], neg: &[f64]) -> f64 {
    let mut s = 0.0;
    for p in pos {
        for n in neg {
            s += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    s / (pos.len() * neg.len()) as f64
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/datasets/clough_stevenson_plagiarism/documents.jsonl".into());
    let docs: Vec<serde_json::Value> = std::fs::read_to_string(&path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let text = |d: &serde_json::Value| d["text"].as_str().unwrap_or("").to_string();
    let sources: HashMap<String, String> = docs
        .iter()
        .filter(|d| d["category"] == "orig")
        .map(|d| (d["id"].as_str().unwrap_or("").to_string(), text(d)))
        .collect();
    // ALIGN=seed,gap,min_words tries other settings (default: the library's).
    let aligner = match std::env::var("ALIGN") {
        Ok(v) => {
            let p: Vec<usize> = v.split(',').map(|x| x.parse()).collect::<Result<_, _>>()?;
            Aligner::new(p[0], p[1], p[2])?
        }
        Err(_) => Aligner::default(),
    };
    let analyzer = Analyzer::default();
    let mut by_cat: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for d in &docs {
        let cat = d["category"].as_str().unwrap_or("");
        if cat == "orig" {
            continue;
        }
        let Some(src) = d["source_id"].as_str().and_then(|s| sources.get(s)) else {
            continue;
        };
        let al = aligner.align(&analyzer, src, &text(d));
        if std::env::var_os("ALIGN_DEBUG").is_some() {
            eprintln!("{cat}\t{}\t{:.3}\t{}", d["id"], al.coverage_b, al.total_b);
        }
        by_cat
            .entry(cat.to_string())
            .or_default()
            .push(al.coverage_b);
    }
    println!("category  answers  mean coverage of the answer");
    for (c, v) in &by_cat {
        println!(
            "{c:<8}  {:>7}  {:.3}",
            v.len(),
            v.iter().sum::<f64>() / v.len() as f64
        );
    }
    let get = |c: &str| by_cat.get(c).cloned().unwrap_or_default();
    let plag: Vec<f64> = ["cut", "light", "heavy"]
        .iter()
        .flat_map(|c| get(c))
        .collect();
    println!(
        "AUC plagiarised (cut+light+heavy) vs non: {:.3}",
        auc(&plag, &get("non"))
    );
    println!(
        "AUC cut vs non:                           {:.3}",
        auc(&get("cut"), &get("non"))
    );
    println!(
        "AUC heavy vs non:                         {:.3}",
        auc(&get("heavy"), &get("non"))
    );
    Ok(())
}
