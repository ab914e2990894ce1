//! Settings for sqlite2pg's own sessions, whatever the role or database defaults say

use tokio_postgres::Client;

/// A role's `statement_timeout` or `idle_in_transaction_session_timeout` would cut a long load short, and the
/// TimeZone must never shift values (all are sent in binary, but expressions like defaults are evaluated here).
/// Notices (`schema "public" already exists, skipping`) are noise in the log.
pub const SESSION_SETTINGS: &str = "SET statement_timeout = 0; SET lock_timeout = 0; \
    SET idle_in_transaction_session_timeout = 0; SET client_min_messages = warning; SET TimeZone = 'UTC'";

pub async fn prepare(client: &Client) -> Result<(), tokio_postgres::Error> {
    client.batch_execute(SESSION_SETTINGS).await
}
