//! The load as a value: what a run does to the target, in order, the same for every schema mode and executor

use std::time::SystemTime;

use crate::config::Config;
use crate::load::seeds::Seed;
use crate::postgres::migrations::files::SqlFile;
use crate::report::Report;
use crate::sqlite::{Catalog, Source};
use crate::translate::plan::TablePlan;
use crate::translate::schema::{ForeignKeyStep, Step, Translation};

/// What every step of a run reads: the settings and the SQLite side, held at one instant.
pub(crate) struct Ctx<'a> {
    pub(crate) config: &'a Config,
    pub(crate) source: &'a Source,
    pub(crate) catalog: &'a Catalog,
    pub(crate) fingerprint: &'a str,
    pub(crate) started_at: SystemTime,
}

/// The whole load, described before any of it runs. An executor runs it in one transaction ([`crate::load::one`])
/// or table by table in a staging schema ([`crate::load::staged`]).
#[derive(Default)]
pub(crate) struct Work {
    /// Where the tables are built: the target schema, or the staging schema of a staged load.
    pub(crate) schema: String,
    /// One copy per table: where its rows come from and go, column by column.
    pub(crate) plans: Vec<TablePlan>,
    /// Before the data: the schema's own statements (table empty), then each table's CREATE TABLE, or a statement
    /// that empties it so its rows load frozen.
    pub(crate) tables: Vec<Step>,
    /// After the data, first: the search columns an FTS table fills on a user's table.
    pub(crate) fills: Vec<Step>,
    /// Keys and indexes, in order.
    pub(crate) keys: Vec<Step>,
    /// Whether the keys (ALTER TABLE) attach indexes among the CREATE INDEX steps, which must be built first.
    pub(crate) keys_attach_indexes: bool,
    /// Foreign keys, after the keys.
    pub(crate) foreign_keys: Vec<ForeignKeyStep>,
    /// Identity columns to move past the copied ids: (table, column, AUTOINCREMENT high-water mark).
    pub(crate) identities: Vec<(String, String, Option<i64>)>,
    /// Move every identity and serial sequence of the loaded tables past the copied ids and `sqlite_sequence`
    /// (a user's schema, whose sequences sqlite2pg did not make).
    pub(crate) reset_sequences: bool,
    /// Views, each tried on its own; one PostgreSQL refuses is skipped.
    pub(crate) views: Vec<Step>,
    /// Existing target tables ON_EXISTING=replace drops, to put the new ones in their place.
    pub(crate) replace: Vec<String>,
    /// The rows loaded tables held before the run (a user's schema), compared after the load.
    pub(crate) seeds: Vec<Seed>,
    /// A schema file applied before the load's own transaction (staged), recorded when the load commits.
    pub(crate) file: Option<SqlFile>,
    /// VERIFY=content: hash the rows as they are sent, and compare them with the tables read back before publishing
    /// (staged; the one-transaction executor reads the setting itself).
    pub(crate) content: bool,
}

impl Work {
    /// SCHEMA=auto: the translated schema, built in `schema`.
    fn translated(schema: &str, plans: Vec<TablePlan>, t: Translation) -> Work {
        Work {
            schema: schema.to_string(),
            plans,
            tables: t.tables,
            keys: t.keys,
            keys_attach_indexes: t.keys_attach_indexes,
            foreign_keys: t.foreign_keys,
            identities: t.identities,
            views: t.views,
            ..Work::default()
        }
    }

    /// Whether the load creates its tables (or empties them) in the transaction that copies into them, so COPY
    /// may write the rows frozen.
    pub(crate) fn creates_tables(&self) -> bool {
        self.tables.iter().any(|s| !s.table.is_empty())
    }
}

/// Plan and translate the SQLite schema (SCHEMA=auto) into `schema`, views into `views_schema`; what the
/// translation notes, skips and leaves out goes into the report.
pub(crate) fn translate(
    ctx: &Ctx<'_>,
    schema: &str,
    views_schema: &str,
    report: &mut Report,
) -> crate::error::Result<Work> {
    let Ctx { config, source, catalog, .. } = *ctx;
    let plans = crate::load::plan::infer(source, config, catalog)?;
    report.notes.extend(crate::translate::plan::notes(&plans));
    let t = crate::load::schema::translate(schema, views_schema, catalog, &plans, config)?;
    report.skipped.extend(t.skipped.iter().cloned());
    report.left_out.extend(t.left_out.iter().cloned());
    report.notes.extend(t.notes.iter().cloned());
    Ok(Work::translated(schema, plans, t))
}
