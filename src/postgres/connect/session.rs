//! Settings for sqlite2pg's own transactions, whatever the role or database defaults say, set so that none
//! outlives its transaction
//!
//! A connection pooler in transaction mode (PgBouncer and its kind) lends a server connection for one
//! transaction at a time: a session-level `SET`, lock or named prepared statement would stay behind on a server
//! connection that the next client gets, and the next statement of this run may land on another one. So every
//! piece of work runs in an explicit transaction that begins with [`LOCAL_SETTINGS`] (`SET LOCAL`), and nothing
//! that uses the extended protocol runs outside one (tokio-postgres prepares a named statement there, in a
//! round trip of its own, and closes it before the transaction ends).

use tokio_postgres::{Client, Transaction};

/// A role's `statement_timeout` or `idle_in_transaction_session_timeout` would cut a long load short, and the
/// TimeZone must never shift values (all are sent in binary, but expressions like defaults are evaluated here).
/// Notices (`schema "public" already exists, skipping`) are noise in the log.
pub(crate) const LOCAL_SETTINGS: &str = "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0; \
    SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL client_min_messages = warning; \
    SET LOCAL TimeZone = 'UTC'";

/// Begin a transaction with [`LOCAL_SETTINGS`] in force.
pub(crate) async fn begin(client: &mut Client) -> Result<Transaction<'_>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.batch_execute(LOCAL_SETTINGS).await?;
    Ok(tx)
}
