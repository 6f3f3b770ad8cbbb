//! A flat table of plain columns (numbers, booleans, text, days: what
//! BigQuery and DuckDB write for GDELT) read a batch of rows at a time,
//! column by column: the crate's row API makes a value per cell and a row
//! per row, most of the time of a Parquet import. The cells are the row
//! API's, written as `write_cell` writes them; a table of other columns is
//! read by rows.

use ::csv::StringRecord;
use parquet::basic::{ConvertedType, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::errors::ParquetError;
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use std::fs::File;

use crate::evidence::date::iso_day;

/// Rows read at once: each column's values for them are held together.
const BATCH: usize = 4096;

/// What a column's values are, as the row API would give them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Bool,
    Int,
    Long,
    Float,
    Double,
    /// INT32 days since 1970 (DATE).
    Day,
    /// UTF-8 text (UTF8, ENUM, JSON): bytes that are not UTF-8 stop the read.
    Text,
    /// Plain binary: given as text when it is UTF-8, else its row is skipped.
    Bytes,
}

/// Each top-level column's kind, when every one is a plain column (no
/// group, no list, at most optional) of a kind above; else `None`.
pub(super) fn plain(reader: &SerializedFileReader<File>) -> Option<Vec<Kind>> {
    let schema = reader.metadata().file_metadata().schema_descr();
    let fields = schema.root_schema().get_fields();
    if fields.len() != schema.num_columns() || fields.iter().any(|f| !f.is_primitive()) {
        return None;
    }
    (0..schema.num_columns())
        .map(|i| {
            let c = schema.column(i);
            if c.max_rep_level() != 0 || c.max_def_level() > 1 {
                return None;
            }
            let converted = c.converted_type();
            let none = converted == ConvertedType::NONE && c.logical_type_ref().is_none();
            Some(match c.physical_type() {
                Physical::BOOLEAN if none => Kind::Bool,
                Physical::INT32 if none => Kind::Int,
                Physical::INT32 if converted == ConvertedType::DATE => Kind::Day,
                Physical::INT64 if none => Kind::Long,
                Physical::FLOAT if none => Kind::Float,
                Physical::DOUBLE if none => Kind::Double,
                Physical::BYTE_ARRAY => match converted {
                    ConvertedType::UTF8 | ConvertedType::ENUM | ConvertedType::JSON => Kind::Text,
                    ConvertedType::NONE => Kind::Bytes,
                    _ => return None,
                },
                _ => return None,
            })
        })
        .collect()
}

/// One column's reader and its values for the batch.
enum Column {
    Bool(ColumnReaderImpl<parquet::data_type::BoolType>, Vec<bool>),
    Int(ColumnReaderImpl<parquet::data_type::Int32Type>, Vec<i32>),
    Long(ColumnReaderImpl<parquet::data_type::Int64Type>, Vec<i64>),
    Float(ColumnReaderImpl<parquet::data_type::FloatType>, Vec<f32>),
    Double(ColumnReaderImpl<parquet::data_type::DoubleType>, Vec<f64>),
    Bytes(
        ColumnReaderImpl<parquet::data_type::ByteArrayType>,
        Vec<ByteArray>,
    ),
}

/// A column being read: its values for the batch, whether each row has
/// one (`defined`), and the next value to give.
struct Reading {
    kind: Kind,
    column: Column,
    defined: Vec<i16>,
    /// The row has a value when its definition level is this (1 for an
    /// optional column; a required column has no levels).
    optional: bool,
    next: usize,
}

impl Reading {
    fn open(rg: &dyn RowGroupReader, i: usize, kind: Kind) -> Result<Reading, ParquetError> {
        let column = match rg.get_column_reader(i)? {
            ColumnReader::BoolColumnReader(r) => Column::Bool(r, Vec::new()),
            ColumnReader::Int32ColumnReader(r) => Column::Int(r, Vec::new()),
            ColumnReader::Int64ColumnReader(r) => Column::Long(r, Vec::new()),
            ColumnReader::FloatColumnReader(r) => Column::Float(r, Vec::new()),
            ColumnReader::DoubleColumnReader(r) => Column::Double(r, Vec::new()),
            ColumnReader::ByteArrayColumnReader(r) => Column::Bytes(r, Vec::new()),
            _ => return Err(ParquetError::General("an unexpected column type".into())),
        };
        let optional = rg.metadata().column(i).column_descr().max_def_level() > 0;
        Ok(Reading {
            kind,
            column,
            defined: Vec::new(),
            optional,
            next: 0,
        })
    }

    /// Reads the next `n` rows' values; how many rows there were.
    fn batch(&mut self, n: usize) -> Result<usize, ParquetError> {
        self.defined.clear();
        self.next = 0;
        let def = self.optional.then_some(&mut self.defined);
        Ok(match &mut self.column {
            Column::Bool(r, v) => read(r, n, def, v)?,
            Column::Int(r, v) => read(r, n, def, v)?,
            Column::Long(r, v) => read(r, n, def, v)?,
            Column::Float(r, v) => read(r, n, def, v)?,
            Column::Double(r, v) => read(r, n, def, v)?,
            Column::Bytes(r, v) => read(r, n, def, v)?,
        })
    }

    /// Appends row `row`'s cell to `out`: `Err` when it cannot be text.
    fn cell(&mut self, row: usize, out: &mut String) -> Result<(), Cell> {
        if self.optional && self.defined.get(row) != Some(&1) {
            return Ok(());
        }
        let at = self.next;
        self.next += 1;
        match &self.column {
            Column::Bool(_, v) => out.push_str(if v[at] { "true" } else { "false" }),
            Column::Int(_, v) if self.kind == Kind::Day => out.push_str(&iso_day(i64::from(v[at]))),
            Column::Int(_, v) => super::num(out, v[at]),
            Column::Long(_, v) => super::num(out, v[at]),
            Column::Float(_, v) => super::num(out, v[at]),
            Column::Double(_, v) => super::num(out, v[at]),
            Column::Bytes(_, v) => {
                let bytes = v[at].data();
                match std::str::from_utf8(bytes) {
                    Ok(text) => out.push_str(text),
                    Err(_) if self.kind == Kind::Bytes => return Err(Cell::NotText),
                    Err(_) => return Err(Cell::Unreadable(not_utf8(bytes))),
                }
            }
        }
        Ok(())
    }
}

/// Why a cell was not given.
enum Cell {
    /// Binary that is not UTF-8: its row is skipped.
    NotText,
    /// Text that is not UTF-8: the read stops, as the row API's does.
    Unreadable(ParquetError),
}

/// The row API's error for a UTF-8 column's bytes that are not UTF-8.
fn not_utf8(bytes: &[u8]) -> ParquetError {
    let e = String::from_utf8(bytes.to_vec()).expect_err("not UTF-8");
    ParquetError::General(format!(
        "Error reading BYTE_ARRAY as String. Bytes: {bytes:?} Error: {e:?}"
    ))
}

/// Up to `n` rows of one column into `values` (and `defined`).
fn read<T: DataType>(
    r: &mut ColumnReaderImpl<T>,
    n: usize,
    defined: Option<&mut Vec<i16>>,
    values: &mut Vec<T::T>,
) -> Result<usize, ParquetError> {
    values.clear();
    let (rows, _, _) = r.read_records(n, defined, None, values)?;
    Ok(rows)
}

/// Every row of the table, in order, as `Table::for_each_row` gives them.
pub(super) fn for_each_row(
    reader: &SerializedFileReader<File>,
    kinds: &[Kind],
    names: &[String],
    mut each: impl FnMut(Result<&StringRecord, String>),
) -> Result<(), String> {
    let mut rec = StringRecord::new();
    let mut cell = String::new();
    let mut done = 0usize;
    for g in 0..reader.num_row_groups() {
        let failed = |e: ParquetError, done: usize| format!("cannot read row {}: {e}", done + 1);
        let rg = reader.get_row_group(g).map_err(|e| failed(e, done))?;
        let mut cols = kinds
            .iter()
            .enumerate()
            .map(|(i, &kind)| Reading::open(rg.as_ref(), i, kind))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| failed(e, done))?;
        let total = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
        let mut left = total;
        while left > 0 {
            let n = left.min(BATCH);
            for c in &mut cols {
                let got = c.batch(n).map_err(|e| failed(e, done))?;
                if got != n {
                    return Err(failed(
                        ParquetError::General(format!(
                            "a column has {got} of a row group's {n} rows"
                        )),
                        done,
                    ));
                }
            }
            for row in 0..n {
                rec.clear();
                let mut problem = None;
                for (c, name) in cols.iter_mut().zip(names) {
                    cell.clear();
                    match c.cell(row, &mut cell) {
                        Ok(()) => {}
                        Err(Cell::NotText) => {
                            problem.get_or_insert_with(|| {
                                format!("column {name}: binary, not UTF-8 text")
                            });
                        }
                        Err(Cell::Unreadable(e)) => return Err(failed(e, done)),
                    }
                    rec.push_field(&cell);
                }
                done += 1;
                match problem {
                    None => each(Ok(&rec)),
                    Some(why) => each(Err(why)),
                }
            }
            left -= n;
        }
    }
    Ok(())
}
