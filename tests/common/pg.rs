//! throwaway postgresql clusters for integration tests (initdb into a temp dir, random port, removed afterwards)

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

const NOT_FOUND: &str =
    "postgresql server binaries not found: install them with `apt-get install postgresql` (or set PG_BINDIR)";

/// TLS certificate and key for the server (PEM files; they are copied into the cluster directory).
#[derive(Clone, Debug)]
pub struct SslFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// How to set up a private cluster.
#[derive(Clone, Debug, Default)]
pub struct ClusterOptions {
    /// turns `ssl = on` with these files
    pub ssl: Option<SslFiles>,
    /// extra `postgresql.conf` lines, appended last (so they win)
    pub extra_conf: Vec<String>,
    /// the whole `pg_hba.conf`; `None` keeps initdb's (trust over the socket, scram-sha-256 over TCP)
    pub hba: Option<String>,
}

/// A throwaway cluster: initdb into a temp dir, a free TCP port on 127.0.0.1, the Unix socket in the temp dir.
/// Dropping it stops the server (immediate) and removes the directory.
pub struct PgCluster {
    bindir: PathBuf,
    data: PathBuf,
    log: PathBuf,
    port: std::sync::atomic::AtomicU16,
    as_postgres: bool,
    dir: tempfile::TempDir,
}

static SHARED: OnceLock<PgCluster> = OnceLock::new();
static DB_COUNTER: AtomicU64 = AtomicU64::new(0);

impl PgCluster {
    pub const SUPERUSER: &'static str = "postgres";
    pub const PASSWORD: &'static str = "harness-pw-7f3c";

    /// One cluster for the whole test binary (tests/it), for tests that work in fresh databases. A watchdog
    /// removes it when the test process exits (statics are never dropped).
    pub fn shared() -> &'static PgCluster {
        SHARED.get_or_init(|| PgCluster::start(ClusterOptions::default()))
    }

    /// A private cluster (for restart, TLS or kill tests), stopped and removed on drop.
    pub fn start(opts: ClusterOptions) -> PgCluster {
        let bindir = find_bindir();
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("pgtest-")
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot create a temp dir for the test cluster: {e}"));
        let root = dir.path().to_path_buf();
        if as_postgres {
            let (uid, gid) = postgres_ids();
            std::fs::set_permissions(&root, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
            std::os::unix::fs::chown(&root, Some(uid), Some(gid)).unwrap();
            let ok = Command::new("runuser")
                .args(["-u", "postgres", "--", "test", "-w"])
                .arg(&root)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "the `postgres` os user cannot write to {} (is a parent directory not traversable? set TMPDIR to e.g. /tmp)", root.display());
        }
        let cluster = PgCluster {
            bindir,
            data: root.join("data"),
            log: root.join("server.log"),
            port: std::sync::atomic::AtomicU16::new(0),
            as_postgres,
            dir,
        };
        cluster.init(&opts);
        cluster.spawn_watchdog();
        cluster.start_with_port_retries();
        cluster
    }

    pub fn port(&self) -> u16 {
        self.port.load(Ordering::SeqCst)
    }
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }
    pub fn data_dir(&self) -> &Path {
        &self.data
    }
    pub fn log_file(&self) -> &Path {
        &self.log
    }

    /// `postgres://postgres:PASSWORD@127.0.0.1:PORT/db`
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{}:{}@127.0.0.1:{}/{}", Self::SUPERUSER, Self::PASSWORD, self.port(), db)
    }

    /// Creates a database with a name unique across threads and processes, returns the name.
    pub fn fresh_db(&self) -> String {
        let n = DB_COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("t_{}_{}_{}", std::process::id(), n, nanos);
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        name
    }

    /// Runs SQL through `psql -X -At -v ON_ERROR_STOP=1` over the socket; panics with stderr on failure.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        self.try_psql(db, sql).unwrap_or_else(|e| panic!("psql failed on {db:?}: {e}\nsql: {sql}"))
    }

    /// Like `psql`, returning stderr on failure. The output has its trailing newline removed.
    pub fn try_psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let psql = self.client_bin("psql");
        let out = Command::new(psql)
            .args(["-X", "-At", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.socket_dir())
            .args(["-p", &self.port().to_string(), "-U", Self::SUPERUSER, "-d", db, "-c", sql])
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .env_remove("PGOPTIONS")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run psql: {e}"))?;
        if out.status.success() {
            let s = String::from_utf8_lossy(&out.stdout);
            Ok(s.strip_suffix('\n').unwrap_or(&s).to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Stops the server (`pg_ctl stop -m fast`).
    pub fn stop(&self) {
        let out = self.pg_ctl(&["stop", "-w", "-m", "fast"]);
        assert!(out.status.success(), "pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Starts the server again on the same port.
    pub fn start_again(&self) {
        if let Err(e) = self.try_start() {
            panic!("{e}");
        }
    }

    pub fn restart(&self) {
        self.stop();
        self.start_again();
    }

    /// The postmaster's pid (first line of postmaster.pid), if it is running.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let s = std::fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        s.lines().next()?.trim().parse().ok()
    }

    fn init(&self, opts: &ClusterOptions) {
        let root = self.dir.path();
        let pwfile = root.join("pwfile");
        std::fs::write(&pwfile, format!("{}\n", Self::PASSWORD)).unwrap();
        self.give(&pwfile);
        let mut cmd = self.server_cmd("initdb");
        cmd.arg("-D").arg(&self.data).args(["-U", Self::SUPERUSER, "--auth-local=trust", "--auth-host=scram-sha-256"]);
        cmd.arg(format!("--pwfile={}", pwfile.display())).args(["-E", "UTF8", "--locale=C", "--no-sync"]);
        let out = run(cmd, "initdb");
        assert!(
            out.status.success(),
            "initdb failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_file(&pwfile);

        let mut conf = vec![
            "listen_addresses = '127.0.0.1'".to_string(),
            format!("unix_socket_directories = '{}'", root.display()),
            "fsync = off".into(),
            "synchronous_commit = off".into(),
            "full_page_writes = off".into(),
            "shared_buffers = 16MB".into(),
            // every test of the binary shares one cluster: a test thread may hold about 20 connections at once
            // (JOBS=16 with its lock and own connection, four runs at once, lock holders and decoys)
            "max_connections = 300".into(),
        ];
        if let Some(ssl) = &opts.ssl {
            let cert = root.join("server.crt");
            let key = root.join("server.key");
            std::fs::copy(&ssl.cert, &cert).unwrap_or_else(|e| panic!("cannot copy {}: {e}", ssl.cert.display()));
            std::fs::copy(&ssl.key, &key).unwrap_or_else(|e| panic!("cannot copy {}: {e}", ssl.key.display()));
            std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
            self.give(&cert);
            self.give(&key);
            conf.push("ssl = on".into());
            conf.push(format!("ssl_cert_file = '{}'", cert.display()));
            conf.push(format!("ssl_key_file = '{}'", key.display()));
        }
        conf.extend(opts.extra_conf.iter().cloned());
        append(&self.data.join("postgresql.conf"), &conf);
        if let Some(hba) = &opts.hba {
            // overwrite in place: keeps the file owned by postgres
            std::fs::write(self.data.join("pg_hba.conf"), hba).unwrap();
        }
    }

    /// Picks a free port and starts; retries with another port if a parallel process took it meanwhile.
    fn start_with_port_retries(&self) {
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            self.port.store(port, Ordering::SeqCst);
            append(&self.data.join("postgresql.conf"), &[format!("port = {port}")]);
            match self.try_start() {
                Ok(()) => return,
                Err(e) if e.contains("could not bind") || e.contains("already in use") => last = e,
                Err(e) => panic!("{e}"),
            }
        }
        panic!("could not find a free port for the test cluster: {last}");
    }

    fn try_start(&self) -> Result<(), String> {
        let log = self.log.display().to_string();
        let out = self.pg_ctl(&["start", "-w", "-t", "60", "-l", &log]);
        if out.status.success() {
            return Ok(());
        }
        let log_text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log_text.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Err(format!(
            "pg_ctl start failed: {}{}\nserver log tail:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            tail.join("\n")
        ))
    }

    fn pg_ctl(&self, args: &[&str]) -> Output {
        let mut cmd = self.server_cmd("pg_ctl");
        cmd.arg("-D").arg(&self.data).args(args);
        run(cmd, "pg_ctl")
    }

    /// Kills the server and removes the directory once the test process is gone (or the dir was removed).
    fn spawn_watchdog(&self) {
        let pg_ctl = self.bindir.join("pg_ctl");
        let stop = if self.as_postgres {
            format!("runuser -u postgres -- '{}' -D '{}' stop -m immediate", pg_ctl.display(), self.data.display())
        } else {
            format!("'{}' -D '{}' stop -m immediate", pg_ctl.display(), self.data.display())
        };
        let dir = self.dir.path().display();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null && [ -d '{dir}' ]; do sleep 1; done; \
             if [ -d '{dir}' ]; then {stop}; rm -rf '{dir}'; fi",
            pid = std::process::id()
        );
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &script]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        // own process group, so a ctrl-c on the test run does not kill the watchdog before it cleans up
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        // detached on purpose: it must outlive this process
        #[allow(clippy::zombie_processes)]
        cmd.spawn().unwrap_or_else(|e| panic!("cannot spawn the cluster watchdog: {e}"));
    }

    fn server_cmd(&self, bin: &str) -> Command {
        let path = self.bindir.join(bin);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn client_bin(&self, bin: &str) -> PathBuf {
        let p = self.bindir.join(bin);
        if p.exists() {
            p
        } else {
            PathBuf::from(bin)
        }
    }

    /// Makes a file we wrote owned by the server's os user.
    fn give(&self, path: &Path) {
        if self.as_postgres {
            let (uid, gid) = postgres_ids();
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
        }
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.data.join("postmaster.pid").exists() {
            let _ = self.pg_ctl(&["stop", "-w", "-m", "immediate"]);
        }
    }
}

fn run(mut cmd: Command, what: &str) -> Output {
    cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run {what}: {e}"))
}

fn append(path: &Path, lines: &[String]) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0: {e}"));
    l.local_addr().unwrap().port()
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap_or_else(|e| panic!("cannot run `id -u`: {e}"));
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn postgres_ids() -> (u32, u32) {
    static IDS: OnceLock<(u32, u32)> = OnceLock::new();
    *IDS.get_or_init(|| {
        let get = |flag: &str| -> Option<u32> {
            let out = Command::new("id").args([flag, "postgres"]).output().ok()?;
            if !out.status.success() {
                return None;
            }
            String::from_utf8_lossy(&out.stdout).trim().parse().ok()
        };
        match (get("-u"), get("-g")) {
            (Some(u), Some(g)) => (u, g),
            _ => panic!(
                "running as root, and initdb refuses root, but there is no `postgres` os user to run the server as: \
                 create it with `useradd --system --user-group --home-dir /var/lib/postgresql postgres` \
                 (or `apt-get install postgresql`, which creates it)"
            ),
        }
    })
}

/// PG_BINDIR, else `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin, else PATH.
fn find_bindir() -> PathBuf {
    static BINDIR: OnceLock<PathBuf> = OnceLock::new();
    BINDIR
        .get_or_init(|| {
            if let Some(d) = std::env::var_os("PG_BINDIR") {
                let d = PathBuf::from(d);
                assert!(d.join("initdb").is_file(), "{NOT_FOUND}: no initdb in PG_BINDIR={}", d.display());
                return d;
            }
            let mut candidates = Vec::new();
            if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
                if out.status.success() {
                    candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
                }
            }
            let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
                .collect();
            versions.sort();
            candidates.extend(versions.into_iter().rev().map(|(_, p)| p));
            if let Some(path) = std::env::var_os("PATH") {
                candidates.extend(std::env::split_paths(&path));
            }
            candidates
                .into_iter()
                .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
                .unwrap_or_else(|| panic!("{NOT_FOUND}"))
        })
        .clone()
}
