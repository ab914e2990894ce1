//! An application keeps writing to the SQLite file while sqlite2pg migrates it: every read sees one instant

mod live;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::pg::PgCluster;
use crate::support::{migrate_into, snapshot, Run, Scope, EMPTY};
use live::{paired_file, ReadOnly, Writer};

/// Pairs in the file before the writer starts: enough that a run lasts while the writer commits many more.
const PAIRS: u64 = 40_000;

/// Count of `table` in PostgreSQL.
fn count(pg: &PgCluster, db: &str, sql: &str) -> u64 {
    pg.psql(db, sql).parse().unwrap_or_else(|e| panic!("not a count ({e}): {sql}"))
}

/// The checks every live run must pass: equal pairs, no orphan, every row present at the start (the file's `pairs`
/// and the writer's `before`). Returns how many of the writer's pairs were loaded.
fn check_pairs(pg: &PgCluster, db: &str, pairs: u64, before: u64) -> u64 {
    let a = count(pg, db, "SELECT count(*) FROM a");
    let b = count(pg, db, "SELECT count(*) FROM b");
    assert_eq!(a, b, "paired tables differ: a {a}, b {b}");
    assert_eq!(
        count(pg, db, "SELECT count(*) FROM b WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.id = b.a_id)"),
        0,
        "orphans in b"
    );
    assert_eq!(count(pg, db, &format!("SELECT count(*) FROM a WHERE id <= {pairs}")), pairs, "rows of the file lost");
    assert!(
        a >= pairs + before,
        "the writer had committed {before} pairs before the run, only {} are loaded",
        a - pairs
    );
    // the loaded rows are a prefix of the writer's: nothing skipped in between
    assert_eq!(count(pg, db, "SELECT max(id) FROM a"), a, "a gap in a's ids");
    a - pairs
}

/// One run of the binary while the writer writes; gives the run, the writer's commits before it and during it.
fn run_while_writing(pg: &PgCluster, db: &str, path: &Path, jobs: &str) -> (Run, Writer, u64, u64) {
    let writer = Writer::start(path);
    writer.wait_for(20, Duration::from_secs(30));
    let before = writer.commits();
    // a pause inside the run, so that it lasts longer than the writer's busy timeout (0.5 s)
    let run = migrate_into(pg, db, path, &[("JOBS", jobs), ("SQLITE2PG_TEST_PAUSE", "schema:1.5")]);
    let after = writer.commits();
    (run, writer, before, after)
}

/// WAL mode: the run reads one snapshot; the writer goes on, and its later rows are not loaded.
fn live_wal(jobs: &str) -> (String, tempfile::TempDir, std::path::PathBuf) {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let (dir, path) = paired_file("wal", PAIRS);
    let (run, writer, before, after) = run_while_writing(pg, &db, &path, jobs);
    let (total, _) = writer.stop();
    run.assert_code(0).assert_stderr_has("reading the sqlite file as it was at");
    let loaded = check_pairs(pg, &db, PAIRS, before);
    assert!(after > loaded, "the writer committed nothing after the snapshot (loaded {loaded}, {after} by the end): the test proves nothing");
    run.assert_stderr_has("transaction(s) committed after");
    assert!(total >= after);
    (db, dir, path)
}

/// Rollback-journal mode: writers wait for the run's shared lock, then go on.
fn live_rollback(jobs: &str) {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let (_dir, path) = paired_file("delete", PAIRS);
    let (run, writer, before, _) = run_while_writing(pg, &db, &path, jobs);
    // the writer gets through again once the run let go
    let resumed = writer.commits();
    writer.wait_for(resumed + 5, Duration::from_secs(30));
    let (total, busy) = writer.stop();
    run.assert_code(0)
        .assert_stderr_has("holding a shared lock on the sqlite file since")
        .assert_stderr_has("were held off from");
    let loaded = check_pairs(pg, &db, PAIRS, before);
    assert!(busy > 0, "the writer never found the file locked: the test proves nothing");
    assert!(total > loaded);
}

#[test]
fn wal_writer_jobs_1() {
    live_wal("1");
}

#[test]
fn rollback_writer_jobs_1() {
    live_rollback("1");
}

#[test]
fn rollback_writer_jobs_4() {
    live_rollback("4");
}

/// JOBS=4 in WAL mode, then the reruns: the file moved on, so a plain rerun refuses; replace loads it all.
#[test]
fn wal_writer_jobs_4_then_the_source_changed() {
    let pg = PgCluster::shared();
    let (db, _dir, path) = live_wal("4");
    let rerun = migrate_into(pg, &db, &path, &[]);
    rerun
        .assert_code(5)
        .assert_stderr_has("the source changed after it was migrated at")
        .assert_stderr_has("stop the writers, then ON_EXISTING=replace");
    migrate_into(pg, &db, &path, &[("ON_EXISTING", "replace")]).assert_code(0);
    let in_file: u64 = live::sqlite_count(&path, "a");
    assert_eq!(count(pg, &db, "SELECT count(*) FROM a"), in_file);
    assert_eq!(count(pg, &db, "SELECT count(*) FROM b"), in_file);
    migrate_into(pg, &db, &path, &[]).assert_code(0).assert_stderr_has("already migrated");
}

/// A file whose -wal holds committed frames (its writer died), on a read-only mount: read as SQLite sees it, the
/// frames included; a checkpoint later does not make it "changed".
#[test]
fn read_only_mount_with_frames_in_the_wal() {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let (dir, path) = live::died_with_frames(1000, 500);
    let ro = ReadOnly::mount(dir.path());
    let run = migrate_into(pg, &db, &ro.file(&path), &[]);
    run.assert_code(0);
    assert_eq!(count(pg, &db, "SELECT count(*) FROM a"), 1500);
    drop(ro);
    let out = Command::new("sqlite3").arg(&path).arg("PRAGMA wal_checkpoint(truncate)").output().expect("run sqlite3");
    assert!(out.status.success(), "checkpoint: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::metadata(format!("{}-wal", path.display())).map(|m| m.len()).unwrap_or(0), 0);
    migrate_into(pg, &db, &path, &[]).assert_code(0).assert_stderr_has("already migrated");
}

/// The same without its -shm: SQLite cannot read the frames from a read-only folder; exit 5 naming the fixes.
#[test]
fn read_only_mount_with_frames_and_no_shm() {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let (dir, path) = live::died_with_frames(1000, 500);
    std::fs::remove_file(format!("{}-shm", path.display())).expect("remove -shm");
    let ro = ReadOnly::mount(dir.path());
    migrate_into(pg, &db, &ro.file(&path), &[])
        .assert_code(5)
        .assert_stderr_has("checkpoint it first")
        .assert_stderr_has("mount the folder writable");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

/// A hot rollback journal (its writer died mid-transaction) on a read-only mount: exit 5 naming the fixes.
#[test]
fn read_only_mount_with_a_hot_journal() {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let (dir, path) = live::died_mid_transaction();
    let ro = ReadOnly::mount(dir.path());
    migrate_into(pg, &db, &ro.file(&path), &[])
        .assert_code(5)
        .assert_stderr_has("hot rollback journal")
        .assert_stderr_has("mount the folder writable");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

/// A WAL-mode file nobody has open is read without locks; an application that opens and changes it meanwhile
/// makes the run fail with nothing committed, JOBS=1 and JOBS=4.
#[test]
fn unlocked_file_changed_during_the_run() {
    let pg = PgCluster::shared();
    for jobs in ["1", "4"] {
        let db = pg.fresh_db();
        let (_dir, path) = paired_file("wal", 100);
        assert!(!Path::new(&format!("{}-shm", path.display())).exists());
        // a few commits a second into the run, while it pauses; the writer's close checkpoints them into the file
        let writer = Writer::start_after(&path, false, Duration::from_millis(1500), 5);
        let run = migrate_into(pg, &db, &path, &[("JOBS", jobs), ("SQLITE2PG_TEST_PAUSE", "schema:4")]);
        let (total, _) = writer.stop();
        assert!(total > 0, "the writer committed nothing: the test proves nothing");
        run.assert_code(5)
            .assert_stderr_has("reading the sqlite file without locks")
            .assert_stderr_has("another program opened and changed the file during the run");
        assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "JOBS={jobs}");
    }
}

/// A WAL-mode file an application has open but has not written to since its -wal was made: SQLite names no
/// snapshot then, every reader reads the main file alone, and the writes that come during the run stay out.
#[test]
fn wal_writer_that_had_not_written_yet() {
    let pg = PgCluster::shared();
    for jobs in ["1", "4"] {
        let db = pg.fresh_db();
        let (_dir, path) = paired_file("wal", 100);
        let writer = Writer::start_after(&path, true, Duration::from_millis(1500), 5);
        assert!(Path::new(&format!("{}-shm", path.display())).exists(), "the writer has not opened the file");
        let run = migrate_into(pg, &db, &path, &[("JOBS", jobs), ("SQLITE2PG_TEST_PAUSE", "schema:4")]);
        let (total, _) = writer.stop();
        assert_eq!(total, 5, "the writer did not commit: the test proves nothing");
        run.assert_code(0)
            .assert_stderr_has("reading the sqlite file as it was at")
            .assert_stderr_has("the sqlite file moved on during the run");
        assert_eq!(check_pairs(pg, &db, 100, 0), 0, "JOBS={jobs}: rows committed after the run's instant were loaded");
    }
}
