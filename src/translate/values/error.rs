//! the conversion error type: says why a value does not fit, never what the value is

use rusqlite::types::ValueRef;

/// Why a value could not be converted. `Display` is lowercase and never contains the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// the storage class cannot become the target type at all (e.g. a blob into an integer)
    #[error("{class} cannot be converted to {target}")]
    Class {
        /// the value's storage class, as `typeof()` names it
        class: &'static str,
        /// the target type, as SQL
        target: String,
    },
    /// the value is of the right kind but outside the target's range
    #[error("{what} out of range for {target}")]
    Range {
        /// what is out of range ("value", "real", "number"...)
        what: &'static str,
        /// the target type, as SQL
        target: String,
    },
    /// text or a blob read as text is not valid UTF-8
    #[error("text is not valid utf-8")]
    Utf8,
    /// text holds a NUL byte, which PostgreSQL text cannot
    #[error("text contains a nul byte")]
    Nul,
    /// more characters than a `varchar(n)` or `char(n)` holds, or an array past PostgreSQL's size limit
    #[error("value is too long for {target}")]
    TooLong {
        /// the target type, as SQL
        target: String,
    },
    /// more (non-zero) fractional digits than the target keeps
    #[error("has {digits} fractional digits, {target} keeps {keep}")]
    Scale {
        /// the value's fractional digits
        digits: u64,
        /// the target type, as SQL
        target: String,
        /// the fractional digits the target keeps
        keep: u64,
    },
    /// more integer digits than the target allows
    #[error("has {digits} integer digits, {target} allows {allow}")]
    Precision {
        /// the value's integer digits
        digits: u64,
        /// the target type, as SQL
        target: String,
        /// the integer digits the target allows (precision minus scale)
        allow: i64,
    },
    /// the text is not in any accepted form (the message names the expected form)
    #[error("{0}")]
    Invalid(&'static str),
    /// an element of an array (1-based index) could not be converted
    #[error("array element {index}: {source}")]
    Element {
        /// which element, counting from 1
        index: usize,
        /// why it could not be converted
        source: Box<ConvertError>,
    },
}

/// The SQLite storage class of a value, as `typeof()` names it.
pub(super) fn class_name(v: &ValueRef<'_>) -> &'static str {
    match v {
        ValueRef::Null => "null",
        ValueRef::Integer(_) => "integer",
        ValueRef::Real(_) => "real",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "blob",
    }
}

/// The error for a storage class the target type never accepts.
pub(super) fn class_error(v: &ValueRef<'_>, target: &super::PgType) -> ConvertError {
    ConvertError::Class { class: class_name(v), target: target.sql() }
}

/// The error for a value outside the target's range.
pub(super) fn range_error(what: &'static str, target: &super::PgType) -> ConvertError {
    ConvertError::Range { what, target: target.sql() }
}

/// Text as PostgreSQL accepts it: valid UTF-8 without NUL bytes.
pub(super) fn checked_str(bytes: &[u8]) -> Result<&str, ConvertError> {
    let s = std::str::from_utf8(bytes).map_err(|_| ConvertError::Utf8)?;
    if bytes.contains(&0) {
        return Err(ConvertError::Nul);
    }
    Ok(s)
}

/// A fixed-size buffer that `write!` can format into without touching the heap.
pub(super) struct StackBuf {
    buf: [u8; 64],
    len: usize,
}

impl StackBuf {
    pub(super) fn new() -> StackBuf {
        StackBuf { buf: [0; 64], len: 0 }
    }
    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(std::fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn checked_str_rejects_bad_utf8_and_nul() {
        assert_eq!(checked_str(b"ok \xc3\xa9"), Ok("ok é"));
        assert_eq!(checked_str(b"\xff\xfe"), Err(ConvertError::Utf8));
        assert_eq!(checked_str(b"a\0b"), Err(ConvertError::Nul));
        assert_eq!(ConvertError::Nul.to_string(), "text contains a nul byte");
        assert_eq!(ConvertError::Utf8.to_string(), "text is not valid utf-8");
    }

    #[test]
    fn stack_buf_formats_and_refuses_overflow() {
        let mut b = StackBuf::new();
        write!(b, "{:.14e}", 0.1f64).unwrap();
        assert_eq!(b.as_bytes(), b"1.00000000000000e-1");
        let mut b = StackBuf::new();
        assert!(write!(b, "{}", "x".repeat(65)).is_err());
    }
}
