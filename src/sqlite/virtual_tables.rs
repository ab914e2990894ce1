//! Virtual tables that hold data: FTS3/4/5 tables and R*Tree tables, read as tables; the rest are reported

use rusqlite::Connection;

use super::catalog::{ColumnInfo, TableInfo};
use crate::ident::quote_ident;

/// The suffixes of the shadow tables each module keeps beside its table (`<table>_<suffix>`).
fn shadow_suffixes(module: &str) -> &'static [&'static str] {
    match module {
        "fts3" | "fts4" => &["content", "segments", "segdir", "docsize", "stat"],
        "fts5" => &["data", "idx", "content", "docsize", "config"],
        "rtree" | "rtree_i32" => &["node", "parent", "rowid"],
        _ => &[],
    }
}

/// A full-text index PostgreSQL rebuilds: a generated `tsvector` column and a GIN index on `table`.
#[derive(Debug, Clone)]
pub(crate) struct FtsIndex {
    /// The SQLite FTS table.
    pub(crate) fts_table: String,
    pub(crate) module: String,
    /// The table that gets the column: the FTS table itself, or its external content table.
    pub(crate) table: String,
    /// The indexed text columns (UNINDEXED / notindexed ones left out).
    pub(crate) columns: Vec<String>,
    pub(crate) external: bool,
}

impl FtsIndex {
    /// The name of the GIN index it becomes: the FTS table's name with `_gin`.
    pub(crate) fn gin_name(&self) -> String {
        format!("{}_gin", self.fts_table)
    }
}

/// What one virtual table became, for the summary and the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VirtualTable {
    pub(crate) name: String,
    pub(crate) module: String,
    pub(crate) became: String,
    /// Columns that hold 32-bit floats: `real` in PostgreSQL.
    #[serde(skip)]
    pub(crate) float4: Vec<String>,
}

/// How a virtual table is migrated.
pub(crate) enum Virtual {
    /// Its rows are a table of their own (with a full-text index for an FTS table); the module, and the columns
    /// that hold 32-bit floats (R*Tree coordinates).
    Table(Box<TableInfo>, String, Option<FtsIndex>, Vec<String>),
    /// An external-content FTS table: a search column on its content table.
    Search(FtsIndex),
    /// Not migrated, and why.
    Skip(String),
}

/// The module name (lowercase) and the arguments of a `CREATE VIRTUAL TABLE ... USING module(args)` statement.
fn module_and_args(sql: &str) -> Option<(String, Vec<String>)> {
    let at = sql.to_ascii_uppercase().find(" USING ")?;
    let rest = sql[at + 7..].trim_start();
    let end = rest.find(|c: char| c == '(' || c.is_whitespace()).unwrap_or(rest.len());
    let module = rest[..end].trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']').to_ascii_lowercase();
    let args = match (rest.find('('), rest.rfind(')')) {
        (Some(open), Some(close)) if close > open => split_args(&rest[open + 1..close]),
        _ => Vec::new(),
    };
    (!module.is_empty()).then_some((module, args))
}

/// Split module arguments at top-level commas, respecting quotes and parentheses.
fn split_args(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut quote, mut depth) = (Vec::new(), String::new(), None::<char>, 0i32);
    for c in s.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '[' => quote = Some(']'),
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(cur.trim().to_string());
                    cur.clear();
                    continue;
                }
                _ => {}
            },
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 2 {
        let (first, last) = (b[0], b[b.len() - 1]);
        if (first == last && matches!(first, b'\'' | b'"' | b'`')) || (first == b'[' && last == b']') {
            let q = char::from(first).to_string();
            return s[1..s.len() - 1].replace(&format!("{q}{q}"), &q);
        }
    }
    s.to_string()
}

/// `key=value` module options (key lowercase, value unquoted), and the other arguments (column definitions).
fn options(args: &[String]) -> (Vec<(String, String)>, Vec<String>) {
    let (mut opts, mut cols) = (Vec::new(), Vec::new());
    for a in args {
        let first = a.split(|c: char| c == '=' || c.is_whitespace()).next().unwrap_or("");
        match a.split_once('=') {
            Some((k, v)) if !k.trim().contains(char::is_whitespace) && !k.contains(['\'', '"']) => {
                opts.push((k.trim().to_ascii_lowercase(), unquote(v)))
            }
            _ if first.eq_ignore_ascii_case("tokenize") => {
                opts.push(("tokenize".into(), a[first.len()..].trim().into()))
            }
            _ => cols.push(a.clone()),
        }
    }
    (opts, cols)
}

/// Is `name` a shadow table of one of the virtual tables `virtuals` (their CREATE VIRTUAL TABLE statements by
/// name)? SQLite marks them itself when it has the module; this also knows them when it has not.
pub(crate) fn is_shadow(name: &str, virtuals: &[(String, String)]) -> bool {
    let lower = name.to_lowercase();
    virtuals.iter().any(|(v, sql)| {
        let module = module_and_args(sql).map(|(m, _)| m).unwrap_or_default();
        lower
            .strip_prefix(&v.to_lowercase())
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|suffix| shadow_suffixes(&module).contains(&suffix))
    })
}

/// How to migrate the virtual table `name` declared by `sql`.
pub(crate) fn read(conn: &Connection, name: &str, sql: &str) -> Virtual {
    let Some((module, args)) = module_and_args(sql) else {
        return Virtual::Skip(format!("its module is unknown: {}", rows_left(conn, name)));
    };
    let visible = match visible_columns(conn, name) {
        Ok(c) => c,
        Err(e) => {
            return Virtual::Skip(format!("module {module} cannot read it here ({e}), so its rows are not migrated"))
        }
    };
    match module.as_str() {
        "fts3" | "fts4" | "fts5" => fts(conn, name, &module, &args, visible),
        "rtree" | "rtree_i32" => {
            let (table, float4) = rtree(name, &module, &args, visible);
            Virtual::Table(Box::new(table), module.clone(), None, float4)
        }
        _ => Virtual::Skip(format!(
            "virtual table (module {module}) has no postgresql equivalent: {}",
            rows_left(conn, name)
        )),
    }
}

fn rows_left(conn: &Connection, name: &str) -> String {
    conn.query_row(&format!("SELECT count(*) FROM {}", quote_ident(name)), [], |r| r.get::<_, i64>(0))
        .map(|n| format!("its {n} row(s) are not migrated"))
        .unwrap_or_else(|_| "it cannot be read here, so its rows are not migrated".into())
}

/// The table's columns that are not hidden: (name, declared type).
fn visible_columns(conn: &Connection, name: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT name, type FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid")?;
    let cols = stmt.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?.collect();
    cols
}

fn column(name: &str, declared: &str, pk_pos: u32) -> ColumnInfo {
    ColumnInfo {
        name: name.to_string(),
        declared: declared.to_string(),
        not_null: pk_pos > 0,
        default: None,
        pk_pos,
        generated: None,
        collate: None,
        checks: Vec::new(),
    }
}

/// A table of `columns`; `visible` are the virtual table's own columns, which may hide a name of the rowid.
fn table(name: &str, columns: Vec<ColumnInfo>, visible: &[(String, String)]) -> TableInfo {
    let rowid_name =
        ["rowid", "_rowid_", "oid"].into_iter().find(|n| !visible.iter().any(|(c, _)| c.eq_ignore_ascii_case(n)));
    TableInfo {
        name: name.to_string(),
        columns,
        autoincrement: false,
        rowid_alias: None,
        rowid_name,
        checks: Vec::new(),
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
    }
}

fn fts(conn: &Connection, name: &str, module: &str, args: &[String], visible: Vec<(String, String)>) -> Virtual {
    let (opts, defs) = options(args);
    let opt = |k: &str| opts.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let unindexed = |col: &str| {
        defs.iter().any(|d| {
            let mut words = d.split_whitespace();
            words.next().is_some_and(|w| unquote(w).eq_ignore_ascii_case(col))
                && words.any(|w| w.eq_ignore_ascii_case("unindexed"))
        }) || opts.iter().any(|(k, v)| k == "notindexed" && v.eq_ignore_ascii_case(col))
    };
    let indexed: Vec<String> = visible.iter().map(|(c, _)| c.clone()).filter(|c| !unindexed(c)).collect();
    match opt("content") {
        Some(content) if content.is_empty() => Virtual::Skip(format!(
            "contentless {module} table (content=''): its text is not stored anywhere, so there is nothing to migrate; \
             {}",
            rows_left(conn, name)
        )),
        Some(content) => Virtual::Search(FtsIndex {
            fts_table: name.to_string(),
            module: module.to_string(),
            table: content,
            columns: indexed,
            external: true,
        }),
        None => {
            let preferred = if module == "fts5" { "rowid" } else { "docid" };
            let taken = |n: &&str| visible.iter().any(|(c, _)| c.eq_ignore_ascii_case(n));
            let Some(key) = [preferred, "rowid", "_rowid_", "oid"].into_iter().find(|n| !taken(n)) else {
                return Virtual::Skip("its columns hide every name of its rowid, so its rows cannot be keyed".into());
            };
            let mut columns = vec![column(key, "INTEGER", 1)];
            // untyped, as SQLite holds them: the values choose the type
            columns.extend(visible.iter().map(|(c, _)| column(c, "", 0)));
            let index = FtsIndex {
                fts_table: name.to_string(),
                module: module.to_string(),
                table: name.to_string(),
                columns: indexed,
                external: false,
            };
            Virtual::Table(Box::new(table(name, columns, &visible)), module.to_string(), Some(index), Vec::new())
        }
    }
}

/// An R*Tree table as a plain table, and its 32-bit float columns: `rtree` keeps its coordinates as 32-bit floats,
/// `rtree_i32` as 32-bit integers.
fn rtree(name: &str, module: &str, args: &[String], visible: Vec<(String, String)>) -> (TableInfo, Vec<String>) {
    let auxiliary = |c: &str| {
        args.iter().any(|a| {
            a.strip_prefix('+')
                .and_then(|d| d.split_whitespace().next())
                .is_some_and(|n| unquote(n).eq_ignore_ascii_case(c))
        })
    };
    let mut float4 = Vec::new();
    let mut columns = Vec::new();
    for (i, (c, declared)) in visible.iter().enumerate() {
        columns.push(match i {
            0 => column(c, "INTEGER", 1),
            // auxiliary (+name) columns keep their declared type; the rest are the coordinates
            _ if auxiliary(c) => column(c, declared, 0),
            _ if module == "rtree_i32" => column(c, "INTEGER", 0),
            _ => {
                float4.push(c.clone());
                column(c, "REAL", 0)
            }
        });
    }
    (table(name, columns, &visible), float4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_module_options_and_columns() {
        let (m, args) = module_and_args(
            "CREATE VIRTUAL TABLE x USING fts5(title, body UNINDEXED, content='art', content_rowid=\"id\")",
        )
        .unwrap();
        assert_eq!(m, "fts5");
        let (opts, cols) = options(&args);
        assert_eq!(
            opts,
            vec![("content".to_string(), "art".to_string()), ("content_rowid".to_string(), "id".to_string())]
        );
        assert_eq!(cols, vec!["title".to_string(), "body UNINDEXED".to_string()]);
        let (m, args) = module_and_args(
            "create virtual table y using FTS4(a, b, tokenize=unicode61 \"remove_diacritics=2\", content=\"\")",
        )
        .unwrap();
        assert_eq!(m, "fts4");
        let (opts, _) = options(&args);
        assert!(opts.contains(&("content".to_string(), String::new())));
    }

    #[test]
    fn recognizes_shadow_tables() {
        let v = vec![
            ("docs".to_string(), "CREATE VIRTUAL TABLE docs USING fts5(a)".to_string()),
            ("old".to_string(), "CREATE VIRTUAL TABLE old USING fts4(a)".to_string()),
            ("Geo".to_string(), "CREATE VIRTUAL TABLE Geo USING rtree(id, a, b)".to_string()),
        ];
        assert!(is_shadow("docs_data", &v) && is_shadow("old_segdir", &v) && is_shadow("geo_node", &v));
        assert!(!is_shadow("docs_extra", &v) && !is_shadow("docs", &v) && !is_shadow("other_data", &v));
        // a user table that only looks like another module's shadow table
        assert!(!is_shadow("docs_stat", &v) && !is_shadow("old_data", &v) && !is_shadow("geo_data", &v));
    }
}
