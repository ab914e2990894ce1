//! ROUND_TIME end to end: times finer than their PostgreSQL column stop the run (exit 5) unless the column is named,
//! then they are rounded as PostgreSQL rounds its own input, and counted per column in the report

use crate::common::pg::PgCluster;
use crate::support::{migrate_into, Fixture};

/// GORM's time.Time (nanoseconds and an offset) and EF Core's TimeSpan (100 ns ticks).
fn fixture() -> Fixture {
    Fixture::new(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, at DATETIME, span TEXT, exact DATETIME);
         INSERT INTO events VALUES (1, '2024-01-15 12:34:56.123456789+02:00', '1.02:03:04.1234567', '2024-01-15 12:34:56.5+00:00');
         INSERT INTO events VALUES (2, '2024-01-15 12:34:56.5+00:00', '00:00:01', '2024-01-15 12:34:56+00:00');
         INSERT INTO events VALUES (3, NULL, NULL, NULL);",
    )
}

const PG_TABLE: &str =
    "CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz, span interval, exact timestamptz(1))";

#[test]
fn finer_times_stop_the_run_unless_named() {
    let pg = PgCluster::shared();
    let fx = fixture();
    let db = pg.fresh_db();
    pg.psql(&db, PG_TABLE);
    let run = migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]);
    run.assert_code(5)
        .assert_stderr_has("table \"events\", column \"at\", sqlite rowid 1: has 9 fractional digits")
        .assert_stderr_has("ROUND_TIME=events.at would round it")
        .assert_no_leak("123456789");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM events"), "0");

    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let run = migrate_into(
        pg,
        &db,
        &fx.path,
        &[
            ("SCHEMA", "none"),
            ("ROUND_TIME", "events.at, Events.SPAN,events.exact"),
            ("REPORT_PATH", report.to_str().unwrap()),
        ],
    );
    run.assert_code(0)
        .assert_stderr_has("rounded 1 value(s) of \"events\".\"at\" (ROUND_TIME)")
        .assert_stderr_has("rounded 1 value(s) of \"events\".\"span\" (ROUND_TIME)")
        .assert_stderr_has("rounded 0 value(s) of \"events\".\"exact\" (ROUND_TIME)");
    // PostgreSQL as the oracle: its own input rounding of the same text
    assert_eq!(
        pg.psql(
            &db,
            "SELECT string_agg((e.at IS NOT DISTINCT FROM w.at AND e.span IS NOT DISTINCT FROM w.span
                                AND e.exact IS NOT DISTINCT FROM w.exact)::text, ',' ORDER BY id)
               FROM events e JOIN (VALUES
                 (1, '2024-01-15 12:34:56.123456789+02:00'::timestamptz, '1 day 02:03:04.1234567'::interval,
                     '2024-01-15 12:34:56.5+00:00'::timestamptz(1)),
                 (2, '2024-01-15 12:34:56.5+00:00', '00:00:01', '2024-01-15 12:34:56+00:00'),
                 (3, NULL, NULL, NULL)) AS w(id, at, span, exact) USING (id)"
        ),
        "true,true,true"
    );
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        json["tables"][0]["rounded"],
        serde_json::json!([
            {"table": "events", "column": "at", "values": 1},
            {"table": "events", "column": "span", "values": 1},
            {"table": "events", "column": "exact", "values": 0}
        ])
    );
}

#[test]
fn round_time_entries_name_a_table_and_column() {
    let pg = PgCluster::shared();
    let fx = fixture();
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("ROUND_TIME", "events")])
        .assert_code(2)
        .assert_stderr_has("ROUND_TIME entry events must look like Table.column");
}

#[test]
fn schema_auto_keeps_the_time_type_of_a_named_column() {
    let pg = PgCluster::shared();
    let fx = fixture();
    let (run, db) = crate::support::migrate(pg, &fx.path, &[("ROUND_TIME", "events.at")]);
    run.assert_code(0).assert_stderr_has("rounded 1 value(s) of \"events\".\"at\" (ROUND_TIME)");
    assert_eq!(
        pg.psql(&db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'at'"),
        "timestamp with time zone"
    );
    assert_eq!(
        pg.psql(&db, "SELECT at = '2024-01-15 12:34:56.123456789+02:00'::timestamptz FROM events WHERE id = 1"),
        "t"
    );
}
