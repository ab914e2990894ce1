//! Copy each table: a SQLite reader thread encodes binary COPY data into a bounded channel; COPY streams it in

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::SinkExt;
use tokio_postgres::Transaction;

use crate::error::{Error, Kind, Result};
use crate::ident::quote_ident;
use crate::load::plan::TablePlan;
use crate::load::rows as reader;
use crate::sqlite::Source;

/// Chunks in flight between the reader and COPY: bounds memory whatever the table size. Four keep COPY fed (eight
/// were no faster on the benchmark) and peak memory nearly the same for a 100 MB and a 1 GB file.
pub(crate) use crate::report::{RoundedColumn, TableResult};

const CHANNEL_DEPTH: usize = 4;
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Copy every table; under CHECK_ONLY each in a savepoint, so that every table's problems are reported at once.
/// `freeze`: the tables were created in this transaction, so COPY may write the rows frozen (no later rewrite
/// of hint bits or anti-wraparound vacuum of freshly loaded data). `content`: hash the rows as they are sent
/// (VERIFY=content).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn copy_all(
    tx: &Transaction<'_>,
    source: &Source,
    schema: &str,
    plans: &[TablePlan],
    check_only: bool,
    freeze: bool,
    content: bool,
    results: &mut Vec<TableResult>,
) -> Result<()> {
    let (mut problems, mut listed) = (Vec::new(), Vec::new());
    for plan in plans {
        if !check_only {
            results.push(copy_table(tx, source, schema, plan, 0, freeze, content).await?);
            crate::faults::pause("copy").await;
            continue;
        }
        tx.batch_execute("SAVEPOINT copy").await.map_err(Error::pg("savepoint"))?;
        match copy_table(tx, source, schema, plan, 99, false, content).await {
            Ok(r) => results.push(r),
            Err(e) if e.kind() == Kind::Data => {
                tx.batch_execute("ROLLBACK TO SAVEPOINT copy").await.map_err(Error::pg("rollback to savepoint"))?;
                listed.extend(e.problems().iter().cloned());
                problems.push(e.message());
            }
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::data(format!(
            "{} table(s) hold values that cannot be loaded:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ))
        .listing(listed))
    }
}

/// Stream every row of `plan` into its target table inside `tx`.
/// `report_up_to` > 0 (CHECK_ONLY) keeps reading after a bad value to report that many more. `content`: hash the
/// rows as they are sent, into the result (VERIFY=content).
pub(crate) async fn copy_table(
    tx: &Transaction<'_>,
    source: &Source,
    schema: &str,
    plan: &TablePlan,
    report_up_to: usize,
    freeze: bool,
    content: bool,
) -> Result<TableResult> {
    let started = Instant::now();
    let columns: Vec<String> = plan.columns.iter().map(|c| quote_ident(&c.target)).collect();
    let copy_sql = format!(
        "COPY {}.{} ({}) FROM STDIN (FORMAT binary{})",
        quote_ident(schema),
        quote_ident(&plan.target),
        columns.join(", "),
        if freeze { ", FREEZE" } else { "" }
    );
    let pg_err = |e: tokio_postgres::Error| copy_error(&plan.target, e);
    let sink = tx.copy_in::<_, bytes::Bytes>(&copy_sql).await.map_err(pg_err)?;
    futures_util::pin_mut!(sink);

    let (sender, mut receiver) = tokio::sync::mpsc::channel(CHANNEL_DEPTH);
    let progress = Arc::new(AtomicU64::new(0));
    let conn = source.reopen()?;
    let mut spec = crate::load::plan::read_spec(plan);
    spec.report_up_to = report_up_to;
    let counters: Vec<(String, Arc<AtomicU64>)> =
        spec.columns.iter().filter_map(|c| c.rounded.clone().map(|n| (c.source.clone(), n))).collect();
    let reader_progress = progress.clone();
    let mut digest = content.then(|| crate::load::content::hasher(plan));
    let reader = tokio::task::spawn_blocking(move || {
        reader::read_table(&conn, &spec, &sender, &reader_progress, digest.as_mut()).map(|read| (read, digest))
    });

    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
    let mut send_error = None;
    loop {
        tokio::select! {
            chunk = receiver.recv() => match chunk {
                Some(bytes) => if let Err(e) = sink.send(bytes).await {
                    send_error = Some(e);
                    break;
                },
                None => break,
            },
            _ = ticker.tick() => log_progress(plan, progress.load(Ordering::Relaxed), started.elapsed()),
        }
    }
    drop(receiver);
    let (read, digest) =
        reader.await.map_err(|e| Error::other(format!("reader of \"{}\" failed", plan.source)).because(e))??;
    if let Some(e) = send_error {
        return Err(pg_err(e));
    }
    let copied = sink.as_mut().finish().await.map_err(pg_err)?;
    let seconds = started.elapsed().as_secs_f64();
    if read != copied {
        return Err(Error::data(format!("table \"{}\": read {read} rows but postgresql stored {copied}", plan.source)));
    }
    log::info!("copied {copied} rows into \"{}\" in {seconds:.1}s", plan.target);
    let rounded: Vec<RoundedColumn> = counters
        .into_iter()
        .map(|(column, n)| RoundedColumn { table: plan.source.clone(), column, values: n.load(Ordering::Relaxed) })
        .collect();
    for r in rounded.iter().filter(|r| r.values > 0) {
        log::warn!(
            "rounded {} value(s) of \"{}\".\"{}\" to the precision of their column (ROUND_TIME)",
            r.values,
            r.table,
            r.column
        );
    }
    Ok(TableResult {
        table: plan.target.clone(),
        source_rows: plan.source_rows,
        copied_rows: copied,
        seconds,
        rounded,
        content: digest.map(crate::load::content::sent),
    })
}

fn copy_error(table: &str, e: tokio_postgres::Error) -> Error {
    match crate::error::classify(&e) {
        crate::error::PgClass::Other | crate::error::PgClass::Transient => {
            Error::pg(format!("copy into \"{table}\""))(e)
        }
        _ => Error::data(format!("copy into \"{table}\"")).because(e),
    }
}

fn log_progress(plan: &TablePlan, done: u64, elapsed: Duration) {
    let secs = elapsed.as_secs_f64().max(0.001);
    let rate = done as f64 / secs;
    let total = plan.source_rows.max(done);
    let pct = if total == 0 { 100.0 } else { done as f64 * 100.0 / total as f64 };
    let left = if rate > 0.0 { (total - done) as f64 / rate } else { 0.0 };
    log::info!("\"{}\": {done}/{total} rows ({pct:.1}%), {rate:.0} rows/s, about {left:.0}s left", plan.target);
}
