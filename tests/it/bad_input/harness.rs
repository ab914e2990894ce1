//! the bad-input harness: every failing case runs twice (password in DATABASE_URL, then in PGPASSWORD) and is
//! checked for its exit code, its message, secrets that must not leak, and a target left exactly as it was

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::pg::PgCluster;
use crate::support::{snapshot, Run, Scope};

/// The password of the role every case connects as: it must never show up anywhere.
pub const PASSWORD: &str = "Pw-SENTINEL-b4d1np7q";
/// Put into the rows that make a case fail: it must never show up anywhere either.
pub const ROWVALUE: &str = "ROWVALUE-SENTINEL";
/// A superuser with the sentinel password.
pub const ROLE: &str = "bad_input_sentinel";

/// The shared cluster, with the sentinel role created once.
pub fn pg() -> &'static PgCluster {
    static READY: OnceLock<()> = OnceLock::new();
    let pg = PgCluster::shared();
    READY.get_or_init(|| {
        pg.psql("postgres", &format!("CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'"));
    });
    pg
}

/// A name unique in this process, for roles, databases and tablespaces.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{prefix}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst))
}

/// Where a run connects to.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub db: String,
}

impl Endpoint {
    /// The sentinel role on the shared cluster, over TCP (scram-sha-256, so the password is really used).
    pub fn sentinel(db: &str) -> Endpoint {
        Endpoint {
            host: "127.0.0.1".into(),
            port: pg().port(),
            user: ROLE.into(),
            password: PASSWORD.into(),
            db: db.into(),
        }
    }

    pub fn url(&self, with_password: bool) -> String {
        format!("postgres://{}@{}:{}/{}", self.userinfo(with_password), self.host, self.port, self.db)
    }

    fn userinfo(&self, with_password: bool) -> String {
        if with_password {
            format!("{}:{}", self.user, self.password)
        } else {
            self.user.clone()
        }
    }
}

/// Where the password travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// in DATABASE_URL (or in the DATABASE_URL_FILE the case names)
    Url,
    /// in PGPASSWORD, with PGHOST, PGPORT, PGUSER, PGDATABASE; URLs the case sets carry no password
    PgPassword,
}

type Hook = Box<dyn Fn(&Endpoint) + Send + Sync>;

/// One bad input and what must happen. Env values may hold `{url}` (the endpoint's URL, with the password in
/// `Auth::Url` mode), `{userinfo}` (`user:password` or `user`), `{port}` and `{url_file}` (a file holding `{url}`).
pub struct Case {
    pub name: String,
    pub sqlite: PathBuf,
    pub env: Vec<(String, String)>,
    pub endpoint: Endpoint,
    /// The database that must be left exactly as it was; `None` when the endpoint's database does not exist.
    pub watch_db: Option<String>,
    pub code: i32,
    /// Each must be in stderr; `a|b` means either.
    pub messages: Vec<String>,
    /// Strings that must appear in no output and no report (the password and the row sentinel always).
    pub secrets: Vec<String>,
    /// Runs in a thread next to the binary (e.g. to kill its connection).
    pub during: Option<Hook>,
    pub max_seconds: u64,
}

impl Case {
    pub fn new(name: &str, sqlite: &Path, db: &str) -> Case {
        Case {
            name: name.into(),
            sqlite: sqlite.to_path_buf(),
            env: Vec::new(),
            endpoint: Endpoint::sentinel(db),
            watch_db: Some(db.into()),
            code: 0,
            messages: Vec::new(),
            secrets: vec![PASSWORD.into(), ROWVALUE.into()],
            during: None,
            max_seconds: 60,
        }
    }

    /// A case in a fresh database of the shared cluster.
    pub fn fresh(name: &str, sqlite: &Path) -> Case {
        let db = pg().fresh_db();
        Case::new(name, sqlite, &db)
    }

    pub fn env(mut self, key: &str, value: &str) -> Case {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn expect(mut self, code: i32, messages: &[&str]) -> Case {
        self.code = code;
        self.messages = messages.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn secret(mut self, s: &str) -> Case {
        self.secrets.push(s.into());
        self
    }

    pub fn endpoint(mut self, e: Endpoint) -> Case {
        self.secrets.push(e.password.clone());
        self.endpoint = e;
        self
    }

    pub fn watch(mut self, db: Option<&str>) -> Case {
        self.watch_db = db.map(String::from);
        self
    }

    pub fn during(mut self, f: impl Fn(&Endpoint) + Send + Sync + 'static) -> Case {
        self.during = Some(Box::new(f));
        self
    }

    pub fn within(mut self, seconds: u64) -> Case {
        self.max_seconds = seconds;
        self
    }

    /// Both runs, every check; panics naming the case and the mode on the first broken promise.
    pub fn check(&self) {
        assert_ne!(self.code, 0, "{}: use expect_success for cases that must succeed", self.name);
        // everything the run could change, sqlite2pg's ledger and staging schema included
        let before = self.watch_db.as_deref().map(|db| snapshot(pg(), db, Scope::All));
        let sqlite_before = file_digest(&self.sqlite);
        for auth in [Auth::Url, Auth::PgPassword] {
            let started = Instant::now();
            let (run, report) = self.run_once(auth);
            let elapsed = started.elapsed();
            let ctx = format!("case {:?} ({auth:?})", self.name);
            let said = run.stderr.find("ERROR").map_or("", |at| run.stderr[at..].trim_end());
            eprintln!("{ctx}: exit {} in {:.1}s: {said}", run.code, elapsed.as_secs_f64());
            assert_eq!(
                run.code, self.code,
                "{ctx}: exit code\n--- stderr ---\n{}\n--- stdout ---\n{}",
                run.stderr, run.stdout
            );
            for m in &self.messages {
                assert!(m.split('|').any(|alt| run.stderr.contains(alt)), "{ctx}: stderr lacks {m:?}:\n{}", run.stderr);
            }
            for s in &self.secrets {
                assert!(!run.stderr.contains(s.as_str()), "{ctx}: stderr leaks {s:?}:\n{}", run.stderr);
                assert!(!run.stdout.contains(s.as_str()), "{ctx}: stdout leaks {s:?}:\n{}", run.stdout);
                if let Some(r) = &report {
                    assert!(!r.contains(s.as_str()), "{ctx}: REPORT_PATH json leaks {s:?}:\n{r}");
                }
            }
            check_report(&ctx, self.code, report.as_deref());
            assert!(elapsed < Duration::from_secs(self.max_seconds), "{ctx}: took {elapsed:?}");
            if let (Some(db), Some(before)) = (&self.watch_db, &before) {
                assert_eq!(&snapshot(pg(), db, Scope::All), before, "{ctx}: the target changed");
                assert_eq!(
                    pg().psql(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'sqlite2pg'"),
                    "0",
                    "{ctx}: ledger schema created"
                );
            }
            assert_eq!(file_digest(&self.sqlite), sqlite_before, "{ctx}: the sqlite file changed");
        }
    }

    fn run_once(&self, auth: Auth) -> (Run, Option<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let report = dir.path().join("report.json");
        let e = &self.endpoint;
        let url = e.url(auth == Auth::Url);
        let url_file = dir.path().join("database-url");
        std::fs::write(&url_file, &url).expect("write url file");
        let expand = |v: &str| {
            v.replace("{url_file}", &url_file.display().to_string())
                .replace("{url}", &url)
                .replace("{userinfo}", &e.userinfo(auth == Auth::Url))
                .replace("{port}", &e.port.to_string())
        };
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sqlite2pg"));
        cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "info");
        cmd.env("SQLITE_PATH", &self.sqlite).env("WAIT_TIMEOUT", "10").env("REPORT_PATH", &report);
        let sets_url = self.env.iter().any(|(k, _)| k == "DATABASE_URL" || k == "DATABASE_URL_FILE");
        match auth {
            Auth::Url if !sets_url => {
                cmd.env("DATABASE_URL", &url);
            }
            Auth::Url => {}
            Auth::PgPassword => {
                cmd.env("PGHOST", &e.host)
                    .env("PGPORT", e.port.to_string())
                    .env("PGUSER", &e.user)
                    .env("PGPASSWORD", &e.password)
                    .env("PGDATABASE", &e.db);
            }
        }
        for (k, v) in &self.env {
            cmd.env(k, expand(v));
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let child = cmd.spawn().expect("spawn sqlite2pg");
        let out = std::thread::scope(|s| {
            let hook = self.during.as_ref().map(|f| s.spawn(move || f(e)));
            let out = child.wait_with_output().expect("wait for sqlite2pg");
            if let Some(h) = hook {
                h.join().expect("hook thread");
            }
            out
        });
        let report = std::fs::read(&report).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        (Run::from_output(out), report)
    }
}

/// A failing run writes its report (except for configuration errors, found before REPORT_PATH is known to be
/// usable), saying it failed and with which code.
fn check_report(ctx: &str, code: i32, report: Option<&str>) {
    let Some(text) = report else {
        assert_eq!(code, 2, "{ctx}: no REPORT_PATH json written");
        return;
    };
    let json: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{ctx}: report is not json ({e}):\n{text}"));
    assert_eq!(json["exit_code"], code, "{ctx}: report exit_code:\n{text}");
    assert_eq!(json["outcome"], "failed", "{ctx}: report outcome:\n{text}");
    assert!(json["error"].as_str().is_some_and(|e| !e.is_empty()), "{ctx}: report has no error:\n{text}");
}

/// A digest of a file of reasonable size (None for a directory, a missing file or a huge one).
fn file_digest(path: &Path) -> Option<Vec<u8>> {
    use sha2::Digest;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 64 << 20 {
        return None;
    }
    Some(sha2::Sha256::digest(std::fs::read(path).ok()?).to_vec())
}

/// A run that must succeed (sentinel role, password in DATABASE_URL); checks that the password does not leak.
pub fn expect_success(sqlite: &Path, db: &str, env: &[(&str, &str)]) -> (Run, serde_json::Value) {
    expect_success_as(Endpoint::sentinel(db), sqlite, env)
}

/// Like `expect_success`, connecting to `endpoint`.
pub fn expect_success_as(endpoint: Endpoint, sqlite: &Path, env: &[(&str, &str)]) -> (Run, serde_json::Value) {
    let db = endpoint.db.clone();
    let mut c = Case::new("success", sqlite, &db).endpoint(endpoint);
    for (k, v) in env {
        c = c.env(k, v);
    }
    let (run, report) = c.run_once(Auth::Url);
    run.assert_code(0);
    let text = report.unwrap_or_else(|| panic!("no report written:\n{}", run.stderr));
    for s in [PASSWORD, c.endpoint.password.as_str()] {
        run.assert_no_leak(s);
        assert!(!text.contains(s), "report leaks {s:?}:\n{text}");
    }
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("report is not json ({e}):\n{text}"));
    (run, json)
}

/// Deterministic pseudo-random bytes (xorshift), for garbage that is the same on every run.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            u8::try_from(x & 0xff).unwrap_or(0)
        })
        .collect()
}

/// Unmounts (and runs `before` first) when dropped, so a failing assertion does not leave a mount behind.
pub struct MountGuard {
    pub path: PathBuf,
    pub before: Option<Box<dyn FnOnce()>>,
}

impl Drop for MountGuard {
    fn drop(&mut self) {
        if let Some(f) = self.before.take() {
            f();
        }
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// `mount args...`, panicking with its stderr.
pub fn mount(args: &[&str]) {
    let out = Command::new("mount").args(args).output().expect("run mount");
    assert!(out.status.success(), "mount {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}
