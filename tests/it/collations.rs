//! NOCASE and RTRIM keys: after the migration PostgreSQL rejects exactly the inserts SQLite rejects

use crate::common::pg::PgCluster;
use crate::support::{migrate, Fixture};

const SCHEMA: &str = r#"
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE COLLATE NOCASE, code TEXT COLLATE RTRIM UNIQUE,
  nick TEXT, plain TEXT UNIQUE);
CREATE UNIQUE INDEX users_nick ON users (nick COLLATE NOCASE);
CREATE TABLE tags (name TEXT PRIMARY KEY COLLATE NOCASE) WITHOUT ROWID;
INSERT INTO users (email, code, nick, plain) VALUES ('Alice@Example.com', 'A1', 'Bob', 'p'), ('é@x', 'B2 ', 'ÉVE', 'q');
INSERT INTO tags VALUES ('Rust');
"#;

#[test]
fn unique_nocase_and_rtrim_keys_reject_what_sqlite_rejects() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SCHEMA);
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    let sqlite = rusqlite::Connection::open(&fx.path).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("users", "email", "alice@example.COM"),
        ("users", "email", "É@x"),
        ("users", "email", "alice@example.com "),
        ("users", "code", "A1  "),
        ("users", "code", "a1"),
        ("users", "code", "B2"),
        ("users", "code", " B2"),
        ("users", "nick", "BOB"),
        ("users", "nick", "éve"),
        ("users", "nick", "ÉVE"),
        ("users", "plain", "P"),
        ("users", "plain", "p"),
        ("tags", "name", "RUST"),
        ("tags", "name", "Rüst"),
    ];
    let mut diffs = Vec::new();
    for (table, column, value) in cases {
        let sql = format!("INSERT INTO {table} ({column}) VALUES ('{value}')");
        let sqlite_ok = sqlite.execute("SAVEPOINT s", []).and_then(|_| sqlite.execute(&sql, [])).is_ok();
        sqlite.execute("ROLLBACK TO s", []).unwrap();
        sqlite.execute("RELEASE s", []).unwrap();
        let pg_ok = pg.try_psql(&db, &format!("BEGIN; {sql}; ROLLBACK")).is_ok();
        if sqlite_ok != pg_ok {
            diffs.push(format!("{sql}: sqlite {}, postgresql {}", ok(sqlite_ok), ok(pg_ok)));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // both outcomes occur, so the comparison means something
    assert!(pg.try_psql(&db, "INSERT INTO users (email) VALUES ('ALICE@example.com')").is_err());
    assert!(pg.try_psql(&db, "INSERT INTO users (email) VALUES ('carol@example.com')").is_ok());
}

fn ok(b: bool) -> &'static str {
    if b {
        "accepts"
    } else {
        "rejects"
    }
}

/// A view ordered by a NOCASE item and a CHECK comparing under NOCASE: PostgreSQL lists the view's rows in
/// SQLite's order and refuses the inserts SQLite refuses.
#[test]
fn nocase_in_a_view_order_and_a_check_behave_as_in_sqlite() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE words (id INTEGER PRIMARY KEY, w TEXT CHECK (w <> 'none' COLLATE NOCASE));
         INSERT INTO words (w) VALUES ('banana'), ('Apple'), ('apple'), ('_under'), ('Zebra'), ('école'), ('Élan'), ('b');
         CREATE VIEW sorted AS SELECT id, w FROM words ORDER BY w COLLATE NOCASE DESC, id;",
    );
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    let sqlite = rusqlite::Connection::open(&fx.path).unwrap();
    let mut stmt = sqlite.prepare("SELECT id FROM sorted").unwrap();
    let want: Vec<String> =
        stmt.query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|v| v.unwrap().to_string()).collect();
    let got = pg.psql(&db, "SELECT string_agg(id::text, ',') FROM (SELECT id FROM sorted) s");
    assert_eq!(got.trim(), want.join(","));
    assert_ne!(want, (1..=8).map(|i| i.to_string()).collect::<Vec<_>>(), "the order must differ from the ids'");
    for (value, sqlite_ok) in [("NONE", false), ("None", false), ("none ", true), ("nöne", true)] {
        let sql = format!("INSERT INTO words (w) VALUES ('{value}')");
        assert_eq!(
            sqlite.execute("SAVEPOINT s", []).and_then(|_| sqlite.execute(&sql, [])).is_ok(),
            sqlite_ok,
            "{sql}"
        );
        sqlite.execute("ROLLBACK TO s", []).unwrap();
        assert_eq!(pg.try_psql(&db, &format!("BEGIN; {sql}; ROLLBACK")).is_ok(), sqlite_ok, "{sql} on postgresql");
    }
}
