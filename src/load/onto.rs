//! SCHEMA = a .sql file, a folder, a Prisma folder or none: apply the application's own schema, then map onto it

use tokio_postgres::{Client, GenericClient, Transaction};

use super::foreign_keys::{self, ForeignKeyStep, SourceSide};
use super::work::{Ctx, Work};
use crate::config::{Config, SchemaSource};
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::plan::{self, TablePlan};
use crate::postgres::catalog::{self, TargetForeignKey};
use crate::postgres::migrations::{files, prisma};
use crate::sqlite::{Catalog, Source};

/// What the load needs to put back afterwards.
pub(crate) struct Loaded {
    pub(crate) fks: Vec<TargetForeignKey>,
    pub(crate) rebuilds: Vec<catalog::Rebuild>,
    /// The rows loaded tables held before the run, to compare after the load.
    seeds: Vec<crate::load::seeds::Seed>,
}

/// Create the target schema if needed and put it on the search path for the rest of the transaction.
async fn use_schema(c: &impl GenericClient, schema: &str) -> Result<()> {
    let sql = format!("CREATE SCHEMA IF NOT EXISTS {q}; SET LOCAL search_path TO {q}", q = quote_ident(schema));
    c.batch_execute(&sql).await.map_err(Error::pg("use the target schema"))
}

/// Before the data transaction: apply a folder's pending files, each in its own transaction with its ledger row
/// (files marked `-- sqlite2pg:no-transaction` outside one). Under CHECK_ONLY nothing is applied here.
pub(crate) async fn apply_folder(client: &mut Client, config: &Config) -> Result<()> {
    let SchemaSource::Dir(dir) = &config.schema else { return Ok(()) };
    if config.check_only {
        return Ok(());
    }
    let schema = &config.target_schema;
    if prisma::is_prisma(dir) {
        let all = prisma::read(dir)?;
        let tx = begin(client).await?;
        use_schema(&tx, schema).await?;
        prisma::ensure_table(&tx, schema).await?;
        let pending = prisma::pending(&tx, schema, &all).await?;
        tx.commit().await.map_err(Error::pg("commit"))?;
        for m in pending {
            let tx = begin(client).await?;
            use_schema(&tx, schema).await?;
            prisma::apply(&tx, schema, &m).await?;
            tx.commit().await.map_err(Error::pg("commit"))?;
        }
        return Ok(());
    }
    let all = files::read_dir(dir)?;
    let tx = begin(client).await?;
    crate::postgres::ledger::ensure(&tx).await?;
    let pending = files::pending(&tx, &all).await?;
    tx.commit().await.map_err(Error::pg("commit"))?;
    for f in pending {
        let tx = begin(client).await?;
        use_schema(&tx, schema).await?;
        if f.no_transaction {
            tx.commit().await.map_err(Error::pg("commit"))?;
            // as the file asks, outside a transaction: its search path is set around it, and reset after
            let path = format!("SET search_path TO {}", quote_ident(schema));
            client.batch_execute(&path).await.map_err(Error::pg("use the target schema"))?;
            let ran = files::run(&*client, &f).await;
            client.batch_execute("RESET search_path").await.map_err(Error::pg("reset the search path"))?;
            ran?;
            let tx = begin(client).await?;
            files::record(&tx, &f).await?;
            tx.commit().await.map_err(Error::pg("commit"))?;
        } else {
            files::apply(&tx, &f).await?;
            tx.commit().await.map_err(Error::pg("commit"))?;
        }
    }
    Ok(())
}

/// Apply a folder's pending files inside `tx`, the data transaction: under CHECK_ONLY, and when PostgreSQL
/// accepts only the run's one connection. A file that must run outside a transaction is only skipped under
/// CHECK_ONLY; otherwise it is an error.
pub(crate) async fn apply_folder_in(tx: &Transaction<'_>, config: &Config, dir: &std::path::Path) -> Result<()> {
    let schema = &config.target_schema;
    if prisma::is_prisma(dir) {
        let all = prisma::read(dir)?;
        prisma::ensure_table(tx, schema).await?;
        for m in prisma::pending(tx, schema, &all).await? {
            prisma::apply(tx, schema, &m).await?;
        }
        return Ok(());
    }
    crate::postgres::ledger::ensure(tx).await?;
    for f in files::pending(tx, &files::read_dir(dir)?).await? {
        if !f.no_transaction {
            files::apply(tx, &f).await?;
        } else if config.check_only {
            log::warn!("CHECK_ONLY: schema file {} runs outside a transaction, so it is not tried", f.name);
        } else {
            return Err(Error::schema(format!(
                "schema file {} runs outside a transaction, but postgresql accepts no connection for it besides the one \
                 that holds the run's transaction (too many connections): allow the role one more connection",
                f.name
            )));
        }
    }
    Ok(())
}

/// A transaction with the run's settings.
async fn begin(client: &mut Client) -> Result<Transaction<'_>> {
    crate::postgres::connect::session::begin(client).await.map_err(Error::pg("begin"))
}

/// `SCHEMA=<file>`: a file applied before whose text changed since is a schema error, even on a rerun that has
/// nothing else to do.
/// A Prisma schema is left out: after the migration `prisma db push` owns the schema, and changes it as the
/// schema.prisma changes.
pub(crate) async fn check_file(client: &impl GenericClient, config: &Config) -> Result<()> {
    if let SchemaSource::File(path) = &config.schema {
        if crate::postgres::migrations::prisma_schema::is_schema(path) {
            return Ok(());
        }
        files::pending(client, &[files::read_file(path)?]).await?;
    }
    Ok(())
}

/// The views of a Prisma schema, which `prisma migrate` leaves to the application's SQL as well.
pub(crate) fn prisma_views(config: &Config) -> Result<Vec<crate::sqlite::Skipped>> {
    let SchemaSource::File(path) = &config.schema else { return Ok(Vec::new()) };
    if !crate::postgres::migrations::prisma_schema::is_schema(path) {
        return Ok(Vec::new());
    }
    let (_, views) = crate::postgres::migrations::prisma_schema::read(path)?;
    Ok(views
        .into_iter()
        .map(|name| crate::sqlite::Skipped {
            kind: "view",
            name,
            reason: "a prisma view block: prisma migrate does not create views either".into(),
        })
        .collect())
}

/// Inside the data transaction: apply a single file (or, under CHECK_ONLY, a folder's pending files), read the
/// target schema, map the SQLite tables onto it, and drop the foreign keys that touch them for the load: the work
/// puts them back after the data.
pub(crate) async fn prepare(tx: &Transaction<'_>, ctx: &Ctx<'_>, replace: bool) -> Result<Work> {
    let Ctx { config, source, catalog, .. } = *ctx;
    let schema = &config.target_schema;
    use_schema(tx, schema).await?;
    let mut filled = Vec::new();
    match &config.schema {
        SchemaSource::File(path) => {
            let file = files::read_file(path)?;
            crate::postgres::ledger::ensure(tx).await?;
            for f in files::pending(tx, std::slice::from_ref(&file)).await? {
                files::apply(tx, &f).await?;
            }
        }
        SchemaSource::Dir(dir) => {
            if config.check_only {
                apply_folder_in(tx, config, dir).await?;
            }
            if prisma::is_prisma(dir) {
                filled.push(prisma::TABLE.to_string());
            }
        }
        _ => {}
    }
    let plans = plan_onto(tx, config, source, catalog, schema, filled).await?;
    let seeds = crate::load::seeds::set_aside(tx, config, &plans, replace).await?;
    // the foreign keys go aside before the tables are emptied: that then cascades into no table that is not loaded
    let mut loaded = set_keys_aside(tx, schema, &plans).await?;
    loaded.seeds = seeds;
    add_search_helpers(tx, schema, &plans).await?;
    if (replace || !loaded.seeds.is_empty()) && !plans.is_empty() {
        let names: Vec<String> =
            plans.iter().map(|p| format!("{}.{}", quote_ident(schema), quote_ident(&p.target))).collect();
        // DELETE, not TRUNCATE: it is MVCC-safe, so readers of any isolation level see the old rows until commit
        log::info!("emptying {} table(s) to load them from sqlite", plans.len());
        for name in names {
            tx.batch_execute(&format!("DELETE FROM {name}")).await.map_err(Error::pg("empty the tables to load"))?;
        }
    }
    Ok(loaded.into_work(schema, &config.fts_config, plans))
}

/// Add to the tables of `schema` the helper columns an FTS table mapped onto them copies its text into.
pub(crate) async fn add_search_helpers(tx: &Transaction<'_>, schema: &str, plans: &[TablePlan]) -> Result<()> {
    for (plan, fill) in plans.iter().filter_map(|p| p.search.as_ref().map(|f| (p, f))) {
        let sql = super::fts_onto::before(schema, &plan.target, fill);
        tx.batch_execute(&sql)
            .await
            .map_err(Error::pg(format!("add the search helper columns to \"{}\"", plan.target)))?;
    }
    Ok(())
}

impl Loaded {
    /// The work that loads `plans` into `schema` and puts back what was set aside: the search columns filled, the
    /// keys and indexes rebuilt (indexes first, keys attached to them), the foreign keys added again, every
    /// identity and serial sequence moved past the copied ids.
    pub(crate) fn into_work(self, schema: &str, fts_config: &crate::config::FtsConfig, plans: Vec<TablePlan>) -> Work {
        Work {
            schema: schema.to_string(),
            fills: fills(schema, fts_config, &plans),
            keys: rebuild_steps(schema, &self.rebuilds),
            keys_attach_indexes: true,
            foreign_keys: foreign_key_steps(schema, &self.fks, &plans),
            reset_sequences: true,
            seeds: self.seeds,
            plans,
            ..Work::default()
        }
    }
}

/// The statements that fill the search columns of the tables an FTS table maps onto, after the data.
fn fills(
    schema: &str,
    fts_config: &crate::config::FtsConfig,
    plans: &[TablePlan],
) -> Vec<crate::translate::schema::Step> {
    plans
        .iter()
        .filter_map(|p| p.search.as_ref().map(|f| (p, f)))
        .map(|(plan, fill)| crate::translate::schema::Step {
            table: plan.target.clone(),
            what: format!("fill the search columns of \"{}\"", plan.target),
            sql: super::fts_onto::after(schema, &plan.target, fts_config.of(&plan.source), fill),
        })
        .collect()
}

/// Read the tables of `schema` and map the SQLite tables onto them (`filled`: tables the schema step filled).
pub(crate) async fn plan_onto(
    tx: &Transaction<'_>,
    config: &Config,
    source: &Source,
    catalog: &Catalog,
    schema: &str,
    mut filled: Vec<String>,
) -> Result<Vec<TablePlan>> {
    let targets = catalog::tables(tx, schema).await?;
    // SQLite's _prisma_migrations lists the SQLite migrations: it never belongs in the user's PostgreSQL schema
    if !filled.iter().any(|f| f == prisma::TABLE) {
        filled.push(prisma::TABLE.to_string());
    }
    let (plans, misfits) = plan::map_to_target(&source.conn, config, catalog, &targets, &filled)?;
    let mut nulls = nulls_into_not_null(source, catalog, &plans, &targets)?;
    if !misfits.is_empty() {
        if config.check_only {
            nulls.extend(values_that_do_not_fit(tx, source, schema, &plans).await?);
        }
        return Err(plan::misfit(&misfits, &nulls));
    }
    if !nulls.is_empty() {
        return Err(Error::data(format!(
            "{} column(s) hold NULL where the target column is NOT NULL:\n  {}",
            nulls.len(),
            nulls.join("\n  ")
        ))
        .listing(nulls));
    }
    Ok(plans)
}

/// Under CHECK_ONLY, when the structure does not fit: load what maps in a savepoint rolled back after, with the
/// foreign keys set aside and NOT NULL lifted (missing fields and NULLs are listed already), and return what
/// does not fit, by table, column and rowid (or why the values could not be tried).
async fn values_that_do_not_fit(
    tx: &Transaction<'_>,
    source: &Source,
    schema: &str,
    plans: &[TablePlan],
) -> Result<Vec<String>> {
    tx.batch_execute("SAVEPOINT misfit").await.map_err(Error::pg("savepoint"))?;
    let result = async {
        for plan in plans {
            let table = format!("{}.{}", quote_ident(schema), quote_ident(&plan.target));
            let required = tx
                .query(
                    "SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = $1::text::regclass \
                     AND a.attnum > 0 AND a.attnotnull AND NOT a.attisdropped AND NOT EXISTS (SELECT 1 FROM pg_index i \
                     WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey))",
                    &[&table],
                )
                .await
                .map_err(Error::pg(format!("read the required columns of \"{}\"", plan.target)))?;
            for row in required {
                let column: String = row.get(0);
                tx.batch_execute(&format!("ALTER TABLE {table} ALTER COLUMN {} DROP NOT NULL", quote_ident(&column)))
                    .await
                    .map_err(Error::pg(format!("lift NOT NULL of \"{}\".\"{column}\" for the check", plan.target)))?;
            }
        }
        set_keys_aside(tx, schema, plans).await?;
        match crate::load::copy::copy_all(tx, source, schema, plans, true, false, false, &mut Vec::new()).await {
            Ok(()) => Ok(Vec::new()),
            Err(e) if e.kind() == crate::error::Kind::Data => Ok(vec![e.message()]),
            Err(e) => Err(e),
        }
    }
    .await;
    tx.batch_execute("ROLLBACK TO SAVEPOINT misfit").await.map_err(Error::pg("rollback to savepoint"))?;
    // what keeps the values from being tried must not hide the structural problems
    Ok(result.unwrap_or_else(|e| vec![format!("the values were not checked: {e}")]))
}

/// How many rowids to name for each column that holds NULL where the target forbids it.
const NULLS_NAMED: usize = 10;

/// The SQLite rows with NULL in a column whose target column is NOT NULL, named by table, column and rowid before
/// the load (COPY would only say that some row of the table broke the constraint).
fn nulls_into_not_null(
    source: &Source,
    catalog: &Catalog,
    plans: &[TablePlan],
    targets: &[catalog::TargetTable],
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for plan in plans {
        let Some(table) = catalog.tables.iter().find(|t| t.name == plan.source) else { continue };
        let Some(target) = targets.iter().find(|t| t.name == plan.target) else { continue };
        for c in &plan.columns {
            let Some(pos) = table.columns.iter().position(|x| x.name == c.source) else { continue };
            let required = target.columns.iter().any(|t| t.name == c.target && t.not_null);
            // an INTEGER PRIMARY KEY is the rowid, never NULL
            if !required || table.columns[pos].not_null || table.rowid_alias == Some(pos) {
                continue;
            }
            let err = |e: rusqlite::Error| {
                source.error(format!("look for NULL in \"{}\".\"{}\"", table.name, c.source)).because(e)
            };
            let from = format!("FROM {} WHERE {} IS NULL", quote_ident(&table.name), quote_ident(&c.source));
            let count: i64 =
                source.conn.query_row(&format!("SELECT count(*) {from}"), [], |r| r.get(0)).map_err(err)?;
            if count == 0 {
                continue;
            }
            let rowids: Vec<String> = match table.rowid_name {
                Some(rowid) => source
                    .conn
                    .prepare(&format!("SELECT {rowid} {from} ORDER BY 1 LIMIT {NULLS_NAMED}"))
                    .and_then(|mut s| {
                        s.query_map([], |r| r.get::<_, i64>(0)).and_then(|rows| rows.collect::<Result<Vec<i64>, _>>())
                    })
                    .map_err(err)?
                    .iter()
                    .map(i64::to_string)
                    .collect(),
                None => Vec::new(),
            };
            let more = usize::try_from(count).unwrap_or(usize::MAX).saturating_sub(rowids.len());
            let which = match (rowids.is_empty(), more) {
                (true, _) => format!("{count} row(s) (a WITHOUT ROWID table)"),
                (false, 0) => format!("sqlite rowid {}", rowids.join(", ")),
                (false, more) => format!("sqlite rowid {} and {more} more", rowids.join(", ")),
            };
            problems.push(format!(
                "table \"{}\", column \"{}\", {which}: NULL, but \"{}\".\"{}\" is NOT NULL",
                table.name, c.source, target.name, c.target
            ));
        }
    }
    Ok(problems)
}

/// Drop, for the load, the foreign keys that touch the loaded tables and their keys and indexes, and say how to
/// build them again.
pub(crate) async fn set_keys_aside(tx: &Transaction<'_>, schema: &str, plans: &[TablePlan]) -> Result<Loaded> {
    let loaded: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
    let fks: Vec<TargetForeignKey> = catalog::foreign_keys(tx, schema)
        .await?
        .into_iter()
        .filter(|fk| loaded.contains(&fk.table.as_str()) || loaded.contains(&fk.parent.as_str()))
        .collect();
    foreign_keys::drop_for_load(tx, schema, &fks).await?;
    let loaded: Vec<String> = loaded.iter().map(|t| t.to_string()).collect();
    let mut rebuilds = Vec::new();
    for r in catalog::rebuildable(tx, schema, &loaded).await? {
        let sql = if r.attach.is_some() {
            format!(
                "ALTER TABLE {}.{} DROP CONSTRAINT {}",
                quote_ident(schema),
                quote_ident(&r.table),
                quote_ident(&r.name)
            )
        } else {
            format!("DROP INDEX {}.{}", quote_ident(schema), quote_ident(&r.name))
        };
        // something outside the loaded tables may depend on it: then it stays, and COPY maintains it
        tx.batch_execute("SAVEPOINT rebuild").await.map_err(Error::pg("savepoint"))?;
        match tx.batch_execute(&sql).await {
            Ok(()) => {
                tx.batch_execute("RELEASE SAVEPOINT rebuild").await.map_err(Error::pg("release savepoint"))?;
                rebuilds.push(r);
            }
            Err(e) => {
                tx.batch_execute("ROLLBACK TO SAVEPOINT rebuild").await.map_err(Error::pg("rollback to savepoint"))?;
                log::debug!("\"{}\" stays during the load: {}", r.name, crate::error::describe_pg(&e));
            }
        }
    }
    Ok(Loaded { fks, rebuilds, seeds: Vec::new() })
}

/// The statements that build the set-aside keys and indexes again. A key's index is built from its own definition
/// like the others (which keeps its storage parameters, and lets a staged load build it side by side with them),
/// then the key is attached to it, which takes no time.
pub(crate) fn rebuild_steps(schema: &str, rebuilds: &[catalog::Rebuild]) -> Vec<crate::translate::schema::Step> {
    let mut steps = Vec::new();
    for r in rebuilds {
        let step = |sql: String| crate::translate::schema::Step {
            table: r.table.clone(),
            what: format!("\"{}\" of \"{}\"", r.name, r.table),
            sql,
        };
        steps.push(step(r.definition.clone()));
        if let Some(attach) = &r.attach {
            steps.push(step(format!(
                "ALTER TABLE {}.{} ADD CONSTRAINT {} {attach}",
                quote_ident(schema),
                quote_ident(&r.table),
                quote_ident(&r.name)
            )));
        }
    }
    steps
}

/// The statements that add the set-aside foreign keys again, with the SQLite side of each for orphan reports.
pub(crate) fn foreign_key_steps(schema: &str, fks: &[TargetForeignKey], plans: &[TablePlan]) -> Vec<ForeignKeyStep> {
    let to_source = |target: &str| plans.iter().find(|p| p.target == target);
    fks.iter()
        .map(|fk| {
            let side = match (to_source(&fk.table), to_source(&fk.parent)) {
                (Some(c), Some(p)) => {
                    let map = |plan: &TablePlan, cols: &[String]| -> Option<Vec<String>> {
                        cols.iter()
                            .map(|t| plan.columns.iter().find(|c| &c.target == t).map(|c| c.source.clone()))
                            .collect()
                    };
                    match (map(c, &fk.columns), map(p, &fk.parent_columns)) {
                        (Some(cc), Some(pc)) => Some(SourceSide {
                            table: c.source.clone(),
                            columns: cc,
                            parent: p.source.clone(),
                            parent_columns: pc,
                            rowid_name: c.rowid_name,
                        }),
                        _ => None,
                    }
                }
                _ => None,
            };
            ForeignKeyStep {
                what: format!("foreign key \"{}\" of \"{}\"", fk.name, fk.table),
                sql: format!(
                    "ALTER TABLE {}.{} ADD CONSTRAINT {} {}",
                    quote_ident(schema),
                    quote_ident(&fk.table),
                    quote_ident(&fk.name),
                    fk.definition
                ),
                table: fk.table.clone(),
                columns: fk.columns.clone(),
                parent: fk.parent.clone(),
                parent_columns: fk.parent_columns.clone(),
                source: side,
            }
        })
        .collect()
}

/// Move every identity and serial sequence of the loaded tables past the copied ids, and the one of an
/// AUTOINCREMENT key past SQLite's high-water mark too (`sqlite_sequence`): an id handed out once, even one whose
/// row was deleted since, is never handed out again.
pub(crate) async fn reset_sequences(
    tx: &Transaction<'_>,
    schema: &str,
    plans: &[TablePlan],
    source: &Source,
) -> Result<()> {
    for t in catalog::tables(tx, schema).await? {
        let Some(plan) = plans.iter().find(|p| p.target == t.name) else { continue };
        let high_water = autoincrement_high_water(source, &plan.source)?
            .and_then(|(column, seq)| plan.column(&column).map(|c| (c.target.clone(), seq)));
        for c in t.columns.iter().filter(|c| c.sequence.is_some()) {
            let seq: Option<i64> = high_water.as_ref().filter(|(col, _)| *col == c.name).map(|(_, s)| *s);
            let sql = format!(
                "SELECT greatest(max({})::bigint, $1::bigint) FROM {}",
                quote_ident(&c.name),
                crate::ident::Qualified(schema, &t.name)
            );
            let last: Option<i64> = tx
                .query_one(&sql, &[&seq])
                .await
                .map_err(Error::pg(format!("move the sequence of \"{}\".\"{}\"", t.name, c.name)))?
                .get(0);
            if let (Some(last), Some(sequence)) = (last.filter(|l| *l >= 1), &c.sequence) {
                catalog::set_sequence(tx, sequence, last).await?;
            }
        }
    }
    Ok(())
}

/// The AUTOINCREMENT key of a SQLite table and the largest id it ever handed out, from `sqlite_sequence`.
fn autoincrement_high_water(source: &Source, table: &str) -> Result<Option<(String, i64)>> {
    let err = |e: rusqlite::Error| source.error(format!("read the autoincrement state of \"{table}\"")).because(e);
    let has: bool = source
        .conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
            [],
            |r| r.get(0),
        )
        .map_err(err)?;
    if !has {
        return Ok(None);
    }
    let seq: Option<i64> = source
        .conn
        .query_row("SELECT max(seq) FROM sqlite_sequence WHERE name = ?1 COLLATE NOCASE", [table], |r| r.get(0))
        .map_err(err)?;
    let Some(seq) = seq else { return Ok(None) };
    // AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY: the table's only key column
    let key: Vec<String> = source
        .conn
        .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0")
        .and_then(|mut s| s.query_map([table], |r| r.get(0)).and_then(|rows| rows.collect()))
        .map_err(err)?;
    Ok(match key.as_slice() {
        [one] => Some((one.clone(), seq)),
        _ => None,
    })
}
