//! Parse a SQLite CREATE INDEX statement (as stored in sqlite_master)

use super::cursor::Cursor;
use super::lexer::Kind;
use super::DdlError;

/// A parsed CREATE INDEX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexDdl {
    /// Unquoted, exact case, without schema
    pub(crate) name: String,
    /// Unquoted, exact case
    pub(crate) table: String,
    pub(crate) unique: bool,
    /// The indexed columns and expressions, in key order
    pub items: Vec<IndexItem>,
    /// Raw SQLite text of the partial-index WHERE clause
    pub where_clause: Option<String>,
}

/// One key of an index: a column or an expression, with its collation and direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexItem {
    /// Raw SQLite text of the indexed expression, without COLLATE and ASC/DESC
    pub expr: String,
    /// Some(name) when the item is a bare column (SQLite also takes a 'string' as a column here)
    pub(crate) column: Option<String>,
    pub(crate) collate: Option<String>,
    pub(crate) desc: bool,
}

/// Parse `CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]name ON table (items) [WHERE expr]`.
pub fn parse_create_index(sql: &str) -> Result<IndexDdl, DdlError> {
    let mut c = Cursor::new(sql)?;
    c.expect_kw("CREATE")?;
    let unique = c.eat_kw("UNIQUE");
    c.expect_kw("INDEX")?;
    c.skip_if_not_exists();
    let name = c.qualified_name("index name")?;
    c.expect_kw("ON")?;
    let table = c.name("table name")?;
    let (from, to) = c.group()?;
    let mut items = Vec::new();
    for (a, b) in c.split_commas(from, to) {
        items.push(index_item(&c, a, b)?);
    }
    if items.is_empty() {
        return Err(c.err("an indexed column"));
    }
    let where_clause = if c.eat_kw("WHERE") {
        let start = c.pos;
        while !c.at_end() {
            c.pos += 1;
        }
        if c.pos == start {
            return Err(c.err("an expression"));
        }
        Some(c.text(start, c.pos).to_string())
    } else {
        None
    };
    if !c.at_end() {
        return Err(c.err("end of statement"));
    }
    Ok(IndexDdl { name, table, unique, items, where_clause })
}

/// `expr [COLLATE name] [ASC|DESC]` spanning tokens `a..b`.
fn index_item(c: &Cursor, a: usize, mut b: usize) -> Result<IndexItem, DdlError> {
    let toks = &c.toks;
    let mut desc = false;
    if b > a + 1 && (toks[b - 1].is_kw("ASC") || toks[b - 1].is_kw("DESC")) {
        desc = toks[b - 1].is_kw("DESC");
        b -= 1;
    }
    let mut collate = None;
    if b > a + 2 && toks[b - 2].is_kw("COLLATE") && toks[b - 1].is_name() {
        collate = Some(toks[b - 1].text.clone());
        b -= 2;
    }
    if b <= a {
        return Err(DdlError::Syntax {
            offset: toks.get(a).map_or(c.src.len(), |t| t.start),
            expected: "an indexed column".into(),
            found: "nothing".into(),
        });
    }
    let column = match &toks[a..b] {
        [t] if matches!(t.kind, Kind::Word | Kind::Quoted(_) | Kind::Str) => Some(t.text.clone()),
        _ => None,
    };
    Ok(IndexItem { expr: c.text(a, b).to_string(), column, collate, desc })
}
