//! Many statements in one round trip, inside a savepoint, so a refusal can be undone and retraced step by step
//!
//! Hundreds of small tables make hundreds of statements of each kind, each a few milliseconds of work and a round
//! trip. [`all`] sends them together. When PostgreSQL refuses one, the batch is undone (the transaction stays
//! usable) and the caller runs the same statements one at a time, each with its own error, so that the error names
//! the table and the step exactly as it would have alone.

use std::future::Future;

use tokio_postgres::{SimpleQueryMessage, Transaction};

use crate::error::{describe_pg, Error, Result};

/// Statements or select lists sent in one round trip, at most: bounds the size of one query string.
pub(crate) const CHUNK: usize = 500;

/// Run each item's statement, up to [`CHUNK`] of them in one round trip. A chunk PostgreSQL refuses is undone and
/// its items run one at a time through `one`, whose error names the item. Returns what `one` returned, for the items
/// it ran.
pub(crate) async fn each<'s, T, O, Fut>(
    tx: &Transaction<'_>,
    items: &'s [T],
    sql: impl Fn(&T) -> &str,
    mut one: impl FnMut(&'s T) -> Fut,
) -> Result<Vec<O>>
where
    Fut: Future<Output = Result<O>>,
{
    let mut out = Vec::new();
    for chunk in items.chunks(CHUNK) {
        if chunk.len() > 1 && all(tx, chunk.iter().map(&sql)).await? {
            continue;
        }
        for item in chunk {
            out.push(one(item).await?);
        }
    }
    Ok(out)
}

/// Run `statements` in one round trip inside a savepoint. True when all ran; false when PostgreSQL refused one:
/// then none of them took effect, and the caller runs them one by one to find and report it. An error only when
/// the batch could not be undone (the connection is gone, say).
pub(crate) async fn all<'s>(tx: &Transaction<'_>, statements: impl IntoIterator<Item = &'s str>) -> Result<bool> {
    let mut sql = String::from("SAVEPOINT sqlite2pg_batch;\n");
    for statement in statements {
        log::debug!("{statement}");
        sql.push_str(statement);
        // on a line of its own: a statement may end with a comment
        sql.push_str("\n;\n");
    }
    sql.push_str("RELEASE SAVEPOINT sqlite2pg_batch");
    match tx.batch_execute(&sql).await {
        Ok(()) => Ok(true),
        Err(e) => undo(tx, &e).await.map(|()| false),
    }
}

/// One row of a select list (`SELECT (...), (...)`) in one round trip inside a savepoint, as text (NULL as None).
/// None when PostgreSQL refused it: nothing happened, and the caller asks again one item at a time.
pub(crate) async fn row(tx: &Transaction<'_>, select: &str) -> Result<Option<Vec<Option<String>>>> {
    let sql = format!("SAVEPOINT sqlite2pg_batch; {select}; RELEASE SAVEPOINT sqlite2pg_batch");
    let messages = match tx.simple_query(&sql).await {
        Ok(messages) => messages,
        Err(e) => return undo(tx, &e).await.map(|()| None),
    };
    let row = messages.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(row) => Some((0..row.len()).map(|i| row.get(i).map(str::to_string)).collect()),
        _ => None,
    });
    Ok(row)
}

/// The batch failed: undo it, keeping the transaction usable.
async fn undo(tx: &Transaction<'_>, e: &tokio_postgres::Error) -> Result<()> {
    log::debug!("a batch failed ({}): undone, going on one statement at a time", describe_pg(e));
    tx.batch_execute("ROLLBACK TO SAVEPOINT sqlite2pg_batch; RELEASE SAVEPOINT sqlite2pg_batch")
        .await
        .map_err(|undo| Error::pg(format!("undo a batch postgresql refused ({})", describe_pg(e)))(undo))
}

/// A whole number PostgreSQL sent as text (a `count(*)` or `max(...)::bigint`).
pub(crate) fn number(text: Option<&str>) -> Result<Option<i64>> {
    text.map(|t| t.parse::<i64>().map_err(|e| Error::other(format!("postgresql sent {t:?} for a number: {e}"))))
        .transpose()
}
