//! Values above a threshold read piece by piece with SQLite's incremental blob I/O, never whole in memory
//!
//! A query for a table whose large values can be streamed selects, for each column that may hold one, NULL in place
//! of a large value and, in a marker column, its storage class. SQLite answers `octet_length()` and `typeof()` of a
//! column from the record header, without reading the value's overflow pages. The value is then read through a
//! blob handle on the same connection, so in the same read transaction, at the run's instant of the file.

use bytes::{BufMut, BytesMut};
use rusqlite::blob::Blob;
use rusqlite::{Connection, DatabaseName};

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::translate::values::{PgType, TextPieces};

/// Values of more bytes than this are read piece by piece instead of whole. Below it a value costs at most a
/// megabyte or so, and one read is fastest; above it SQLite would hold the whole value in memory (and the COPY
/// buffer a copy of it), so peak memory would grow with the largest value instead of staying bounded. Each streamed
/// value costs a blob handle (a b-tree seek) and a second look at its record header, which is nothing next to a
/// megabyte of data.
pub(crate) const LARGE: usize = 1 << 20;

/// The most bytes PostgreSQL takes in one field of these types: the value and its 4-byte header go into one
/// allocation of at most 1 GB - 1 byte (`MaxAllocSize`).
const MAX_FIELD: usize = (1 << 30) - 1 - 4;

/// Whether a value of `ty` is its bytes on the wire (after the checks [`TextPieces`] makes, for text), so a large
/// one can be streamed. Other conversions of a large value read it whole.
pub(crate) fn streams(ty: &PgType) -> bool {
    matches!(ty, PgType::Bytea | PgType::Text | PgType::Varchar(_) | PgType::Char(_))
}

/// The large values of one table, read by rowid through blob handles on the reader's connection.
pub(crate) struct LargeValues<'c> {
    conn: &'c Connection,
    table: String,
}

/// What became of one streamed value.
#[derive(Debug)]
pub(crate) enum Copied {
    /// All of it is in the buffer or sent.
    Done,
    /// The receiver went away (the COPY failed; its error is reported on that side).
    Closed,
    /// It cannot be loaded: why, without the value (the caller adds table, column and row).
    Refused(String),
}

impl<'c> LargeValues<'c> {
    /// How `table`'s large values are read, or None when they must be read whole: a WITHOUT ROWID or virtual table
    /// (a blob handle opens a row of an ordinary table by its rowid), a table whose rowid no name reaches, or a
    /// database that stores text as UTF-16 (a blob handle reads text as stored).
    pub(crate) fn of(conn: &'c Connection, table: &str, rowid_name: Option<&str>) -> Result<Option<LargeValues<'c>>> {
        if rowid_name.is_none() {
            return Ok(None);
        }
        let err = |e: rusqlite::Error| Error::sqlite(format!("table \"{table}\""), e);
        let encoding: String = conn.query_row("PRAGMA encoding", [], |r| r.get(0)).map_err(err)?;
        let ordinary: bool = conn
            .query_row(
                "SELECT count(*) = 1 FROM pragma_table_list(?1) WHERE schema = 'main' AND name = ?1 \
                 AND type = 'table' AND wr = 0",
                [table],
                |r| r.get(0),
            )
            .map_err(err)?;
        Ok((encoding == "UTF-8" && ordinary).then(|| LargeValues { conn, table: table.to_string() }))
    }

    /// The SQL that selects `column`'s value, or NULL in place of a large one.
    pub(crate) fn value_sql(column: &str) -> String {
        let c = quote_ident(column);
        format!("CASE WHEN octet_length({c}) > {LARGE} THEN NULL ELSE {c} END")
    }

    /// The SQL of `column`'s marker: NULL, or for a large value its storage class (`text` or `blob`).
    pub(crate) fn marker_sql(column: &str) -> String {
        let c = quote_ident(column);
        format!("CASE WHEN octet_length({c}) > {LARGE} THEN typeof({c}) END")
    }

    fn open(&self, column: &str, rowid: i64) -> Result<Blob<'c>> {
        self.conn
            .blob_open(DatabaseName::Main, &self.table, column, rowid, true)
            .map_err(|e| self.error(column, rowid, e))
    }

    fn error(&self, column: &str, rowid: i64, e: rusqlite::Error) -> Error {
        Error::sqlite(
            format!("table \"{}\", column \"{column}\", sqlite rowid {rowid}: reading a large value", self.table),
            e,
        )
    }

    /// For the type scan: whether the large value of `column` in row `rowid` is text PostgreSQL accepts (valid
    /// UTF-8 without NUL), and then its characters. Stops reading at the first problem.
    pub(crate) fn text_check(&self, column: &str, rowid: i64) -> Result<Option<u64>> {
        let blob = self.open(column, rowid)?;
        let mut check = TextPieces::counting();
        let mut piece = vec![0u8; super::rows::CHUNK];
        let mut at = 0;
        while at < blob.len() {
            let n = piece.len().min(blob.len() - at);
            blob.read_at_exact(&mut piece[..n], at).map_err(|e| self.error(column, rowid, e))?;
            if check.piece(&piece[..n]).is_err() {
                return Ok(None);
            }
            at += n;
        }
        Ok(check.finish().ok())
    }

    /// Append the large value of `column` in row `rowid` to `buf` as one binary COPY field of type `ty` (its
    /// length, then its bytes), handing `buf` to `flush` whenever it holds a chunk, so that no more than a chunk
    /// of it is in memory at once. `flush` sends the buffer and leaves an empty one, or says the receiver is gone.
    /// Text is checked as it goes; a refusal may come after part of the value went out.
    pub(crate) fn copy(
        &self,
        column: &str,
        ty: &PgType,
        rowid: i64,
        buf: &mut BytesMut,
        flush: &mut dyn FnMut(&mut BytesMut) -> bool,
    ) -> Result<Copied> {
        let blob = self.open(column, rowid)?;
        let len = blob.len();
        let field = match i32::try_from(len) {
            Ok(field) if len <= MAX_FIELD => field,
            _ => return Ok(Copied::Refused("value larger than postgresql's 1 GB field limit".into())),
        };
        let mut text = (*ty != PgType::Bytea).then(|| TextPieces::new(ty));
        buf.put_i32(field);
        let mut at = 0;
        while at < len {
            let room = super::rows::CHUNK.saturating_sub(buf.len());
            if room == 0 {
                if !flush(buf) {
                    return Ok(Copied::Closed);
                }
                continue;
            }
            let n = room.min(len - at);
            let start = buf.len();
            buf.resize(start + n, 0);
            blob.read_at_exact(&mut buf[start..], at).map_err(|e| self.error(column, rowid, e))?;
            if let Some(Err(e)) = text.as_mut().map(|t| t.piece(&buf[start..])) {
                return Ok(Copied::Refused(format!("{e} (target type {})", ty.sql())));
            }
            at += n;
        }
        if let Some(Err(e)) = text.map(TextPieces::finish) {
            return Ok(Copied::Refused(format!("{e} (target type {})", ty.sql())));
        }
        Ok(Copied::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqlite::Source;

    /// A WAL-mode file with a large BLOB and TEXT in row 1, a small value in row 2, and a WITHOUT ROWID table.
    fn file() -> (tempfile::TempDir, std::path::PathBuf, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer.query_row("PRAGMA journal_mode = wal", [], |_| Ok(())).unwrap();
        writer
            .execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT);
                 CREATE TABLE w (k TEXT PRIMARY KEY, b BLOB) WITHOUT ROWID;",
            )
            .unwrap();
        let blob: Vec<u8> = (0..LARGE + 10).map(|i| u8::try_from(i % 251).unwrap()).collect();
        let text = "ü".repeat(LARGE / 2 + 1);
        writer.execute("INSERT INTO t VALUES (1, ?1, ?2), (2, x'01', 'x')", rusqlite::params![blob, text]).unwrap();
        (dir, path, writer)
    }

    /// A blob handle reads large values at the run's instant, after a writer replaced them, into chunks no larger
    /// than a COPY chunk; their length goes first; a WITHOUT ROWID table's are read whole.
    #[test]
    fn large_values_are_read_in_chunks_at_the_runs_instant() {
        let (_dir, path, writer) = file();
        let source = Source::open(&path, 1).unwrap();
        writer.execute("UPDATE t SET b = zeroblob(5000000), s = 'new' WHERE id = 1", []).unwrap();
        let conn = source.reopen().unwrap();
        let large = LargeValues::of(&conn, "t", Some("rowid")).unwrap().expect("an ordinary rowid table");
        assert!(LargeValues::of(&conn, "w", None).unwrap().is_none());
        assert!(LargeValues::of(&conn, "t", None).unwrap().is_none());
        let mut out = Vec::new();
        let mut buf = BytesMut::new();
        let mut sent = 0;
        let mut flush = |b: &mut BytesMut| {
            assert!(b.len() <= crate::load::rows::CHUNK);
            out.extend_from_slice(b);
            b.clear();
            sent += 1;
            true
        };
        assert!(matches!(large.copy("b", &PgType::Bytea, 1, &mut buf, &mut flush).unwrap(), Copied::Done));
        assert!(matches!(large.copy("s", &PgType::Text, 1, &mut buf, &mut flush).unwrap(), Copied::Done));
        flush(&mut buf);
        let expected_blob: Vec<u8> = (0..LARGE + 10).map(|i| u8::try_from(i % 251).unwrap()).collect();
        let expected_text = "ü".repeat(LARGE / 2 + 1);
        let mut expected = Vec::new();
        expected.extend_from_slice(&i32::try_from(expected_blob.len()).unwrap().to_be_bytes());
        expected.extend_from_slice(&expected_blob);
        expected.extend_from_slice(&i32::try_from(expected_text.len()).unwrap().to_be_bytes());
        expected.extend_from_slice(expected_text.as_bytes());
        assert!(out == expected, "the copied bytes differ from the values at the run's instant");
        assert!(sent > 2 * LARGE / crate::load::rows::CHUNK, "sent in chunks: {sent}");
        assert_eq!(large.text_check("s", 1).unwrap(), Some(u64::try_from(LARGE / 2 + 1).unwrap()));
        assert_eq!(large.text_check("b", 1).unwrap(), None, "a nul byte");
    }

    /// Text refused part-way names the reason and the target type; bytea takes the same bytes.
    #[test]
    fn refused_text_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)").unwrap();
        let mut bad = "a".repeat(3 * LARGE).into_bytes();
        bad[2 * LARGE] = 0xff;
        writer.execute("INSERT INTO t VALUES (1, CAST(?1 AS TEXT))", [&bad]).unwrap();
        drop(writer);
        let source = Source::open(&path, 0).unwrap();
        let large = LargeValues::of(&source.conn, "t", Some("rowid")).unwrap().unwrap();
        let mut buf = BytesMut::new();
        let mut flush = |b: &mut BytesMut| {
            b.clear();
            true
        };
        match large.copy("s", &PgType::Varchar(Some(10)), 1, &mut buf, &mut flush).unwrap() {
            Copied::Refused(why) => assert_eq!(why, "text is not valid utf-8 (target type varchar(10))"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(large.copy("s", &PgType::Bytea, 1, &mut buf, &mut flush).unwrap(), Copied::Done));
        let mut closed = |_: &mut BytesMut| false;
        assert!(matches!(large.copy("s", &PgType::Bytea, 1, &mut buf, &mut closed).unwrap(), Copied::Closed));
        let e = large.copy("s", &PgType::Bytea, 7, &mut buf, &mut flush).unwrap_err();
        assert!(e.to_string().contains("table \"t\", column \"s\", sqlite rowid 7"), "{e}");
    }

    /// Tables whose large values a blob handle cannot read as they are: virtual tables, and any table of a database
    /// that stores text as UTF-16.
    #[test]
    fn virtual_tables_and_utf16_files_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        for (name, setup, expected) in [
            ("a", "CREATE TABLE t (s TEXT); CREATE VIRTUAL TABLE v USING fts5(s);", [true, false]),
            ("b", "PRAGMA encoding = 'UTF-16le'; CREATE TABLE t (s TEXT); CREATE TABLE v (s TEXT);", [false, false]),
        ] {
            let path = dir.path().join(name);
            Connection::open(&path).unwrap().execute_batch(setup).unwrap();
            let source = Source::open(&path, 0).unwrap();
            let of = |table| LargeValues::of(&source.conn, table, Some("rowid")).unwrap().is_some();
            assert_eq!([of("t"), of("v")], expected, "{setup}");
        }
    }
}
