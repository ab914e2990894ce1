//! the SQLite file itself is wrong: missing, a directory, empty, not a database, damaged, locked, unreadable WAL

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::harness::{expect_success, mount, noise, pg, Case, MountGuard, ROWVALUE};
use crate::support::Fixture;

/// `t(id, s)` with `rows` rows, every one holding the row sentinel: big enough to span many pages.
fn rows_fixture(rows: i64) -> Fixture {
    Fixture::new(&format!(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
         INSERT INTO t SELECT i, '{ROWVALUE}-' || printf('%0150d', i) FROM n;"
    ))
}

fn page_size(bytes: &[u8]) -> usize {
    match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n => usize::from(n),
    }
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    Case::fresh("missing file", &dir.path().join("no-such.sqlite")).expect(2, &["does not exist"]).check();
}

#[test]
fn a_directory() {
    let dir = tempfile::tempdir().unwrap();
    Case::fresh("a directory", dir.path()).expect(2, &["is a directory"]).check();
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.sqlite");
    std::fs::write(&path, b"").unwrap();
    Case::fresh("empty file", &path).expect(5, &["empty", "not a sqlite database"]).check();
}

#[test]
fn not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, format!("{ROWVALUE}: a text file where a database should be\n").repeat(200)).unwrap();
    Case::fresh("not a database", &path).expect(5, &["not a sqlite database"]).check();
}

#[test]
fn truncated_mid_page() {
    let fx = rows_fixture(20_000);
    let bytes = std::fs::read(&fx.path).unwrap();
    let ps = page_size(&bytes);
    let cut = (bytes.len() / 2 / ps) * ps + ps / 2 + 7;
    let path = fx.dir.path().join("cut.sqlite");
    std::fs::write(&path, &bytes[..cut]).unwrap();
    Case::fresh("truncated mid-page", &path).expect(5, &["cut.sqlite", "malformed|corrupt|truncated"]).check();
}

#[test]
fn corrupted_btree_page() {
    let fx = rows_fixture(20_000);
    let mut bytes = std::fs::read(&fx.path).unwrap();
    let ps = page_size(&bytes);
    let pages = bytes.len() / ps;
    assert!(pages > 40, "need a multi-page database, got {pages} pages");
    // the middle half of a leaf page of `t` in the middle of the file: cells (rowids, payload sizes) destroyed
    let page = pages / 2;
    let at = page * ps + ps / 4;
    bytes.splice(at..at + ps / 2, noise(ps / 2, 0x5eed));
    let path = fx.dir.path().join("corrupt.sqlite");
    std::fs::write(&path, &bytes).unwrap();
    Case::fresh("corrupted page", &path).expect(5, &["corrupt.sqlite", "malformed|corrupt"]).check();
}

#[test]
fn encrypted_header() {
    // what SQLCipher and other encrypting VFSes leave: no "SQLite format 3" header, random-looking pages
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.sqlite");
    std::fs::write(&path, noise(16 * 4096, 0xc1fe)).unwrap();
    Case::fresh("encrypted header", &path).expect(5, &["not a sqlite database", "encrypted"]).check();
}

/// A `sqlite3` process holding an EXCLUSIVE lock until dropped.
struct Writer(Child);

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Right behaviour, decided here: SQLite's rollback-journal locking gives a reader nothing consistent while a
/// writer holds EXCLUSIVE (its pages may already be in the file), so sqlite2pg waits briefly (SQLite's busy
/// timeout) and then fails with exit 5 saying the database is locked, within seconds, touching nothing.
#[test]
fn locked_by_a_writer() {
    let fx = rows_fixture(2_000);
    let mut child = Command::new("sqlite3")
        .arg(&fx.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sqlite3 on PATH");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "BEGIN EXCLUSIVE; INSERT INTO t VALUES (99999, '{ROWVALUE}-uncommitted');").unwrap();
    stdin.flush().unwrap();
    child.stdin = Some(stdin);
    let writer = Writer(child);
    // wait until the lock is really held
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let conn = rusqlite::Connection::open_with_flags(&fx.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        conn.busy_timeout(Duration::ZERO).unwrap();
        if conn.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)).is_err() {
            break;
        }
        assert!(Instant::now() < deadline, "the sqlite3 writer never took its lock");
        std::thread::sleep(Duration::from_millis(50));
    }
    Case::fresh("locked by a writer", &fx.path).expect(5, &["app.sqlite", "locked"]).within(30).check();
    drop(writer);
}

/// A WAL-mode file whose -wal holds committed rows, without its -shm, in a folder that is really read-only (a
/// read-only bind mount: root ignores 0555, not EROFS). Right: exit 5 telling to checkpoint (or mount writable);
/// never a silent read of the main file alone (that would lose the -wal's rows).
#[test]
fn wal_without_shm_on_a_read_only_folder() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("src");
    let data = work.path().join("data");
    let ro = work.path().join("ro");
    for d in [&src, &data, &ro] {
        std::fs::create_dir(d).unwrap();
    }
    let db = src.join("app.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);",
    )
    .unwrap();
    conn.execute("INSERT INTO t VALUES (1, ?1)", [ROWVALUE]).unwrap();
    // copied while the writer is still open: the -wal holds the frames, and no -shm is copied
    std::fs::copy(&db, data.join("app.sqlite")).unwrap();
    std::fs::copy(src.join("app.sqlite-wal"), data.join("app.sqlite-wal")).unwrap();
    drop(conn);
    assert!(std::fs::metadata(data.join("app.sqlite-wal")).unwrap().len() > 0);
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    mount(&["--bind", data.to_str().unwrap(), ro.to_str().unwrap()]);
    let _guard = MountGuard { path: ro.clone(), before: None };
    mount(&["-o", "remount,bind,ro", ro.to_str().unwrap()]);
    assert!(std::fs::write(ro.join("probe"), b"x").is_err(), "the bind mount is not read-only");
    Case::fresh("wal without shm, read-only folder", &ro.join("app.sqlite")).expect(5, &["-wal", "checkpoint"]).check();
    let mut names: Vec<String> =
        std::fs::read_dir(&ro).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["app.sqlite", "app.sqlite-wal"]);
}

/// Right behaviour, decided here: a database with no tables migrates nothing and succeeds, but says so with a
/// warning (an init container pointed at the wrong, freshly created file should not pass unnoticed).
#[test]
fn zero_tables() {
    let fx = Fixture::new("PRAGMA user_version = 7;");
    let db = pg().fresh_db();
    let (run, json) = expect_success(&fx.path, &db, &[]);
    assert!(
        run.stderr.contains("WARN") && run.stderr.contains("no tables"),
        "no warning about an empty source:\n{}",
        run.stderr
    );
    assert_eq!(json["total_rows"], 0);
    assert_eq!(pg().psql(&db, "SELECT count(*) FROM sqlite2pg.runs"), "1");
}

#[test]
fn a_table_with_zero_rows() {
    let fx = Fixture::new("CREATE TABLE empty_t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at DATETIME);");
    let db = pg().fresh_db();
    let (run, json) = expect_success(&fx.path, &db, &[]);
    assert!(run.stderr.contains("empty_t"), "{}", run.stderr);
    assert_eq!(json["tables"][0]["table"], "empty_t");
    assert_eq!(json["tables"][0]["source_rows"], 0);
    assert_eq!(json["tables"][0]["copied_rows"], 0);
    assert_eq!(pg().psql(&db, "SELECT count(*) FROM empty_t"), "0");
    // the identity still works for the first new row
    pg().psql(&db, "INSERT INTO empty_t (name) VALUES ('x')");
    assert_eq!(pg().psql(&db, "SELECT id FROM empty_t"), "1");
}

/// A virtual table whose module this SQLite lacks (written into sqlite_master as an extension would have).
fn missing_module_fixture() -> Fixture {
    Fixture::new(&format!(
        "CREATE TABLE ok (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO ok VALUES (1, '{ROWVALUE}');
         PRAGMA writable_schema = ON;
         INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql)
             VALUES ('table', 'vt', 'vt', 0, 'CREATE VIRTUAL TABLE vt USING nosuchmodule(a, b)');
         PRAGMA writable_schema = OFF;"
    ))
}

#[test]
fn virtual_table_with_a_missing_module_is_skipped() {
    let fx = missing_module_fixture();
    let db = pg().fresh_db();
    let (run, json) = expect_success(&fx.path, &db, &[]);
    run.assert_stderr_has("skipped virtual table \"vt\"").assert_stderr_has("nosuchmodule");
    assert_eq!(pg().psql(&db, "SELECT count(*) FROM ok"), "1");
    assert_eq!(pg().psql(&db, "SELECT count(*) FROM pg_class WHERE relname = 'vt'"), "0");
    assert!(json["skipped"].to_string().contains("vt"), "{json}");
}

#[test]
fn virtual_table_with_a_missing_module_under_strict_schema() {
    let fx = missing_module_fixture();
    Case::fresh("missing vtable module, STRICT_SCHEMA", &fx.path)
        .env("STRICT_SCHEMA", "true")
        .expect(4, &["\"vt\"", "nosuchmodule"])
        .check();
}
