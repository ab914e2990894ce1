//! date, time, timestamp and timestamptz from ISO 8601 text or Unix epoch numbers

use bytes::{BufMut, BytesMut};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::ValueRef;

use super::error::{class_error, range_error, ConvertError};
use super::round::{self, Rounding};
use super::{ColumnFormat, PgType};

const USEC_PER_SEC: i64 = 1_000_000;
const USEC_PER_DAY: i64 = 86_400 * USEC_PER_SEC;
/// 2000-01-01 (PostgreSQL's epoch) counted from 0001-01-01 (chrono's day 1)
const PG_EPOCH_DAYS_FROM_CE: i64 = 730_120;
/// 2000-01-01 00:00:00 UTC in Unix microseconds
pub(super) const PG_EPOCH_UNIX_USEC: i64 = 946_684_800 * USEC_PER_SEC;
/// PostgreSQL's timestamp range: 4713-11-24 BC 00:00 up to (not including) 294277-01-01
const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;
/// PostgreSQL's date range in days from 2000-01-01: 4713-11-24 BC up to (not including) 5874898-01-01
const MIN_DATE: i32 = -2_451_545;
const END_DATE: i32 = 2_145_031_949;

const BAD_TIMESTAMP: ConvertError = ConvertError::Invalid("not a recognised timestamp");
const BAD_DATE: ConvertError = ConvertError::Invalid("not a recognised date");
const BAD_TIME: ConvertError = ConvertError::Invalid("not a recognised time");

/// A parsed timestamp text: microseconds since 2000-01-01 in its own clock, and its offset.
#[derive(Debug, PartialEq)]
pub(super) struct ParsedTimestamp {
    pub(super) local_usec: i64,
    pub(super) offset_secs: Option<i32>,
}

impl ParsedTimestamp {
    fn utc_usec(&self) -> i64 {
        self.local_usec - i64::from(self.offset_secs.unwrap_or(0)) * USEC_PER_SEC
    }
}

pub(super) fn encode(
    ty: &PgType,
    fmt: ColumnFormat,
    rounding: Rounding,
    v: ValueRef<'_>,
    out: &mut BytesMut,
) -> Result<(), ConvertError> {
    match ty {
        PgType::Time { precision } => {
            let ValueRef::Text(b) = v else {
                return Err(class_error(&v, ty));
            };
            let mut c = Cursor { s: b, i: 0, rounding };
            c.dummy_date()?;
            let usec = c.time(ty, *precision, true).ok_or(BAD_TIME)??;
            if !c.done() {
                return Err(BAD_TIME);
            }
            out.put_i64(usec);
        }
        PgType::Date => {
            let usec = match v {
                ValueRef::Text(b) => {
                    let ts = parse_timestamp(ty, b, None, Rounding::Refuse).map_err(|e| {
                        if e == BAD_TIMESTAMP {
                            BAD_DATE
                        } else {
                            e
                        }
                    })?;
                    if ts.offset_secs.is_some() {
                        return Err(ConvertError::Invalid("a date cannot carry a time zone offset"));
                    }
                    ts.local_usec
                }
                _ => epoch_usec(ty, fmt, Rounding::Refuse, v)?,
            };
            if usec.rem_euclid(USEC_PER_DAY) != 0 {
                return Err(ConvertError::Invalid("a date must be exactly midnight"));
            }
            let days = i32::try_from(usec.div_euclid(USEC_PER_DAY)).map_err(|_| range_error("value", ty))?;
            // an explicit epoch column reaches beyond what date_recv takes
            if !(MIN_DATE..END_DATE).contains(&days) {
                return Err(range_error("value", ty));
            }
            out.put_i32(days);
        }
        PgType::Timestamp { precision } | PgType::Timestamptz { precision } => {
            let keep = u64::from(precision.unwrap_or(6).min(6));
            let mut usec = match v {
                ValueRef::Text(b) => parse_timestamp(ty, b, *precision, rounding)?.utc_usec(),
                _ => epoch_usec(ty, fmt, rounding, v)?,
            };
            if rounding == Rounding::Nearest {
                usec = round::usec(usec, usize::from(precision.unwrap_or(6)));
            }
            if !(MIN_TIMESTAMP..END_TIMESTAMP).contains(&usec) {
                return Err(range_error("value", ty));
            }
            // an epoch number in milliseconds or with a fraction can be finer than the column
            let (mut sub, mut digits) = (usec.rem_euclid(USEC_PER_SEC), 6u64);
            if sub == 0 {
                digits = 0;
            }
            while sub != 0 && sub % 10 == 0 {
                sub /= 10;
                digits -= 1;
            }
            if digits > keep {
                return Err(ConvertError::Scale { digits, target: ty.sql(), keep });
            }
            out.put_i64(usec);
        }
        _ => return Err(class_error(&v, ty)),
    }
    Ok(())
}

/// Microseconds since 2000-01-01 UTC from an INTEGER or REAL Unix epoch.
fn epoch_usec(ty: &PgType, fmt: ColumnFormat, rounding: Rounding, v: ValueRef<'_>) -> Result<i64, ConvertError> {
    let magnitude = match v {
        // only compared with 1e11 and 1e14: rounding to f64 cannot change the outcome
        ValueRef::Integer(i) => i.unsigned_abs() as f64,
        ValueRef::Real(f) if f.is_finite() => f.abs(),
        ValueRef::Real(_) => return Err(range_error("real", ty)),
        _ => return Err(class_error(&v, ty)),
    };
    let per_unit: i64 = match fmt {
        ColumnFormat::EpochNanos => {
            return nanos_to_usec(ty, rounding, v)?.checked_sub(PG_EPOCH_UNIX_USEC).ok_or(range_error("value", ty))
        }
        ColumnFormat::Iso => return Err(ConvertError::Invalid("numbers are not accepted in an iso column")),
        ColumnFormat::EpochSeconds => USEC_PER_SEC,
        ColumnFormat::EpochMillis => 1000,
        ColumnFormat::EpochMicros => 1,
        ColumnFormat::Auto if magnitude < 1e11 => USEC_PER_SEC,
        ColumnFormat::Auto if magnitude < 1e14 => 1000,
        ColumnFormat::Auto => {
            return Err(ConvertError::Invalid("epoch number too large to tell seconds from milliseconds"))
        }
    };
    let unix = match v {
        ValueRef::Integer(i) => i.checked_mul(per_unit),
        ValueRef::Real(f) => {
            // per_unit is at most 10^6: exact in f64
            let us = (f * per_unit as f64).round();
            // every value strictly inside +-2^63 converts exactly once rounded
            (us.abs() < 9.2e18).then_some(us as i64)
        }
        _ => None,
    };
    unix.and_then(|u| u.checked_sub(PG_EPOCH_UNIX_USEC)).ok_or(range_error("value", ty))
}

/// An INTEGER count of nanoseconds as microseconds; a non-zero sub-microsecond part is refused
/// (or rounded), and so is a REAL (a double cannot hold nanoseconds since 1970 exactly).
pub(super) fn nanos_to_usec(ty: &PgType, rounding: Rounding, v: ValueRef<'_>) -> Result<i64, ConvertError> {
    let ValueRef::Integer(ns) = v else {
        return Err(match v {
            ValueRef::Real(_) => ConvertError::Invalid("nanoseconds must be an integer, not a real"),
            _ => class_error(&v, ty),
        });
    };
    let sub = ns.rem_euclid(1000);
    if rounding == Rounding::Nearest {
        return Ok(round::div_half_even(ns, 1000));
    }
    if sub != 0 {
        let digits = if sub % 100 == 0 {
            7
        } else if sub % 10 == 0 {
            8
        } else {
            9
        };
        return Err(ConvertError::Scale { digits, target: ty.sql(), keep: 6 });
    }
    Ok(ns.div_euclid(1000))
}

/// Parse `YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][ ][Z|±HH[:MM]|±HHMM]`, the offset optionally
/// followed by Go's ` ZONE[ m=±seconds]` (`Time.String()`, which modernc.org/sqlite writes). Fraction digits beyond
/// `precision` (default 6) must be zero, unless rounded.
pub(super) fn parse_timestamp(
    ty: &PgType,
    s: &[u8],
    precision: Option<u8>,
    rounding: Rounding,
) -> Result<ParsedTimestamp, ConvertError> {
    let mut c = Cursor { s, i: 0, rounding };
    let date = c.date().ok_or(BAD_TIMESTAMP)?;
    let days = i64::from(date.num_days_from_ce()) - PG_EPOCH_DAYS_FROM_CE;
    let mut time = 0;
    if c.eat(b' ') || c.eat(b'T') {
        time = c.time(ty, precision, false).ok_or(BAD_TIMESTAMP)??;
    }
    let offset_secs = if c.done() {
        None
    } else {
        c.eat(b' ');
        let offset = c.offset().ok_or(BAD_TIMESTAMP)?;
        c.go_zone().ok_or(BAD_TIMESTAMP)?;
        Some(offset)
    };
    if !c.done() {
        return Err(BAD_TIMESTAMP);
    }
    Ok(ParsedTimestamp { local_usec: days * USEC_PER_DAY + time, offset_secs })
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
    rounding: Rounding,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.i == self.s.len()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.s.get(self.i) == Some(&c);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// exactly `n` ASCII digits
    fn digits(&mut self, n: usize) -> Option<u32> {
        let part = self.s.get(self.i..self.i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }

    fn date(&mut self) -> Option<NaiveDate> {
        let y = self.digits(4)?;
        self.eat(b'-').then_some(())?;
        let m = self.digits(2)?;
        self.eat(b'-').then_some(())?;
        let d = self.digits(2)?;
        // PostgreSQL has no year 0 in ISO input
        if y == 0 {
            return None;
        }
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
    }

    /// ActiveRecord writes a `time` as a timestamp on the dummy date 2000-01-01: skip that date and
    /// its separator; any other date would be lost, so it is refused
    fn dummy_date(&mut self) -> Result<(), ConvertError> {
        if self.s.get(4) != Some(&b'-') {
            return Ok(());
        }
        let date = self.date().ok_or(BAD_TIME)?;
        if (date.year(), date.month(), date.day()) != (2000, 1, 1) {
            return Err(ConvertError::Invalid("a time can carry no date but the dummy 2000-01-01"));
        }
        if !(self.eat(b' ') || self.eat(b'T')) {
            return Err(BAD_TIME);
        }
        Ok(())
    }

    /// `HH:MM[:SS[.fraction]]` as microseconds; `None` when malformed, `Some(Err)` when the
    /// fraction has more non-zero digits than `precision` keeps (unless rounding)
    fn time(&mut self, ty: &PgType, precision: Option<u8>, allow_24: bool) -> Option<Result<i64, ConvertError>> {
        let h = self.digits(2)?;
        self.eat(b':').then_some(())?;
        let m = self.digits(2)?;
        let mut sec = 0;
        let mut usec: i64 = 0;
        let mut significant = 0usize;
        let mut frac: &[u8] = b"";
        if self.eat(b':') {
            sec = self.digits(2)?;
            if self.eat(b'.') {
                let start = self.i;
                while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                frac = &self.s[start..self.i];
                if frac.is_empty() {
                    return None;
                }
                significant = frac.iter().rposition(|&d| d != b'0').map_or(0, |p| p + 1);
                for k in 0..6 {
                    usec = usec * 10 + i64::from(frac.get(k).map_or(0, |d| d - b'0'));
                }
            }
        }
        if m > 59
            || sec > 59
            || h > 24
            || (h == 24 && !(allow_24 && m == 0 && sec == 0 && usec == 0 && significant == 0))
        {
            return None;
        }
        let keep = usize::from(precision.unwrap_or(6).min(6));
        if significant > keep && self.rounding == Rounding::Nearest {
            usec = round::fraction(frac, keep, sec % 2 == 1);
        } else if significant > keep {
            let (digits, keep) = (u64::try_from(significant).ok()?, u64::try_from(keep).ok()?);
            return Some(Err(ConvertError::Scale { digits, target: ty.sql(), keep }));
        }
        Some(Ok((i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(sec)) * USEC_PER_SEC + usec))
    }

    /// After an offset, what Go's `Time.String()` adds: ` ZONE` (an abbreviation such as `UTC` or
    /// `CET`, or `+03` for zones without one; the numeric offset before it is what counts) and then
    /// possibly the monotonic clock reading ` m=±S.F`, which is not part of the time. `None` when
    /// something else follows.
    fn go_zone(&mut self) -> Option<()> {
        if self.done() {
            return Some(());
        }
        self.eat(b' ').then_some(())?;
        let start = self.i;
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-')) {
            self.i += 1;
        }
        (self.i > start).then_some(())?;
        if self.eat(b' ') {
            self.eat(b'm').then_some(())?;
            self.eat(b'=').then_some(())?;
            (self.eat(b'+') || self.eat(b'-')).then_some(())?;
            let digits = self.i;
            while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                self.i += 1;
            }
            (self.i > digits).then_some(())?;
        }
        Some(())
    }

    /// `Z`, `±HH`, `±HH:MM` or `±HHMM` as seconds east of UTC
    fn offset(&mut self) -> Option<i32> {
        if self.eat(b'Z') || self.eat(b'z') {
            return Some(0);
        }
        let sign = if self.eat(b'+') {
            1
        } else if self.eat(b'-') {
            -1
        } else {
            return None;
        };
        let h = self.digits(2)?;
        let m = if self.done() {
            0
        } else {
            self.eat(b':');
            self.digits(2)?
        };
        if h > 15 || m > 59 {
            return None;
        }
        Some(sign * i32::try_from(h * 3600 + m * 60).ok()?)
    }
}

#[cfg(test)]
#[path = "datetime_tests.rs"]
mod tests;
