//! The load: plan the tables, create them, copy the rows, build keys and indexes, verify, record the run
//!
//! The work is described once (`work::Work`) and run by one of two executors: `one`, everything in one
//! transaction on the run's connection, or `staged`, tables side by side in a hidden schema, then published in
//! one short transaction. `run` chooses between them in one place.

mod batch;
mod constraints;
mod content;
mod copy;
mod foreign_keys;
mod fts_onto;
mod large;
mod one;
mod onto;
pub(crate) mod plan;
mod rows;
mod scan;
mod schema;
mod seeds;
mod sequences;
mod staged;
mod verify;
pub(crate) mod work;

use tokio_postgres::{Client, GenericClient, Transaction};

use crate::config::{Config, SchemaSource};
use crate::error::{Error, Result};
use crate::postgres::connect::session;
use crate::postgres::existing::{self, Decision};
use crate::postgres::{ledger, lock};
use crate::report::{Report, TableResult};
use crate::translate::schema::fts;
use work::Ctx;

use crate::report::Outcome;

/// The run's hold on PostgreSQL: its connection with the migration lock on a connection of its own, or, when
/// PostgreSQL accepts no second connection, the one transaction that holds the lock and does everything.
pub(crate) enum Session<'c> {
    Own(&'c mut Client, lock::MigrationLock),
    Shared(Transaction<'c>),
}

impl<'c> Session<'c> {
    /// Take the migration lock: on a connection of its own, or else inside one transaction on `client`.
    pub(crate) async fn lock(client: &'c mut Client, config: &Config) -> Result<Session<'c>> {
        let key = lock::Key::of(&config.target_schema);
        match lock::acquire(&config.target, &key, config.lock_timeout).await? {
            Some(lock) => Ok(Session::Own(client, lock)),
            None => {
                log::warn!(
                    "postgresql accepts no connection besides this one (too many connections): the migration lock and \
                     the whole load share it, in one transaction"
                );
                let tx = session::begin(client).await.map_err(Error::pg("begin"))?;
                lock::acquire_in(&tx, &key, config.lock_timeout).await?;
                Ok(Session::Shared(tx))
            }
        }
    }
}

/// How the tables are loaded: chosen once, here.
enum Strategy {
    OneTransaction,
    Staged,
}

/// Under the migration lock: the application's migrations, the decision, then the load.
pub(crate) async fn run(session: Session<'_>, ctx: &Ctx<'_>, report: &mut Report) -> Result<Outcome> {
    let config = ctx.config;
    let (client, lock) = match session {
        Session::Own(client, lock) => (client, lock),
        Session::Shared(tx) => {
            staged::remove_leftovers_in(&tx, &config.target_schema).await?;
            if let SchemaSource::Dir(dir) = &config.schema {
                onto::apply_folder_in(&tx, config, dir).await?;
            }
            let Some(replace) = decide(&tx, ctx, report).await? else {
                tx.commit().await.map_err(Error::pg("commit"))?;
                return Ok(Outcome::AlreadyMigrated);
            };
            let work = one::build(&tx, ctx, &replace, report).await?;
            return one::run(tx, ctx, &work, report).await;
        }
    };
    staged::remove_leftovers(client, &config.target_schema).await?;
    onto::apply_folder(client, config).await?;
    let tx = session::begin(client).await.map_err(Error::pg("begin"))?;
    let decided = decide(&tx, ctx, report).await?;
    tx.commit().await.map_err(Error::pg("commit"))?;
    let outcome = match decided {
        None => Ok(Outcome::AlreadyMigrated),
        Some(replace) => match strategy(config, &replace) {
            Strategy::Staged => match staged::run(client, ctx, &replace, report).await? {
                staged::Staged::Published => Ok(Outcome::Migrated),
                staged::Staged::NotStaged(why) => {
                    why.log();
                    in_one_transaction(client, ctx, &replace, report).await
                }
            },
            Strategy::OneTransaction => in_one_transaction(client, ctx, &replace, report).await,
        },
    };
    lock.release().await;
    outcome
}

/// Staged when JOBS > 1, not CHECK_ONLY, and SCHEMA=auto or a file (that is not loaded again into its existing
/// tables under ON_EXISTING=replace); else in one transaction.
fn strategy(config: &Config, replace: &[String]) -> Strategy {
    let schema = match config.schema {
        SchemaSource::Auto => true,
        SchemaSource::File(_) => replace.is_empty(),
        _ => false,
    };
    if schema && config.jobs > 1 && !config.check_only {
        Strategy::Staged
    } else {
        Strategy::OneTransaction
    }
}

async fn in_one_transaction(
    client: &mut Client,
    ctx: &Ctx<'_>,
    replace: &[String],
    report: &mut Report,
) -> Result<Outcome> {
    let tx = session::begin(client).await.map_err(Error::pg("begin"))?;
    let work = one::build(&tx, ctx, replace, report).await?;
    one::run(tx, ctx, &work, report).await
}

/// Look at the ledger and the target: None when the source was migrated already, else the existing tables
/// ON_EXISTING=replace drops.
async fn decide(tx: &Transaction<'_>, ctx: &Ctx<'_>, report: &mut Report) -> Result<Option<Vec<String>>> {
    let Ctx { config, source, catalog, fingerprint, .. } = *ctx;
    onto::check_file(tx, config).await?;
    let ask = existing::Ask {
        schema: &config.target_schema,
        on_existing: config.on_existing,
        auto: config.schema == SchemaSource::Auto,
        tables: catalog.tables.iter().map(|t| t.name.as_str()).filter(|t| plan::selected(config, t)).collect(),
        fingerprint,
    };
    match existing::decide_for(tx, &ask).await? {
        Decision::AlreadyMigrated { at } => {
            log::info!("already migrated at {at}: nothing to do");
            Ok(None)
        }
        Decision::Load { replace } => {
            report.existing.extend(seeds::kept(tx, config, source, catalog).await?);
            report.skipped.extend(catalog.skipped.iter().cloned());
            let virtuals = catalog.virtual_tables.iter().filter(|v| plan::selected(config, &v.name));
            if config.schema == SchemaSource::Auto {
                report.virtual_tables.extend(virtuals.cloned());
            } else {
                report.virtual_tables.extend(virtuals.filter_map(|v| fts::as_loaded(catalog, v)));
                report.skipped.extend(fts::not_made(catalog));
            }
            report.skipped.extend(onto::prisma_views(config)?);
            Ok(Some(replace))
        }
    }
}

/// The run's ledger row, in the transaction that commits the load (after [`ledger::ensure`]).
async fn record(tx: &impl GenericClient, ctx: &Ctx<'_>, tables: &[TableResult]) -> Result<()> {
    let config = ctx.config;
    ledger::record(
        tx,
        &ledger::RunRecord {
            target_schema: &config.target_schema,
            source_path: &config.sqlite_path.display().to_string(),
            fingerprint: ctx.fingerprint,
            schema_mode: config.schema.mode(),
            started_at: ctx.started_at,
            tables,
        },
    )
    .await
}
