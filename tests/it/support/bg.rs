//! The binary running in the background: its stderr readable while it runs, waited for with deadlines

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Run;

/// The binary running in the background, its stderr going to a file that can be read while it runs.
pub struct Bg {
    pub child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
    started: Instant,
}

pub fn spawn_url(url: &str, sqlite: &Path, extra: &[(&str, &str)]) -> Bg {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("stderr.log");
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sqlite2pg"));
    cmd.env_clear();
    if let Ok(p) = std::env::var("PATH") {
        cmd.env("PATH", p);
    }
    cmd.env("RUST_LOG", "info").env("SQLITE_PATH", sqlite).env("DATABASE_URL", url).env("WAIT_TIMEOUT", "10");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(File::create(dir.path().join("stdout.log")).expect("stdout file")))
        .stderr(Stdio::from(File::create(&log).expect("stderr file")));
    let child = cmd.spawn().expect("spawn sqlite2pg");
    Bg { child, log, _dir: dir, started: Instant::now() }
}

impl Bg {
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill").args(["-s", sig]).arg(self.child.id().to_string()).status().expect("run kill");
        assert!(ok.success(), "kill -s {sig} failed");
    }

    /// Waits until stderr contains `needle`; panics (killing the process) after `timeout`.
    pub fn wait_log(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if self.stderr().contains(needle) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("exited ({status}) before logging {needle:?}:\n{}", self.stderr());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("no {needle:?} in the log after {timeout:?}:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the exit; panics (killing the process) after `timeout`. Returns the run and how long the
    /// process lived in total.
    pub fn finish(mut self, timeout: Duration) -> (Run, Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                let lived = self.started.elapsed();
                let stdout = std::fs::read_to_string(self._dir.path().join("stdout.log")).unwrap_or_default();
                let run = Run { code: status.code().unwrap_or(-1), stdout, stderr: self.stderr() };
                return (run, lived);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("still running after {timeout:?}:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL and reap.
    pub fn kill9(mut self) -> String {
        self.signal("KILL");
        let status = self.child.wait().expect("wait");
        assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9), "not killed by SIGKILL: {status}");
        self.stderr()
    }
}

/// [`spawn_url`] against a database of a test cluster.
pub fn spawn(pg: &crate::common::pg::PgCluster, db: &str, sqlite: &Path, extra: &[(&str, &str)]) -> Bg {
    spawn_url(&pg.url(db), sqlite, extra)
}
