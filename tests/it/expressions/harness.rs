//! The differential harness: one table of generated inputs in SQLite and in PostgreSQL, each expression
//! evaluated by both on every row, results compared in the type the translation gives

use rusqlite::types::{Value, ValueRef};
use sqlite2pg::translate::expr::{translate_check, translate_expr, translate_index_expr, ExprContext, TypeHint};
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

use crate::common::pg::PgCluster;

/// How a result is compared: in the PostgreSQL type the translation yields.
#[derive(Clone, Copy, Debug)]
pub enum As {
    /// SQLite's `CAST(x AS TEXT)` against PostgreSQL's text
    Text,
    /// integers
    Int,
    /// doubles, bit for bit (NULL with NULL)
    Real,
    /// blob bytes
    Blob,
    /// SQLite's 0/1 against a PostgreSQL boolean
    Bool,
}

/// The input columns: name, SQLite declaration, PostgreSQL type, translator hint.
pub const COLUMNS: &[(&str, &str, &str, TypeHint)] = &[
    ("s", "TEXT", "text", TypeHint::Text),
    ("i", "INTEGER", "bigint", TypeHint::Integer),
    ("r", "REAL", "double precision", TypeHint::Numeric),
    ("b", "BLOB", "bytea", TypeHint::Bytes),
    ("j", "TEXT", "jsonb", TypeHint::Json),
    ("d", "TEXT", "text", TypeHint::Text),
    ("t", "TEXT", "timestamp", TypeHint::Timestamp),
];

/// Generated inputs per column, edge cases included; rows cycle through each list.
pub fn inputs() -> Vec<Vec<Value>> {
    let t = |s: &str| Value::Text(s.to_string());
    let long = "x".repeat(300);
    let s = vec![
        Value::Null,
        t(""),
        t("a"),
        t("Hello World"),
        t("ÉCOLE école"),
        t("a\\b%_c"),
        t("  spaced  "),
        t("123"),
        t("-7"),
        t("1.5"),
        t("12abc"),
        t(&long),
        t("日本語テキスト"),
        t("tab\there\nnewline"),
        t("quote's \"dq\""),
        t("😀 emoji"),
        t("0x1F"),
        t(" 42 "),
        t("1e3"),
        t("ß"),
    ];
    let i = [
        None,
        Some(0),
        Some(1),
        Some(-1),
        Some(42),
        Some(i64::MAX),
        Some(i64::MIN),
        Some(1_000_000),
        Some(255),
        Some(65),
        Some(1_114_111),
        Some(1_114_112),
        Some(-5),
        Some(9_007_199_254_740_993),
        Some(7),
        Some(2_460_000),
        Some(1_700_000_000),
        Some(12),
        Some(100),
        Some(3),
    ]
    .into_iter()
    .map(|v| v.map_or(Value::Null, Value::Integer))
    .collect();
    let r = [
        None,
        Some(0.0),
        Some(1.5),
        Some(-2.5),
        Some(2.675),
        Some(0.1),
        Some(1e-5),
        Some(1e20),
        Some(123456.789),
        Some(3.0),
        Some(-0.5),
        Some(1e15),
        Some(0.1 + 0.2),
        Some(2.5),
        Some(-1e-300),
        Some(99.995),
        Some(2460000.25),
        Some(1.0e100),
        Some(-123.456),
        Some(0.5),
    ]
    .into_iter()
    .map(|v| v.map_or(Value::Null, Value::Real))
    .collect();
    let b = vec![
        Value::Null,
        Value::Blob(vec![]),
        Value::Blob(vec![0]),
        Value::Blob(vec![0xff, 0x00]),
        Value::Blob(b"Hello".to_vec()),
        Value::Blob(vec![0x12, 0x34, 0xab]),
        Value::Blob("é".as_bytes().to_vec()),
    ];
    let j = vec![
        Value::Null,
        t("{\"a\":1}"),
        t("{\"a\":\"x\",\"b\":[1,2,3]}"),
        t("[]"),
        t("[1,2.5,\"s\",true,false,null]"),
        t("{\"auth\":\"_superusers\",\"n\":1.5,\"t\":true,\"f\":false,\"z\":null}"),
        t("\"str\""),
        t("3"),
        t("null"),
        t("{\"a\":{\"b\":{\"c\":7}}}"),
        t("{\"a b\":1,\"q\\\"k\":2}"),
        t("{\"n\":-12,\"big\":12345678901234567890,\"e\":1e2}"),
        t("[[1,[2,3]],\"é\\n\"]"),
        t("{\"r\":0.1,\"x\":100.0}"),
    ];
    let d = vec![
        Value::Null,
        t("2024-01-01"),
        t("2024-02-29 13:45:12.345"),
        t("2024-02-30"),
        t("2023-12-31T23:59:59Z"),
        t("2024-01-01 10:00 +01:30"),
        t("2024-01-01 10:00:00-05:00"),
        t("23:59"),
        t("12:34:56.789"),
        t("2460000.5"),
        t(" 2460000.5 "),
        t("not a date"),
        t(""),
        t("1999-12-31 23:59:59.9999"),
        t("2000-01-01T"),
        t("2026-05-14 18:15:28.528Z"),
        t("9999-12-31 23:59:59"),
        t("2024-01-31 08:00"),
        t("2024-13-01"),
        t("2024-01-01 25:00"),
        t("2021-03-04 05:06:07.8"),
        t("1970-01-01 00:00:00"),
        t("2024-06-15 12:00:00 z"),
    ];
    // a timestamp column: what the type inference makes of ISO text
    let ts = vec![
        Value::Null,
        t("2024-01-01 00:00:00"),
        t("2024-02-29 13:45:12.345"),
        t("1999-12-31 23:59:59.999"),
        t("2024-01-31 08:00:00"),
        t("1970-01-01 00:00:00"),
        t("9999-12-31 23:59:59"),
        t("0001-01-01 00:00:00"),
        t("2023-03-26 02:30:00.5"),
    ];
    vec![s, i, r, b, j, d, ts]
}

/// Both databases filled with the same rows.
pub struct Pair {
    pub sqlite: rusqlite::Connection,
    pub pg: Client,
    pub rows: usize,
}

impl Pair {
    pub async fn new() -> Pair {
        let cols = inputs();
        let rows = cols.iter().map(Vec::len).max().unwrap_or(0);
        let sqlite = rusqlite::Connection::open_in_memory().unwrap();
        let decl: Vec<String> = COLUMNS.iter().map(|(n, t, _, _)| format!("{n} {t}")).collect();
        sqlite.execute_batch(&format!("CREATE TABLE t (id INTEGER PRIMARY KEY, {})", decl.join(", "))).unwrap();
        let cluster = PgCluster::shared();
        let db = cluster.fresh_db();
        let (pg, conn) = tokio_postgres::connect(&cluster.url(&db), NoTls).await.unwrap();
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                eprintln!("connection error: {e}");
            }
        });
        let pdecl: Vec<String> = COLUMNS.iter().map(|(n, _, t, _)| format!("{n} {t}")).collect();
        pg.batch_execute(&format!("CREATE TABLE t (id bigint PRIMARY KEY, {})", pdecl.join(", "))).await.unwrap();
        for row in 0..rows {
            let vals: Vec<&Value> = cols.iter().map(|c| &c[row % c.len()]).collect();
            let marks: Vec<String> = (0..=vals.len()).map(|k| format!("?{}", k + 1)).collect();
            let mut params: Vec<&dyn rusqlite::ToSql> = vec![&row];
            params.extend(vals.iter().map(|v| *v as &dyn rusqlite::ToSql));
            sqlite.execute(&format!("INSERT INTO t VALUES ({})", marks.join(", ")), params.as_slice()).unwrap();
            let lits: Vec<String> = vals.iter().zip(COLUMNS).map(|(v, (_, _, ty, _))| pg_literal(v, ty)).collect();
            pg.batch_execute(&format!("INSERT INTO t VALUES ({row}, {})", lits.join(", "))).await.unwrap();
        }
        Pair { sqlite, pg, rows }
    }

    /// Evaluate `expr` in both; a list of differences (empty when they agree on every row).
    pub async fn check(&self, expr: &str, how: As) -> Vec<String> {
        let cols = hints();
        let ctx = ExprContext { columns: &cols, target: None };
        match translate_expr(expr, &ctx) {
            Ok(t) => self.compare(expr, &t, how).await,
            Err(e) => vec![format!("{expr}: not translated: {e}")],
        }
    }

    /// `expr` as a condition (a CHECK): SQLite's truth of it on each row (1, 0 or NULL) against PostgreSQL's.
    pub async fn check_condition(&self, expr: &str) -> Vec<String> {
        let cols = hints();
        let ctx = ExprContext { columns: &cols, target: None };
        let translated = match translate_check(expr, &ctx) {
            Ok(t) => t,
            Err(e) => return vec![format!("{expr}: not translated: {e}")],
        };
        let truth = format!("CASE WHEN ({expr}) THEN 1 WHEN NOT ({expr}) THEN 0 END");
        let sqlite = self.sqlite_values(&truth, As::Int);
        // Read the same way as SQLite's, so PostgreSQL must take the translation as a boolean (a CHECK would).
        let pg_truth = format!("CASE WHEN ({translated}) THEN 1 WHEN NOT ({translated}) THEN 0 END");
        let pg = self.pg_values(&format!("SELECT ({pg_truth})::text FROM t ORDER BY id")).await;
        match (sqlite, pg) {
            (Ok(s), Ok(p)) => s
                .iter()
                .zip(&p)
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .take(4)
                .map(|(row, (a, b))| {
                    format!("{expr}: row {row}: sqlite {a:?}, postgresql {b:?}\n    sql: {translated}")
                })
                .collect(),
            (s, p) => vec![format!("{expr}: sqlite {:?}, postgresql {:?}\n    sql: {translated}", s.err(), p.err())],
        }
    }

    /// The index form of `expr`: rows must agree where `agree(row)`, and PostgreSQL gives NULL elsewhere.
    pub async fn check_index(&self, expr: &str, agree: impl Fn(usize) -> bool) -> Vec<String> {
        let cols = hints();
        let ctx = ExprContext { columns: &cols, target: None };
        let (translated, notes) = match translate_index_expr(expr, &ctx) {
            Ok(t) => t,
            Err(e) => return vec![format!("{expr}: not translated: {e}")],
        };
        let mut diffs = Vec::new();
        if notes.is_empty() {
            diffs.push(format!("{expr}: the compact index form is not noted"));
        }
        let sqlite = self.sqlite_values(expr, As::Text).unwrap_or_default();
        let pg = match self.pg_values(&format!("SELECT ({translated})::text FROM t ORDER BY id")).await {
            Ok(p) => p,
            Err(e) => return vec![format!("{expr}: postgresql fails: {e}")],
        };
        for (row, (a, b)) in sqlite.iter().zip(&pg).enumerate() {
            let want = if agree(row) { a.as_ref() } else { None };
            if want != b.as_ref() {
                diffs.push(format!("{expr}: row {row}: sqlite {a:?}, postgresql {b:?} (index form)"));
            }
        }
        diffs
    }

    async fn compare(&self, expr: &str, translated: &str, how: As) -> Vec<String> {
        let translated = translated.to_string();
        let sqlite = self.sqlite_values(expr, how);
        let shown = match how {
            As::Blob => format!("upper(encode(({translated}), 'hex'))"),
            _ => format!("({translated})::text"),
        };
        let pg = self.pg_values(&format!("SELECT {shown} FROM t ORDER BY id")).await;
        let mut diffs = Vec::new();
        match (sqlite, pg) {
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => diffs.push(format!("{expr}: postgresql fails: {e}\n    sql: {translated}")),
            (Err(e), Ok(_)) => diffs.push(format!("{expr}: sqlite fails ({e}), postgresql does not")),
            (Ok(s), Ok(p)) => {
                let input = inputs();
                for (row, (a, b)) in s.iter().zip(&p).enumerate() {
                    if !same(a.as_deref(), b.as_deref(), how) && diffs.len() < 4 {
                        let args: Vec<String> = input.iter().map(|c| format!("{:?}", c[row % c.len()])).collect();
                        diffs.push(format!("{expr}: row {row} ({}): sqlite {a:?}, postgresql {b:?}", args.join(", ")));
                    }
                }
                if !diffs.is_empty() {
                    diffs.push(format!("    sql: {translated}"));
                }
            }
        }
        diffs
    }

    fn sqlite_values(&self, expr: &str, how: As) -> rusqlite::Result<Vec<Option<String>>> {
        let shown = match how {
            As::Text => format!("CAST(({expr}) AS TEXT)"),
            _ => format!("({expr})"),
        };
        let mut st = self.sqlite.prepare(&format!("SELECT {shown} FROM t ORDER BY id"))?;
        let rows = st.query_map([], |r| {
            Ok(match r.get_ref(0)? {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(i.to_string()),
                ValueRef::Real(f) => Some(format!("{f:?}")),
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Some(b.iter().map(|x| format!("{x:02X}")).collect()),
            })
        })?;
        rows.collect()
    }

    pub async fn pg_values(&self, sql: &str) -> Result<Vec<Option<String>>, String> {
        let msgs = self
            .pg
            .simple_query(sql)
            .await
            .map_err(|e| e.as_db_error().map_or(e.to_string(), |d| d.message().to_string()))?;
        Ok(msgs
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(r) => Some(r.get(0).map(str::to_string)),
                _ => None,
            })
            .collect())
    }
}

/// The translator's view of the test table's columns: their names and type hints.
fn hints() -> Vec<(String, TypeHint)> {
    COLUMNS.iter().map(|(n, _, _, h)| (n.to_string(), *h)).collect()
}

fn same(a: Option<&str>, b: Option<&str>, how: As) -> bool {
    match (a, b, how) {
        (None, None, _) => true,
        (Some(a), Some(b), As::Real) => match (a.parse::<f64>(), parse_pg_float(b)) {
            (Ok(x), Some(y)) => x == y || (x.is_nan() && y.is_nan()),
            _ => false,
        },
        (Some(a), Some(b), As::Bool) => matches!((a, b), ("1", "true") | ("0", "false")),
        (Some(a), Some(b), As::Int) => a.parse::<i64>().ok() == b.parse::<i64>().ok() && a.parse::<i64>().is_ok(),
        (Some(a), Some(b), _) => a == b,
        _ => false,
    }
}

fn parse_pg_float(s: &str) -> Option<f64> {
    match s {
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}

fn pg_literal(v: &Value, ty: &str) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => format!("'{f:?}'::double precision"),
        Value::Text(t) => format!("'{}'::{ty}", t.replace('\'', "''")),
        Value::Blob(b) => format!("'\\x{}'::bytea", b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}
