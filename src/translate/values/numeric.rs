//! numeric and numeric(p,s): exact decimals, checked against precision and scale, in binary

use std::fmt::Write;

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;

use super::error::{checked_str, class_error, range_error, ConvertError, StackBuf};
use super::PgType;

const SIGN_POS: u16 = 0x0000;
const SIGN_NEG: u16 = 0x4000;
const SIGN_NAN: u16 = 0xC000;
const SIGN_PINF: u16 = 0xD000;
const SIGN_NINF: u16 = 0xF000;
/// limits of `numeric_recv` / `make_result`
const MAX_NDIGITS: i64 = 3000;
const MAX_DSCALE: i64 = 0x3FFF;

/// A decimal number as written: sign, integer digits, fraction digits, exponent of ten.
#[derive(Debug, PartialEq)]
pub(super) enum Decimal<'a> {
    Finite { neg: bool, int: &'a [u8], frac: &'a [u8], exp: i64 },
    Infinity { neg: bool },
    NaN,
}

/// Parse `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, or `Infinity`, `inf`, `NaN`.
pub(super) fn parse(s: &[u8]) -> Option<Decimal<'_>> {
    let (neg, body) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.eq_ignore_ascii_case(b"infinity") || body.eq_ignore_ascii_case(b"inf") {
        return Some(Decimal::Infinity { neg });
    }
    if s.eq_ignore_ascii_case(b"nan") {
        return Some(Decimal::NaN);
    }
    let digits_end = |from: usize| from + body[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_end = digits_end(0);
    let int = &body[..int_end];
    let mut i = int_end;
    let mut frac: &[u8] = b"";
    if body.get(i) == Some(&b'.') {
        let end = digits_end(i + 1);
        frac = &body[i + 1..end];
        i = end;
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp = 0i64;
    if matches!(body.get(i), Some(b'e' | b'E')) {
        let (eneg, from) = match body.get(i + 1) {
            Some(b'-') => (true, i + 2),
            Some(b'+') => (false, i + 2),
            _ => (false, i + 1),
        };
        let end = digits_end(from);
        let edigits = &body[from..end];
        if edigits.is_empty() {
            return None;
        }
        for d in edigits {
            // saturate instead of overflowing: anything this large is refused below
            exp = (exp * 10 + i64::from(d - b'0')).min(10_000_000_000);
        }
        if eneg {
            exp = -exp;
        }
        // PostgreSQL's numeric_in refuses exponents from INT_MAX / 2 on, even on a zero
        if exp.abs() >= i64::from(i32::MAX / 2) {
            return None;
        }
        i = end;
    }
    (i == body.len()).then_some(Decimal::Finite { neg, int, frac, exp })
}

/// The significant digits of a finite decimal: `digit(k)` for k in 0..len has the power of ten
/// `top - k`; the first and last digits are non-zero. `len == 0` means zero.
struct Digits<'a> {
    int: &'a [u8],
    frac: &'a [u8],
    first: usize,
    len: usize,
    top: i64,
}

impl<'a> Digits<'a> {
    fn new(int: &'a [u8], frac: &'a [u8], exp: i64) -> Digits<'a> {
        let all = || int.iter().chain(frac.iter());
        let total = int.len() + frac.len();
        let first = all().position(|&c| c != b'0').unwrap_or(total);
        let last = total - all().rev().position(|&c| c != b'0').unwrap_or(total);
        let int_len = i64::try_from(int.len()).unwrap_or(i64::MAX);
        let first_i = i64::try_from(first).unwrap_or(i64::MAX);
        Digits { int, frac, first, len: last.saturating_sub(first), top: int_len - 1 - first_i + exp }
    }

    fn digit(&self, k: usize) -> u8 {
        let idx = self.first + k;
        let c = if idx < self.int.len() { self.int[idx] } else { self.frac[idx - self.int.len()] };
        c - b'0'
    }

    /// power of ten of the lowest significant digit
    fn bottom(&self) -> i64 {
        self.top - i64::try_from(self.len).unwrap_or(i64::MAX) + 1
    }

    /// digit at power of ten `p` (0 outside the significant digits)
    fn at_power(&self, p: i64) -> i16 {
        let k = self.top - p;
        match usize::try_from(k) {
            Ok(k) if k < self.len => i16::from(self.digit(k)),
            _ => 0,
        }
    }
}

/// The integer a decimal text denotes, however it is written (`1.0`, `9.007199254740993e15`),
/// computed exactly (no trip through f64). A fraction or an integer beyond i64 is an error.
pub(super) fn exact_integer(ty: &PgType, s: &[u8]) -> Result<i64, ConvertError> {
    let Some(Decimal::Finite { neg, int, frac, exp }) = parse(s) else {
        return Err(ConvertError::Invalid("text is not a decimal number"));
    };
    let digits = Digits::new(int, frac, exp);
    if digits.len == 0 {
        return Ok(0);
    }
    if digits.bottom() < 0 {
        return Err(ConvertError::Invalid("number has a fractional part"));
    }
    // i64 has at most 19 digits (powers of ten 0..=18)
    if digits.top > 18 {
        return Err(range_error("number", ty));
    }
    let mut acc: i64 = 0;
    for p in (0..=digits.top).rev() {
        let d = i64::from(digits.at_power(p));
        acc = acc
            .checked_mul(10)
            .and_then(|a| if neg { a.checked_sub(d) } else { a.checked_add(d) })
            .ok_or_else(|| range_error("number", ty))?;
    }
    Ok(acc)
}

/// Encode INTEGER (exact), TEXT (exact decimal) or REAL (15 significant digits, like SQLite's
/// own REAL to TEXT conversion) as numeric, refusing anything numeric(p,s) would round.
pub(super) fn encode(
    ty: &PgType,
    precision: Option<u16>,
    scale: Option<u16>,
    v: ValueRef<'_>,
    out: &mut BytesMut,
) -> Result<(), ConvertError> {
    let mut buf = StackBuf::new();
    let (dec, from_real) = match v {
        ValueRef::Integer(i) => {
            write!(buf, "{i}").map_err(|_| range_error("integer", ty))?;
            (parse(buf.as_bytes()), false)
        }
        ValueRef::Real(f) if f.is_infinite() => (Some(Decimal::Infinity { neg: f < 0.0 }), true),
        ValueRef::Real(f) if f.is_nan() => (Some(Decimal::NaN), true),
        ValueRef::Real(f) => {
            // like C's %.15g: round to 15 significant digits
            write!(buf, "{f:.14e}").map_err(|_| range_error("real", ty))?;
            (parse(buf.as_bytes()), true)
        }
        ValueRef::Text(b) => (parse(checked_str(b)?.as_bytes()), false),
        _ => return Err(class_error(&v, ty)),
    };
    let dec = dec.ok_or(ConvertError::Invalid("text is not a decimal number"))?;
    let (neg, int, frac, exp) = match dec {
        Decimal::NaN => {
            write_header(out, 0, 0, SIGN_NAN, 0);
            return Ok(());
        }
        Decimal::Infinity { neg } => {
            if precision.is_some() {
                return Err(range_error("infinity", ty));
            }
            write_header(out, 0, 0, if neg { SIGN_NINF } else { SIGN_PINF }, 0);
            return Ok(());
        }
        Decimal::Finite { neg, int, frac, exp } => (neg, int, frac, exp),
    };
    let digits = Digits::new(int, frac, exp);
    let frac_digits = if digits.len == 0 { 0 } else { (-digits.bottom()).max(0) };
    let dscale = match precision {
        Some(p) => {
            let (p, s) = (i64::from(p), i64::from(scale.unwrap_or(0)));
            if frac_digits > s {
                return Err(ConvertError::Scale {
                    digits: frac_digits.unsigned_abs(),
                    target: ty.sql(),
                    keep: s.unsigned_abs(),
                });
            }
            if digits.len > 0 && digits.top >= p - s {
                if digits.top < 0 {
                    return Err(range_error("value", ty));
                }
                return Err(ConvertError::Precision {
                    digits: (digits.top + 1).unsigned_abs(),
                    target: ty.sql(),
                    allow: p - s,
                });
            }
            s
        }
        // a REAL's dscale is its significant fraction digits; text keeps its written scale
        None if from_real => frac_digits,
        None => {
            let written = i64::try_from(frac.len()).unwrap_or(i64::MAX).saturating_sub(exp);
            written.max(frac_digits).max(0)
        }
    };
    if dscale > MAX_DSCALE {
        return Err(range_error("value", ty));
    }
    let dscale = u16::try_from(dscale).map_err(|_| range_error("value", ty))?;
    if digits.len == 0 {
        write_header(out, 0, 0, SIGN_POS, dscale);
        return Ok(());
    }
    let weight = digits.top.div_euclid(4);
    let last_group = digits.bottom().div_euclid(4);
    let ndigits = weight - last_group + 1;
    if ndigits > MAX_NDIGITS {
        return Err(range_error("value", ty));
    }
    let (Ok(weight16), Ok(ndigits16)) = (i16::try_from(weight), i16::try_from(ndigits)) else {
        return Err(range_error("value", ty));
    };
    write_header(out, ndigits16, weight16, if neg { SIGN_NEG } else { SIGN_POS }, dscale);
    let mut g = weight;
    while g >= last_group {
        let group = (0..4).rev().fold(0i16, |acc, k| acc * 10 + digits.at_power(4 * g + k));
        out.put_i16(group);
        g -= 1;
    }
    Ok(())
}

fn write_header(out: &mut BytesMut, ndigits: i16, weight: i16, sign: u16, dscale: u16) {
    out.put_i16(ndigits);
    out.put_i16(weight);
    out.put_u16(sign);
    out.put_u16(dscale);
}

#[cfg(test)]
#[path = "numeric_tests.rs"]
mod tests;
