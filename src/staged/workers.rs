//! The pooled worker connections of a staged load: up to JOBS of them, fewer when PostgreSQL refuses more

use std::sync::{Arc, Mutex};

use deadpool_postgres::{Object, PoolError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::error::SqlState;
use tokio_postgres::CancelToken;

use super::STAGING_SCHEMA;
use crate::config::Config;
use crate::ddl::quote_ident;
use crate::error::{Error, Result};

/// `maintenance_work_mem` of each worker connection, in MB: small on purpose. PostgreSQL sorts an index's rows in
/// runs of this size and merges them; runs this small stay in the CPU's cache, and with JOBS builds side by side
/// that matters more than fewer merge passes. Measured on PostgreSQL 15 (bench/README.md): a 3-million-row text
/// index built in 4-5 s with 4 MB and 6-8 s with 64 MB (PostgreSQL's default) or 256 MB, and the whole benchmark
/// run was about 12% faster than with 64 MB. It also keeps PostgreSQL's parallel build workers out (each needs
/// 32 MB): the JOBS connections already fill the cores. Foreign-key checks use it for their join, no slower.
pub const SORT_MEMORY_MB: u64 = 4;

/// The pooled connections, how many may be in use at once, and how to stop what they run.
pub struct Workers {
    pool: deadpool_postgres::Pool,
    /// JOBS permits at first; one is given up for each connection PostgreSQL refuses (too many connections), so
    /// the load goes on with the connections it has.
    slots: Arc<Semaphore>,
    tokens: Mutex<Vec<CancelToken>>,
    tls: crate::connect::MakeTls,
    /// The search path of every worker: the staging schema, then the target schema, as the schema file saw it
    /// (for the functions that triggers run during COPY).
    search_path: String,
}

/// A worker connection in use; dropping it gives the connection back to the pool and its slot back to the others.
pub struct Worker {
    client: Object,
    _slot: OwnedSemaphorePermit,
}

impl std::ops::Deref for Worker {
    type Target = Object;
    fn deref(&self) -> &Object {
        &self.client
    }
}

impl std::ops::DerefMut for Worker {
    fn deref_mut(&mut self) -> &mut Object {
        &mut self.client
    }
}

impl Workers {
    /// The pool for this run's JOBS connections; none is opened yet.
    pub fn new(config: &Config) -> Result<Workers> {
        let pool = config.target.pool(config.jobs).map_err(|e| Error::Other(e.to_string()))?;
        let tls = config.target.make_tls().map_err(|e| Error::Other(e.to_string()))?;
        let search_path = format!("{}, {}", quote_ident(STAGING_SCHEMA), quote_ident(&config.target_schema));
        Ok(Workers { pool, slots: Arc::new(Semaphore::new(config.jobs)), tokens: Mutex::new(Vec::new()), tls, search_path })
    }

    /// Open the first worker connection: false when PostgreSQL accepts none besides the run's own (too many
    /// connections for the server or the role), so that the run loads on its own connection instead.
    pub async fn first(&self) -> Result<bool> {
        match self.get().await {
            Ok(_) => Ok(true),
            Err(Error::Postgres { source, .. }) if source.code() == Some(&SqlState::TOO_MANY_CONNECTIONS) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A connection with the run's session settings (set once, when the pool opens it). When PostgreSQL refuses a
    /// new one for too many connections while others are open, this one waits for one of those instead.
    pub async fn get(&self) -> Result<Worker> {
        loop {
            let slot = self.slots.clone().acquire_owned().await.map_err(|e| Error::Other(format!("connect a worker: {e}")))?;
            let client = match self.pool.get().await {
                Ok(client) => client,
                Err(PoolError::Backend(e)) if e.code() == Some(&SqlState::TOO_MANY_CONNECTIONS) && self.pool.status().size > 0 => {
                    slot.forget();
                    log::warn!(
                        "postgresql refused another connection ({}): going on with {} worker connection(s); set JOBS lower to avoid asking",
                        crate::error::describe_pg(&e),
                        self.pool.status().size
                    );
                    continue;
                }
                Err(PoolError::Backend(e)) => return Err(Error::Postgres { context: "connect a worker".into(), source: e }),
                Err(other) => return Err(Error::Other(format!("connect a worker: {other}"))),
            };
            if Object::metrics(&client).recycle_count == 0 {
                self.prepare(&client).await?;
            }
            return Ok(Worker { client, _slot: slot });
        }
    }

    /// Session settings of a new worker connection, and its cancel token for [`Workers::cancel_all`].
    async fn prepare(&self, client: &tokio_postgres::Client) -> Result<()> {
        crate::connect::session::prepare(client).await.map_err(Error::pg("session settings"))?;
        // staged commits need not wait for the disk: publishing commits synchronously, and that flushes all the
        // write-ahead log before it, theirs included
        let settings = format!("SET maintenance_work_mem = '{SORT_MEMORY_MB}MB'; SET synchronous_commit = off; SET search_path TO {}", self.search_path);
        client.batch_execute(&settings).await.map_err(Error::pg("worker session settings"))?;
        // PostgreSQL 14+: notice within a second that this process is gone (killed), and stop the index build or
        // copy it was running instead of holding its locks on the staging schema until the statement ends
        if let Err(e) = client.batch_execute("SET client_connection_check_interval = '1s'").await {
            if e.code() != Some(&tokio_postgres::error::SqlState::UNDEFINED_OBJECT) {
                return Err(Error::pg("worker session settings")(e));
            }
        }
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).push(client.cancel_token());
        Ok(())
    }

    /// Ask PostgreSQL to stop whatever the workers are running.
    pub async fn cancel_all(&self) {
        let tokens = std::mem::take(&mut *self.tokens.lock().unwrap_or_else(|p| p.into_inner()));
        for token in tokens {
            let _ = token.cancel_query(self.tls.clone()).await;
        }
    }
}

