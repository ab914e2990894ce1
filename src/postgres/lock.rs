//! One run at a time per target schema: a transaction-level advisory lock on a connection of its own, polled
//! with a deadline
//!
//! Each target schema has its own key ([`Key`]), so runs into different schemas of one database (the files of a
//! fleet, the pods of an Indexed Job) go side by side, and runs into the same schema one after the other.
//!
//! When PostgreSQL accepts no connection besides the run's own (too many connections), the lock is taken inside
//! the transaction that then does the whole run on that one connection (`acquire_in`).
//!
//! The lock is `pg_try_advisory_xact_lock` inside a transaction that stays open for the whole run on a dedicated
//! connection, and ends with it. A transaction lock cannot outlive the run on a pooled server connection
//! (PgBouncer in transaction mode keeps the server connection pinned to the client for exactly that
//! transaction); when the process dies, the pooler or the server sees the connection close and rolls back,
//! which releases it. While another run holds it, each poll is a short transaction of its own, so a waiting run
//! pins no server connection of a pool.

use std::time::{Duration, Instant};

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, SimpleQueryMessage, Transaction};

use crate::error::{Error, Result};
use crate::postgres::connect::Target;

/// The advisory lock key of the target schema `public`: "sqlite2pg" folded into a bigint, stable across versions.
pub const LOCK_KEY: i64 = 0x7371_6c69_7465_3270;
/// The first of the two int4 keys of every other target schema's lock ("s2pg"); the second is a hash of its name.
pub const SCHEMA_LOCK_CLASS: i32 = 0x7332_7067;
const POLL: Duration = Duration::from_millis(250);
const LOG_EVERY: Duration = Duration::from_secs(10);

/// The migration lock of one target schema, as PostgreSQL's advisory lock functions take it and `pg_locks` shows
/// it: `public` keeps the one bigint key [`LOCK_KEY`]; any other schema takes the two int4 keys
/// ([`SCHEMA_LOCK_CLASS`], the first four bytes of the SHA-256 of its name). Two schemas whose hashes collide only
/// wait for each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The arguments of `pg_try_advisory_xact_lock(...)`.
    args: String,
    /// `pg_locks.classid`, `objid` and `objsubid` (1 for a bigint key, 2 for two int4 keys).
    classid: u32,
    objid: u32,
    objsubid: u8,
}

impl Key {
    /// The lock of `schema`.
    pub fn of(schema: &str) -> Key {
        use sha2::{Digest, Sha256};
        if schema == "public" {
            let [a, b, c, d, e, f, g, h] = LOCK_KEY.to_be_bytes();
            return Key {
                args: LOCK_KEY.to_string(),
                classid: u32::from_be_bytes([a, b, c, d]),
                objid: u32::from_be_bytes([e, f, g, h]),
                objsubid: 1,
            };
        }
        let digest = Sha256::digest(schema.as_bytes());
        let hash = [digest[0], digest[1], digest[2], digest[3]];
        Key {
            args: format!("{SCHEMA_LOCK_CLASS}, {}", i32::from_be_bytes(hash)),
            classid: u32::from_be_bytes(SCHEMA_LOCK_CLASS.to_be_bytes()),
            objid: u32::from_be_bytes(hash),
            objsubid: 2,
        }
    }

    /// The arguments for PostgreSQL's advisory lock functions: `pg_advisory_lock({args})` holds this lock.
    pub fn args(&self) -> &str {
        &self.args
    }
}

/// The migration lock, held until [`MigrationLock::release`] or until it is dropped (its connection closes and
/// the server rolls its transaction back).
pub(crate) struct MigrationLock {
    client: Client,
}

impl MigrationLock {
    /// End the lock's transaction.
    pub(crate) async fn release(self) {
        if let Err(e) = self.client.batch_execute("COMMIT").await {
            log::debug!("releasing the migration lock: {}", crate::postgres::connect::describe_error(&e));
        }
    }
}

/// Take the lock on a connection of its own, waiting for another run up to `timeout`. None when PostgreSQL
/// refuses that connection for too many connections: then take it with [`acquire_in`].
pub(crate) async fn acquire(target: &Target, key: &Key, timeout: Duration) -> Result<Option<MigrationLock>> {
    let client = match target.connect().await {
        Ok(client) => client,
        Err(e) if e.code() == Some(&SqlState::TOO_MANY_CONNECTIONS) => return Ok(None),
        Err(e) => return Err(Error::pg("connect for the migration lock")(e)),
    };
    poll(&client, key, timeout, Poll::OwnTransactions).await?;
    Ok(Some(MigrationLock { client }))
}

/// Take the lock inside `tx`, which then holds it until it ends.
pub(crate) async fn acquire_in(tx: &Transaction<'_>, key: &Key, timeout: Duration) -> Result<()> {
    poll(tx.client(), key, timeout, Poll::InTransaction).await
}

/// Where each try runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Poll {
    /// In a transaction of its own, rolled back when the lock is taken by another run, so that a waiting run
    /// pins no server connection of a pool; left open when the lock is got.
    OwnTransactions,
    /// In the caller's open transaction.
    InTransaction,
}

/// Try until the lock is got or `timeout` has passed. Polls rather than blocking, since a blocking lock can
/// deadlock with other tools' `CREATE INDEX CONCURRENTLY`. Simple-protocol statements only: nothing is prepared
/// on a server connection this client may not keep.
async fn poll(client: &Client, key: &Key, timeout: Duration, how: Poll) -> Result<()> {
    let started = Instant::now();
    let mut last_log: Option<Instant> = None;
    let try_lock = match how {
        Poll::OwnTransactions => {
            format!(
                "BEGIN; {}; SELECT pg_try_advisory_xact_lock({})",
                crate::postgres::connect::session::LOCAL_SETTINGS,
                key.args
            )
        }
        Poll::InTransaction => format!("SELECT pg_try_advisory_xact_lock({})", key.args),
    };
    loop {
        let got = first_value(&client.simple_query(&try_lock).await.map_err(Error::pg("advisory lock"))?);
        if got.as_deref() == Some("t") {
            if last_log.is_some() {
                log::info!("got the migration lock after {:.1}s", started.elapsed().as_secs_f64());
            }
            return Ok(());
        }
        if how == Poll::OwnTransactions {
            client.batch_execute("ROLLBACK").await.map_err(Error::pg("advisory lock"))?;
        }
        let holder = holder_pid(client, key).await.map_or("unknown".into(), |p| p.to_string());
        if last_log.is_none_or(|t| t.elapsed() >= LOG_EVERY) {
            log::info!("another sqlite2pg run (postgresql pid {holder}) holds the migration lock; waiting");
            last_log = Some(Instant::now());
        }
        if started.elapsed() >= timeout {
            return Err(Error::lock(format!(
                "another run (postgresql pid {holder}) still holds the migration lock after {}s (LOCK_TIMEOUT)",
                timeout.as_secs()
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The backend holding the lock in this database, if it can be seen.
async fn holder_pid(client: &Client, key: &Key) -> Option<i64> {
    let Key { classid, objid, objsubid, .. } = key;
    let sql = format!(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = {classid} \
         AND objid::bigint = {objid} AND objsubid = {objsubid} AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY pid LIMIT 1"
    );
    first_value(&client.simple_query(&sql).await.ok()?)?.parse().ok()
}

/// The first column of the first row of a simple query's answer.
fn first_value(messages: &[SimpleQueryMessage]) -> Option<String> {
    messages.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(row) => row.get(0).map(str::to_string),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn each_target_schema_has_its_own_key_and_public_keeps_the_bigint_one() {
        let public = Key::of("public");
        assert_eq!(public.args(), super::LOCK_KEY.to_string());
        assert_eq!((public.classid, public.objid, public.objsubid), (0x7371_6c69, 0x7465_3270, 1));
        let a = Key::of("tenant_a");
        assert!(a.args().starts_with(&format!("{}, ", super::SCHEMA_LOCK_CLASS)), "{}", a.args());
        assert_eq!((a.classid, a.objsubid), (0x7332_7067, 2));
        assert_ne!(a, Key::of("tenant_b"));
        assert_eq!(a, Key::of("tenant_a"));
    }
}
