//! Black-box runs through a real PgBouncer, in session and in transaction pooling mode: first run, rerun, two
//! runs at once and a killed run, then no lock, prepared statement or session setting left on any server
//! connection of the pool

use std::time::Duration;

use crate::common::pg::PgCluster;
use crate::common::pgbouncer::{PgBouncer, PoolMode};
use crate::support::bg::spawn_url;
use crate::support::{snapshot, Fixture, Run, Scope, EMPTY};

/// Server connections per database in the pool: enough for the lock holder, the run's own connection and
/// JOBS=4 workers, so that transactions of one run wait for each other only as on a busy production pooler.
const POOL: u32 = 6;

/// Database defaults the run must not depend on and must not change on pooled server connections.
const DEFAULTS: &str = "SET statement_timeout = '10min'; SET TimeZone = 'Asia/Tokyo'";

/// Parents and children, a timestamp (TimeZone must not shift it), a foreign key, enough rows for several COPY
/// chunks.
fn fixture(rows: u64) -> Fixture {
    let fx = Fixture::new("");
    let sql = format!(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at DATETIME NOT NULL);
         CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id), note TEXT);
         CREATE INDEX child_parent ON child (parent_id);
         WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {rows})
         INSERT INTO parent SELECT i, printf('p-%06d', i), datetime(1700000000 + i, 'unixepoch') FROM c;
         INSERT INTO child SELECT id, id, 'n' || id FROM parent;"
    );
    let out = std::process::Command::new("sqlite3").arg(&fx.path).arg(&sql).output().expect("run sqlite3");
    assert!(out.status.success(), "sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
    fx
}

/// A database for one test, with the defaults above.
fn database(pg: &PgCluster) -> String {
    let db = pg.fresh_db();
    for setting in DEFAULTS.split("; ") {
        pg.psql("postgres", &format!("ALTER DATABASE \"{db}\" {setting}"));
    }
    db
}

fn run(url: &str, sqlite: &std::path::Path, extra: &[(&str, &str)]) -> Run {
    let (run, _) = spawn_url(url, sqlite, extra).finish(Duration::from_secs(120));
    run
}

/// What the tables must hold, computed by PostgreSQL from the same formula as the fixture.
fn assert_exact(pg: &PgCluster, db: &str, rows: u64) {
    // DATETIME becomes `timestamp` (without time zone): its text does not depend on the session's TimeZone
    assert_eq!(pg.psql(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'parent'::regclass AND attname = 'at'"), "timestamp without time zone");
    let got = pg.psql(
        db,
        "SELECT count(*) || ':' || md5(string_agg(id || '/' || name || '/' || to_char(at, 'YYYY-MM-DD HH24:MI:SS'), ',' ORDER BY id)) FROM parent",
    );
    let want = pg.psql(
        db,
        &format!(
            "SELECT count(*) || ':' || md5(string_agg(i || '/p-' || lpad(i::text, 6, '0') || '/' || \
             to_char(to_timestamp(1700000000 + i) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), ',' ORDER BY i)) \
             FROM generate_series(1, {rows}) i"
        ),
    );
    assert_eq!(got, want, "parent rows");
    assert_eq!(pg.psql(db, "SELECT count(*) FROM child c JOIN parent p ON p.id = c.parent_id"), rows.to_string());
    assert_eq!(pg.psql(db, "SELECT count(*) FROM sqlite2pg.runs"), "1", "one ledger row");
}

/// Advisory locks held in `db` by any backend.
fn advisory_locks(pg: &PgCluster, db: &str) -> String {
    pg.psql("postgres", &format!("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = '{db}')"))
}

/// Nothing of a run outlives it on the server: no advisory lock anywhere, and on every server connection of the
/// pool (all of them pinned at once by as many open transactions) no prepared statement and the database's own
/// settings.
fn assert_nothing_left(pg: &PgCluster, bouncer: &PgBouncer, db: &str) {
    assert_eq!(advisory_locks(pg, db), "0", "advisory locks left");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let seen = rt.block_on(async {
        let mut clients = Vec::new();
        for _ in 0..POOL {
            let (client, conn) = tokio_postgres::connect(&bouncer.url(db), tokio_postgres::NoTls).await.expect("connect through pgbouncer");
            tokio::spawn(async move {
                let _ = conn.await;
            });
            client.simple_query("BEGIN").await.expect("begin");
            clients.push(client);
        }
        let mut seen = Vec::new();
        for client in &clients {
            let sql = "SELECT pg_backend_pid()::text || ' ' || (SELECT count(*) FROM pg_prepared_statements)::text || ' ' || \
                       current_setting('statement_timeout') || ' ' || current_setting('TimeZone') || ' ' || \
                       current_setting('search_path') || ' ' || current_setting('lock_timeout')";
            let rows = client.simple_query(sql).await.expect("inspect the server connection");
            let line = rows
                .iter()
                .find_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                    _ => None,
                })
                .expect("one row");
            seen.push(line);
        }
        seen
    });
    let pids: std::collections::BTreeSet<&str> = seen.iter().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(pids.len(), seen.len(), "each open transaction has its own server connection: {seen:?}");
    for line in &seen {
        let rest = line.split_once(' ').map_or("", |(_, r)| r);
        assert_eq!(
            rest,
            "0 10min Asia/Tokyo \"$user\", public 0",
            "a server connection kept state of the run: {line}\n{}",
            bouncer.log()
        );
    }
}

fn first_run_rerun_and_two_at_once(mode: PoolMode, jobs: &str) {
    let pg = PgCluster::shared();
    let bouncer = PgBouncer::start(pg, mode, POOL);
    let rows = 20_000;
    let fx = fixture(rows);
    let extra = [("JOBS", jobs), ("LOCK_TIMEOUT", "20")];

    let db = database(pg);
    run(&bouncer.url(&db), &fx.path, &extra).assert_code(0);
    assert_exact(pg, &db, rows);
    assert_nothing_left(pg, &bouncer, &db);
    // a rerun finds the ledger row: no lock left behind to wait for
    run(&bouncer.url(&db), &fx.path, &extra).assert_code(0).assert_stderr_has("already migrated");
    assert_exact(pg, &db, rows);
    assert_nothing_left(pg, &bouncer, &db);

    // two replicas at once: one copy
    let db2 = database(pg);
    let a = spawn_url(&bouncer.url(&db2), &fx.path, &extra);
    let b = spawn_url(&bouncer.url(&db2), &fx.path, &extra);
    let (ra, _) = a.finish(Duration::from_secs(120));
    let (rb, _) = b.finish(Duration::from_secs(120));
    ra.assert_code(0);
    rb.assert_code(0);
    assert!(
        ra.stderr.contains("already migrated") != rb.stderr.contains("already migrated"),
        "exactly one of the two runs must have migrated:\n--- a ---\n{}\n--- b ---\n{}",
        ra.stderr,
        rb.stderr
    );
    assert_exact(pg, &db2, rows);
    assert_nothing_left(pg, &bouncer, &db2);
}

fn killed_run_then_rerun(mode: PoolMode, jobs: &str) {
    let pg = PgCluster::shared();
    let bouncer = PgBouncer::start(pg, mode, POOL);
    let rows = 20_000;
    let fx = fixture(rows);
    let db = database(pg);
    let mut bg = spawn_url(&bouncer.url(&db), &fx.path, &[("JOBS", jobs), ("SQLITE2PG_TEST_PAUSE", "copy:60")]);
    bg.wait_log("test pause at copy", Duration::from_secs(60));
    bg.kill9();
    // nothing visible, and the lock went with the killed client's server connection
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while advisory_locks(pg, &db) != "0" {
        assert!(std::time::Instant::now() < deadline, "the killed run's lock is still held 10s later");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY);
    run(&bouncer.url(&db), &fx.path, &[("JOBS", jobs), ("LOCK_TIMEOUT", "20")]).assert_code(0);
    assert_exact(pg, &db, rows);
    assert_nothing_left(pg, &bouncer, &db);
}

#[test]
fn transaction_pooling_parallel_load() {
    first_run_rerun_and_two_at_once(PoolMode::Transaction, "4");
}

#[test]
fn transaction_pooling_one_transaction() {
    first_run_rerun_and_two_at_once(PoolMode::Transaction, "1");
}

#[test]
fn transaction_pooling_killed_run() {
    killed_run_then_rerun(PoolMode::Transaction, "4");
}

#[test]
fn transaction_pooling_killed_one_transaction_run() {
    killed_run_then_rerun(PoolMode::Transaction, "1");
}

#[test]
fn session_pooling() {
    first_run_rerun_and_two_at_once(PoolMode::Session, "4");
    killed_run_then_rerun(PoolMode::Session, "4");
}

/// DIRECT_URL (Prisma's `directUrl`): the migration goes over it, and DATABASE_URL, the application's pooled
/// URL, is not used at all (here it points where nothing listens).
#[test]
fn direct_url_is_what_the_run_uses() {
    let pg = PgCluster::shared();
    let rows = 100;
    let fx = fixture(rows);
    let unused = "postgres://app:app-secret@127.0.0.1:1/nowhere";
    let db = database(pg);
    let direct = pg.url(&db);
    run(unused, &fx.path, &[("DIRECT_URL", &direct), ("WAIT_TIMEOUT", "5")])
        .assert_code(0)
        .assert_no_leak("app-secret");
    assert_exact(pg, &db, rows);

    let db = database(pg);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("direct-url");
    std::fs::write(&file, pg.url(&db)).expect("write the url file");
    run(unused, &fx.path, &[("DIRECT_URL_FILE", file.to_str().expect("utf-8 path")), ("WAIT_TIMEOUT", "5")])
        .assert_code(0);
    assert_exact(pg, &db, rows);
}

/// The application's own schema through a pool in transaction mode: a schema file (staged: applied in the
/// staging schema, loaded side by side, published) and a migrations folder (each file in its own transaction,
/// then the data in one).
#[test]
fn transaction_pooling_with_the_applications_schema() {
    let pg = PgCluster::shared();
    let bouncer = PgBouncer::start(pg, PoolMode::Transaction, POOL);
    let rows = 5_000;
    let fx = fixture(rows);
    let dir = tempfile::tempdir().expect("tempdir");
    let parent = "CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL, at timestamp NOT NULL);";
    let child =
        "CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES parent (id), note text);\n\
                 CREATE INDEX child_parent ON child (parent_id);";
    let file = dir.path().join("schema.sql");
    std::fs::write(&file, format!("{parent}\n{child}\n")).expect("write the schema file");
    let folder = dir.path().join("migrations");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("001_parent.sql"), parent).expect("write a migration");
    std::fs::write(folder.join("002_child.sql"), child).expect("write a migration");
    for schema in [&file, &folder] {
        let db = database(pg);
        let extra = [("SCHEMA", schema.to_str().expect("utf-8 path")), ("JOBS", "4"), ("LOCK_TIMEOUT", "20")];
        run(&bouncer.url(&db), &fx.path, &extra).assert_code(0);
        assert_exact(pg, &db, rows);
        assert_nothing_left(pg, &bouncer, &db);
        run(&bouncer.url(&db), &fx.path, &extra).assert_code(0).assert_stderr_has("already migrated");
        assert_nothing_left(pg, &bouncer, &db);
    }
}
