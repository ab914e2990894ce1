//! Target tables that hold rows before any recorded run (an application's migrator seeded them): kept, compared with SQLite, or replaced
//!
//! With the application's own schema (not SCHEMA=auto) and no ledger entry, each loaded table that already holds
//! rows is copied aside into a temporary table ([`set_aside`]), emptied and loaded from SQLite like the others, in
//! the run's one transaction. After the copy, [`judge`] compares the rows it held with SQLite's, over the columns
//! loaded from SQLite: the same rows (identical) or a subset of them (seed) lose nothing; rows SQLite does not have
//! (diverged) stop the run, which rolls back, unless REPLACE_TABLES names the table. KEEP_TABLES tables are not
//! loaded at all ([`kept`]).

use tokio_postgres::{GenericClient, Transaction};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::plan::TablePlan;
use crate::sqlite::{Catalog, Source};

/// How many keys a refusal shows on each side.
const KEYS_SHOWN: i64 = 5;

use crate::report::ExistingTable;

/// A loaded table's rows from before the run, copied aside into a temporary table.
pub(crate) struct Seed {
    table: String,
    snapshot: String,
    rows: u64,
    /// The columns loaded from SQLite: the rows are compared over these.
    columns: Vec<String>,
    /// The primary key's columns, shown in a refusal; empty without one.
    key: Vec<String>,
    /// The target's columns not loaded from SQLite: their values are not compared, and take their defaults again.
    defaulted: Vec<String>,
}

/// Check KEEP_TABLES and REPLACE_TABLES against the SQLite file and the target, and account for the kept tables
/// (logged, and returned for the report). Changes nothing.
pub(crate) async fn kept(
    client: &impl GenericClient,
    config: &Config,
    source: &Source,
    catalog: &Catalog,
) -> Result<Vec<ExistingTable>> {
    let schema = &config.target_schema;
    let in_sqlite = |name: &str| catalog.tables.iter().find(|t| t.name.eq_ignore_ascii_case(name));
    for name in &config.replace_tables {
        if !in_sqlite(name).is_some_and(|t| crate::load::plan::selected(config, &t.name)) {
            return Err(Error::config(format!(
                "REPLACE_TABLES names \"{name}\", which is not among the sqlite tables being loaded"
            )));
        }
    }
    let mut out = Vec::new();
    for name in &config.keep_tables {
        let Some(table) = in_sqlite(name) else {
            return Err(Error::config(format!("KEEP_TABLES names \"{name}\", which the sqlite file does not have")));
        };
        let existing = crate::postgres::existing::existing_tables(client, schema, std::slice::from_ref(name)).await?;
        let Some((target, _)) = existing.first() else {
            return Err(Error::schema(format!(
                "KEEP_TABLES names \"{name}\", which target schema \"{schema}\" does not have"
            )));
        };
        let target_rows = count(client, schema, target).await?;
        let sqlite_rows: i64 = source
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", quote_ident(&table.name)), [], |r| r.get(0))
            .map_err(|e| source.error(format!("count the rows of \"{}\"", table.name)).because(e))?;
        let sqlite_rows = u64::try_from(sqlite_rows).unwrap_or(0);
        log::warn!(
            "KEEP_TABLES: \"{target}\" keeps its {target_rows} row(s) in postgresql; its {sqlite_rows} sqlite row(s) are not loaded"
        );
        out.push(ExistingTable {
            table: target.clone(),
            outcome: "kept",
            target_rows,
            sqlite_rows,
            dropped_rows: sqlite_rows,
        });
    }
    Ok(out)
}

/// Before the tables are emptied for the load: copy aside the rows of each loaded table that holds some, to
/// compare after the load. Nothing under ON_EXISTING=replace, which replaces them all.
pub(crate) async fn set_aside(
    tx: &Transaction<'_>,
    config: &Config,
    plans: &[TablePlan],
    replace_all: bool,
) -> Result<Vec<Seed>> {
    if replace_all {
        return Ok(Vec::new());
    }
    let schema = &config.target_schema;
    let mut seeds = Vec::new();
    for plan in plans {
        let table = format!("{}.{}", quote_ident(schema), quote_ident(&plan.target));
        let has_rows: bool = tx
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])
            .await
            .map_err(Error::pg(format!("look into \"{}\"", plan.target)))?
            .get(0);
        if !has_rows {
            continue;
        }
        let snapshot = format!("sqlite2pg_seed_{}", seeds.len());
        tx.batch_execute(&format!(
            "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT * FROM {table}",
            quote_ident(&snapshot)
        ))
        .await
        .map_err(Error::pg(format!("set aside the rows of \"{}\"", plan.target)))?;
        let rows = count(tx, schema, &plan.target).await?;
        let key: Vec<String> = tx
            .query(
                "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
                 WHERE i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND i.indisprimary \
                 ORDER BY array_position(i.indkey::int2[], a.attnum)",
                &[&schema.as_str(), &plan.target],
            )
            .await
            .map_err(Error::pg(format!("read the primary key of \"{}\"", plan.target)))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        log::info!("\"{}\" holds {rows} row(s) already: they are compared with sqlite's after the load", plan.target);
        let columns: Vec<String> = plan.columns.iter().map(|c| c.target.clone()).collect();
        let defaulted: Vec<String> = tx
            .query(
                "SELECT attname::text FROM pg_attribute WHERE attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass \
                 AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                &[&schema.as_str(), &plan.target],
            )
            .await
            .map_err(Error::pg(format!("read the columns of \"{}\"", plan.target)))?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .filter(|c| !columns.contains(c))
            .collect();
        seeds.push(Seed { table: plan.target.clone(), snapshot, rows, columns, key, defaulted });
    }
    Ok(seeds)
}

/// After the load, in the same transaction: compare each set-aside table with what SQLite loaded. Identical and
/// seed tables are logged; a table holding rows SQLite does not have is replaced when REPLACE_TABLES names it,
/// and otherwise stops the run (exit 5, listing counts and keys only) with the two ways on.
pub(crate) async fn judge(tx: &Transaction<'_>, config: &Config, seeds: &[Seed]) -> Result<Vec<ExistingTable>> {
    let schema = &config.target_schema;
    let mut out = Vec::new();
    let mut diverged = Vec::new();
    for seed in seeds {
        let loaded = format!("{}.{}", quote_ident(schema), quote_ident(&seed.table));
        let old = quote_ident(&seed.snapshot);
        let row = format!(
            "ROW({})::text",
            seed.columns.iter().map(|c| format!("x.{}", quote_ident(c))).collect::<Vec<_>>().join(", ")
        );
        // rows of `a` not in `b`, as a multiset, with a few of their keys
        let only = |a: &str, b: &str| {
            let key = match seed.key.as_slice() {
                [] => "NULL::text".to_string(),
                [one] => format!("x.{}::text", quote_ident(one)),
                many => format!(
                    "'(' || concat_ws(', ', {}) || ')'",
                    many.iter().map(|k| format!("x.{}::text", quote_ident(k))).collect::<Vec<_>>().join(", ")
                ),
            };
            format!(
                "WITH d AS (SELECT {row} AS r FROM {a} x EXCEPT ALL SELECT {row} FROM {b} x) \
                 SELECT (SELECT count(*) FROM d), \
                 ARRAY(SELECT k FROM (SELECT DISTINCT {key} AS k FROM {a} x WHERE {row} IN (SELECT r FROM d)) s ORDER BY k LIMIT {KEYS_SHOWN})"
            )
        };
        let side = |sql: String| async move {
            let r = tx
                .query_one(&sql, &[])
                .await
                .map_err(Error::pg(format!("compare the rows of \"{}\" with sqlite's", seed.table)))?;
            let n: i64 = r.get(0);
            let keys: Vec<Option<String>> = r.get(1);
            Ok::<_, Error>((u64::try_from(n).unwrap_or(0), keys.into_iter().flatten().collect::<Vec<_>>()))
        };
        let (target_only, target_keys) = side(only(&old, &loaded)).await?;
        let (sqlite_only, sqlite_keys) = side(only(&loaded, &old)).await?;
        let sqlite_rows = count(tx, schema, &seed.table).await?;
        let entry = |outcome, dropped_rows| ExistingTable {
            table: seed.table.clone(),
            outcome,
            target_rows: seed.rows,
            sqlite_rows,
            dropped_rows,
        };
        if target_only == 0 {
            let outcome = if sqlite_only == 0 { "identical" } else { "seed" };
            log::info!(
                "\"{}\": its {} row(s) from before the run are {} sqlite's {sqlite_rows}: loaded from sqlite, nothing lost",
                seed.table,
                seed.rows,
                if outcome == "identical" { "the same as" } else { "all among" }
            );
            if !seed.defaulted.is_empty() {
                log::warn!(
                    "\"{}\": its column(s) not in sqlite ({}) take their defaults again",
                    seed.table,
                    seed.defaulted.join(", ")
                );
            }
            out.push(entry(outcome, 0));
        } else if config.replace_tables.iter().any(|t| t.eq_ignore_ascii_case(&seed.table)) {
            log::warn!(
                "REPLACE_TABLES: \"{}\" is loaded from sqlite; {target_only} of its {} row(s) from before the run are not in sqlite and are dropped (keys: {})",
                seed.table,
                seed.rows,
                shown(&target_keys, target_only)
            );
            out.push(entry("replaced", target_only));
        } else {
            diverged.push((seed, target_only, target_keys, sqlite_only, sqlite_keys));
        }
    }
    if diverged.is_empty() {
        return Ok(out);
    }
    let names: Vec<&str> = diverged.iter().map(|d| d.0.table.as_str()).collect();
    let lines: Vec<String> = diverged
        .iter()
        .map(|(seed, t, tk, s, sk)| {
            format!(
                "\"{}\": {t} target row(s) not in sqlite (keys: {}); {s} sqlite row(s) not in the target (keys: {})",
                seed.table,
                shown(tk, *t),
                shown(sk, *s)
            )
        })
        .collect();
    Err(Error::data(format!(
        "target table(s) already hold rows that sqlite does not have (no ledger entry), so loading them would lose \
         those rows; nothing was changed:\n  {}\nto keep the target's rows and not load these tables from sqlite \
         (an application's own schema ledger): KEEP_TABLES={}; to replace them with sqlite's rows, dropping the \
         target's: REPLACE_TABLES={}",
        lines.join("\n  "),
        names.join(","),
        names.join(",")
    ))
    .listing(lines))
}

/// A few keys, and how many more there are.
fn shown(keys: &[String], total: u64) -> String {
    if total == 0 {
        return "none".into();
    }
    if keys.is_empty() {
        return "the table has no primary key".into();
    }
    let more = total.saturating_sub(keys.len() as u64);
    if more > 0 {
        format!("{}, and {more} more", keys.join(", "))
    } else {
        keys.join(", ")
    }
}

async fn count(client: &impl GenericClient, schema: &str, table: &str) -> Result<u64> {
    let n: i64 = client
        .query_one(&format!("SELECT count(*) FROM {}.{}", quote_ident(schema), quote_ident(table)), &[])
        .await
        .map_err(Error::pg(format!("count the rows of \"{table}\"")))?
        .get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}
