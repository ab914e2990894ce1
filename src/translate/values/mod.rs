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
mod round;
mod text;

pub use encode::{encode, encode_rounded, ColumnFormat, ConvertError};
pub use infer::{text_default_in_numeric_column, Inference, Inferred};
pub use pg_type::PgType;
