//! A full read of a table at full speed, whose rows with large values come again with those values left out
//!
//! SQLite materialises every value a query returns. For a table whose large values can be read piece by piece
//! ([`LargeValues`]), the scan sets the connection's length limit to [`LARGE`] while it reads in rowid order: a row
//! holding a larger value stops the query with SQLITE_TOOBIG before SQLite loads it (it checks the length in the
//! record header first). That one row is then read with a query that leaves out and marks its large values, and
//! the scan goes on after it. Rows without large values cost nothing more than a plain query.

use rusqlite::limits::Limit;
use rusqlite::{Connection, ErrorCode, Row};

use bytes::BytesMut;

use super::large::{Copied, LargeValues, LARGE};
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::translate::values::PgType;

/// One item of a scan's select list.
pub(crate) struct Item {
    /// The SQL expression.
    pub(crate) sql: String,
    /// For a column whose large values are read piece by piece: its name (then `sql` is the quoted column).
    pub(crate) large: Option<String>,
}

impl Item {
    /// An expression read as it is.
    pub(crate) fn sql(sql: String) -> Item {
        Item { sql, large: None }
    }

    /// The column `name`, whose large values are read piece by piece when `large` (and the table allows it).
    pub(crate) fn column(name: &str, large: bool) -> Item {
        Item { sql: quote_ident(name), large: large.then(|| name.to_string()) }
    }
}

/// Where a row read with its large values left out marks them: per item, the result column of its marker.
pub(crate) struct Marks(Vec<Option<usize>>);

impl Marks {
    /// Whether item `item` of `row` is a large value left out (its value reads as NULL): `Some(true)` for TEXT,
    /// `Some(false)` for a BLOB.
    pub(crate) fn large(&self, row: &Row<'_>, item: usize) -> rusqlite::Result<Option<bool>> {
        let Some(Some(at)) = self.0.get(item) else { return Ok(None) };
        Ok(row.get::<_, Option<String>>(*at)?.map(|class| class == "text"))
    }
}

/// The rows of one table, read by [`Scan::each`].
pub(crate) struct Scan<'c> {
    conn: &'c Connection,
    table: String,
    items: Vec<Item>,
    /// The rowid's name and the table's large values, when it has columns whose large values are left out.
    large: Option<(&'c str, LargeValues<'c>)>,
}

impl<'c> Scan<'c> {
    /// A read of `items` from every row of `table`; `rowid_name` is how the table's rowid is selected, if at all.
    pub(crate) fn new(
        conn: &'c Connection,
        table: &str,
        rowid_name: Option<&'c str>,
        items: Vec<Item>,
    ) -> Result<Scan<'c>> {
        let large = match (rowid_name, items.iter().any(|i| i.large.is_some())) {
            (Some(rowid), true) => LargeValues::of(conn, table, Some(rowid))?.map(|values| (rowid, values)),
            _ => None,
        };
        Ok(Scan { conn, table: table.to_string(), items, large })
    }

    /// [`LargeValues::copy`] of the large value of `column` left out of `row` (a row given with marks).
    pub(crate) fn copy(
        &self,
        row: &Row<'_>,
        column: &str,
        ty: &PgType,
        buf: &mut BytesMut,
        flush: &mut dyn FnMut(&mut BytesMut) -> bool,
    ) -> Result<Copied> {
        let (values, rowid) = self.located(row)?;
        values.copy(column, ty, rowid, buf, flush)
    }

    /// [`LargeValues::text_check`] of the large value of `column` left out of `row` (a row given with marks).
    pub(crate) fn text_check(&self, row: &Row<'_>, column: &str) -> Result<Option<u64>> {
        let (values, rowid) = self.located(row)?;
        values.text_check(column, rowid)
    }

    /// The large values, and the rowid of `row`, which follows the items.
    fn located(&self, row: &Row<'_>) -> Result<(&LargeValues<'c>, i64)> {
        let Some((_, values)) = &self.large else {
            return Err(Error::other(format!("table \"{}\": a large value left out of a plain read", self.table)));
        };
        Ok((values, row.get(self.items.len()).map_err(self.err())?))
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |e| Error::sqlite(format!("table \"{}\"", self.table), e)
    }

    /// Call `row` for every row, in rowid order when large values may be left out. It gets the row and, for a row
    /// read with its large values left out, their marks; it returns false to stop. Returns whether it stopped.
    pub(crate) fn each(&self, mut row: impl FnMut(&Row<'_>, Option<&Marks>) -> Result<bool>) -> Result<bool> {
        let err = self.err();
        let list: Vec<&str> = self.items.iter().map(|i| i.sql.as_str()).collect();
        let from = quote_ident(&self.table);
        let Some((rowid, _)) = self.large else {
            let sql = if list.is_empty() { "1".to_string() } else { list.join(", ") };
            let mut stmt = self.conn.prepare(&format!("SELECT {sql} FROM {from}")).map_err(&err)?;
            let mut rows = stmt.query([]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                if !row(r, None)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        };
        // the rowid follows the items; in the query for one row, the markers follow it
        let rowid_at = self.items.len();
        let order = format!("FROM {from} WHERE {rowid} >= ?1 ORDER BY {rowid}");
        let mut plain = self.conn.prepare(&format!("SELECT {}, {rowid} {order}", list.join(", "))).map_err(&err)?;
        let mut marks = Vec::new();
        let mut one_list: Vec<String> = Vec::new();
        for item in &self.items {
            one_list.push(item.large.as_deref().map_or_else(|| item.sql.clone(), LargeValues::value_sql));
        }
        one_list.push(rowid.to_string());
        for item in &self.items {
            marks.push(item.large.as_deref().map(|c| {
                one_list.push(LargeValues::marker_sql(c));
                one_list.len() - 1
            }));
        }
        let marks = Marks(marks);
        let one_sql = format!("SELECT {} {order} LIMIT 1", one_list.join(", "));
        let mut one = None;
        let mut start = i64::MIN;
        loop {
            let mut last = None;
            let too_big = {
                let _limit = LengthLimit::set(self.conn);
                let mut rows = plain.query([start]).map_err(&err)?;
                loop {
                    match rows.next() {
                        Ok(Some(r)) => {
                            last = Some(r.get::<_, i64>(rowid_at).map_err(&err)?);
                            if !row(r, None)? {
                                return Ok(true);
                            }
                        }
                        Ok(None) => break false,
                        Err(e) if e.sqlite_error_code() == Some(ErrorCode::TooBig) => break true,
                        Err(e) => return Err(err(e)),
                    }
                }
            };
            if !too_big {
                return Ok(false);
            }
            if self.conn.is_autocommit() {
                // SQLite keeps a read transaction through a statement's error; were it gone, the next read could
                // see another instant of the file
                return Err(Error::other(format!("table \"{}\": the read transaction ended under a scan", self.table)));
            }
            // the row after `last` holds a value above the limit: read it with its large values left out
            let next = last.map_or(Some(start), |l| l.checked_add(1));
            let one = match &mut one {
                Some(one) => one,
                None => one.insert(self.conn.prepare(&one_sql).map_err(&err)?),
            };
            let mut rows = one.query([next]).map_err(&err)?;
            let Some(r) = rows.next().map_err(&err)? else {
                return Err(Error::other(format!("table \"{}\": the row with a large value is gone", self.table)));
            };
            let id = r.get::<_, i64>(rowid_at).map_err(&err)?;
            if !row(r, Some(&marks))? {
                return Ok(true);
            }
            match id.checked_add(1) {
                Some(n) => start = n,
                None => return Ok(false),
            }
        }
    }
}

/// The connection's length limit set to [`LARGE`] while it lives, then put back.
struct LengthLimit<'c> {
    conn: &'c Connection,
    before: i32,
}

impl<'c> LengthLimit<'c> {
    fn set(conn: &'c Connection) -> LengthLimit<'c> {
        let large = i32::try_from(LARGE).unwrap_or(i32::MAX);
        LengthLimit { conn, before: conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, large) }
    }
}

impl Drop for LengthLimit<'_> {
    fn drop(&mut self) {
        self.conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, self.before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqlite::Source;
    use rusqlite::types::Value;

    /// What a scan gave for one row: its values, and which items were marked large (true: TEXT).
    type Seen = (Vec<Value>, Option<Vec<Option<bool>>>);

    fn scan_all(conn: &Connection, table: &str, rowid: Option<&str>, items: Vec<Item>) -> Vec<Seen> {
        let n = items.len();
        let scan = Scan::new(conn, table, rowid, items).unwrap();
        let mut seen = Vec::new();
        let stopped = scan
            .each(|row, marks| {
                let values = (0..n).map(|i| row.get::<_, Value>(i).unwrap()).collect();
                let marked = marks.map(|m| (0..n).map(|i| m.large(row, i).unwrap()).collect());
                seen.push((values, marked));
                Ok(true)
            })
            .unwrap();
        assert!(!stopped);
        seen
    }

    /// Rows of a WAL-mode file come in rowid order at the run's instant, past rows whose large values stop the
    /// plain query: those come with the streamed columns' large values left out and marked, and a large value of
    /// a column read whole loaded whole. The read transaction and the length limit are as they were.
    #[test]
    fn rows_with_large_values_come_again_with_them_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer.query_row("PRAGMA journal_mode = wal", [], |_| Ok(())).unwrap();
        writer
            .execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT, j TEXT);
                 CREATE TABLE w (k PRIMARY KEY, b) WITHOUT ROWID;",
            )
            .unwrap();
        let big = vec![7u8; LARGE + 1];
        writer.execute("INSERT INTO w VALUES (1, ?1)", [&big]).unwrap();
        let text = "x".repeat(LARGE + 1);
        let mut insert = writer.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)").unwrap();
        insert.execute(rusqlite::params![i64::MIN, b"a".to_vec(), "a", "a"]).unwrap();
        insert.execute(rusqlite::params![2, big, "b", "b"]).unwrap();
        insert.execute(rusqlite::params![3, b"c".to_vec(), text, text]).unwrap();
        insert.execute(rusqlite::params![4, vec![0u8; LARGE], "d", "d"]).unwrap();
        insert.execute(rusqlite::params![5, b"e".to_vec(), "e", text]).unwrap();
        drop(insert);
        let source = Source::open(&path, 1).unwrap();
        writer.execute_batch("UPDATE t SET s = 'changed'; INSERT INTO t VALUES (6, x'', '', '')").unwrap();
        let conn = source.reopen().unwrap();
        let limit = conn.limit(Limit::SQLITE_LIMIT_LENGTH);
        let items = vec![Item::column("b", true), Item::column("s", true), Item::column("j", false)];
        let seen = scan_all(&conn, "t", Some("rowid"), items);
        let blob = |b: &[u8]| Value::Blob(b.to_vec());
        let text_value = |s: &str| Value::Text(s.to_string());
        assert_eq!(
            seen,
            vec![
                (vec![blob(b"a"), text_value("a"), text_value("a")], None),
                (vec![Value::Null, text_value("b"), text_value("b")], Some(vec![Some(false), None, None])),
                (vec![blob(b"c"), Value::Null, text_value(&text)], Some(vec![None, Some(true), None])),
                (vec![blob(&vec![0u8; LARGE]), text_value("d"), text_value("d")], None),
                (vec![blob(b"e"), text_value("e"), text_value(&text)], Some(vec![None, None, None])),
            ]
        );
        assert!(!conn.is_autocommit());
        assert_eq!(conn.limit(Limit::SQLITE_LIMIT_LENGTH), limit);

        // no streamed column, or a WITHOUT ROWID table: one plain query, nothing left out
        let seen = scan_all(&conn, "t", Some("rowid"), vec![Item::column("b", false)]);
        assert_eq!(seen.len(), 5);
        assert!(seen.iter().all(|(values, marks)| values[0] != Value::Null && marks.is_none()));
        let seen = scan_all(&conn, "w", None, vec![Item::column("b", true)]);
        assert_eq!(seen, vec![(vec![blob(&vec![7u8; LARGE + 1])], None)]);
    }

    /// The callback stops the scan, in the plain query and in a row read again.
    #[test]
    fn a_callback_stops_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)").unwrap();
        writer.execute("INSERT INTO t VALUES (1, x'01'), (2, ?1), (3, x'03')", [vec![1u8; LARGE + 1]]).unwrap();
        drop(writer);
        let source = Source::open(&path, 0).unwrap();
        for stop_at in 1..=3 {
            let scan = Scan::new(&source.conn, "t", Some("rowid"), vec![Item::column("b", true)]).unwrap();
            let mut rows = 0;
            let stopped = scan
                .each(|_, _| {
                    rows += 1;
                    Ok(rows < stop_at)
                })
                .unwrap();
            assert!(stopped);
            assert_eq!(rows, stop_at);
        }
    }
}
