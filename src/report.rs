//! The run's report: a pgloader-style summary on stderr and, with REPORT_PATH, a JSON file

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Kind};
use crate::sqlite::Skipped;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Outcome {
    /// The target holds the SQLite file's tables and rows, committed with the ledger row.
    #[serde(rename = "migrated")]
    Migrated,
    /// The ledger records this very file as migrated already: nothing was done.
    #[serde(rename = "already migrated")]
    AlreadyMigrated,
    /// CHECK_ONLY: everything was tried, then rolled back.
    #[serde(rename = "checked")]
    Checked,
    /// An error ended the run; nothing was committed.
    #[default]
    #[serde(rename = "failed")]
    Failed,
    /// SIGINT or SIGTERM ended the run; nothing was committed.
    #[serde(rename = "interrupted")]
    Interrupted,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Migrated => "migrated",
            Outcome::AlreadyMigrated => "already migrated",
            Outcome::Checked => "checked",
            Outcome::Failed => "failed",
            Outcome::Interrupted => "interrupted",
        })
    }
}

/// What a run did, filled in as it goes: the summary on stderr and the JSON report.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// The sqlite2pg version that ran.
    pub version: &'static str,
    /// How the run ended.
    pub outcome: Outcome,
    /// The process's exit code, as the README documents it.
    pub exit_code: u8,
    /// The error that ended the run, as the log shows it.
    pub error: Option<String>,
    /// What the error found wrong, one entry per object (table, column, rowid, constraint), when it lists several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// The SQLite file.
    pub source: String,
    /// The PostgreSQL target, without the password.
    pub target: String,
    /// Every migrated table: its source rows, copied rows and seconds.
    pub tables: Vec<TableResult>,
    /// What was not migrated (views, triggers, foreign keys, virtual tables...), each with its reason.
    pub skipped: Vec<Skipped>,
    /// What each migrated virtual table (FTS, R*Tree) became.
    pub virtual_tables: Vec<crate::sqlite::virtual_tables::VirtualTable>,
    /// Target tables that held rows before the run, and what became of them.
    pub existing: Vec<ExistingTable>,
    /// The sequences of the target schema after the load: moved past their columns, or left (with their value).
    pub sequences: Vec<SequenceState>,
    /// Untranslatable defaults, CHECKs and indexes LEAVE_OUT named, each described with its reason.
    pub left_out: Vec<String>,
    /// What the translation changed on the way, one line per column or object (e.g. a virtual generated column
    /// that becomes a stored one).
    pub notes: Vec<String>,
    /// The rows copied, summed over the tables.
    pub total_rows: u64,
    /// How long the run took, from start to end.
    pub seconds: f64,
    /// `total_rows` over `seconds`; 0 for a run that took no measurable time.
    pub rows_per_second: f64,
}

impl Report {
    /// An empty report of a run from the SQLite file `source` into `target`, the target shown without its password.
    pub fn new(source: &Path, target: String) -> Report {
        Report { version: env!("CARGO_PKG_VERSION"), source: source.display().to_string(), target, ..Report::default() }
    }

    /// Fill in the outcome and totals once the run is over: `Ok(outcome)`, or the error that ended it.
    pub fn close(&mut self, result: Result<Outcome, &Error>, seconds: f64) {
        (self.outcome, self.exit_code, self.error) = match result {
            Ok(outcome) => (outcome, 0, None),
            Err(e) => {
                let outcome = match e.kind() {
                    Kind::Interrupted(_) => Outcome::Interrupted,
                    _ => Outcome::Failed,
                };
                self.problems = e.problems().to_vec();
                (outcome, e.exit_code(), Some(e.to_string()))
            }
        };
        self.seconds = seconds;
        self.total_rows = self.tables.iter().map(|t| t.copied_rows).sum();
        self.rows_per_second = if seconds > 0.0 { self.total_rows as f64 / seconds } else { 0.0 };
    }

    /// The summary table, pgloader-style: table, rows read, rows written, errors, seconds; then totals.
    pub fn summary(&self) -> String {
        let width = self.tables.iter().map(|t| t.table.chars().count()).max().unwrap_or(5).clamp(10, 48);
        let mut s = String::new();
        s.push_str(&format!(
            "{:>width$}  {:>12}  {:>12}  {:>6}  {:>9}\n",
            "table", "read", "written", "errors", "seconds"
        ));
        let rule = format!(
            "{}  {}  {}  {}  {}\n",
            "-".repeat(width),
            "-".repeat(12),
            "-".repeat(12),
            "-".repeat(6),
            "-".repeat(9)
        );
        s.push_str(&rule);
        for t in &self.tables {
            let errors = u8::from(t.source_rows != t.copied_rows);
            s.push_str(&format!(
                "{:>width$}  {:>12}  {:>12}  {:>6}  {:>9.3}\n",
                t.table, t.source_rows, t.copied_rows, errors, t.seconds
            ));
        }
        s.push_str(&rule);
        let read: u64 = self.tables.iter().map(|t| t.source_rows).sum();
        s.push_str(&format!(
            "{:>width$}  {:>12}  {:>12}  {:>6}  {:>9.3}\n",
            "total",
            read,
            self.total_rows,
            u8::from(self.exit_code != 0),
            self.seconds
        ));
        s.push_str(&format!(
            "{} ({} rows/s), exit code {}\n",
            self.outcome,
            self.rows_per_second.round(),
            self.exit_code
        ));
        if matches!(self.outcome, Outcome::Failed | Outcome::Interrupted) && self.total_rows > 0 {
            // rows are committed only with the ledger row, at the very end
            s.push_str("no row was committed: the rows counted as written were rolled back\n");
        }
        for v in &self.virtual_tables {
            s.push_str(&format!("virtual table \"{}\" ({}) became {}\n", v.name, v.module, v.became));
        }
        for e in &self.existing {
            s.push_str(&format!(
                "existing table \"{}\": {} ({} target row(s) before, {} sqlite row(s), {} dropped)\n",
                e.table, e.outcome, e.target_rows, e.sqlite_rows, e.dropped_rows
            ));
        }
        for q in self.sequences.iter().filter(|q| q.columns.is_empty()) {
            s.push_str(&format!(
                "sequence \"{}\" left at {} (no column it feeds is known; SEQUENCES ties one)\n",
                q.sequence, q.last_value
            ));
        }
        for r in self.tables.iter().flat_map(|t| &t.rounded) {
            s.push_str(&format!("rounded {} value(s) of \"{}\".\"{}\" (ROUND_TIME)\n", r.values, r.table, r.column));
        }
        for skip in &self.skipped {
            s.push_str(&format!("skipped {} \"{}\": {}\n", skip.kind, skip.name, skip.reason));
        }
        for item in &self.left_out {
            s.push_str(&format!("left out {item}\n"));
        }
        if !self.left_out.is_empty() {
            s.push_str(&format!("{} object(s) left out (LEAVE_OUT)\n", self.left_out.len()));
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

/// What happened to one table.
#[derive(Debug, Clone, Serialize)]
pub struct TableResult {
    pub(crate) table: String,
    pub(crate) source_rows: u64,
    pub(crate) copied_rows: u64,
    pub(crate) seconds: f64,
    /// The columns ROUND_TIME names, with how many of their values were rounded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) rounded: Vec<RoundedColumn>,
    /// VERIFY=content: the table's digest as sent and as read back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<ContentCheck>,
}

/// VERIFY=content: one table's rows as sent and as read back from PostgreSQL, each summed into a [`Digest`].
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContentCheck {
    pub(crate) sent: Digest,
    /// None until the table is read back (or when the run failed before).
    pub(crate) read_back: Option<Digest>,
    /// The columns with a value above the size compared by its SHA-256, by position: only those are read back with
    /// PostgreSQL hashing the big ones.
    #[serde(skip)]
    pub(crate) long: Vec<bool>,
}

/// An order-independent digest of a table's rows: the wrapping sum of a 128-bit hash of each row (a sum, so that
/// duplicate rows count), also kept per group of rows (by the hash of the first column) to find a changed row
/// again. The JSON report shows the sum in hex.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Digest {
    pub(crate) rows: u64,
    pub(crate) sum: u128,
    pub(crate) groups: Vec<u128>,
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:032x}", self.sum))
    }
}

/// Values of one SQLite column that ROUND_TIME rounded to the precision of their PostgreSQL column.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoundedColumn {
    pub(crate) table: String,
    pub(crate) column: String,
    pub(crate) values: u64,
}

/// What became of a target table that held rows before the run.
#[derive(Debug, Clone, Serialize)]
pub struct ExistingTable {
    pub(crate) table: String,
    /// "kept" (KEEP_TABLES: not loaded), "identical", "seed" (every target row is among SQLite's), or "replaced"
    /// (REPLACE_TABLES: the target held rows SQLite does not).
    pub(crate) outcome: &'static str,
    pub(crate) target_rows: u64,
    pub(crate) sqlite_rows: u64,
    /// What the result leaves out: a kept table's SQLite rows, or a replaced table's target rows SQLite does not have.
    pub(crate) dropped_rows: u64,
}

/// A sequence of the target schema after the load.
#[derive(Debug, Clone, Serialize)]
pub struct SequenceState {
    pub(crate) sequence: String,
    /// The columns it feeds, `table.column`; empty: sqlite2pg cannot tell what it counts, and left it.
    pub(crate) columns: Vec<String>,
    /// How they were found: "identity", "default", "trigger" and/or "SEQUENCES".
    pub(crate) found_by: Vec<String>,
    pub(crate) last_value: i64,
    pub(crate) is_called: bool,
    /// Whether this run moved it.
    pub(crate) moved: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_reports_its_outcome_exit_code_and_each_problem() {
        let mut report = Report::new(Path::new("app.db"), "db".into());
        let error = Error::data("2 column(s) hold NULL")
            .listing(["\"a\".\"x\": rowid 1".to_string(), "\"b\".\"y\": rowid 7".to_string()]);
        report.close(Err(&error), 1.0);
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(json["outcome"], "failed");
        assert_eq!(json["exit_code"], 5);
        assert_eq!(json["problems"], serde_json::json!(["\"a\".\"x\": rowid 1", "\"b\".\"y\": rowid 7"]));
        assert_eq!(json["error"], "data: 2 column(s) hold NULL");

        assert!(!report.summary().contains("rolled back"), "no rows were written");
        report.tables.push(TableResult {
            table: "t".into(),
            source_rows: 3,
            copied_rows: 3,
            seconds: 0.1,
            rounded: Vec::new(),
            content: None,
        });
        report.close(Err(&error), 1.0);
        assert!(report.summary().contains("no row was committed: the rows counted as written were rolled back"));
        report.close(Ok(Outcome::Migrated), 1.0);
        assert!(!report.summary().contains("rolled back"));

        let mut report = Report::new(Path::new("app.db"), "db".into());
        report.close(Err(&Error::interrupted(crate::error::Signal::Term)), 1.0);
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!((json["outcome"].as_str(), json["exit_code"].as_u64()), (Some("interrupted"), Some(143)));
        assert!(json.get("problems").is_none());

        let mut report = Report::new(Path::new("app.db"), "db".into());
        report.close(Ok(Outcome::AlreadyMigrated), 1.0);
        assert_eq!(serde_json::to_value(&report).expect("json")["outcome"], "already migrated");
    }

    #[test]
    fn an_error_keeps_its_cause_and_shows_it_after_the_context() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Error::config("cannot read SCHEMA file /x.sql").because(io);
        assert_eq!(e.to_string(), "configuration: cannot read SCHEMA file /x.sql: no such file");
        assert_eq!(e.exit_code(), 2);
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(e.kind(), Kind::Config);
    }
}
