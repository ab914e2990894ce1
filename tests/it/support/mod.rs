//! Shared helpers for the black-box tests: SQLite fixtures, runs of the real binary, the snapshot of a target
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

use crate::common::pg::PgCluster;

pub mod bg;
pub mod snapshot;

pub use snapshot::{snapshot, Scope, EMPTY};

/// A SQLite file built from SQL in a temp dir, kept alive as long as the value.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Fixture {
    pub fn new(sql: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("app.sqlite");
        let conn = rusqlite::Connection::open(&path).expect("create sqlite file");
        conn.execute_batch(sql).expect("fixture sql");
        drop(conn);
        Fixture { dir, path }
    }

    pub fn with(f: impl FnOnce(&rusqlite::Connection)) -> Fixture {
        let fx = Fixture::new("");
        let conn = rusqlite::Connection::open(&fx.path).expect("open sqlite file");
        f(&conn);
        drop(conn);
        fx
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit code\n--- stderr ---\n{}\n--- stdout ---\n{}", self.stderr, self.stdout);
        self
    }

    pub fn assert_stderr_has(&self, needle: &str) -> &Run {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }

    pub fn assert_no_leak(&self, secret: &str) -> &Run {
        assert!(
            !self.stderr.contains(secret) && !self.stdout.contains(secret),
            "output leaks {secret:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// A command for the sqlite2pg binary with a clean environment: only what the test sets.
pub fn sqlite2pg() -> Command {
    let mut cmd = Command::cargo_bin("sqlite2pg").expect("binary built");
    cmd.env_clear();
    if let Ok(p) = std::env::var("PATH") {
        cmd.env("PATH", p);
    }
    cmd.env("RUST_LOG", "info");
    cmd
}

/// Migrate `sqlite` into a fresh database; returns the run and the database name.
pub fn migrate(pg: &PgCluster, sqlite: &Path, extra: &[(&str, &str)]) -> (Run, String) {
    let db = pg.fresh_db();
    let run = migrate_into(pg, &db, sqlite, extra);
    (run, db)
}

pub fn migrate_into(pg: &PgCluster, db: &str, sqlite: &Path, extra: &[(&str, &str)]) -> Run {
    let mut cmd = sqlite2pg();
    cmd.env("SQLITE_PATH", sqlite).env("DATABASE_URL", pg.url(db)).env("WAIT_TIMEOUT", "10");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    Run::from_output(cmd.output().expect("run sqlite2pg"))
}
