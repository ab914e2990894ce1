//! Black-box rerun, concurrency, crash and signal tests of the binary against a real PostgreSQL (issue 4)

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::pg::PgCluster;
use crate::support::bg::{spawn, Bg};
use crate::support::{migrate_into, snapshot, Fixture, Run, Scope, EMPTY};

// ---------------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------------

/// A SQLite file with one table `big (id, s, n)` of `rows` generated rows (and optionally a small table
/// `small` first, so a pause after the first table lands between two COPYs). Built with the sqlite3 CLI,
/// which is much faster than the unoptimised bundled SQLite of a debug build.
fn big_fixture(rows: u64, with_small_first: bool) -> Fixture {
    let fx = Fixture::new("");
    let mut sql = String::new();
    if with_small_first {
        // tables are copied in catalog order; `a_small` sorts and is created first
        sql.push_str(
            "CREATE TABLE a_small (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO a_small VALUES (1, 'one'), (2, 'two');",
        );
    }
    sql.push_str(&format!(
        "CREATE TABLE big (id INTEGER PRIMARY KEY, s TEXT NOT NULL, n INTEGER NOT NULL);
         WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {rows})
         INSERT INTO big SELECT i, printf('row-%08d', i), i * 3 FROM c;"
    ));
    let out = Command::new("sqlite3").arg(&fx.path).arg(&sql).output().expect("run sqlite3");
    assert!(out.status.success(), "sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
    fx
}

/// Row count and md5 over every row's text form, in a stable order.
fn checksum(pg: &PgCluster, db: &str, table: &str) -> String {
    pg.psql(
        db,
        &format!(
            "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {table} t"
        ),
    )
}

/// What `big` must hold after an exact migration of `big_fixture(rows, _)`, computed independently by PostgreSQL.
fn expected_big(pg: &PgCluster, db: &str, rows: u64) -> String {
    checksum(
        pg,
        db,
        &format!(
            "(SELECT i AS id, 'row-' || lpad(i::text, 8, '0') AS s, i * 3 AS n FROM generate_series(1, {rows}) i)"
        ),
    )
}

fn ledger_runs(pg: &PgCluster, db: &str) -> String {
    pg.psql(db, "SELECT count(*) FROM sqlite2pg.runs")
}

/// Polls until a COPY into `db` has processed at least one tuple (so the process is in the middle of a COPY).
fn wait_copy_in_progress(pg: &PgCluster, db: &str, bg: &mut Bg, timeout: Duration) -> i64 {
    let deadline = Instant::now() + timeout;
    loop {
        let n: i64 = pg
            .psql(
                "postgres",
                &format!("SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE datname = '{db}'"),
            )
            .parse()
            .expect("a number");
        if n > 0 {
            return n;
        }
        if let Ok(Some(status)) = bg.child.try_wait() {
            panic!("exited ({status}) before a COPY was seen in progress (make the table bigger):\n{}", bg.stderr());
        }
        assert!(Instant::now() < deadline, "no COPY in progress after {timeout:?}:\n{}", bg.stderr());
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until no backend of ours is left in `db` (a killed client's backend notices the closed socket and
/// rolls back), so that later checks see the settled state.
fn wait_backends_gone(pg: &PgCluster, db: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n = pg.psql(
            "postgres",
            &format!("SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"),
        );
        if n == "0" {
            return;
        }
        assert!(Instant::now() < deadline, "{n} backend(s) still in {db} 10s after the client died");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A plain tokio-postgres session for the test itself (a long-lived reader or lock holder).
struct Session {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl Session {
    fn open(pg: &PgCluster, db: &str) -> Session {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
        let client = rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&pg.url(db), tokio_postgres::NoTls).await.expect("connect");
            tokio::spawn(async move {
                let _ = conn.await;
            });
            client
        });
        Session { rt, client }
    }

    /// The first column of the first row, as text ("" when there is none).
    fn one(&self, sql: &str) -> String {
        let msgs = self.rt.block_on(self.client.simple_query(sql)).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        msgs.iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).unwrap_or("").to_string()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

const TWO_TABLES_V1: &str = "
CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id), w TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100)
INSERT INTO a SELECT i, 'v1-' || i FROM c;
INSERT INTO b SELECT id, id, 'v1' FROM a;
";

/// [`checksum`] of `a` and of `b` in one statement, so that a reader's transaction can see them at one instant.
const BOTH_SQL: &str = "SELECT (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM a t) || '|' || \
                        (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM b t)";

// ---------------------------------------------------------------------------------------------------------------
// reruns
// ---------------------------------------------------------------------------------------------------------------

/// What a killed parallel load leaves (a staging schema with half-loaded tables) is removed by the next run of any
/// mode, even one that finds nothing to do, and never shows in the target.
#[test]
fn a_left_staging_schema_is_removed_by_the_next_run() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(TWO_TABLES_V1);
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("JOBS", "1")]).assert_code(0);
    let before = snapshot(pg, &db, Scope::All);
    pg.psql(&db, "CREATE SCHEMA sqlite2pg_staging; CREATE TABLE sqlite2pg_staging.a (id int); INSERT INTO sqlite2pg_staging.a VALUES (1)");
    assert_ne!(snapshot(pg, &db, Scope::Staging), "");
    migrate_into(pg, &db, &fx.path, &[])
        .assert_code(0)
        .assert_stderr_has("an interrupted run left behind")
        .assert_stderr_has("already migrated");
    assert_eq!(snapshot(pg, &db, Scope::Staging), "");
    assert_eq!(snapshot(pg, &db, Scope::All), before);
}

#[test]
fn a_second_run_is_a_fast_no_op() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(TWO_TABLES_V1);
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[]).assert_code(0);
    let data = pg.psql(&db, BOTH_SQL);
    assert!(data.starts_with("100:") && data.contains("|100:"), "{data}");
    let before = snapshot(pg, &db, Scope::All);
    let finished = pg.psql(&db, "SELECT finished_at FROM sqlite2pg.runs");

    let started = Instant::now();
    let run = migrate_into(pg, &db, &fx.path, &[]);
    let took = started.elapsed();
    println!("second run took {took:?}");
    run.assert_code(0).assert_stderr_has("already migrated");
    assert!(!run.stderr.contains("copied"), "a no-op rerun must not copy:\n{}", run.stderr);
    assert!(took < Duration::from_secs(10), "a no-op rerun took {took:?}");
    assert_eq!(snapshot(pg, &db, Scope::All), before, "data changed by a no-op rerun");
    assert_eq!(ledger_runs(pg, &db), "1", "a no-op rerun must not add a ledger run");
    assert_eq!(pg.psql(&db, "SELECT finished_at FROM sqlite2pg.runs"), finished);

    // copying the same file elsewhere (new mtime, new path) is still the same source
    let copy = fx.dir.path().join("copy.sqlite");
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::copy(&fx.path, &copy).unwrap();
    migrate_into(pg, &db, &copy, &[]).assert_code(0).assert_stderr_has("already migrated");
    assert_eq!(snapshot(pg, &db, Scope::All), before);
}

#[test]
fn a_changed_source_is_refused_under_skip_and_reloaded_under_replace() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(TWO_TABLES_V1);
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[]).assert_code(0);
    let v1 = pg.psql(&db, BOTH_SQL);
    let state_v1 = snapshot(pg, &db, Scope::All);

    let conn = rusqlite::Connection::open(&fx.path).unwrap();
    conn.execute_batch("UPDATE a SET v = 'v2-' || id; UPDATE b SET w = 'v2'; INSERT INTO a VALUES (101, 'v2-101'); INSERT INTO b VALUES (101, 101, 'v2');").unwrap();
    drop(conn);

    let run = migrate_into(pg, &db, &fx.path, &[]);
    run.assert_code(5).assert_stderr_has("ON_EXISTING=replace");
    assert_eq!(snapshot(pg, &db, Scope::All), state_v1, "a refused rerun changed data");
    assert_eq!(ledger_runs(pg, &db), "1");

    // ON_EXISTING=fail refuses too
    migrate_into(pg, &db, &fx.path, &[("ON_EXISTING", "fail")]).assert_code(5);
    assert_eq!(snapshot(pg, &db, Scope::All), state_v1);

    // a reader in a REPEATABLE READ transaction that has read both tables before the replace starts
    let reader = Session::open(pg, &db);
    reader.one("BEGIN ISOLATION LEVEL REPEATABLE READ");
    assert_eq!(reader.one(BOTH_SQL), v1);

    // a second one whose snapshot is taken before the replace but which touches the tables only after it
    let late = Session::open(pg, &db);
    late.one("BEGIN ISOLATION LEVEL REPEATABLE READ");
    late.one("SELECT count(*) FROM pg_class");

    let bg = spawn(pg, &db, &fx.path, &[("ON_EXISTING", "replace")]);
    // the replace must wait for the reader's locks (DROP needs ACCESS EXCLUSIVE): see it blocked
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let waiting = pg.psql(
            "postgres",
            &format!("SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}' AND wait_event_type = 'Lock'"),
        );
        if waiting != "0" {
            break;
        }
        assert!(Instant::now() < deadline, "the replace never waited for the reader:\n{}", bg.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
    // while it waits, the reader still sees the old data, and so does anyone else
    assert_eq!(reader.one(BOTH_SQL), v1, "reader saw a mix or new data inside its snapshot");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(reader.one(BOTH_SQL), v1);
    reader.one("COMMIT");

    let (run, _) = bg.finish(Duration::from_secs(60));
    run.assert_code(0);
    // DROP + CREATE is not MVCC-safe: the late snapshot finds the new tables but none of their rows, so it
    // sees both tables empty. That is PostgreSQL's documented behaviour for DDL; what must never happen is a
    // mix (old rows in one table, new or none in the other).
    // (With COPY FREEZE into the new tables, their rows are frozen and such a snapshot sees the new data, whole.)
    let late_saw = late.one(BOTH_SQL);
    println!("a snapshot taken before the replace, read after it, saw {late_saw:?}");
    late.one("COMMIT");
    // a new transaction sees only the new data
    let v2 = reader.one(BOTH_SQL);
    assert!(
        late_saw == v1 || late_saw == v2 || late_saw == "0:|0:",
        "a snapshot from before the replace saw a mix: {late_saw:?} (old {v1:?}, new {v2:?})"
    );
    assert_ne!(v2, v1);
    assert!(v2.starts_with("101:") && v2.contains("|101:"), "{v2}");
    assert_eq!(pg.psql(&db, "SELECT string_agg(DISTINCT left(v, 2), ',') FROM a"), "v2");
    assert_eq!(pg.psql(&db, "SELECT string_agg(DISTINCT w, ',') FROM b"), "v2");
    assert_eq!(ledger_runs(pg, &db), "2");
    // the reload re-created the foreign key
    assert_eq!(
        pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'b'::regclass AND contype = 'f'"),
        "1"
    );

    // and the same file again is a no-op
    let state_v2 = snapshot(pg, &db, Scope::All);
    migrate_into(pg, &db, &fx.path, &[]).assert_code(0).assert_stderr_has("already migrated");
    assert_eq!(pg.psql(&db, BOTH_SQL), v2);
    assert_eq!(snapshot(pg, &db, Scope::All), state_v2);
}

#[test]
fn four_simultaneous_runs_copy_exactly_once() {
    let pg = PgCluster::shared();
    let rows = 200_000;
    let fx = big_fixture(rows, false);
    let db = pg.fresh_db();
    let started = Instant::now();
    let runs: Vec<Bg> = (0..4).map(|_| spawn(pg, &db, &fx.path, &[])).collect();
    let results: Vec<Run> = runs.into_iter().map(|bg| bg.finish(Duration::from_secs(180)).0).collect();
    println!("four runs took {:?}", started.elapsed());
    for r in &results {
        r.assert_code(0);
    }
    let copiers = results.iter().filter(|r| r.stderr.contains(&format!("copied {rows} rows"))).count();
    let skippers = results.iter().filter(|r| r.stderr.contains("already migrated")).count();
    let logs: Vec<&str> = results.iter().map(|r| r.stderr.as_str()).collect();
    assert_eq!((copiers, skippers), (1, 3), "exactly one run copies, the others skip:\n{}", logs.join("\n-----\n"));
    // they really overlapped: at least one run found the lock taken and waited for it
    let waited = results.iter().filter(|r| r.stderr.contains("holds the migration lock; waiting")).count();
    println!("{waited} run(s) waited for the lock");
    assert!(waited >= 1, "no run waited for the lock, so they did not run concurrently:\n{}", logs.join("\n-----\n"));
    assert_eq!(ledger_runs(pg, &db), "1");
    assert_eq!(checksum(pg, &db, "big"), expected_big(pg, &db, rows));
    assert!(checksum(pg, &db, "big").starts_with("200000:"));
}

// ---------------------------------------------------------------------------------------------------------------
// crashes: SIGKILL at each phase leaves the target untouched and the rerun exact
// ---------------------------------------------------------------------------------------------------------------

/// After a crash: nothing at all in the target, then a clean rerun that leaves exact data and one ledger run.
fn assert_untouched_then_rerun_exact(pg: &PgCluster, db: &str, fx: &Fixture, rows: u64) {
    assert_untouched_then_rerun_exact_with(pg, db, fx, rows, &[]);
}

fn assert_untouched_then_rerun_exact_with(pg: &PgCluster, db: &str, fx: &Fixture, rows: u64, env: &[(&str, &str)]) {
    wait_backends_gone(pg, db);
    assert_eq!(snapshot(pg, db, Scope::Visible), EMPTY, "target touched by a killed run");
    let left = !snapshot(pg, db, Scope::Staging).is_empty();
    let started = Instant::now();
    let run = migrate_into(pg, db, &fx.path, env);
    run.assert_code(0);
    assert!(!run.stderr.contains("already migrated"), "{}", run.stderr);
    if left {
        run.assert_stderr_has("an interrupted run left behind");
    }
    // nothing outside what readers see: no staging schema (so the snapshot of all schemas is the visible one)
    assert_eq!(snapshot(pg, db, Scope::Staging), "", "the rerun left the staging schema");
    println!("rerun took {:?}", started.elapsed());
    assert_eq!(checksum(pg, db, "big"), expected_big(pg, db, rows));
    assert_eq!(ledger_runs(pg, db), "1");
    migrate_into(pg, db, &fx.path, env).assert_code(0).assert_stderr_has("already migrated");
}

#[test]
fn sigkill_while_waiting_for_postgresql() {
    let pg = PgCluster::start(Default::default());
    let db = pg.fresh_db();
    let fx = big_fixture(1000, false);
    pg.stop();
    let mut bg = spawn(&pg, &db, &fx.path, &[("WAIT_TIMEOUT", "60")]);
    bg.wait_log("waiting up to", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(700));
    bg.kill9();
    pg.start_again();
    assert_untouched_then_rerun_exact(&pg, &db, &fx, 1000);
}

#[test]
fn sigkill_after_the_schema_step() {
    let pg = PgCluster::shared();
    let fx = big_fixture(1000, false);
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &[("SQLITE2PG_TEST_PAUSE", "schema:60")]);
    bg.wait_log("test pause at schema", Duration::from_secs(20));
    // the staging schema is there, but nothing readers of the target can see
    assert_ne!(snapshot(pg, &db, Scope::Staging), "");
    assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY);
    bg.kill9();
    assert_untouched_then_rerun_exact(pg, &db, &fx, 1000);
}

#[test]
fn sigkill_between_tables_of_the_copy() {
    let pg = PgCluster::shared();
    let rows = 20_000;
    let fx = big_fixture(rows, true);
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &[("SQLITE2PG_TEST_PAUSE", "copy:60")]);
    bg.wait_log("test pause at copy", Duration::from_secs(30));
    assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY);
    bg.kill9();
    assert_untouched_then_rerun_exact(pg, &db, &fx, rows);
    assert_eq!(pg.psql(&db, "SELECT string_agg(v, ',' ORDER BY id) FROM a_small"), "one,two");
}

#[test]
fn sigkill_in_the_middle_of_a_copy() {
    let pg = PgCluster::shared();
    let rows = 1_000_000;
    let fx = big_fixture(rows, false);
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &[]);
    let seen = wait_copy_in_progress(pg, &db, &mut bg, Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(200));
    println!("killing with {seen}+ tuples copied");
    let log = bg.kill9();
    assert!(!log.contains(&format!("copied {rows} rows")), "the copy finished before the kill; make the table bigger");
    assert_untouched_then_rerun_exact(pg, &db, &fx, rows);
}

#[test]
fn sigkill_in_the_middle_of_a_copy_into_a_staged_schema_file() {
    let pg = PgCluster::shared();
    let rows = 1_000_000;
    let fx = big_fixture(rows, false);
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, "CREATE TABLE big (id bigint PRIMARY KEY, s text NOT NULL UNIQUE, n bigint NOT NULL);")
        .unwrap();
    let env = [("SCHEMA", sql.to_str().unwrap())];
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &env);
    let seen = wait_copy_in_progress(pg, &db, &mut bg, Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(200));
    println!("killing with {seen}+ tuples copied");
    let log = bg.kill9();
    assert!(log.contains("applied in the staging schema"), "{log}");
    assert!(!log.contains(&format!("copied {rows} rows")), "the copy finished before the kill; make the table bigger");
    assert_ne!(snapshot(pg, &db, Scope::Staging), "", "the killed run left no staging schema: was it staged?");
    assert_untouched_then_rerun_exact_with(pg, &db, &fx, rows, &env);
    assert_eq!(pg.psql(&db, "SELECT name FROM sqlite2pg.schema_files"), "schema.sql");
}

#[test]
fn sigkill_during_verification() {
    let pg = PgCluster::shared();
    let rows = 5000;
    let fx = big_fixture(rows, false);
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &[("SQLITE2PG_TEST_PAUSE", "verify:60")]);
    bg.wait_log("test pause at verify", Duration::from_secs(30));
    assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY);
    bg.kill9();
    assert_untouched_then_rerun_exact(pg, &db, &fx, rows);
}

#[test]
fn sigkill_just_before_commit() {
    let pg = PgCluster::shared();
    let rows = 5000;
    let fx = big_fixture(rows, false);
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &[("SQLITE2PG_TEST_PAUSE", "commit:60")]);
    bg.wait_log("test pause at commit", Duration::from_secs(30));
    // the tables are moved and the ledger row written, but not committed: invisible too
    assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY);
    bg.kill9();
    assert_untouched_then_rerun_exact(pg, &db, &fx, rows);
}

// ---------------------------------------------------------------------------------------------------------------
// signals: SIGTERM / SIGINT mid-COPY exit promptly with 143 / 130 and commit nothing
// ---------------------------------------------------------------------------------------------------------------

fn signal_mid_copy(sig: &str, code: i32, name: &str) {
    let pg = PgCluster::shared();
    let rows = 1_000_000;
    let fx = big_fixture(rows, false);
    let db = pg.fresh_db();
    let mut bg = spawn(pg, &db, &fx.path, &[]);
    wait_copy_in_progress(pg, &db, &mut bg, Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    bg.signal(sig);
    let (run, _) = bg.finish(Duration::from_secs(30));
    let took = sent.elapsed();
    println!("exit {} {took:?} after SIG{sig}", run.code);
    run.assert_code(code).assert_stderr_has(&format!("interrupted by {name}"));
    assert!(!run.stderr.contains(&format!("copied {rows} rows")), "the copy finished before the signal");
    assert!(took < Duration::from_secs(2), "exit took {took:?} after SIG{sig}");
    assert_untouched_then_rerun_exact(pg, &db, &fx, rows);
}

#[test]
fn sigterm_mid_copy_exits_143_promptly_and_commits_nothing() {
    signal_mid_copy("TERM", 143, "sigterm");
}

#[test]
fn sigint_mid_copy_exits_130_and_commits_nothing() {
    signal_mid_copy("INT", 130, "sigint");
}

#[test]
fn sigterm_while_waiting_for_the_lock_exits_143() {
    let pg = PgCluster::shared();
    let fx = big_fixture(10, false);
    let db = pg.fresh_db();
    let holder = Session::open(pg, &db);
    holder.one(&format!("SELECT pg_advisory_lock({})", sqlite2pg::postgres::lock::LOCK_KEY));
    let mut bg = spawn(pg, &db, &fx.path, &[]);
    bg.wait_log("holds the migration lock", Duration::from_secs(20));
    let sent = Instant::now();
    bg.signal("TERM");
    let (run, _) = bg.finish(Duration::from_secs(30));
    run.assert_code(143);
    assert!(sent.elapsed() < Duration::from_secs(2), "{:?}", sent.elapsed());
    drop(holder);
    assert_untouched_then_rerun_exact(pg, &db, &fx, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// the server restarts mid-COPY
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn server_restart_mid_copy_fails_clearly_and_the_rerun_is_exact() {
    let pg = PgCluster::start(Default::default());
    let rows = 1_000_000;
    let fx = big_fixture(rows, false);
    let db = pg.fresh_db();
    let mut bg = spawn(&pg, &db, &fx.path, &[]);
    wait_copy_in_progress(&pg, &db, &mut bg, Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(200));
    pg.restart();
    let (run, _) = bg.finish(Duration::from_secs(60));
    println!("exit {} after the restart:\n{}", run.code, run.stderr);
    assert_ne!(run.code, 0);
    assert!(!run.stderr.contains(&format!("copied {rows} rows")), "the copy finished before the restart");
    let last_error = run.stderr.lines().rfind(|l| l.contains("ERROR")).unwrap_or("").to_lowercase();
    assert!(
        last_error.contains("postgresql") && last_error.contains("copy into \"big\""),
        "unclear error: {last_error:?}"
    );
    assert!(
        ["terminat", "connection", "closed", "shutdown"].iter().any(|w| last_error.contains(w)),
        "the error does not say the connection was lost: {last_error:?}"
    );
    assert_untouched_then_rerun_exact(&pg, &db, &fx, rows);
}

// ---------------------------------------------------------------------------------------------------------------
// refusals: foreign data, ON_EXISTING=fail, a held lock
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn foreign_rows_without_a_ledger_are_refused() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'from sqlite');");
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t VALUES (42, 'theirs')");
    let theirs = snapshot(pg, &db, Scope::All);
    for mode in ["skip", "fail"] {
        let run = migrate_into(pg, &db, &fx.path, &[("ON_EXISTING", mode)]);
        run.assert_code(5).assert_stderr_has("\"t\"");
        assert_eq!(
            pg.psql(&db, "SELECT id || ':' || v FROM t"),
            "42:theirs",
            "ON_EXISTING={mode} touched foreign data"
        );
        assert_eq!(snapshot(pg, &db, Scope::All), theirs, "ON_EXISTING={mode} created or changed something");
    }
    // replace is the explicit way to overwrite it
    migrate_into(pg, &db, &fx.path, &[("ON_EXISTING", "replace")]).assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT id || ':' || v FROM t"), "1:from sqlite");
    assert_eq!(ledger_runs(pg, &db), "1");
}

#[test]
fn on_existing_fail_refuses_a_migrated_target() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[]).assert_code(0);
    let run = migrate_into(pg, &db, &fx.path, &[("ON_EXISTING", "fail")]);
    run.assert_code(5).assert_stderr_has("ON_EXISTING=fail");
    assert_eq!(checksum(pg, &db, "t"), "2:".to_string() + &pg.psql(&db, "SELECT md5(E'(1)\\n(2)')"));
    assert_eq!(ledger_runs(pg, &db), "1");
}

#[test]
fn a_held_lock_times_out_with_exit_6_naming_the_holder() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
    // the same key held in another database of the same cluster must not be blamed
    // (several, since which of them pg_locks lists first depends on a hash of the lock tag)
    let decoys: Vec<Session> = (0..4)
        .map(|_| {
            let s = Session::open(pg, &pg.fresh_db());
            s.one(&format!("SELECT pg_advisory_lock({})", sqlite2pg::postgres::lock::LOCK_KEY));
            s
        })
        .collect();
    let decoy_pids: Vec<String> = decoys.iter().map(|s| s.one("SELECT pg_backend_pid()")).collect();

    let db = pg.fresh_db();
    let holder = Session::open(pg, &db);
    holder.one(&format!("SELECT pg_advisory_lock({})", sqlite2pg::postgres::lock::LOCK_KEY));
    let pid = holder.one("SELECT pg_backend_pid()");

    let started = Instant::now();
    let run = migrate_into(pg, &db, &fx.path, &[("LOCK_TIMEOUT", "1")]);
    let took = started.elapsed();
    println!("lock timeout run took {took:?}");
    run.assert_code(6);
    for decoy_pid in &decoy_pids {
        assert!(
            !run.stderr.contains(&format!("pid {decoy_pid}")),
            "blamed pid {decoy_pid}, which holds the key in another database, instead of {pid}:\n{}",
            run.stderr
        );
    }
    run.assert_stderr_has(&format!("postgresql pid {pid}"));
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);

    // once the holder is gone, the run goes through
    drop(holder);
    migrate_into(pg, &db, &fx.path, &[("LOCK_TIMEOUT", "10")]).assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT id FROM t"), "1");
    drop(decoys);
}

#[test]
fn a_lock_in_another_database_does_not_block() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
    let other = pg.fresh_db();
    let holder = Session::open(pg, &other);
    holder.one(&format!("SELECT pg_advisory_lock({})", sqlite2pg::postgres::lock::LOCK_KEY));
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("LOCK_TIMEOUT", "1")]).assert_code(0);
    drop(holder);
}

/// ON_EXISTING=replace drops the old tables, but never silently what the application hung on them: a foreign key
/// of one of its own tables is added again and checked against the new rows; a view of its own is refused before
/// anything changes. Both paths: one transaction (JOBS=1) and the staged load.
#[test]
fn replace_keeps_the_foreign_keys_of_other_tables_and_refuses_to_drop_their_views() {
    let pg = PgCluster::shared();
    for jobs in ["1", "4"] {
        let fx = Fixture::new(TWO_TABLES_V1);
        let db = pg.fresh_db();
        let with = |extra: &[(&'static str, &'static str)]| [&[("JOBS", jobs)], extra].concat();
        migrate_into(pg, &db, &fx.path, &with(&[])).assert_code(0);
        pg.psql(
            &db,
            "CREATE TABLE sessions (id int PRIMARY KEY, a_id bigint NOT NULL CONSTRAINT sessions_a_fk REFERENCES a (id) ON DELETE CASCADE);
             INSERT INTO sessions VALUES (1, 5), (2, 7);
             CREATE VIEW report AS SELECT count(*) AS n FROM b;",
        );
        let key = "SELECT string_agg(conname || ' ' || convalidated || ' ' || pg_get_constraintdef(oid), '; ') FROM pg_constraint WHERE conrelid = 'sessions'::regclass AND contype = 'f'";
        let key_before = pg.psql(&db, key);
        assert_eq!(key_before, "sessions_a_fk true FOREIGN KEY (a_id) REFERENCES a(id) ON DELETE CASCADE");
        let conn = rusqlite::Connection::open(&fx.path).unwrap();
        conn.execute_batch("UPDATE a SET v = 'v2-' || id; INSERT INTO a VALUES (101, 'v2-101'); INSERT INTO b VALUES (101, 101, 'v2');").unwrap();
        drop(conn);
        let before = snapshot(pg, &db, Scope::All);

        // the view would go with "b": refused, before any change
        let refused = migrate_into(pg, &db, &fx.path, &with(&[("ON_EXISTING", "replace")]));
        refused.assert_code(4).assert_stderr_has("view public.report").assert_stderr_has("nothing was changed");
        assert_eq!(snapshot(pg, &db, Scope::All), before, "JOBS={jobs}: a refused replace changed data");
        assert_eq!(snapshot(pg, &db, Scope::Staging), "");

        // without the view: replaced, and the application's foreign key is there again, checked
        pg.psql(&db, "DROP VIEW report");
        migrate_into(pg, &db, &fx.path, &with(&[("ON_EXISTING", "replace")]))
            .assert_code(0)
            .assert_stderr_has("sessions_a_fk");
        assert_eq!(pg.psql(&db, "SELECT count(*) || ' ' || min(v) FROM a WHERE v LIKE 'v2-%'"), "101 v2-1");
        assert_eq!(pg.psql(&db, key), key_before, "JOBS={jobs}: the foreign key of sessions was not kept");
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM sessions"), "2");

        // a new source without a row the application's table points at: the key cannot hold, nothing changes
        let conn = rusqlite::Connection::open(&fx.path).unwrap();
        conn.execute_batch("DELETE FROM b WHERE a_id = 7; DELETE FROM a WHERE id = 7;").unwrap();
        drop(conn);
        let before = snapshot(pg, &db, Scope::All);
        migrate_into(pg, &db, &fx.path, &with(&[("ON_EXISTING", "replace")]))
            .assert_code(5)
            .assert_stderr_has("sessions_a_fk");
        assert_eq!(snapshot(pg, &db, Scope::All), before, "JOBS={jobs}: a failed replace changed data");
        assert_eq!(pg.psql(&db, key), key_before);
        assert_eq!(snapshot(pg, &db, Scope::Staging), "");
    }
}
