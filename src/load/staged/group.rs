//! Small tables loaded together: one worker, one transaction, the statements of all of them in a few round trips
//!
//! A table of a few hundred rows is a few milliseconds of work; loaded on its own, its round trips, transactions
//! and connection hand-overs would cost more than the work. Tables up to [`SMALL_ROWS`] rows go into groups, each
//! created, copied, keyed, indexed and verified in one transaction, with the foreign keys among its own tables.

use std::collections::HashSet;
use std::time::Instant;

use super::workers::Workers;
use crate::error::{Error, Result};
use crate::load::constraints as post;
use crate::load::copy::TableResult;
use crate::load::foreign_keys::{self, ForeignKeyStep};
use crate::load::plan::TablePlan;
use crate::load::work::Work;
use crate::sqlite::Source;
use crate::translate::schema::Step;

/// Tables of up to this many rows are loaded in groups: their copy, keys and indexes take milliseconds.
const SMALL_ROWS: u64 = 10_000;
/// At most this many rows in one group, so that a group stays a short transaction.
const GROUP_ROWS: u64 = 50_000;
/// At most this many tables in one group; fewer when there are few small tables, so that every worker gets some.
const GROUP_TABLES: usize = 16;

/// What the staged load is made of, in the order the units ask for a connection: each table too big to group on
/// its own (the biggest first), then the groups of small tables.
pub(super) enum Unit<'w> {
    /// One table, loaded step by step: its copy, its keys and each index in transactions of their own, on whichever
    /// connections are free.
    Table(&'w TablePlan),
    /// Small tables loaded together ([`load`]).
    Group(Vec<&'w TablePlan>),
}

impl<'w> Unit<'w> {
    /// The tables of the unit.
    pub(super) fn tables(&self) -> &[&'w TablePlan] {
        match self {
            Unit::Table(plan) => std::slice::from_ref(plan),
            Unit::Group(plans) => plans,
        }
    }
}

/// Split the tables into units for `jobs` connections.
pub(super) fn units(plans: &[TablePlan], jobs: usize) -> Vec<Unit<'_>> {
    let mut order: Vec<&TablePlan> = plans.iter().collect();
    order.sort_by_key(|p| std::cmp::Reverse(p.source_rows));
    let split = order.partition_point(|p| p.source_rows > SMALL_ROWS);
    let small = order.split_off(split);
    let mut units: Vec<Unit<'_>> = order.into_iter().map(Unit::Table).collect();
    // a few groups per connection, so that they even out
    let per_group = small.len().div_ceil(4 * jobs.max(1)).clamp(1, GROUP_TABLES);
    let mut group: Vec<&TablePlan> = Vec::new();
    let mut rows = 0;
    for plan in small {
        if !group.is_empty() && (group.len() == per_group || rows + plan.source_rows > GROUP_ROWS) {
            units.push(Unit::Group(std::mem::take(&mut group)));
            rows = 0;
        }
        rows += plan.source_rows;
        group.push(plan);
    }
    if !group.is_empty() {
        units.push(Unit::Group(group));
    }
    units
}

/// Load a group of small tables in one transaction: create (or empty) them, copy their rows (frozen when created
/// or emptied here), fill their search columns, add their keys and indexes, move their identities past the copied
/// ids, compare their row counts with SQLite's, add the foreign keys `fks` among them and (VERIFY=content) read
/// them back. The orphan rows of those keys come back as their reports, then the read-back's differences.
pub(super) async fn load(
    workers: &Workers,
    source: &Source,
    plans: &[&TablePlan],
    work: &Work,
    fks: &[&ForeignKeyStep],
) -> Result<(Vec<TableResult>, Vec<String>, Vec<String>)> {
    let names: HashSet<&str> = plans.iter().map(|p| p.target.as_str()).collect();
    let mine = |s: &&Step| names.contains(s.table.as_str());
    let mut client = workers.get().await?;
    let started = Instant::now();
    let tx = client.begin().await?;
    let created: Vec<&Step> = work.tables.iter().filter(mine).collect();
    crate::load::schema::run_steps(&tx, &created).await?;
    let mut results = Vec::new();
    for plan in plans {
        let frozen = created.iter().any(|s| s.table == plan.target);
        results
            .push(crate::load::copy::copy_table(&tx, source, workers.staging(), plan, 0, frozen, work.content).await?);
        for step in work.fills.iter().filter(|s| s.table == plan.target) {
            tx.batch_execute(&step.sql).await.map_err(Error::pg(step.what.clone()))?;
        }
    }
    // a schema file's keys attach indexes built among the others, so there the indexes come first
    let (indexes, keys): (Vec<&Step>, Vec<&Step>) =
        work.keys.iter().filter(mine).partition(|s| s.sql.starts_with("CREATE "));
    let built = if work.keys_attach_indexes { [indexes, keys].concat() } else { [keys, indexes].concat() };
    post::constraints(&tx, &built).await?;
    let identities: Vec<&post::Identity> =
        work.identities.iter().filter(|(table, ..)| names.contains(table.as_str())).collect();
    post::restart_identities(&tx, workers.staging(), &identities).await?;
    let sqlite = source.reopen()?;
    let mismatches = crate::load::verify::tables(&tx, source, &sqlite, workers.staging(), plans).await?;
    crate::load::verify::mismatches_error(mismatches)?;
    let orphans = foreign_keys::add_some(&tx, workers.staging(), fks, source).await?;
    // VERIFY=content: each table read back in the same transaction and compared with what was sent
    let mut problems = Vec::new();
    for (plan, result) in plans.iter().zip(results.iter_mut()) {
        problems.extend(crate::load::content::table(&*tx, source, workers.staging(), plan, result).await?);
    }
    tx.commit().await.map_err(Error::pg(format!("commit {}", listed(plans))))?;
    crate::faults::pause("copy").await;
    log::info!(
        "{} small table(s) ({}) loaded together: keys and indexes added, row counts verified in {:.1}s",
        plans.len(),
        listed(plans),
        started.elapsed().as_secs_f64()
    );
    Ok((results, orphans, problems))
}

/// The tables' names, quoted, comma-separated.
fn listed(plans: &[&TablePlan]) -> String {
    plans.iter().map(|p| format!("\"{}\"", p.target)).collect::<Vec<_>>().join(", ")
}
