//! After the data: keys, indexes, views and identity restarts, with clear errors for bad data

use tokio_postgres::Transaction;

use crate::error::{describe_pg, Error, Result};
use crate::ident::quote_ident;
use crate::sqlite::{Skipped, Source};
use crate::translate::schema::Step;

/// Give this transaction's index builds and key checks memory sized for the job: a quarter of the SQLite file,
/// between PostgreSQL's default 64 MB and 1 GB. They run one at a time, so PostgreSQL may share it out among
/// parallel build workers (each needs 32 MB). The staged load's side-by-side builds use less: see
/// `staged::workers::SORT_MEMORY_MB`.
pub(crate) async fn set_maintenance_memory(tx: &Transaction<'_>, source: &Source) -> Result<()> {
    let size = std::fs::metadata(&source.path).map(|m| m.len()).unwrap_or(0);
    let mb = (size / 4 / (1024 * 1024)).clamp(64, 1024);
    tx.batch_execute(&format!("SET LOCAL maintenance_work_mem = '{mb}MB'"))
        .await
        .map_err(Error::pg("set maintenance_work_mem"))
}

/// Create each view in a savepoint, in passes, so a view that depends on a later one still gets created; a view
/// PostgreSQL refuses in the end is skipped with its reason (an error under STRICT_SCHEMA).
pub(crate) async fn create_views(tx: &Transaction<'_>, views: &[Step], strict: bool) -> Result<Vec<Skipped>> {
    let mut pending: Vec<(&Step, String)> = views.iter().map(|v| (v, String::new())).collect();
    loop {
        let before = pending.len();
        let mut failed = Vec::new();
        for (step, _) in pending {
            tx.batch_execute("SAVEPOINT view").await.map_err(Error::pg("savepoint"))?;
            match tx.batch_execute(&step.sql).await {
                Ok(()) => tx.batch_execute("RELEASE SAVEPOINT view").await.map_err(Error::pg("release savepoint"))?,
                Err(e) => {
                    tx.batch_execute("ROLLBACK TO SAVEPOINT view").await.map_err(Error::pg("rollback to savepoint"))?;
                    failed.push((step, describe_pg(&e)));
                }
            }
        }
        pending = failed;
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
    let mut skipped = Vec::new();
    for (step, why) in pending {
        let reason = format!("postgresql refused the translated view: {why}");
        if strict {
            return Err(Error::schema(format!("{}: {reason}", step.what)));
        }
        let name = step.what.trim_start_matches("view ").trim_matches('"').to_string();
        skipped.push(Skipped { kind: "view", name, reason });
    }
    Ok(skipped)
}

pub(crate) async fn constraint(tx: &Transaction<'_>, step: &Step) -> Result<()> {
    log::debug!("{}: {}", step.what, step.sql);
    tx.batch_execute(&step.sql).await.map_err(|e| match crate::error::classify(&e) {
        crate::error::PgClass::UniqueViolation => Error::data(format!(
            "{}: the SQLite data holds duplicates that this unique key forbids (SQLite never enforced it)",
            step.what
        ))
        .because(e),
        crate::error::PgClass::NotNullViolation => {
            Error::data(format!("{}: a key column holds NULL", step.what)).because(e)
        }
        _ => Error::schema(format!("{}: postgresql refused it", step.what)).because(e),
    })
}

/// Move an identity column past the largest copied id, and past SQLite's AUTOINCREMENT high-water mark so ids
/// are never reused.
pub(crate) async fn restart_identity(
    tx: &Transaction<'_>,
    schema: &str,
    table: &str,
    column: &str,
    high_water: Option<i64>,
) -> Result<()> {
    let qtable = format!("{}.{}", quote_ident(schema), quote_ident(table));
    let max: Option<i64> = tx
        .query_one(&format!("SELECT max({})::bigint FROM {qtable}", quote_ident(column)), &[])
        .await
        .map_err(Error::pg(format!("max id of \"{table}\"")))?
        .get(0);
    let last = match (max, high_water) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    if let Some(last) = last.filter(|l| *l >= 1) {
        let next = last
            .checked_add(1)
            .ok_or_else(|| Error::data(format!("table \"{table}\": ids reach the largest bigint")))?;
        let sql = format!("ALTER TABLE {qtable} ALTER COLUMN {} RESTART WITH {next}", quote_ident(column));
        tx.batch_execute(&sql)
            .await
            .map_err(|e| Error::schema(format!("identity of \"{table}\".\"{column}\"")).because(e))?;
        log::debug!("identity \"{table}\".\"{column}\" restarts at {next}");
    }
    Ok(())
}
