//! waiting until the database answers an authenticated query, retrying only what can heal by itself

use std::error::Error as _;
use std::time::{Duration, Instant};

use rand::RngExt;

use super::target::{connect_with, Target};

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);
const MAX_ATTEMPT: Duration = Duration::from_secs(5);
/// an attempt gets at least this long, so the deadline may be overshot by up to this much
const MIN_ATTEMPT: Duration = Duration::from_secs(1);

/// SQLSTATEs worth waiting out: starting up, too many connections, shutdown during start.
use crate::error::WaitError;

/// Waits until an authenticated `SELECT 1` succeeds over the configured address, and returns that
/// client and the time waited. Connection refused/reset, DNS failures, timeouts, I/O errors and the
/// SQLSTATEs 57P03, 53300, 57P01, 57P02 are retried with capped exponential backoff (100 ms doubling
/// to 2 s, full jitter); anything else fails at once as [`WaitError::Refused`].
pub(crate) async fn wait_ready(
    target: &Target,
    timeout: Duration,
) -> Result<(tokio_postgres::Client, Duration), WaitError> {
    let start = Instant::now();
    let deadline = start + timeout;
    let mut backoff = FIRST_BACKOFF;
    let mut attempt: u32 = 0;
    log::info!("waiting up to {timeout:.1?} for database {}", target.display());
    loop {
        attempt = attempt.saturating_add(1);
        let per_attempt = deadline.saturating_duration_since(Instant::now()).clamp(MIN_ATTEMPT, MAX_ATTEMPT);
        let (transient, what) = match try_once(target, per_attempt).await {
            Ok(client) => {
                let waited = start.elapsed();
                log::info!("database {} ready after {waited:.1?}", target.display());
                return Ok((client, waited));
            }
            Err(Some(e)) => (is_transient(&e), target.scrub(&super::describe_error(&e))),
            Err(None) => (true, format!("no answer within {per_attempt:.1?}")),
        };
        if !transient {
            return Err(WaitError::Refused { reason: with_tls_context(target, &what) });
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(WaitError::Timeout { waited: start.elapsed(), last: what });
        }
        let pause = rand::rng().random_range(Duration::ZERO..=backoff).min(remaining);
        log::debug!("connection attempt {attempt} to {} failed: {what}; retrying in {pause:.1?}", target.display());
        tokio::time::sleep(pause).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One connect + `SELECT 1`; `Err(None)` when it did not finish in time.
async fn try_once(
    target: &Target,
    per_attempt: Duration,
) -> Result<tokio_postgres::Client, Option<tokio_postgres::Error>> {
    let mut config = target.pg_config().clone();
    config.connect_timeout(per_attempt);
    let attempt = async {
        let client = connect_with(&config, target.tls()).await?;
        client.simple_query("SELECT 1").await?;
        Ok(client)
    };
    match tokio::time::timeout(per_attempt, attempt).await {
        Ok(result) => result.map_err(Some),
        Err(_) => Err(None),
    }
}

fn is_transient(e: &tokio_postgres::Error) -> bool {
    if e.as_db_error().is_some() {
        return crate::error::classify(e) == crate::error::PgClass::Transient;
    }
    let mut cause = e.source();
    while let Some(c) = cause {
        if c.is::<rustls::Error>() {
            return false;
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            // tokio-rustls reports certificate and handshake failures as io errors around a rustls error
            return !io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>());
        }
        cause = c.source();
    }
    // the kind is private; its Display is stable
    matches!(
        e.to_string().as_str(),
        "connection closed"
            | "timeout waiting for server"
            | "error connecting to server"
            | "error communicating with the server"
    )
}

fn with_tls_context(target: &Target, what: &str) -> String {
    let mode = target.ssl_mode();
    if what.starts_with("error performing TLS handshake") {
        let roots = match target.root_cert() {
            _ if !what.contains("invalid peer certificate") => String::new(),
            Some(path) => format!(", sslrootcert={}", path.display()),
            None => ", trusted roots: the public webpki roots (set sslrootcert)".to_string(),
        };
        format!("{what} (sslmode={mode}{roots})")
    } else if what.contains("no pg_hba.conf entry") && what.contains("no encryption") {
        format!("{what}; the server may require TLS (sslmode={mode}): try sslmode=require or verify-full")
    } else {
        what.to_string()
    }
}
