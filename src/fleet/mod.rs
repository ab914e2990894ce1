//! A fleet of SQLite files: each file migrated by a run of its own, up to JOBS at once, then one summary
//!
//! Each file is a whole run, as the crate's `run` does one file: its own migration lock (one per target schema),
//! its own transaction and its own ledger row, so it commits or fails on its own, and a rerun skips the files the
//! ledger records as migrated. JOBS workers, each a thread with a runtime of its own, take the files in their
//! sorted order; each file loads in one transaction on one connection (JOBS=1), and holds one more for its lock,
//! so a fleet opens at most 2 × JOBS connections. Each log line of a file's run begins with that file's name. A signal stops the files that are loading (nothing of theirs is
//! committed) and starts no other.

mod label;
mod report;

pub use label::log_prefix;
use label::Label;
pub use report::{FileOutcome, FileResult, FleetReport};

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::config::{Config, Fleet, Member};
use crate::error::{Error, Signal};
use crate::report::Report;

/// What stops a fleet: None until SIGINT or SIGTERM arrives, then the signal.
pub type Stop = tokio::sync::watch::Receiver<Option<Signal>>;

/// The run of one file: its report, and the error that ended it, if one did.
pub type OneRun<'a> = Pin<Box<dyn Future<Output = (Report, Option<Error>)> + 'a>>;

/// The signal that stops the run of one file.
pub type Stopped = Pin<Box<dyn Future<Output = Signal> + Send>>;

/// Migrate every file of the fleet, `one` running each, and report them all.
pub fn run(
    fleet: &Fleet,
    stop: &Stop,
    one: &(dyn for<'a> Fn(&'a Config, Stopped) -> OneRun<'a> + Sync),
) -> FleetReport {
    let started = Instant::now();
    let mut report = FleetReport::new(fleet);
    let Some(first) = fleet.members.first() else {
        match fleet.shard {
            Some((index, shards)) => log::warn!(
                "shard {index} of {shards} holds no file: the fleet has {} file(s) (SHARDS is more than that)",
                fleet.total
            ),
            None => log::warn!("the fleet holds no file"),
        }
        report.close(Vec::new(), None, *stop.borrow(), started.elapsed().as_secs_f64());
        return report;
    };
    log::info!(
        "{} file(s) in SQLITE_PATH {}{}; migrating up to {} at once, each in one transaction into its own schema",
        fleet.members.len(),
        fleet.pattern,
        fleet.shard.map_or(String::new(), |(i, n)| format!(" (shard {i} of {n}; the fleet has {})", fleet.total)),
        fleet.jobs
    );
    // wait for PostgreSQL once, not once for each file
    if let Err(e) = ready(&first.config, stop) {
        log::error!("{e}");
        report.close(Vec::new(), Some(e), *stop.borrow(), started.elapsed().as_secs_f64());
        return report;
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileResult>>> = Mutex::new(fleet.members.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..fleet.jobs.min(fleet.members.len()) {
            s.spawn(|| worker(&fleet.members, &next, &results, stop, one));
        }
    });
    let results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    report.close(results, None, *stop.borrow(), started.elapsed().as_secs_f64());
    report
}

/// Take the next file and run it, until none is left or a signal came.
fn worker(
    members: &[Member],
    next: &AtomicUsize,
    results: &Mutex<Vec<Option<FileResult>>>,
    stop: &Stop,
    one: &(dyn for<'a> Fn(&'a Config, Stopped) -> OneRun<'a> + Sync),
) {
    let label = Label::default();
    label.adopt();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .on_thread_start({
            let label = label.clone();
            move || label.adopt()
        })
        .build();
    loop {
        if stop.borrow().is_some() {
            break;
        }
        let i = next.fetch_add(1, Ordering::SeqCst);
        let Some(member) = members.get(i) else { break };
        let file = member.config.sqlite_path.display();
        log::info!("file {file}: migrating into schema \"{}\"", member.schema());
        let started = Instant::now();
        label.set(&member.config.sqlite_path.file_name().unwrap_or_default().to_string_lossy());
        let (file_report, error) = match &runtime {
            Ok(runtime) => runtime.block_on(one(&member.config, Box::pin(signalled(stop.clone())))),
            Err(e) => {
                let e = Error::other(format!("cannot start the async runtime: {e}"));
                let mut r = Report::new(&member.config.sqlite_path, member.config.target.display());
                r.close(Err(&e), 0.0);
                (r, Some(e))
            }
        };
        label.set("");
        let result = FileResult::new(member, file_report, error.as_ref(), started.elapsed().as_secs_f64());
        match &error {
            Some(e) => log::error!("file {file} (schema \"{}\"): {e}", member.schema()),
            None => log::info!("file {file}: {} ({} rows)", result.outcome, result.rows),
        }
        results.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(result);
    }
    if let Ok(runtime) = runtime {
        // reader threads of a failed file may still be winding down: do not wait for them
        runtime.shutdown_background();
    }
}

/// Wait until PostgreSQL accepts an authenticated query (WAIT_TIMEOUT), or a signal comes.
fn ready(config: &Config, stop: &Stop) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::other(format!("cannot start the async runtime: {e}")))?;
    let waited = runtime.block_on(async {
        tokio::select! {
            ready = crate::postgres::connect::wait_ready(&config.target, config.wait_timeout) => ready.map(drop).map_err(Error::from),
            signal = signalled(stop.clone()) => Err(Error::interrupted(signal)),
        }
    });
    runtime.shutdown_background();
    waited
}

/// The signal, once one arrives.
async fn signalled(mut stop: Stop) -> Signal {
    if let Ok(signal) = stop.wait_for(Option::is_some).await {
        if let Some(signal) = *signal {
            return signal;
        }
    }
    // the sender is gone: no signal can come any more
    std::future::pending().await
}
