//! Pure translation, with no I/O: SQLite types, values, expressions and schemas into PostgreSQL's

pub mod expr;
pub(crate) mod plan;
pub(crate) mod prisma;
pub mod schema;
pub mod values;
