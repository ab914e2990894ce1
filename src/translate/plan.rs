//! The plan: which SQLite table goes into which PostgreSQL table, column by column, with each column's type

use crate::translate::values::{ColumnFormat, PgType};

/// One column: where it comes from, where it goes, as what.
#[derive(Debug, Clone)]
pub(crate) struct ColumnPlan {
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) ty: PgType,
    pub(crate) format: ColumnFormat,
    /// How many rows hold NULL here: counted by the inference scan, for the primary-key columns and for those whose
    /// values it reads (0 for the others, and in the other modes).
    pub(crate) nulls: u64,
    /// Why the type differs from what the declaration suggests.
    pub(crate) note: Option<String>,
    /// ROUND_TIME names it: a time finer than the column is rounded to it, and counted.
    pub(crate) round_time: bool,
}

/// One table and its rows.
#[derive(Debug, Clone)]
pub(crate) struct TablePlan {
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) columns: Vec<ColumnPlan>,
    pub(crate) rowid_name: Option<&'static str>,
    pub(crate) key_columns: Vec<String>,
    /// Rows in the SQLite table.
    pub(crate) source_rows: u64,
    /// An FTS table mapped onto an existing table: how its text fills that table's tsvector columns.
    pub(crate) search: Option<crate::translate::schema::fts::SearchFill>,
}

impl TablePlan {
    pub(crate) fn column(&self, source: &str) -> Option<&ColumnPlan> {
        self.columns.iter().find(|c| c.source == source)
    }
}

/// The per-column notes of all plans, for the report.
pub(crate) fn notes(plans: &[TablePlan]) -> Vec<String> {
    plans
        .iter()
        .flat_map(|p| {
            p.columns
                .iter()
                .filter_map(move |c| c.note.as_ref().map(|n| format!("\"{}\".\"{}\": {n}", p.source, c.source)))
        })
        .collect()
}

/// Find `name` among `candidates`: the exact name first, then a unique case-insensitive match.
pub(crate) fn find_name<'a, T>(candidates: &'a [T], name: &str, get: impl Fn(&T) -> &str) -> Option<&'a T> {
    if let Some(exact) = candidates.iter().find(|c| get(c) == name) {
        return Some(exact);
    }
    let mut folded = candidates.iter().filter(|c| get(c).to_lowercase() == name.to_lowercase());
    match (folded.next(), folded.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}
