//! The one error type of a run: a kind (which sets the exit code), its context, and the cause it keeps

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

/// What kind of failure ended a run; the documented exit code follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Bad settings: exit 2.
    Config,
    /// The SQLite file cannot be read as a database, or changed under the run: exit 5.
    Source,
    /// PostgreSQL is not ready in time, or refused us: exit 3.
    Wait,
    /// Another run holds the lock past LOCK_TIMEOUT: exit 6.
    Lock,
    /// The schema cannot be translated or applied: exit 4.
    Schema,
    /// A value, constraint or verification failed: exit 5.
    Data,
    /// PostgreSQL failed while we talked to it: exit 5 when the data is at fault, else 1.
    Postgres,
    /// SIGINT (130) or SIGTERM (143) arrived; the transaction was rolled back.
    Interrupted(Signal),
    /// Anything else: exit 1.
    Other,
}

/// What caused an error, kept as it came.
#[derive(Debug)]
pub(crate) enum Cause {
    Postgres(tokio_postgres::Error),
    Sqlite(rusqlite::Error),
    Io(std::io::Error),
    Wait(WaitError),
    /// A task that panicked or was cancelled.
    Join(tokio::task::JoinError),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Postgres(e) => f.write_str(&describe_pg(e)),
            Cause::Sqlite(e) => e.fmt(f),
            Cause::Io(e) => e.fmt(f),
            Cause::Wait(e) => e.fmt(f),
            Cause::Join(e) => e.fmt(f),
        }
    }
}

impl From<tokio_postgres::Error> for Cause {
    fn from(e: tokio_postgres::Error) -> Cause {
        Cause::Postgres(e)
    }
}

impl From<rusqlite::Error> for Cause {
    fn from(e: rusqlite::Error) -> Cause {
        Cause::Sqlite(e)
    }
}

impl From<std::io::Error> for Cause {
    fn from(e: std::io::Error) -> Cause {
        Cause::Io(e)
    }
}

impl From<tokio::task::JoinError> for Cause {
    fn from(e: tokio::task::JoinError) -> Cause {
        Cause::Join(e)
    }
}

/// Where a run failed: its kind, what it was doing (table, column, SQLite rowid, file) and the cause. None ever
/// holds a row value or a password.
#[derive(Debug)]
pub struct Error {
    kind: Kind,
    context: String,
    cause: Option<Cause>,
    /// Everything found wrong at once, one entry per object (table, column, rowid, constraint); the context lists
    /// them too, for the log.
    problems: Vec<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = match self.kind {
            Kind::Config => "configuration: ",
            Kind::Source => "source ",
            Kind::Wait | Kind::Postgres => "postgresql: ",
            Kind::Lock => "lock: ",
            Kind::Schema => "schema: ",
            Kind::Data => "data: ",
            Kind::Interrupted(signal) => return write!(f, "interrupted by {signal}, nothing committed"),
            Kind::Other => "",
        };
        write!(f, "{prefix}{}", self.message())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.cause.as_ref()? {
            Cause::Postgres(e) => Some(e),
            Cause::Sqlite(e) => Some(e),
            Cause::Io(e) => Some(e),
            Cause::Wait(e) => Some(e),
            Cause::Join(e) => Some(e),
        }
    }
}

impl From<WaitError> for Error {
    fn from(e: WaitError) -> Error {
        Error::new(Kind::Wait, "").because(Cause::Wait(e))
    }
}

/// The signal that stopped a run; nothing it did is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C): exit 130.
    Int,
    /// SIGTERM, as Kubernetes and Docker send to stop a container: exit 143.
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
    /// An error of `kind`, doing `context`.
    fn new(kind: Kind, context: impl Into<String>) -> Error {
        Error { kind, context: context.into(), cause: None, problems: Vec::new() }
    }

    /// Bad settings.
    pub(crate) fn config(context: impl Into<String>) -> Error {
        Error::new(Kind::Config, context)
    }

    /// The SQLite file at `path` (or one of its tables) cannot be read: `reason`.
    pub(crate) fn source(path: impl fmt::Display, reason: impl fmt::Display) -> Error {
        Error::new(Kind::Source, format!("{path}: {reason}"))
    }

    /// Reading `what` of the SQLite file failed; the SQLite error is the cause.
    pub(crate) fn sqlite(what: impl fmt::Display, e: rusqlite::Error) -> Error {
        Error::new(Kind::Source, what.to_string()).because(e)
    }

    pub(crate) fn lock(context: impl Into<String>) -> Error {
        Error::new(Kind::Lock, context)
    }

    pub(crate) fn schema(context: impl Into<String>) -> Error {
        Error::new(Kind::Schema, context)
    }

    pub(crate) fn data(context: impl Into<String>) -> Error {
        Error::new(Kind::Data, context)
    }

    /// A failure of no other kind (a thread that panicked, a runtime that cannot start): exit 1.
    pub fn other(context: impl Into<String>) -> Error {
        Error::new(Kind::Other, context)
    }

    pub(crate) fn interrupted(signal: Signal) -> Error {
        Error::new(Kind::Interrupted(signal), "")
    }

    /// The same error, with its cause kept (and shown after the context).
    pub(crate) fn because(mut self, cause: impl Into<Cause>) -> Error {
        self.cause = Some(cause.into());
        self
    }

    /// The same error, with the problems it lists kept one by one (for the report).
    pub(crate) fn listing(mut self, problems: impl IntoIterator<Item = String>) -> Error {
        self.problems.extend(problems);
        self
    }

    /// The problems the error lists, one per object; empty for an error about one thing.
    pub(crate) fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Wrap a PostgreSQL error with what we were doing.
    pub(crate) fn pg(context: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> Error {
        let context = context.into();
        move |source| Error::new(Kind::Postgres, context).because(source)
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// The context and the cause, without the kind.
    pub(crate) fn message(&self) -> String {
        match &self.cause {
            Some(cause) if self.context.is_empty() => cause.to_string(),
            Some(cause) => format!("{}: {cause}", self.context),
            None => self.context.clone(),
        }
    }

    /// The SQLSTATE of a PostgreSQL cause.
    pub(crate) fn sqlstate(&self) -> Option<&tokio_postgres::error::SqlState> {
        match &self.cause {
            Some(Cause::Postgres(e)) => e.code(),
            _ => None,
        }
    }

    /// The process exit code documented in the README.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Config => 2,
            Kind::Wait => 3,
            Kind::Schema => 4,
            Kind::Source | Kind::Data => 5,
            Kind::Lock => 6,
            Kind::Interrupted(Signal::Int) => 130,
            Kind::Interrupted(Signal::Term) => 143,
            Kind::Postgres => match &self.cause {
                Some(Cause::Postgres(e)) => match classify(e) {
                    PgClass::Other | PgClass::Transient => 1,
                    _ => 5,
                },
                _ => 1,
            },
            Kind::Other => 1,
        }
    }
}

/// What a PostgreSQL error means for a run: the one place SQLSTATEs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PgClass {
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
pub(crate) fn classify(e: &tokio_postgres::Error) -> PgClass {
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
pub(crate) fn describe_pg(e: &tokio_postgres::Error) -> String {
    let mut s = describe_error(e);
    if let Some(c) = e.as_db_error().and_then(|db| db.constraint()) {
        s.push_str(&format!(", constraint \"{c}\""));
    }
    s
}

/// A tokio-postgres error with its causes, on one line. Since tokio-postgres 0.7.15 a server error's
/// `Display` is only "db error": this gives severity, message, SQLSTATE and hint instead. DETAIL is left
/// out because it can quote row values. Scrub the result with `Target::scrub` (postgres::connect) when it may hold a secret.
pub(crate) fn describe_error(e: &tokio_postgres::Error) -> String {
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
pub(crate) enum WaitError {
    /// nothing usable before the deadline; `last` describes the last failure (without the password)
    #[error("database not ready after {waited:.1?}: {last}")]
    Timeout { waited: Duration, last: String },
    /// a failure that waiting cannot fix: bad password, unknown role or database, pg_hba reject, TLS
    #[error("cannot connect to the database: {reason}")]
    Refused { reason: String },
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
