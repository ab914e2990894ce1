//! Parse a SQLite CREATE VIEW statement and translate its SELECT for PostgreSQL

use super::cursor::Cursor;
use super::expression::{translate_tokens, Mode};
use super::lexer::Kind;
use super::{DdlError, Untranslatable};

/// A parsed CREATE VIEW.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewDdl {
    /// Unquoted, exact case, without schema
    pub(crate) name: String,
    /// The optional `(col, ...)` list after the view name, unquoted
    pub columns: Option<Vec<String>>,
    /// Raw SQLite text of the SELECT (no trailing `;`)
    pub select: String,
}

/// Parse `CREATE [TEMP] VIEW [IF NOT EXISTS] [schema.]name [(cols)] AS select`.
pub fn parse_create_view(sql: &str) -> Result<ViewDdl, DdlError> {
    let mut c = Cursor::new(sql)?;
    c.expect_kw("CREATE")?;
    let _ = c.eat_kw("TEMP") || c.eat_kw("TEMPORARY");
    c.expect_kw("VIEW")?;
    c.skip_if_not_exists();
    let name = c.qualified_name("view name")?;
    let columns = if c.at_kind(&Kind::LParen) {
        let (from, to) = c.group()?;
        let mut names = Vec::new();
        for (a, b) in c.split_commas(from, to) {
            match &c.toks[a..b] {
                [t] if t.is_name() => names.push(t.text.clone()),
                _ => {
                    c.pos = a;
                    return Err(c.err("a column name"));
                }
            }
        }
        Some(names)
    } else {
        None
    };
    c.expect_kw("AS")?;
    let start = c.pos;
    let mut end = c.toks.len();
    while end > start && c.toks[end - 1].kind == Kind::Semi {
        end -= 1;
    }
    if end == start {
        return Err(c.err("a select statement"));
    }
    Ok(ViewDdl { name, columns, select: c.text(start, end).to_string() })
}

/// Translate a view's SELECT: identifiers requoted exactly as written, functions mapped.
pub fn translate_select(select: &str) -> Result<String, Untranslatable> {
    translate_select_with_names(select, &[])
}

/// Like [`translate_select`], but a bare or quoted identifier matching one of `names`
/// case-insensitively (SQLite's rule) is emitted with that name's exact case.
/// Pass the table, view and column names of the database.
pub fn translate_select_with_names(select: &str, names: &[String]) -> Result<String, Untranslatable> {
    let toks =
        super::lexer::tokenize(select).map_err(|e| Untranslatable::new(format!("cannot tokenize select: {e}")))?;
    let mut end = toks.len();
    while end > 0 && toks[end - 1].kind == Kind::Semi {
        end -= 1;
    }
    translate_tokens(&toks[..end], Mode::Select { names })
}
