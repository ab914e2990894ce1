//! The one-transaction executor: schema, data, keys, verification and the ledger row commit together, or nothing

use tokio_postgres::Transaction;

use super::work::{Ctx, Work};
use super::{constraints, copy, foreign_keys, onto, schema, seeds, sequences, verify, Outcome};
use crate::config::{SchemaSource, Verify};
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::postgres::existing::{clashes, replace};
use crate::report::Report;
use crate::sqlite::Skipped;
use crate::translate::schema::Step;

/// Describe the load inside the run's transaction: translate the SQLite schema (SCHEMA=auto), or apply the user's
/// and map the SQLite tables onto it. `replace` lists the existing tables ON_EXISTING=replace loads again.
pub(crate) async fn build(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    replace: &[String],
    report: &mut Report,
) -> Result<Work> {
    let config = ctx.config;
    let schema = &config.target_schema;
    if config.schema != SchemaSource::Auto {
        return onto::prepare(tx, ctx, !replace.is_empty()).await;
    }
    let mut work = super::work::translate(ctx, schema, schema, report)?;
    clashes::refuse(tx, schema, ctx.catalog, &work.plans, replace).await?;
    work.replace = replace.to_vec();
    let around = |what: &str, sql: String| Step { table: String::new(), what: what.to_string(), sql };
    work.tables.splice(
        0..0,
        [
            around(&format!("schema \"{schema}\""), format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema))),
            around("search_path", format!("SET LOCAL search_path TO {}", quote_ident(schema))),
        ],
    );
    Ok(work)
}

/// Run the whole load in `tx` and commit it with its ledger row; under CHECK_ONLY, roll it back.
pub(crate) async fn run(tx: Transaction<'_>, ctx: &Ctx<'_>, work: &Work, report: &mut Report) -> Result<Outcome> {
    let Ctx { config, source, .. } = *ctx;
    let schema = &work.schema;
    source.quick_check()?;
    let kept = replace::drop_old(&tx, schema, &work.replace, &work.views).await?;
    schema::run_steps(&tx, &work.tables.iter().collect::<Vec<_>>()).await?;
    crate::faults::pause("schema").await;
    let freeze = work.creates_tables() && !config.check_only;
    let content = config.verify == Verify::Content;
    copy::copy_all(&tx, source, schema, &work.plans, config.check_only, freeze, content, &mut report.tables).await?;
    report.skipped.extend(finish(&tx, ctx, work).await?);
    replace::restore(&tx, &kept).await?;
    report.existing.extend(seeds::judge(&tx, config, &work.seeds).await?);
    report.sequences = sequences::settle(&tx, config).await?;
    crate::faults::pause("verify").await;
    verify::row_counts(&tx, source, schema, &work.plans).await?;
    if content {
        super::content::verify_all(&tx, source, schema, &work.plans, &mut report.tables).await?;
    }
    if config.check_only {
        tx.rollback().await.map_err(Error::pg("rollback"))?;
        return Ok(Outcome::Checked);
    }
    source.confirm()?;
    crate::postgres::ledger::ensure(&tx).await?;
    super::record(&tx, ctx, &report.tables).await?;
    crate::faults::pause("commit").await;
    tx.commit().await.map_err(Error::pg("commit"))?;
    Ok(Outcome::Migrated)
}

/// After the data, in order: search columns, keys and indexes, foreign keys, views, identities and sequences.
/// Returns the views PostgreSQL refused, as skips.
async fn finish(tx: &Transaction<'_>, ctx: &Ctx<'_>, work: &Work) -> Result<Vec<Skipped>> {
    let source = ctx.source;
    constraints::set_maintenance_memory(tx, source).await?;
    for step in &work.fills {
        tx.batch_execute(&step.sql).await.map_err(Error::pg(step.what.clone()))?;
    }
    constraints::constraints(tx, &work.keys.iter().collect::<Vec<_>>()).await?;
    foreign_keys::add_all(tx, &work.schema, &work.foreign_keys, source).await?;
    let skipped = constraints::create_views(tx, &work.views, ctx.config.strict_schema).await?;
    constraints::restart_identities(tx, &work.schema, &work.identities.iter().collect::<Vec<_>>()).await?;
    if work.reset_sequences {
        onto::reset_sequences(tx, &work.schema, &work.plans, source).await?;
    }
    Ok(skipped)
}
