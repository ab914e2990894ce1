//! the database to connect to, from DATABASE_URL, DATABASE_URL_FILE or the libpq PG* variables

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::config::Host;

use super::params;
use super::tls::{MakeTls, Verification};

/// libpq's sslmode. `allow` is accepted as `prefer` (both use TLS opportunistically without verification).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl FromStr for SslMode {
    type Err = TargetError;
    fn from_str(s: &str) -> Result<SslMode, TargetError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "disable" => Ok(SslMode::Disable),
            "allow" | "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            _ => Err(TargetError::BadSslMode { value: s.to_string() }),
        }
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a target could not be built. No variant carries the password or the connection string.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The connection string does not parse.
    #[error("malformed connection string: {reason}")]
    Malformed {
        /// tokio-postgres's reason, with the password scrubbed from it
        reason: String,
    },
    /// The file named by DATABASE_URL_FILE (or DIRECT_URL_FILE) cannot be read.
    #[error("cannot read {variable} {}: {source}", path.display())]
    UnreadableFile {
        /// the setting that names the file
        variable: &'static str,
        /// the file
        path: PathBuf,
        /// why it cannot be read
        source: std::io::Error,
    },
    /// The file named by DATABASE_URL_FILE (or DIRECT_URL_FILE) holds nothing but whitespace.
    #[error("{variable} {} is empty", path.display())]
    EmptyFile {
        /// the setting that names the file
        variable: &'static str,
        /// the file
        path: PathBuf,
    },
    /// An sslmode libpq does not know.
    #[error("invalid sslmode {value:?}: expected disable, allow, prefer, require, verify-ca or verify-full")]
    BadSslMode {
        /// the sslmode as given
        value: String,
    },
    /// A port or connect timeout that is not a number in range.
    #[error("invalid {name} {value:?}")]
    BadValue {
        /// the parameter (PGPORT, PGCONNECT_TIMEOUT)
        name: &'static str,
        /// the value as given
        value: String,
    },
    /// The sslrootcert file cannot be read, is not PEM, or holds no certificate.
    #[error("cannot use sslrootcert {}: {reason}", path.display())]
    UnreadableRootCert {
        /// the sslrootcert file
        path: PathBuf,
        /// what is wrong with it
        reason: String,
    },
    /// rustls refuses the TLS configuration.
    #[error("cannot set up tls: {reason}")]
    Tls {
        /// rustls's reason
        reason: String,
    },
    /// The connection pool of a parallel load cannot be built.
    #[error("cannot build the connection pool: {reason}")]
    Pool {
        /// deadpool's reason
        reason: String,
    },
}

/// Where and how to connect: a tokio-postgres config, the sslmode and the matching TLS connector.
#[derive(Clone)]
pub struct Target {
    config: tokio_postgres::Config,
    ssl_mode: SslMode,
    root_cert: Option<PathBuf>,
    tls: MakeTls,
    /// what a malformed URL's other readings take for the password (an unencoded `@` in it or in a
    /// query value makes tokio-postgres put part of it in the user or host): scrubbed from `display()`
    other_secrets: Vec<String>,
}

/// Connect timeout when neither the URL nor PGCONNECT_TIMEOUT sets one (libpq waits forever).
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Target {
    /// Builds the target from (in order of precedence) `database_url`, the trimmed content of
    /// `database_url_file`, else the libpq variables PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE
    /// PGSSLROOTCERT (plus PGAPPNAME, PGCONNECT_TIMEOUT). As in libpq, PG* variables also fill what the URL
    /// leaves out. An empty `database_url` counts as unset. Accepts `postgres://`, `postgresql://` and
    /// `key=value` strings; `host=/dir` means a Unix socket directory.
    pub fn from_env(
        database_url: Option<&str>,
        database_url_file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, TargetError> {
        Target::from_env_named(database_url, database_url_file, "DATABASE_URL_FILE", env)
    }

    /// [`Target::from_env`] with the connection string from another pair of settings (DIRECT_URL and
    /// DIRECT_URL_FILE): `file_variable` names the file's setting in messages.
    pub(crate) fn from_env_named(
        database_url: Option<&str>,
        database_url_file: Option<&Path>,
        file_variable: &'static str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, TargetError> {
        let conn_str = match database_url.map(str::trim).filter(|s| !s.is_empty()) {
            Some(url) => Some(url.to_string()),
            None => match database_url_file {
                Some(path) => Some(read_url_file(path, file_variable)?),
                None => None,
            },
        };
        let split = match &conn_str {
            Some(s) => params::split(s).map_err(|reason| TargetError::Malformed { reason })?,
            None => params::Split::default(),
        };
        let env = |name: &str| env(name).filter(|v| !v.is_empty());
        let mut rest = split.rest;
        if let Some(ports) = env("PGPORT") {
            let ports: Vec<&str> = ports.split(',').map(str::trim).collect();
            if ports.iter().any(|p| p.parse::<u16>().is_err()) {
                return Err(TargetError::BadValue { name: "PGPORT", value: ports.join(",") });
            }
            if params::is_url(&rest) {
                rest = params::fill_url_ports(&rest, &ports);
            }
        }
        let mut config = if conn_str.is_some() {
            tokio_postgres::Config::from_str(&rest)
                .map_err(|e| TargetError::Malformed { reason: scrub(&super::describe_error(&e), &split.secrets) })?
        } else {
            tokio_postgres::Config::new()
        };
        fill_from_env(&mut config, &env)?;

        let ssl_mode = match split.sslmode.or_else(|| env("PGSSLMODE")) {
            Some(s) => s.parse()?,
            None => SslMode::Prefer,
        };
        let root_cert = split.sslrootcert.or_else(|| env("PGSSLROOTCERT")).map(PathBuf::from);
        let mut target = Target::new(config, ssl_mode, root_cert)?;
        let password = target.password().map(|p| String::from_utf8_lossy(p).into_owned());
        target.other_secrets =
            split.secrets.into_iter().filter(|s| !s.is_empty() && Some(s) != password.as_ref()).collect();
        Ok(target)
    }

    /// A target from a ready tokio-postgres config (its own ssl mode is replaced by `ssl_mode`).
    fn new(
        mut config: tokio_postgres::Config,
        ssl_mode: SslMode,
        root_cert: Option<PathBuf>,
    ) -> Result<Target, TargetError> {
        let unix_only = !config.get_hosts().is_empty()
            && config.get_hostaddrs().is_empty()
            && config.get_hosts().iter().all(|h| !matches!(h, Host::Tcp(_)));
        // the server never offers TLS over a Unix socket; libpq ignores sslmode there
        config.ssl_mode(match ssl_mode {
            _ if unix_only => tokio_postgres::config::SslMode::Disable,
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => tokio_postgres::config::SslMode::Require,
        });
        let tls = MakeTls::new(Verification::for_mode(ssl_mode, root_cert.as_deref()), root_cert.as_deref())?;
        Ok(Target { config, ssl_mode, root_cert, tls, other_secrets: Vec::new() })
    }

    /// `user@host:port/db (sslmode=...)`, without the password.
    pub fn display(&self) -> String {
        let ports = self.config.get_ports();
        let port = |i: usize| ports.get(i).or_else(|| ports.first()).copied().unwrap_or(5432);
        let mut hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .enumerate()
            .map(|(i, h)| match h {
                Host::Tcp(name) if name.contains(':') => format!("[{name}]:{}", port(i)),
                Host::Tcp(name) => format!("{name}:{}", port(i)),
                Host::Unix(dir) => format!("{}:{}", dir.display(), port(i)),
            })
            .collect();
        if hosts.is_empty() {
            let addrs = self.config.get_hostaddrs().iter().enumerate();
            hosts = addrs.map(|(i, a)| format!("{a}:{}", port(i))).collect();
        }
        let shown = format!(
            "{}@{}/{} (sslmode={})",
            self.config.get_user().unwrap_or(""),
            hosts.join(","),
            self.config.get_dbname().unwrap_or(""),
            self.ssl_mode
        );
        // the password itself too, unless it is just the user's or database's name (postgres:postgres@)
        let mut secrets = self.other_secrets.clone();
        if let Some(pw) = self.password().map(|p| String::from_utf8_lossy(p).into_owned()) {
            let names = [self.config.get_user(), self.config.get_dbname()];
            if !names.contains(&Some(pw.as_str())) {
                secrets.push(pw);
            }
        }
        scrub(&shown, &secrets)
    }

    /// The password, so callers can scrub it from messages.
    pub(crate) fn password(&self) -> Option<&[u8]> {
        self.config.get_password()
    }

    /// Replaces every occurrence of the password in `text` (for messages that may quote it).
    pub(crate) fn scrub(&self, text: &str) -> String {
        let secrets: Vec<String> = self
            .password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .into_iter()
            .chain(self.other_secrets.iter().cloned())
            .collect();
        scrub(text, &secrets)
    }

    pub(crate) fn ssl_mode(&self) -> SslMode {
        self.ssl_mode
    }

    pub(crate) fn root_cert(&self) -> Option<&Path> {
        self.root_cert.as_deref()
    }

    pub(crate) fn pg_config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    /// The TLS connector for this sslmode (also usable with deadpool-postgres).
    pub(crate) fn make_tls(&self) -> Result<MakeTls, TargetError> {
        Ok(self.tls.clone())
    }

    pub(crate) fn tls(&self) -> &MakeTls {
        &self.tls
    }

    /// Connects once, TLS per sslmode; the connection runs on a spawned tokio task.
    pub(crate) async fn connect(&self) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        connect_with(&self.config, &self.tls).await
    }

    /// A deadpool pool of up to `size` connections with the same settings and TLS.
    pub(crate) fn pool(&self, size: usize) -> Result<deadpool_postgres::Pool, TargetError> {
        let manager = deadpool_postgres::Manager::from_config(
            self.config.clone(),
            self.tls.clone(),
            deadpool_postgres::ManagerConfig { recycling_method: deadpool_postgres::RecyclingMethod::Fast },
        );
        deadpool_postgres::Pool::builder(manager)
            .max_size(size)
            .build()
            .map_err(|e| TargetError::Pool { reason: e.to_string() })
    }
}

pub(crate) async fn connect_with(
    config: &tokio_postgres::Config,
    tls: &MakeTls,
) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(tls.clone()).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            log::debug!("database connection ended: {}", super::describe_error(&e));
        }
    });
    Ok(client)
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("target", &self.display())
            .field("password", &self.password().map(|_| "<redacted>"))
            .field("root_cert", &self.root_cert)
            .finish_non_exhaustive()
    }
}

fn read_url_file(path: &Path, variable: &'static str) -> Result<String, TargetError> {
    let text = std::fs::read_to_string(path).map_err(|source| TargetError::UnreadableFile {
        variable,
        path: path.to_path_buf(),
        source,
    })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(TargetError::EmptyFile { variable, path: path.to_path_buf() });
    }
    Ok(text.to_string())
}

/// libpq defaults: what the connection string leaves out comes from PG* variables, then built-in defaults.
fn fill_from_env(config: &mut tokio_postgres::Config, env: &dyn Fn(&str) -> Option<String>) -> Result<(), TargetError> {
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        let hosts = env("PGHOST").unwrap_or_else(|| "localhost".to_string());
        for host in hosts.split(',').map(str::trim).filter(|h| !h.is_empty()) {
            config.host(host);
        }
    }
    if config.get_ports().is_empty() {
        let ports = env("PGPORT").unwrap_or_else(|| "5432".to_string());
        for port in ports.split(',').map(str::trim) {
            let bad = || TargetError::BadValue { name: "PGPORT", value: ports.clone() };
            config.port(port.parse().map_err(|_| bad())?);
        }
    }
    if config.get_user().is_none() {
        config.user(env("PGUSER").unwrap_or_else(|| "postgres".to_string()));
    }
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD") {
            config.password(password);
        }
    }
    if config.get_dbname().is_none() {
        let db = env("PGDATABASE").or_else(|| config.get_user().map(str::to_string)).unwrap_or_default();
        config.dbname(db);
    }
    if config.get_application_name().is_none() {
        config.application_name(env("PGAPPNAME").unwrap_or_else(|| "sqlite2pg".to_string()));
    }
    if config.get_connect_timeout().is_none() {
        // libpq: 0 waits forever, other values are at least 2 s
        let timeout = match env("PGCONNECT_TIMEOUT") {
            Some(v) => match v.trim().parse::<u64>() {
                Ok(0) => None,
                Ok(secs) => Some(Duration::from_secs(secs.max(2))),
                Err(_) => return Err(TargetError::BadValue { name: "PGCONNECT_TIMEOUT", value: v }),
            },
            None => Some(DEFAULT_CONNECT_TIMEOUT),
        };
        if let Some(timeout) = timeout {
            config.connect_timeout(timeout);
        }
    }
    Ok(())
}

pub(crate) fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(secret.as_str(), "<redacted>");
    }
    out
}
