//! What the SQLite file holds: tables, columns, keys, indexes, views and triggers, read from its catalog

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// An object that is not migrated, and why. Listed in the log and the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub(crate) kind: &'static str,
    pub(crate) name: String,
    pub(crate) reason: String,
}

#[derive(Debug, Clone)]
pub(crate) struct ColumnInfo {
    pub(crate) name: String,
    pub(crate) declared: String,
    pub(crate) not_null: bool,
    /// SQLite's DEFAULT expression text, as PRAGMA table_xinfo reports it.
    pub(crate) default: Option<String>,
    /// 1-based position in the primary key, 0 when not part of it.
    pub(crate) pk_pos: u32,
    /// `Some(stored)` for a generated column: its value is never copied.
    pub(crate) generated: Option<super::ddl::Generated>,
    pub(crate) collate: Option<String>,
    pub(crate) checks: Vec<super::ddl::CheckDdl>,
}

#[derive(Debug, Clone)]
pub(crate) struct ForeignKey {
    pub(crate) parent: String,
    pub(crate) from: Vec<String>,
    /// Parent columns; empty means "the parent's primary key".
    pub(crate) to: Vec<String>,
    pub(crate) on_update: String,
    pub(crate) on_delete: String,
}

#[derive(Debug, Clone)]
pub(crate) struct TableInfo {
    pub(crate) name: String,
    pub(crate) columns: Vec<ColumnInfo>,
    pub(crate) autoincrement: bool,
    /// Index into `columns` of the INTEGER PRIMARY KEY that aliases the rowid.
    pub(crate) rowid_alias: Option<usize>,
    /// The name under which the rowid can be selected (`rowid`, `_rowid_` or `oid`), if any.
    pub(crate) rowid_name: Option<&'static str>,
    pub(crate) checks: Vec<super::ddl::CheckDdl>,
    /// UNIQUE constraints (column lists), in declaration order.
    pub(crate) uniques: Vec<Vec<String>>,
    /// CREATE INDEX statements.
    pub(crate) indexes: Vec<super::ddl::IndexDdl>,
    pub(crate) foreign_keys: Vec<ForeignKey>,
}

impl TableInfo {
    pub(crate) fn primary_key(&self) -> Vec<&str> {
        let mut pk: Vec<&ColumnInfo> = self.columns.iter().filter(|c| c.pk_pos > 0).collect();
        pk.sort_by_key(|c| c.pk_pos);
        pk.into_iter().map(|c| c.name.as_str()).collect()
    }

    /// Columns whose values are copied (generated columns are computed by PostgreSQL).
    pub(crate) fn copied_columns(&self) -> impl Iterator<Item = &ColumnInfo> {
        self.columns.iter().filter(|c| c.generated.is_none())
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ViewInfo {
    pub(crate) name: String,
    pub(crate) sql: String,
    /// The names SQLite gives the view's columns (`unixepoch(time)` for an unaliased expression); empty when
    /// SQLite cannot resolve the view
    pub(crate) columns: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) tables: Vec<TableInfo>,
    pub(crate) views: Vec<ViewInfo>,
    pub(crate) skipped: Vec<Skipped>,
    /// AUTOINCREMENT high-water marks from sqlite_sequence.
    pub(crate) sequences: HashMap<String, i64>,
    /// Full-text indexes to rebuild (SCHEMA=auto).
    pub(crate) fts: Vec<super::virtual_tables::FtsIndex>,
    /// What each migrated virtual table became.
    pub(crate) virtual_tables: Vec<super::virtual_tables::VirtualTable>,
}

impl Catalog {
    pub(crate) fn read(conn: &Connection) -> Result<Catalog> {
        let err = |e: rusqlite::Error| Error::sqlite("catalog", e);
        let mut cat = Catalog::default();
        let mut stmt = conn
            .prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' ORDER BY name")
            .map_err(err)?;
        let listed: Vec<(String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|r| r.collect()).map_err(err)?;
        let mut objects: HashMap<String, (String, String)> = HashMap::new();
        let mut stmt = conn
            .prepare("SELECT name, type, coalesce(sql, ''), tbl_name FROM sqlite_master ORDER BY rowid")
            .map_err(err)?;
        let master: Vec<(String, String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .and_then(|r| r.collect())
            .map_err(err)?;
        for (name, kind, sql, tbl) in &master {
            objects.insert(name.clone(), (kind.clone(), sql.clone()));
            if kind == "trigger" {
                cat.skipped.push(Skipped {
                    kind: "trigger",
                    name: name.clone(),
                    reason: format!("triggers are not translated (on table \"{tbl}\"); they hold no data"),
                });
            }
            if kind == "view" {
                let columns = conn
                    .prepare("SELECT name FROM pragma_table_info(?1)")
                    .and_then(|mut st| st.query_map([name], |r| r.get(0)).and_then(|r| r.collect()))
                    .unwrap_or_default();
                cat.views.push(ViewInfo { name: name.clone(), sql: sql.clone(), columns });
            }
        }
        let mut indexes_by_table: HashMap<String, Vec<String>> = HashMap::new();
        for (name, kind, sql, tbl) in &master {
            if kind == "index" && !sql.is_empty() {
                indexes_by_table.entry(tbl.to_lowercase()).or_default().push(name.clone());
            }
        }
        let virtual_tables: Vec<(String, String)> = master
            .iter()
            .filter(|(_, kind, sql, _)| kind == "table" && sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL"))
            .map(|(name, _, sql, _)| (name.clone(), sql.clone()))
            .collect();
        let mut virtuals = Vec::new();
        for (name, kind) in listed {
            // pragma_table_list names virtual tables whose module is missing as plain tables on some versions
            let kind = if virtual_tables.iter().any(|(v, _)| *v == name) { "virtual".to_string() } else { kind };
            match kind.as_str() {
                "table" if is_internal(&name) || super::virtual_tables::is_shadow(&name, &virtual_tables) => {}
                "table" => {
                    let sql = objects.get(&name).map(|o| o.1.clone()).unwrap_or_default();
                    let index_sql: Vec<String> = indexes_by_table
                        .get(&name.to_lowercase())
                        .into_iter()
                        .flatten()
                        .filter_map(|i| objects.get(i).map(|o| o.1.clone()))
                        .collect();
                    cat.tables.push(read_table(conn, &name, &sql, &index_sql)?);
                }
                "virtual" => {
                    let sql = objects.get(&name).map(|o| o.1.as_str()).unwrap_or("");
                    virtuals.push((name.clone(), super::virtual_tables::read(conn, &name, sql)));
                }
                "shadow" => {}
                _ => {}
            }
        }
        for (name, v) in virtuals {
            cat.add_virtual(&name, v);
        }
        if objects.contains_key("sqlite_sequence") {
            let mut stmt = conn.prepare("SELECT name, seq FROM sqlite_sequence").map_err(err)?;
            let seqs: Vec<(String, i64)> =
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|r| r.collect()).map_err(err)?;
            cat.sequences = seqs.into_iter().map(|(n, s)| (n.to_lowercase(), s)).collect();
        }
        Ok(cat)
    }
}

impl Catalog {
    /// Record how the virtual table `name` is migrated: a table, a search column on its content table, or skipped.
    fn add_virtual(&mut self, name: &str, v: super::virtual_tables::Virtual) {
        use super::virtual_tables::{Virtual, VirtualTable};
        match v {
            Virtual::Table(table, module, fts, float4) => {
                let became = match &fts {
                    Some(f) => format!(
                        "table \"{name}\" with its rows, searchable through a generated tsvector column and GIN index \"{}\" (SCHEMA=auto)",
                        f.gin_name()
                    ),
                    None => format!("table \"{name}\" with its rows"),
                };
                self.virtual_tables.push(VirtualTable { name: name.to_string(), module, became, float4 });
                self.tables.push(*table);
                self.fts.extend(fts);
            }
            Virtual::Search(f) => {
                if !self.tables.iter().any(|t| t.name.eq_ignore_ascii_case(&f.table)) {
                    self.skipped.push(Skipped {
                        kind: "virtual table",
                        name: name.to_string(),
                        reason: format!("{} table whose content table \"{}\" is not a table of this file: its search index is not rebuilt", f.module, f.table),
                    });
                    return;
                }
                self.virtual_tables.push(VirtualTable {
                    name: name.to_string(),
                    module: f.module.clone(),
                    float4: Vec::new(),
                    became: format!(
                        "a generated tsvector column and GIN index \"{}\" on its content table \"{}\" (SCHEMA=auto), whose rows are its rows",
                        f.gin_name(),
                        f.table
                    ),
                });
                self.fts.push(f);
            }
            Virtual::Skip(reason) => {
                self.skipped.push(Skipped { kind: "virtual table", name: name.to_string(), reason })
            }
        }
    }
}

/// SQLite's own tables, never user data.
fn is_internal(name: &str) -> bool {
    name.to_ascii_lowercase().starts_with("sqlite_")
}

fn read_table(conn: &Connection, name: &str, sql: &str, index_sql: &[String]) -> Result<TableInfo> {
    let err = |e: rusqlite::Error| Error::sqlite(format!("table \"{name}\""), e);
    let parsed = super::ddl::parse_create_table(sql)
        .map_err(|e| Error::schema(format!("cannot parse the definition of table \"{name}\": {e}")))?;
    let mut stmt = conn
        .prepare("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid")
        .map_err(err)?;
    let rows: Vec<(String, String, bool, Option<String>, u32, i64)> = stmt
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .and_then(|r| r.collect())
        .map_err(err)?;
    let mut columns = Vec::with_capacity(rows.len());
    for (cname, declared, not_null, default, pk_pos, hidden) in rows {
        let parsed_col = parsed.columns.iter().find(|c| c.name.eq_ignore_ascii_case(&cname));
        let generated = parsed_col.and_then(|c| c.generated.clone()).filter(|_| hidden == 2 || hidden == 3);
        columns.push(ColumnInfo {
            name: cname,
            declared,
            not_null,
            default,
            pk_pos,
            generated,
            collate: parsed_col.and_then(|c| c.collate.clone()),
            checks: parsed_col.map(|c| c.checks.clone()).unwrap_or_default(),
        });
    }
    let pk: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].pk_pos > 0).collect();
    let rowid_alias = match pk.as_slice() {
        [i] if !parsed.without_rowid && columns[*i].declared.eq_ignore_ascii_case("integer") => Some(*i),
        _ => None,
    };
    let rowid_name = if parsed.without_rowid {
        None
    } else {
        ["rowid", "_rowid_", "oid"].into_iter().find(|n| !columns.iter().any(|c| c.name.eq_ignore_ascii_case(n)))
    };
    let (uniques, indexes) = read_indexes(conn, name, index_sql)?;
    Ok(TableInfo {
        name: name.to_string(),
        autoincrement: parsed.columns.iter().any(|c| c.autoincrement),
        rowid_alias,
        rowid_name,
        checks: parsed.checks,
        columns,
        uniques,
        indexes,
        foreign_keys: read_foreign_keys(conn, name)?,
    })
}

type Indexes = (Vec<Vec<String>>, Vec<super::ddl::IndexDdl>);

fn read_indexes(conn: &Connection, table: &str, index_sql: &[String]) -> Result<Indexes> {
    let err = |e: rusqlite::Error| Error::sqlite(format!("indexes of \"{table}\""), e);
    let mut stmt = conn.prepare("SELECT name, origin FROM pragma_index_list(?1) ORDER BY seq DESC").map_err(err)?;
    let list: Vec<(String, String)> =
        stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|r| r.collect()).map_err(err)?;
    let mut uniques = Vec::new();
    for (index, origin) in list {
        if origin == "u" {
            let mut cols = conn.prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno").map_err(err)?;
            let names: Vec<Option<String>> =
                cols.query_map([&index], |r| r.get(0)).and_then(|r| r.collect()).map_err(err)?;
            uniques.push(names.into_iter().flatten().collect());
        }
    }
    let mut indexes = Vec::new();
    for sql in index_sql {
        indexes.push(
            super::ddl::parse_create_index(sql)
                .map_err(|e| Error::schema(format!("cannot parse an index of table \"{table}\": {e}")))?,
        );
    }
    Ok((uniques, indexes))
}

fn read_foreign_keys(conn: &Connection, table: &str) -> Result<Vec<ForeignKey>> {
    let err = |e: rusqlite::Error| Error::sqlite(format!("foreign keys of \"{table}\""), e);
    let mut stmt = conn
        .prepare("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq")
        .map_err(err)?;
    type Row = (i64, String, String, Option<String>, String, String);
    let rows: Vec<Row> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .and_then(|r| r.collect())
        .map_err(err)?;
    let mut fks: Vec<(i64, ForeignKey)> = Vec::new();
    for (id, parent, from, to, on_update, on_delete) in rows {
        match fks.last_mut() {
            Some((last, fk)) if *last == id => {
                fk.from.push(from);
                fk.to.extend(to);
            }
            _ => fks.push((
                id,
                ForeignKey { parent, from: vec![from], to: to.into_iter().collect(), on_update, on_delete },
            )),
        }
    }
    Ok(fks.into_iter().map(|(_, fk)| fk).collect())
}
