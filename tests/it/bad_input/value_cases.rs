//! values PostgreSQL cannot take as they are: NUL, bad UTF-8, out of range, bad JSON and dates, duplicates,
//! orphans; and one huge BLOB that must go through

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::types::Value;

use super::harness::{pg, Case, Endpoint, ROWVALUE};
use crate::support::Fixture;

/// A fresh database holding `ddl` (the application's own tables, for SCHEMA=none).
fn target_with(ddl: &str) -> String {
    let db = pg().fresh_db();
    pg().psql(&db, ddl);
    db
}

#[test]
fn nul_byte_in_text() {
    let fx = Fixture::with(|c| {
        c.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);").unwrap();
        c.execute("INSERT INTO notes VALUES (1, 'fine')", []).unwrap();
        let v = format!("{ROWVALUE}\0tail").into_bytes();
        c.execute("INSERT INTO notes VALUES (42, CAST(?1 AS TEXT))", [Value::Blob(v)]).unwrap();
    });
    Case::fresh("nul byte in text", &fx.path)
        .expect(5, &["table \"notes\", column \"body\", sqlite rowid 42", "nul|NUL"])
        .check();
}

#[test]
fn invalid_utf8_in_text() {
    let fx = Fixture::with(|c| {
        c.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);").unwrap();
        let mut v = ROWVALUE.as_bytes().to_vec();
        v.extend_from_slice(b"\xc3\x28\xff");
        c.execute("INSERT INTO notes VALUES (43, CAST(?1 AS TEXT))", [Value::Blob(v)]).unwrap();
    });
    Case::fresh("invalid utf-8", &fx.path)
        .expect(5, &["table \"notes\", column \"body\", sqlite rowid 43", "utf-8|UTF-8"])
        .check();
}

#[test]
fn integer_beyond_smallint() {
    let fx = Fixture::new(&format!(
        "CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER, label TEXT);
         INSERT INTO counters VALUES (1, 5, 'ok'), (44, 9876543, '{ROWVALUE}');"
    ));
    let db = target_with("CREATE TABLE counters (id integer PRIMARY KEY, n smallint, label text)");
    Case::new("integer beyond smallint", &fx.path, &db)
        .env("SCHEMA", "none")
        .secret("9876543")
        .expect(5, &["table \"counters\", column \"n\", sqlite rowid 44", "range"])
        .check();
}

#[test]
fn invalid_json_into_jsonb() {
    let fx = Fixture::new(&format!(
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO docs VALUES (1, '{{\"a\": 1}}'), (45, '{{\"{ROWVALUE}\": ');"
    ));
    let db = target_with("CREATE TABLE docs (id integer PRIMARY KEY, body jsonb)");
    Case::new("invalid json into jsonb", &fx.path, &db)
        .env("SCHEMA", "none")
        .expect(5, &["table \"docs\", column \"body\", sqlite rowid 45", "json|JSON"])
        .check();
}

#[test]
fn unparsable_date() {
    let fx = Fixture::new(&format!(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, day DATE, note TEXT);
         INSERT INTO events VALUES (1, '2024-02-29', 'ok'), (46, '{ROWVALUE}-2024-13-45', 'x');"
    ));
    let db = target_with("CREATE TABLE events (id integer PRIMARY KEY, day date, note text)");
    Case::new("unparsable date", &fx.path, &db)
        .env("SCHEMA", "none")
        .expect(5, &["table \"events\", column \"day\", sqlite rowid 46", "date"])
        .check();
}

#[test]
fn impossible_timestamp() {
    // well-formed, but February 30th does not exist: no rounding into March
    let fx = Fixture::new(&format!(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, at DATETIME, note TEXT);
         INSERT INTO events VALUES (1, '2024-02-29 10:00:00', 'ok'), (47, '2023-02-30 25:61:00', '{ROWVALUE}');"
    ));
    let db = target_with("CREATE TABLE events (id integer PRIMARY KEY, at timestamp(3), note text)");
    Case::new("impossible timestamp", &fx.path, &db)
        .env("SCHEMA", "none")
        .secret("2023-02-30")
        .expect(5, &["table \"events\", column \"at\", sqlite rowid 47", "timestamp"])
        .check();
}

#[test]
fn duplicates_against_a_unique_index_of_the_target() {
    // SQLite had no UNIQUE on `code`; the application's PostgreSQL schema has one
    let fx = Fixture::new(&format!(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT);
         INSERT INTO items VALUES (1, '{ROWVALUE}-A'), (2, 'B'), (3, '{ROWVALUE}-A');"
    ));
    let db = target_with(
        "CREATE TABLE items (id integer PRIMARY KEY, code text); CREATE UNIQUE INDEX items_code_key ON items (code)",
    );
    Case::new("duplicates vs a target unique index", &fx.path, &db)
        .env("SCHEMA", "none")
        .expect(5, &["duplicate", "items_code_key"])
        .check();
}

#[test]
fn duplicates_only_case_insensitively() {
    // SQLite's UNIQUE is exact; the application's PostgreSQL schema enforces lower(email)
    let fx = Fixture::new(&format!(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
         INSERT INTO users VALUES (1, '{ROWVALUE}@x.org'), (2, lower('{ROWVALUE}@x.org'));"
    ));
    let schema = fx.dir.path().join("schema.sql");
    std::fs::write(&schema, "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\nCREATE UNIQUE INDEX users_email_lower ON users (lower(email));\n").unwrap();
    Case::fresh("case-insensitive duplicates, SCHEMA=file", &fx.path)
        .env("SCHEMA", schema.to_str().unwrap())
        .secret(&ROWVALUE.to_lowercase())
        .expect(5, &["duplicate", "users_email_lower"])
        .check();
}

#[test]
fn duplicates_sqlite_keeps_apart_by_storage_class() {
    // a typeless UNIQUE column: SQLite holds INTEGER 7 and TEXT '7' as different values; as text they are equal
    let fx = Fixture::new(&format!(
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, code UNIQUE, note TEXT);
         INSERT INTO tags VALUES (1, 7, 'a'), (2, '7', '{ROWVALUE}'), (3, 'x', 'b');"
    ));
    Case::fresh("integer and text duplicates", &fx.path).expect(5, &["duplicate", "\"tags\"|tags_code"]).check();
}

#[test]
fn orphan_rows() {
    let fx = Fixture::new(&format!(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
         CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id), note TEXT);
         INSERT INTO parent VALUES (1, 'p');
         INSERT INTO child VALUES (10, 1, 'fine'), (11, 99, '{ROWVALUE}'), (12, 98, '{ROWVALUE}');"
    ));
    Case::fresh("orphan rows", &fx.path)
        .expect(5, &["orphan", "\"child\"(parent_id)|\"child\" (parent_id)|child(parent_id)", "11, 12"])
        .check();
}

/// Peak resident memory of a process, polled from /proc until it exits.
fn peak_rss_kib(mut child: std::process::Child) -> (std::process::ExitStatus, u64) {
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            return (status, peak);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_300_mb_blob_goes_through() {
    const SIZE: i64 = 300 * 1024 * 1024;
    let fx = Fixture::new(&format!(
        "CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT, data BLOB);
         INSERT INTO files VALUES (1, 'small', X'00FF'), (2, 'huge', randomblob({SIZE}));"
    ));
    let digest = {
        use sha2::Digest;
        let conn = rusqlite::Connection::open(&fx.path).unwrap();
        let blob: Vec<u8> = conn.query_row("SELECT data FROM files WHERE id = 2", [], |r| r.get(0)).unwrap();
        hex::encode(sha2::Sha256::digest(&blob))
    };
    let db = pg().fresh_db();
    let out_dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let child = Command::new(assert_cmd::cargo::cargo_bin("sqlite2pg"))
        .env_clear()
        .env("SQLITE_PATH", &fx.path)
        .env("DATABASE_URL", Endpoint::sentinel(&db).url(true))
        .env("WAIT_TIMEOUT", "10")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(out_dir.path().join("out")).unwrap())
        .stderr(std::fs::File::create(out_dir.path().join("err")).unwrap())
        .spawn()
        .unwrap();
    let (status, peak_kib) = peak_rss_kib(child);
    let stderr = std::fs::read_to_string(out_dir.path().join("err")).unwrap();
    eprintln!(
        "300 MB blob: peak RSS (VmHWM) of sqlite2pg = {} MiB, {:.1}s",
        peak_kib / 1024,
        started.elapsed().as_secs_f64()
    );
    assert!(status.success(), "exit {status}:\n{stderr}");
    assert_eq!(
        pg().psql(&db, "SELECT length(data) || ' ' || encode(sha256(data), 'hex') FROM files WHERE id = 2"),
        format!("{SIZE} {digest}")
    );
    assert!(peak_kib > 0, "VmHWM never read");
    assert!(peak_kib < 1536 * 1024, "peak RSS {} MiB is over the 1.5 GB bound", peak_kib / 1024);
}
