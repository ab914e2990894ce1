//! interval from microseconds (Django's DurationField), timedelta, .NET TimeSpan or ISO 8601 text, or a
//! datetime counted from 1970-01-01 (SQLAlchemy's Interval)

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;

use super::datetime::{nanos_to_usec, parse_timestamp, PG_EPOCH_UNIX_USEC};
use super::error::{checked_str, class_error, range_error, ConvertError};
use super::round::{self, Rounding};
use super::{ColumnFormat, PgType};

const USEC_PER_SEC: i64 = 1_000_000;
const USEC_PER_DAY: i64 = 86_400 * USEC_PER_SEC;
const BAD_INTERVAL: ConvertError = ConvertError::Invalid("not a recognised interval");

/// An interval as PostgreSQL keeps it: microseconds, days and months, each signed.
#[derive(Debug, PartialEq, Default)]
struct Interval {
    usec: i64,
    days: i32,
    months: i32,
}

/// INTEGER microseconds (or the unit `fmt` names: seconds, milliseconds, nanoseconds), split into
/// days and time like Python's timedelta (days floored, time non-negative), which is what Django
/// writes on PostgreSQL; TEXT `[-]HH:MM:SS[.f]`,
/// `[-]D day[s], HH:MM:SS[.f]`, .NET's `[-][d.]hh:mm:ss[.f]`, ISO 8601
/// `[-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]`, or `YYYY-MM-DD HH:MM:SS[.f]` as the time since
/// 1970-01-01 00:00 (split like a timedelta, as SQLAlchemy reads it back).
pub(super) fn encode(
    ty: &PgType,
    fmt: ColumnFormat,
    rounding: Rounding,
    v: ValueRef<'_>,
    out: &mut BytesMut,
) -> Result<(), ConvertError> {
    let iv = match v {
        ValueRef::Integer(n) => {
            let us = match fmt {
                ColumnFormat::Auto | ColumnFormat::EpochMicros => Some(n),
                ColumnFormat::EpochSeconds => n.checked_mul(USEC_PER_SEC),
                ColumnFormat::EpochMillis => n.checked_mul(1000),
                ColumnFormat::EpochNanos => Some(nanos_to_usec(ty, rounding, v)?),
                ColumnFormat::Iso => return Err(ConvertError::Invalid("numbers are not accepted in an iso column")),
            };
            timedelta(ty, us.ok_or(range_error("integer", ty))?)?
        }
        ValueRef::Text(b) if b.get(4) == Some(&b'-') => {
            let ts = parse_timestamp(ty, b, None, rounding).map_err(|e| match e {
                ConvertError::Invalid(_) => BAD_INTERVAL,
                e => e,
            })?;
            if ts.offset_secs.is_some() {
                return Err(ConvertError::Invalid("an interval stored as a datetime cannot carry an offset"));
            }
            let us = ts.local_usec.checked_add(PG_EPOCH_UNIX_USEC).ok_or(range_error("text", ty))?;
            timedelta(ty, us)?
        }
        ValueRef::Text(b) => {
            let s = checked_str(b)?;
            let iso = s.strip_prefix('-').unwrap_or(s).starts_with('P');
            let parsed = if iso { parse_iso(s, rounding) } else { parse_clock(s, rounding) };
            parsed.ok_or(BAD_INTERVAL)??
        }
        _ => return Err(class_error(&v, ty)),
    };
    out.put_i64(iv.usec);
    out.put_i32(iv.days);
    out.put_i32(iv.months);
    Ok(())
}

/// Microseconds as Python's timedelta holds them: days floored, the time of day non-negative.
fn timedelta(ty: &PgType, us: i64) -> Result<Interval, ConvertError> {
    Ok(Interval {
        usec: us.rem_euclid(USEC_PER_DAY),
        days: i32::try_from(us.div_euclid(USEC_PER_DAY)).map_err(|_| range_error("integer", ty))?,
        months: 0,
    })
}

/// `[-]HH:MM:SS[.f]`, `[-]D day[s], [-]HH:MM:SS[.f]`, or `[-]D.HH:MM:SS[.f]` (.NET's TimeSpan, whose
/// sign covers the days too, kept on both parts as Npgsql writes it)
fn parse_clock(s: &str, rounding: Rounding) -> Option<Result<Interval, ConvertError>> {
    let (days, clock) = match s.split_once(", ") {
        Some((d, clock)) => {
            let n = d.strip_suffix(" days").or_else(|| d.strip_suffix(" day"))?;
            (parse_int(n)?, clock)
        }
        None => (0, s),
    };
    let (neg, clock) = match clock.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clock),
    };
    let (days, clock) = match clock.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            if s.contains(", ") {
                return None;
            }
            let (d, rest) = clock.split_once('.')?;
            let d = parse_uint(d)?;
            (if neg { -d } else { d }, rest)
        }
        _ => (days, clock),
    };
    let mut parts = clock.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || !sec.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let had_point = sec.contains('.');
    let (sec, frac) = sec.split_once('.').unwrap_or((sec, ""));
    if sec.len() != 2 {
        return None;
    }
    let (h, m, sec) = (parse_uint(h)?, parse_uint(m)?, parse_uint(sec)?);
    if m > 59 || sec > 59 {
        return None;
    }
    let usec = match fraction_usec(frac, had_point, rounding)? {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    let total = h.checked_mul(3600)?.checked_add(m * 60 + sec)?.checked_mul(USEC_PER_SEC)?.checked_add(usec)?;
    let days = i32::try_from(days).ok()?;
    Some(Ok(Interval { usec: if neg { -total } else { total }, days, months: 0 }))
}

/// `[-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` with at least one component
fn parse_iso(s: &str, rounding: Rounding) -> Option<Result<Interval, ConvertError>> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let body = body.strip_prefix('P')?;
    let (date, time) = match body.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (body, None),
    };
    let mut iv = Interval::default();
    let mut any = false;
    for (n, unit) in components(date)? {
        let n = i32::try_from(parse_int(n)?).ok()?;
        match unit {
            'Y' => iv.months = iv.months.checked_add(n.checked_mul(12)?)?,
            'M' => iv.months = iv.months.checked_add(n)?,
            'W' => iv.days = iv.days.checked_add(n.checked_mul(7)?)?,
            'D' => iv.days = iv.days.checked_add(n)?,
            _ => return None,
        }
        any = true;
    }
    for (n, unit) in components(time.unwrap_or(""))? {
        let per = match unit {
            'H' => 3600 * USEC_PER_SEC,
            'M' => 60 * USEC_PER_SEC,
            'S' => USEC_PER_SEC,
            _ => return None,
        };
        let (whole, frac) = match n.split_once('.') {
            Some((w, f)) if unit == 'S' => (w, f),
            Some(_) => return None,
            None => (n, ""),
        };
        let frac = match fraction_usec(frac, n.contains('.'), rounding)? {
            Ok(f) => f,
            Err(e) => return Some(Err(e)),
        };
        let whole = parse_int(whole)?.checked_mul(per)?;
        let part = if n.starts_with('-') { whole - frac } else { whole + frac };
        iv.usec = iv.usec.checked_add(part)?;
        any = true;
    }
    if !any {
        return None;
    }
    if neg {
        iv = Interval { usec: iv.usec.checked_neg()?, days: iv.days.checked_neg()?, months: iv.months.checked_neg()? };
    }
    Some(Ok(iv))
}

/// Split "1Y2M10D" into [("1", 'Y'), ("2", 'M'), ("10", 'D')].
fn components(s: &str) -> Option<Vec<(&str, char)>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c.is_ascii_uppercase() {
            let n = &s[start..i];
            if n.is_empty() {
                return None;
            }
            out.push((n, c));
            start = i + 1;
        }
    }
    (start == s.len()).then_some(out)
}

/// `[+-]digits` as i64
fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_uint(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Microseconds of a fraction of a second; digits beyond the sixth must be zero, unless rounded
/// (which can carry to 1_000_000).
fn fraction_usec(frac: &str, had_point: bool, rounding: Rounding) -> Option<Result<i64, ConvertError>> {
    if had_point && frac.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let significant = frac.bytes().rposition(|c| c != b'0').map_or(0, |p| p + 1);
    if significant > 6 && rounding == Rounding::Nearest {
        return Some(Ok(round::fraction(frac.as_bytes(), 6, false)));
    }
    if significant > 6 {
        let digits = u64::try_from(significant).ok()?;
        return Some(Err(ConvertError::Scale { digits, target: "interval".into(), keep: 6 }));
    }
    let usec = frac.bytes().chain(std::iter::repeat(b'0')).take(6).fold(0, |acc, d| acc * 10 + i64::from(d - b'0'));
    Some(Ok(usec))
}

#[cfg(test)]
#[path = "interval_tests.rs"]
mod tests;
