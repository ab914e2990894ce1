//! Verification before the commit: every table holds exactly the rows SQLite holds

use tokio_postgres::{GenericClient, Transaction};

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::plan::TablePlan;
use crate::sqlite::Source;

/// Compare SQLite's count(*) with PostgreSQL's for every table; any difference is a data error.
pub(crate) async fn row_counts(tx: &Transaction<'_>, source: &Source, schema: &str, plans: &[TablePlan]) -> Result<()> {
    let mut mismatches = Vec::new();
    for plan in plans {
        mismatches.extend(table(tx, source, &source.conn, schema, plan).await?);
    }
    mismatches_error(mismatches)?;
    log::info!("verified row counts of {} table(s)", plans.len());
    Ok(())
}

/// Compare one table's counts, SQLite's through `sqlite` (a connection to `source`); a difference comes back as
/// its description.
pub(crate) async fn table(
    pg: &impl GenericClient,
    source: &Source,
    sqlite: &rusqlite::Connection,
    schema: &str,
    plan: &TablePlan,
) -> Result<Option<String>> {
    let sql = format!("SELECT count(*) FROM {}", quote_ident(&plan.source));
    let in_sqlite: i64 = sqlite
        .query_row(&sql, [], |r| r.get(0))
        .map_err(|e| source.error(format!("count of \"{}\"", plan.source)).because(e))?;
    let in_pg: i64 = pg
        .query_one(&format!("SELECT count(*) FROM {}.{}", quote_ident(schema), quote_ident(&plan.target)), &[])
        .await
        .map_err(Error::pg(format!("count of \"{}\"", plan.target)))?
        .get(0);
    Ok((in_sqlite != in_pg).then(|| format!("\"{}\": sqlite {in_sqlite}, postgresql {in_pg}", plan.target)))
}

/// The data error for the tables whose counts differ; Ok when none does.
pub(crate) fn mismatches_error(mismatches: Vec<String>) -> Result<()> {
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(Error::data(format!("row counts differ: {}", mismatches.join("; "))).listing(mismatches))
    }
}
