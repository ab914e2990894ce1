//! Names the new tables and their indexes need in the target schema that other objects there hold already

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::sqlite::Catalog;
use crate::translate::plan::TablePlan;

/// Refuse, before anything is created or loaded, a target schema where an object other than the tables
/// ON_EXISTING=replace drops (and what belongs to them) holds the name of a table or an index to create: a view or
/// a type named like a table, an index of another table named like one of SQLite's or like the name PostgreSQL
/// will give a key's index or an identity's sequence. Without this the name clash surfaced only when the loaded
/// tables were published.
pub(crate) async fn refuse(
    client: &impl GenericClient,
    schema: &str,
    catalog: &Catalog,
    plans: &[TablePlan],
    replace: &[String],
) -> Result<()> {
    let tables: Vec<String> = plans.iter().map(|p| p.target.clone()).collect();
    let mut indexes = Vec::new();
    for table in catalog.tables.iter().filter(|t| plans.iter().any(|p| p.source == t.name)) {
        indexes.extend(table.indexes.iter().map(|i| i.name.clone()));
        indexes.extend(implicit_names(table));
    }
    let held: Vec<String> = client
        .query(
            &HELD.replace("{REPLACED_TABLES}", crate::postgres::existing::replace::REPLACED_TABLES),
            &[&schema, &replace, &tables, &indexes],
        )
        .await
        .map_err(Error::pg("look for names in use in the target schema"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::schema(format!(
        "schema \"{schema}\" already holds {}, whose name(s) the migrated tables or their indexes need: rename or drop \
         it, or set TARGET_SCHEMA to another schema; nothing was changed",
        held.join(", ")
    )))
}

/// The names PostgreSQL makes up for the table's keys (a primary key holding NULL becomes a unique key) and for
/// its identity's sequence.
fn implicit_names(table: &crate::sqlite::TableInfo) -> Vec<String> {
    use crate::translate::schema::names::{columns_part, default_name};
    let mut names = Vec::new();
    let pk = table.primary_key();
    if !pk.is_empty() {
        names.push(default_name(&table.name, None, "pkey"));
        names.push(default_name(&table.name, Some(&columns_part(&pk)), "key"));
    }
    for unique in &table.uniques {
        let columns: Vec<&str> = unique.iter().map(String::as_str).collect();
        names.push(default_name(&table.name, Some(&columns_part(&columns)), "key"));
    }
    if let Some(column) = table.rowid_alias.and_then(|i| table.columns.get(i)) {
        names.push(default_name(&table.name, Some(&column.name), "seq"));
    }
    names
}

/// The objects of schema `$1` named like a table (`$3`) or index (`$4`) to create, besides the tables `$2` that
/// are dropped first and their own indexes and sequences. A relation's row type goes by the relation.
const HELD: &str = "
WITH gone AS ({REPLACED_TABLES}
)
SELECT format('%s \"%s\"', kind, name) FROM (
    SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
               WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'type'
               ELSE 'table' END AS kind,
           c.relname::text AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND (c.relname = ANY($3) OR c.relname = ANY($4))
      AND c.oid NOT IN (SELECT oid FROM gone)
      AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = c.oid AND i.indrelid IN (SELECT oid FROM gone))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.refobjid IN (SELECT oid FROM gone) AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT 'type', t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = $1 AND t.typname = ANY($3) AND t.typrelid = 0
) held ORDER BY 1";
