//! JOBS > 1: load tables side by side into a hidden staging schema, then publish them at once
//!
//! The tables are created (SCHEMA=auto) or the application's schema file is applied ([`file`]) in the schema
//! `sqlite2pg_staging` (for the target schema `public`; each other target schema has its own,
//! `crate::postgres::staging_schema`); then they are copied, keyed and indexed there over several pooled
//! connections, each table in its own transactions. No reader of the target schema can see any of it. Then one
//! short transaction on the run's own connection moves everything into the target schema, creates the views and
//! writes the ledger row: readers see nothing or everything. A run that fails removes the staging schema; a run
//! that is killed leaves it, and the next run (holding the migration lock) removes it before anything else.

mod contained;
mod file;
mod group;
mod publish;
mod tasks;
mod workers;

use tokio_postgres::Client;

use crate::config::SchemaSource;
use crate::error::{describe_pg, Error, Result};
use crate::ident::quote_ident;
use crate::load::work::{Ctx, Work};
use crate::report::Report;

use crate::postgres::staging_schema;

/// Drop the staging schema of `target` an interrupted run left behind. Call it holding the migration lock of
/// `target`, so that no other run is using it.
pub(crate) async fn remove_leftovers(client: &mut Client, target: &str) -> Result<()> {
    let tx = crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    remove_leftovers_in(&tx, target).await?;
    tx.commit().await.map_err(Error::pg("commit"))
}

/// [`remove_leftovers`] in the caller's transaction.
pub(crate) async fn remove_leftovers_in(tx: &impl tokio_postgres::GenericClient, target: &str) -> Result<()> {
    let staging = staging_schema(target);
    let exists: bool = tx
        .query_one("SELECT to_regnamespace($1) IS NOT NULL", &[&staging])
        .await
        .map_err(Error::pg("look for a staging schema"))?
        .get(0);
    if exists {
        log::warn!("removing the schema \"{staging}\" an interrupted run left behind (none of it was published)");
        let sql = format!("DROP SCHEMA {} CASCADE", quote_ident(&staging));
        tx.batch_execute(&sql).await.map_err(Error::pg("remove the staging schema"))?;
    }
    Ok(())
}

/// How a staged load ended.
pub(crate) enum Staged {
    /// Loaded and published: the target holds every table.
    Published,
    /// Nothing done: this load cannot be staged, for the reason given; it runs in one transaction instead.
    NotStaged(NotStaged),
}

/// Why a load cannot be staged.
#[derive(Debug)]
pub(crate) enum NotStaged {
    /// PostgreSQL accepts no connection besides the run's own.
    NoConnection,
    /// The schema file cannot be applied in the staging schema ([`file`]): the file's name, and why.
    File { name: String, why: String },
}

impl NotStaged {
    /// Say in the log why, and that the load goes on in one transaction.
    pub(crate) fn log(&self) {
        match self {
            NotStaged::NoConnection => log::warn!(
                "postgresql accepts no connection besides this one (too many connections): loading in one transaction \
                 on it, as with JOBS=1"
            ),
            NotStaged::File { name, why } => log::info!("schema file {name}: {why}; loading in one transaction"),
        }
    }
}

/// Plan and load in parallel while SQLite checks the file's integrity alongside, then publish; on failure,
/// remove what was staged. `replace` lists the existing target tables ON_EXISTING=replace drops when publishing.
pub(crate) async fn run(client: &mut Client, ctx: &Ctx<'_>, replace: &[String], report: &mut Report) -> Result<Staged> {
    let source = ctx.source;
    let workers = workers::Workers::new(ctx.config)?;
    if !workers.first().await? {
        return Ok(Staged::NotStaged(NotStaged::NoConnection));
    }
    let file = match &ctx.config.schema {
        SchemaSource::File(path) => match file::prepare(client, ctx, path).await? {
            Ok(work) => Some(work),
            Err(why) => return Ok(Staged::NotStaged(why)),
        },
        _ => None,
    };
    let integrity = {
        let conn = source.reopen()?;
        tokio::task::spawn_blocking(move || crate::sqlite::integrity(&conn))
    };
    let loaded = async {
        let mut work = match file {
            Some(work) => work,
            None => translated(client, ctx, replace, report).await?,
        };
        work.content = ctx.config.verify == crate::config::Verify::Content;
        crate::faults::pause("schema").await;
        let (tables, built) = tasks::build(&workers, source, &work).await;
        report.tables = tables;
        built?;
        Ok::<_, Error>(work)
    }
    .await;
    // a corrupt file explains whatever else went wrong, so its error comes first
    let checked =
        integrity.await.map_err(|e| Error::other("integrity check failed").because(e))?.map_err(|r| source.error(r));
    // a file read without locks that changed meanwhile explains even that
    let checked = source.confirm().and(checked);
    let published = match (checked, loaded) {
        (Ok(()), Ok(work)) => {
            crate::faults::pause("verify").await;
            publish::publish(client, ctx, &work, &report.tables).await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match published {
        Ok((skipped, sequences)) => {
            report.skipped.extend(skipped);
            report.sequences = sequences;
            Ok(Staged::Published)
        }
        Err(e) => {
            discard(client, workers.staging()).await;
            Err(e)
        }
    }
}

/// SCHEMA=auto: plan and translate into the staging schema, refuse now what publishing could not do, and create
/// the staging schema.
async fn translated(client: &mut Client, ctx: &Ctx<'_>, replace: &[String], report: &mut Report) -> Result<Work> {
    let target = &ctx.config.target_schema;
    let staging = staging_schema(target);
    let mut work = crate::load::work::translate(ctx, &staging, target, report)?;
    work.replace = replace.to_vec();
    let tx = crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    may_create_in(&tx, target).await?;
    // refuse now, not after the load: what publishing would have to drop with the old tables, names held already
    crate::postgres::existing::replace::check(&tx, target, replace, &work.views).await?;
    crate::postgres::existing::clashes::refuse(&tx, target, ctx.catalog, &work.plans, replace).await?;
    let create = format!("CREATE SCHEMA {}", quote_ident(&staging));
    tx.batch_execute(&create)
        .await
        .map_err(|e| Error::schema(format!("cannot create the schema \"{staging}\" to load into")).because(e))?;
    tx.commit().await.map_err(Error::pg("commit the staging schema"))?;
    Ok(work)
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
        Err(Error::schema(format!(
            "permission denied: this role may not create tables in schema \"{schema}\" (it needs CREATE on it)"
        )))
    }
}

/// After a failure: drop the staging schema, waiting a little for cancelled workers to let go of it. If that
/// fails too, the next run removes it.
async fn discard(client: &mut Client, staging: &str) {
    let sql = format!(
        "BEGIN; {}; SET LOCAL lock_timeout = '30s'; DROP SCHEMA IF EXISTS {} CASCADE; COMMIT",
        crate::postgres::connect::session::LOCAL_SETTINGS,
        quote_ident(staging)
    );
    let dropped = client.batch_execute(&sql).await;
    if dropped.is_err() {
        // the failed statement left the transaction open: end it, so that nothing stays pinned on a pooled server
        let _ = client.batch_execute("ROLLBACK").await;
    }
    match dropped {
        Ok(()) => log::info!("removed the staging schema \"{staging}\"; the target is untouched"),
        Err(e) => log::warn!(
            "could not remove the staging schema \"{staging}\" ({}); the next run removes it",
            describe_pg(&e)
        ),
    }
}
