//! A fleet of SQLite files (issue 18): a folder or glob into a schema per file, each file atomic with its own
//! ledger row, reruns, a killed run, shards side by side, and the configuration errors

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::pg::PgCluster;
use crate::support::bg::{spawn, spawn_url, Bg};
use crate::support::{migrate_into, snapshot, sqlite2pg, Run, Scope, EMPTY};

/// How many rows `items` holds in file `i` of a fleet.
fn rows_of(i: usize) -> usize {
    i % 7 + 1
}

/// Write file `i` of a fleet at `path`: `items` with [`rows_of`] rows and `meta` naming the tenant, so no two files
/// are alike.
fn write_file(path: &Path, i: usize) {
    let mut conn = rusqlite::Connection::open(path).expect("create sqlite file");
    let tx = conn.transaction().expect("begin");
    tx.execute_batch(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER);
         CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);",
    )
    .expect("schema");
    for r in 0..rows_of(i) {
        tx.execute("INSERT INTO items VALUES (?1, ?2, ?3)", rusqlite::params![r + 1, format!("item {i}/{r}"), i * r])
            .expect("row");
    }
    tx.execute("INSERT INTO meta VALUES ('tenant', ?1)", [format!("t{i:03}")]).expect("meta");
    tx.commit().expect("commit");
}

/// Overwrite the file at `path` with bytes that are no SQLite database.
fn corrupt(path: &Path) {
    std::fs::write(path, b"this is not a sqlite database, whatever its name says\n".repeat(100)).expect("write");
}

/// A folder of `n` files `t000.db`, `t001.db`, ...; the ones in `corrupt_ones` hold garbage.
fn fleet_dir(n: usize, corrupt_ones: &[usize]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..n {
        let path = file(dir.path(), i);
        if corrupt_ones.contains(&i) {
            corrupt(&path);
        } else {
            write_file(&path, i);
        }
    }
    dir
}

fn file(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("t{i:03}.db"))
}

const TEMPLATE: (&str, &str) = ("TARGET_SCHEMA", "tenant_{stem}");

/// The database over the cluster's Unix socket (trust): the many connections of a fleet skip the SCRAM
/// handshake, which an unoptimised test build spends a few hundred milliseconds of CPU on each time.
fn socket_url(pg: &PgCluster, db: &str) -> String {
    format!("postgres://{}@localhost/{db}?host={}&port={}", PgCluster::SUPERUSER, pg.socket_dir().display(), pg.port())
}

/// Run the binary on `sqlite` into `db` over the socket.
fn fleet_into(pg: &PgCluster, db: &str, sqlite: &Path, extra: &[(&str, &str)]) -> Run {
    let mut cmd = sqlite2pg();
    cmd.env("SQLITE_PATH", sqlite).env("DATABASE_URL", socket_url(pg, db)).env("WAIT_TIMEOUT", "10");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    Run::from_output(cmd.output().expect("run sqlite2pg"))
}

/// [`fleet_into`] in the background.
fn spawn_fleet(pg: &PgCluster, db: &str, sqlite: &Path, extra: &[(&str, &str)]) -> Bg {
    spawn_url(&socket_url(pg, db), sqlite, extra)
}

/// `schema:rows` of `items` in every tenant schema of the database, as PostgreSQL counts them.
fn loaded(pg: &PgCluster, db: &str) -> String {
    pg.psql(
        db,
        r"SELECT coalesce(string_agg(nspname || ':' || (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %I.items', nspname), false, true, '')))[1]::text,
              ',' ORDER BY nspname), '')
          FROM pg_namespace WHERE nspname LIKE 'tenant\_%'",
    )
}

/// `schema:rows` of `items` as the ledger records every completed run.
fn ledger(pg: &PgCluster, db: &str) -> String {
    pg.psql(
        db,
        "SELECT coalesce(string_agg(r.target_schema || ':' || t.copied_rows, ',' ORDER BY r.target_schema), '')
         FROM sqlite2pg.runs r JOIN sqlite2pg.run_tables t ON t.run_id = r.id AND t.table_name = 'items'",
    )
}

/// What [`loaded`] and [`ledger`] must say for the files `which`.
fn expected(which: impl IntoIterator<Item = usize>) -> String {
    which.into_iter().map(|i| format!("tenant_t{i:03}:{}", rows_of(i))).collect::<Vec<_>>().join(",")
}

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report written")).expect("report is json")
}

#[test]
fn two_hundred_files_one_corrupt_commit_each_on_its_own_and_reruns_skip_what_is_done() {
    let pg = PgCluster::shared();
    let n = 200;
    let bad = 137;
    let made = Instant::now();
    let dir = fleet_dir(n, &[bad]);
    println!("200 files written in {:?}", made.elapsed());
    let db = pg.fresh_db();
    let json = dir.path().join("report.json");
    let with_report = [TEMPLATE, ("JOBS", "4"), ("REPORT_PATH", json.to_str().expect("utf-8"))];

    let started = Instant::now();
    let run = fleet_into(pg, &db, dir.path(), &with_report);
    println!("first run: {:?}", started.elapsed());
    let bad_path = file(dir.path(), bad).display().to_string();
    run.assert_code(5).assert_stderr_has(&format!("failed {bad_path}: source {bad_path}"));
    run.assert_stderr_has("total: 200 file(s)").assert_stderr_has("199 migrated, 1 failed");
    // one summary line per file: file, schema, outcome
    for i in [0, 1, 136, 138, 199] {
        let line = run.stderr.lines().find(|l| l.starts_with(&file(dir.path(), i).display().to_string()));
        let line = line.unwrap_or_else(|| panic!("no summary line for file {i}:\n{}", run.stderr));
        assert!(line.contains(&format!("tenant_t{i:03}")) && line.contains("migrated"), "{line}");
    }
    // files load side by side, so each log line of a file's run begins with its name
    let copied = run.stderr.lines().filter(|l| l.contains("copied ")).collect::<Vec<_>>();
    assert!(copied.iter().any(|l| l.contains("] t005.db: copied ")), "no copy line of t005:\n{}", run.stderr);
    assert!(copied.iter().all(|l| l.contains(".db: copied ")), "a copy line without its file:\n{copied:#?}");
    let all_but_bad = || (0..n).filter(|i| *i != bad);
    assert_eq!(loaded(pg, &db), expected(all_but_bad()), "the 199 good files are committed, each in its schema");
    assert_eq!(ledger(pg, &db), expected(all_but_bad()), "each with its ledger row");
    assert_eq!(pg.psql(&db, "SELECT to_regnamespace('tenant_t137') IS NULL"), "t", "nothing of the corrupt file");
    let r = report(&json);
    assert_eq!((r["outcome"].as_str(), r["exit_code"].as_u64()), (Some("failed"), Some(5)));
    assert_eq!(r["files"].as_array().map(Vec::len), Some(n));
    assert_eq!(r["totals"]["migrated"], 199);
    let failed = &r["files"][bad];
    assert_eq!((failed["file"].as_str(), failed["outcome"].as_str()), (Some(bad_path.as_str()), Some("failed")));
    assert_eq!(failed["exit_code"], 5);
    assert_eq!(r["files"][3]["report"]["tables"].as_array().map(Vec::len), Some(2), "each file's own report");
    assert_eq!(r["total_rows"].as_u64(), Some(all_but_bad().map(|i| rows_of(i) as u64 + 1).sum()));

    // the rerun skips the 199 and still names the corrupt one
    let started = Instant::now();
    let again = fleet_into(pg, &db, dir.path(), &with_report);
    println!("rerun: {:?}", started.elapsed());
    again
        .assert_code(5)
        .assert_stderr_has(&format!("failed {bad_path}"))
        .assert_stderr_has("199 already migrated, 1 failed");
    assert_eq!(report(&json)["totals"]["already_migrated"], 199);
    assert_eq!(ledger(pg, &db), expected(all_but_bad()), "no new ledger row");

    // once the file is repaired, the next run migrates just that one
    std::fs::remove_file(file(dir.path(), bad)).expect("remove");
    write_file(&file(dir.path(), bad), bad);
    let fixed = fleet_into(pg, &db, dir.path(), &with_report);
    fixed.assert_code(0).assert_stderr_has("1 migrated, 199 already migrated");
    assert_eq!(loaded(pg, &db), expected(0..n));
    assert_eq!(ledger(pg, &db), expected(0..n));
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM sqlite2pg.runs"), "200");
    let r = report(&json);
    assert_eq!((r["outcome"].as_str(), r["exit_code"].as_u64()), (Some("migrated"), Some(0)));
    assert_eq!(r["files"][bad]["outcome"], "migrated");
}

#[test]
fn a_fleet_killed_mid_run_leaves_whole_files_only_and_the_rerun_completes_it() {
    let pg = PgCluster::shared();
    let n = 30;
    let dir = fleet_dir(n, &[]);
    let db = pg.fresh_db();
    // every file waits before its commit, so that the kill finds files in the middle of their transactions
    let mut bg = spawn_fleet(pg, &db, dir.path(), &[TEMPLATE, ("JOBS", "3"), ("SQLITE2PG_TEST_PAUSE", "commit:0.4")]);
    let deadline = Instant::now() + Duration::from_secs(120);
    while bg.stderr().matches(": migrated (").count() < 6 {
        assert!(Instant::now() < deadline, "no progress:\n{}", bg.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
    bg.wait_log("test pause at commit", Duration::from_secs(30));
    let log = bg.kill9();
    let done = log.matches(": migrated (").count();
    println!("killed after {done} file(s) were committed");
    assert!(done < n, "the fleet ended before the kill");

    // every schema that exists is a whole file with its ledger row; no other schema exists
    let committed = ledger(pg, &db);
    assert_eq!(loaded(pg, &db), committed, "a schema without its ledger row, or a half-loaded one");
    let count = committed.split(',').filter(|s| !s.is_empty()).count();
    assert!(count >= 6 && count < n, "{count} file(s) committed: {committed}");
    let staging = pg.psql(&db, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sqlite2pg\\_staging%'");
    assert_eq!(staging, "0", "a fleet loads each file in one transaction, never through a staging schema");

    let rerun = fleet_into(pg, &db, dir.path(), &[TEMPLATE, ("JOBS", "3")]);
    rerun.assert_code(0).assert_stderr_has(&format!("{} migrated, {count} already migrated", n - count));
    assert_eq!(loaded(pg, &db), expected(0..n));
    assert_eq!(ledger(pg, &db), expected(0..n));
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM sqlite2pg.runs"), n.to_string(), "one ledger row per file");
}

#[test]
fn configuration_errors_name_the_problem_and_touch_nothing() {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let two = fleet_dir(2, &[]);
    let dir = two.path();
    let glob = |p: &str| dir.join(p).display().to_string();

    let run = migrate_into(pg, &db, dir, &[]);
    run.assert_code(2).assert_stderr_has("has no {stem}").assert_stderr_has("tenant_{stem}");
    migrate_into(pg, &db, dir, &[("TARGET_SCHEMA", "one_schema")]).assert_code(2).assert_stderr_has("has no {stem}");

    // two files with one stem: both named
    write_file(&dir.join("t000.sqlite"), 0);
    migrate_into(pg, &db, dir, &[TEMPLATE])
        .assert_code(2)
        .assert_stderr_has(&file(dir, 0).display().to_string())
        .assert_stderr_has(&dir.join("t000.sqlite").display().to_string())
        .assert_stderr_has("\"tenant_t000\"");
    std::fs::remove_file(dir.join("t000.sqlite")).expect("remove");

    let long = format!("{}_{{stem}}", "x".repeat(60));
    migrate_into(pg, &db, dir, &[("TARGET_SCHEMA", long.as_str())]).assert_code(2).assert_stderr_has("63");
    migrate_into(pg, &db, dir, &[("TARGET_SCHEMA", "{tenant}_{stem}")]).assert_code(2).assert_stderr_has("{stem}");

    // an empty match, by a glob or a folder
    let none = glob("*.nothing");
    let run = sqlite2pg()
        .env("SQLITE_PATH", &none)
        .env("DATABASE_URL", pg.url(&db))
        .env("TARGET_SCHEMA", "tenant_{stem}")
        .output()
        .expect("run");
    let run = Run::from_output(run);
    run.assert_code(2).assert_stderr_has(&format!("SQLITE_PATH {none} matches no file"));
    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(empty.path().join("app.db-wal"), b"").expect("sidecar");
    std::fs::write(empty.path().join(".hidden.db"), b"").expect("hidden");
    migrate_into(pg, &db, empty.path(), &[TEMPLATE]).assert_code(2).assert_stderr_has("holding no sqlite file");

    // shards need a fleet and an index in range; a fleet needs SCHEMA=auto or none
    migrate_into(pg, &db, dir, &[TEMPLATE, ("SHARDS", "2")]).assert_code(2).assert_stderr_has("JOB_COMPLETION_INDEX");
    migrate_into(pg, &db, dir, &[TEMPLATE, ("SHARDS", "2"), ("JOB_COMPLETION_INDEX", "2")])
        .assert_code(2)
        .assert_stderr_has("from 0 to 1");
    migrate_into(pg, &db, &file(dir, 0), &[("SHARDS", "2"), ("JOB_COMPLETION_INDEX", "0")])
        .assert_code(2)
        .assert_stderr_has("SQLITE_PATH names one file");
    let sql = dir.join("schema.sql");
    std::fs::write(&sql, "CREATE TABLE items (id bigint PRIMARY KEY);").expect("write");
    migrate_into(pg, &db, dir, &[TEMPLATE, ("SCHEMA", sql.to_str().expect("utf-8"))])
        .assert_code(2)
        .assert_stderr_has("SCHEMA=auto or SCHEMA=none");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "a configuration error created something");
}

#[test]
fn a_glob_and_a_shard_take_their_files_of_the_sorted_list() {
    let pg = PgCluster::shared();
    let dir = fleet_dir(10, &[]);
    std::fs::write(dir.path().join("notes.txt"), b"not a database").expect("write");
    let db = pg.fresh_db();
    let json = dir.path().join("report.json");
    let glob = dir.path().join("t*.db").display().to_string();
    let run = migrate_into(
        pg,
        &db,
        Path::new(&glob),
        &[TEMPLATE, ("SHARDS", "3"), ("JOB_COMPLETION_INDEX", "1"), ("REPORT_PATH", json.to_str().expect("utf-8"))],
    );
    run.assert_code(0).assert_stderr_has("shard 1 of 3: 3 of the fleet's 10 file(s)");
    assert_eq!(loaded(pg, &db), expected([1, 4, 7]));
    let r = report(&json);
    assert_eq!((r["shard"]["index"].as_u64(), r["shard"]["shards"].as_u64()), (Some(1), Some(3)));
    assert_eq!(r["fleet_files"], 10);

    // a shard with no file (more shards than files) has nothing to do
    let run = migrate_into(pg, &db, dir.path(), &[TEMPLATE, ("SHARDS", "12"), ("JOB_COMPLETION_INDEX", "11")]);
    run.assert_code(0).assert_stderr_has("shard 11 of 12 holds no file");
    assert_eq!(loaded(pg, &db), expected([1, 4, 7]));
}

#[test]
fn two_shards_load_side_by_side_into_one_fresh_database() {
    let pg = PgCluster::shared();
    let n = 6;
    let dir = fleet_dir(n, &[]);
    let db = pg.fresh_db();
    // each file waits 1.5 s before its commit, one at a time per process: the two processes surely overlap, and
    // both create the ledger of the fresh database at about the same moment
    let shard = |i: &'static str| {
        spawn_fleet(
            pg,
            &db,
            dir.path(),
            &[
                TEMPLATE,
                ("JOBS", "1"),
                ("SHARDS", "2"),
                ("JOB_COMPLETION_INDEX", i),
                ("SQLITE2PG_TEST_PAUSE", "commit:1.5"),
            ],
        )
    };
    let (a, b) = (shard("0"), shard("1"));
    let (a, _) = a.finish(Duration::from_secs(120));
    let (b, _) = b.finish(Duration::from_secs(120));
    for run in [&a, &b] {
        run.assert_code(0).assert_stderr_has("3 migrated");
        assert!(!run.stderr.contains("holds the migration lock"), "the shards waited for each other:\n{}", run.stderr);
    }
    assert_eq!(loaded(pg, &db), expected(0..n));
    assert_eq!(ledger(pg, &db), expected(0..n));
    // they ran at the same time: each shard's commits fall between the other's first and last
    let overlap = pg.psql(
        &db,
        "WITH s AS (SELECT right(target_schema, 1)::int % 2 AS shard, min(finished_at) AS first, max(finished_at) AS last
                    FROM sqlite2pg.runs GROUP BY 1)
         SELECT (SELECT first FROM s WHERE shard = 0) < (SELECT last FROM s WHERE shard = 1)
            AND (SELECT first FROM s WHERE shard = 1) < (SELECT last FROM s WHERE shard = 0)",
    );
    assert_eq!(overlap, "t", "the two shards did not overlap");
}

#[test]
fn staged_runs_into_two_schemas_at_once_each_use_their_own_staging_schema() {
    let pg = PgCluster::shared();
    let dir = fleet_dir(2, &[]);
    let db = pg.fresh_db();
    // the first run holds its staging schema (paused after creating its tables) while the second runs through
    let mut first = spawn(
        pg,
        &db,
        &file(dir.path(), 0),
        &[("TARGET_SCHEMA", "tenant_t000"), ("JOBS", "4"), ("SQLITE2PG_TEST_PAUSE", "schema:3")],
    );
    first.wait_log("test pause at schema", Duration::from_secs(60));
    let staging =
        pg.psql(&db, "SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'sqlite2pg\\_staging%'");
    assert!(staging.starts_with("sqlite2pg_staging_") && !staging.contains(','), "{staging}");
    let second = migrate_into(pg, &db, &file(dir.path(), 1), &[("TARGET_SCHEMA", "tenant_t001"), ("JOBS", "4")]);
    second.assert_code(0);
    assert!(!second.stderr.contains("removing the schema"), "the second run removed the first's staging schema");
    let (first, _) = first.finish(Duration::from_secs(60));
    first.assert_code(0);
    assert_eq!(loaded(pg, &db), expected(0..2));
    assert_eq!(ledger(pg, &db), expected(0..2));
}
