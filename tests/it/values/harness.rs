//! the oracle harness: SQLite values encoded by `convert::encode`, binary-COPYed, compared with PostgreSQL's own input

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{BufMut, Bytes, BytesMut};
use futures_util::SinkExt;
use rusqlite::types::ValueRef;
use sqlite2pg::translate::values::{encode, ColumnFormat, ConvertError, PgType};
use tokio_postgres::{Client, NoTls};

use crate::common::pg::PgCluster;

/// One value: a SQLite SQL expression (so the storage class is SQLite's own) and what PostgreSQL should hold.
pub struct Case {
    pub sqlite: &'static str,
    pub want: Want,
}

pub enum Want {
    /// a PostgreSQL string literal of the target type (quoted by the harness)
    Literal(&'static str),
    /// a PostgreSQL expression, cast to the target type
    Expr(&'static str),
    /// `encode` must refuse it with a [`ConvertError`]
    Rejected,
}

/// Accepted; PostgreSQL must show what it shows for the literal `'pg'::type`.
pub fn ok(sqlite: &'static str, pg: &'static str) -> Case {
    Case { sqlite, want: Want::Literal(pg) }
}

/// Accepted; PostgreSQL must show what it shows for `(pg)::type`.
pub fn ok_expr(sqlite: &'static str, pg: &'static str) -> Case {
    Case { sqlite, want: Want::Expr(pg) }
}

/// Refused by the converter.
pub fn err(sqlite: &'static str) -> Case {
    Case { sqlite, want: Want::Rejected }
}

static TABLE: AtomicU64 = AtomicU64::new(0);

/// A fresh database of the shared cluster and a tokio-postgres client on it.
pub struct Db {
    pub name: String,
    pub client: Client,
}

impl Db {
    pub async fn new() -> Db {
        Db::with_setup("").await
    }

    /// A fresh database; `setup` runs through psql before the client connects (e.g. `ALTER DATABASE`).
    /// `{db}` in `setup` is replaced with the quoted database name.
    pub async fn with_setup(setup: &str) -> Db {
        let cluster = PgCluster::shared();
        let name = cluster.fresh_db();
        if !setup.is_empty() {
            cluster.psql(&name, &setup.replace("{db}", &format!("\"{name}\"")));
        }
        let (client, conn) = tokio_postgres::connect(&cluster.url(&name), NoTls)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {name}: {e}"));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                eprintln!("connection error: {e}");
            }
        });
        Db { name, client }
    }

    pub async fn exec(&self, sql: &str) {
        self.client.batch_execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {}", db_message(&e)));
    }

    /// Every case into a fresh one-column table of `ty_sql`; returns the table name (rows `i` = 1-based case index).
    pub async fn check(&self, ty_sql: &str, cases: &[Case]) -> String {
        self.check_fmt(ty_sql, ColumnFormat::Auto, cases).await
    }

    pub async fn check_fmt(&self, ty_sql: &str, fmt: ColumnFormat, cases: &[Case]) -> String {
        let table = format!("v{}", TABLE.fetch_add(1, Ordering::SeqCst));
        self.exec(&format!("CREATE TABLE \"{table}\" (i integer, x {ty_sql})")).await;
        let ty = self.column_type(&table).await;
        let exprs: Vec<&str> = cases.iter().map(|c| c.sqlite).collect();
        let encoded = sqlite_values(&exprs, |v| encode_one(&ty, fmt, v));

        let mut failures = Vec::new();
        let mut rows = Vec::new();
        for (k, (case, (class, result))) in cases.iter().zip(encoded).enumerate() {
            let i = i32::try_from(k + 1).unwrap();
            let what = format!("{ty_sql} <- {} ({class})", case.sqlite);
            match (&case.want, result) {
                (Want::Rejected, Ok(_)) => failures.push(format!("{what}: accepted, expected a ConvertError")),
                (Want::Rejected, Err(e)) => {
                    if let Some(leak) = leaked_value(case.sqlite, &class, &e.to_string()) {
                        failures.push(format!("{what}: error message {:?} contains the value {leak:?}", e.to_string()));
                    }
                }
                (_, Err(e)) => failures.push(format!("{what}: refused ({e}), expected accepted")),
                (Want::Literal(_) | Want::Expr(_), Ok(bytes)) => rows.push((i, bytes, what, &case.want)),
            }
        }

        let copied = self.copy(&table, rows.iter().map(|(i, b, _, _)| (*i, Some(b.as_slice())))).await;
        assert_eq!(copied, rows.len() as u64, "{ty_sql}: rows copied");

        if !rows.is_empty() {
            let mut values = String::new();
            for (n, (i, _, _, want)) in rows.iter().enumerate() {
                let expr = match want {
                    Want::Literal(l) => quote_literal(l),
                    Want::Expr(e) => format!("({e})"),
                    Want::Rejected => unreachable!(),
                };
                let sep = if n == 0 { "" } else { ", " };
                write!(values, "{sep}({i}, ({expr})::{ty_sql}::text)").unwrap();
            }
            let sql = format!(
                "SELECT w.k, t.x::text, w.want FROM (VALUES {values}) AS w(k, want) \
                 LEFT JOIN \"{table}\" t ON t.i = w.k ORDER BY w.k"
            );
            let got = self.client.query(&sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {}", db_message(&e)));
            assert_eq!(got.len(), rows.len());
            for (row, (_, _, what, _)) in got.iter().zip(&rows) {
                let (stored, want): (Option<String>, Option<String>) = (row.get(1), row.get(2));
                if stored != want {
                    failures.push(format!("{what}: postgresql holds {stored:?}, its literal gives {want:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
        table
    }

    /// The column's type as the library sees it: `format_type` plus enum labels, parsed by `PgType`.
    pub async fn column_type(&self, table: &str) -> PgType {
        let row = self
            .client
            .query_one(
                "SELECT format_type(a.atttypid, a.atttypmod), \
                        (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e \
                          WHERE e.enumtypid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END) \
                   FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
                  WHERE a.attrelid = $1::text::regclass AND a.attname = 'x'",
                &[&format!("\"{table}\"")],
            )
            .await
            .unwrap_or_else(|e| panic!("column type of {table}: {}", db_message(&e)));
        let (name, labels): (String, Option<Vec<String>>) = (row.get(0), row.get(1));
        PgType::from_format_type(&name, labels).unwrap_or_else(|| panic!("PgType cannot parse {name:?}"))
    }

    /// One binary COPY of (i, raw x) rows into `table`; `None` is NULL. Returns the server's row count.
    pub async fn copy<'a>(&self, table: &str, rows: impl Iterator<Item = (i32, Option<&'a [u8]>)>) -> u64 {
        let mut buf = BytesMut::new();
        buf.put_slice(b"PGCOPY\n\xff\r\n\0");
        buf.put_i32(0);
        buf.put_i32(0);
        for (i, x) in rows {
            buf.put_i16(2);
            buf.put_i32(4);
            buf.put_i32(i);
            match x {
                Some(b) => {
                    buf.put_i32(i32::try_from(b.len()).unwrap());
                    buf.put_slice(b);
                }
                None => buf.put_i32(-1),
            }
        }
        buf.put_i16(-1);
        let sql = format!("COPY \"{table}\" (i, x) FROM STDIN (FORMAT binary)");
        let sink = self.client.copy_in::<_, Bytes>(&sql).await.unwrap_or_else(|e| panic!("{sql}: {}", db_message(&e)));
        futures_util::pin_mut!(sink);
        let sent = sink.send(buf.freeze()).await;
        let done = match sent {
            Ok(()) => sink.as_mut().finish().await,
            Err(e) => Err(e),
        };
        done.unwrap_or_else(|e| panic!("copy into {table}: {}", db_message(&e)))
    }

    /// `SELECT` through tokio-postgres, every column cast to text by the caller; one row of strings.
    pub async fn row(&self, sql: &str) -> Vec<Option<String>> {
        let row = self.client.query_one(sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {}", db_message(&e)));
        (0..row.len()).map(|k| row.get(k)).collect()
    }
}

/// Encode one value; `Ok` holds the wire bytes.
pub fn encode_one(ty: &PgType, fmt: ColumnFormat, v: ValueRef<'_>) -> Result<Vec<u8>, ConvertError> {
    let mut out = BytesMut::new();
    encode(ty, fmt, v, &mut out).map(|()| out.to_vec())
}

/// Evaluates each SQLite expression into an untyped column (no affinity: the storage class is kept) and
/// hands each stored value to `f`, with its `typeof()`.
pub fn sqlite_values<T>(exprs: &[&str], mut f: impl FnMut(ValueRef<'_>) -> T) -> Vec<(String, T)> {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE v (k INTEGER PRIMARY KEY, x)").unwrap();
    for (k, e) in exprs.iter().enumerate() {
        conn.execute(&format!("INSERT INTO v (k, x) VALUES (?1, {e})"), [k as i64])
            .unwrap_or_else(|err| panic!("sqlite expression {e}: {err}"));
    }
    let mut stmt = conn.prepare("SELECT x, typeof(x) FROM v ORDER BY k").unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let class: String = row.get(1).unwrap();
        out.push((class, f(row.get_ref(0).unwrap())));
    }
    out
}

/// The value's text (as SQLite prints it), if it shows up in `message`. Values of one character are not
/// looked for (they would match ordinary words).
fn leaked_value(expr: &str, class: &str, message: &str) -> Option<String> {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let (text, hex): (Option<Vec<u8>>, String) = conn
        .query_row(&format!("SELECT CAST(CAST(({expr}) AS TEXT) AS BLOB), hex({expr})"), [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap_or_else(|e| panic!("sqlite expression {expr}: {e}"));
    let text = text.map(|b| String::from_utf8_lossy(&b).into_owned());
    let mut needles = vec![hex];
    if class != "blob" {
        needles.extend(text);
    }
    needles.into_iter().find(|n| n.chars().count() > 1 && message.contains(n.as_str()))
}

pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A server error's message and detail (tokio-postgres' `Display` is only "db error").
pub fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {} ({:?})", db.code().code(), db.message(), db.detail()),
        None => e.to_string(),
    }
}
