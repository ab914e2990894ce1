//! The fleet's report: one line per file and the totals on stderr, and with REPORT_PATH every file's report

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::config::{Fleet, Member};
use crate::error::{Error, Signal};
use crate::report::{Outcome, Report};

/// How the run of one file of a fleet ended: as a run ends ([`Outcome`]), or it never began. Written as its text
/// ("migrated", ..., "not started"), in the summary and the JSON report alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOutcome {
    /// Its run ended so.
    Ran(Outcome),
    /// Its run never began (a signal came first, or PostgreSQL was not ready): nothing was done.
    NotStarted,
}

impl std::fmt::Display for FileOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileOutcome::Ran(outcome) => outcome.fmt(f),
            FileOutcome::NotStarted => f.write_str("not started"),
        }
    }
}

impl Serialize for FileOutcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One file of the fleet: where it went, how it ended, and its own report.
#[derive(Debug, Serialize)]
pub struct FileResult {
    /// The SQLite file.
    pub file: String,
    /// Its target schema.
    pub schema: String,
    /// How its run ended.
    pub outcome: FileOutcome,
    /// The exit code its run alone would have had.
    pub exit_code: u8,
    /// The error that ended its run.
    pub error: Option<String>,
    /// The rows this run committed into its schema (CHECK_ONLY: the rows it checked); 0 when it failed.
    pub rows: u64,
    /// How long its run took.
    pub seconds: f64,
    /// Its run's own report (tables, skipped objects, problems); none for a file whose run never began.
    pub report: Option<Report>,
}

impl FileResult {
    /// The result of `member`'s run, from its report and the error that ended it.
    pub(crate) fn new(member: &Member, report: Report, error: Option<&Error>, seconds: f64) -> FileResult {
        let outcome = FileOutcome::Ran(report.outcome);
        let rows = match outcome {
            FileOutcome::Ran(Outcome::Migrated) | FileOutcome::Ran(Outcome::Checked) => report.total_rows,
            _ => 0,
        };
        FileResult {
            file: member.config.sqlite_path.display().to_string(),
            schema: member.schema().to_string(),
            outcome,
            exit_code: error.map_or(0, Error::exit_code),
            error: error.map(ToString::to_string),
            rows,
            seconds,
            report: Some(report),
        }
    }

    /// A file whose run never began, and why.
    fn not_started(member: &Member, why: &str) -> FileResult {
        FileResult {
            file: member.config.sqlite_path.display().to_string(),
            schema: member.schema().to_string(),
            outcome: FileOutcome::NotStarted,
            exit_code: 0,
            error: Some(why.to_string()),
            rows: 0,
            seconds: 0.0,
            report: None,
        }
    }
}

/// This run's shard of the fleet.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Shard {
    /// JOB_COMPLETION_INDEX.
    pub index: usize,
    /// SHARDS.
    pub shards: usize,
}

/// How many files ended each way.
#[derive(Debug, Default, Serialize)]
pub struct Totals {
    /// The files of this run (its shard's).
    pub files: usize,
    /// Committed by this run.
    pub migrated: usize,
    /// Found migrated in the ledger.
    pub already_migrated: usize,
    /// CHECK_ONLY: checked and rolled back.
    pub checked: usize,
    /// Ended by an error.
    pub failed: usize,
    /// Ended by a signal.
    pub interrupted: usize,
    /// Never begun.
    pub not_started: usize,
}

/// What a fleet run did: every file, the totals, the outcome and the exit code.
#[derive(Debug, Serialize)]
pub struct FleetReport {
    /// The sqlite2pg version that ran.
    pub version: &'static str,
    /// How the fleet ended: failed when any file failed, interrupted on a signal, else migrated (or checked, or
    /// already migrated when every file was).
    pub outcome: Outcome,
    /// The process's exit code: the signal's, else the first failed file's (in the sorted order), else 0.
    pub exit_code: u8,
    /// What ended the fleet, or which file failed first.
    pub error: Option<String>,
    /// SQLITE_PATH: the folder or glob.
    pub source: String,
    /// The PostgreSQL target, without the password.
    pub target: String,
    /// This run's shard, when SHARDS is set.
    pub shard: Option<Shard>,
    /// How many files the whole fleet holds, every shard's.
    pub fleet_files: usize,
    /// Every file of this run, in the sorted order.
    pub files: Vec<FileResult>,
    /// How many files ended each way.
    pub totals: Totals,
    /// The rows committed, summed over the files.
    pub total_rows: u64,
    /// How long the fleet took, from start to end.
    pub seconds: f64,
}

impl FleetReport {
    /// An empty report of `fleet`.
    pub(crate) fn new(fleet: &Fleet) -> FleetReport {
        FleetReport {
            version: env!("CARGO_PKG_VERSION"),
            outcome: Outcome::default(),
            exit_code: 0,
            error: None,
            source: fleet.pattern.clone(),
            target: fleet.members.first().map(|m| m.config.target.display()).unwrap_or_default(),
            shard: fleet.shard.map(|(index, shards)| Shard { index, shards }),
            fleet_files: fleet.total,
            files: fleet.members.iter().map(|m| FileResult::not_started(m, "")).collect(),
            totals: Totals::default(),
            total_rows: 0,
            seconds: 0.0,
        }
    }

    /// Fill in every file's result (`None`: never begun), the outcome and the exit code, once the fleet is over.
    /// `error` is what stopped the fleet before any file began; `signal`, the signal that stopped it.
    pub(crate) fn close(
        &mut self,
        results: Vec<Option<FileResult>>,
        error: Option<Error>,
        signal: Option<Signal>,
        seconds: f64,
    ) {
        let why = match (&error, signal) {
            (_, Some(signal)) => format!("not started: interrupted by {signal}"),
            (Some(e), None) => format!("not started: {e}"),
            (None, None) => "not started".to_string(),
        };
        let mut results = results.into_iter();
        for file in &mut self.files {
            match results.next().flatten() {
                Some(result) => *file = result,
                None => file.error = Some(why.clone()),
            }
        }
        let count = |o: FileOutcome| self.files.iter().filter(|f| f.outcome == o).count();
        self.totals = Totals {
            files: self.files.len(),
            migrated: count(FileOutcome::Ran(Outcome::Migrated)),
            already_migrated: count(FileOutcome::Ran(Outcome::AlreadyMigrated)),
            checked: count(FileOutcome::Ran(Outcome::Checked)),
            failed: count(FileOutcome::Ran(Outcome::Failed)),
            interrupted: count(FileOutcome::Ran(Outcome::Interrupted)),
            not_started: count(FileOutcome::NotStarted),
        };
        self.total_rows = self.files.iter().map(|f| f.rows).sum();
        self.seconds = seconds;
        let first_failed = self.files.iter().find(|f| f.outcome == FileOutcome::Ran(Outcome::Failed));
        (self.outcome, self.exit_code, self.error) = if let Some(signal) = signal {
            let e = Error::interrupted(signal);
            (Outcome::Interrupted, e.exit_code(), Some(e.to_string()))
        } else if let Some(failed) = first_failed {
            let error = format!(
                "{} of {} file(s) failed; the first: {}: {}",
                self.totals.failed,
                self.totals.files,
                failed.file,
                failed.error.as_deref().unwrap_or("")
            );
            (Outcome::Failed, failed.exit_code, Some(error))
        } else if let Some(e) = error {
            (Outcome::Failed, e.exit_code(), Some(e.to_string()))
        } else if self.totals.not_started > 0 {
            // only a runtime that could not start leaves a file unbegun without a signal or an error
            (Outcome::Failed, 1, Some("some files were not started".into()))
        } else if self.totals.migrated > 0 {
            (Outcome::Migrated, 0, None)
        } else if self.totals.checked > 0 {
            (Outcome::Checked, 0, None)
        } else {
            (Outcome::AlreadyMigrated, 0, None)
        };
    }

    /// The summary: one line per file (file, schema, outcome, rows, seconds), the totals, then each failure.
    pub fn summary(&self) -> String {
        let file_width = self.files.iter().map(|f| f.file.chars().count()).max().unwrap_or(4).clamp(4, 60);
        let schema_width = self.files.iter().map(|f| f.schema.chars().count()).max().unwrap_or(6).clamp(6, 63);
        let line = |file: &str, schema: &str, outcome: &str, rows: &str, seconds: &str| {
            format!("{file:<file_width$}  {schema:<schema_width$}  {outcome:<16}  {rows:>12}  {seconds:>9}\n")
        };
        let mut s = line("file", "schema", "outcome", "rows", "seconds");
        let rule =
            line(&"-".repeat(file_width), &"-".repeat(schema_width), &"-".repeat(16), &"-".repeat(12), &"-".repeat(9));
        s.push_str(&rule);
        for f in &self.files {
            let outcome = f.outcome.to_string();
            s.push_str(&line(&f.file, &f.schema, &outcome, &f.rows.to_string(), &format!("{:.3}", f.seconds)));
        }
        s.push_str(&rule);
        let t = &self.totals;
        let counts: Vec<String> = [
            (t.migrated, "migrated"),
            (t.already_migrated, "already migrated"),
            (t.checked, "checked"),
            (t.failed, "failed"),
            (t.interrupted, "interrupted"),
            (t.not_started, "not started"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        let total = format!("total: {} file(s)", t.files);
        s.push_str(&line(
            &total,
            "",
            &counts.join(", "),
            &self.total_rows.to_string(),
            &format!("{:.3}", self.seconds),
        ));
        if let Some(shard) = self.shard {
            s.push_str(&format!(
                "shard {} of {}: {} of the fleet's {} file(s)\n",
                shard.index, shard.shards, t.files, self.fleet_files
            ));
        }
        s.push_str(&format!("{}, exit code {}\n", self.outcome, self.exit_code));
        if t.failed + t.interrupted > 0 && t.migrated > 0 {
            s.push_str("each failed or interrupted file committed nothing; the files migrated are committed\n");
        }
        for f in self
            .files
            .iter()
            .filter(|f| matches!(f.outcome, FileOutcome::Ran(Outcome::Failed) | FileOutcome::Ran(Outcome::Interrupted)))
        {
            s.push_str(&format!("{} {}: {}\n", f.outcome, f.file, f.error.as_deref().unwrap_or("")));
        }
        s
    }

    /// Write the report to `path` as pretty-printed JSON, replacing the file.
    pub fn write_json(&self, path: &Path) -> std::io::Result<()> {
        let mut f = std::fs::File::create(path)?;
        serde_json::to_writer_pretty(&mut f, self)?;
        f.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, outcome: FileOutcome, exit_code: u8, rows: u64) -> FileResult {
        FileResult {
            file: format!("/d/{name}.db"),
            schema: format!("tenant_{name}"),
            outcome,
            exit_code,
            error: (exit_code != 0).then(|| format!("error of {name}")),
            rows,
            seconds: 0.5,
            report: None,
        }
    }

    fn fleet(names: &[&str]) -> FleetReport {
        FleetReport {
            version: "test",
            outcome: Outcome::default(),
            exit_code: 0,
            error: None,
            source: "/d".into(),
            target: "db".into(),
            shard: None,
            fleet_files: names.len(),
            files: names.iter().map(|n| file(n, FileOutcome::NotStarted, 0, 0)).collect(),
            totals: Totals::default(),
            total_rows: 0,
            seconds: 0.0,
        }
    }

    #[test]
    fn the_first_failed_file_in_sorted_order_sets_the_exit_code_and_a_signal_wins() {
        let mut r = fleet(&["a", "b", "c", "d"]);
        let results = vec![
            Some(file("a", FileOutcome::Ran(Outcome::Migrated), 0, 10)),
            Some(file("b", FileOutcome::Ran(Outcome::Failed), 4, 0)),
            Some(file("c", FileOutcome::Ran(Outcome::Failed), 5, 0)),
            Some(file("d", FileOutcome::Ran(Outcome::AlreadyMigrated), 0, 0)),
        ];
        r.close(results, None, None, 2.0);
        assert_eq!((r.outcome, r.exit_code), (Outcome::Failed, 4));
        assert_eq!(r.error.as_deref(), Some("2 of 4 file(s) failed; the first: /d/b.db: error of b"));
        assert_eq!((r.totals.migrated, r.totals.failed, r.totals.already_migrated, r.total_rows), (1, 2, 1, 10));
        let summary = r.summary();
        assert!(summary.contains("1 migrated, 1 already migrated, 2 failed"), "{summary}");
        assert!(summary.contains("failed /d/b.db: error of b\nfailed /d/c.db: error of c\n"), "{summary}");
        assert!(summary.lines().any(|l| l.starts_with("/d/a.db") && l.contains("tenant_a") && l.contains("10")));

        let mut r = fleet(&["a", "b", "c"]);
        let results = vec![
            Some(file("a", FileOutcome::Ran(Outcome::Failed), 5, 0)),
            Some(file("b", FileOutcome::Ran(Outcome::Interrupted), 143, 0)),
            None,
        ];
        r.close(results, None, Some(Signal::Term), 1.0);
        assert_eq!((r.outcome, r.exit_code), (Outcome::Interrupted, 143));
        assert_eq!(r.files[2].outcome, FileOutcome::NotStarted);
        assert_eq!(r.files[2].error.as_deref(), Some("not started: interrupted by sigterm"));
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["files"][2]["outcome"], "not started");
        assert_eq!(json["totals"]["not_started"], 1);
    }

    #[test]
    fn a_fleet_with_nothing_left_to_do_is_already_migrated() {
        let mut r = fleet(&["a", "b"]);
        let done = || Some(file("x", FileOutcome::Ran(Outcome::AlreadyMigrated), 0, 0));
        r.close(vec![done(), done()], None, None, 0.1);
        assert_eq!((r.outcome, r.exit_code, r.error.is_none()), (Outcome::AlreadyMigrated, 0, true));
        let mut r = fleet(&["a", "b"]);
        r.close(vec![Some(file("a", FileOutcome::Ran(Outcome::Checked), 0, 3)), done()], None, None, 0.1);
        assert_eq!((r.outcome, r.exit_code), (Outcome::Checked, 0));
        let mut r = fleet(&["a"]);
        r.close(Vec::new(), Some(Error::config("postgresql is not ready")), None, 0.1);
        assert_eq!((r.outcome, r.exit_code), (Outcome::Failed, 2));
        assert_eq!(r.files[0].error.as_deref(), Some("not started: configuration: postgresql is not ready"));
    }
}
