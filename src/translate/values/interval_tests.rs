//! tests of interval parsing: microseconds and other units, timedelta, .NET and ISO 8601 text, rounding

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
    assert_eq!(iv(ValueRef::Integer(i64::MAX)).map(|r| r.1), Ok(106_751_991));
    assert_eq!(iv(ValueRef::Integer(i64::MIN)).map(|r| r.1), Ok(-106_751_992));
    assert!(matches!(iv(ValueRef::Real(1.0)), Err(ConvertError::Class { .. })));
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
    for bad in
        ["", "1:2:3", "01:02", "01:60:00", "01:02:03.", "1 days 01:02:03", "x day, 1:00:00", "01:02:03:04", "1 hour"]
    {
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
    assert_eq!(
        t("-00:00:00.0000001").map(|_| ()).unwrap_err().to_string(),
        "has 7 fractional digits, interval keeps 6"
    );
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
    for bad in ["P", "PT", "P1", "P1H", "PT1D", "PT1.5H", "P1DT", "p1d", "PT1S2"] {
        assert_eq!(t(bad), Err(BAD_INTERVAL), "{bad:?}");
    }
}
