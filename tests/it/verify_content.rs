//! VERIFY=content: every table read back and compared with what was sent; a value changed behind the load's back
//! (during the pause just before the read-back, or by a trigger of the application's schema) stops the run with exit 5, naming the
//! table, column and SQLite rowid, and nothing is committed

use std::time::Duration;

use crate::common::pg::PgCluster;
use crate::support::bg::spawn;
use crate::support::{migrate, migrate_into, snapshot, Fixture, Scope, EMPTY};

/// Every kind of value the converter writes, in the PostgreSQL types that normalise what they receive (numeric with
/// a scale, jsonb, char(n), arrays of those) and in those that keep it as it came; big text and blob values too.
const SCHEMA: &str = r#"
CREATE TABLE everything (
    id bigint PRIMARY KEY, i2 smallint, i4 integer, f4 real, f8 double precision,
    n numeric(12,3), nu numeric, t text, vc varchar(20), c char(5), b bytea,
    d date, ts timestamp(3), tstz timestamptz, tm time, iv interval,
    u uuid, j json, jb jsonb, ip inet, flag boolean,
    tags text[], amounts numeric(8,2)[], docs jsonb[]
);
"#;

fn everything() -> Fixture {
    let big_text = "é".repeat(200_000);
    let fx = Fixture::new(
        "CREATE TABLE everything (id INTEGER PRIMARY KEY, i2, i4, f4, f8, n, nu, t, vc, c, b, d, ts, tstz, tm, iv,
                                  u, j, jb, ip, flag, tags, amounts, docs);",
    );
    let conn = rusqlite::Connection::open(&fx.path).expect("open");
    let rows: &[&str] = &[
        r#"(1, 7, -70000, 1.5, -0.0, '1.5', '1.50', 'plain', 'varchar', 'ab', x'00ff', '2024-01-02',
            '2024-01-02 03:04:05.123', '2024-01-02T03:04:05Z', '12:34:56.789', 1500000,
            '550e8400-e29b-41d4-a716-446655440000', '{"b": 1,  "a": 2}',
            '{"b": [1.0, 2e1, -0], "a": {"y": null, "x": true}, "a": "the last one wins", "s": "\u00e9\/"}',
            '192.168.0.1/24', 1, '["x", "y", null]', '[1.5, 2, null]', '["{\"z\": 1, \"a\": 2}", null]')"#,
        r#"(2, -1, 0, 'NaN', 9e999, 0, '1e3', '', NULL, '', x'', '1970-01-01', 0, 86400, '00:00', 0,
            '00000000000000000000000000000000', '[]', '[]', '::1', 0, '[]', '[]', '[]')"#,
        "(3, NULL, NULL, '-Infinity', -9e999, NULL, '-0.000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        "(4, 1, 1, 0.25, 123456789.125, '999999999.999', '123456789012345678901234567890.5', ?1, 'x', 'abcde', ?2,
            '9999-12-31', '2000-02-29 23:59:59.999', '2000-02-29 23:59:59.999999+05:30', '23:59:59.999999', -1,
            'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE', '1e400', '12345678901234567890.000', '10.0.0.0/8', 1,
            '[\"\"]', '[999999.99]', '[\"1e2\"]')",
    ];
    for row in rows {
        let sql = format!("INSERT INTO everything VALUES {row}");
        if sql.contains("?1") {
            conn.execute(&sql, rusqlite::params![big_text, vec![7u8; 300_000]]).expect("insert");
        } else {
            conn.execute(&sql, []).expect("insert");
        }
    }
    fx
}

fn report(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("report written")).expect("report is json")
}

/// The digests of every table in the report: (table, sent, read back).
fn digests(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .filter(|t| t.get("content").is_some())
        .map(|t| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            (s(&t["table"]), s(&t["content"]["sent"]), s(&t["content"]["read_back"]))
        })
        .collect()
}

#[test]
fn every_type_reads_back_as_sent_in_both_executors() {
    let pg = PgCluster::shared();
    let fx = everything();
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, SCHEMA).unwrap();
    let path = fx.dir.path().join("report.json");
    let mut seen = Vec::new();
    for jobs in ["4", "1"] {
        let settings = [
            ("SCHEMA", sql.to_str().unwrap()),
            ("JOBS", jobs),
            ("VERIFY", "content"),
            ("REPORT_PATH", path.to_str().unwrap()),
        ];
        let (run, db) = migrate(pg, &fx.path, &settings);
        run.assert_code(0).assert_stderr_has("\"everything\": content of 4 row(s) verified");
        if jobs == "4" {
            run.assert_stderr_has("applied in the staging schema");
        }
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM everything"), "4");
        // the values PostgreSQL normalised are there as it normalises them
        assert_eq!(
            pg.psql(&db, "SELECT n, nu, c, jb->>'a', f8 FROM everything WHERE id = 1"),
            "1.500|1.50|ab   |the last one wins|-0"
        );
        let json = report(&path);
        let got = digests(&json);
        assert_eq!(got.len(), 1, "{json}");
        let (table, sent, back) = &got[0];
        assert_eq!(table, "everything");
        assert_eq!(sent.len(), 32, "{json}");
        assert_eq!(sent, back);
        seen.push(sent.clone());
    }
    assert_eq!(seen[0], seen[1], "the digest does not depend on the executor");
}

#[test]
fn auto_schema_types_read_back_as_sent() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, r REAL, s TEXT, b BLOB, ok BOOLEAN, at DATETIME, amount DECIMAL(10,2));
         CREATE TABLE dup (a TEXT, n INTEGER);
         INSERT INTO t VALUES (1, -0.0, 'x', x'01', 1, '2024-05-06 07:08:09', '12.30'),
                              (2, 9e999, '', x'', 0, '2024-05-06 07:08:09.5', 0),
                              (3, -9e999, NULL, NULL, NULL, NULL, NULL), (4, 1e-300, 'ü', randomblob(70), 1, NULL, '-1');
         INSERT INTO dup VALUES ('same', 1), ('same', 1), ('same', 1), (NULL, NULL);",
    );
    let path = fx.dir.path().join("report.json");
    let (run, _) = migrate(pg, &fx.path, &[("VERIFY", "content"), ("REPORT_PATH", path.to_str().unwrap())]);
    run.assert_code(0)
        .assert_stderr_has("\"t\": content of 4 row(s) verified")
        .assert_stderr_has("\"dup\": content of 4 row(s) verified");
    let got = digests(&report(&path));
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|(_, sent, back)| sent == back && sent.len() == 32), "{got:?}");
}

/// A SQLite table, and the SQL that changes row 7 of its copy in the staging schema.
fn people() -> Fixture {
    let fx = Fixture::new("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, score REAL, born TEXT);");
    let mut conn = rusqlite::Connection::open(&fx.path).expect("open");
    // more rows than a small table has: small tables are loaded and read back in one transaction of their own,
    // where nothing can change them behind the load's back; a bigger table is committed in the staging schema
    let tx = conn.transaction().expect("begin");
    for i in 1..=10_050 {
        let name = format!("person number {i}");
        tx.execute("INSERT INTO people VALUES (?1, ?2, 0.5, '1990-01-01')", rusqlite::params![i, name])
            .expect("insert");
    }
    tx.commit().expect("commit");
    fx
}

/// Run with a pause at `point` (staged: the table is in the staging schema, committed), change a value there behind
/// the load's back, and let the run go on: `content` pauses just before the table is read back, `verify` once
/// everything is built, before publishing.
fn changed_behind_its_back(
    pg: &PgCluster,
    fx: &Fixture,
    point: &str,
    extra: &[(&str, &str)],
) -> (crate::support::Run, String) {
    changed_to(pg, fx, point, "'intruder'", extra)
}

/// The same, with row 7's name set to what the SQL expression `value` gives.
fn changed_to(
    pg: &PgCluster,
    fx: &Fixture,
    point: &str,
    value: &str,
    extra: &[(&str, &str)],
) -> (crate::support::Run, String) {
    let db = pg.fresh_db();
    let pause = format!("{point}:4");
    let mut settings = vec![("SQLITE2PG_TEST_PAUSE", pause.as_str())];
    settings.extend_from_slice(extra);
    let mut bg = spawn(pg, &db, &fx.path, &settings);
    bg.wait_log(&format!("test pause at {point}"), Duration::from_secs(60));
    let update = format!("UPDATE sqlite2pg_staging.people SET name = {value} WHERE id = 7 RETURNING id");
    assert_eq!(pg.psql(&db, &update), "7");
    let (run, _) = bg.finish(Duration::from_secs(60));
    (run, db)
}

#[test]
fn a_value_changed_before_the_read_back_is_caught_and_nothing_is_committed() {
    let pg = PgCluster::shared();
    let fx = people();
    let path = fx.dir.path().join("report.json");
    let (run, db) =
        changed_behind_its_back(pg, &fx, "content", &[("VERIFY", "content"), ("REPORT_PATH", path.to_str().unwrap())]);
    run.assert_code(5)
        .assert_stderr_has(
            "table \"people\", column \"name\", sqlite rowid 7: the value read back from postgresql differs from the \
             value sent",
        )
        .assert_no_leak("intruder")
        .assert_no_leak("person number 7");
    assert!(!run.stderr.contains("column \"score\""), "only the changed column is named:\n{}", run.stderr);
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "nothing committed, staging removed");
    let json = report(&path);
    assert_eq!(json["exit_code"], 5);
    let problems = json["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{json}");
    let got = digests(&json);
    assert_eq!(got.len(), 1);
    assert_ne!(got[0].1, got[0].2, "the digests differ: {got:?}");

    // row counts alone do not see it: the changed value is published
    let (run, db) = changed_behind_its_back(pg, &fx, "verify", &[]);
    run.assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT name FROM people WHERE id = 7"), "intruder");
}

#[test]
fn a_value_made_big_behind_the_loads_back_is_caught_where_only_small_values_were_sent() {
    // only short names were sent, so the column is read back as stored, not hashed by postgresql: a value above
    // the size compared by its SHA-256 arrives whole and is hashed as it comes
    let pg = PgCluster::shared();
    let fx = people();
    let (run, db) = changed_to(pg, &fx, "content", "repeat('intruder', 40000)", &[("VERIFY", "content")]);
    run.assert_code(5)
        .assert_stderr_has(
            "table \"people\", column \"name\", sqlite rowid 7: the value read back from postgresql differs from the \
             value sent",
        )
        .assert_no_leak("intruder");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "nothing committed, staging removed");
}

/// An application schema whose trigger changes a value as it is inserted: the load's own transaction changes it.
const SHOUTING: &str = r#"
CREATE TABLE people (id bigint PRIMARY KEY, name text, score double precision, born date);
CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id = 3 THEN NEW.name := upper(NEW.name); END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER shout BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION shout();
"#;

#[test]
fn a_trigger_that_changes_a_value_fails_content_verification_in_one_transaction_and_in_a_check() {
    let pg = PgCluster::shared();
    let fx = people();
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, SHOUTING).unwrap();
    let schema = ("SCHEMA", sql.to_str().unwrap());
    let named = "table \"people\", column \"name\", sqlite rowid 3: the value read back from postgresql differs";

    let (run, db) = migrate(pg, &fx.path, &[schema, ("JOBS", "1"), ("VERIFY", "content")]);
    run.assert_code(5).assert_stderr_has(named).assert_no_leak("PERSON NUMBER 3").assert_no_leak("person number 3");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "the schema file and the rows are rolled back");

    // --check turns content verification on
    let db = pg.fresh_db();
    let mut cmd = crate::support::sqlite2pg();
    cmd.env("SQLITE_PATH", &fx.path).env("DATABASE_URL", pg.url(&db)).env(schema.0, schema.1).arg("--check");
    let run = crate::support::Run::from_output(cmd.output().expect("run"));
    run.assert_code(5).assert_stderr_has(named);
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
    // ... unless VERIFY says counts
    migrate_into(pg, &db, &fx.path, &[schema, ("CHECK_ONLY", "true"), ("VERIFY", "counts")]).assert_code(0);

    // a default run compares row counts only: no digest, and the trigger's change is committed
    let path = fx.dir.path().join("report.json");
    let (run, db) = migrate(pg, &fx.path, &[schema, ("JOBS", "1"), ("REPORT_PATH", path.to_str().unwrap())]);
    run.assert_code(0);
    assert!(!run.stderr.contains("content of"), "{}", run.stderr);
    assert_eq!(digests(&report(&path)), Vec::new());
    assert_eq!(pg.psql(&db, "SELECT name FROM people WHERE id = 3"), "PERSON NUMBER 3");
}

#[test]
fn verify_must_be_counts_or_content() {
    let pg = PgCluster::shared();
    let fx = people();
    let (run, _) = migrate(pg, &fx.path, &[("VERIFY", "rows")]);
    run.assert_code(2).assert_stderr_has("VERIFY=rows is not known: use counts or content");
}

/// An FTS table loaded onto an application's table: its text goes through a helper column that is dropped once the
/// `tsvector` column is filled from it. The other columns are compared; the helper is not looked for.
#[test]
fn fts_text_loaded_through_a_dropped_helper_column_is_left_out() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE VIRTUAL TABLE event_search USING fts4(event_id, room_id, value);
         INSERT INTO event_search (docid, event_id, room_id, value) VALUES
           (1, '$a', '!r1', 'lunch at noon'), (2, '$b', '!r1', NULL), (3, '$c', '!r2', 'kickoff');",
    );
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, "CREATE TABLE event_search (event_id text, room_id text, vector tsvector);").unwrap();
    for jobs in ["4", "1"] {
        let (run, db) =
            migrate(pg, &fx.path, &[("SCHEMA", sql.to_str().unwrap()), ("JOBS", jobs), ("VERIFY", "content")]);
        run.assert_code(0)
            .assert_stderr_has("computed with to_tsvector from column(s) \"value\"")
            .assert_stderr_has("\"event_search\": content of 3 row(s) verified");
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM event_search WHERE vector @@ to_tsquery('noon')"), "1");
    }
}

/// Values above a megabyte stream from SQLite in pieces and are hashed as they go; PostgreSQL hashes its own with
/// sha256 when reading back. char(n) pads, and is compared without its padding. A changed big value is caught.
#[test]
fn streamed_values_are_compared_by_their_sha256() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE big (id INTEGER PRIMARY KEY, t TEXT, b BLOB, c TEXT);");
    let conn = rusqlite::Connection::open(&fx.path).expect("open");
    let text = "é".repeat(700_000);
    let padded = format!("{}  ", "x".repeat(1_200_000));
    for id in 1..=3 {
        let blob: Vec<u8> = (0..1_500_000u32).map(|i| (i % 251) as u8 ^ id).collect();
        conn.execute("INSERT INTO big VALUES (?1, ?2, ?3, ?4)", rusqlite::params![id, text, blob, padded])
            .expect("insert");
    }
    conn.execute("INSERT INTO big VALUES (4, 'small', x'00', 'c')", []).expect("insert");
    // enough rows that the staged load commits the table on its own before reading it back (see `people`)
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 5 UNION ALL SELECT i + 1 FROM n WHERE i < 10004) \
         INSERT INTO big SELECT i, 'row', NULL, NULL FROM n",
        [],
    )
    .expect("insert");
    drop(conn);
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, "CREATE TABLE big (id bigint PRIMARY KEY, t text, b bytea, c char(1300000));").unwrap();
    let schema = ("SCHEMA", sql.to_str().unwrap());
    for jobs in ["4", "1"] {
        let (run, db) = migrate(pg, &fx.path, &[schema, ("JOBS", jobs), ("VERIFY", "content")]);
        run.assert_code(0).assert_stderr_has("\"big\": content of 10004 row(s) verified");
        assert_eq!(pg.psql(&db, "SELECT octet_length(c) FROM big WHERE id = 1"), "1300000", "padded");
    }

    let db = pg.fresh_db();
    let settings = [schema, ("VERIFY", "content"), ("SQLITE2PG_TEST_PAUSE", "content:4")];
    let mut bg = spawn(pg, &db, &fx.path, &settings);
    bg.wait_log("test pause at content", Duration::from_secs(60));
    pg.psql(&db, "UPDATE sqlite2pg_staging.big SET b = b || '\\x00'::bytea WHERE id = 2");
    let (run, _) = bg.finish(Duration::from_secs(60));
    run.assert_code(5).assert_stderr_has(
        "table \"big\", column \"b\", sqlite rowid 2: the value read back from postgresql differs from the value sent",
    );
    assert!(!run.stderr.contains("column \"t\"") && !run.stderr.contains("column \"c\""), "{}", run.stderr);
}
