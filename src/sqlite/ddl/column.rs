//! One column definition of CREATE TABLE: name, declared type and column constraints

use super::create_table::{CheckDdl, ColumnDdl, Generated};
use super::cursor::Cursor;
use super::keywords::is_reserved;
use super::lexer::Kind;
use super::DdlError;

/// SQLite's standard type names, stored upper-case by SQLite 3.37+.
const STD_TYPES: &[&str] = &["ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"];

/// Parse `name [type] constraint*`, stopping before the `,` or `)` that ends it.
pub(crate) fn parse_column(c: &mut Cursor) -> Result<ColumnDdl, DdlError> {
    let name = c.name("column name")?;
    let type_from = c.pos;
    while c.peek().is_some_and(|t| match t.kind {
        Kind::Word => !is_reserved(&t.text),
        Kind::Quoted(_) | Kind::Str => true,
        _ => false,
    }) {
        c.pos += 1;
    }
    if c.pos > type_from && c.at_kind(&Kind::LParen) {
        c.group()?;
    }
    let declared_type = sqlite_declared_type(c.text(type_from, c.pos));
    let mut col = ColumnDdl {
        name,
        declared_type,
        not_null: false,
        default: None,
        checks: Vec::new(),
        generated: None,
        collate: None,
        primary_key: false,
        autoincrement: false,
    };
    let mut constraint_name: Option<String> = None;
    while let Some(t) = c.peek() {
        if matches!(t.kind, Kind::Comma | Kind::RParen) {
            break;
        }
        if c.eat_kw("CONSTRAINT") {
            constraint_name = Some(c.name("constraint name")?);
            continue;
        }
        let name = constraint_name.take();
        if c.eat_kw("PRIMARY") {
            c.expect_kw("KEY")?;
            let _ = c.eat_kw("ASC") || c.eat_kw("DESC");
            conflict_clause(c)?;
            col.primary_key = true;
            col.autoincrement = c.eat_kw("AUTOINCREMENT");
        } else if c.eat_kw("NOT") {
            c.expect_kw("NULL")?;
            conflict_clause(c)?;
            col.not_null = true;
        } else if c.eat_kw("NULL") || c.eat_kw("UNIQUE") {
            conflict_clause(c)?;
        } else if c.eat_kw("CHECK") {
            let (from, to) = c.group()?;
            col.checks.push(CheckDdl { name, expr: c.text(from, to).to_string() });
        } else if c.eat_kw("DEFAULT") {
            col.default = Some(default_text(c)?);
        } else if c.eat_kw("COLLATE") {
            col.collate = Some(c.name("collation name")?);
        } else if c.eat_kw("REFERENCES") {
            foreign_key_clause(c)?;
        } else if c.at_kw("GENERATED") || c.at_kw("AS") {
            if c.eat_kw("GENERATED") {
                c.expect_kw("ALWAYS")?;
            }
            c.expect_kw("AS")?;
            let (from, to) = c.group()?;
            let stored = c.eat_kw("STORED");
            if !stored {
                c.eat_kw("VIRTUAL");
            }
            col.generated = Some(Generated { expr: c.text(from, to).to_string(), stored });
        } else {
            return Err(c.err("a column constraint"));
        }
    }
    Ok(col)
}

/// The DEFAULT value as written: `(expr)`, `[+|-] literal`, or a bare name.
fn default_text(c: &mut Cursor) -> Result<String, DdlError> {
    let from = c.pos;
    if c.at_kind(&Kind::LParen) {
        c.group()?;
    } else {
        if c.peek().is_some_and(|t| t.is_op("+") || t.is_op("-")) {
            c.pos += 1;
        }
        match c.peek() {
            Some(t) if matches!(t.kind, Kind::Num | Kind::Str | Kind::Blob | Kind::Word | Kind::Quoted(_)) => {
                c.pos += 1
            }
            _ => return Err(c.err("a default value")),
        }
    }
    Ok(c.text(from, c.pos).to_string())
}

/// `ON CONFLICT <resolution>`, if present.
pub(crate) fn conflict_clause(c: &mut Cursor) -> Result<(), DdlError> {
    if c.eat_kws(&["ON", "CONFLICT"]) {
        c.name("conflict resolution")?;
    }
    Ok(())
}

/// `REFERENCES` has been consumed: `table [(cols)] {ON DELETE|UPDATE action | MATCH name}* [deferrable]`.
pub(crate) fn foreign_key_clause(c: &mut Cursor) -> Result<(), DdlError> {
    c.name("referenced table")?;
    if c.at_kind(&Kind::LParen) {
        c.group()?;
    }
    loop {
        if c.eat_kw("ON") {
            if !(c.eat_kw("DELETE") || c.eat_kw("UPDATE") || c.eat_kw("INSERT")) {
                return Err(c.err("DELETE or UPDATE"));
            }
            let ok = c.eat_kws(&["SET", "NULL"])
                || c.eat_kws(&["SET", "DEFAULT"])
                || c.eat_kw("CASCADE")
                || c.eat_kw("RESTRICT")
                || c.eat_kws(&["NO", "ACTION"]);
            if !ok {
                return Err(c.err("a foreign key action"));
            }
        } else if c.eat_kw("MATCH") {
            c.name("match type")?;
        } else if c.eat_kw("DEFERRABLE") || c.eat_kws(&["NOT", "DEFERRABLE"]) {
            if c.eat_kw("INITIALLY") && !(c.eat_kw("DEFERRED") || c.eat_kw("IMMEDIATE")) {
                return Err(c.err("DEFERRED or IMMEDIATE"));
            }
        } else {
            return Ok(());
        }
    }
}

/// What SQLite reports as the declared type (PRAGMA table_info `type`) for the raw type text.
///
/// Mirrors sqlite3AddColumn: a trailing `GENERATED ALWAYS` absorbed by the parser is cut,
/// a standard type name (even quoted) is stored upper-case, anything else is dequoted once.
fn sqlite_declared_type(raw: &str) -> String {
    let mut t = raw;
    if t.len() >= 16 && ends_with_ci(t, "always") {
        t = t[..t.len() - 6].trim_end_matches(is_sqlite_space);
        if t.len() >= 9 && ends_with_ci(t, "generated") {
            t = t[..t.len() - 9].trim_end_matches(is_sqlite_space);
        }
    }
    if t.len() >= 3 {
        t = dequote_token(t);
        if let Some(std) = STD_TYPES.iter().find(|s| s.eq_ignore_ascii_case(t)) {
            return (*std).to_string();
        }
    }
    sqlite_dequote(t)
}

fn is_sqlite_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn is_quote(ch: char) -> bool {
    matches!(ch, '"' | '\'' | '`' | '[')
}

/// sqlite3DequoteToken: strip the outer quotes only if no quote character is inside.
fn dequote_token(t: &str) -> &str {
    let mut chars = t.chars();
    let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else { return t };
    if !is_quote(first) || chars.as_str().chars().any(is_quote) {
        return t;
    }
    &t[first.len_utf8()..t.len() - last.len_utf8()]
}

/// sqlite3Dequote: if quoted, keep the text up to the closing quote, undoubling quotes.
fn sqlite_dequote(t: &str) -> String {
    let mut chars = t.chars().peekable();
    let quote = match chars.next() {
        Some('[') => ']',
        Some(q) if is_quote(q) => q,
        _ => return t.to_string(),
    };
    let mut out = String::new();
    while let Some(ch) = chars.next() {
        if ch == quote {
            if chars.peek() == Some(&quote) {
                out.push(quote);
                chars.next();
            } else {
                break;
            }
        } else {
            out.push(ch);
        }
    }
    out
}
