//! The sketch stage as a Parquet file: the columns, types and metadata of
//! `neardup.spark.sketch`'s output (stage schema version [`STAGE_VERSION`]), so a Spark job
//! can start its `bands`, `pairs` or `dedup` stages from sketches the CLI made, and get the
//! answers the CLI gets (`docs/spark.md`, "Stages").
//!
//! Columns: `id` (string), `_nd_doc` (long: the document's number in input order),
//! `_nd_prints` (`array<int>`: the shingle fingerprints, sorted and distinct, the bits of
//! the unsigned 32-bit values), `_nd_signature` (`array<int>`: the MinHash slots),
//! `_nd_chars` (long: the text's length in characters), `_nd_published` (long: ms since
//! 1970 UTC; the largest long when undated) and, with the template rule on, `_nd_figures`
//! (`array<long>`). The sketch settings and the schema version are the `neardup` metadata
//! of `_nd_prints`, recorded where Spark reads field metadata from a Parquet file (the
//! `org.apache.spark.sql.parquet.row.metadata` footer entry: Spark's schema as JSON); Spark
//! refuses to continue from a file of another version or other settings. (No page
//! checksums: the `parquet` crate does not write them; a damaged file fails Parquet's own
//! decoding.)

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, PrimitiveBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use serde_json::json;

use super::Pipeline;
use super::sketch::SketchedCorpus;
use crate::cluster::TemplateRule;
use crate::corpus::{DocMeta, open_parquet, parquet_writing};
use crate::error::{Error, Result};
use crate::minhash::SignatureMatrix;
use crate::output::AtomicFile;
use crate::shingle::{PackedSets, ShingleSets};

/// The stage schema's version, as `neardup.spark.STAGE_VERSION`.
pub const STAGE_VERSION: u32 = 26;

/// Rows per batch written and per row group.
const ROWS: usize = 1 << 14;

/// The footer entry Spark reads a file's schema (with field metadata) from.
const SPARK_SCHEMA_KEY: &str = "org.apache.spark.sql.parquet.row.metadata";

const DOC: &str = "_nd_doc";
const PRINTS: &str = "_nd_prints";
const SIGNATURE: &str = "_nd_signature";
const CHARS: &str = "_nd_chars";
const PUBLISHED: &str = "_nd_published";
const FIGURES: &str = "_nd_figures";

/// The `neardup` metadata of `_nd_prints`: the version and the settings the sketches
/// depend on, named and written as the Python settings are.
fn stage_metadata(pipeline: &Pipeline) -> serde_json::Value {
    let p = pipeline.sketch_params();
    json!({
        "stage_version": STAGE_VERSION,
        "shingle": pipeline.shingle().to_string(),
        "num_perm": p.num_perm,
        "seed": p.seed,
        "sketch": p.kind.name(),
    })
}

/// Spark's JSON form of `schema`, with the stage metadata on `_nd_prints`.
fn spark_schema(pipeline: &Pipeline, schema: &Schema) -> String {
    fn spark_type(t: &DataType) -> serde_json::Value {
        match t {
            DataType::Utf8 => json!("string"),
            DataType::Int32 => json!("integer"),
            DataType::Int64 => json!("long"),
            DataType::List(item) => json!({
                "type": "array",
                "elementType": spark_type(item.data_type()),
                "containsNull": item.is_nullable(),
            }),
            other => unreachable!("no stage column is {other}"),
        }
    }
    let fields: Vec<serde_json::Value> = schema
        .fields()
        .iter()
        .map(|f| {
            let metadata = if f.name() == PRINTS {
                json!({"neardup": stage_metadata(pipeline)})
            } else {
                json!({})
            };
            json!({
                "name": f.name(),
                "type": spark_type(f.data_type()),
                "nullable": f.is_nullable(),
                "metadata": metadata,
            })
        })
        .collect();
    json!({"type": "struct", "fields": fields}).to_string()
}

/// The element of a list of non-null `P` values (named as Spark names it).
fn element<P: ArrowPrimitiveType>() -> Arc<Field> {
    Arc::new(Field::new("element", P::DATA_TYPE, false))
}

fn list_of<P: ArrowPrimitiveType>() -> DataType {
    DataType::List(element::<P>())
}

/// A list column of one list per row of `rows`: `row(i, values)` puts row `i`'s values in
/// the (emptied) `values`, each then cast by `cast` (unsigned values keep their bits in the
/// signed type Spark has).
fn lists<P: ArrowPrimitiveType, T: Copy>(
    rows: Range<usize>,
    row: impl Fn(usize, &mut Vec<T>),
    cast: impl Fn(T) -> P::Native,
) -> ArrayRef {
    let mut b = ListBuilder::new(PrimitiveBuilder::<P>::new()).with_field(element::<P>());
    let mut values = Vec::new();
    for i in rows {
        values.clear();
        row(i, &mut values);
        b.values().extend(values.iter().map(|&v| Some(cast(v))));
        b.append(true);
    }
    Arc::new(b.finish())
}

/// Writes the sketch stage of `corpus` (sketched by `pipeline`) to `out`, committed once
/// whole.
pub fn write_sketch_stage(
    pipeline: &Pipeline,
    corpus: &SketchedCorpus,
    out: AtomicFile,
) -> Result<()> {
    let figures = corpus.templates.as_ref().and_then(|t| t.figures());
    let mut fields = vec![
        Field::new("id", DataType::Utf8, false),
        Field::new(DOC, DataType::Int64, false),
        Field::new(PRINTS, list_of::<Int32Type>(), false),
        Field::new(SIGNATURE, list_of::<Int32Type>(), false),
        Field::new(CHARS, DataType::Int64, false),
        Field::new(PUBLISHED, DataType::Int64, false),
    ];
    if figures.is_some() {
        fields.push(Field::new(FIGURES, list_of::<Int64Type>(), false));
    }
    let schema = Arc::new(Schema::new(fields));
    let props = parquet_writing::builder()
        .set_max_row_group_row_count(Some(ROWS))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            SPARK_SCHEMA_KEY.to_string(),
            spark_schema(pipeline, &schema),
        )]))
        .build();
    let buffered = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut w = ArrowWriter::try_new(buffered, Arc::clone(&schema), Some(props))
        .map_err(parquet_writing::write_error)?;
    let n = corpus.docs.len();
    for start in (0..n).step_by(ROWS) {
        let rows = start..(start + ROWS).min(n);
        let docs = &corpus.docs[rows.clone()];
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(
                docs.iter().map(|d| d.id.as_ref()),
            )),
            Arc::new(Int64Array::from_iter_values(rows.clone().map(|i| i as i64))),
            lists::<Int32Type, u32>(
                rows.clone(),
                |i, s| {
                    corpus.sets.set(i, s);
                },
                |v| v as i32,
            ),
            lists::<Int32Type, u32>(
                rows.clone(),
                |i, s| s.extend_from_slice(corpus.signatures.row(i)),
                |v| v as i32,
            ),
            Arc::new(Int64Array::from_iter_values(
                docs.iter().map(|d| d.chars as i64),
            )),
            Arc::new(Int64Array::from_iter_values(
                docs.iter().map(|d| d.published.unwrap_or(i64::MAX)),
            )),
        ];
        if let Some(f) = figures {
            columns.push(lists::<Int64Type, u64>(
                rows,
                |i, s| s.extend_from_slice(f.get(i)),
                |v| v as i64,
            ));
        }
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)
            .map_err(parquet_writing::write_error)?;
        w.write(&batch).map_err(parquet_writing::write_error)?;
    }
    let buffered = w.into_inner().map_err(parquet_writing::write_error)?;
    let file = buffered
        .into_inner()
        .map_err(|e| parquet_writing::write_error(e.error()))?;
    file.commit()
}

/// Whether the Parquet file at `path` is a sketch stage (its footer carries the stage
/// metadata on `_nd_prints`, as `neardup sketch` and `neardup.spark.sketch` write it).
pub fn is_sketch_stage(path: &Path) -> Result<bool> {
    Ok(stage_settings(path)?.is_some())
}

/// The `neardup` metadata of a file's `_nd_prints` column, if it has one.
fn stage_settings(path: &Path) -> Result<Option<serde_json::Value>> {
    let builder = open_parquet(path)?;
    let Some(kv) = builder.metadata().file_metadata().key_value_metadata() else {
        return Ok(None);
    };
    let Some(schema) = kv
        .iter()
        .find(|e| e.key == SPARK_SCHEMA_KEY)
        .and_then(|e| e.value.as_deref())
    else {
        return Ok(None);
    };
    let Ok(schema) = serde_json::from_str::<serde_json::Value>(schema) else {
        return Ok(None);
    };
    Ok(schema["fields"].as_array().and_then(|fields| {
        fields
            .iter()
            .find(|f| f["name"] == PRINTS)
            .and_then(|f| f["metadata"].get("neardup").cloned())
    }))
}

/// One stage file's rows, before they are put in `_nd_doc` order.
struct StageRows {
    doc: Vec<i64>,
    id: Vec<Box<str>>,
    id_is_number: bool,
    line: Vec<u64>,
    input: Vec<u32>,
    sets: Vec<Vec<u32>>,
    signatures: Vec<u32>,
    chars: Vec<u64>,
    published: Vec<Option<i64>>,
    figures: Option<Vec<Vec<u64>>>,
}

/// Reads a sketch stage (one Parquet file, or the part files of a Spark stage, given in
/// any order) back into the corpus [`Pipeline::sketch_corpus`] would have made: rows in
/// `_nd_doc` order, the sets, signatures, lengths, dates and (with the template rule)
/// figures as written, the template shingles learnt again from them. The files must have
/// been sketched with `pipeline`'s shingles, slots, seed and sketch, and hold figures when
/// its template rule is on; each error names the file.
pub fn read_sketch_stage(pipeline: &Pipeline, paths: &[PathBuf]) -> Result<SketchedCorpus> {
    let want = stage_metadata(pipeline);
    let k = pipeline.sketch_params().num_perm;
    let figured = pipeline.template_rule() != TemplateRule::Off;
    let mut rows = StageRows {
        doc: Vec::new(),
        id: Vec::new(),
        id_is_number: false,
        line: Vec::new(),
        input: Vec::new(),
        sets: Vec::new(),
        signatures: Vec::new(),
        chars: Vec::new(),
        published: Vec::new(),
        figures: figured.then(Vec::new),
    };
    for (input, path) in paths.iter().enumerate() {
        let stage = |why: String| Error::parse(path, 0, why);
        let Some(got) = stage_settings(path)? else {
            return Err(stage(
                "not a sketch stage (no neardup stage metadata on _nd_prints)".into(),
            ));
        };
        if got["stage_version"] != want["stage_version"] {
            return Err(stage(format!(
                "sketch stage version {}; this neardup reads version {STAGE_VERSION}",
                got["stage_version"]
            )));
        }
        let differ: Vec<String> = ["shingle", "num_perm", "seed", "sketch"]
            .iter()
            .filter(|key| got[**key] != want[**key])
            .map(|key| format!("{key} {} (here {})", got[*key], want[*key]))
            .collect();
        if !differ.is_empty() {
            return Err(stage(format!(
                "sketched with other settings: {}; run with the stage's settings",
                differ.join(", ")
            )));
        }
        read_stage_file(path, input as u32, k, &mut rows)?;
    }
    // Rows in `_nd_doc` order (a Spark stage's parts come in any order).
    let mut order: Vec<usize> = (0..rows.doc.len()).collect();
    order.sort_by_key(|&i| rows.doc[i]);
    if let Some(w) = order.windows(2).find(|w| rows.doc[w[0]] == rows.doc[w[1]]) {
        let i = w[1];
        return Err(Error::parse(
            &paths[rows.input[i] as usize],
            rows.line[i],
            format!("_nd_doc {} is on two rows", rows.doc[i]),
        ));
    }
    let mut sets = PackedSets::new();
    let mut figures = ShingleSets::new();
    let mut flat = Vec::with_capacity(rows.signatures.len());
    let mut docs = Vec::with_capacity(order.len());
    let mut empty = Vec::new();
    for (n, &i) in order.iter().enumerate() {
        if rows.sets[i].is_empty() {
            empty.push(n as u32);
        }
        sets.push(&rows.sets[i]);
        if let Some(f) = &rows.figures {
            figures.push(&f[i]);
        }
        flat.extend_from_slice(&rows.signatures[i * k..(i + 1) * k]);
        docs.push(DocMeta {
            id: std::mem::take(&mut rows.id[i]),
            id_is_number: rows.id_is_number,
            title: None,
            outlet: None,
            date: None,
            url: None,
            input: rows.input[i],
            line: rows.line[i],
            bytes: None,
            published: rows.published[i],
            chars: rows.chars[i],
        });
    }
    let signatures = SignatureMatrix::from_flat(pipeline.sketch_params(), flat)?;
    let templates = pipeline.learn_templates(&sets, figures);
    Ok(SketchedCorpus {
        inputs: paths.to_vec(),
        docs,
        sets,
        signatures,
        empty,
        templates,
    })
}

/// Appends the rows of one stage file to `rows`.
fn read_stage_file(path: &Path, input: u32, k: usize, rows: &mut StageRows) -> Result<()> {
    let builder = open_parquet(path)?;
    let schema = Arc::clone(builder.schema());
    let has = |name: &str| schema.index_of(name).is_ok();
    for name in [DOC, PRINTS, SIGNATURE] {
        if !has(name) {
            return Err(Error::parse(path, 0, format!("no {name} column")));
        }
    }
    if rows.figures.is_some() && !has(FIGURES) {
        return Err(Error::parse(
            path,
            0,
            "sketched without figures (the template rule off): pass --template-df off",
        ));
    }
    let reader = builder
        .with_batch_size(ROWS)
        .build()
        .map_err(|e| Error::parse(path, 0, format!("Parquet: {e}")))?;
    let mut line = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| Error::parse(path, line, format!("Parquet: {e}")))?;
        let bad =
            |row: usize, why: &str| Error::parse(path, line + row as u64 + 1, why.to_string());
        let column = |name: &str| batch.column_by_name(name);
        let doc = int64s(column(DOC)).ok_or_else(|| bad(0, "_nd_doc: not a long column"))?;
        let prints = column(PRINTS).and_then(|c| c.as_list_opt::<i32>());
        let prints = prints.ok_or_else(|| bad(0, "_nd_prints: not an array<int> column"))?;
        let signature = column(SIGNATURE).and_then(|c| c.as_list_opt::<i32>());
        let signature =
            signature.ok_or_else(|| bad(0, "_nd_signature: not an array<int> column"))?;
        let chars = column(CHARS).map(|c| int64s(Some(c)));
        let published = column(PUBLISHED).map(|c| int64s(Some(c)));
        let figures = column(FIGURES).and_then(|c| c.as_list_opt::<i32>());
        let id = column("id");
        for row in 0..batch.num_rows() {
            if doc.is_null(row) || prints.is_null(row) || signature.is_null(row) {
                return Err(bad(row, "a null _nd_doc, _nd_prints or _nd_signature"));
            }
            rows.doc.push(doc.value(row));
            let p = prints.value(row);
            let p = p
                .as_primitive_opt::<Int32Type>()
                .ok_or_else(|| bad(row, "_nd_prints: not ints"))?;
            let set: Vec<u32> = p.values().iter().map(|&v| v as u32).collect();
            if !set.is_sorted_by(|a, b| a < b) {
                return Err(bad(row, "_nd_prints: not sorted and distinct"));
            }
            rows.sets.push(set);
            let s = signature.value(row);
            let s = s
                .as_primitive_opt::<Int32Type>()
                .ok_or_else(|| bad(row, "_nd_signature: not ints"))?;
            if s.len() != k {
                return Err(bad(
                    row,
                    &format!("_nd_signature has {} slots, not num_perm = {k}", s.len()),
                ));
            }
            rows.signatures.extend(s.values().iter().map(|&v| v as u32));
            rows.chars.push(match &chars {
                Some(Some(c)) if !c.is_null(row) => c.value(row).max(0) as u64,
                _ => 0,
            });
            rows.published.push(match &published {
                Some(Some(c)) if !c.is_null(row) && c.value(row) != i64::MAX => Some(c.value(row)),
                _ => None,
            });
            if let Some(all) = &mut rows.figures {
                let f = match &figures {
                    Some(list) if !list.is_null(row) => list.value(row),
                    _ => return Err(bad(row, "_nd_figures: not an array<long> column, or null")),
                };
                let f = f
                    .as_primitive_opt::<Int64Type>()
                    .ok_or_else(|| bad(row, "_nd_figures: not longs"))?;
                all.push(f.values().iter().map(|&v| v as u64).collect());
            }
            let (name, number) =
                id_at(id, row).unwrap_or_else(|| (doc.value(row).to_string().into(), true));
            rows.id_is_number |= number;
            rows.id.push(name);
            rows.line.push(line + row as u64 + 1);
            rows.input.push(input);
        }
        line += batch.num_rows() as u64;
    }
    Ok(())
}

/// A column as longs (`None` when it is not a long column).
fn int64s(col: Option<&ArrayRef>) -> Option<&Int64Array> {
    col.and_then(|c| c.as_primitive_opt::<Int64Type>())
}

/// Row `row`'s id, and whether it is a number: from a string or integer `id` column;
/// `None` for no such column or a null.
fn id_at(col: Option<&ArrayRef>, row: usize) -> Option<(Box<str>, bool)> {
    let col = col?;
    if col.is_null(row) {
        return None;
    }
    if let Some(s) = col.as_string_opt::<i32>() {
        return Some((s.value(row).into(), false));
    }
    if let Some(s) = col.as_string_opt::<i64>() {
        return Some((s.value(row).into(), false));
    }
    if let Some(v) = col.as_primitive_opt::<Int64Type>() {
        return Some((v.value(row).to_string().into(), true));
    }
    col.as_primitive_opt::<Int32Type>()
        .map(|v| (v.value(row).to_string().into(), true))
}
