//! text, varchar(n) and char(n); numbers rendered as PostgreSQL renders them

use std::fmt::Write;

use bytes::BytesMut;
use rusqlite::types::ValueRef;

use super::error::{checked_str, class_error, ConvertError, StackBuf};
use super::PgType;

/// Text from TEXT or BLOB (valid UTF-8, no NUL), INTEGER in decimal, REAL like `float8out`.
/// The length limit of varchar(n)/char(n) counts characters; too long is an error.
pub(super) fn encode(ty: &PgType, v: ValueRef<'_>, out: &mut BytesMut) -> Result<(), ConvertError> {
    let start = out.len();
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => {
            checked_str(b)?;
            out.extend_from_slice(b);
        }
        ValueRef::Integer(i) => write!(out, "{i}").map_err(|_| ConvertError::Invalid("cannot format integer"))?,
        ValueRef::Real(f) => write_float8(out, f),
        ValueRef::Null => return Err(class_error(&v, ty)),
    }
    let limit = match ty {
        PgType::Varchar(Some(n)) | PgType::Char(n) => usize::try_from(*n).unwrap_or(usize::MAX),
        _ => return Ok(()),
    };
    let written = &out[start..];
    // a character is at least one byte: only count when the bytes exceed the limit
    if written.len() > limit && String::from_utf8_lossy(written).chars().count() > limit {
        return Err(ConvertError::TooLong { target: ty.sql() });
    }
    Ok(())
}

/// Render a float like PostgreSQL's `float8out` (extra_float_digits >= 1): the shortest digits
/// that round-trip, exponent form (`1e+100`, `1e-05`) when the decimal exponent is below -4 or
/// at least 15, and `Infinity`, `-Infinity`, `NaN`.
pub(super) fn write_float8(out: &mut BytesMut, f: f64) {
    if f.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
        return;
    }
    let mut buf = StackBuf::new();
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-7", "1e100", "0e0"; it always fits
    if write!(buf, "{f:e}").is_err() {
        out.extend_from_slice(b"NaN");
        return;
    }
    let s = buf.as_bytes();
    let (neg, s) = match s.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let epos = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
    let mantissa = &s[..epos];
    let exp: i32 =
        std::str::from_utf8(s.get(epos + 1..).unwrap_or(b"0")).ok().and_then(|e| e.parse().ok()).unwrap_or(0);
    let first = mantissa.first().copied().unwrap_or(b'0');
    let rest = mantissa.get(2..).unwrap_or(b""); // after "d."
    if neg {
        out.extend_from_slice(b"-");
    }
    if first == b'0' {
        out.extend_from_slice(b"0");
        return;
    }
    if !(-4..15).contains(&exp) {
        out.extend_from_slice(&[first]);
        if !rest.is_empty() {
            out.extend_from_slice(b".");
            out.extend_from_slice(rest);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
        return;
    }
    // fixed notation: digits d0 d1 ... with the point after exp+1 digits
    let digits = std::iter::once(first).chain(rest.iter().copied());
    let ndigits = 1 + rest.len();
    if exp < 0 {
        out.extend_from_slice(b"0.");
        for _ in 0..(exp.unsigned_abs() - 1) {
            out.extend_from_slice(b"0");
        }
        out.extend(digits);
    } else {
        let int_len = usize::try_from(exp).unwrap_or(0) + 1;
        for (k, d) in digits.enumerate() {
            if k == int_len {
                out.extend_from_slice(b".");
            }
            out.extend_from_slice(&[d]);
        }
        for _ in ndigits..int_len {
            out.extend_from_slice(b"0");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ty: &PgType, v: ValueRef<'_>) -> Result<String, ConvertError> {
        let mut out = BytesMut::new();
        encode(ty, v, &mut out)?;
        Ok(String::from_utf8(out.to_vec()).unwrap())
    }

    fn f8(f: f64) -> String {
        let mut out = BytesMut::new();
        write_float8(&mut out, f);
        String::from_utf8(out.to_vec()).unwrap()
    }

    #[test]
    fn float8out_format() {
        assert_eq!(f8(0.0), "0");
        assert_eq!(f8(-0.0), "-0");
        assert_eq!(f8(1.0), "1");
        assert_eq!(f8(-2.5), "-2.5");
        assert_eq!(f8(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f8(1e100), "1e+100");
        assert_eq!(f8(1e-5), "1e-05");
        assert_eq!(f8(1.5e-5), "1.5e-05");
        assert_eq!(f8(0.0001), "0.0001");
        assert_eq!(f8(123456789012345.0), "123456789012345");
        assert_eq!(f8(1e15), "1e+15");
        assert_eq!(f8(1.25e15), "1.25e+15");
        assert_eq!(f8(100.0), "100");
        assert_eq!(f8(1234.5678), "1234.5678");
        assert_eq!(f8(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(f8(5e-324), "5e-324");
        assert_eq!(f8(f64::INFINITY), "Infinity");
        assert_eq!(f8(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn text_from_each_class() {
        assert_eq!(text(&PgType::Text, ValueRef::Text("héllo".as_bytes())).unwrap(), "héllo");
        assert_eq!(text(&PgType::Text, ValueRef::Blob(b"raw")).unwrap(), "raw");
        assert_eq!(text(&PgType::Text, ValueRef::Integer(i64::MIN)).unwrap(), "-9223372036854775808");
        assert_eq!(text(&PgType::Text, ValueRef::Real(1.5)).unwrap(), "1.5");
        assert_eq!(text(&PgType::Text, ValueRef::Text(b"")).unwrap(), "");
        assert_eq!(text(&PgType::Text, ValueRef::Text(b"a\0b")), Err(ConvertError::Nul));
        assert_eq!(text(&PgType::Text, ValueRef::Blob(b"\x80abc")), Err(ConvertError::Utf8));
        assert_eq!(text(&PgType::Text, ValueRef::Text(b"\xc3")), Err(ConvertError::Utf8));
    }

    #[test]
    fn length_limits_count_characters() {
        let v20 = PgType::Varchar(Some(3));
        assert_eq!(text(&v20, ValueRef::Text("héé".as_bytes())).unwrap(), "héé");
        assert_eq!(
            text(&v20, ValueRef::Text("éééé".as_bytes())),
            Err(ConvertError::TooLong { target: "varchar(3)".into() })
        );
        assert_eq!(text(&v20, ValueRef::Integer(1234)).unwrap_err().to_string(), "value is too long for varchar(3)");
        assert_eq!(text(&PgType::Char(2), ValueRef::Text(b"ab")).unwrap(), "ab");
        assert!(text(&PgType::Char(2), ValueRef::Text(b"abc")).is_err());
        assert_eq!(text(&PgType::Varchar(None), ValueRef::Text(&[b'x'; 10_000])).unwrap().len(), 10_000);
    }
}
