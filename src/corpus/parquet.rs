//! Parquet inputs: a text column and optional id, title, outlet, date and url columns
//! (named as for JSONL keys and CSV columns), read a batch of rows at a time by row group,
//! with only those columns decoded. A document's "line" is its row, from 1.
//!
//! Column types: text, title, outlet and url are strings (`Utf8`, `LargeUtf8`,
//! `Utf8View`); an id is a string or an integer; a date is a string, a `Date32`/`Date64`,
//! a timestamp (written back as RFC 3339) or an integer (epoch seconds or milliseconds, as
//! [`parse_date`](super::parse_date) reads them). A null text is an empty document (kept,
//! never matched, as in JSONL); a null id becomes `FILE:ROW`. Any other column type is an
//! error naming the file and the column.

use std::borrow::Cow;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::document::{Document, FieldMap};
use super::io_err;
use super::parquet_footer;
use crate::error::{Error, Result};

/// Rows decoded at a time.
const BATCH_ROWS: usize = 4096;

/// An open Parquet input.
pub(crate) struct ParquetSource {
    path: PathBuf,
    reader: ParquetRecordBatchReader,
    fields: FieldMap,
    /// Rows read so far.
    rows: u64,
    /// The longest text read, in bytes.
    max_text_bytes: usize,
}

/// Opens `path` for reading once its footer passes [`parquet_footer::check_file`].
pub(crate) fn open_builder(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    let mut file = File::open(path).map_err(|e| io_err(path, e))?;
    let unreadable =
        |why: String| Error::parse(path, 0, format!("not a readable Parquet file ({why})"));
    if let Err(r) = parquet_footer::check_file(&mut file).map_err(|e| io_err(path, e))? {
        return Err(unreadable(format!(
            "its footer holds {} at byte {} of the footer",
            r.what, r.offset
        )));
    }
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| unreadable(e.to_string()))
}

fn parquet_err(path: &Path, row: u64, e: impl std::fmt::Display) -> Error {
    Error::parse(path, row, format!("Parquet: {e}"))
}

impl ParquetSource {
    /// Opens `path` and checks that its columns can be read as `fields` name them; a text
    /// longer than `max_text_bytes` will be an error naming its row.
    pub(crate) fn open(
        path: &Path,
        fields: &FieldMap,
        max_text_bytes: usize,
    ) -> Result<ParquetSource> {
        let builder = open_builder(path)?;
        let schema = builder.schema().clone();
        let names = [
            &fields.text,
            &fields.id,
            &fields.title,
            &fields.outlet,
            &fields.date,
            &fields.url,
        ];
        if schema.index_of(&fields.text).is_err() {
            let columns: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            return Err(Error::parse(
                path,
                0,
                format!(
                    "no column {:?} (choose another with --text-field; columns: {})",
                    fields.text,
                    columns.join(", ")
                ),
            ));
        }
        let mut roots: Vec<usize> = names
            .iter()
            .filter_map(|n| schema.index_of(n).ok())
            .collect();
        roots.sort_unstable();
        roots.dedup();
        for &i in &roots {
            let f = schema.field(i);
            check_type(path, f.name(), f.data_type(), fields)?;
        }
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let reader = builder
            .with_projection(mask)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| parquet_err(path, 0, e))?;
        Ok(ParquetSource {
            path: path.to_owned(),
            reader,
            fields: fields.clone(),
            rows: 0,
            max_text_bytes,
        })
    }

    /// The next documents, `None` at the end.
    pub(crate) fn next_docs(&mut self) -> Result<Option<Vec<Document<'static>>>> {
        let Some(batch) = self.reader.next() else {
            return Ok(None);
        };
        let batch = batch.map_err(|e| parquet_err(&self.path, self.rows + 1, e))?;
        let docs = documents(&batch, &self.path, self.rows, &self.fields)?;
        if let Some(d) = docs.iter().find(|d| d.text.len() > self.max_text_bytes) {
            return Err(super::too_long(
                &self.path,
                d.line,
                "a text longer than",
                self.max_text_bytes,
            ));
        }
        self.rows += batch.num_rows() as u64;
        Ok(Some(docs))
    }
}

/// Whether a column's type can fill its slot.
fn check_type(path: &Path, name: &str, t: &DataType, fields: &FieldMap) -> Result<()> {
    let string = matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let integer = t.is_integer();
    let ok = if name == fields.text
        || name == fields.title
        || name == fields.outlet
        || name == fields.url
    {
        string
    } else if name == fields.id {
        string || integer
    } else if name == fields.date {
        string
            || integer
            || matches!(
                t,
                DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
            )
    } else {
        true
    };
    if ok {
        Ok(())
    } else {
        Err(Error::parse(
            path,
            0,
            format!(
                "column {name:?} is {t}, which cannot be read as {}",
                what(name, fields)
            ),
        ))
    }
}

fn what(name: &str, fields: &FieldMap) -> &'static str {
    if name == fields.id {
        "an id (a string or an integer)"
    } else if name == fields.date {
        "a date (a string, a date, a timestamp or an integer)"
    } else {
        "text (a string)"
    }
}

/// The values of a column as strings (`None` for nulls), and whether they were integers.
fn strings(col: &ArrayRef) -> (Vec<Option<String>>, bool) {
    fn collect<'a>(it: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<String>> {
        it.map(|v| v.map(str::to_owned)).collect()
    }
    macro_rules! ints {
        ($t:ty) => {
            (
                col.as_primitive::<$t>()
                    .iter()
                    .map(|v| v.map(|x| x.to_string()))
                    .collect(),
                true,
            )
        };
    }
    match col.data_type() {
        DataType::Utf8 => (collect(col.as_string::<i32>().iter()), false),
        DataType::LargeUtf8 => (collect(col.as_string::<i64>().iter()), false),
        DataType::Utf8View => (collect(col.as_string_view().iter()), false),
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => ints!(UInt64Type),
        DataType::Date32 => (
            col.as_primitive::<Date32Type>()
                .iter()
                .map(|v| v.and_then(|d| day_string(i64::from(d))))
                .collect(),
            false,
        ),
        DataType::Date64 => (
            col.as_primitive::<Date64Type>()
                .iter()
                .map(|v| v.and_then(|ms| day_string(ms.div_euclid(86_400_000))))
                .collect(),
            false,
        ),
        DataType::Timestamp(unit, _) => {
            let nanos = match unit {
                TimeUnit::Second => scaled::<TimestampSecondType>(col, 1_000_000_000),
                TimeUnit::Millisecond => scaled::<TimestampMillisecondType>(col, 1_000_000),
                TimeUnit::Microsecond => scaled::<TimestampMicrosecondType>(col, 1_000),
                TimeUnit::Nanosecond => scaled::<TimestampNanosecondType>(col, 1),
            };
            (
                nanos
                    .into_iter()
                    .map(|v| {
                        v.and_then(|n| jiff::Timestamp::from_nanosecond(n).ok())
                            .map(|t| t.to_string())
                    })
                    .collect(),
                false,
            )
        }
        // Types are checked when the file is opened.
        _ => (vec![None; col.len()], false),
    }
}

/// A timestamp column's values in nanoseconds (`per`: nanoseconds in its unit).
fn scaled<T: ArrowPrimitiveType<Native = i64>>(col: &ArrayRef, per: i128) -> Vec<Option<i128>> {
    col.as_primitive::<T>()
        .iter()
        .map(|v| v.map(|x| i128::from(x) * per))
        .collect()
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
fn day_string(days: i64) -> Option<String> {
    let span = jiff::Span::new().try_days(days).ok()?;
    jiff::civil::date(1970, 1, 1)
        .checked_add(span)
        .ok()
        .map(|d| d.to_string())
}

/// The documents of one batch, whose first row is row `before + 1` of the file.
fn documents(
    batch: &RecordBatch,
    path: &Path,
    before: u64,
    fields: &FieldMap,
) -> Result<Vec<Document<'static>>> {
    let n = batch.num_rows();
    let column = |name: &str| -> (Vec<Option<String>>, bool) {
        match batch.column_by_name(name) {
            Some(c) => strings(c),
            None => (vec![None; n], false),
        }
    };
    let (texts, _) = column(&fields.text);
    let (ids, ids_numeric) = column(&fields.id);
    let (titles, _) = column(&fields.title);
    let (outlets, _) = column(&fields.outlet);
    let (dates, _) = column(&fields.date);
    let (urls, _) = column(&fields.url);
    let meta = |v: Option<String>| v.filter(|s| !s.is_empty()).map(Cow::Owned);
    let mut docs = Vec::with_capacity(n);
    for (i, (((((text, id), title), outlet), date), url)) in texts
        .into_iter()
        .zip(ids)
        .zip(titles)
        .zip(outlets)
        .zip(dates)
        .zip(urls)
        .enumerate()
    {
        let row = before + i as u64 + 1;
        let (id, id_is_number) = match id {
            Some(id) => (id, ids_numeric),
            None => (format!("{}:{row}", path.display()), false),
        };
        docs.push(Document {
            id: Cow::Owned(id),
            id_is_number,
            text: Cow::Owned(text.unwrap_or_default()),
            title: meta(title),
            outlet: meta(outlet),
            date: meta(date),
            url: meta(url),
            line: row,
            bytes: None,
        });
    }
    Ok(docs)
}

/// Writes the rows of the Parquet inputs for which `keep(input, row)` holds (inputs in
/// order, rows numbered from 1), every column as it was, in order, into one Parquet file
/// with the first input's schema; every input must have the same columns. Returns the
/// rows written.
pub(crate) fn copy_rows(
    paths: &[&Path],
    keep: impl Fn(usize, u64) -> bool,
    out: impl std::io::Write + Send,
) -> Result<u64> {
    use super::parquet_writing::{properties, write_error};
    use arrow_array::BooleanArray;
    use parquet::arrow::ArrowWriter;

    let mut writer: Option<(ArrowWriter<_>, arrow_schema::SchemaRef, &Path)> = None;
    let mut out = Some(out);
    let mut written = 0u64;
    for (input, path) in paths.iter().enumerate() {
        let builder = open_builder(path)?;
        let schema = builder.schema().clone();
        match &writer {
            Some((_, first, first_path)) if first.fields() != schema.fields() => {
                return Err(Error::parse(
                    path,
                    0,
                    format!(
                        "its columns differ from those of {}: deduplicate them separately",
                        first_path.display()
                    ),
                ));
            }
            Some(_) => {}
            None => {
                let w = ArrowWriter::try_new(
                    out.take().expect("one writer"),
                    schema.clone(),
                    Some(properties()),
                )
                .map_err(write_error)?;
                writer = Some((w, schema.clone(), path));
            }
        }
        let reader = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| parquet_err(path, 0, e))?;
        let mut row = 0u64;
        for batch in reader {
            let batch = batch.map_err(|e| parquet_err(path, row + 1, e))?;
            let n = batch.num_rows() as u64;
            let mask: BooleanArray = (row + 1..=row + n).map(|r| Some(keep(input, r))).collect();
            let kept =
                arrow_select::filter::filter_record_batch(&batch, &mask).map_err(write_error)?;
            written += kept.num_rows() as u64;
            if let Some((w, _, _)) = writer.as_mut() {
                w.write(&kept).map_err(write_error)?;
            }
            row += n;
        }
    }
    if let Some((w, _, _)) = writer {
        w.close().map_err(write_error)?;
    }
    Ok(written)
}
