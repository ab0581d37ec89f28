//! Results as a table of typed columns, written as Apache Parquet (feature `parquet`, on by
//! default): the columnar output of `pairs`, `cluster` and `rank`, for data teams that load
//! results into Spark, DuckDB or pandas without parsing text.

use crate::error::{Error, Result};

/// One column of a [`Table`]; `None` is a null.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Strings.
    Str(Vec<Option<String>>),
    /// 64-bit floats.
    Float(Vec<Option<f64>>),
    /// 64-bit integers.
    Int(Vec<Option<i64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
}

impl Column {
    /// Its number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Str(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Bool(v) => v.len(),
        }
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
}

impl Table {
    /// A table with no columns.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column; its length must be that of the columns already added.
    pub fn with(mut self, name: &str, column: Column) -> Result<Self> {
        if let Some(first) = self.columns.first()
            && first.len() != column.len()
        {
            return Err(Error::config(
                "table",
                format!(
                    "column {name:?} has {} rows, the table {}",
                    column.len(),
                    first.len()
                ),
            ));
        }
        if self.names.iter().any(|n| n == name) {
            return Err(Error::config(
                "table",
                format!("two columns named {name:?}"),
            ));
        }
        self.names.push(name.to_owned());
        self.columns.push(column);
        Ok(self)
    }

    /// Its number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// The column names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Writes the table as one Parquet file (zstd-compressed).
    #[cfg(feature = "parquet")]
    pub fn write_parquet(&self, out: impl std::io::Write + Send) -> Result<()> {
        parquet_io::write(self, out)
    }
}

/// A Parquet file written a [`Table`] at a time (each one row group), appearing at its path
/// only when [`finish`](ParquetFile::finish)ed (see [`AtomicFile`](crate::AtomicFile)):
/// for outputs too large to hold as one table. Every table must have the same columns and
/// types.
#[cfg(feature = "parquet")]
pub struct ParquetFile {
    writer: parquet_io::Writer,
}

#[cfg(feature = "parquet")]
impl std::fmt::Debug for ParquetFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetFile").finish_non_exhaustive()
    }
}

#[cfg(feature = "parquet")]
impl ParquetFile {
    /// Starts the file that will appear at `path`.
    pub fn create(path: &std::path::Path) -> Result<ParquetFile> {
        Ok(ParquetFile {
            writer: parquet_io::Writer {
                inner: None,
                file: Some(crate::output::AtomicFile::create(path)?),
                schema: None,
            },
        })
    }

    /// Appends `table`'s rows as one row group.
    pub fn write(&mut self, table: &Table) -> Result<()> {
        if table.rows() == 0 {
            return Ok(());
        }
        self.writer.write(table)
    }

    /// Writes the footer and puts the file in place (a file of no rows when nothing was
    /// written has no columns).
    pub fn finish(self) -> Result<()> {
        self.writer.finish()
    }
}

#[cfg(feature = "parquet")]
mod parquet_io {
    use std::io::Write;
    use std::sync::Arc;

    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowWriter;

    use super::{Column, Table};
    use crate::corpus::parquet_writing::{properties, write_error};
    use crate::error::Result;

    /// The table as one Arrow batch.
    pub(super) fn batch(table: &Table) -> Result<RecordBatch> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (name, column) in table.names.iter().zip(&table.columns) {
            let (t, a): (DataType, ArrayRef) = match column {
                Column::Str(v) => (
                    DataType::Utf8,
                    Arc::new(StringArray::from_iter(v.iter().map(Option::as_deref))),
                ),
                Column::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
                Column::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
                Column::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
            };
            fields.push(Field::new(name, t, true));
            arrays.push(a);
        }
        let schema = Arc::new(Schema::new(fields));
        RecordBatch::try_new(schema, arrays).map_err(write_error)
    }

    pub(super) fn write(table: &Table, out: impl Write + Send) -> Result<()> {
        let batch = batch(table)?;
        let mut w =
            ArrowWriter::try_new(out, batch.schema(), Some(properties())).map_err(write_error)?;
        if table.rows() > 0 {
            w.write(&batch).map_err(write_error)?;
        }
        w.close().map_err(write_error)?;
        Ok(())
    }

    /// A Parquet file written a table (one row group) at a time.
    pub(super) struct Writer {
        pub(super) inner: Option<ArrowWriter<std::io::BufWriter<crate::output::AtomicFile>>>,
        pub(super) file: Option<crate::output::AtomicFile>,
        pub(super) schema: Option<arrow_schema::SchemaRef>,
    }

    impl Writer {
        pub(super) fn write(&mut self, table: &Table) -> Result<()> {
            let batch = batch(table)?;
            if self.inner.is_none() {
                self.start(batch.schema())?;
            }
            let w = self.inner.as_mut().expect("a writer");
            if self.schema.as_ref() != Some(&batch.schema()) {
                return Err(crate::error::Error::config(
                    "table",
                    "every table of a Parquet file must have the same columns and types",
                ));
            }
            w.write(&batch).map_err(write_error)?;
            w.flush().map_err(write_error)
        }

        fn start(&mut self, schema: arrow_schema::SchemaRef) -> Result<()> {
            let file = self.file.take().expect("a file until the first table");
            let w = std::io::BufWriter::with_capacity(1 << 20, file);
            self.inner = Some(
                ArrowWriter::try_new(w, Arc::clone(&schema), Some(properties()))
                    .map_err(write_error)?,
            );
            self.schema = Some(schema);
            Ok(())
        }

        pub(super) fn finish(mut self) -> Result<()> {
            if self.inner.is_none() {
                self.start(Arc::new(Schema::empty()))?;
            }
            let w = self.inner.take().expect("a writer");
            let buffered = w.into_inner().map_err(write_error)?;
            let file = buffered.into_inner().map_err(|e| write_error(e.error()))?;
            file.commit()
        }
    }
}

#[cfg(all(test, feature = "parquet"))]
mod tests {
    use super::*;

    #[test]
    fn columns_must_agree_and_a_table_round_trips() {
        let t = Table::new()
            .with("id", Column::Str(vec![Some("a".into()), None]))
            .unwrap();
        assert!(t.clone().with("x", Column::Int(vec![Some(1)])).is_err());
        assert!(
            t.clone()
                .with("id", Column::Int(vec![Some(1), None]))
                .is_err()
        );
        let t = t
            .with("score", Column::Float(vec![Some(0.5), None]))
            .unwrap()
            .with("keep", Column::Bool(vec![Some(true), Some(false)]))
            .unwrap();
        let mut buf = Vec::new();
        t.write_parquet(&mut buf).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, &buf).unwrap();
        let docs = crate::corpus::CorpusReader::new(
            vec![crate::corpus::Input::new(&path, None).unwrap()],
            crate::corpus::FieldMap {
                text: "id".into(),
                id: "none".into(),
                ..Default::default()
            },
        )
        .read_all()
        .unwrap();
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_ref()).collect();
        assert_eq!(texts, ["a", ""]);
        assert_eq!(docs[1].line, 2);
    }
}
