//! Verification before the commit: every table holds exactly the rows SQLite holds

use tokio_postgres::{GenericClient, Transaction};

use super::batch;
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::plan::TablePlan;
use crate::sqlite::Source;

/// Compare SQLite's count(*) with PostgreSQL's for every table; any difference is a data error.
pub(crate) async fn row_counts(tx: &Transaction<'_>, source: &Source, schema: &str, plans: &[TablePlan]) -> Result<()> {
    let plans: Vec<&TablePlan> = plans.iter().collect();
    mismatches_error(tables(tx, source, &source.conn, schema, &plans).await?)?;
    log::info!("verified row counts of {} table(s)", plans.len());
    Ok(())
}

/// Compare the counts of many tables, SQLite's in one statement and PostgreSQL's in one query (per
/// [`batch::CHUNK`] tables); the differences come back as their descriptions. An error (a count that could not be
/// read) names its table, as [`table`]'s does.
pub(crate) async fn tables(
    pg: &Transaction<'_>,
    source: &Source,
    sqlite: &rusqlite::Connection,
    schema: &str,
    plans: &[&TablePlan],
) -> Result<Vec<String>> {
    let mut mismatches = Vec::new();
    for chunk in plans.chunks(batch::CHUNK) {
        match together(pg, sqlite, schema, chunk).await? {
            Some(found) => mismatches.extend(found),
            None => {
                for plan in chunk {
                    mismatches.extend(table(pg, source, sqlite, schema, plan).await?);
                }
            }
        }
    }
    Ok(mismatches)
}

/// The counts of several tables in one statement on each side; None when either side refused (nothing happened).
async fn together(
    pg: &Transaction<'_>,
    sqlite: &rusqlite::Connection,
    schema: &str,
    plans: &[&TablePlan],
) -> Result<Option<Vec<String>>> {
    if plans.len() < 2 {
        return Ok(None);
    }
    let counts = |name: &dyn Fn(&TablePlan) -> String| {
        let each: Vec<String> = plans.iter().map(|p| format!("(SELECT count(*) FROM {})", name(p))).collect();
        format!("SELECT {}", each.join(", "))
    };
    let in_sqlite = sqlite.query_row(&counts(&|p| quote_ident(&p.source)), [], |r| {
        (0..plans.len()).map(|i| r.get::<_, i64>(i)).collect::<rusqlite::Result<Vec<i64>>>()
    });
    let Ok(in_sqlite) = in_sqlite else { return Ok(None) };
    let in_pg = counts(&|p| format!("{}.{}", quote_ident(schema), quote_ident(&p.target)));
    let Some(in_pg) = batch::row(pg, &in_pg).await? else { return Ok(None) };
    let mut mismatches = Vec::new();
    for ((plan, in_sqlite), in_pg) in plans.iter().zip(in_sqlite).zip(in_pg) {
        let in_pg = batch::number(in_pg.as_deref())?.unwrap_or(0);
        if in_sqlite != in_pg {
            mismatches.push(format!("\"{}\": sqlite {in_sqlite}, postgresql {in_pg}", plan.target));
        }
    }
    Ok(Some(mismatches))
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
