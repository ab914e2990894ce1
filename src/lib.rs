//! sqlite2pg: migrate a SQLite database into PostgreSQL, exactly and atomically
//!
//! A run, at a glance (see [`run`]): check the source, wait for PostgreSQL, take the migration lock, plan the
//! tables and their types, create the schema, transfer every row with binary COPY, finish keys and indexes,
//! verify the row counts, and make all of it visible at once — or nothing at all. With SCHEMA=auto or a schema
//! file the tables load side by side into a hidden staging schema and one short transaction publishes them
//! (`load::staged`); migration folders, CHECK_ONLY, JOBS=1 and a schema file that reaches outside its schema do
//! everything in one transaction ([`load`] chooses, in one place). Every statement runs in a transaction that
//! sets what it needs `LOCAL` (`postgres::connect::session`), so the run works the same through a connection
//! pooler in transaction mode.
//!
//! The tree follows the data, in layers that import only downwards: [`sqlite`] (the file), [`translate`] (pure
//! translation), [`postgres`] (the target), [`load`] (the work and its two executors), [`fleet`] (many files,
//! each a run of its own: [`run_fleet`]).

pub mod config;
pub mod error;
pub mod faults;
pub mod fleet;
pub mod ident;
pub mod load;
pub mod postgres;
pub mod report;
pub mod sqlite;
pub mod translate;

#[cfg(test)]
mod layers;

use std::future::Future;
use std::time::{Instant, SystemTime};

pub use config::{Config, Fleet, RawConfig, Settings};
use error::Result;
pub use error::{Error, Signal};
pub use report::{Outcome, Report};

use load::work::Ctx;
use sqlite::{Catalog, Source};

/// A run that failed: the error, and the report of what it did until then.
#[derive(Debug)]
pub struct Failed {
    /// What ended the run; its exit code is the process's.
    pub error: Error,
    /// What the run did before it failed, closed with the error.
    pub report: Box<Report>,
}

/// Run the whole job, until it ends or `stop` tells it to. The report comes back either way: on failure, inside
/// the error.
pub async fn run(config: &Config, stop: impl Future<Output = Signal>) -> std::result::Result<Report, Failed> {
    let started = Instant::now();
    let mut report = Report::new(&config.sqlite_path, config.target.display());
    let result = tokio::select! {
        result = steps(config, &mut report) => result,
        signal = stop => Err(Error::interrupted(signal)),
    };
    report.close(result.as_ref().copied(), started.elapsed().as_secs_f64());
    match result {
        Ok(_) => Ok(report),
        Err(error) => Err(Failed { error, report: Box::new(report) }),
    }
}

/// Migrate every file of a fleet, each as [`run`] migrates one file, up to JOBS at once; `stop` stops them all.
pub fn run_fleet(fleet: &Fleet, stop: &fleet::Stop) -> fleet::FleetReport {
    fleet::run(fleet, stop, &|config, stop| {
        Box::pin(async move {
            match run(config, stop).await {
                Ok(report) => (report, None),
                Err(failed) => (*failed.report, Some(failed.error)),
            }
        })
    })
}

/// The README's steps: check the source, wait for PostgreSQL, take the lock and read the file at one instant,
/// load.
async fn steps(config: &Config, report: &mut Report) -> Result<Outcome> {
    let started_at = SystemTime::now();
    // a file that is no readable SQLite database fails now, before any waiting; the instant the run reads is
    // taken under the migration lock, so that writers are not held off while it waits
    Source::check(&config.sqlite_path)?;
    faults::pause("wait").await;
    let (mut client, _waited) = postgres::connect::wait_ready(&config.target, config.wait_timeout).await?;
    let session = load::Session::lock(&mut client, config).await?;
    let read = Read::open(config)?;
    let ctx = Ctx { config, source: &read.source, catalog: &read.catalog, fingerprint: &read.fingerprint, started_at };
    read.confirmed(load::run(session, &ctx, report).await)
}

/// The SQLite side of a run: the file held at one instant, what it holds, and its fingerprint.
struct Read {
    source: Source,
    catalog: Catalog,
    fingerprint: String,
}

impl Read {
    fn open(config: &Config) -> Result<Read> {
        // every reader the run may use at once: JOBS copies or the type scan's threads, and the integrity check
        let source = Source::open(&config.sqlite_path, config.jobs.max(load::plan::MAX_SCAN_THREADS) + 1)?;
        let catalog = Catalog::read(&source.conn)?;
        if catalog.tables.is_empty() {
            log::warn!("the sqlite file has no tables: nothing to migrate (is SQLITE_PATH the right file?)");
        }
        let fingerprint = source.fingerprint()?;
        Ok(Read { source, catalog, fingerprint })
    }

    /// The outcome of the load, once the file is known not to have changed under a run that read it without
    /// locks (which explains whatever else went wrong); how far the source moved meanwhile goes to the log.
    fn confirmed(&self, loaded: Result<Outcome>) -> Result<Outcome> {
        let outcome = loaded.map_err(|e| self.source.confirm().err().unwrap_or(e))?;
        if outcome != Outcome::AlreadyMigrated {
            log::info!("{}", self.source.moved());
        }
        Ok(outcome)
    }
}
