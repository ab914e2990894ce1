//! The one short transaction that makes a staged load visible: move the tables, create the views, record the run

use tokio_postgres::Client;

use super::{contained, Extra, Job, STAGING_SCHEMA};
use crate::error::{describe_pg, Error, Result};
use crate::ident::quote_ident;
use crate::load::copy::TableResult;
use crate::load::plan::TablePlan;
use crate::sqlite::Skipped;

/// Move everything staged into the target schema (dropping the tables ON_EXISTING=replace names first), create
/// the views or move the sequences past the copied ids (and every other sequence that feeds a column), write the ledger rows and drop the then empty staging
/// schema, all in one transaction.
pub async fn publish(
    client: &mut Client,
    job: &Job<'_>,
    plans: &[TablePlan],
    extra: &Extra,
    tables: &[TableResult],
) -> Result<(Vec<Skipped>, Vec<crate::load::sequences::SequenceState>)> {
    let schema = job.config.target_schema.as_str();
    let target = quote_ident(schema);
    let tx = crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    let exec = |sql: String, what: String| {
        let tx = &tx;
        async move {
            log::debug!("{what}: {sql}");
            tx.batch_execute(&sql).await.map_err(Error::pg(what))
        }
    };
    exec(format!("CREATE SCHEMA IF NOT EXISTS {target}"), format!("create schema \"{schema}\"")).await?;
    let kept = crate::postgres::existing::replace::drop_old(&tx, schema, job.replace, extra.views()).await?;
    exec("SET LOCAL search_path TO pg_catalog".into(), "search_path".into()).await?;
    for (name, sql) in contained::moves(&tx, STAGING_SCHEMA, schema).await? {
        log::debug!("{sql}");
        tx.batch_execute(&sql).await.map_err(|e| {
            Error::Schema(format!("cannot move \"{name}\" into schema \"{schema}\": {}", describe_pg(&e)))
        })?;
    }
    exec(format!("SET LOCAL search_path TO {target}"), "search_path".into()).await?;
    crate::postgres::existing::replace::restore(&tx, &kept).await?;
    crate::postgres::ledger::ensure(&tx).await?;
    let skipped = match extra {
        Extra::Views(views) => crate::load::constraints::create_views(&tx, views, job.config.strict_schema).await?,
        Extra::File(file) => {
            crate::load::onto::reset_sequences(&tx, schema, plans, job.source).await?;
            crate::postgres::migrations::files::record(&tx, file).await?;
            Vec::new()
        }
    };
    let sequences = crate::load::sequences::settle(&tx, job.config).await?;
    crate::postgres::ledger::record(
        &tx,
        &crate::postgres::ledger::RunRecord {
            target_schema: schema,
            source_path: &job.config.sqlite_path.display().to_string(),
            fingerprint: job.fingerprint,
            schema_mode: job.config.schema.mode(),
            started_at: job.started_at,
            tables,
        },
    )
    .await?;
    // RESTRICT: anything still in there would be a bug, and must not vanish silently
    exec(format!("DROP SCHEMA {}", quote_ident(STAGING_SCHEMA)), "drop the emptied staging schema".into()).await?;
    crate::faults::pause("commit").await;
    tx.commit().await.map_err(Error::pg("commit"))?;
    log::info!("published {} table(s) into \"{schema}\" in one transaction", plans.len());
    Ok((skipped, sequences))
}
