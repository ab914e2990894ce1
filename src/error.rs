//! The one error type of a run, by phase, each mapped to a documented exit code

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

/// Where a run failed. Every variant owns its context (table, column, SQLite rowid, file) and keeps its
/// source; none ever holds a row value or a password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad settings: exit 2.
    #[error("configuration: {0}")]
    Config(String),
    /// The SQLite file cannot be read as a database: exit 5.
    #[error("source {path}: {reason}")]
    Source { path: String, reason: String },
    /// PostgreSQL is not ready in time, or refused us: exit 3.
    #[error("postgresql: {0}")]
    Wait(#[from] WaitError),
    /// Another run holds the lock past LOCK_TIMEOUT: exit 6.
    #[error("lock: {0}")]
    Lock(String),
    /// The schema cannot be translated or applied: exit 4.
    #[error("schema: {0}")]
    Schema(String),
    /// A value, constraint or verification failed: exit 5.
    #[error("data: {0}")]
    Data(String),
    /// PostgreSQL failed while we talked to it (connection lost, server error outside the cases above): exit 1.
    #[error("postgresql: {context}: {}", describe_pg(.source))]
    Postgres {
        context: String,
        #[source]
        source: tokio_postgres::Error,
    },
    /// SIGINT (130) or SIGTERM (143) arrived; the transaction was rolled back.
    #[error("interrupted by {0}, nothing committed")]
    Interrupted(Signal),
    /// Anything else: exit 1.
    #[error("{0}")]
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Signal::Int => "sigint",
            Signal::Term => "sigterm",
        })
    }
}

impl Error {
    /// The process exit code documented in the README.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_) => 2,
            Error::Wait(_) => 3,
            Error::Schema(_) => 4,
            Error::Source { .. } | Error::Data(_) => 5,
            Error::Lock(_) => 6,
            Error::Interrupted(Signal::Int) => 130,
            Error::Interrupted(Signal::Term) => 143,
            Error::Postgres { source, .. } => match classify(source) {
                PgClass::Other | PgClass::Transient => 1,
                _ => 5,
            },
            Error::Other(_) => 1,
        }
    }

    /// Wrap a PostgreSQL error with what we were doing.
    pub fn pg(context: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> Error {
        let context = context.into();
        move |source| Error::Postgres { context, source }
    }
}

/// What a PostgreSQL error means for a run: the one place SQLSTATEs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgClass {
    /// A unique key the data breaks (23505).
    UniqueViolation,
    /// NULL in a column that forbids it (23502).
    NotNullViolation,
    /// A row whose parent is missing (23503).
    ForeignKeyViolation,
    /// Any other data exception or integrity violation (classes 22 and 23): the data's fault.
    Data,
    /// The server is starting, shutting down or full (57P01, 57P02, 57P03, 53300): trying again may work.
    Transient,
    /// Anything else, or no SQLSTATE at all (a lost connection).
    Other,
}

/// Classify a PostgreSQL error by its SQLSTATE.
pub fn classify(e: &tokio_postgres::Error) -> PgClass {
    use tokio_postgres::error::SqlState;
    let Some(code) = e.code() else { return PgClass::Other };
    if *code == SqlState::UNIQUE_VIOLATION {
        PgClass::UniqueViolation
    } else if *code == SqlState::NOT_NULL_VIOLATION {
        PgClass::NotNullViolation
    } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
        PgClass::ForeignKeyViolation
    } else if [
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::TOO_MANY_CONNECTIONS,
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
    ]
    .contains(code)
    {
        PgClass::Transient
    } else if matches!(code.code().get(..2), Some("22" | "23")) {
        // a SQLSTATE's first two characters are its class: data exception, integrity constraint violation
        PgClass::Data
    } else {
        PgClass::Other
    }
}

/// Describe a PostgreSQL error fully (see [`describe_error`]: message, SQLSTATE, hint; never
/// DETAIL, which can quote row values), plus the constraint's name when there is one.
pub fn describe_pg(e: &tokio_postgres::Error) -> String {
    let mut s = describe_error(e);
    if let Some(c) = e.as_db_error().and_then(|db| db.constraint()) {
        s.push_str(&format!(", constraint \"{c}\""));
    }
    s
}

/// A tokio-postgres error with its causes, on one line. Since tokio-postgres 0.7.15 a server error's
/// `Display` is only "db error": this gives severity, message, SQLSTATE and hint instead. DETAIL is left
/// out because it can quote row values. Scrub the result with `Target::scrub` (postgres::connect) when it may hold a secret.
pub fn describe_error(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut text = format!("{}: {} (SQLSTATE {})", db.severity(), db.message(), db.code().code());
        if let Some(hint) = db.hint() {
            text.push_str("; hint: ");
            text.push_str(hint);
        }
        return text;
    }
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// nothing usable before the deadline; `last` describes the last failure (without the password)
    #[error("database not ready after {waited:.1?}: {last}")]
    Timeout { waited: Duration, last: String },
    /// a failure that waiting cannot fix: bad password, unknown role or database, pg_hba reject, TLS
    #[error("cannot connect to the database: {reason}")]
    Refused { reason: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
