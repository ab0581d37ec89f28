//! Prints one column of a Parquet file, a value per line (strings as they are, integers in
//! decimal, nulls as empty lines), reading a row group at a time.
//!
//!     cargo run --release -p neardup-tools --bin parquet_column -- FILE.parquet COLUMN

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result, bail};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, column] = args.as_slice() else {
        bail!("usage: parquet_column FILE.parquet COLUMN");
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).context("open")?)?;
    let index = builder.schema().index_of(column)?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), [index]);
    let out = std::io::stdout();
    let mut w = BufWriter::new(out.lock());
    for batch in builder.with_projection(mask).build()? {
        let batch = batch?;
        let c = batch.column(0);
        if let Some(ints) = c.as_primitive_opt::<Int64Type>() {
            for v in ints {
                writeln!(w, "{}", v.map(|x| x.to_string()).unwrap_or_default())?;
            }
        } else if let Some(strings) = c.as_string_opt::<i32>() {
            for v in strings {
                writeln!(w, "{}", v.unwrap_or(""))?;
            }
        } else {
            bail!(
                "column {column} is {}, not a string or a 64-bit integer",
                c.data_type()
            );
        }
    }
    w.flush()?;
    Ok(())
}
