//! Verification inside the transaction: every table holds exactly the rows SQLite holds

use tokio_postgres::Transaction;

use crate::ddl::quote_ident;
use crate::error::{Error, Result};
use crate::plan::TablePlan;
use crate::source::Source;

/// Compare SQLite's count(*) with PostgreSQL's for every table; any difference is a data error.
pub async fn row_counts(tx: &Transaction<'_>, source: &Source, schema: &str, plans: &[TablePlan]) -> Result<()> {
    let mut mismatches = Vec::new();
    for plan in plans {
        let sql = format!("SELECT count(*) FROM {}", quote_ident(&plan.source));
        let sqlite: i64 = source
            .conn
            .query_row(&sql, [], |r| r.get(0))
            .map_err(|e| source.error(format!("count of \"{}\": {e}", plan.source)))?;
        let pg: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {}.{}", quote_ident(schema), quote_ident(&plan.target)), &[])
            .await
            .map_err(Error::pg(format!("count of \"{}\"", plan.target)))?
            .get(0);
        if sqlite != pg {
            mismatches.push(format!("\"{}\": sqlite {sqlite}, postgresql {pg}", plan.target));
        }
    }
    if mismatches.is_empty() {
        log::info!("verified row counts of {} table(s)", plans.len());
        Ok(())
    } else {
        Err(Error::Data(format!("row counts differ: {}", mismatches.join("; "))))
    }
}
