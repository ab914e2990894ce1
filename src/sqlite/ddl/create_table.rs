//! Parse a SQLite CREATE TABLE statement (as stored in sqlite_master) into its parts

use super::column::{conflict_clause, foreign_key_clause, parse_column};
use super::cursor::Cursor;
use super::lexer::Kind;
use super::DdlError;

/// A parsed CREATE TABLE. Foreign keys and UNIQUE constraints are parsed but not kept:
/// PRAGMA foreign_key_list / index_list report them exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDdl {
    /// Unquoted, exact case, without schema
    pub(crate) name: String,
    /// The columns, in declaration order
    pub columns: Vec<ColumnDdl>,
    /// Table-level CHECK constraints
    pub checks: Vec<CheckDdl>,
    /// Primary key columns in key order (column-level or table-level), as named in the key
    pub(crate) primary_key: Vec<String>,
    pub(crate) without_rowid: bool,
    pub(crate) strict: bool,
}

/// One column definition of a CREATE TABLE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDdl {
    /// Unquoted, exact case
    pub name: String,
    /// What PRAGMA table_info reports as `type`: the type tokens as written (comments
    /// included), dequoted; SQLite's standard names (INT, INTEGER, REAL, TEXT, BLOB, ANY)
    /// upper-cased; "" if none
    pub declared_type: String,
    /// NOT NULL declared, or implied by being a key column of a WITHOUT ROWID table
    pub(crate) not_null: bool,
    /// Raw SQLite text after DEFAULT, outer parentheses kept as written
    pub default: Option<String>,
    /// Column-level CHECK constraints
    pub checks: Vec<CheckDdl>,
    /// Set for a generated column
    pub generated: Option<Generated>,
    pub(crate) collate: Option<String>,
    /// Part of the primary key, declared on the column or in a table constraint
    pub(crate) primary_key: bool,
    pub(crate) autoincrement: bool,
}

/// `GENERATED ALWAYS AS (expr) [STORED|VIRTUAL]`; `expr` is the text inside the parentheses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Raw SQLite text of the expression
    pub expr: String,
    pub(crate) stored: bool,
}

/// `[CONSTRAINT name] CHECK (expr)`; `expr` is the text inside the parentheses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckDdl {
    pub(crate) name: Option<String>,
    /// Raw SQLite text of the condition
    pub expr: String,
}

/// Parse `CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name (columns, constraints) [options]`.
pub fn parse_create_table(sql: &str) -> Result<TableDdl, DdlError> {
    let mut c = Cursor::new(sql)?;
    c.expect_kw("CREATE")?;
    let _ = c.eat_kw("TEMP") || c.eat_kw("TEMPORARY");
    if c.at_kw("VIRTUAL") {
        return Err(DdlError::Unsupported("virtual table".into()));
    }
    c.expect_kw("TABLE")?;
    c.skip_if_not_exists();
    let name = c.qualified_name("table name")?;
    if c.at_kw("AS") {
        return Err(DdlError::Unsupported("create table as select".into()));
    }
    let (from, to) = c.group()?;
    let after = c.pos;
    let mut table = TableDdl {
        name,
        columns: Vec::new(),
        checks: Vec::new(),
        primary_key: Vec::new(),
        without_rowid: false,
        strict: false,
    };

    c.pos = from;
    let mut in_constraints = false;
    while c.pos < to {
        in_constraints = in_constraints || starts_table_constraint(&c);
        if in_constraints {
            table_constraint(&mut c, &mut table)?;
        } else {
            let col = parse_column(&mut c)?;
            if col.primary_key {
                table.primary_key.push(col.name.clone());
            }
            table.columns.push(col);
        }
        if c.pos < to && !c.eat_kind(&Kind::Comma) && !in_constraints {
            return Err(c.err("',' or ')'"));
        }
    }
    if c.pos != to {
        return Err(c.err("')'"));
    }

    c.pos = after;
    loop {
        if c.eat_kws(&["WITHOUT", "ROWID"]) {
            table.without_rowid = true;
        } else if c.eat_kw("STRICT") {
            table.strict = true;
        } else {
            break;
        }
        if !c.eat_kind(&Kind::Comma) {
            break;
        }
    }
    if !c.at_end() {
        return Err(c.err("end of statement"));
    }
    mark_key_columns(&mut table);
    Ok(table)
}

fn starts_table_constraint(c: &Cursor) -> bool {
    ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].iter().any(|kw| c.at_kw(kw))
}

/// One table constraint; table constraints may follow each other without commas.
fn table_constraint(c: &mut Cursor, table: &mut TableDdl) -> Result<(), DdlError> {
    let name = if c.eat_kw("CONSTRAINT") { Some(c.name("constraint name")?) } else { None };
    if c.eat_kws(&["PRIMARY", "KEY"]) {
        let (from, mut to) = c.group()?;
        if to > from && c.toks[to - 1].is_kw("AUTOINCREMENT") {
            to -= 1;
            if let [only] = c.split_commas(from, to)[..] {
                mark_autoincrement(table, &c.toks[only.0].text);
            }
        }
        for (a, _) in c.split_commas(from, to) {
            table.primary_key.push(c.toks[a].text.clone());
        }
        conflict_clause(c)
    } else if c.eat_kw("UNIQUE") {
        c.group()?;
        conflict_clause(c)
    } else if c.eat_kw("CHECK") {
        let (from, to) = c.group()?;
        table.checks.push(CheckDdl { name, expr: c.text(from, to).to_string() });
        conflict_clause(c)
    } else if c.eat_kws(&["FOREIGN", "KEY"]) {
        c.group()?;
        c.expect_kw("REFERENCES")?;
        foreign_key_clause(c)
    } else {
        Err(c.err("a table constraint"))
    }
}

fn find_column<'t>(table: &'t mut TableDdl, name: &str) -> Option<&'t mut ColumnDdl> {
    table.columns.iter_mut().find(|col| col.name.eq_ignore_ascii_case(name))
}

fn mark_autoincrement(table: &mut TableDdl, name: &str) {
    if let Some(col) = find_column(table, name) {
        col.autoincrement = true;
    }
}

/// Flag key columns; a WITHOUT ROWID table enforces NOT NULL on them (as PRAGMA reports).
fn mark_key_columns(table: &mut TableDdl) {
    let without_rowid = table.without_rowid;
    for name in table.primary_key.clone() {
        if let Some(col) = find_column(table, &name) {
            col.primary_key = true;
            col.not_null |= without_rowid;
        }
    }
}
