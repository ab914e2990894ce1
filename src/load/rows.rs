//! Reads one SQLite table on a blocking thread and encodes it straight into PostgreSQL's binary COPY format

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::large::{streams, Copied};
use crate::load::scan::{Item, Scan};
use crate::translate::values::{encode, encode_rounded, ColumnFormat, ConvertError, PgType};

/// How much encoded data goes into one COPY message: PostgreSQL reads COPY data 64 KiB at a time, and bigger chunks
/// were no faster on the benchmark, only held more memory per table being copied.
pub(crate) const CHUNK: usize = 64 * 1024;
const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

/// One column to read and how to encode it.
#[derive(Debug, Clone)]
pub(crate) struct ReadColumn {
    pub(crate) source: String,
    pub(crate) ty: PgType,
    pub(crate) format: ColumnFormat,
    /// ROUND_TIME: a time finer than the column is rounded to it; counts those values.
    pub(crate) rounded: Option<Arc<AtomicU64>>,
}

/// What to read from one table.
#[derive(Debug, Clone)]
pub(crate) struct ReadSpec {
    pub(crate) table: String,
    pub(crate) columns: Vec<ReadColumn>,
    /// How to name a row in an error: its rowid, or for WITHOUT ROWID tables its primary key columns.
    pub(crate) rowid_name: Option<&'static str>,
    pub(crate) key_columns: Vec<String>,
    /// CHECK_ONLY: after a bad value, keep reading to report up to this many more, instead of stopping.
    pub(crate) report_up_to: usize,
}

impl ReadSpec {
    /// The key, then the columns; the large values of those whose type takes them as bytes are streamed.
    fn select_items(&self) -> Vec<Item> {
        let mut cols: Vec<Item> = Vec::with_capacity(self.columns.len() + 1);
        match self.rowid_name {
            Some(r) => cols.push(Item::sql(r.to_string())),
            None => cols.extend(self.key_columns.iter().map(|k| Item::sql(quote_ident(k)))),
        }
        cols.extend(self.columns.iter().map(|c| Item::column(&c.source, streams(&c.ty))));
        cols
    }

    fn key_width(&self) -> usize {
        if self.rowid_name.is_some() {
            1
        } else {
            self.key_columns.len()
        }
    }
}

fn is_time(ty: &PgType) -> bool {
    matches!(ty, PgType::Time { .. } | PgType::Timestamp { .. } | PgType::Timestamptz { .. } | PgType::Interval)
}

/// Read every row of `spec.table`, encode it, and send the COPY stream in chunks. Returns the number of rows
/// read. Stops early (returning the rows so far) when the receiver goes away. A value that cannot be
/// converted stops the read with a data error naming the table, column and row. `digest` (VERIFY=content) hashes
/// each row's fields as they are sent.
pub(crate) fn read_table(
    conn: &Connection,
    spec: &ReadSpec,
    tx: &mpsc::Sender<Bytes>,
    progress: &Arc<AtomicU64>,
    mut digest: Option<&mut crate::load::content::Rows>,
) -> Result<u64> {
    let sql_err = |e: rusqlite::Error| Error::sqlite(format!("table \"{}\"", spec.table), e);
    let scan = Scan::new(conn, &spec.table, spec.rowid_name, spec.select_items())?;
    let ncols = i16::try_from(spec.columns.len())
        .map_err(|_| Error::schema(format!("table \"{}\" has more columns than postgresql allows", spec.table)))?;
    let key = spec.key_width();
    let mut buf = BytesMut::with_capacity(BUFFER);
    buf.put_slice(SIGNATURE);
    buf.put_i32(0);
    buf.put_i32(0);
    let mut count: u64 = 0;
    let mut problems: Vec<String> = Vec::new();
    let stopped = scan.each(|row, marks| {
        let row_start = buf.len();
        buf.put_i16(ncols);
        for (i, col) in spec.columns.iter().enumerate() {
            let v = row.get_ref(key + i).map_err(sql_err)?;
            if let ValueRef::Null = v {
                if marks.map(|m| m.large(row, key + i)).transpose().map_err(sql_err)?.flatten().is_none() {
                    buf.put_i32(-1);
                    if let Some(d) = digest.as_deref_mut() {
                        d.null();
                    }
                    continue;
                }
                // a large value left out of the row: streamed piece by piece, or only checked once nothing is sent
                let sending = problems.is_empty();
                // VERIFY=content hashes each piece before it goes: the value starts after its 4-byte length
                let mut hashing = digest.as_deref_mut().map(|d| {
                    d.begin_value();
                    (d, buf.len() + 4)
                });
                let mut flush = |b: &mut BytesMut| {
                    if let Some((d, from)) = hashing.as_mut() {
                        d.piece(b.get(*from..).unwrap_or_default());
                        *from = 0;
                    }
                    if sending {
                        tx.blocking_send(take(b)).is_ok()
                    } else {
                        b.clear();
                        true
                    }
                };
                let copied = scan.copy(row, &col.source, &col.ty, &mut buf, &mut flush)?;
                if let (Copied::Done, Some((d, from))) = (&copied, hashing) {
                    d.piece(buf.get(from..).unwrap_or_default());
                    d.end_value();
                }
                match copied {
                    Copied::Done => continue,
                    Copied::Closed => return Ok(false),
                    Copied::Refused(p) => {
                        refuse(&mut problems, spec, col, row, p)?;
                        continue;
                    }
                }
            }
            if problems.is_empty() {
                if let Some(bytes) = big_passthrough(&col.ty, v) {
                    // a large BLOB or text goes out in pieces, so it is never copied whole into our buffer
                    let Ok(len) = i32::try_from(bytes.len()) else {
                        refuse(&mut problems, spec, col, row, "value larger than postgresql's 1 GB field limit")?;
                        return Err(Error::data(problems.join("\n  ")).listing(std::mem::take(&mut problems)));
                    };
                    buf.put_i32(len);
                    if let Some(d) = digest.as_deref_mut() {
                        d.value(bytes);
                    }
                    if tx.blocking_send(take(&mut buf)).is_err() {
                        return Ok(false);
                    }
                    for piece in bytes.chunks(CHUNK) {
                        if tx.blocking_send(Bytes::copy_from_slice(piece)).is_err() {
                            return Ok(false);
                        }
                    }
                    continue;
                }
            }
            let at = buf.len();
            buf.put_i32(0);
            let mut encoded = encode(&col.ty, col.format, v, &mut buf);
            if let (Err(ConvertError::Scale { .. }), Some(rounded)) = (&encoded, &col.rounded) {
                buf.truncate(at + 4);
                encoded = encode_rounded(&col.ty, col.format, v, &mut buf);
                if encoded.is_ok() {
                    rounded.fetch_add(1, Ordering::Relaxed);
                }
            }
            let problem = match encoded {
                Err(e @ ConvertError::Scale { .. }) if col.rounded.is_none() && is_time(&col.ty) => Some(format!(
                    "{e} (target type {}); ROUND_TIME={}.{} would round it",
                    col.ty.sql(),
                    spec.table,
                    col.source
                )),
                Err(e) => Some(format!("{} (target type {})", e, col.ty.sql())),
                Ok(()) => match i32::try_from(buf.len() - at - 4) {
                    Ok(len) => {
                        buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
                        if let Some(d) = digest.as_deref_mut() {
                            d.value(&buf[at + 4..]);
                        }
                        None
                    }
                    Err(_) => Some("value larger than postgresql's 1 GB field limit".to_string()),
                },
            };
            if let Some(p) = problem {
                buf.truncate(at);
                buf.put_i32(-1);
                refuse(&mut problems, spec, col, row, p)?;
            }
        }
        if let Some(d) = digest.as_deref_mut() {
            d.end_row(|| row_name(spec, row));
        }
        count += 1;
        progress.fetch_add(1, Ordering::Relaxed);
        if !problems.is_empty() {
            // keep checking values, but send nothing more
            buf.truncate(row_start);
            return Ok(true);
        }
        Ok(!(buf.len() >= CHUNK && tx.blocking_send(take(&mut buf)).is_err()))
    })?;
    if stopped {
        return Ok(count);
    }
    if !problems.is_empty() {
        return Err(Error::data(problems.join("\n  ")).listing(problems));
    }
    buf.put_i16(-1);
    // the receiver may be gone if the COPY failed; that error is reported by the writer side
    let _ = tx.blocking_send(buf.freeze());
    Ok(count)
}

/// Room for one chunk and the row that crosses its end: a chunk in flight keeps its whole buffer alive, so each
/// gets a buffer of its own this size (taking a part of a bigger one, as `BytesMut::split` does, kept twice the
/// chunk per chunk in flight).
const BUFFER: usize = CHUNK + CHUNK / 8;

/// The rows encoded so far, to send; `buf` starts over in a fresh buffer.
fn take(buf: &mut BytesMut) -> Bytes {
    std::mem::replace(buf, BytesMut::with_capacity(BUFFER)).freeze()
}

/// Values above this size that need no conversion are streamed in pieces.
const BIG: usize = 4 * CHUNK;

/// A large value whose wire form is its own bytes: a BLOB or text into `bytea`, or valid UTF-8 text without NUL
/// into unbounded `text`.
fn big_passthrough<'a>(ty: &PgType, v: ValueRef<'a>) -> Option<&'a [u8]> {
    match (ty, v) {
        (PgType::Bytea, ValueRef::Blob(b) | ValueRef::Text(b)) if b.len() > BIG => Some(b),
        (PgType::Text, ValueRef::Blob(b) | ValueRef::Text(b))
            if b.len() > BIG && !b.contains(&0) && std::str::from_utf8(b).is_ok() =>
        {
            Some(b)
        }
        _ => None,
    }
}

/// "rowid 42", or for a WITHOUT ROWID table "primary key (a, b) = (1, 'x')"-free form: only the key column
/// names and the row's position, since key values may be sensitive.
/// Record a value that cannot be loaded, named by table, column and row (never the value); the data error, with
/// every problem listed, once there are more than `spec.report_up_to`.
fn refuse(
    problems: &mut Vec<String>,
    spec: &ReadSpec,
    col: &ReadColumn,
    row: &rusqlite::Row<'_>,
    why: impl std::fmt::Display,
) -> Result<()> {
    problems.push(format!("table \"{}\", column \"{}\", {}: {why}", spec.table, col.source, row_name(spec, row)));
    if problems.len() > spec.report_up_to {
        return Err(Error::data(problems.join("\n  ")).listing(std::mem::take(problems)));
    }
    Ok(())
}

fn row_name(spec: &ReadSpec, row: &rusqlite::Row<'_>) -> String {
    match spec.rowid_name {
        Some(_) => match row.get_ref(0) {
            Ok(ValueRef::Integer(id)) => format!("sqlite rowid {id}"),
            _ => "sqlite rowid unknown".into(),
        },
        None => {
            let keys: Vec<String> = spec
                .key_columns
                .iter()
                .enumerate()
                .map(|(i, k)| match row.get_ref(i) {
                    Ok(ValueRef::Integer(v)) => format!("{}={v}", quote_ident(k)),
                    _ => quote_ident(k),
                })
                .collect();
            format!("without-rowid row with primary key {}", keys.join(", "))
        }
    }
}
