//! The plan: which SQLite table goes into which PostgreSQL table, column by column, with each column's type

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::rows::{ReadColumn, ReadSpec};
use crate::load::scan::{Item, Scan};
use crate::sqlite::{Catalog, TableInfo};
pub(crate) use crate::translate::plan::{find_name, ColumnPlan, TablePlan};
use crate::translate::values::{text_default_in_numeric_column, ColumnFormat, Inference, PgType};

/// Is this table selected by INCLUDE_TABLES / EXCLUDE_TABLES, and not kept as it is by KEEP_TABLES?
pub(crate) fn selected(config: &Config, table: &str) -> bool {
    config.tables.selects(table) && !config.keep_tables.iter().any(|k| k.eq_ignore_ascii_case(table))
}

/// The format override from COLUMN_FORMATS for one column.
fn column_format(config: &Config, table: &str, column: &str) -> ColumnFormat {
    config
        .column_formats
        .iter()
        .find(|(t, c, _)| t.eq_ignore_ascii_case(table) && c.eq_ignore_ascii_case(column))
        .map(|(_, _, f)| *f)
        .unwrap_or_default()
}

/// Whether ROUND_TIME names this column.
fn rounds_time(config: &Config, table: &str, column: &str) -> bool {
    config.round_time.iter().any(|(t, c)| t.eq_ignore_ascii_case(table) && c.eq_ignore_ascii_case(column))
}

/// The most threads (each with its own SQLite connection) the type scan uses.
pub(crate) const MAX_SCAN_THREADS: usize = 4;

/// SCHEMA=auto: scan every row of every selected table once and pick each column's PostgreSQL type. Tables are
/// scanned in parallel, one SQLite connection per thread.
pub(crate) fn infer(source: &crate::sqlite::Source, config: &Config, catalog: &Catalog) -> Result<Vec<TablePlan>> {
    let started = std::time::Instant::now();
    let tables: Vec<&TableInfo> = catalog.tables.iter().filter(|t| selected(config, &t.name)).collect();
    let threads =
        std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, MAX_SCAN_THREADS).min(tables.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let conns = (0..threads).map(|_| source.reopen()).collect::<Result<Vec<_>>>()?;
    let (tables, next) = (&tables, &next);
    let results: Vec<Result<Vec<(usize, TablePlan)>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = conns
            .into_iter()
            .map(|conn| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(table) = tables.get(i) else { return Ok(done) };
                        done.push((i, infer_table(&conn, config, table)?));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(Error::other("a type-inference thread panicked"))))
            .collect()
    });
    let mut plans: Vec<(usize, TablePlan)> = Vec::new();
    for r in results {
        plans.extend(r?);
    }
    plans.sort_by_key(|(i, _)| *i);
    for (_, plan) in &mut plans {
        set_float4(catalog, plan);
    }
    let rows: u64 = plans.iter().map(|(_, p)| p.source_rows).sum();
    log::info!(
        "read {rows} rows of {} table(s) to choose the column types in {:.1}s",
        plans.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(plans.into_iter().map(|(_, p)| p).collect())
}

/// What the type scan reads of one column.
#[derive(Clone, Copy)]
enum Read {
    Value,
    IsNull,
}

fn infer_table(conn: &rusqlite::Connection, config: &Config, table: &TableInfo) -> Result<TablePlan> {
    let err = |e: rusqlite::Error| Error::sqlite(format!("table \"{}\"", table.name), e);
    let cols: Vec<&crate::sqlite::ColumnInfo> = table.copied_columns().collect();
    let mut inferences: Vec<Inference> = cols
        .iter()
        .map(|c| Inference::new(&c.declared).with_rounding(rounds_time(config, &table.name, &c.name)))
        .collect();
    // a row that takes such a default holds text, so the column must hold it
    let mut text_defaults = vec![false; cols.len()];
    for ((c, inference), seen) in cols.iter().zip(inferences.iter_mut()).zip(text_defaults.iter_mut()) {
        if let Some(text) = c.default.as_deref().and_then(|d| text_default_in_numeric_column(&c.declared, d)) {
            inference.observe(rusqlite::types::ValueRef::Text(text.as_bytes()));
            *seen = true;
        }
    }
    let mut nulls = vec![0u64; cols.len()];
    // What each column needs from the scan: its values, while they can still change the type; only whether it is
    // NULL, for a primary-key column whose type is settled (SQLite answers `IS NULL` from the record header,
    // without loading the value); nothing at all otherwise. `reads[at]` is result column `at`.
    let reads: Vec<(usize, Read)> = cols
        .iter()
        .zip(&inferences)
        .enumerate()
        .filter_map(|(i, (c, inf))| match (inf.is_settled(), c.pk_pos > 0) {
            (false, _) => Some((i, Read::Value)),
            (true, true) => Some((i, Read::IsNull)),
            (true, false) => None,
        })
        .collect();
    // a column whose candidates take large values by their bytes has them left out and checked piece by piece
    let select: Vec<Item> = reads
        .iter()
        .map(|&(i, r)| match r {
            Read::Value => Item::column(&cols[i].name, inferences[i].takes_large()),
            Read::IsNull => Item::sql(format!("{} IS NULL", quote_ident(&cols[i].name))),
        })
        .collect();
    let scan = Scan::new(conn, &table.name, table.rowid_name, select)?;
    let mut count = 0u64;
    scan.each(|row, marks| {
        count += 1;
        for (at, &(i, r)) in reads.iter().enumerate() {
            let is_null = match r {
                Read::IsNull => row.get::<_, bool>(at).map_err(err)?,
                Read::Value => match row.get_ref(at).map_err(err)? {
                    rusqlite::types::ValueRef::Null => {
                        match marks.map(|m| m.large(row, at)).transpose().map_err(err)? {
                            Some(Some(text)) => {
                                inferences[i].observe_large(text, || scan.text_check(row, &cols[i].name))?;
                                false
                            }
                            _ => true,
                        }
                    }
                    v => {
                        inferences[i].observe(v);
                        false
                    }
                },
            };
            nulls[i] += u64::from(is_null);
        }
        Ok(true)
    })?;
    let mut columns = Vec::with_capacity(cols.len());
    for (((col, inf), nulls), text_default) in cols.iter().zip(inferences).zip(nulls).zip(text_defaults) {
        let mut inferred = inf.finish();
        if text_default {
            // the count includes the default, which SQLite writes into every row that takes it
            inferred.note =
                inferred.note.map(|n| format!("{n} (one of them its DEFAULT, text that SQLite stores as text)"));
        }
        if let Some(note) = &inferred.note {
            log::warn!("table \"{}\", column \"{}\": {note}", table.name, col.name);
        }
        columns.push(ColumnPlan {
            source: col.name.clone(),
            target: col.name.clone(),
            ty: inferred.ty,
            format: column_format(config, &table.name, &col.name),
            nulls,
            note: inferred.note,
            round_time: rounds_time(config, &table.name, &col.name),
        });
    }
    Ok(TablePlan {
        source: table.name.clone(),
        target: table.name.clone(),
        columns,
        rowid_name: table.rowid_name,
        key_columns: table.primary_key().into_iter().map(String::from).collect(),
        source_rows: count,
        search: None,
    })
}

/// SCHEMA = a file, a folder or none: map every selected SQLite table and column onto the existing target tables,
/// each column converted into the type the target declares. `filled` are target tables the schema step itself
/// filled (Prisma's `_prisma_migrations`): never overwritten from SQLite. Returns the plans of what maps, and
/// every structural problem (for [`misfit`]).
pub(crate) fn map_to_target(
    conn: &rusqlite::Connection,
    config: &Config,
    catalog: &Catalog,
    targets: &[crate::postgres::catalog::TargetTable],
    filled: &[String],
) -> Result<(Vec<TablePlan>, Vec<String>)> {
    let mut problems = Vec::new();
    let mut plans = Vec::new();
    for table in catalog.tables.iter().filter(|t| selected(config, &t.name)) {
        if filled.iter().any(|f| f.eq_ignore_ascii_case(&table.name)) {
            log::info!(
                "table \"{}\" is left out: it records the sqlite migrations, not the postgresql ones",
                table.name
            );
            continue;
        }
        let Some(target) = find_name(targets, &table.name, |t| t.name.as_str()) else {
            problems.push(format!("sqlite table \"{}\" has no table in the target schema", table.name));
            continue;
        };
        let mut columns = Vec::new();
        let mut unmapped = Vec::new();
        for col in table.copied_columns() {
            let Some(tc) = find_name(&target.columns, &col.name, |c| c.name.as_str()) else {
                unmapped.push(col.name.clone());
                continue;
            };
            if tc.generated {
                log::info!("\"{}\".\"{}\" is generated in the target: postgresql computes it", target.name, tc.name);
                continue;
            }
            let Some(ty) = tc.ty.clone() else {
                problems.push(format!(
                    "target column \"{}\".\"{}\" has type {}, which sqlite2pg cannot write",
                    target.name, tc.name, tc.type_name
                ));
                continue;
            };
            columns.push(ColumnPlan {
                source: col.name.clone(),
                target: tc.name.clone(),
                ty,
                format: column_format(config, &table.name, &col.name),
                nulls: 0,
                note: None,
                round_time: rounds_time(config, &table.name, &col.name),
            });
        }
        let mut search = None;
        if let Some(index) = crate::load::fts_onto::index_of(catalog, table) {
            let (helpers, fill) = crate::load::fts_onto::plan(index, table, target, &columns, &mut unmapped);
            columns.extend(helpers);
            search = fill;
        }
        for col in unmapped {
            problems.push(format!(
                "sqlite column \"{}\".\"{col}\" has no column in target table \"{}\"",
                table.name, target.name
            ));
        }
        for tc in &target.columns {
            let fed = columns.iter().any(|c| c.target == tc.name);
            if !fed && tc.not_null && !tc.has_default && tc.identity.is_none() && !tc.generated {
                problems.push(format!(
                    "target column \"{}\".\"{}\" is NOT NULL without a default, and no sqlite column feeds it",
                    target.name, tc.name
                ));
            }
        }
        let count: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {}", quote_ident(&table.name)), [], |r| r.get(0))
            .map_err(|e| Error::sqlite(format!("table \"{}\"", table.name), e))?;
        plans.push(TablePlan {
            source: table.name.clone(),
            target: target.name.clone(),
            columns,
            rowid_name: table.rowid_name,
            key_columns: table.primary_key().into_iter().map(String::from).collect(),
            source_rows: u64::try_from(count).unwrap_or(0),
            search,
        });
    }
    Ok((plans, problems))
}

/// The schema error for the structural `problems` of [`map_to_target`], with the `values` (by table, column and
/// rowid) that would not load either, so that one run lists both.
pub(crate) fn misfit(problems: &[String], values: &[String]) -> Error {
    let also = if values.is_empty() {
        String::new()
    } else {
        format!("\n  and values that do not fit either:\n  {}", values.join("\n  "))
    };
    Error::schema(format!(
        "the sqlite data does not fit the target schema ({} problem(s)):\n  - {}\n  \
         leave tables out with EXCLUDE_TABLES=name,other (globs allowed), or add the missing tables and columns{also}",
        problems.len(),
        problems.join("\n  - ")
    ))
    .listing(problems.iter().chain(values).cloned())
}

/// What the reader of `plan`'s table reads: its columns, as what.
pub(crate) fn read_spec(plan: &TablePlan) -> ReadSpec {
    ReadSpec {
        table: plan.source.clone(),
        columns: plan
            .columns
            .iter()
            .map(|c| ReadColumn {
                source: c.source.clone(),
                ty: c.ty.clone(),
                format: c.format,
                rounded: c.round_time.then(|| Arc::new(AtomicU64::new(0))),
            })
            .collect(),
        rowid_name: plan.rowid_name,
        key_columns: plan.key_columns.clone(),
        report_up_to: 0,
    }
}

/// R*Tree coordinates are 32-bit floats: `real`, which holds each of them exactly (the type scan, which knows only
/// SQLite's 64-bit REAL, chose `double precision`).
fn set_float4(catalog: &Catalog, plan: &mut TablePlan) {
    let Some(v) = catalog.virtual_tables.iter().find(|v| v.name == plan.source) else { return };
    for c in plan.columns.iter_mut().filter(|c| v.float4.contains(&c.source) && c.ty == PgType::Float8) {
        c.ty = PgType::Float4;
    }
}
