//! The pooled worker connections of a staged load: up to JOBS of them, fewer when PostgreSQL refuses more

use std::sync::{Arc, Mutex};

use deadpool_postgres::{Object, PoolError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::error::SqlState;
use tokio_postgres::CancelToken;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ident::quote_ident;

/// `maintenance_work_mem` of each worker connection, in MB: small on purpose. PostgreSQL sorts an index's rows in
/// runs of this size and merges them; runs this small stay in the CPU's cache, and with JOBS builds side by side
/// that matters more than fewer merge passes. Measured on PostgreSQL 15 (bench/README.md): a 3-million-row text
/// index built in 4-5 s with 4 MB and 6-8 s with 64 MB (PostgreSQL's default) or 256 MB, and the whole benchmark
/// run was about 12% faster than with 64 MB. It also keeps PostgreSQL's parallel build workers out (each needs
/// 32 MB): the JOBS connections already fill the cores. Foreign-key checks use it for their join, no slower.
const SORT_MEMORY_MB: u64 = 4;

/// The pooled connections, how many may be in use at once, and how to stop what they run.
pub(crate) struct Workers {
    pool: deadpool_postgres::Pool,
    /// The staging schema of the run's target schema.
    staging: String,
    /// JOBS permits at first; one is given up for each connection PostgreSQL refuses (too many connections), so
    /// the load goes on with the connections it has.
    slots: Arc<Semaphore>,
    tokens: Mutex<Vec<CancelToken>>,
    tls: crate::postgres::connect::MakeTls,
    /// What each worker transaction sets first: the run's settings, the sort memory, the search path (the
    /// staging schema, then the target schema, as the schema file saw it, for the functions that triggers run
    /// during COPY); staged commits need not wait for the disk (publishing commits synchronously, and that
    /// flushes all the write-ahead log before it, theirs included).
    settings: std::sync::OnceLock<Arc<str>>,
    search_path: String,
    jobs: usize,
}

/// A worker connection in use; dropping it gives the connection back to the pool and its slot back to the others.
/// Its work runs in transactions from [`Worker::begin`], which carry the worker's settings.
pub(crate) struct Worker {
    client: Object,
    settings: Arc<str>,
    _slot: OwnedSemaphorePermit,
}

impl Worker {
    /// A transaction with the run's settings and the worker's own (sort memory, search path), all `SET LOCAL`.
    pub(crate) async fn begin(&mut self) -> Result<deadpool_postgres::Transaction<'_>> {
        let tx = self.client.transaction().await.map_err(Error::pg("begin"))?;
        tx.batch_execute(&self.settings).await.map_err(Error::pg("worker settings"))?;
        Ok(tx)
    }
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
    pub(crate) fn new(config: &Config) -> Result<Workers> {
        let pool = config.target.pool(config.jobs).map_err(|e| Error::other(e.to_string()))?;
        let tls = config.target.make_tls().map_err(|e| Error::other(e.to_string()))?;
        let staging = crate::postgres::staging_schema(&config.target_schema);
        let search_path = format!("{}, {}", quote_ident(&staging), quote_ident(&config.target_schema));
        Ok(Workers {
            pool,
            slots: Arc::new(Semaphore::new(config.jobs)),
            tokens: Mutex::new(Vec::new()),
            tls,
            settings: std::sync::OnceLock::new(),
            search_path,
            jobs: config.jobs,
            staging,
        })
    }

    /// How many connections the load may use at most (JOBS).
    pub(crate) fn jobs(&self) -> usize {
        self.jobs
    }

    /// The staging schema the workers load into.
    pub(crate) fn staging(&self) -> &str {
        &self.staging
    }

    /// Open the first worker connection: false when PostgreSQL accepts none besides the run's own (too many
    /// connections for the server or the role), so that the run loads on its own connection instead.
    pub(crate) async fn first(&self) -> Result<bool> {
        match self.get().await {
            Ok(_) => Ok(true),
            Err(e) if e.sqlstate() == Some(&SqlState::TOO_MANY_CONNECTIONS) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A connection with the run's session settings (set once, when the pool opens it). When PostgreSQL refuses a
    /// new one for too many connections while others are open, this one waits for one of those instead.
    pub(crate) async fn get(&self) -> Result<Worker> {
        loop {
            let slot =
                self.slots.clone().acquire_owned().await.map_err(|e| Error::other(format!("connect a worker: {e}")))?;
            let client = match self.pool.get().await {
                Ok(client) => client,
                Err(PoolError::Backend(e))
                    if e.code() == Some(&SqlState::TOO_MANY_CONNECTIONS) && self.pool.status().size > 0 =>
                {
                    slot.forget();
                    log::warn!(
                        "postgresql refused another connection ({}): going on with {} worker connection(s); set JOBS lower to avoid asking",
                        crate::error::describe_pg(&e),
                        self.pool.status().size
                    );
                    continue;
                }
                Err(PoolError::Backend(e)) => return Err(Error::pg("connect a worker")(e)),
                Err(other) => return Err(Error::other(format!("connect a worker: {other}"))),
            };
            if Object::metrics(&client).recycle_count == 0 {
                self.prepare(&client).await?;
            }
            let settings = self
                .settings
                .get()
                .cloned()
                .unwrap_or_else(|| Arc::from(crate::postgres::connect::session::LOCAL_SETTINGS));
            return Ok(Worker { client, settings, _slot: slot });
        }
    }

    /// The worker settings, made once the server's version is known, and the new connection's cancel token for
    /// [`Workers::cancel_all`].
    async fn prepare(&self, client: &tokio_postgres::Client) -> Result<()> {
        if self.settings.get().is_none() {
            // PostgreSQL 14+: notice within a second that this process is gone (killed), and stop the index build
            // or copy it was running instead of holding its locks on the staging schema until the statement ends
            let version = client.simple_query("SHOW server_version_num").await.map_err(Error::pg("server version"))?;
            let checks_connection = version.iter().any(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => {
                    r.get(0).and_then(|v| v.parse::<u32>().ok()).is_some_and(|v| v >= 140_000)
                }
                _ => false,
            });
            let settings = format!(
                "{}; SET LOCAL maintenance_work_mem = '{SORT_MEMORY_MB}MB'; SET LOCAL synchronous_commit = off; \
                 SET LOCAL search_path TO {}{}",
                crate::postgres::connect::session::LOCAL_SETTINGS,
                self.search_path,
                if checks_connection { "; SET LOCAL client_connection_check_interval = '1s'" } else { "" }
            );
            let _ = self.settings.set(Arc::from(settings));
        }
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).push(client.cancel_token());
        Ok(())
    }

    /// Ask PostgreSQL to stop whatever the workers are running.
    pub(crate) async fn cancel_all(&self) {
        let tokens = std::mem::take(&mut *self.tokens.lock().unwrap_or_else(|p| p.into_inner()));
        for token in tokens {
            let _ = token.cancel_query(self.tls.clone()).await;
        }
    }
}
