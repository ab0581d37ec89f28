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

use std::sync::Arc;

use arrow_array::builder::{Int32Builder, Int64Builder, ListBuilder};
use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::json;

use super::Pipeline;
use super::sketch::SketchedCorpus;
use crate::corpus::parquet_writing::write_error;
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

/// Spark's JSON form of the schema, with the stage metadata on `_nd_prints`.
fn spark_schema(pipeline: &Pipeline, figures: bool) -> String {
    let array =
        |element: &str| json!({"type": "array", "elementType": element, "containsNull": false});
    let field = |name: &str, t: serde_json::Value, nullable: bool| json!({"name": name, "type": t, "nullable": nullable, "metadata": {}});
    let mut fields = vec![
        field("id", json!("string"), false),
        field(DOC, json!("long"), false),
        json!({
            "name": PRINTS,
            "type": array("integer"),
            "nullable": false,
            "metadata": {"neardup": stage_metadata(pipeline)},
        }),
        field(SIGNATURE, array("integer"), false),
        field(CHARS, json!("long"), false),
        field(PUBLISHED, json!("long"), false),
    ];
    if figures {
        fields.push(field(FIGURES, array("long"), false));
    }
    json!({"type": "struct", "fields": fields}).to_string()
}

fn list(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("element", item, false)))
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
        Field::new(PRINTS, list(DataType::Int32), false),
        Field::new(SIGNATURE, list(DataType::Int32), false),
        Field::new(CHARS, DataType::Int64, false),
        Field::new(PUBLISHED, DataType::Int64, false),
    ];
    if figures.is_some() {
        fields.push(Field::new(FIGURES, list(DataType::Int64), false));
    }
    let schema = Arc::new(Schema::new(fields));
    let props = WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .set_max_row_group_row_count(Some(ROWS))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            SPARK_SCHEMA_KEY.to_string(),
            spark_schema(pipeline, figures.is_some()),
        )]))
        .build();
    let buffered = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut w =
        ArrowWriter::try_new(buffered, Arc::clone(&schema), Some(props)).map_err(write_error)?;
    let n = corpus.docs.len();
    for start in (0..n).step_by(ROWS) {
        let rows = start..(start + ROWS).min(n);
        let docs = &corpus.docs[rows.clone()];
        let mut prints = ListBuilder::new(Int32Builder::new()).with_field(Arc::new(Field::new(
            "element",
            DataType::Int32,
            false,
        )));
        let mut signatures = ListBuilder::new(Int32Builder::new())
            .with_field(Arc::new(Field::new("element", DataType::Int32, false)));
        for i in rows.clone() {
            // The bits of the unsigned values, as Spark's ints hold them.
            prints
                .values()
                .append_slice(as_signed(corpus.sets.get(i)).as_slice());
            prints.append(true);
            signatures
                .values()
                .append_slice(as_signed(corpus.signatures.row(i)).as_slice());
            signatures.append(true);
        }
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(
                docs.iter().map(|d| d.id.as_str()),
            )),
            Arc::new(Int64Array::from_iter_values(rows.clone().map(|i| i as i64))),
            Arc::new(prints.finish()),
            Arc::new(signatures.finish()),
            Arc::new(Int64Array::from_iter_values(
                docs.iter().map(|d| d.chars as i64),
            )),
            Arc::new(Int64Array::from_iter_values(
                docs.iter().map(|d| d.published.unwrap_or(i64::MAX)),
            )),
        ];
        if let Some(f) = figures {
            let mut b = ListBuilder::new(Int64Builder::new()).with_field(Arc::new(Field::new(
                "element",
                DataType::Int64,
                false,
            )));
            for i in rows.clone() {
                b.values()
                    .append_slice(&f.get(i).iter().map(|&x| x as i64).collect::<Vec<_>>());
                b.append(true);
            }
            columns.push(Arc::new(b.finish()));
        }
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns).map_err(write_error)?;
        w.write(&batch).map_err(write_error)?;
    }
    let buffered = w.into_inner().map_err(write_error)?;
    let file = buffered.into_inner().map_err(|e| write_error(e.error()))?;
    file.commit()
}

/// Unsigned 32-bit values as the signed values of the same bits.
fn as_signed(values: &[u32]) -> Vec<i32> {
    values.iter().map(|&v| v as i32).collect()
}
