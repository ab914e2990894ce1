//! value conversion: SQLite values into PostgreSQL binary wire format, and type inference
//!
//! Every value is converted by its own storage class (NULL, INTEGER, REAL, TEXT, BLOB) into
//! the type the PostgreSQL column has; nothing is rounded, truncated or shifted silently:
//! a value that does not fit is a [`ConvertError`] whose message never contains the value.

mod array;
mod datetime;
mod declared;
mod encode;
mod error;
mod infer;
mod interval;
mod json;
mod network;
mod numeric;
mod pg_type;
mod pieces;
mod round;
mod text;

pub(crate) use encode::encode_rounded;
pub use encode::{encode, ColumnFormat, ConvertError};
pub(crate) use infer::{text_default_in_numeric_column, Inference};
pub use pg_type::PgType;
pub(crate) use pieces::TextPieces;
