//! The one error type of a run, by phase, each mapped to a documented exit code

use std::fmt;

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
    Wait(#[from] crate::connect::WaitError),
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
    Postgres { context: String, #[source] source: tokio_postgres::Error },
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
            Error::Postgres { source, .. } => match source.code().map(|c| &c.code()[..2]) {
                // data exceptions and integrity violations are data errors
                Some("22") | Some("23") => 5,
                _ => 1,
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

/// Describe a PostgreSQL error fully (see [`crate::connect::describe_error`]: message, SQLSTATE, hint; never
/// DETAIL, which can quote row values), plus the constraint's name when there is one.
pub fn describe_pg(e: &tokio_postgres::Error) -> String {
    let mut s = crate::connect::describe_error(e);
    if let Some(c) = e.as_db_error().and_then(|db| db.constraint()) {
        s.push_str(&format!(", constraint \"{c}\""));
    }
    s
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
