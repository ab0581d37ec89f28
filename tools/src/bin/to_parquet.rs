//! Converts JSONL to Parquet, one row group per `--rows` records (default 100,000): every
//! key of the records becomes a column (strings; numbers and booleans as integers, doubles
//! and booleans when a key holds only those; anything else as its JSON text), in the order
//! keys first appear. Streams the input twice (once for the columns, once for the rows).
//!
//!     cargo run --release -p neardup-tools --bin to_parquet -- IN.jsonl OUT.parquet [--rows N]
//!
//! For the round-trip checks and the Parquet figures of docs/benchmarks.md, and the bundled
//! `datasets/sample/news.parquet`.

use std::fs::File;
use std::io::{BufRead, BufReader};

use anyhow::{Context, Result, bail};
use neardup::table::{Column, Table};
use serde_json::Value;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Float,
    Bool,
    Str,
}

fn kind_of(v: &Value) -> Option<Kind> {
    match v {
        Value::Null => None,
        Value::Bool(_) => Some(Kind::Bool),
        Value::Number(n) if n.is_i64() => Some(Kind::Int),
        Value::Number(_) => Some(Kind::Float),
        _ => Some(Kind::Str),
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [i, o, ..] => (i.clone(), o.clone()),
        _ => bail!("usage: to_parquet IN.jsonl OUT.parquet [--rows N]"),
    };
    let rows_per_group: usize = match args.iter().position(|a| a == "--rows") {
        Some(i) => args.get(i + 1).context("--rows needs a number")?.parse()?,
        None => 100_000,
    };
    let lines = || -> Result<_> {
        Ok(BufReader::new(File::open(&input).with_context(|| input.clone())?).lines())
    };
    // Pass 1: the columns and their types.
    let mut names: Vec<String> = Vec::new();
    let mut kinds: Vec<Option<Kind>> = Vec::new();
    for line in lines()? {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Map<String, Value> = serde_json::from_str(&line)?;
        for (k, x) in &v {
            let i = match names.iter().position(|n| n == k) {
                Some(i) => i,
                None => {
                    names.push(k.clone());
                    kinds.push(None);
                    names.len() - 1
                }
            };
            kinds[i] = match (kinds[i], kind_of(x)) {
                (a, None) => a,
                (None, b) => b,
                (Some(Kind::Int), Some(Kind::Float)) | (Some(Kind::Float), Some(Kind::Int)) => {
                    Some(Kind::Float)
                }
                (Some(a), Some(b)) if a == b => Some(a),
                _ => Some(Kind::Str),
            };
        }
    }
    // Pass 2: the rows, a row group at a time.
    let mut writer = neardup::table::ParquetFile::create(std::path::Path::new(&output))?;
    let mut batch: Vec<serde_json::Map<String, Value>> = Vec::new();
    let mut flush = |batch: &mut Vec<serde_json::Map<String, Value>>| -> Result<()> {
        let mut t = Table::new();
        for (name, kind) in names.iter().zip(&kinds) {
            fn get<'a>(r: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a Value> {
                r.get(name).filter(|v| !v.is_null())
            }
            let col = match kind.unwrap_or(Kind::Str) {
                Kind::Int => Column::Int(
                    batch
                        .iter()
                        .map(|r| get(r, name).and_then(Value::as_i64))
                        .collect(),
                ),
                Kind::Float => Column::Float(
                    batch
                        .iter()
                        .map(|r| get(r, name).and_then(Value::as_f64))
                        .collect(),
                ),
                Kind::Bool => Column::Bool(
                    batch
                        .iter()
                        .map(|r| get(r, name).and_then(Value::as_bool))
                        .collect(),
                ),
                Kind::Str => Column::Str(
                    batch
                        .iter()
                        .map(|r| {
                            get(r, name).map(|v| match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                        })
                        .collect(),
                ),
            };
            t = t.with(name, col)?;
        }
        writer.write(&t)?;
        batch.clear();
        Ok(())
    };
    for line in lines()? {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        batch.push(serde_json::from_str(&line)?);
        if batch.len() == rows_per_group {
            flush(&mut batch)?;
        }
    }
    if !batch.is_empty() {
        flush(&mut batch)?;
    }
    writer.finish()?;
    Ok(())
}
