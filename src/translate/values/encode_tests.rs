//! tests of the dispatch and of the scalar types encoded in encode.rs

use super::*;

fn enc(ty: &PgType, v: ValueRef<'_>) -> Result<Vec<u8>, ConvertError> {
    let mut out = BytesMut::new();
    encode(ty, ColumnFormat::Auto, v, &mut out)?;
    Ok(out.to_vec())
}

fn t(s: &str) -> ValueRef<'_> {
    ValueRef::Text(s.as_bytes())
}

#[test]
fn column_format_names() {
    assert_eq!("auto".parse(), Ok(ColumnFormat::Auto));
    assert_eq!("epoch_s".parse(), Ok(ColumnFormat::EpochSeconds));
    assert_eq!("EPOCH_MS".parse(), Ok(ColumnFormat::EpochMillis));
    assert_eq!("epoch_us".parse(), Ok(ColumnFormat::EpochMicros));
    assert_eq!("iso".parse(), Ok(ColumnFormat::Iso));
    assert!("seconds".parse::<ColumnFormat>().is_err());
    assert_eq!(ColumnFormat::default(), ColumnFormat::Auto);
}

#[test]
fn null_is_the_callers_job() {
    assert!(enc(&PgType::Text, ValueRef::Null).is_err());
}

#[test]
fn booleans() {
    for (v, b) in
        [(ValueRef::Integer(1), 1u8), (ValueRef::Integer(0), 0), (ValueRef::Real(1.0), 1), (ValueRef::Real(0.0), 0)]
    {
        assert_eq!(enc(&PgType::Bool, v), Ok(vec![b]));
    }
    for s in ["t", "TRUE", "True", "yes", "Y", "on", "1"] {
        assert_eq!(enc(&PgType::Bool, t(s)), Ok(vec![1]), "{s}");
    }
    for s in ["f", "false", "FALSE", "no", "N", "off", "0"] {
        assert_eq!(enc(&PgType::Bool, t(s)), Ok(vec![0]), "{s}");
    }
    for v in [
        ValueRef::Integer(2),
        ValueRef::Integer(-1),
        ValueRef::Real(0.5),
        t(""),
        t("tru"),
        t(" t"),
        t("2"),
        ValueRef::Blob(b"1"),
    ] {
        assert!(enc(&PgType::Bool, v).is_err());
    }
}

#[test]
fn integers_range_checked() {
    assert_eq!(enc(&PgType::Int2, ValueRef::Integer(-32768)), Ok(vec![0x80, 0]));
    assert_eq!(
        enc(&PgType::Int2, ValueRef::Integer(32768)).unwrap_err().to_string(),
        "integer out of range for smallint"
    );
    assert_eq!(enc(&PgType::Int4, ValueRef::Integer(i64::from(i32::MAX))), Ok(i32::MAX.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Int4, ValueRef::Integer(i64::from(i32::MAX) + 1)).is_err());
    assert_eq!(enc(&PgType::Int8, ValueRef::Integer(i64::MIN)), Ok(i64::MIN.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Int8, ValueRef::Integer(i64::MAX)), Ok(i64::MAX.to_be_bytes().to_vec()));
    // reals: integral and in range only
    assert_eq!(enc(&PgType::Int4, ValueRef::Real(42.0)), Ok(42i32.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Int4, ValueRef::Real(-0.0)), Ok(0i32.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Int4, ValueRef::Real(42.5)).is_err());
    assert!(enc(&PgType::Int8, ValueRef::Real(9_223_372_036_854_775_808.0)).is_err(), "2^63 is out of range");
    assert_eq!(enc(&PgType::Int8, ValueRef::Real(-9_223_372_036_854_775_808.0)), Ok(i64::MIN.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Int8, ValueRef::Real(f64::INFINITY)).is_err());
    // text: strictly [+-]?[0-9]+
    assert_eq!(enc(&PgType::Int4, t("+17")), Ok(17i32.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Int4, t("-17")), Ok((-17i32).to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Int8, t("-9223372036854775808")), Ok(i64::MIN.to_be_bytes().to_vec()));
    assert_eq!(
        enc(&PgType::Int8, t("9223372036854775808")).unwrap_err().to_string(),
        "integer out of range for bigint"
    );
    for bad in ["", "+", "-", "1.0", " 1", "1 ", "1e3", "0x10", "١"] {
        assert_eq!(enc(&PgType::Int4, t(bad)), Err(ConvertError::Invalid("text is not an integer")), "{bad:?}");
    }
    // Drizzle's blob({mode:'bigint'}): the canonical ascii digits only
    let blob = |b: &'static [u8]| ValueRef::Blob(b);
    assert_eq!(enc(&PgType::Int4, blob(b"1")), Ok(vec![0, 0, 0, 1]));
    assert_eq!(enc(&PgType::Int2, blob(b"-1")), Ok(vec![0xff, 0xff]));
    assert_eq!(enc(&PgType::Int8, blob(b"0")), Ok(vec![0; 8]));
    assert_eq!(enc(&PgType::Int8, blob(b"-9223372036854775808")), Ok(i64::MIN.to_be_bytes().to_vec()));
    assert_eq!(
        enc(&PgType::Int8, blob(b"9223372036854775808")).unwrap_err().to_string(),
        "blob out of range for bigint"
    );
    assert_eq!(enc(&PgType::Int4, blob(b"2147483648")).unwrap_err().to_string(), "integer out of range for integer");
    for bad in [&b""[..], b"-", b"-0", b"007", b"+1", b" 1", b"1 ", b"1.0", b"\x01", b"\x00", b"1\x00"] {
        assert_eq!(
            enc(&PgType::Int8, blob(bad)),
            Err(ConvertError::Invalid("blob is not the ascii digits of an integer")),
            "{bad:?}"
        );
    }
}

#[test]
fn floats() {
    assert_eq!(enc(&PgType::Float8, ValueRef::Real(0.1)), Ok(0.1f64.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, ValueRef::Real(f64::INFINITY)), Ok(f64::INFINITY.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, ValueRef::Real(f64::NEG_INFINITY)), Ok(f64::NEG_INFINITY.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, ValueRef::Integer(1 << 53)), Ok(9007199254740992f64.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, ValueRef::Integer(-(1 << 53))), Ok((-9007199254740992f64).to_be_bytes().to_vec()));
    assert!(enc(&PgType::Float8, ValueRef::Integer((1 << 53) + 1)).is_err());
    assert!(enc(&PgType::Float8, ValueRef::Integer(i64::MAX)).is_err());
    // exactly representable beyond 2^53: accepted, not refused by a magnitude rule
    assert_eq!(enc(&PgType::Float8, ValueRef::Integer(i64::MIN)), Ok((-9223372036854775808f64).to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, ValueRef::Integer(1 << 54)), Ok(18014398509481984f64.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Float8, ValueRef::Integer((1 << 54) + 2)).is_err());
    assert_eq!(enc(&PgType::Float4, ValueRef::Real(0.5)), Ok(0.5f32.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float4, ValueRef::Real(f64::INFINITY)), Ok(f32::INFINITY.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Float4, ValueRef::Real(0.1)).is_err(), "0.1 does not round-trip through f32");
    assert!(enc(&PgType::Float4, ValueRef::Real(1e300)).is_err());
    assert_eq!(enc(&PgType::Float4, ValueRef::Integer(1 << 24)), Ok(16777216f32.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Float4, ValueRef::Integer((1 << 24) + 1)).is_err());
    assert_eq!(enc(&PgType::Float4, ValueRef::Integer(1 << 40)), Ok(1099511627776f32.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Float4, ValueRef::Integer((1 << 40) + 1)).is_err());
    assert!(enc(&PgType::Float4, ValueRef::Integer(i64::MAX)).is_err());
    // text
    assert_eq!(enc(&PgType::Float8, t("1.5")), Ok(1.5f64.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, t("-2e-3")), Ok((-2e-3f64).to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, t("Infinity")), Ok(f64::INFINITY.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, t("-Infinity")), Ok(f64::NEG_INFINITY.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float8, t("inf")), Ok(f64::INFINITY.to_be_bytes().to_vec()));
    assert_eq!(enc(&PgType::Float4, t("0.1")), Ok(0.1f32.to_be_bytes().to_vec()));
    assert!(enc(&PgType::Float8, t("1e400")).is_err(), "overflow");
    assert!(enc(&PgType::Float8, t("1e-400")).is_err(), "underflow");
    assert!(enc(&PgType::Float8, t("0e-400")).is_ok());
    assert!(enc(&PgType::Float4, t("1e39")).is_err());
    for bad in ["", " 1", "1 ", "abc", "1,5", "0x1p3", "--1"] {
        assert!(enc(&PgType::Float8, t(bad)).is_err(), "{bad:?}");
    }
    assert!(enc(&PgType::Float8, ValueRef::Blob(b"1")).is_err());
}

#[test]
fn bytea_and_enum() {
    assert_eq!(enc(&PgType::Bytea, ValueRef::Blob(b"\x00\xff")), Ok(vec![0, 255]));
    assert_eq!(enc(&PgType::Bytea, ValueRef::Blob(b"")), Ok(vec![]));
    assert_eq!(enc(&PgType::Bytea, t("ab")), Ok(b"ab".to_vec()));
    assert_eq!(enc(&PgType::Bytea, ValueRef::Text(b"\xff\x00")), Ok(vec![255, 0]));
    assert!(enc(&PgType::Bytea, ValueRef::Integer(1)).is_err());
    let role = PgType::Enum { labels: vec!["USER".into(), "ADMIN".into()] };
    assert_eq!(enc(&role, t("ADMIN")), Ok(b"ADMIN".to_vec()));
    assert_eq!(enc(&role, t("admin")), Err(ConvertError::Invalid("not one of the enum's labels")));
    assert!(enc(&role, ValueRef::Integer(1)).is_err());
}

#[test]
fn errors_never_contain_the_value() {
    let secret = "s3cr3t-2024-99-99";
    let types = [
        PgType::Bool,
        PgType::Int2,
        PgType::Float4,
        PgType::Numeric { precision: Some(4), scale: Some(1) },
        PgType::Varchar(Some(3)),
        PgType::Date,
        PgType::Time { precision: None },
        PgType::Timestamptz { precision: Some(0) },
        PgType::Interval,
        PgType::Uuid,
        PgType::Jsonb,
        PgType::Inet,
        PgType::Cidr,
        PgType::Enum { labels: vec![] },
        PgType::Array(Box::new(PgType::Int4)),
    ];
    for ty in &types {
        let err = enc(ty, t(secret)).unwrap_err().to_string();
        assert!(!err.contains("s3cr3t") && !err.contains("99"), "{ty:?}: {err}");
        assert_eq!(err, err.to_lowercase());
        assert!(!err.ends_with('.'));
    }
}

#[test]
fn appends_after_existing_bytes() {
    let mut out = BytesMut::from(&b"xy"[..]);
    encode(&PgType::Int2, ColumnFormat::Auto, ValueRef::Integer(1), &mut out).unwrap();
    assert_eq!(&out[..], b"xy\x00\x01");
}
