//! SQLite's CREATE TABLE and CREATE INDEX statements, parsed as SQLite reads them

mod column;
mod create_index;
mod create_table;
pub(crate) mod cursor;
pub(crate) mod keywords;
pub(crate) mod lexer;

pub use create_index::{parse_create_index, IndexDdl, IndexItem};
pub use create_table::{parse_create_table, CheckDdl, ColumnDdl, Generated, TableDdl};

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
