//! Full-text search in PostgreSQL: each migrated FTS table gets a generated tsvector column and a GIN index

use super::{Step, Translation};
use crate::ident::quote_ident;
use crate::sqlite::virtual_tables::{FtsIndex, VirtualTable};
use crate::sqlite::{Catalog, Skipped};
use crate::translate::plan::{find_name, TablePlan};

/// The name of the tsvector column for `index`: `tsv` on the FTS table's own table, the FTS table's name on its
/// external content table; `_tsv` is added while that name is a column already.
fn column_name(index: &FtsIndex, plan: &TablePlan, generated: &[String]) -> String {
    let mut name = if index.external { index.fts_table.clone() } else { "tsv".to_string() };
    while plan.columns.iter().any(|c| c.target.eq_ignore_ascii_case(&name))
        || generated.iter().any(|g| g.eq_ignore_ascii_case(&name))
    {
        name.push_str("_tsv");
    }
    name
}

/// How the target's search columns are filled: the FTS text columns without a target column are copied into helper
/// columns, which compute the `tsvector` columns and are then dropped.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchFill {
    pub(crate) helpers: Vec<String>,
    /// The target's `tsvector` columns that no SQLite column of their name feeds.
    pub(crate) vectors: Vec<String>,
}

/// `to_tsvector('<config>'::regconfig, coalesce(a::text, '') || ' ' || ...)` over `columns`.
pub(crate) fn tsvector_expr(config: &str, columns: &[String]) -> String {
    let text = if columns.is_empty() {
        "''".to_string()
    } else {
        columns
            .iter()
            .map(|c| format!("coalesce({}::text, '')", quote_ident(c)))
            .collect::<Vec<_>>()
            .join(" || ' ' || ")
    };
    format!("to_tsvector('{}'::regconfig, {text})", config.replace('\'', "''"))
}

/// Add the column (right after its table is created) and the index (after the data) of every FTS table whose
/// table is migrated; the others are reported.
pub(crate) fn steps(
    schema: &str,
    fts_config: impl Fn(&str) -> String,
    selected: impl Fn(&str) -> bool,
    catalog: &Catalog,
    plans: &[TablePlan],
    out: &mut Translation,
) {
    for index in &catalog.fts {
        let skip = |out: &mut Translation, reason: String| {
            out.skipped.push(Skipped { kind: "full-text index", name: index.fts_table.clone(), reason })
        };
        if !selected(&index.fts_table) {
            skip(out, "left out by INCLUDE_TABLES / EXCLUDE_TABLES".into());
            continue;
        }
        let Some(plan) = find_name(plans, &index.table, |p| p.source.as_str()) else {
            skip(out, format!("table \"{}\" is not migrated, so its search column is not made", index.table));
            continue;
        };
        let mut columns = Vec::new();
        for c in &index.columns {
            match plan.columns.iter().find(|p| p.source.eq_ignore_ascii_case(c)) {
                Some(p) => columns.push(p.target.clone()),
                None => {
                    skip(
                        out,
                        format!(
                            "its column \"{c}\" is not a column of table \"{}\", so its search column is not made",
                            index.table
                        ),
                    );
                    break;
                }
            }
        }
        if columns.len() != index.columns.len() {
            continue;
        }
        let qtable = format!("{}.{}", quote_ident(schema), quote_ident(&plan.target));
        // the content table's generated columns are not among the plan's copied columns, but hold names too
        let generated: Vec<String> = catalog
            .tables
            .iter()
            .filter(|t| t.name == plan.source)
            .flat_map(|t| t.columns.iter().filter(|c| c.generated.is_some()).map(|c| c.name.clone()))
            .collect();
        let column = column_name(index, plan, &generated);
        out.tables.push(Step {
            table: plan.target.clone(),
            what: format!(
                "search column \"{}\".\"{column}\" of {} table \"{}\"",
                plan.target, index.module, index.fts_table
            ),
            sql: format!(
                "ALTER TABLE {qtable} ADD COLUMN {} tsvector GENERATED ALWAYS AS ({}) STORED",
                quote_ident(&column),
                tsvector_expr(&fts_config(&index.fts_table), &columns)
            ),
        });
        let name = index.gin_name();
        out.keys.push(Step {
            table: plan.target.clone(),
            what: format!("index \"{name}\""),
            sql: format!("CREATE INDEX {} ON {qtable} USING gin ({})", quote_ident(&name), quote_ident(&column)),
        });
    }
}

/// With the application's own schema (SCHEMA other than auto), its tables are used as they are: no search
/// column or index is made, and each FTS table says so.
pub(crate) fn not_made(catalog: &Catalog) -> Vec<Skipped> {
    catalog
        .fts
        .iter()
        .map(|i| Skipped {
            kind: "full-text index",
            name: i.fts_table.clone(),
            reason: if i.external {
                format!("SCHEMA is not auto: no tsvector column or GIN index is added to its content table \"{}\"", i.table)
            } else {
                format!("SCHEMA is not auto: its rows go into the target table \"{}\", whose tsvector columns without a sqlite column of their name are filled by to_tsvector; no column or index is added", i.table)
            },
        })
        .collect()
}

/// What a virtual table became with the application's own schema: an FTS table's rows go into the target's table
/// of its name, and an external-content one made nothing (the [`not_made`] line says so); others as with auto.
pub(crate) fn as_loaded(catalog: &Catalog, table: &VirtualTable) -> Option<VirtualTable> {
    match catalog.fts.iter().find(|i| i.fts_table == table.name) {
        Some(index) if index.external => None,
        Some(_) => Some(VirtualTable { became: format!("table \"{}\" with its rows", table.name), ..table.clone() }),
        None => Some(table.clone()),
    }
}
