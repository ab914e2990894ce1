//! sqlite2pg: migrate a SQLite database into PostgreSQL, exactly and atomically
//!
//! A run, at a glance (see [`run`]): check the source, wait for PostgreSQL, take the migration lock, plan the
//! tables and their types, create the schema, transfer every row with binary COPY, finish keys and indexes,
//! verify the row counts, and make all of it visible at once — or nothing at all. With SCHEMA=auto or a schema
//! file the tables load side by side into a hidden staging schema and one short transaction publishes them
//! ([`staged`]); migration folders, CHECK_ONLY, JOBS=1 and a schema file that reaches outside its schema do
//! everything in one transaction. Every statement runs in a transaction that sets what it needs `LOCAL`
//! ([`connect::session`]), so the run works the same through a connection pooler in transaction mode.

pub mod config;
pub mod error;
pub mod faults;
pub mod ident;
pub mod load;
pub mod postgres;
pub mod report;
pub mod sqlite;
pub mod translate;

#[cfg(test)]
mod layers;

use std::time::{Instant, SystemTime};

pub use config::{Config, RawConfig};
pub use error::{Error, Result, Signal};
pub use report::Report;

use load::{copy as transfer, plan, schema, seeds, sequences, staged, verify};
use postgres::existing::{self, Decision};
use postgres::{connect, ledger, lock};
use sqlite::{Catalog, Source};

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Migrated,
    AlreadyMigrated,
    Checked,
}

/// Run the whole job. `report` is filled in as the work goes, so it tells what was done even on failure.
pub async fn run(config: &Config, report: &mut Report) -> Result<Outcome> {
    let started_at = SystemTime::now();
    // a file that is no readable SQLite database fails now, before any waiting; the instant the run reads is
    // taken under the migration lock, so that writers are not held off while it waits
    Source::check(&config.sqlite_path)?;
    faults::pause("wait").await;
    let (mut client, _waited) = connect::wait_ready(&config.target, config.wait_timeout).await?;
    match lock::acquire(&config.target, config.lock_timeout).await? {
        Some(lock) => {
            let read = Read::open(config)?;
            let outcome = read.confirmed(load(&mut client, &read.work(config, started_at), report).await)?;
            lock.release().await;
            Ok(outcome)
        }
        None => {
            log::warn!(
                "postgresql accepts no connection besides this one (too many connections): the migration lock and the \
                 whole load share it, in one transaction"
            );
            let tx = connect::session::begin(&mut client).await.map_err(Error::pg("begin"))?;
            lock::acquire_in(&tx, config.lock_timeout).await?;
            let read = Read::open(config)?;
            let work = read.work(config, started_at);
            let loaded = async {
                staged::remove_leftovers_in(&tx).await?;
                if let config::SchemaSource::Dir(dir) = &config.schema {
                    load::onto::apply_folder_in(&tx, config, dir).await?;
                }
                match decide(&tx, &work, report).await? {
                    None => {
                        tx.commit().await.map_err(Error::pg("commit"))?;
                        Ok(Outcome::AlreadyMigrated)
                    }
                    Some(replace) => load_in(tx, &work, &replace, report).await,
                }
            };
            read.confirmed(loaded.await)
        }
    }
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
        let source = Source::open(&config.sqlite_path, config.jobs.max(plan::MAX_SCAN_THREADS) + 1)?;
        let catalog = Catalog::read(&source.conn)?;
        if catalog.tables.is_empty() {
            log::warn!("the sqlite file has no tables: nothing to migrate (is SQLITE_PATH the right file?)");
        }
        let fingerprint = source.fingerprint()?;
        Ok(Read { source, catalog, fingerprint })
    }

    fn work<'a>(&'a self, config: &'a Config, started_at: SystemTime) -> Work<'a> {
        Work { config, source: &self.source, catalog: &self.catalog, fingerprint: &self.fingerprint, started_at }
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

/// What every step of a run reads: the settings and the SQLite side.
struct Work<'a> {
    config: &'a Config,
    source: &'a Source,
    catalog: &'a Catalog,
    fingerprint: &'a str,
    started_at: SystemTime,
}

/// Everything under the migration lock: the application's migrations, the decision, then the load, staged
/// when it can be.
async fn load(client: &mut tokio_postgres::Client, work: &Work<'_>, report: &mut Report) -> Result<Outcome> {
    let config = work.config;
    staged::remove_leftovers(client).await?;
    load::onto::apply_folder(client, config).await?;
    let tx = connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    let decided = decide(&tx, work, report).await?;
    tx.commit().await.map_err(Error::pg("commit"))?;
    let Some(replace) = decided else { return Ok(Outcome::AlreadyMigrated) };
    if staged::applies(config, &replace) {
        let job = staged::Job {
            config,
            source: work.source,
            catalog: work.catalog,
            replace: &replace,
            fingerprint: work.fingerprint,
            started_at: work.started_at,
        };
        if staged::run(client, job, report).await? {
            return Ok(Outcome::Migrated);
        }
    }
    let tx = connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    load_in(tx, work, &replace, report).await
}

/// Look at the ledger and the target: None when the source was migrated already, else the existing tables
/// ON_EXISTING=replace drops.
async fn decide(
    tx: &tokio_postgres::Transaction<'_>,
    work: &Work<'_>,
    report: &mut Report,
) -> Result<Option<Vec<String>>> {
    load::onto::check_file(tx, work.config).await?;
    match existing::decide_for(
        tx,
        &existing::Ask {
            schema: &work.config.target_schema,
            on_existing: work.config.on_existing,
            auto: work.config.schema == config::SchemaSource::Auto,
            tables: work
                .catalog
                .tables
                .iter()
                .map(|t| t.name.as_str())
                .filter(|t| plan::selected(work.config, t))
                .collect(),
            fingerprint: work.fingerprint,
        },
    )
    .await?
    {
        Decision::AlreadyMigrated { at } => {
            log::info!("already migrated at {at}: nothing to do");
            Ok(None)
        }
        Decision::Load { replace } => {
            report.existing.extend(seeds::kept(tx, work.config, work.source, work.catalog).await?);
            report.skipped.extend(work.catalog.skipped.iter().cloned());
            report
                .virtual_tables
                .extend(work.catalog.virtual_tables.iter().filter(|v| plan::selected(work.config, &v.name)).cloned());
            if work.config.schema != config::SchemaSource::Auto {
                report.skipped.extend(translate::schema::fts::not_made(work.catalog));
            }
            report.skipped.extend(load::onto::prisma_views(work.config)?);
            Ok(Some(replace))
        }
    }
}

/// Schema, data, keys, verification and ledger row in one transaction on one connection: for migration folders,
/// schema files that cannot be staged, CHECK_ONLY (which rolls it back) and JOBS=1.
async fn load_in(
    tx: tokio_postgres::Transaction<'_>,
    work: &Work<'_>,
    replace: &[String],
    report: &mut Report,
) -> Result<Outcome> {
    let Work { config, source, catalog, fingerprint, started_at } = *work;
    source.quick_check()?;
    let schema = &config.target_schema;
    let (plans, prepared) = schema::prepare(&tx, config, source, catalog, replace, report).await?;
    faults::pause("schema").await;
    let freeze = config.schema == config::SchemaSource::Auto && !config.check_only;
    transfer::copy_all(&tx, source, schema, &plans, config.check_only, freeze, &mut report.tables).await?;
    report.skipped.extend(schema::finish(&tx, config, source, &plans, &prepared).await?);
    report.existing.extend(seeds::judge(&tx, config, prepared.seeds()).await?);
    report.sequences = sequences::settle(&tx, config).await?;
    faults::pause("verify").await;
    verify::row_counts(&tx, source, schema, &plans).await?;
    if config.check_only {
        tx.rollback().await.map_err(Error::pg("rollback"))?;
        return Ok(Outcome::Checked);
    }
    source.confirm()?;
    ledger::ensure(&tx).await?;
    ledger::record(
        &tx,
        &ledger::RunRecord {
            target_schema: schema,
            source_path: &config.sqlite_path.display().to_string(),
            fingerprint,
            schema_mode: config.schema.mode(),
            started_at,
            tables: &report.tables,
        },
    )
    .await?;
    faults::pause("commit").await;
    tx.commit().await.map_err(Error::pg("commit"))?;
    Ok(Outcome::Migrated)
}

/// Run with timing and outcome recorded in a fresh report.
pub async fn run_reported(config: &Config) -> (Report, Result<Outcome>) {
    let started = Instant::now();
    let mut report = Report::new(&config.sqlite_path, config.target.display());
    let result = run(config, &mut report).await;
    let seconds = started.elapsed().as_secs_f64();
    match &result {
        Ok(Outcome::Migrated) => report.close("migrated", 0, None, seconds),
        Ok(Outcome::AlreadyMigrated) => report.close("already migrated", 0, None, seconds),
        Ok(Outcome::Checked) => report.close("checked", 0, None, seconds),
        Err(e) => report.close("failed", e.exit_code(), Some(e.to_string()), seconds),
    }
    (report, result)
}
