//! VERIFY=content: every loaded table read back from PostgreSQL and compared, by an order-independent digest, with what was sent
//!
//! While a table is copied, the reader hashes each row's fields as it encodes them (`rows.rs` feeds a
//! [`Rows`]); no second read of SQLite. After the copy, [`table`] reads the table back with binary COPY and hashes
//! it the same way ([`read_back`]); values PostgreSQL normalises are hashed in a canonical form on both sides
//! ([`canon`]). Equal digests: the table holds exactly the rows sent. Otherwise [`locate`] reads the differing
//! groups of rows again on both sides and names the table, column and SQLite row that differ. See
//! docs/verification.md.

mod canon;
mod digest;
mod locate;
mod read_back;

pub(crate) use digest::Rows;

use std::time::Instant;

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::load::plan::TablePlan;
use crate::report::{ContentCheck, TableResult};
use crate::sqlite::Source;

/// A hasher for the rows of `plan`, as sent or as read back.
pub(crate) fn hasher(plan: &TablePlan) -> Rows {
    Rows::new(canons(plan))
}

/// How each column of `plan` is compared; an FTS table's helper columns, dropped after the load, are not.
fn canons(plan: &TablePlan) -> Vec<canon::Canon> {
    let helper =
        |c: &crate::translate::plan::ColumnPlan| plan.search.as_ref().is_some_and(|s| s.helpers.contains(&c.target));
    plan.columns.iter().map(|c| if helper(c) { canon::Canon::Skip } else { canon::Canon::of(&c.ty) }).collect()
}

/// The report's record of a table whose rows `rows` hashed as they were sent.
pub(crate) fn sent(rows: Rows) -> ContentCheck {
    let long = rows.long_columns().to_vec();
    ContentCheck { sent: rows.finish(), read_back: None, long }
}

/// Read back every table of `plans` in `schema` (inside the load's transaction) and compare it with what was sent;
/// a difference is a data error naming the table, column and SQLite row.
pub(crate) async fn verify_all(
    pg: &impl GenericClient,
    source: &Source,
    schema: &str,
    plans: &[TablePlan],
    tables: &mut [TableResult],
) -> Result<()> {
    let mut problems = Vec::new();
    for plan in plans {
        if let Some(result) = tables.iter_mut().find(|t| t.table == plan.target) {
            problems.extend(table(pg, source, schema, plan, result).await?);
        }
    }
    error_for(problems)?;
    log::info!("verified the content of {} table(s)", plans.len());
    Ok(())
}

/// Read back one table and compare it with the digest of what was sent (in `result`, which gets the digest read
/// back); the differences found, each naming the table, column and row. Nothing to do for a table copied without
/// a digest.
pub(crate) async fn table(
    pg: &impl GenericClient,
    source: &Source,
    schema: &str,
    plan: &TablePlan,
    result: &mut TableResult,
) -> Result<Vec<String>> {
    let Some(check) = &mut result.content else { return Ok(Vec::new()) };
    crate::faults::pause("content").await;
    let started = Instant::now();
    let mut rows = hasher(plan);
    read_back::read(pg, schema, plan, &check.long, &mut rows).await?;
    let back = rows.finish();
    let groups = Rows::differing(&check.sent, &back);
    let same = back == check.sent;
    check.read_back = Some(back);
    if same {
        log::info!(
            "\"{}\": content of {} row(s) verified in {:.1}s",
            plan.target,
            check.sent.rows,
            started.elapsed().as_secs_f64()
        );
        return Ok(Vec::new());
    }
    log::warn!("\"{}\": the rows read back differ from the rows sent; looking for them", plan.target);
    locate::locate(pg, source, schema, plan, &check.long, groups).await
}

/// The data error for the differences found; Ok when there are none.
pub(crate) fn error_for(problems: Vec<String>) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::data(format!(
        "content verification: what postgresql holds differs from what was sent:\n  {}",
        problems.join("\n  ")
    ))
    .listing(problems))
}
