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
    /// The text does not split into SQLite tokens: an unterminated quote, a malformed number or blob, an unknown
    /// character.
    #[error("cannot tokenize sql at byte {offset}: {reason}")]
    Lex {
        /// byte offset where the bad token starts
        offset: usize,
        /// what is wrong there
        reason: &'static str,
    },
    /// The tokens do not form the statement.
    #[error("syntax error at byte {offset}: expected {expected}, found {found}")]
    Syntax {
        /// byte offset of the unexpected token
        offset: usize,
        /// what the grammar wants there
        expected: String,
        /// the token found instead, or "end of input"
        found: String,
    },
    /// A statement of a form the parser does not take (a virtual table, CREATE TABLE ... AS SELECT); the text
    /// names it.
    #[error("unsupported statement: {0}")]
    Unsupported(String),
}
