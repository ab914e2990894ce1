//! Foreign keys around the load: dropped before, added back after, with a per-constraint orphan report

use tokio_postgres::Transaction;

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::sqlite::Source;
pub(crate) use crate::translate::schema::{ForeignKeyStep, SourceSide};

/// Add every foreign key, each in a savepoint, so that every failing one is reported at once: orphan rows give a
/// data error per constraint with the table, columns, count and the first ten SQLite rowids.
pub(crate) async fn add_all(
    tx: &Transaction<'_>,
    schema: &str,
    steps: &[ForeignKeyStep],
    source: &Source,
) -> Result<()> {
    let steps: Vec<&ForeignKeyStep> = steps.iter().collect();
    orphans_error(add_some(tx, schema, &steps, source).await?)
}

/// Add foreign keys, many in one round trip; when one fails, each is added on its own ([`add_one`]), so that every
/// key with orphan rows comes back as its report, and any other error names its key.
pub(crate) async fn add_some(
    tx: &Transaction<'_>,
    schema: &str,
    steps: &[&ForeignKeyStep],
    source: &Source,
) -> Result<Vec<String>> {
    let reports = crate::load::batch::each(tx, steps, |s| &s.sql, |s| add_one(tx, schema, s, source)).await?;
    Ok(reports.into_iter().flatten().collect())
}

/// Add one foreign key in a savepoint. Orphan rows are not an error here: they come back as the report of this
/// constraint, for [`orphans_error`] to list with the others.
pub(crate) async fn add_one(
    tx: &Transaction<'_>,
    schema: &str,
    step: &ForeignKeyStep,
    source: &Source,
) -> Result<Option<String>> {
    log::debug!("{}: {}", step.what, step.sql);
    tx.batch_execute("SAVEPOINT fk").await.map_err(Error::pg("savepoint"))?;
    match tx.batch_execute(&step.sql).await {
        Ok(()) => {
            tx.batch_execute("RELEASE SAVEPOINT fk").await.map_err(Error::pg("release savepoint"))?;
            Ok(None)
        }
        Err(e) if crate::error::classify(&e) == crate::error::PgClass::ForeignKeyViolation => {
            tx.batch_execute("ROLLBACK TO SAVEPOINT fk").await.map_err(Error::pg("rollback to savepoint"))?;
            Ok(Some(orphan_report(tx, schema, step, source).await?))
        }
        Err(e) => Err(Error::schema(format!("{}: postgresql refused it", step.what)).because(e)),
    }
}

/// One data error listing every foreign key that has orphan rows; Ok when there are none.
pub(crate) fn orphans_error(orphans: Vec<String>) -> Result<()> {
    if orphans.is_empty() {
        Ok(())
    } else {
        Err(Error::data(format!(
            "{} foreign key(s) fail: rows reference missing parent rows (SQLite does not enforce foreign keys by default):\n  - {}",
            orphans.len(),
            orphans.join("\n  - ")
        ))
        .listing(orphans))
    }
}

async fn orphan_report(tx: &Transaction<'_>, schema: &str, step: &ForeignKeyStep, source: &Source) -> Result<String> {
    let q = |v: &[String], alias: &str| v.iter().map(|c| format!("{alias}.{}", quote_ident(c))).collect::<Vec<_>>();
    let child = q(&step.columns, "c");
    let parent = q(&step.parent_columns, "p");
    let not_null = child.iter().map(|c| format!("{c} IS NOT NULL")).collect::<Vec<_>>().join(" AND ");
    let join = child.iter().zip(&parent).map(|(c, p)| format!("{p} = {c}")).collect::<Vec<_>>().join(" AND ");
    let sql = format!(
        "SELECT count(*) FROM {s}.{t} c WHERE {not_null} AND NOT EXISTS (SELECT 1 FROM {s}.{p} p WHERE {join})",
        s = quote_ident(schema),
        t = quote_ident(&step.table),
        p = quote_ident(&step.parent)
    );
    let count: i64 = tx.query_one(&sql, &[]).await.map_err(Error::pg("count orphan rows"))?.get(0);
    let rowids = step.source.as_ref().and_then(|s| sqlite_orphans(source, s).ok()).unwrap_or_default();
    let ids = if rowids.is_empty() {
        String::new()
    } else {
        format!("; first sqlite rowids: {}", rowids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
    };
    Ok(format!(
        "\"{}\"({}) -> \"{}\"({}): {count} orphan row(s){ids}",
        step.table,
        step.columns.join(", "),
        step.parent,
        step.parent_columns.join(", ")
    ))
}

fn sqlite_orphans(source: &Source, s: &SourceSide) -> rusqlite::Result<Vec<i64>> {
    let Some(rowid) = s.rowid_name else { return Ok(Vec::new()) };
    let cond_nn =
        s.columns.iter().map(|c| format!("c.{} IS NOT NULL", quote_ident(c))).collect::<Vec<_>>().join(" AND ");
    let join = s
        .columns
        .iter()
        .zip(&s.parent_columns)
        .map(|(c, p)| format!("p.{} = c.{}", quote_ident(p), quote_ident(c)))
        .collect::<Vec<_>>()
        .join(" AND ");
    let sql = format!(
        "SELECT c.{rowid} FROM {} c WHERE {cond_nn} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {join}) ORDER BY 1 LIMIT 10",
        quote_ident(&s.table),
        quote_ident(&s.parent)
    );
    let mut stmt = source.conn.prepare(&sql)?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect();
    ids
}

/// SCHEMA != auto: drop the target's foreign keys that touch the loaded tables (they come back after the data,
/// in the same transaction), so tables load in any order, cycles and self-references included.
pub(crate) async fn drop_for_load(
    tx: &Transaction<'_>,
    schema: &str,
    fks: &[crate::postgres::catalog::TargetForeignKey],
) -> Result<()> {
    let dropped: Vec<(String, &str)> = fks
        .iter()
        .map(|fk| {
            let sql = format!(
                "ALTER TABLE {}.{} DROP CONSTRAINT {}",
                quote_ident(schema),
                quote_ident(&fk.table),
                quote_ident(&fk.name)
            );
            (sql, fk.name.as_str())
        })
        .collect();
    crate::load::batch::each(
        tx,
        &dropped,
        |(sql, _)| sql,
        |(sql, name)| async move {
            tx.batch_execute(sql).await.map_err(Error::pg(format!("drop foreign key \"{name}\" for the load")))
        },
    )
    .await
    .map(drop)
}
