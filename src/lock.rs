//! One run at a time per target database: a session advisory lock, polled with a deadline

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use crate::error::{Error, Result};

/// The advisory lock key: "sqlite2pg" folded into a bigint, stable across versions.
pub const LOCK_KEY: i64 = 0x7371_6c69_7465_3270;
const POLL: Duration = Duration::from_millis(250);
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Take the lock on `client`, a dedicated (not pooled) connection that stays open for the whole run; it is
/// released when that connection closes. Polls `pg_try_advisory_lock` rather than blocking, since a blocking
/// lock can deadlock with other tools' `CREATE INDEX CONCURRENTLY`.
pub async fn acquire(client: &Client, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    let mut last_log: Option<Instant> = None;
    loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
            .await
            .map_err(Error::pg("advisory lock"))?
            .get(0);
        if got {
            if !started.elapsed().is_zero() && last_log.is_some() {
                log::info!("got the migration lock after {:.1}s", started.elapsed().as_secs_f64());
            }
            return Ok(());
        }
        let holder = holder_pid(client).await;
        if last_log.is_none_or(|t| t.elapsed() >= LOG_EVERY) {
            log::info!("another sqlite2pg run (postgresql pid {}) holds the migration lock; waiting", holder.map_or("unknown".into(), |p| p.to_string()));
            last_log = Some(Instant::now());
        }
        if started.elapsed() >= timeout {
            return Err(Error::Lock(format!(
                "another run (postgresql pid {}) still holds the migration lock after {}s (LOCK_TIMEOUT)",
                holder.map_or("unknown".into(), |p| p.to_string()),
                timeout.as_secs()
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn holder_pid(client: &Client) -> Option<i32> {
    let hi = i64::from(u32::try_from(LOCK_KEY >> 32).ok()?);
    let lo = i64::from(u32::try_from(LOCK_KEY & 0xffff_ffff).ok()?);
    client
        .query_opt(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2 \
             AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY pid LIMIT 1",
            &[&hi, &lo],
        )
        .await
        .ok()
        .flatten()
        .map(|r| r.get(0))
}
