//! the entry point: one SQLite value into the binary wire format of one PostgreSQL type

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;

pub use super::error::ConvertError;
use super::error::{checked_str, class_error, range_error};
use super::round::Rounding;
use super::{array, datetime, interval, json, network, numeric, text, PgType};

/// How numbers in a date, timestamp or interval column are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColumnFormat {
    /// timestamps: epoch seconds below 1e11, milliseconds below 1e14; intervals: microseconds
    /// (Django); text in ISO 8601 form
    #[default]
    Auto,
    /// numbers are seconds since 1970-01-01 UTC (`epoch_s`)
    EpochSeconds,
    /// numbers are milliseconds since the epoch (`epoch_ms`)
    EpochMillis,
    /// numbers are microseconds since the epoch (`epoch_us`)
    EpochMicros,
    /// nanoseconds (Hibernate's `Duration`, Go's `time.Duration`): whole microseconds only
    EpochNanos,
    /// only text; numbers are refused
    Iso,
}

impl std::str::FromStr for ColumnFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<ColumnFormat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ColumnFormat::Auto),
            "epoch_s" => Ok(ColumnFormat::EpochSeconds),
            "epoch_ms" => Ok(ColumnFormat::EpochMillis),
            "epoch_us" => Ok(ColumnFormat::EpochMicros),
            "epoch_ns" => Ok(ColumnFormat::EpochNanos),
            "iso" => Ok(ColumnFormat::Iso),
            _ => {
                Err(format!("unknown column format {s:?}, expected auto, epoch_s, epoch_ms, epoch_us, epoch_ns or iso"))
            }
        }
    }
}

/// Append the PostgreSQL binary wire format of `v` as a value of `ty` to `out`, without the
/// length prefix. `v` must not be NULL (the caller writes NULL). On error `out` may hold
/// garbage after its original length: the caller truncates.
pub fn encode(ty: &PgType, fmt: ColumnFormat, v: ValueRef<'_>, out: &mut BytesMut) -> Result<(), ConvertError> {
    encode_with(ty, fmt, Rounding::Refuse, v, out)
}

/// Like [`encode`], but a time, timestamp or interval finer than its column is rounded to the
/// nearest value the column keeps (ties to even) instead of refused: for the columns ROUND_TIME
/// names. The caller tries [`encode`] first, so that it can count the values this changed.
pub(crate) fn encode_rounded(
    ty: &PgType,
    fmt: ColumnFormat,
    v: ValueRef<'_>,
    out: &mut BytesMut,
) -> Result<(), ConvertError> {
    encode_with(ty, fmt, Rounding::Nearest, v, out)
}

fn encode_with(
    ty: &PgType,
    fmt: ColumnFormat,
    rounding: Rounding,
    v: ValueRef<'_>,
    out: &mut BytesMut,
) -> Result<(), ConvertError> {
    if let ValueRef::Null = v {
        return Err(ConvertError::Invalid("null must be written by the caller"));
    }
    match ty {
        PgType::Bool => out.put_u8(u8::from(bool_value(ty, v)?)),
        PgType::Int2 => out.put_i16(int_value(ty, v)?),
        PgType::Int4 => out.put_i32(int_value(ty, v)?),
        PgType::Int8 => out.put_i64(int_value(ty, v)?),
        PgType::Float4 => out.put_f32(float4_value(ty, v)?),
        PgType::Float8 => out.put_f64(float8_value(ty, v)?),
        PgType::Numeric { precision, scale } => numeric::encode(ty, *precision, *scale, v, out)?,
        PgType::Text | PgType::Varchar(_) | PgType::Char(_) => text::encode(ty, v, out)?,
        PgType::Bytea => match v {
            ValueRef::Blob(b) | ValueRef::Text(b) => out.extend_from_slice(b),
            _ => return Err(class_error(&v, ty)),
        },
        PgType::Date | PgType::Time { .. } | PgType::Timestamp { .. } | PgType::Timestamptz { .. } => {
            datetime::encode(ty, fmt, rounding, v, out)?
        }
        PgType::Interval => interval::encode(ty, fmt, rounding, v, out)?,
        PgType::Uuid => network::encode_uuid(ty, v, out)?,
        PgType::Inet | PgType::Cidr => network::encode_inet(ty, v, out)?,
        PgType::Json | PgType::Jsonb => json::encode(ty, v, out)?,
        PgType::Enum { labels } => {
            let ValueRef::Text(b) = v else {
                return Err(class_error(&v, ty));
            };
            let s = checked_str(b)?;
            if !labels.iter().any(|l| l == s) {
                return Err(ConvertError::Invalid("not one of the enum's labels"));
            }
            out.extend_from_slice(b);
        }
        PgType::Array(elem) => array::encode(elem, fmt, v, out)?,
    }
    Ok(())
}

fn bool_value(ty: &PgType, v: ValueRef<'_>) -> Result<bool, ConvertError> {
    match v {
        ValueRef::Integer(0) => Ok(false),
        ValueRef::Integer(1) => Ok(true),
        ValueRef::Real(f) => match f {
            _ if f == 0.0 => Ok(false),
            _ if f == 1.0 => Ok(true),
            _ => Err(range_error("real", ty)),
        },
        ValueRef::Integer(_) => Err(range_error("integer", ty)),
        ValueRef::Text(b) => {
            const TRUE: [&[u8]; 6] = [b"t", b"true", b"yes", b"y", b"on", b"1"];
            const FALSE: [&[u8]; 6] = [b"f", b"false", b"no", b"n", b"off", b"0"];
            if TRUE.iter().any(|w| w.eq_ignore_ascii_case(b)) {
                Ok(true)
            } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(b)) {
                Ok(false)
            } else {
                Err(ConvertError::Invalid("not a recognised boolean"))
            }
        }
        _ => Err(class_error(&v, ty)),
    }
}

/// An integer of any width: INTEGER range-checked, integral REAL, strictly `[+-]?[0-9]+` TEXT, or a
/// BLOB of ASCII digits in canonical form (`0`, `-?[1-9][0-9]*`: Drizzle's `blob({mode:'bigint'})`),
/// so the bytes can be told back from the number.
fn int_value<T: TryFrom<i64>>(ty: &PgType, v: ValueRef<'_>) -> Result<T, ConvertError> {
    let i = match v {
        ValueRef::Integer(i) => i,
        ValueRef::Real(f) => {
            if f.fract() != 0.0 || !f.is_finite() {
                return Err(ConvertError::Invalid("real has a fractional part"));
            }
            // 2^63 is exact in f64; every integral f64 in [-2^63, 2^63) converts exactly
            if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
                return Err(range_error("real", ty));
            }
            f as i64
        }
        ValueRef::Text(b) => {
            let digits = b.strip_prefix(b"+").or_else(|| b.strip_prefix(b"-")).unwrap_or(b);
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return Err(ConvertError::Invalid("text is not an integer"));
            }
            checked_str(b)?.parse::<i64>().map_err(|_| range_error("integer", ty))?
        }
        ValueRef::Blob(b) => {
            let digits = b.strip_prefix(b"-").unwrap_or(b);
            let canonical = match digits {
                [b'0'] => digits.len() == b.len(),
                [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
                _ => false,
            };
            if !canonical {
                return Err(ConvertError::Invalid("blob is not the ascii digits of an integer"));
            }
            checked_str(b)?.parse::<i64>().map_err(|_| range_error("blob", ty))?
        }
        _ => return Err(class_error(&v, ty)),
    };
    T::try_from(i).map_err(|_| range_error("integer", ty))
}

fn float8_value(ty: &PgType, v: ValueRef<'_>) -> Result<f64, ConvertError> {
    match v {
        ValueRef::Real(f) => Ok(f),
        ValueRef::Integer(i) => {
            // checked: only an integer the double holds exactly (any up to 2^53, and beyond
            // those with enough trailing zero bits)
            let f = i as f64;
            if f as i128 == i128::from(i) {
                Ok(f)
            } else {
                Err(range_error("integer", ty))
            }
        }
        ValueRef::Text(b) => parse_float::<f64>(ty, checked_str(b)?),
        _ => Err(class_error(&v, ty)),
    }
}

fn float4_value(ty: &PgType, v: ValueRef<'_>) -> Result<f32, ConvertError> {
    match v {
        ValueRef::Real(f) => {
            let g = f as f32;
            if f64::from(g) == f {
                Ok(g)
            } else {
                Err(ConvertError::Invalid("real does not fit a 4-byte float exactly"))
            }
        }
        ValueRef::Integer(i) => {
            // checked, as for float8
            let g = i as f32;
            if g as i128 == i128::from(i) {
                Ok(g)
            } else {
                Err(range_error("integer", ty))
            }
        }
        ValueRef::Text(b) => parse_float::<f32>(ty, checked_str(b)?),
        _ => Err(class_error(&v, ty)),
    }
}

/// Parse a float as PostgreSQL's float input does, but refuse what it would refuse as out of
/// range (overflow to infinity, underflow to zero) and surrounding whitespace.
fn parse_float<F>(ty: &PgType, s: &str) -> Result<F, ConvertError>
where
    F: std::str::FromStr + Into<f64> + Copy,
{
    let invalid = ConvertError::Invalid("text is not a number");
    let first = s.bytes().next().ok_or(invalid.clone())?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.' | b'i' | b'I' | b'n' | b'N')) {
        return Err(invalid);
    }
    let f: F = s.parse().map_err(|_| invalid)?;
    let x: f64 = f.into();
    let unsigned = s.trim_start_matches(['+', '-']);
    let is_word = unsigned.as_bytes().first().is_some_and(|c| !c.is_ascii_digit() && *c != b'.');
    if x.is_infinite() && !is_word {
        return Err(range_error("text", ty));
    }
    let mantissa = unsigned.split(['e', 'E']).next().unwrap_or("");
    if x == 0.0 && mantissa.bytes().any(|c| matches!(c, b'1'..=b'9')) {
        return Err(range_error("text", ty));
    }
    Ok(f)
}

#[cfg(test)]
#[path = "encode_tests.rs"]
mod tests;
