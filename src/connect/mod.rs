//! connecting to postgresql: the target from the environment, TLS per sslmode, waiting until it is ready

mod params;
pub mod session;
mod target;
mod tls;
mod wait;

pub use target::{SslMode, Target, TargetError};
pub use tls::MakeTls;
pub use wait::{wait_ready, WaitError};

use std::error::Error as _;

/// A tokio-postgres error with its causes, on one line. Since tokio-postgres 0.7.15 a server error's
/// `Display` is only "db error": this gives severity, message, SQLSTATE and hint instead. DETAIL is left
/// out because it can quote row values. Scrub the result with [`Target::scrub`] when it may hold a secret.
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

#[cfg(test)]
mod tests;
