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
