//! An FTS table mapped onto an existing target table: its text fills the target's `tsvector` columns by to_tsvector

use crate::ident::quote_ident;
use crate::load::plan::ColumnPlan;
use crate::postgres::catalog::TargetTable;
use crate::sqlite::virtual_tables::FtsIndex;
use crate::sqlite::{Catalog, TableInfo};
use crate::translate::values::{ColumnFormat, PgType};

/// The prefix of the text columns added to the target table for the load, and dropped after it.
const HELPER: &str = "sqlite2pg_fts_text_";

use crate::translate::schema::fts::SearchFill;

/// The own-content FTS index of `table`, if it is an FTS table.
pub(crate) fn index_of<'a>(catalog: &'a Catalog, table: &TableInfo) -> Option<&'a FtsIndex> {
    catalog.fts.iter().find(|i| !i.external && i.fts_table == table.name)
}

/// Plan the search columns of FTS table `table` mapped onto `target`. `unmapped` are its columns without a target
/// column: the indexed ones go into helper columns (and leave `unmapped`) when the target has `tsvector` columns
/// to fill; the rowid key column leaves it too, listed as not kept. What cannot be filled is logged.
pub(crate) fn plan(
    index: &FtsIndex,
    table: &TableInfo,
    target: &TargetTable,
    fed: &[ColumnPlan],
    unmapped: &mut Vec<String>,
) -> (Vec<ColumnPlan>, Option<SearchFill>) {
    let key = table.columns.iter().find(|c| c.pk_pos > 0).map(|c| c.name.clone());
    if let Some(key) = key.filter(|k| unmapped.contains(k)) {
        log::warn!(
            "fts table \"{}\": target table \"{}\" has no column \"{key}\", so its rowids are not kept",
            table.name,
            target.name
        );
        unmapped.retain(|c| *c != key);
    }
    let vectors: Vec<String> = target
        .columns
        .iter()
        .filter(|c| c.type_name == "tsvector" && !c.generated && !fed.iter().any(|f| f.target == c.name))
        .map(|c| c.name.clone())
        .collect();
    let texts: Vec<String> = unmapped.iter().filter(|c| index.columns.contains(c)).cloned().collect();
    if vectors.is_empty() || texts.is_empty() {
        for v in &vectors {
            log::warn!("target column \"{}\".\"{v}\" (tsvector) is not filled: fts table \"{}\" has no text column without a target column", target.name, table.name);
        }
        return (Vec::new(), None);
    }
    unmapped.retain(|c| !texts.contains(c));
    let mut fill = SearchFill { vectors, ..SearchFill::default() };
    let mut columns = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let helper = format!("{HELPER}{i}");
        columns.push(ColumnPlan {
            source: text.clone(),
            target: helper.clone(),
            ty: PgType::Text,
            format: ColumnFormat::default(),
            nulls: 0,
            note: None,
            round_time: false,
        });
        fill.helpers.push(helper);
    }
    log::info!(
        "fts table \"{}\": target column(s) {} computed with to_tsvector from column(s) {}",
        table.name,
        fill.vectors.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", "),
        texts.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
    );
    (columns, Some(fill))
}

/// Before the data: add the helper columns to the target table.
pub(crate) fn before(schema: &str, table: &str, fill: &SearchFill) -> String {
    let adds: Vec<String> = fill.helpers.iter().map(|h| format!("ADD COLUMN {} text", quote_ident(h))).collect();
    format!("ALTER TABLE {}.{} {}", quote_ident(schema), quote_ident(table), adds.join(", "))
}

/// After the data: compute the `tsvector` columns from the helper columns, then drop them.
pub(crate) fn after(schema: &str, table: &str, config: &str, fill: &SearchFill) -> String {
    let qtable = format!("{}.{}", quote_ident(schema), quote_ident(table));
    let expr = crate::translate::schema::fts::tsvector_expr(config, &fill.helpers);
    let sets: Vec<String> = fill.vectors.iter().map(|v| format!("{} = {expr}", quote_ident(v))).collect();
    let drops: Vec<String> = fill.helpers.iter().map(|h| format!("DROP COLUMN {}", quote_ident(h))).collect();
    format!("UPDATE {qtable} SET {}; ALTER TABLE {qtable} {}", sets.join(", "), drops.join(", "))
}
