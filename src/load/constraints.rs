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

/// Create the views, all in one round trip when PostgreSQL takes them all; else each in a savepoint, in passes, so a
/// view that depends on a later one still gets created; a view PostgreSQL refuses in the end is skipped with its
/// reason (an error under STRICT_SCHEMA).
pub(crate) async fn create_views(tx: &Transaction<'_>, views: &[Step], strict: bool) -> Result<Vec<Skipped>> {
    // most often all of them are created at the first try: then in one round trip
    if views.len() > 1 && crate::load::batch::all(tx, views.iter().map(|v| v.sql.as_str())).await? {
        return Ok(Vec::new());
    }
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

/// Add keys and build indexes, many in one round trip; the error of one PostgreSQL refuses is [`constraint`]'s.
pub(crate) async fn constraints(tx: &Transaction<'_>, steps: &[&Step]) -> Result<()> {
    crate::load::batch::each(tx, steps, |s| &s.sql, |s| constraint(tx, s)).await.map(drop)
}

/// Add one key or build one index; duplicates and NULLs in key columns are data errors naming it.
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

/// An identity column to move past the copied ids: (table, column, AUTOINCREMENT high-water mark).
pub(crate) type Identity = (String, String, Option<i64>);

/// [`restart_identity`] for many columns: their largest ids read in one query, the restarts sent in one round trip;
/// an error is the one [`restart_identity`] gives for its column.
pub(crate) async fn restart_identities(tx: &Transaction<'_>, schema: &str, identities: &[&Identity]) -> Result<()> {
    for chunk in identities.chunks(crate::load::batch::CHUNK) {
        if chunk.len() < 2 || !restart_together(tx, schema, chunk).await? {
            for (table, column, high_water) in chunk.iter().copied() {
                restart_identity(tx, schema, table, column, *high_water).await?;
            }
        }
    }
    Ok(())
}

/// Restart these identities in two round trips; false, with nothing changed, when PostgreSQL refused any of it.
async fn restart_together(tx: &Transaction<'_>, schema: &str, identities: &[&Identity]) -> Result<bool> {
    let maxes: Vec<String> = identities
        .iter()
        .map(|(table, column, _)| {
            format!("(SELECT max({})::bigint FROM {}.{})", quote_ident(column), quote_ident(schema), quote_ident(table))
        })
        .collect();
    let Some(row) = crate::load::batch::row(tx, &format!("SELECT {}", maxes.join(", "))).await? else {
        return Ok(false);
    };
    let mut restarts = Vec::new();
    for ((table, column, high_water), max) in identities.iter().copied().zip(row) {
        if let Some(next) = next_id(table, crate::load::batch::number(max.as_deref())?, *high_water)? {
            restarts.push(restart_sql(schema, table, column, next));
        }
    }
    if restarts.is_empty() {
        return Ok(true);
    }
    crate::load::batch::all(tx, restarts.iter().map(String::as_str)).await
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
    if let Some(next) = next_id(table, max, high_water)? {
        tx.batch_execute(&restart_sql(schema, table, column, next))
            .await
            .map_err(|e| Error::schema(format!("identity of \"{table}\".\"{column}\"")).because(e))?;
        log::debug!("identity \"{table}\".\"{column}\" restarts at {next}");
    }
    Ok(())
}

/// The id an identity column restarts at: past the largest copied id and the high-water mark; None when neither
/// reaches 1.
fn next_id(table: &str, max: Option<i64>, high_water: Option<i64>) -> Result<Option<i64>> {
    let last = match (max, high_water) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let Some(last) = last.filter(|l| *l >= 1) else { return Ok(None) };
    let next =
        last.checked_add(1).ok_or_else(|| Error::data(format!("table \"{table}\": ids reach the largest bigint")))?;
    Ok(Some(next))
}

fn restart_sql(schema: &str, table: &str, column: &str, next: i64) -> String {
    format!(
        "ALTER TABLE {}.{} ALTER COLUMN {} RESTART WITH {next}",
        quote_ident(schema),
        quote_ident(table),
        quote_ident(column)
    )
}
