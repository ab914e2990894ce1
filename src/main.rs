//! The sqlite2pg command: read settings, run, print the summary, exit with the documented code

use std::path::PathBuf;
use std::process::ExitCode;

use sqlite2pg::{Config, Error, Fleet, RawConfig, Report, Settings, Signal};

fn main() -> ExitCode {
    one_malloc_arena();
    // env_logger's own format, with the fleet file a line belongs to before its message
    let format = env_logger::fmt::ConfigurableFormat::default();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Stderr)
        .format(move |buf, record| match sqlite2pg::fleet::log_prefix() {
            prefix if prefix.is_empty() => format.format(buf, record),
            prefix => format.format(
                buf,
                &log::Record::builder()
                    .args(format_args!("{prefix}{}", record.args()))
                    .level(record.level())
                    .target(record.target())
                    .module_path(record.module_path())
                    .file(record.file())
                    .line(record.line())
                    .build(),
            ),
        })
        .init();
    let raw = match RawConfig::from_env_and_args(std::env::args_os()) {
        Ok(raw) => raw,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let report_path = raw.report_path.clone().filter(|p| !p.is_empty()).map(PathBuf::from);
    let (report, result) = match Settings::validate(raw, &|k| std::env::var(k).ok()) {
        Ok(Settings::Fleet(fleet)) => return migrate_fleet(&fleet, report_path.as_deref()),
        Ok(Settings::One(config)) => {
            let (report, result) = migrate(&config);
            eprint!("{}", report.summary());
            (report, result)
        }
        // even a configuration error leaves a report where one was asked for (and no summary: nothing ran)
        Err(e) => {
            let mut report = Report { version: env!("CARGO_PKG_VERSION"), ..Report::default() };
            report.close(Err(&e), 0.0);
            (report, Err(e))
        }
    };
    if let Some(path) = &report_path {
        write_report(&report, path);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// Run with the settings, on a runtime of its own; SIGINT and SIGTERM stop it, with nothing committed.
fn migrate(config: &Config) -> (Report, Result<(), Error>) {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            let e = Error::other(format!("cannot start the async runtime: {e}"));
            let mut report = Report::new(&config.sqlite_path, config.target.display());
            report.close(Err(&e), 0.0);
            return (report, Err(e));
        }
    };
    let result = runtime.block_on(sqlite2pg::run(config, interrupted()));
    // leave without waiting for blocking reader threads: the connection is gone, so PostgreSQL rolls back
    runtime.shutdown_background();
    match result {
        Ok(report) => (report, Ok(())),
        Err(failed) => (*failed.report, Err(failed.error)),
    }
}

/// Run every file of a fleet, then print its summary and write its report; SIGINT and SIGTERM stop the files
/// that are loading, with nothing of theirs committed, and start no other.
fn migrate_fleet(fleet: &Fleet, report_path: Option<&std::path::Path>) -> ExitCode {
    let (stop, stopped) = tokio::sync::watch::channel(None);
    // a runtime of its own listens for the signals while the fleet's workers run theirs
    let signals = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build();
    match &signals {
        Ok(rt) => drop(rt.spawn(async move {
            let signal = interrupted().await;
            let _ = stop.send(Some(signal));
        })),
        Err(e) => log::warn!("cannot listen for sigint and sigterm ({e}): a signal ends the process at once"),
    }
    let report = sqlite2pg::run_fleet(fleet, &stopped);
    if let Ok(rt) = signals {
        rt.shutdown_background();
    }
    eprint!("{}", report.summary());
    if let Some(path) = report_path {
        if let Err(e) = report.write_json(path) {
            log::error!("cannot write the report to {}: {e}", path.display());
        }
    }
    if let Some(e) = &report.error {
        log::error!("{e}");
    }
    ExitCode::from(report.exit_code)
}

/// glibc gives each thread that allocates an arena of its own, and keeps what it freed there. Readers, the type
/// scan and the integrity check each run on threads of their own, so the peak memory grew with how many of them a
/// run happened to overlap (a few MB more for a 1 GB file than for a 100 MB one). One arena shares the freed memory
/// instead; the hot paths allocate once per 64 KiB chunk, so its lock costs nothing measurable (bench/README.md).
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator setting; it runs before any other thread exists
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn write_report(report: &Report, path: &std::path::Path) {
    if let Err(e) = report.write_json(path) {
        log::error!("cannot write the report to {}: {e}", path.display());
    }
}

fn fail(e: &Error) -> ExitCode {
    log::error!("{e}");
    ExitCode::from(e.exit_code())
}

async fn interrupted() -> Signal {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut int), Ok(mut term)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => Signal::Int,
        _ = term.recv() => Signal::Term,
    }
}
