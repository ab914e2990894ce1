//! SQLite DDL parsing (CREATE TABLE / INDEX / VIEW) and SQLite-to-PostgreSQL expression translation

mod cast;
mod collation;
mod column;
mod context;
mod create_index;
mod create_table;
mod cursor;
mod default;
mod expr;
mod functions;
mod json;
mod keywords;
mod leave_out;
mod lexer;
mod literal;
mod pattern;
mod printf;
mod realtext;
mod scalar;
mod substr;
mod time;
mod time_index;
mod time_now;
mod time_value;
mod typed;
mod view;

#[cfg(test)]
mod tests_corpus;
#[cfg(test)]
mod tests_parse;
#[cfg(test)]
mod tests_translate;

pub use collation::folded;
pub use create_index::{parse_create_index, IndexDdl, IndexItem};
pub use create_table::{parse_create_table, CheckDdl, ColumnDdl, Generated, TableDdl};
pub use default::translate_default;
pub use expr::{translate_expr, translate_index_expr, ExprContext, TypeHint};
pub use functions::affinity_type;
pub use leave_out::LeaveOut;
pub use view::{parse_create_view, translate_select, translate_select_with_names, ViewDdl};

/// A CREATE statement that could not be parsed. Messages quote schema text only.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DdlError {
    #[error("cannot tokenize sql at byte {offset}: {reason}")]
    Lex { offset: usize, reason: &'static str },
    #[error("syntax error at byte {offset}: expected {expected}, found {found}")]
    Syntax { offset: usize, expected: String, found: String },
    #[error("unsupported statement: {0}")]
    Unsupported(String),
}

/// An expression with no faithful PostgreSQL translation; the reason names the construct,
/// never a value (e.g. "function typeof() has no postgresql equivalent").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Untranslatable {
    pub reason: String,
}

impl Untranslatable {
    pub fn new(reason: impl Into<String>) -> Self {
        Untranslatable { reason: reason.into() }
    }
}

/// The one quoting helper: `"name"` with embedded `"` doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
