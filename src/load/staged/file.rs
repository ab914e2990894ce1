//! `SCHEMA=<file>` staged: the application's file applied inside the staging schema, its keys set aside for the load

use std::path::Path;

use tokio_postgres::{Client, Transaction};

use super::{contained, NotStaged};
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::batch;
use crate::load::onto as user;
use crate::load::plan::TablePlan;
use crate::load::work::{Ctx, Work};
use crate::postgres::migrations::files;
use crate::translate::schema::Step;

/// Apply the file with the staging schema first on the search path, map the SQLite tables onto what it created,
/// set their keys aside and commit. [`NotStaged`], with nothing changed, when the file cannot be staged: it was
/// applied before, it runs outside a transaction, it fails there, or it reached outside the staging schema (named
/// another schema, installed an extension, touched existing objects...). Then the caller loads in one transaction.
pub(crate) async fn prepare(client: &mut Client, ctx: &Ctx<'_>, path: &Path) -> Result<Result<Work, NotStaged>> {
    let Ctx { config, source, catalog, .. } = *ctx;
    let file = files::read_file(path)?;
    let not_staged = |why: &str| Ok(Err(NotStaged::File { name: file.name.clone(), why: why.to_string() }));
    if file.no_transaction {
        return not_staged("it runs outside a transaction");
    }
    let tx = crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))?;
    if files::pending(&tx, std::slice::from_ref(&file)).await?.is_empty() {
        return not_staged("it was applied before");
    }
    let target = &config.target_schema;
    let staging = crate::postgres::staging_schema(target);
    let staging = staging.as_str();
    super::may_create_in(&tx, target).await?;
    let enter =
        format!("CREATE SCHEMA {s}; SET LOCAL search_path TO {s}, {}", quote_ident(target), s = quote_ident(staging));
    tx.batch_execute(&enter).await.map_err(Error::pg(format!("create the schema \"{staging}\" to load into")))?;
    let before = contained::state(&tx, staging).await?;
    if let Err(e) = files::run(&tx, &file).await {
        // it may need what only the target schema has (the schema itself, say): the one-transaction path applies
        // it as the user wrote it, and reports the error if there is one
        log::debug!("{e}");
        tx.rollback().await.map_err(Error::pg("rollback"))?;
        return not_staged("it does not apply in the staging schema");
    }
    let outside = contained::outside(&tx, staging, target, &before).await?;
    if !outside.is_empty() {
        tx.rollback().await.map_err(Error::pg("rollback"))?;
        let listed: Vec<&str> = outside.iter().take(5).map(String::as_str).collect();
        return not_staged(&format!(
            "it reaches outside the schema it is applied in ({}{})",
            listed.join(", "),
            if outside.len() > 5 { ", ..." } else { "" }
        ));
    }
    let plans = user::plan_onto(&tx, config, source, catalog, staging, Vec::new()).await?;
    user::add_search_helpers(&tx, staging, &plans).await?;
    // every name in the definitions read from here on comes schema-qualified, for the worker connections
    tx.batch_execute("SET LOCAL search_path TO pg_catalog").await.map_err(Error::pg("search_path"))?;
    let loaded = user::set_keys_aside(&tx, staging, &plans).await?;
    let mut empties = Vec::new();
    for (plan, empty) in plans.iter().zip(empty_tables(&tx, staging, &plans).await?) {
        // emptied again in the loading transaction, the table takes its rows frozen; rows the file inserted stay
        if empty {
            empties.push(Step {
                table: plan.target.clone(),
                what: format!("empty \"{}\"", plan.target),
                sql: format!("TRUNCATE {}", staged(staging, &plan.target)),
            });
        }
    }
    tx.commit().await.map_err(Error::pg("commit the staging schema"))?;
    log::info!(
        "schema file {} applied in the staging schema \"{staging}\"; loading {} table(s) side by side",
        file.name,
        plans.len()
    );
    let mut work = loaded.into_work(staging, &config.fts_config, plans);
    work.tables = empties;
    work.file = Some(file);
    Ok(Ok(work))
}

/// A table of the staging schema, qualified.
fn staged(staging: &str, table: &str) -> String {
    format!("{}.{}", quote_ident(staging), quote_ident(table))
}

/// Whether each table is empty, asked in one query per [`batch::CHUNK`] tables; when PostgreSQL refuses that, one
/// table at a time, so that the error names the table.
async fn empty_tables(tx: &Transaction<'_>, staging: &str, plans: &[TablePlan]) -> Result<Vec<bool>> {
    let mut empty = Vec::new();
    for chunk in plans.chunks(batch::CHUNK) {
        let each: Vec<String> = chunk
            .iter()
            .map(|p| format!("(SELECT NOT EXISTS (SELECT 1 FROM {}))", staged(staging, &p.target)))
            .collect();
        if chunk.len() > 1 {
            if let Some(row) = batch::row(tx, &format!("SELECT {}", each.join(", "))).await? {
                if row.len() == chunk.len() {
                    empty.extend(row.iter().map(|v| v.as_deref() == Some("t")));
                    continue;
                }
            }
        }
        for (plan, sql) in chunk.iter().zip(&each) {
            let is: bool = tx
                .query_one(&format!("SELECT {sql}"), &[])
                .await
                .map_err(Error::pg(format!("look into \"{}\"", plan.target)))?
                .get(0);
            empty.push(is);
        }
    }
    Ok(empty)
}
