//! Helpers of the live-source tests: SQLite files in each journal mode, a writer process, a read-only mount
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A file with tables `a` and `b` (each row of `b` references one of `a`) holding `pairs` pairs, in the given
/// journal mode ("wal" or "delete"), built with the sqlite3 CLI. Its folder goes when the TempDir is dropped.
pub fn paired_file(journal: &str, pairs: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("app.sqlite");
    let sql = format!(
        "PRAGMA journal_mode = {journal};
         CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
         CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a (id), v TEXT NOT NULL);
         WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {pairs})
         INSERT INTO a SELECT i, 'a-' || i FROM c;
         INSERT INTO b SELECT id, id, 'b-' || id FROM a;"
    );
    sqlite3(&path, &sql);
    (dir, path)
}

fn sqlite3(path: &Path, sql: &str) {
    let out = Command::new("sqlite3").arg(path).arg(sql).output().expect("run sqlite3");
    assert!(out.status.success(), "sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Run python3 on `script` with `path`, and check it succeeded.
fn python(script: &str, path: &Path) {
    let out = Command::new("python3").arg("-c").arg(script).arg(path).output().expect("run python3");
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A WAL-mode paired file with `pairs` checkpointed into it and `in_wal` more committed to its -wal by a
/// writer that then died (so the -wal and -shm stay).
pub fn died_with_frames(pairs: u64, in_wal: u64) -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = paired_file("wal", pairs);
    python(
        &format!(
            "import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA wal_autocheckpoint = 0')
c.execute('BEGIN')
for i in range({in_wal}):
    r = c.execute('INSERT INTO a (v) VALUES (?)', ('late',))
    c.execute('INSERT INTO b (a_id, v) VALUES (?, ?)', (r.lastrowid, 'late'))
c.execute('COMMIT')
os._exit(0)"
        ),
        &path,
    );
    let wal = std::fs::metadata(format!("{}-wal", path.display())).map(|m| m.len()).unwrap_or(0);
    assert!(wal > 0, "no frames in the -wal");
    assert!(Path::new(&format!("{}-shm", path.display())).exists(), "no -shm");
    (dir, path)
}

/// A rollback-journal paired file whose writer died in the middle of a transaction that had already written
/// pages into the file: a hot journal is left beside it.
pub fn died_mid_transaction() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = paired_file("delete", 1000);
    python(
        "import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size = 1')
c.execute('BEGIN')
for i in range(300):
    c.execute('INSERT INTO a (v) VALUES (hex(randomblob(3000)))')
os._exit(0)",
        &path,
    );
    let journal = std::fs::metadata(format!("{}-journal", path.display())).map(|m| m.len()).unwrap_or(0);
    assert!(journal > 0, "no hot journal");
    (dir, path)
}

/// `SELECT count(*)` of `table` in the file.
pub fn sqlite_count(path: &Path, table: &str) -> u64 {
    let conn = rusqlite::Connection::open(path).expect("open the sqlite file");
    conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| r.get(0)).expect("count")
}

/// The application: a python3 process writing pairs (tests/live/writer.py).
pub struct Writer {
    child: Child,
    dir: tempfile::TempDir,
}

impl Writer {
    pub fn start(path: &Path) -> Writer {
        Writer::spawn(path, &[])
    }

    /// A writer that opens the file (with `open_first`) or not, waits `delay`, then commits `most` pairs and
    /// closes the file.
    pub fn start_after(path: &Path, open_first: bool, delay: Duration, most: u64) -> Writer {
        let mut args = vec!["--delay".to_string(), delay.as_secs_f64().to_string(), "--most".into(), most.to_string()];
        if open_first {
            args.push("--open-first".into());
        }
        Writer::spawn(path, &args)
    }

    fn spawn(path: &Path, extra: &[String]) -> Writer {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/live/writer.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(path)
            .arg(dir.path().join("progress"))
            .arg(dir.path().join("stop"))
            .args(extra)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn python3");
        let writer = Writer { child, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !writer.dir.path().join("progress").exists() {
            assert!(Instant::now() < deadline, "the writer did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        writer
    }

    /// (commits, commits that found the file locked) so far.
    fn progress(&self) -> (u64, u64) {
        let text = std::fs::read_to_string(self.dir.path().join("progress")).unwrap_or_default();
        let mut parts = text.split_whitespace().map(|n| n.parse::<u64>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    }

    pub fn commits(&self) -> u64 {
        self.progress().0
    }

    /// Wait until the writer has committed `n` pairs; panics after `timeout`.
    pub fn wait_for(&self, n: u64, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.commits() < n {
            assert!(
                Instant::now() < deadline,
                "the writer committed only {} of {n} pairs in {timeout:?}",
                self.commits()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Stop the writer and wait for it; gives (commits, commits that found the file locked).
    pub fn stop(mut self) -> (u64, u64) {
        std::fs::write(self.dir.path().join("stop"), b"").expect("write the stop file");
        let out = self.child.wait().expect("wait for the writer");
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        assert!(out.success(), "the writer failed: {err}");
        self.progress()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A read-only bind mount of a folder, unmounted when dropped.
pub struct ReadOnly {
    at: PathBuf,
}

impl ReadOnly {
    /// Mount `dir` read-only beside itself. Fails the test, saying why, when it cannot: the tests run as root.
    pub fn mount(dir: &Path) -> ReadOnly {
        let at = PathBuf::from(format!("{}-ro", dir.display()));
        std::fs::create_dir_all(&at).expect("create the mount point");
        let run = |args: &[&str]| {
            let out = Command::new("mount").args(args).output().unwrap_or_else(|e| panic!("cannot run mount: {e}"));
            assert!(
                out.status.success(),
                "mount {args:?} failed: {}; this test needs root and bind mounts (CI runs the tests as root)",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let (from, to) = (dir.to_string_lossy().into_owned(), at.to_string_lossy().into_owned());
        run(&["--bind", &from, &to]);
        let ro = ReadOnly { at };
        run(&["-o", "remount,bind,ro", &to]);
        assert!(std::fs::write(ro.at.join("probe"), b"").is_err(), "the mount at {to} is writable");
        ro
    }

    /// Where `file` (in the mounted folder) is seen through the read-only mount.
    pub fn file(&self, file: &Path) -> PathBuf {
        self.at.join(file.file_name().expect("a file name"))
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
        let _ = std::fs::remove_dir(&self.at);
    }
}
