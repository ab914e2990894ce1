//! interval from microseconds (Django's DurationField), timedelta, .NET TimeSpan or ISO 8601 text, or a
//! datetime counted from 1970-01-01 (SQLAlchemy's Interval)

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;

use super::datetime::{nanos_to_usec, parse_timestamp, PG_EPOCH_UNIX_USEC};
use super::round::{self, Rounding};
use super::error::{checked_str, class_error, range_error, ConvertError};
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
                ColumnFormat::Iso => {
                    return Err(ConvertError::Invalid(
                        "numbers are not accepted in an iso column",
                    ))
                }
            };
            timedelta(ty, us.ok_or(range_error("integer", ty))?)?
        }
        ValueRef::Text(b) if b.get(4) == Some(&b'-') => {
            let ts = parse_timestamp(ty, b, None, rounding).map_err(|e| match e {
                ConvertError::Invalid(_) => BAD_INTERVAL,
                e => e,
            })?;
            if ts.offset_secs.is_some() {
                return Err(ConvertError::Invalid(
                    "an interval stored as a datetime cannot carry an offset",
                ));
            }
            let us = ts
                .local_usec
                .checked_add(PG_EPOCH_UNIX_USEC)
                .ok_or(range_error("text", ty))?;
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
    let total = h
        .checked_mul(3600)?
        .checked_add(m * 60 + sec)?
        .checked_mul(USEC_PER_SEC)?
        .checked_add(usec)?;
    let days = i32::try_from(days).ok()?;
    Some(Ok(Interval {
        usec: if neg { -total } else { total },
        days,
        months: 0,
    }))
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
        let part = if n.starts_with('-') {
            whole - frac
        } else {
            whole + frac
        };
        iv.usec = iv.usec.checked_add(part)?;
        any = true;
    }
    if !any {
        return None;
    }
    if neg {
        iv = Interval {
            usec: iv.usec.checked_neg()?,
            days: iv.days.checked_neg()?,
            months: iv.months.checked_neg()?,
        };
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
fn fraction_usec(
    frac: &str,
    had_point: bool,
    rounding: Rounding,
) -> Option<Result<i64, ConvertError>> {
    if had_point && frac.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let significant = frac.bytes().rposition(|c| c != b'0').map_or(0, |p| p + 1);
    if significant > 6 && rounding == Rounding::Nearest {
        return Some(Ok(round::fraction(frac.as_bytes(), 6, false)));
    }
    if significant > 6 {
        let digits = u64::try_from(significant).ok()?;
        return Some(Err(ConvertError::Scale {
            digits,
            target: "interval".into(),
            keep: 6,
        }));
    }
    let usec = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(6)
        .fold(0, |acc, d| acc * 10 + i64::from(d - b'0'));
    Some(Ok(usec))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(v: ValueRef<'_>) -> Result<(i64, i32, i32), ConvertError> {
        iv_fmt(ColumnFormat::Auto, v)
    }

    fn iv_fmt(fmt: ColumnFormat, v: ValueRef<'_>) -> Result<(i64, i32, i32), ConvertError> {
        let mut out = BytesMut::new();
        encode(&PgType::Interval, fmt, Rounding::Refuse, v, &mut out)?;
        assert_eq!(out.len(), 16);
        Ok((
            i64::from_be_bytes(out[..8].try_into().unwrap()),
            i32::from_be_bytes(out[8..12].try_into().unwrap()),
            i32::from_be_bytes(out[12..].try_into().unwrap()),
        ))
    }

    fn t(s: &str) -> Result<(i64, i32, i32), ConvertError> {
        iv(ValueRef::Text(s.as_bytes()))
    }

    #[test]
    fn django_microseconds_like_python_timedelta() {
        assert_eq!(iv(ValueRef::Integer(0)), Ok((0, 0, 0)));
        assert_eq!(iv(ValueRef::Integer(1_500_000)), Ok((1_500_000, 0, 0)));
        assert_eq!(iv(ValueRef::Integer(USEC_PER_DAY + 1)), Ok((1, 1, 0)));
        // timedelta(microseconds=-1) == timedelta(days=-1, seconds=86399, microseconds=999999)
        assert_eq!(iv(ValueRef::Integer(-1)), Ok((USEC_PER_DAY - 1, -1, 0)));
        assert_eq!(
            iv(ValueRef::Integer(i64::MAX)).map(|r| r.1),
            Ok(106_751_991)
        );
        assert_eq!(
            iv(ValueRef::Integer(i64::MIN)).map(|r| r.1),
            Ok(-106_751_992)
        );
        assert!(matches!(
            iv(ValueRef::Real(1.0)),
            Err(ConvertError::Class { .. })
        ));
    }

    #[test]
    fn python_timedelta_text() {
        assert_eq!(t("0:00:00"), Ok((0, 0, 0)));
        assert_eq!(t("01:02:03"), Ok((3_723_000_000, 0, 0)));
        assert_eq!(t("1:02:03.5"), Ok((3_723_500_000, 0, 0)));
        assert_eq!(t("100:00:00"), Ok((360_000_000_000, 0, 0)));
        assert_eq!(t("-01:00:00"), Ok((-3_600_000_000, 0, 0)));
        assert_eq!(t("1 day, 0:00:00"), Ok((0, 1, 0)));
        assert_eq!(t("3 days, 4:05:06.000007"), Ok((14_706_000_007, 3, 0)));
        assert_eq!(t("-1 day, 23:59:59.999999"), Ok((USEC_PER_DAY - 1, -1, 0)));
        assert_eq!(t("-2 days, 0:00:00"), Ok((0, -2, 0)));
        assert!(t("01:02:03.1234567").is_err());
        assert_eq!(t("01:02:03.1234560"), Ok((3_723_123_456, 0, 0)));
        for bad in [
            "",
            "1:2:3",
            "01:02",
            "01:60:00",
            "01:02:03.",
            "1 days 01:02:03",
            "x day, 1:00:00",
            "01:02:03:04",
            "1 hour",
        ] {
            assert_eq!(t(bad), Err(BAD_INTERVAL), "{bad:?}");
        }
    }

    #[test]
    fn rounding_fractions_and_nanoseconds() {
        let r = |fmt, v| {
            let mut out = BytesMut::new();
            encode(&PgType::Interval, fmt, Rounding::Nearest, v, &mut out).map(|()| {
                (i64::from_be_bytes(out[..8].try_into().unwrap()), i32::from_be_bytes(out[8..12].try_into().unwrap()))
            })
        };
        let t = |s: &'static str| ValueRef::Text(s.as_bytes());
        assert_eq!(r(ColumnFormat::Auto, t("1.02:03:04.1234567")), Ok((7_384_123_457, 1)));
        assert_eq!(r(ColumnFormat::Auto, t("00:00:00.9999999")), Ok((1_000_000, 0)));
        assert_eq!(r(ColumnFormat::Auto, t("PT0.0000005S")), Ok((0, 0)), "tie to even");
        assert_eq!(r(ColumnFormat::Auto, t("1970-01-01 00:00:00.0000015")), Ok((2, 0)));
        assert_eq!(r(ColumnFormat::EpochNanos, ValueRef::Integer(1_500)), Ok((2, 0)));
        assert_eq!(r(ColumnFormat::EpochNanos, ValueRef::Integer(-1_500)), Ok((USEC_PER_DAY - 2, -1)));
    }

    #[test]
    fn integer_units() {
        let i = ValueRef::Integer;
        assert_eq!(iv_fmt(ColumnFormat::EpochNanos, i(86_400_000_001_000)), Ok((1, 1, 0)));
        assert_eq!(iv_fmt(ColumnFormat::EpochNanos, i(-1000)), Ok((USEC_PER_DAY - 1, -1, 0)));
        assert_eq!(
            iv_fmt(ColumnFormat::EpochNanos, i(1)).unwrap_err().to_string(),
            "has 9 fractional digits, interval keeps 6"
        );
        assert_eq!(
            iv_fmt(ColumnFormat::EpochNanos, i(100)).unwrap_err().to_string(),
            "has 7 fractional digits, interval keeps 6"
        );
        assert!(iv_fmt(ColumnFormat::EpochNanos, ValueRef::Real(1000.0)).is_err());
        assert_eq!(iv_fmt(ColumnFormat::EpochMillis, i(1500)), Ok((1_500_000, 0, 0)));
        assert_eq!(iv_fmt(ColumnFormat::EpochSeconds, i(-1)), Ok((USEC_PER_DAY - USEC_PER_SEC, -1, 0)));
        assert_eq!(iv_fmt(ColumnFormat::EpochMicros, i(7)), Ok((7, 0, 0)));
        assert!(iv_fmt(ColumnFormat::EpochSeconds, i(i64::MAX)).is_err());
        assert!(iv_fmt(ColumnFormat::Iso, i(1)).is_err());
        assert_eq!(iv_fmt(ColumnFormat::Iso, ValueRef::Text(b"01:00:00")), Ok((3_600_000_000, 0, 0)));
    }

    #[test]
    fn dotnet_timespan_text() {
        assert_eq!(t("1.02:03:04"), Ok((7_384_000_000, 1, 0)));
        assert_eq!(t("1.02:03:04.5000000"), Ok((7_384_500_000, 1, 0)));
        assert_eq!(t("-1.02:03:04.5"), Ok((-7_384_500_000, -1, 0)));
        assert!(t("10675199.02:48:05.4775807").is_err());
        assert_eq!(t("-00:00:00.0000001").map(|_| ()).unwrap_err().to_string(), "has 7 fractional digits, interval keeps 6");
        for bad in ["1 day, 1.02:03:04", ".02:03:04", "1.:02:03", "x.02:03:04", "1.02.03:04:05"] {
            assert_eq!(t(bad), Err(BAD_INTERVAL), "{bad:?}");
        }
    }

    #[test]
    fn sqlalchemy_datetime_since_1970() {
        assert_eq!(t("1970-01-01 00:00:00"), Ok((0, 0, 0)));
        assert_eq!(t("1970-01-02 00:00:05.000000"), Ok((5_000_000, 1, 0)));
        assert_eq!(t("1969-12-31 23:59:59.999999"), Ok((USEC_PER_DAY - 1, -1, 0)));
        assert_eq!(t("1970-01-01 00:00:00.0000001").unwrap_err().to_string(), "has 7 fractional digits, interval keeps 6");
        assert!(t("1970-01-01 00:00:00+00:00").is_err());
        assert_eq!(t("1970-13-01 00:00:00"), Err(BAD_INTERVAL));
        assert_eq!(t("9999-12-31 00:00:00").map(|r| r.1), Ok(2_932_896));
    }

    #[test]
    fn iso_8601() {
        assert_eq!(t("P1D"), Ok((0, 1, 0)));
        assert_eq!(t("PT1H2M3S"), Ok((3_723_000_000, 0, 0)));
        assert_eq!(t("P3DT04H05M06.000007S"), Ok((14_706_000_007, 3, 0)));
        assert_eq!(t("-P1DT00H00M00.000001S"), Ok((-1, -1, 0)));
        assert_eq!(t("P1Y2M3W4D"), Ok((0, 25, 14)));
        assert_eq!(t("PT0.5S"), Ok((500_000, 0, 0)));
        assert_eq!(t("PT-1S"), Ok((-1_000_000, 0, 0)));
        assert_eq!(t("PT-0.5S"), Ok((-500_000, 0, 0)));
        for bad in [
            "P", "PT", "P1", "P1H", "PT1D", "PT1.5H", "P1DT", "p1d", "PT1S2",
        ] {
            assert_eq!(t(bad), Err(BAD_INTERVAL), "{bad:?}");
        }
    }
}
