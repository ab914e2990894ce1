//! The one short transaction that makes a staged load visible: move the tables, create the views, record the run

use tokio_postgres::Client;

use super::contained;
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::copy::TableResult;
use crate::load::work::{Ctx, Work};
use crate::sqlite::Skipped;

/// Move everything staged into the target schema (dropping the tables ON_EXISTING=replace names first), create
/// the views or move the sequences past the copied ids (and every other sequence that feeds a column), write the ledger rows and drop the then empty staging
/// schema, all in one transaction.
pub(crate) async fn publish(
    client: &mut Client,
    ctx: &Ctx<'_>,
    work: &Work,
    tables: &[TableResult],
) -> Result<(Vec<Skipped>, Vec<crate::load::sequences::SequenceState>)> {
    let schema = ctx.config.target_schema.as_str();
    let staging = crate::postgres::staging_schema(schema);
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
    let kept = crate::postgres::existing::replace::drop_old(&tx, schema, &work.replace, &work.views).await?;
    exec("SET LOCAL search_path TO pg_catalog".into(), "search_path".into()).await?;
    let moves = contained::moves(&tx, &staging, schema).await?;
    crate::load::batch::each(
        &tx,
        &moves,
        |(_, sql)| sql,
        |(name, sql)| {
            let tx = &tx;
            async move {
                tx.batch_execute(sql)
                    .await
                    .map_err(|e| Error::schema(format!("cannot move \"{name}\" into schema \"{schema}\"")).because(e))
            }
        },
    )
    .await?;
    exec(format!("SET LOCAL search_path TO {target}"), "search_path".into()).await?;
    crate::postgres::existing::replace::restore(&tx, &kept).await?;
    crate::postgres::ledger::ensure(&tx).await?;
    let skipped = crate::load::constraints::create_views(&tx, &work.views, ctx.config.strict_schema).await?;
    if work.reset_sequences {
        crate::load::onto::reset_sequences(&tx, schema, &work.plans, ctx.source).await?;
    }
    if let Some(file) = &work.file {
        crate::postgres::migrations::files::record(&tx, file).await?;
    }
    let sequences = crate::load::sequences::settle(&tx, ctx.config).await?;
    crate::load::record(&tx, ctx, tables).await?;
    // RESTRICT: anything still in there would be a bug, and must not vanish silently
    exec(format!("DROP SCHEMA {}", quote_ident(&staging)), "drop the emptied staging schema".into()).await?;
    crate::faults::pause("commit").await;
    tx.commit().await.map_err(Error::pg("commit"))?;
    log::info!("published {} table(s) into \"{schema}\" in one transaction", work.plans.len());
    Ok((skipped, sequences))
}
