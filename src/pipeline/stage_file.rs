//! The sketch stage as a Parquet file: the columns, types and metadata of
//! `neardup.spark.sketch`'s output (stage schema version [`STAGE_VERSION`]), so a Spark job
//! can start its `bands`, `pairs` or `dedup` stages from sketches the CLI made, and get the
//! answers the CLI gets (`docs/spark.md`, "Stages").
//!
//! Columns: `id` (string), `_nd_doc` (long: the document's number in input order),
//! `_nd_prints` (array<int>: the shingle fingerprints, sorted and distinct, the bits of the
//! unsigned 32-bit values), `_nd_signature` (array<int>: the MinHash slots),
//! `_nd_chars` (long: the text's length in characters), `_nd_published` (long: ms since
//! 1970 UTC; the largest long when undated) and, with the template rule on, `_nd_figures`
//! (array<long>). The sketch settings and the schema version are the `neardup` metadata of
//! `_nd_prints`, recorded where Spark reads field metadata from a Parquet file (the
//! `org.apache.spark.sql.parquet.row.metadata` footer entry: Spark's schema as JSON); Spark
//! refuses to continue from a file of another version or other settings. (No page
//! checksums: the `parquet` crate does not write them; a damaged file fails Parquet's own
//! decoding.)

use std::ops::Range;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, PrimitiveBuilder};
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{ArrayRef, ArrowPrimitiveType, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use serde_json::json;

use super::Pipeline;
use super::sketch::SketchedCorpus;
use crate::corpus::parquet_writing;
use crate::error::Result;
use crate::output::AtomicFile;

/// The stage schema's version, as `neardup.spark.STAGE_VERSION`.
pub const STAGE_VERSION: u32 = 1;

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
