//! Parquet tables, as BigQuery, DuckDB, Spark or pandas write them, read
//! a row group at a time: each row becomes a CSV record of text cells
//! under the table's column names, so the CSV importers' row pipelines
//! read Parquet unchanged (`import parquet --map`, and GDELT's Parquet).
//!
//! Cells are written as a CSV export would: integers and decimals as
//! digits, floats in their shortest exact form (`38.8951`), dates as
//! `2024-03-15`, timestamps as `2024-03-15T10:20:00Z`, a list as its
//! items separated by `;` (as the importers' list cells are), a null as an
//! empty cell. Binary that is not UTF-8 text skips its row.
//!
//! Memory: the reader holds one row group's pages, never the file. A
//! table of plain columns is read a batch of rows at a time, column by
//! column (`columns`), not through the crate's row API.

use std::fs::File;

use ::csv::StringRecord;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};

use super::Builder;
use super::csv::{Header, Mapped};
use crate::evidence::date::iso_day;

mod columns;

/// Parquet's magic number: a file's first four bytes (and last four).
pub const MAGIC: &[u8; 4] = b"PAR1";

/// Nested values deeper than this are cut (a schema may nest any deep).
const MAX_DEPTH: usize = 8;

/// An open table: its column names, and its rows to read.
pub(crate) struct Table {
    reader: SerializedFileReader<File>,
    names: Vec<String>,
}

/// Opens a Parquet file: its footer and schema, no rows yet.
pub(crate) fn open(file: File) -> Result<Table, String> {
    let reader = SerializedFileReader::new(file).map_err(|e| format!("not a Parquet file: {e}"))?;
    let meta = reader.metadata().file_metadata();
    let names = meta
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    Ok(Table { reader, names })
}

impl Table {
    /// The top-level columns' names, in the schema's order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// Reads every row in order, one row group at a time; each row's
    /// cells go to `each` as a record (`Err` with the reason for a row
    /// that cannot be given as text). An error reading the file stops it.
    /// A flat table of plain columns is read a batch of rows at a time,
    /// column by column (the same cells, without a value made per cell).
    pub(crate) fn for_each_row(
        self,
        each: impl FnMut(Result<&StringRecord, String>),
    ) -> Result<(), String> {
        match columns::plain(&self.reader) {
            Some(kinds) => columns::for_each_row(&self.reader, &kinds, &self.names, each),
            None => self.row_by_row(each),
        }
    }

    /// `for_each_row` through the crate's row API: any schema.
    fn row_by_row(self, mut each: impl FnMut(Result<&StringRecord, String>)) -> Result<(), String> {
        let mut rec = StringRecord::new();
        let mut cell = String::new();
        for (i, row) in self.reader.into_iter().enumerate() {
            let row = row.map_err(|e| format!("cannot read row {}: {e}", i + 1))?;
            rec.clear();
            let mut problem = None;
            for (name, field) in row.get_column_iter() {
                cell.clear();
                if let Err(why) = write_cell(&mut cell, field, 0) {
                    problem.get_or_insert_with(|| format!("column {name}: {why}"));
                }
                rec.push_field(&cell);
            }
            match problem {
                None => each(Ok(&rec)),
                Some(why) => each(Err(why)),
            }
        }
        Ok(())
    }
}

/// Any Parquet table through a mapping, as `import csv --map` reads a CSV.
pub(super) fn read_mapped(
    file: File,
    b: &mut Builder,
    map: &[(String, String)],
) -> Result<(), String> {
    let table = open(file)?;
    let h = Header::from_names(table.names().to_vec());
    let mut m = Mapped::new(&h, map)?;
    let mut row = 0;
    table.for_each_row(|rec| {
        row += 1;
        b.row();
        match rec {
            Ok(rec) => m.row(b, row, rec),
            Err(why) => b.skip(row, why),
        }
    })?;
    m.finish(&h, b);
    Ok(())
}

/// Appends a cell's text to `out`.
fn write_cell(out: &mut String, field: &Field, depth: usize) -> Result<(), String> {
    match field {
        Field::Null => {}
        Field::Bool(v) => out.push_str(if *v { "true" } else { "false" }),
        Field::Byte(v) => num(out, v),
        Field::Short(v) => num(out, v),
        Field::Int(v) => num(out, v),
        Field::Long(v) => num(out, v),
        Field::UByte(v) => num(out, v),
        Field::UShort(v) => num(out, v),
        Field::UInt(v) => num(out, v),
        Field::ULong(v) => num(out, v),
        Field::Float16(v) => num(out, f32::from(*v)),
        Field::Float(v) => num(out, v),
        Field::Double(v) => num(out, v),
        Field::Decimal(d) => out.push_str(&decimal(d.data(), d.scale())?),
        Field::Str(s) => out.push_str(s),
        Field::Bytes(b) => out.push_str(
            std::str::from_utf8(b.data()).map_err(|_| "binary, not UTF-8 text".to_string())?,
        ),
        Field::Date(days) => out.push_str(&iso_day(i64::from(*days))),
        Field::TimeMillis(ms) => out.push_str(&time_of_day(i64::from(*ms) * 1000)),
        Field::TimeMicros(us) => out.push_str(&time_of_day(*us)),
        Field::TimestampMillis(ms) => out.push_str(&timestamp(*ms, 1000)),
        Field::TimestampMicros(us) => out.push_str(&timestamp(*us, 1_000_000)),
        Field::ListInternal(list) => {
            for (i, item) in list.elements().iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                nested(out, item, depth)?;
            }
        }
        Field::Group(row) => group(out, row, depth)?,
        Field::MapInternal(map) => {
            out.push('{');
            for (i, (k, v)) in map.entries().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                nested(out, k, depth)?;
                out.push_str(": ");
                nested(out, v, depth)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A number as Rust writes it: floats in their shortest exact form.
fn num(out: &mut String, v: impl std::fmt::Display) {
    use std::fmt::Write as _;
    let _ = write!(out, "{v}");
}

/// A value inside a list, map or struct: cut past `MAX_DEPTH`.
fn nested(out: &mut String, field: &Field, depth: usize) -> Result<(), String> {
    if depth >= MAX_DEPTH {
        out.push('…');
        return Ok(());
    }
    write_cell(out, field, depth + 1)
}

fn group(out: &mut String, row: &Row, depth: usize) -> Result<(), String> {
    out.push('{');
    for (i, (name, v)) in row.get_column_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push_str(": ");
        nested(out, v, depth)?;
    }
    out.push('}');
    Ok(())
}

/// A decimal's digits, from its big-endian two's-complement bytes and
/// its scale; at most 38 digits (Parquet's DECIMAL bound).
fn decimal(bytes: &[u8], scale: i32) -> Result<String, String> {
    if bytes.is_empty() || bytes.len() > 16 {
        return Err(format!("a decimal of {} bytes", bytes.len()));
    }
    if !(0..=38).contains(&scale) {
        return Err(format!("a decimal of scale {scale}"));
    }
    let fill = if bytes[0] & 0x80 != 0 { 0xFF } else { 0 };
    let mut be = [fill; 16];
    be[16 - bytes.len()..].copy_from_slice(bytes);
    let n = i128::from_be_bytes(be);
    let digits = n.unsigned_abs().to_string();
    let scale = scale as usize;
    let (int, frac) = if digits.len() > scale {
        digits.split_at(digits.len() - scale)
    } else {
        ("0", digits.as_str())
    };
    let sign = if n < 0 { "-" } else { "" };
    Ok(if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0>scale$}")
    })
}

/// `HH:MM:SS` and the fraction, from microseconds since midnight.
fn time_of_day(us: i64) -> String {
    let us = us.rem_euclid(86_400_000_000);
    let (s, frac) = (us / 1_000_000, us % 1_000_000);
    let hms = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    if frac == 0 {
        hms
    } else {
        format!("{hms}.{frac:06}")
    }
}

/// An instant in UTC, from units (`per_second` of them a second) since
/// 1970: `2024-03-15T10:20:00Z`.
fn timestamp(v: i64, per_second: i64) -> String {
    let per_day = per_second * 86_400;
    let day = iso_day(v.div_euclid(per_day));
    let in_day = v.rem_euclid(per_day) * (1_000_000 / per_second);
    format!("{day}T{}Z", time_of_day(in_day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_digits() {
        assert_eq!(decimal(&12345i32.to_be_bytes(), 2).unwrap(), "123.45");
        assert_eq!(decimal(&(-5i64).to_be_bytes(), 3).unwrap(), "-0.005");
        assert_eq!(decimal(&[0x01], 0).unwrap(), "1");
        assert!(decimal(&[1], -1).is_err());
        assert!(decimal(&[1], 4000).is_err());
        assert!(decimal(&[0; 17], 0).is_err());
    }

    /// Rows read column by column and by the row API, from a file of
    /// every plain kind, nulls, several row groups and a binary cell that
    /// is not text.
    #[test]
    fn columns_read_as_the_row_api_reads_them() {
        use parquet::data_type::{
            BoolType, ByteArray, ByteArrayType, DataType, DoubleType, FloatType, Int32Type,
            Int64Type,
        };
        use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
        use std::sync::Arc;
        fn put<T: DataType>(w: &mut SerializedColumnWriter<'_>, v: &[T::T], def: Option<&[i16]>) {
            w.typed::<T>().write_batch(v, def, None).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let schema = "message t { OPTIONAL BOOLEAN b; OPTIONAL INT32 i; REQUIRED INT64 l; \
             OPTIONAL FLOAT f; OPTIONAL DOUBLE d; OPTIONAL INT32 day (DATE); \
             OPTIONAL BYTE_ARRAY s (UTF8); OPTIONAL BYTE_ARRAY raw; }";
        let schema = Arc::new(parquet::schema::parser::parse_message_type(schema).unwrap());
        let props = Arc::new(parquet::file::properties::WriterProperties::builder().build());
        let file = File::create(&path).unwrap();
        let mut w = SerializedFileWriter::new(file, schema, props).unwrap();
        let def: &[i16] = &[1, 0, 1, 1];
        for g in 0..3i32 {
            let mut rg = w.next_row_group().unwrap();
            let mut column = |f: &dyn Fn(&mut SerializedColumnWriter<'_>)| {
                let mut c = rg.next_column().unwrap().unwrap();
                f(&mut c);
                c.close().unwrap();
            };
            column(&|c| put::<BoolType>(c, &[true, false, g == 1], Some(def)));
            column(&|c| put::<Int32Type>(c, &[-7, g, i32::MAX], Some(def)));
            column(&|c| put::<Int64Type>(c, &[1, -2, i64::MIN, g.into()], None));
            column(&|c| put::<FloatType>(c, &[0.1, -0.0, 3e38], Some(def)));
            column(&|c| put::<DoubleType>(c, &[38.8951, 1e300, -0.5], Some(def)));
            column(&|c| put::<Int32Type>(c, &[19737, -1, 0], Some(def)));
            let text = ["Ni\u{e9}ger", "", "a;b"].map(ByteArray::from);
            column(&|c| put::<ByteArrayType>(c, &text, Some(def)));
            let raw = [vec![0xff, 0xfe], b"ok".to_vec(), b"x".to_vec()].map(ByteArray::from);
            column(&|c| put::<ByteArrayType>(c, &raw, Some(&[1, 1, 0, 1])));
            rg.close().unwrap();
        }
        w.close().unwrap();
        let rows = |by_columns: bool| {
            let table = open(File::open(&path).unwrap()).unwrap();
            assert!(columns::plain(&table.reader).is_some());
            let mut got: Vec<Result<Vec<String>, String>> = Vec::new();
            let each = |r: Result<&StringRecord, String>| {
                got.push(r.map(|rec| rec.iter().map(str::to_string).collect()));
            };
            if by_columns {
                table.for_each_row(each).unwrap();
            } else {
                table.row_by_row(each).unwrap();
            }
            got
        };
        let by_rows = rows(false);
        assert_eq!(by_rows.len(), 12);
        assert!(by_rows.iter().any(|r| r.is_err()) && by_rows.iter().any(|r| r.is_ok()));
        assert_eq!(rows(true), by_rows);
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(timestamp(0, 1000), "1970-01-01T00:00:00Z");
        assert_eq!(
            timestamp(1_710_498_000_500, 1000),
            "2024-03-15T10:20:00.500000Z"
        );
        assert_eq!(timestamp(-1, 1_000_000), "1969-12-31T23:59:59.999999Z");
        // Never a panic, whatever the number.
        let _ = timestamp(i64::MIN, 1000);
        let _ = timestamp(i64::MAX, 1_000_000);
        assert_eq!(time_of_day(3_723_000_000), "01:02:03");
    }
}
