//! A throwaway PgBouncer (Debian's package) in front of a test cluster, in session or transaction pooling mode

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::pg::PgCluster;

const NOT_FOUND: &str = "pgbouncer not found: install it with `apt-get install pgbouncer` (or set PGBOUNCER)";

/// How PgBouncer lends server connections to its clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolMode {
    Session,
    Transaction,
}

/// A PgBouncer process listening on 127.0.0.1 on a free port, pooling every database of `PgCluster` with the
/// cluster's superuser. Dropping it stops the process and removes its directory.
pub struct PgBouncer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl PgBouncer {
    /// Starts PgBouncer in `mode` with `pool_size` server connections per database and user.
    pub fn start(pg: &PgCluster, mode: PoolMode, pool_size: u32) -> PgBouncer {
        let bin = find_pgbouncer();
        let dir = tempfile::Builder::new().prefix("pgbouncer-").tempdir().expect("tempdir for pgbouncer");
        let as_postgres = is_root();
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            let ini = write_config(dir.path(), pg, mode, pool_size, port);
            if as_postgres {
                give_to_postgres(dir.path());
            }
            // PgBouncer refuses to run as root. setpriv execs it (so the child is PgBouncer itself, which Drop
            // kills) and has the kernel kill it when this test process dies without dropping it
            let mut cmd = if as_postgres {
                let mut c = Command::new("setpriv");
                c.args(["--reuid=postgres", "--regid=postgres", "--init-groups", "--pdeathsig=KILL", "--"]).arg(&bin);
                c
            } else {
                Command::new(&bin)
            };
            cmd.arg(&ini).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
            let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
            match wait_listening(&mut child, port, &dir.path().join("pgbouncer.log")) {
                Ok(()) => return PgBouncer { child, port, dir },
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    last = e;
                }
            }
        }
        panic!("pgbouncer did not start: {last}");
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres:PASSWORD@127.0.0.1:PGBOUNCER_PORT/db`
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{}:{}@127.0.0.1:{}/{}", PgCluster::SUPERUSER, PgCluster::PASSWORD, self.port, db)
    }

    /// PgBouncer's own log, for assertion messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_config(dir: &Path, pg: &PgCluster, mode: PoolMode, pool_size: u32, port: u16) -> PathBuf {
    let auth = dir.join("userlist.txt");
    std::fs::write(&auth, format!("\"{}\" \"{}\"\n", PgCluster::SUPERUSER, PgCluster::PASSWORD))
        .expect("write userlist");
    let mode = match mode {
        PoolMode::Session => "session",
        PoolMode::Transaction => "transaction",
    };
    let ini = dir.join("pgbouncer.ini");
    let text = format!(
        "[databases]\n* = host=127.0.0.1 port={pg_port}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\n\
         unix_socket_dir =\nauth_type = scram-sha-256\nauth_file = {auth}\npool_mode = {mode}\n\
         default_pool_size = {pool_size}\nmax_client_conn = 200\nlogfile = {log}\npidfile = {pid}\n\
         server_check_delay = 0\nquery_wait_timeout = 60\n",
        pg_port = pg.port(),
        auth = auth.display(),
        log = dir.join("pgbouncer.log").display(),
        pid = dir.join("pgbouncer.pid").display(),
    );
    std::fs::write(&ini, text).expect("write pgbouncer.ini");
    ini
}

/// Waits until PgBouncer accepts TCP connections on `port`; the log tail when it exits or does not in time.
fn wait_listening(child: &mut Child, port: u16, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        let tail = || std::fs::read_to_string(log).unwrap_or_default();
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("pgbouncer exited ({status}):\n{}", tail()));
        }
        if Instant::now() > deadline {
            return Err(format!("pgbouncer not listening on {port} after 15s:\n{}", tail()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn give_to_postgres(dir: &Path) {
    let ok =
        Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir).status().map(|s| s.success()).unwrap_or(false);
    assert!(ok, "cannot give {} to the postgres os user", dir.display());
}

fn find_pgbouncer() -> PathBuf {
    if let Some(p) = std::env::var_os("PGBOUNCER") {
        return PathBuf::from(p);
    }
    ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{NOT_FOUND}"))
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0: {e}"));
    l.local_addr().expect("local addr").port()
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap_or_else(|e| panic!("cannot run `id -u`: {e}"));
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}
