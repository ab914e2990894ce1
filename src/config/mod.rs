//! Settings: environment variables (envy) and the same names as CLI flags (clap), validated into `Config`

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::postgres::connect::Target;

mod fleet;
pub use fleet::{Fleet, Member, Settings};

/// The raw settings, as strings, from the environment or the command line. Every field is one env var;
/// the flag of the same name (`--sqlite-path` for `SQLITE_PATH`) wins over the variable.
#[derive(Debug, Default, Deserialize, Serialize, Parser)]
#[command(
    name = "sqlite2pg",
    version,
    about = "Migrate a SQLite database into PostgreSQL, exactly and atomically.",
    long_about = "Migrate a SQLite database into PostgreSQL, exactly and atomically.\n\n\
    Every flag is also an environment variable of the same name in upper case (--sqlite-path is SQLITE_PATH).\n\
    Exit codes: 0 done and verified, 2 bad configuration, 3 PostgreSQL not ready or refused, 4 schema error,\n\
    5 data error, 6 lock timeout, 1 anything else, 130/143 interrupted (nothing committed)."
)]
pub struct RawConfig {
    /// The SQLite file, opened read-only (required); a folder or a glob is a fleet of files, a schema each
    #[arg(long)]
    pub sqlite_path: Option<String>,
    /// The target, e.g. postgres://user:pass@host:5432/db?sslmode=require (else the PG* variables)
    #[arg(long)]
    pub database_url: Option<String>,
    /// A file holding DATABASE_URL (Docker/Kubernetes secrets)
    #[arg(long)]
    pub database_url_file: Option<String>,
    /// A direct (not pooled) connection string to migrate over, as Prisma's directUrl; DATABASE_URL then stays
    /// the application's
    #[arg(long)]
    pub direct_url: Option<String>,
    /// A file holding DIRECT_URL
    #[arg(long)]
    pub direct_url_file: Option<String>,
    /// auto (translate the SQLite schema), none (tables exist), a .sql file or a migrations folder
    #[arg(long)]
    pub schema: Option<String>,
    /// The PostgreSQL schema for the tables [default: public]; for a fleet, a template such as tenant_{stem}
    #[arg(long)]
    pub target_schema: Option<String>,
    /// Seconds to wait for PostgreSQL to accept an authenticated query [default: 60]
    #[arg(long)]
    pub wait_timeout: Option<String>,
    /// Write a JSON report here
    #[arg(long)]
    pub report_path: Option<String>,
    /// true: every skipped view, trigger or constraint is an error [default: false]
    #[arg(long)]
    pub strict_schema: Option<String>,
    /// skip, replace or fail when the target already holds a migration or data [default: skip]
    #[arg(long)]
    pub on_existing: Option<String>,
    /// Seconds to wait for another run's lock [default: 600]
    #[arg(long)]
    pub lock_timeout: Option<String>,
    /// true: read and convert everything, commit nothing [default: false]
    #[arg(long)]
    pub check_only: Option<String>,
    /// Comma-separated table names or globs to copy (default all)
    #[arg(long)]
    pub include_tables: Option<String>,
    /// Comma-separated table names or globs to leave out
    #[arg(long)]
    pub exclude_tables: Option<String>,
    /// Per-column value formats, e.g. Event.when=epoch_s,Log.at=epoch_ms
    #[arg(long)]
    pub column_formats: Option<String>,
    /// Table.column entries whose times finer than the column are rounded (and counted), e.g. users.created_at
    #[arg(long)]
    pub round_time: Option<String>,
    /// Connections loading tables and building indexes at once with SCHEMA=auto; 1: one transaction [default: 4]
    #[arg(long)]
    pub jobs: Option<String>,
    /// The text search configuration of the tsvector columns made from FTS tables [default: english]
    #[arg(long)]
    pub fts_config: Option<String>,
    /// Comma-separated target tables whose rows stay as they are; their SQLite rows are not loaded (an
    /// application's own schema ledger, e.g. alembic_version)
    #[arg(long)]
    pub keep_tables: Option<String>,
    /// Comma-separated target tables emptied and loaded from SQLite even when they hold rows SQLite does not
    #[arg(long)]
    pub replace_tables: Option<String>,
    /// Sequences the application draws from itself, each tied to a column: seq:table.column,...
    #[arg(long)]
    pub sequences: Option<String>,
    /// Untranslatable defaults, CHECKs and indexes to migrate without, e.g. users.id:default,users:check,index:i
    #[arg(long)]
    pub leave_out: Option<String>,
    /// With SQLITE_PATH a folder or glob: how many shards (the pods of an Indexed Job) share its files; this run
    /// takes those whose position modulo SHARDS is JOB_COMPLETION_INDEX
    #[arg(long)]
    pub shards: Option<String>,
    /// This run's shard, 0 to SHARDS-1 (Kubernetes sets it in the pods of an Indexed Job)
    #[arg(long)]
    pub job_completion_index: Option<String>,
    /// Same as CHECK_ONLY=true
    #[arg(long = "check", default_value_t = false)]
    #[serde(skip)]
    pub check_flag: bool,
}

impl RawConfig {
    /// Read the environment, then let command-line flags override it.
    pub fn from_env_and_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<RawConfig, clap::Error> {
        let cli = RawConfig::try_parse_from(args)?;
        // envy only fails on a value it cannot put into a String: not a UTF-8 variable
        let env: RawConfig = envy::from_env().map_err(|e| clap::Error::raw(clap::error::ErrorKind::InvalidValue, e))?;
        cli.or(env).map_err(|e| clap::Error::raw(clap::error::ErrorKind::InvalidValue, e))
    }

    /// Every setting the command line gives, over the environment's: one merge over the serialized fields, so a
    /// new setting needs no line here.
    fn or(self, env: RawConfig) -> Result<RawConfig, serde_json::Error> {
        let check_flag = self.check_flag;
        let mut merged = serde_json::to_value(env)?;
        if let (Some(merged), serde_json::Value::Object(cli)) = (merged.as_object_mut(), serde_json::to_value(self)?) {
            merged.extend(cli.into_iter().filter(|(_, v)| !v.is_null()));
        }
        Ok(RawConfig { check_flag, ..serde_json::from_value(merged)? })
    }
}

/// Where the target schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemaSource {
    /// Translate the SQLite schema.
    Auto,
    /// The tables exist already; copy data only.
    None,
    /// A PostgreSQL .sql file, applied once; or a Prisma schema (a .prisma file or a folder of them), whose
    /// generated DDL is applied the same way.
    File(PathBuf),
    /// A folder of .sql files or a Prisma migrations folder.
    Dir(PathBuf),
}

impl SchemaSource {
    /// The mode as recorded in the ledger.
    pub(crate) fn mode(&self) -> &'static str {
        match self {
            SchemaSource::Auto => "auto",
            SchemaSource::None => "none",
            SchemaSource::File(p) if crate::postgres::migrations::prisma_schema::is_schema(p) => "prisma",
            SchemaSource::File(_) => "file",
            SchemaSource::Dir(_) => "folder",
        }
    }
}

use crate::postgres::existing::OnExisting;

/// Validated settings: every value here is known to be usable.
#[derive(Debug, Clone)]
pub struct Config {
    /// SQLITE_PATH: the SQLite file, known to exist and not to be a directory.
    pub sqlite_path: PathBuf,
    /// The database to migrate into: DIRECT_URL when set, else DATABASE_URL (or their files), the PG* variables
    /// filling in what they leave out.
    pub target: Target,
    pub(crate) schema: SchemaSource,
    pub(crate) target_schema: String,
    pub(crate) wait_timeout: Duration,
    pub(crate) strict_schema: bool,
    pub(crate) on_existing: OnExisting,
    pub(crate) lock_timeout: Duration,
    pub(crate) check_only: bool,
    /// INCLUDE_TABLES and EXCLUDE_TABLES, compiled.
    pub(crate) tables: crate::sqlite::table_filter::TableFilter,
    /// (table, column, format)
    pub(crate) column_formats: Vec<(String, String, crate::translate::values::ColumnFormat)>,
    /// (table, column) whose time, timestamp and interval values finer than the column are rounded (ROUND_TIME)
    pub(crate) round_time: Vec<(String, String)>,
    /// Connections for the parallel load (SCHEMA=auto); 1 keeps everything on one connection.
    pub(crate) jobs: usize,
    /// FTS_CONFIG: the text search configuration for tsvector columns (a regconfig name).
    pub(crate) fts_config: FtsConfig,
    /// KEEP_TABLES: target tables left as they are, not loaded.
    pub(crate) keep_tables: Vec<String>,
    /// REPLACE_TABLES: target tables emptied and loaded even when they hold rows SQLite does not.
    pub(crate) replace_tables: Vec<String>,
    /// SEQUENCES, a sequence once for each column it is tied to: (sequence, table, column, negated), where a
    /// negated column counts downwards (`seq:-table.column`).
    pub(crate) sequences: Vec<(String, String, String, bool)>,
    /// SCHEMA=auto: untranslatable objects to migrate without, each named.
    pub(crate) leave_out: Vec<crate::translate::expr::LeaveOut>,
}

impl Config {
    /// Validate raw settings; `env` looks up the libpq variables (PGHOST...).
    pub fn validate(raw: RawConfig, env: &dyn Fn(&str) -> Option<String>) -> Result<Config> {
        let sqlite_path = match raw.sqlite_path.as_deref().map(str::trim) {
            None | Some("") => return Err(Error::config("SQLITE_PATH is required")),
            Some(p) => PathBuf::from(p),
        };
        if !sqlite_path.exists() {
            return Err(Error::config(format!("SQLITE_PATH {} does not exist", sqlite_path.display())));
        }
        if sqlite_path.is_dir() {
            return Err(Error::config(format!("SQLITE_PATH {} is a directory, not a file", sqlite_path.display())));
        }
        let target = target(&raw, env)?;
        let schema = parse_schema(raw.schema.as_deref())?;
        let target_schema = match raw.target_schema.as_deref() {
            None | Some("") => "public".to_string(),
            Some(s) => s.to_string(),
        };
        check_target_schema(&target_schema)?;
        let keep_tables = parse_list(raw.keep_tables.as_deref());
        let replace_tables = parse_list(raw.replace_tables.as_deref());
        if let Some(both) = keep_tables.iter().find(|k| replace_tables.iter().any(|r| r.eq_ignore_ascii_case(k))) {
            return Err(Error::config(format!(
                "table \"{both}\" is in both KEEP_TABLES and REPLACE_TABLES: choose one"
            )));
        }
        let check_only = raw.check_flag || parse_bool("CHECK_ONLY", raw.check_only.as_deref(), false)?;
        let leave_out = crate::translate::expr::LeaveOut::parse_list(raw.leave_out.as_deref().unwrap_or(""))
            .map_err(Error::config)?;
        if !leave_out.is_empty() && schema != SchemaSource::Auto {
            return Err(Error::config("LEAVE_OUT applies to SCHEMA=auto only"));
        }
        Ok(Config {
            sqlite_path,
            target,
            schema,
            target_schema,
            wait_timeout: parse_seconds("WAIT_TIMEOUT", raw.wait_timeout.as_deref(), 60)?,
            strict_schema: parse_bool("STRICT_SCHEMA", raw.strict_schema.as_deref(), false)?,
            on_existing: parse_on_existing(raw.on_existing.as_deref())?,
            lock_timeout: parse_seconds("LOCK_TIMEOUT", raw.lock_timeout.as_deref(), 600)?,
            check_only,
            tables: crate::sqlite::table_filter::TableFilter::new(
                &parse_list(raw.include_tables.as_deref()),
                &parse_list(raw.exclude_tables.as_deref()),
            )?,
            column_formats: parse_column_formats(raw.column_formats.as_deref())?,
            round_time: parse_columns("ROUND_TIME", raw.round_time.as_deref())?,
            jobs: parse_jobs(raw.jobs.as_deref())?,
            fts_config: parse_fts_config(raw.fts_config.as_deref())?,
            keep_tables,
            replace_tables,
            sequences: parse_sequences(raw.sequences.as_deref())?,
            leave_out,
        })
    }
}

/// A target schema must be none of sqlite2pg's own: its ledger's, or a staging schema.
fn check_target_schema(target_schema: &str) -> Result<()> {
    if target_schema == crate::postgres::ledger::LEDGER_SCHEMA {
        return Err(Error::config(format!(
            "TARGET_SCHEMA cannot be {}: that schema is sqlite2pg's own ledger",
            crate::postgres::ledger::LEDGER_SCHEMA
        )));
    }
    if crate::postgres::is_staging_name(target_schema) {
        return Err(Error::config(format!(
            "TARGET_SCHEMA cannot be {target_schema}: sqlite2pg loads into schemas named {}... before publishing",
            crate::postgres::STAGING_SCHEMA
        )));
    }
    Ok(())
}

/// FTS_CONFIG: the text search configuration of the `tsvector` columns made from FTS tables, `english` unless
/// set, with exceptions per FTS table (`english,user_directory_search:simple`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FtsConfig {
    default: String,
    /// (FTS table, configuration)
    tables: Vec<(String, String)>,
}

impl FtsConfig {
    /// The configuration for the FTS table `table` (its SQLite name).
    pub(crate) fn of(&self, table: &str) -> &str {
        self.tables.iter().find(|(t, _)| t.eq_ignore_ascii_case(table)).map_or(&self.default, |(_, c)| c)
    }
}

fn parse_fts_config(s: Option<&str>) -> Result<FtsConfig> {
    let name_ok = |c: &str| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.');
    let mut config = FtsConfig { default: "english".into(), tables: Vec::new() };
    let mut defaults = 0;
    for item in s.unwrap_or("").split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match item.split_once(':') {
            Some((table, c)) if !table.trim().is_empty() && name_ok(c.trim()) => {
                config.tables.push((table.trim().to_string(), c.trim().to_string()))
            }
            None if name_ok(item) => {
                defaults += 1;
                config.default = item.to_string();
            }
            _ => {
                return Err(Error::config(format!(
                    "FTS_CONFIG entry {item:?} must be a text search configuration name, such as english or simple, \
                     or fts_table:name for one FTS table"
                )))
            }
        }
    }
    if defaults > 1 {
        return Err(Error::config("FTS_CONFIG names more than one configuration for all FTS tables"));
    }
    Ok(config)
}

fn parse_schema(s: Option<&str>) -> Result<SchemaSource> {
    match s.map(str::trim) {
        None | Some("") | Some("auto") => Ok(SchemaSource::Auto),
        Some("none") => Ok(SchemaSource::None),
        Some(p) if p.contains('/') || p.ends_with(".sql") || p.ends_with(".prisma") => {
            let path = PathBuf::from(p);
            if path.is_dir() && crate::postgres::migrations::prisma_schema::is_schema(&path) {
                Ok(SchemaSource::File(path))
            } else if path.is_dir() {
                Ok(SchemaSource::Dir(path))
            } else if path.is_file() {
                Ok(SchemaSource::File(path))
            } else {
                Err(Error::config(format!("SCHEMA {p} does not exist")))
            }
        }
        Some(other) => Err(Error::config(format!(
            "SCHEMA={other} is not known: use auto, none, a .sql file, a migrations folder or a schema.prisma"
        ))),
    }
}

fn parse_bool(name: &str, s: Option<&str>, default: bool) -> Result<bool> {
    match s.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(_) => Err(Error::config(format!("{name} must be true or false"))),
    }
}

fn parse_seconds(name: &str, s: Option<&str>, default: u64) -> Result<Duration> {
    match s.map(str::trim) {
        None | Some("") => Ok(Duration::from_secs(default)),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0 && *f <= 86_400.0 * 365.0)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| Error::config(format!("{name} must be a number of seconds"))),
    }
}

/// The database to migrate into: DIRECT_URL (or DIRECT_URL_FILE) when set, as Prisma's `directUrl` (the
/// application keeps its pooled DATABASE_URL), else DATABASE_URL (or DATABASE_URL_FILE), else the PG* variables.
fn target(raw: &RawConfig, env: &dyn Fn(&str) -> Option<String>) -> Result<Target> {
    let set = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    let (url, file, names) = match (set(&raw.direct_url), set(&raw.direct_url_file)) {
        (None, None) => (set(&raw.database_url), set(&raw.database_url_file), ["DATABASE_URL", "DATABASE_URL_FILE"]),
        (url, file) => (url, file, ["DIRECT_URL", "DIRECT_URL_FILE"]),
    };
    if url.is_some() && file.is_some() {
        return Err(Error::config(format!("set {} or {}, not both", names[0], names[1])));
    }
    let file = file.map(PathBuf::from);
    Target::from_env_named(url.as_deref(), file.as_deref(), names[1], env).map_err(|e| Error::config(e.to_string()))
}

fn parse_jobs(s: Option<&str>) -> Result<usize> {
    match s.map(str::trim) {
        None | Some("") => Ok(4),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=64).contains(n))
            .ok_or_else(|| Error::config("JOBS must be a whole number from 1 to 64")),
    }
}

fn parse_on_existing(s: Option<&str>) -> Result<OnExisting> {
    match s.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("skip") => Ok(OnExisting::Skip),
        Some("replace") => Ok(OnExisting::Replace),
        Some("fail") => Ok(OnExisting::Fail),
        Some(other) => Err(Error::config(format!("ON_EXISTING={other} is not known: use skip, replace or fail"))),
    }
}

fn parse_list(s: Option<&str>) -> Vec<String> {
    s.unwrap_or("").split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

fn parse_column_formats(s: Option<&str>) -> Result<Vec<(String, String, crate::translate::values::ColumnFormat)>> {
    let mut out = Vec::new();
    for item in parse_list(s) {
        let bad = || Error::config(format!("COLUMN_FORMATS entry {item} must look like Table.column=epoch_s"));
        let (col, fmt) = item.rsplit_once('=').ok_or_else(bad)?;
        let (table, column) = col.rsplit_once('.').ok_or_else(bad)?;
        let fmt = fmt.trim().parse().map_err(|_| {
            Error::config(format!(
                "COLUMN_FORMATS entry {item}: format must be auto, epoch_s, epoch_ms, epoch_us, epoch_ns or iso"
            ))
        })?;
        out.push((table.trim().to_string(), column.trim().to_string(), fmt));
    }
    Ok(out)
}

/// `SEQUENCES=seq:table.column,...`; a sequence tied to several columns is named once for each.
fn parse_sequences(s: Option<&str>) -> Result<Vec<(String, String, String, bool)>> {
    let mut out = Vec::new();
    for item in parse_list(s) {
        let bad = || {
            Error::config(format!(
                "SEQUENCES entry {item} must look like sequence:table.column (or sequence:-table.column)"
            ))
        };
        let (seq, col) = item.split_once(':').ok_or_else(bad)?;
        // a column whose values count down from -1, drawn from the sequence negated (Synapse's backfilled events)
        let (negated, col) = match col.trim().strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, col),
        };
        let (table, column) = col.rsplit_once('.').ok_or_else(bad)?;
        let (seq, table, column) = (seq.trim(), table.trim(), column.trim());
        if seq.is_empty() || table.is_empty() || column.is_empty() {
            return Err(bad());
        }
        out.push((seq.to_string(), table.to_string(), column.to_string(), negated));
    }
    Ok(out)
}

/// `Table.column` entries, comma-separated.
fn parse_columns(name: &str, s: Option<&str>) -> Result<Vec<(String, String)>> {
    parse_list(s)
        .into_iter()
        .map(|item| match item.rsplit_once('.') {
            Some((t, c)) if !t.trim().is_empty() && !c.trim().is_empty() => {
                Ok((t.trim().to_string(), c.trim().to_string()))
            }
            _ => Err(Error::config(format!("{name} entry {item} must look like Table.column"))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_config_has_a_default_and_exceptions_per_fts_table() {
        let c = parse_fts_config(Some(" simple , Event_Search:english ")).expect("valid");
        assert_eq!((c.of("other"), c.of("event_search")), ("simple", "english"));
        assert_eq!(parse_fts_config(None).expect("default").of("x"), "english");
        assert_eq!(parse_fts_config(Some("t:simple")).expect("valid").of("u"), "english");
        for bad in ["simple,english", "t:", ":simple", "x'y", "t:a b"] {
            assert!(parse_fts_config(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_flag_wins_over_its_variable_and_a_variable_fills_what_no_flag_gives() {
        let cli = RawConfig::try_parse_from(["sqlite2pg", "--jobs", "2", "--check"]).expect("flags");
        let env = RawConfig {
            jobs: Some("8".into()),
            sqlite_path: Some("/data/app.db".into()),
            check_only: Some("false".into()),
            ..RawConfig::default()
        };
        let merged = cli.or(env).expect("merge");
        assert_eq!(merged.jobs.as_deref(), Some("2"));
        assert_eq!(merged.sqlite_path.as_deref(), Some("/data/app.db"));
        assert_eq!(merged.check_only.as_deref(), Some("false"));
        assert!(merged.check_flag);
        assert_eq!(merged.schema, None);
    }

    #[test]
    fn seconds_and_bools() {
        assert_eq!(parse_seconds("X", Some("2.5"), 1).ok(), Some(Duration::from_millis(2500)));
        assert!(parse_seconds("X", Some("-1"), 1).is_err());
        assert!(parse_seconds("X", Some("abc"), 1).is_err());
        assert!(parse_bool("X", Some("maybe"), false).is_err());
        assert_eq!(parse_bool("X", Some("TRUE"), false).ok(), Some(true));
    }

    #[test]
    fn jobs() {
        assert_eq!(parse_jobs(None).ok(), Some(4));
        assert_eq!(parse_jobs(Some(" 1 ")).ok(), Some(1));
        for bad in ["0", "65", "-2", "two", "1.5"] {
            assert!(parse_jobs(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn sequences() {
        let got = parse_sequences(Some("events_stream_seq:events.stream_ordering, s:a.x,s:b.y")).ok();
        assert_eq!(got.map(|v| v.len()), Some(3));
        assert_eq!(parse_sequences(Some("s:a.x")).ok(), Some(vec![("s".into(), "a".into(), "x".into(), false)]));
        assert_eq!(parse_sequences(Some("s: -a.x")).ok(), Some(vec![("s".into(), "a".into(), "x".into(), true)]));
        for bad in ["s", "s:a", ":a.b", "s:.b", "s:a.", "s:-", "s:-a"] {
            assert!(parse_sequences(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn schema_values() {
        assert_eq!(parse_schema(None).ok(), Some(SchemaSource::Auto));
        assert_eq!(parse_schema(Some("none")).ok(), Some(SchemaSource::None));
        assert!(matches!(parse_schema(Some("magic")), Err(e) if e.kind() == crate::error::Kind::Config));
        assert!(matches!(parse_schema(Some("/no/such/file.sql")), Err(e) if e.kind() == crate::error::Kind::Config));
    }
}
