//! tests of date and time parsing, epochs and their binary values

use super::*;

const TS: PgType = PgType::Timestamp { precision: None };
const TSTZ: PgType = PgType::Timestamptz { precision: None };

fn enc(ty: &PgType, fmt: ColumnFormat, v: ValueRef<'_>) -> Result<i64, ConvertError> {
    enc_r(ty, fmt, Rounding::Refuse, v)
}

fn enc_r(ty: &PgType, fmt: ColumnFormat, rounding: Rounding, v: ValueRef<'_>) -> Result<i64, ConvertError> {
    let mut out = BytesMut::new();
    encode(ty, fmt, rounding, v, &mut out)?;
    Ok(match out.len() {
        4 => i64::from(i32::from_be_bytes(out[..].try_into().unwrap())),
        8 => i64::from_be_bytes(out[..].try_into().unwrap()),
        n => panic!("unexpected length {n}"),
    })
}

fn ts(s: &str) -> Result<i64, ConvertError> {
    enc(&TS, ColumnFormat::Auto, ValueRef::Text(s.as_bytes()))
}

/// 2024-01-02 03:04:05 UTC in microseconds since 2000-01-01
const T0: i64 = 757_479_845_000_000;

#[test]
fn dates() {
    let d = |s: &str| enc(&PgType::Date, ColumnFormat::Auto, ValueRef::Text(s.as_bytes()));
    assert_eq!(d("2000-01-02"), Ok(1));
    assert_eq!(d("2000-01-01"), Ok(0));
    assert_eq!(d("1999-12-31"), Ok(-1));
    assert_eq!(d("0001-01-01"), Ok(-730_119));
    assert_eq!(d("2024-02-29"), Ok(8825));
    assert_eq!(d("2024-02-29 00:00:00"), Ok(8825));
    assert_eq!(d("2024-02-29T00:00:00.000"), Ok(8825));
    assert_eq!(d("2023-02-29"), Err(BAD_DATE));
    assert_eq!(d("2024-1-1"), Err(BAD_DATE));
    assert_eq!(d("0000-01-01"), Err(BAD_DATE));
    assert_eq!(d("2024-01-01 10:00:00"), Err(ConvertError::Invalid("a date must be exactly midnight")));
    assert!(d("2024-01-01 00:00:00Z").is_err());
    assert!(d("2024-01-01 00:00:00.5").is_err());
    // epoch milliseconds at midnight UTC
    let day = |v| enc(&PgType::Date, ColumnFormat::Auto, ValueRef::Integer(v));
    assert_eq!(day(1_704_067_200_000), Ok(8766));
    assert!(day(1_704_067_200_001).is_err());
    assert!(enc(&PgType::Date, ColumnFormat::Auto, ValueRef::Blob(b"2024-01-01")).is_err());
}

#[test]
fn timestamps_from_text() {
    assert_eq!(ts("2000-01-01 00:00:00"), Ok(0));
    assert_eq!(ts("2000-01-01"), Ok(0));
    assert_eq!(ts("2024-01-02 03:04:05"), Ok(T0));
    assert_eq!(ts("2024-01-02T03:04:05"), Ok(T0));
    assert_eq!(ts("2024-01-02 03:04"), Ok(T0 - 5_000_000));
    assert_eq!(ts("2024-01-02 03:04:05.123456"), Ok(T0 + 123_456));
    assert_eq!(ts("2024-01-02 03:04:05.5"), Ok(T0 + 500_000));
    assert_eq!(ts("2024-01-02 03:04:05.123456000"), Ok(T0 + 123_456));
    assert_eq!(ts("1999-12-31 23:59:59.999999"), Ok(-1));
    assert_eq!(ts("0001-01-01 00:00:00"), Ok(-730_119 * USEC_PER_DAY));
    for bad in [
        "",
        "2024",
        "2024-01-02 3:04:05",
        "2024-01-02 03:04:05.",
        "2024-01-02 25:00:00",
        "2024-01-02 03:60:00",
        "2024-01-02 03:04:60",
        "2024-01-02  03:04:05",
        "2024-01-02 03:04:05 UTC",
        "2024-01-02 03:04:05+1",
        "2024-01-02 03:04:05+16:00",
        "now",
        "2024-01-02 24:00:00",
    ] {
        assert_eq!(ts(bad), Err(BAD_TIMESTAMP), "{bad:?}");
    }
}

#[test]
fn offsets_convert_to_utc() {
    assert_eq!(ts("2024-01-02T03:04:05Z"), Ok(T0));
    assert_eq!(ts("2024-01-02T03:04:05.000Z"), Ok(T0));
    assert_eq!(ts("2024-01-02T03:04:05.000+00:00"), Ok(T0));
    assert_eq!(ts("2024-01-02 05:04:05+02:00"), Ok(T0));
    assert_eq!(ts("2024-01-02 05:04:05+0200"), Ok(T0));
    assert_eq!(ts("2024-01-02 05:04:05+02"), Ok(T0));
    assert_eq!(ts("2024-01-01 21:34:05-05:30"), Ok(T0));
    assert_eq!(ts("2024-01-02 05:04:05 +02:00"), Ok(T0));
    let tz = enc(&TSTZ, ColumnFormat::Auto, ValueRef::Text(b"2024-01-02 05:04:05+02:00"));
    assert_eq!(tz, Ok(T0));
    let naive = enc(&TSTZ, ColumnFormat::Auto, ValueRef::Text(b"2024-01-02 03:04:05"));
    assert_eq!(naive, Ok(T0), "naive values are utc");
    let p = parse_timestamp(&TS, b"2024-01-02 05:04:05-01:30", None, Rounding::Refuse).unwrap();
    assert_eq!(p.offset_secs, Some(-5400));
    assert_eq!(parse_timestamp(&TS, b"2024-01-02", None, Rounding::Refuse).unwrap().offset_secs, None);
}

#[test]
fn fraction_beyond_precision_is_an_error() {
    let ts3 = PgType::Timestamp { precision: Some(3) };
    let t = |s: &str| enc(&ts3, ColumnFormat::Auto, ValueRef::Text(s.as_bytes()));
    assert_eq!(t("2024-01-02 03:04:05.123"), Ok(T0 + 123_000));
    assert_eq!(t("2024-01-02 03:04:05.123000"), Ok(T0 + 123_000));
    assert_eq!(
        t("2024-01-02 03:04:05.1234").unwrap_err().to_string(),
        "has 4 fractional digits, timestamp(3) without time zone keeps 3"
    );
    assert!(ts("2024-01-02 03:04:05.1234567").is_err());
    // epoch milliseconds into timestamp(0)
    let ts0 = PgType::Timestamp { precision: Some(0) };
    assert!(enc(&ts0, ColumnFormat::Auto, ValueRef::Integer(1_704_164_645_001)).is_err());
    assert_eq!(enc(&ts0, ColumnFormat::Auto, ValueRef::Integer(1_704_164_645_000)), Ok(T0));
}

#[test]
fn epochs() {
    let e = |fmt, v| enc(&TS, fmt, v);
    use ColumnFormat::*;
    assert_eq!(e(Auto, ValueRef::Integer(1_704_164_645)), Ok(T0));
    assert_eq!(e(Auto, ValueRef::Integer(1_704_164_645_123)), Ok(T0 + 123_000));
    assert_eq!(e(Auto, ValueRef::Integer(0)), Ok(-PG_EPOCH_UNIX_USEC));
    // GORM's autoCreateTime:nano
    assert_eq!(e(EpochNanos, ValueRef::Integer(1_704_164_645_123_456_000)), Ok(T0 + 123_456));
    assert_eq!(
        e(EpochNanos, ValueRef::Integer(1_704_164_645_123_456_789)).unwrap_err().to_string(),
        "has 9 fractional digits, timestamp without time zone keeps 6"
    );
    assert_eq!(e(EpochNanos, ValueRef::Integer(-1000)), Ok(-PG_EPOCH_UNIX_USEC - 1));
    assert!(e(EpochNanos, ValueRef::Real(1e18)).is_err());
    assert!(e(EpochNanos, ValueRef::Text(b"2024-01-02")).is_ok());
    assert_eq!(e(Auto, ValueRef::Integer(-1)), Ok(-PG_EPOCH_UNIX_USEC - USEC_PER_SEC));
    assert_eq!(e(Auto, ValueRef::Integer(99_999_999_999)), Ok(99_999_999_999 * USEC_PER_SEC - PG_EPOCH_UNIX_USEC));
    assert_eq!(e(Auto, ValueRef::Integer(100_000_000_000)), Ok(100_000_000_000_000 - PG_EPOCH_UNIX_USEC));
    assert!(e(Auto, ValueRef::Integer(100_000_000_000_000)).is_err());
    assert!(e(Auto, ValueRef::Integer(i64::MAX)).is_err());
    assert!(e(Auto, ValueRef::Integer(i64::MIN)).is_err());
    assert_eq!(e(Auto, ValueRef::Real(1_704_164_645.5)), Ok(T0 + 500_000));
    assert_eq!(e(Auto, ValueRef::Real(1_704_164_645.123_456_7)), Ok(T0 + 123_457));
    assert_eq!(e(Auto, ValueRef::Real(1_704_164_645_123.0)), Ok(T0 + 123_000));
    assert!(e(Auto, ValueRef::Real(f64::INFINITY)).is_err());
    assert!(e(Auto, ValueRef::Real(1e100)).is_err());
    assert_eq!(e(EpochSeconds, ValueRef::Integer(1_704_164_645)), Ok(T0));
    assert_eq!(e(EpochMillis, ValueRef::Integer(1_704_164_645_000)), Ok(T0));
    assert_eq!(e(EpochMillis, ValueRef::Integer(0)), Ok(-PG_EPOCH_UNIX_USEC));
    assert_eq!(e(EpochMicros, ValueRef::Integer(1_704_164_645_000_000)), Ok(T0));
    assert_eq!(e(EpochSeconds, ValueRef::Integer(1_704_164_645_000)).map(|_| ()), Ok(()), "year 55970 is in range");
    assert!(e(EpochSeconds, ValueRef::Integer(1_704_164_645_000_000)).is_err(), "beyond 294276 AD");
    assert!(e(EpochMicros, ValueRef::Integer(i64::MIN)).is_err());
    assert!(e(Iso, ValueRef::Integer(1_704_164_645)).is_err());
    assert_eq!(e(Iso, ValueRef::Text(b"2024-01-02 03:04:05")), Ok(T0));
    assert_eq!(e(EpochMillis, ValueRef::Text(b"2024-01-02 03:04:05")), Ok(T0));
    assert!(matches!(e(Auto, ValueRef::Blob(b"x")), Err(ConvertError::Class { .. })));
}

#[test]
fn times() {
    let t = |p, s: &str| enc(&PgType::Time { precision: p }, ColumnFormat::Auto, ValueRef::Text(s.as_bytes()));
    assert_eq!(t(None, "00:00"), Ok(0));
    assert_eq!(t(None, "03:04:05"), Ok(11_045_000_000));
    assert_eq!(t(None, "03:04:05.25"), Ok(11_045_250_000));
    assert_eq!(t(None, "23:59:59.999999"), Ok(USEC_PER_DAY - 1));
    assert_eq!(t(None, "24:00:00"), Ok(USEC_PER_DAY));
    assert!(t(None, "24:00:01").is_err());
    assert!(t(Some(0), "03:04:05.5").is_err());
    assert_eq!(t(Some(0), "03:04:05.000"), Ok(11_045_000_000));
    assert!(t(None, "03:04:05Z").is_err());
    assert!(t(None, "3:04").is_err());
    // ActiveRecord's dummy date
    assert_eq!(t(None, "2000-01-01 03:04:05.25"), Ok(11_045_250_000));
    assert_eq!(t(None, "2000-01-01T03:04:05"), Ok(11_045_000_000));
    assert_eq!(
        t(None, "2000-01-02 03:04:05"),
        Err(ConvertError::Invalid("a time can carry no date but the dummy 2000-01-01"))
    );
    assert_eq!(t(None, "2000-01-01"), Err(BAD_TIME));
    assert_eq!(t(None, "2000-01-01 03:04:05+00:00"), Err(BAD_TIME));
    assert_eq!(t(None, "2000-13-01 03:04:05"), Err(BAD_TIME));
    assert!(t(Some(3), "2000-01-01 03:04:05.1234").is_err());
    assert!(enc(&PgType::Time { precision: None }, ColumnFormat::Auto, ValueRef::Integer(5)).is_err());
}

#[test]
fn go_time_string() {
    // modernc.org/sqlite (glebarez/sqlite under GORM) writes time.Time.String()
    assert_eq!(ts("2024-01-02 05:04:05 +0200 CEST"), Ok(T0));
    assert_eq!(ts("2024-01-02 03:04:05.25 +0000 UTC"), Ok(T0 + 250_000));
    assert_eq!(ts("2024-01-02 06:04:05 +0300 +03"), Ok(T0));
    assert_eq!(ts("2024-01-02 03:04:05 +0000 UTC m=+0.000012345"), Ok(T0));
    assert_eq!(ts("2024-01-02 03:04:05 -0000 UTC m=-1.5"), Ok(T0));
    assert!(ts("2024-01-02 03:04:05.123456789 +0000 UTC").is_err(), "nanoseconds still refused");
    for bad in [
        "2024-01-02 03:04:05 UTC",
        "2024-01-02 03:04:05 +0000 ",
        "2024-01-02 03:04:05 +0000 UTC m=",
        "2024-01-02 03:04:05 +0000 UTC m=0.1",
        "2024-01-02 03:04:05 +0000 UTC x",
        "2024-01-02 03:04:05 +0000 U.C",
    ] {
        assert!(ts(bad).is_err(), "{bad}");
    }
}

#[test]
fn rounding_to_the_column() {
    let r = |ty: &PgType, fmt, v| enc_r(ty, fmt, Rounding::Nearest, v);
    let t = |s: &'static str| ValueRef::Text(s.as_bytes());
    let tstz = |p| PgType::Timestamptz { precision: p };
    // GORM: nanoseconds and an offset
    assert_eq!(r(&tstz(None), ColumnFormat::Auto, t("2024-01-02 05:04:05.123456789+02:00")), Ok(T0 + 123_457));
    assert_eq!(r(&tstz(None), ColumnFormat::Auto, t("2024-01-02 03:04:05.1234565")), Ok(T0 + 123_456));
    assert_eq!(r(&tstz(None), ColumnFormat::Auto, t("2024-01-02 03:04:04.9999995")), Ok(T0));
    assert_eq!(r(&tstz(Some(0)), ColumnFormat::Auto, t("2024-01-02 03:04:04.5")), Ok(T0 - USEC_PER_SEC), "tie to even");
    assert_eq!(r(&tstz(Some(0)), ColumnFormat::Auto, t("2024-01-02 03:04:05.5")), Ok(T0 + USEC_PER_SEC), "tie to even");
    assert_eq!(r(&tstz(Some(3)), ColumnFormat::Auto, ValueRef::Integer(1_704_164_645_123)), Ok(T0 + 123_000));
    assert_eq!(r(&tstz(Some(0)), ColumnFormat::Auto, ValueRef::Real(1_704_164_645.6)), Ok(T0 + USEC_PER_SEC));
    assert_eq!(r(&tstz(None), ColumnFormat::EpochNanos, ValueRef::Integer(1_704_164_645_000_000_500)), Ok(T0));
    assert_eq!(r(&tstz(None), ColumnFormat::EpochNanos, ValueRef::Integer(1_704_164_645_000_001_500)), Ok(T0 + 2));
    // exact values are unchanged, malformed ones still refused
    assert_eq!(r(&TS, ColumnFormat::Auto, t("2024-01-02 03:04:05.25")), Ok(T0 + 250_000));
    assert!(r(&TS, ColumnFormat::Auto, t("2024-01-02 03:04:05.")).is_err());
    let time = PgType::Time { precision: None };
    assert_eq!(r(&time, ColumnFormat::Auto, t("23:59:59.9999999")), Ok(USEC_PER_DAY));
    assert_eq!(r(&time, ColumnFormat::Auto, t("00:00:00.0000004")), Ok(0));
    assert_eq!(
        r(&PgType::Time { precision: Some(0) }, ColumnFormat::Auto, t("2000-01-01 00:00:01.5")),
        Ok(2 * USEC_PER_SEC)
    );
    // dates never round
    assert!(r(&PgType::Date, ColumnFormat::Auto, t("2024-01-02 00:00:00.0000001")).is_err());
}

/// Found by fuzzing (fuzz/fuzz_targets/convert_value.rs): an epoch_s/epoch_ms date before
/// 4713-11-24 BC was accepted, and `date_recv` would refuse it in the middle of the COPY.
#[test]
fn fuzz_epoch_date_outside_postgres_range_is_an_error() {
    let day = |fmt, v| enc(&PgType::Date, fmt, ValueRef::Integer(v));
    let range = Err(ConvertError::Range { what: "value", target: "date".into() });
    assert_eq!(day(ColumnFormat::EpochSeconds, -3_000_000 * 86_400), range);
    assert_eq!(day(ColumnFormat::EpochMillis, -3_000_000 * 86_400_000), range);
    // julian day 0 (4713-11-24 BC) is the first date postgresql takes
    let first = (-2_451_545 + 10_957) * 86_400;
    assert_eq!(day(ColumnFormat::EpochSeconds, first), Ok(-2_451_545));
    assert_eq!(day(ColumnFormat::EpochSeconds, first - 86_400), range);
    // timestamps keep their own (same) lower bound
    assert!(enc(&TS, ColumnFormat::EpochSeconds, ValueRef::Integer(first - 86_400)).is_err());
}
