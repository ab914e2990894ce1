//! JOBS > 1: load tables side by side into a hidden staging schema, then publish them at once
//!
//! The tables are created (SCHEMA=auto) or the application's schema file is applied ([`file`]) in the schema
//! `sqlite2pg_staging`; then they are copied, keyed and indexed there over several pooled connections, each table
//! in its own transactions. No reader of the target schema can see any of it. Then one short transaction on the
//! run's own connection moves everything into the target schema, creates the views and writes the ledger row:
//! readers see nothing or everything. A run that fails removes the staging schema; a run that is killed leaves
//! it, and the next run (holding the migration lock) removes it before anything else.

mod contained;
mod file;
mod publish;
mod tasks;
mod workers;

use std::time::SystemTime;

use tokio_postgres::Client;

use crate::config::{Config, SchemaSource};
use crate::error::{describe_pg, Error, Result};
use crate::ident::quote_ident;
use crate::report::Report;
use crate::sqlite::{Catalog, Source};

pub use crate::postgres::STAGING_SCHEMA;

/// Whether this run may load through the staging schema: JOBS > 1, not CHECK_ONLY, and SCHEMA=auto or a file
/// (that is not loaded again into its existing tables under ON_EXISTING=replace).
pub fn applies(config: &Config, replace: &[String]) -> bool {
    let schema = match config.schema {
        SchemaSource::Auto => true,
        SchemaSource::File(_) => replace.is_empty(),
        _ => false,
    };
    schema && config.jobs > 1 && !config.check_only
}

/// Drop the staging schema an interrupted run left behind. Call it holding the migration lock, so that no other
/// run is using it.
pub async fn remove_leftovers(client: &mut Client) -> Result<()> {
    let tx = crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    remove_leftovers_in(&tx).await?;
    tx.commit().await.map_err(Error::pg("commit"))
}

/// [`remove_leftovers`] in the caller's transaction.
pub async fn remove_leftovers_in(tx: &impl tokio_postgres::GenericClient) -> Result<()> {
    let exists: bool = tx
        .query_one("SELECT to_regnamespace($1) IS NOT NULL", &[&STAGING_SCHEMA])
        .await
        .map_err(Error::pg("look for a staging schema"))?
        .get(0);
    if exists {
        log::warn!(
            "removing the schema \"{STAGING_SCHEMA}\" an interrupted run left behind (none of it was published)"
        );
        let sql = format!("DROP SCHEMA {} CASCADE", quote_ident(STAGING_SCHEMA));
        tx.batch_execute(&sql).await.map_err(Error::pg("remove the staging schema"))?;
    }
    Ok(())
}

/// What a staged load needs besides the connection and the report.
pub struct Job<'a> {
    pub config: &'a Config,
    pub source: &'a Source,
    pub catalog: &'a Catalog,
    /// Existing target tables ON_EXISTING=replace drops when publishing.
    pub replace: &'a [String],
    pub fingerprint: &'a str,
    pub started_at: SystemTime,
}

/// What publishing needs besides the tables: the views to create (SCHEMA=auto) or the schema file to record.
enum Extra {
    Views(Vec<crate::translate::schema::Step>),
    File(crate::postgres::migrations::files::SqlFile),
}

impl Extra {
    /// The views publishing creates, which ON_EXISTING=replace may drop with the old tables.
    fn views(&self) -> &[crate::translate::schema::Step] {
        match self {
            Extra::Views(views) => views,
            Extra::File(_) => &[],
        }
    }
}

/// Plan and load in parallel while SQLite checks the file's integrity alongside, then publish; on failure,
/// remove what was staged. Ok(false), with nothing done, when the schema file cannot be staged ([`file`]).
pub async fn run(client: &mut Client, job: Job<'_>, report: &mut Report) -> Result<bool> {
    let source = job.source;
    let workers = workers::Workers::new(job.config)?;
    if !workers.first().await? {
        log::warn!(
            "postgresql accepts no connection besides this one (too many connections): loading in one transaction on it, \
             as with JOBS=1"
        );
        return Ok(false);
    }
    let staged_file = match job.config.schema {
        SchemaSource::File(_) => match file::prepare(client, &job).await? {
            Some(staged) => Some(staged),
            None => return Ok(false),
        },
        _ => None,
    };
    let integrity = {
        let conn = source.reopen()?;
        tokio::task::spawn_blocking(move || crate::sqlite::integrity(&conn))
    };
    let loaded = match staged_file {
        Some(staged) => load_file(&job, &workers, staged, report).await,
        None => load(client, &job, &workers, report).await,
    };
    // a corrupt file explains whatever else went wrong, so its error comes first
    let checked =
        integrity.await.map_err(|e| Error::Other(format!("integrity check failed: {e}")))?.map_err(|r| source.error(r));
    // a file read without locks that changed meanwhile explains even that
    let checked = source.confirm().and(checked);
    let published = match (checked, loaded) {
        (Ok(()), Ok((plans, extra))) => {
            crate::faults::pause("verify").await;
            publish::publish(client, &job, &plans, &extra, &report.tables).await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match published {
        Ok((skipped, sequences)) => {
            report.skipped.extend(skipped);
            report.sequences = sequences;
            Ok(true)
        }
        Err(e) => {
            discard(client).await;
            Err(e)
        }
    }
}

/// Plan and translate, then build every table in the staging schema; gives back the plans and the views to
/// create when publishing.
async fn load(
    client: &mut Client,
    job: &Job<'_>,
    workers: &workers::Workers,
    report: &mut Report,
) -> Result<(Vec<crate::load::plan::TablePlan>, Extra)> {
    let Job { config, source, catalog, .. } = *job;
    let plans = crate::load::plan::infer(source, config, catalog)?;
    report.notes.extend(crate::load::plan::notes(&plans));
    let mut staged = crate::load::schema::translate(STAGING_SCHEMA, &config.target_schema, catalog, &plans, config)?;
    report.skipped.extend(staged.skipped.iter().cloned());
    report.left_out.extend(staged.left_out.iter().cloned());
    report.notes.extend(staged.notes.iter().cloned());
    let views = Extra::Views(std::mem::take(&mut staged.views));
    let tx = crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    may_create_in(&tx, &config.target_schema).await?;
    // refuse now, not after the load: what publishing would have to drop with the old tables, names held already
    crate::postgres::existing::replace::check(&tx, &config.target_schema, job.replace, views.views()).await?;
    crate::postgres::existing::clashes::refuse(&tx, &config.target_schema, catalog, &plans, job.replace).await?;

    let create = format!("CREATE SCHEMA {}", quote_ident(STAGING_SCHEMA));
    tx.batch_execute(&create).await.map_err(|e| {
        Error::Schema(format!("cannot create the schema \"{STAGING_SCHEMA}\" to load into: {}", describe_pg(&e)))
    })?;
    tx.commit().await.map_err(Error::pg("commit the staging schema"))?;
    crate::faults::pause("schema").await;
    report.tables = tasks::build(workers, source, &plans, &staged).await?;
    Ok((plans, views))
}

/// Load the tables of a schema file applied in the staging schema.
async fn load_file(
    job: &Job<'_>,
    workers: &workers::Workers,
    staged: file::Staged,
    report: &mut Report,
) -> Result<(Vec<crate::load::plan::TablePlan>, Extra)> {
    crate::faults::pause("schema").await;
    report.tables = tasks::build(workers, job.source, &staged.plans, &staged.work).await?;
    Ok((staged.plans, Extra::File(staged.file)))
}

/// Refuse at once, before any loading, a role that could not publish the tables into the target schema.
async fn may_create_in(client: &impl tokio_postgres::GenericClient, schema: &str) -> Result<()> {
    let allowed: bool = client
        .query_one(
            "SELECT coalesce((SELECT has_schema_privilege(oid, 'CREATE') FROM pg_namespace WHERE nspname = $1), \
             has_database_privilege(current_database(), 'CREATE'))",
            &[&schema],
        )
        .await
        .map_err(Error::pg("check privileges"))?
        .get(0);
    if allowed {
        Ok(())
    } else {
        Err(Error::Schema(format!(
            "permission denied: this role may not create tables in schema \"{schema}\" (it needs CREATE on it)"
        )))
    }
}

/// After a failure: drop the staging schema, waiting a little for cancelled workers to let go of it. If that
/// fails too, the next run removes it.
async fn discard(client: &mut Client) {
    let sql = format!(
        "BEGIN; {}; SET LOCAL lock_timeout = '30s'; DROP SCHEMA IF EXISTS {} CASCADE; COMMIT",
        crate::postgres::connect::session::LOCAL_SETTINGS,
        quote_ident(STAGING_SCHEMA)
    );
    let dropped = client.batch_execute(&sql).await;
    if dropped.is_err() {
        // the failed statement left the transaction open: end it, so that nothing stays pinned on a pooled server
        let _ = client.batch_execute("ROLLBACK").await;
    }
    match dropped {
        Ok(()) => log::info!("removed the staging schema \"{STAGING_SCHEMA}\"; the target is untouched"),
        Err(e) => log::warn!(
            "could not remove the staging schema \"{STAGING_SCHEMA}\" ({}); the next run removes it",
            describe_pg(&e)
        ),
    }
}
