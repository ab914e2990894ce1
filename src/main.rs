//! The sqlite2pg command: read settings, run, print the summary, exit with the documented code

use std::process::ExitCode;
use std::time::Instant;

use sqlite2pg::{Config, Error, RawConfig, Report, Signal};

fn main() -> ExitCode {
    one_malloc_arena();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Stderr)
        .init();
    let raw = match RawConfig::from_env_and_args(std::env::args_os()) {
        Ok(raw) => raw,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let report_path = raw.report_path.clone().filter(|p| !p.is_empty());
    let config = match Config::validate(raw, &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            // even a configuration error leaves a report where one was asked for
            if let Some(path) = report_path {
                let mut report = Report { version: env!("CARGO_PKG_VERSION"), ..Report::default() };
                report.close("failed", e.exit_code(), Some(e.to_string()), 0.0);
                write_report(&report, std::path::Path::new(&path));
            }
            return fail(&e);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&Error::Other(format!("cannot start the async runtime: {e}"))),
    };
    let started = Instant::now();
    let (report, result) = runtime.block_on(async {
        tokio::select! {
            out = sqlite2pg::run_reported(&config) => out,
            signal = interrupted() => {
                let e = Error::Interrupted(signal);
                let mut report = Report::new(&config.sqlite_path, config.target.display());
                report.close("interrupted", e.exit_code(), Some(e.to_string()), started.elapsed().as_secs_f64());
                (report, Err(e))
            }
        }
    });
    eprint!("{}", report.summary());
    if let Some(path) = &config.report_path {
        write_report(&report, path);
    }
    // leave without waiting for blocking reader threads: the connection is gone, so PostgreSQL rolls back
    runtime.shutdown_background();
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
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
