//! The parallel part of a staged load: big tables copied and keyed on pooled connections, their indexes built side
//! by side, small tables loaded in groups, foreign keys added as soon as their tables are ready

use std::cell::RefCell;
use std::collections::HashMap;

use futures_util::future::{join, join_all, FutureExt, LocalBoxFuture};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use tokio::sync::Notify;

use super::group;
use super::workers::Workers;
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::constraints as post;
use crate::load::copy::TableResult;
use crate::load::foreign_keys::{self, ForeignKeyStep};
use crate::load::plan::TablePlan;
use crate::load::work::Work;
use crate::sqlite::Source;
use crate::translate::schema::Step;

/// What the tasks found, collected as they finish.
#[derive(Default)]
struct Findings {
    tables: Vec<TableResult>,
    errors: Vec<Error>,
    orphans: Vec<String>,
}

/// Load every table into the staging schema with up to JOBS connections: big tables step by step, small ones in
/// groups ([`group`]). The first error cancels the rest. Foreign keys with orphan rows are all reported together,
/// as in a one-transaction run. The tables copied come back whatever the outcome, for the report.
pub(crate) async fn build(workers: &Workers, source: &Source, work: &Work) -> (Vec<TableResult>, Result<()>) {
    let plans = &work.plans;
    let found = RefCell::new(Findings::default());
    let failed = Notify::new();
    let fail = |e: Error| {
        found.borrow_mut().errors.push(e);
        failed.notify_one();
    };

    let units = group::units(plans, workers.jobs());
    let unit_of: HashMap<&str, usize> =
        units.iter().enumerate().flat_map(|(n, u)| u.tables().iter().map(move |p| (p.target.as_str(), n))).collect();
    // a group adds the foreign keys among its own tables; the other keys of a group's tables are added together
    // once all their tables are ready, and each key of a big table on its own
    let mut inside: Vec<Vec<&ForeignKeyStep>> = vec![Vec::new(); units.len()];
    let mut from_group: Vec<Vec<&ForeignKeyStep>> = vec![Vec::new(); units.len()];
    let mut alone: Vec<Vec<&ForeignKeyStep>> = Vec::new();
    for fk in &work.foreign_keys {
        let (child, parent) = (unit_of.get(fk.table.as_str()), unit_of.get(fk.parent.as_str()));
        match child.map(|&n| (n, &units[n])) {
            Some((n, group::Unit::Group(_))) if parent == Some(&n) => inside[n].push(fk),
            Some((n, group::Unit::Group(_))) => from_group[n].push(fk),
            _ => alone.push(vec![fk]),
        }
    }
    let chains: Vec<_> = units
        .iter()
        .zip(&inside)
        .map(|(unit, fks)| {
            let done = async {
                let loaded = match unit {
                    group::Unit::Table(plan) => {
                        table(workers, source, plan, work).await.map(|(r, problems)| (vec![r], Vec::new(), problems))
                    }
                    group::Unit::Group(plans) => group::load(workers, source, plans, work, fks).await,
                };
                match loaded {
                    Ok((tables, orphans, problems)) => {
                        {
                            let mut found = found.borrow_mut();
                            found.tables.extend(tables);
                            found.orphans.extend(orphans);
                        }
                        // VERIFY=content found a difference: the table, with both digests, is in the report
                        match crate::load::content::error_for(problems) {
                            Ok(()) => true,
                            Err(e) => {
                                fail(e);
                                false
                            }
                        }
                    }
                    Err(e) => {
                        fail(e);
                        false
                    }
                }
            };
            done.boxed_local().shared()
        })
        .collect();
    let foreign_keys = from_group.into_iter().filter(|fks| !fks.is_empty()).chain(alone).map(|fks| {
        let (found, fail, chains, unit_of) = (&found, &fail, &chains, &unit_of);
        async move {
            // a table that is not loaded (one the schema file made and filled itself) is ready from the start
            let mut needed: Vec<usize> = fks
                .iter()
                .flat_map(|fk| [&fk.table, &fk.parent])
                .filter_map(|t| unit_of.get(t.as_str()).copied())
                .collect();
            needed.sort_unstable();
            needed.dedup();
            for n in needed {
                if !chains[n].clone().await {
                    return;
                }
            }
            match foreign_keys_together(workers, source, &fks).await {
                Ok(orphans) => found.borrow_mut().orphans.extend(orphans),
                Err(e) => fail(e),
            }
        }
    });
    // polled in this order, so the biggest tables ask for connections first
    let everything = join(join_all(chains.iter().cloned()), join_all(foreign_keys));
    tokio::select! {
        _ = everything => {}
        _ = failed.notified() => {}
    }
    let found = std::mem::take(&mut *found.borrow_mut());
    let position: HashMap<&str, usize> = plans.iter().enumerate().map(|(n, p)| (p.target.as_str(), n)).collect();
    let mut tables = found.tables;
    tables.sort_by_key(|r| position.get(r.table.as_str()).copied());
    if let Some(e) = found.errors.into_iter().next() {
        workers.cancel_all().await;
        return (tables, Err(e));
    }
    let orphans = foreign_keys::orphans_error(found.orphans);
    (tables, orphans)
}

/// One table: create (or empty) it, copy its rows and commit; add its keys, move its identity past the copied ids
/// and compare the row counts; build its indexes side by side, and beside them (VERIFY=content) read the table
/// back and compare it with what was sent. A schema file's keys attach indexes built among the others, so there
/// the indexes come first.
async fn table(
    workers: &Workers,
    source: &Source,
    plan: &TablePlan,
    work: &Work,
) -> Result<(TableResult, Vec<String>)> {
    let mine = |s: &&Step| s.table == plan.target;
    let (indexes, keys): (Vec<&Step>, Vec<&Step>) =
        work.keys.iter().filter(mine).partition(|s| s.sql.starts_with("CREATE "));
    let mut result = copy(workers, source, plan, work).await?;
    if !work.keys_attach_indexes {
        add_keys(workers, source, plan, work, &keys).await?;
    }
    let problems = indexes_and_content(workers, source, plan, &indexes, &mut result).await?;
    if work.keys_attach_indexes {
        add_keys(workers, source, plan, work, &keys).await?;
    }
    Ok((result, problems))
}

/// VERIFY=content: read the table back on a connection of its own and compare it with what was sent; the
/// differences, each naming the table, column and row. Nothing to do for a table copied without a digest.
async fn check_content(
    workers: &Workers,
    source: &Source,
    plan: &TablePlan,
    result: &mut TableResult,
) -> Result<Vec<String>> {
    if result.content.is_none() {
        return Ok(Vec::new());
    }
    let mut client = workers.get().await?;
    let tx = client.begin().await?;
    let problems = crate::load::content::table(&*tx, source, workers.staging(), plan, result).await?;
    tx.commit().await.map_err(Error::pg(format!("commit the read-back of \"{}\"", plan.target)))?;
    Ok(problems)
}

/// Create (or empty) the table and copy its rows, frozen when it was created or emptied in the same transaction;
/// then fill its search columns.
async fn copy(workers: &Workers, source: &Source, plan: &TablePlan, work: &Work) -> Result<TableResult> {
    let mut client = workers.get().await?;
    let tx = client.begin().await?;
    let mut created = false;
    for step in work.tables.iter().filter(|s| s.table == plan.target) {
        crate::load::schema::run_step(&tx, step).await?;
        created = true;
    }
    let result = crate::load::copy::copy_table(&tx, source, workers.staging(), plan, 0, created, work.content).await?;
    for step in work.fills.iter().filter(|s| s.table == plan.target) {
        tx.batch_execute(&step.sql).await.map_err(Error::pg(step.what.clone()))?;
    }
    tx.commit().await.map_err(Error::pg(format!("commit \"{}\"", plan.target)))?;
    crate::faults::pause("copy").await;
    Ok(result)
}

/// Add the table's keys, move its identities past the copied ids and verify its row count, in one transaction.
async fn add_keys(workers: &Workers, source: &Source, plan: &TablePlan, work: &Work, keys: &[&Step]) -> Result<()> {
    let mut client = workers.get().await?;
    let started = std::time::Instant::now();
    let tx = client.begin().await?;
    post::constraints(&tx, keys).await?;
    let identities: Vec<&post::Identity> = work.identities.iter().filter(|(table, ..)| *table == plan.target).collect();
    post::restart_identities(&tx, workers.staging(), &identities).await?;
    let sqlite = source.reopen()?;
    let mismatch = crate::load::verify::table(&*tx, source, &sqlite, workers.staging(), plan).await?;
    crate::load::verify::mismatches_error(mismatch.into_iter().collect())?;
    tx.commit().await.map_err(Error::pg(format!("commit the keys of \"{}\"", plan.target)))?;
    log::info!("\"{}\": keys added and row count verified in {:.1}s", plan.target, started.elapsed().as_secs_f64());
    Ok(())
}

/// A job of [`indexes_and_content`]: the differences the read-back found, or nothing (an index).
type Job<'a> = LocalBoxFuture<'a, Result<Vec<String>>>;

/// Build a table's indexes side by side, each in its own transaction on its own connection, and (VERIFY=content)
/// read the table back among them: no more at once than there are indexes (one at least), so that the read-back
/// asks for no connection the indexes would not have taken (through a session pooler, a connection beyond its pool
/// waits until another client leaves). The read-back goes last, in the place of the first index built: an index
/// build that waited for it would add its whole time to the load's. The read-back's differences come back.
async fn indexes_and_content(
    workers: &Workers,
    source: &Source,
    plan: &TablePlan,
    indexes: &[&Step],
    result: &mut TableResult,
) -> Result<Vec<String>> {
    let at_once = indexes.len().max(1);
    let content: Job<'_> = check_content(workers, source, plan, result).boxed_local();
    let builds = indexes.iter().map(|step| -> Job<'_> {
        async move {
            let mut client = workers.get().await?;
            let started = std::time::Instant::now();
            let tx = client.begin().await?;
            post::constraint(&tx, step).await?;
            tx.commit().await.map_err(Error::pg(format!("commit {}", step.what)))?;
            log::info!("built {} in {:.1}s", step.what, started.elapsed().as_secs_f64());
            Ok(Vec::new())
        }
        .boxed_local()
    });
    let done: Vec<Vec<String>> =
        stream::iter(builds.chain(std::iter::once(content))).buffer_unordered(at_once).try_collect().await?;
    Ok(done.into_iter().flatten().collect())
}

/// Add foreign keys together on one connection, in one transaction; their orphan rows, if any, come back as
/// reports.
async fn foreign_keys_together(workers: &Workers, source: &Source, fks: &[&ForeignKeyStep]) -> Result<Vec<String>> {
    let mut client = workers.get().await?;
    let started = std::time::Instant::now();
    let tx = client.begin().await?;
    // ADD FOREIGN KEY locks the child, then the parent; two keys in opposite directions between the same tables
    // would deadlock. Locking all their tables first, always in name order, makes every key wait its turn instead.
    let mut tables: Vec<&str> = fks.iter().flat_map(|fk| [fk.table.as_str(), fk.parent.as_str()]).collect();
    tables.sort_unstable();
    tables.dedup();
    let names: Vec<String> =
        tables.iter().map(|t| format!("{}.{}", quote_ident(workers.staging()), quote_ident(t))).collect();
    let what = fks.iter().map(|fk| fk.what.as_str()).collect::<Vec<_>>().join(", ");
    let lock = format!("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE", names.join(", "));
    tx.batch_execute(&lock).await.map_err(Error::pg(format!("lock the tables of {what}")))?;
    let orphans = foreign_keys::add_some(&tx, workers.staging(), fks, source).await?;
    tx.commit().await.map_err(Error::pg(format!("commit {what}")))?;
    if orphans.is_empty() {
        log::info!("checked {what} in {:.1}s", started.elapsed().as_secs_f64());
    }
    Ok(orphans)
}
