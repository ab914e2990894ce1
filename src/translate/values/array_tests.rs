//! tests of JSON arrays into binary arrays

use super::*;

fn arr(elem: &PgType, s: &str) -> Result<Vec<u8>, ConvertError> {
    let mut out = BytesMut::new();
    encode(elem, ColumnFormat::Auto, ValueRef::Text(s.as_bytes()), &mut out)?;
    Ok(out.to_vec())
}

fn header(ndim: i32, nulls: i32, oid: u32, dims: &[i32]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&ndim.to_be_bytes());
    v.extend_from_slice(&nulls.to_be_bytes());
    v.extend_from_slice(&oid.to_be_bytes());
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
        v.extend_from_slice(&1i32.to_be_bytes());
    }
    v
}

#[test]
fn int_array_layout() {
    let mut expected = header(1, 0, 23, &[3]);
    for i in [1i32, -2, 3] {
        expected.extend_from_slice(&4i32.to_be_bytes());
        expected.extend_from_slice(&i.to_be_bytes());
    }
    assert_eq!(arr(&PgType::Int4, " [1, -2,3] "), Ok(expected));
    assert_eq!(arr(&PgType::Int4, "[]"), Ok(header(0, 0, 23, &[])));
    assert_eq!(arr(&PgType::Int4, " [ ] "), Ok(header(0, 0, 23, &[])));
    assert!(arr(&PgType::Int4, "[1.5]").is_err());
    assert!(arr(&PgType::Int4, "[1.0]").is_ok(), "integral json number");
    assert!(arr(&PgType::Int2, "[40000]").is_err());
    assert!(arr(&PgType::Int8, "[99999999999999999999]").is_err());
}

#[test]
fn integral_numbers_are_exact_beyond_f64() {
    let one = |s: &str| -> Result<i64, ConvertError> {
        let out = arr(&PgType::Int8, s)?;
        Ok(i64::from_be_bytes(out[24..32].try_into().unwrap()))
    };
    // 2^53 + 1 has no f64: these used to arrive as 9007199254740992
    assert_eq!(one("[9007199254740993.0]"), Ok(9_007_199_254_740_993));
    assert_eq!(one("[9.007199254740993e15]"), Ok(9_007_199_254_740_993));
    assert_eq!(one("[-9223372036854775808.00]"), Ok(i64::MIN));
    assert_eq!(one("[1e2]"), Ok(100));
    assert_eq!(one("[0.0e5]"), Ok(0));
    assert_eq!(one("[1200e-2]"), Ok(12));
    // and a fraction far below f64's resolution is still a fraction
    assert!(one("[1.00000000000000000001]").is_err());
    assert!(one("[9223372036854775808.0]").is_err());
    assert!(one("[1e19]").is_err());
    assert!(one("[1e-400]").is_err());
    assert!(arr(&PgType::Int2, "[4e4]").is_err());
    assert_eq!(arr(&PgType::Int4, "[1.5]").unwrap_err().to_string(), "array element 1: number has a fractional part");
}

#[test]
fn nulls_and_strings() {
    let mut expected = header(1, 1, 25, &[3]);
    expected.extend_from_slice(&1i32.to_be_bytes());
    expected.extend_from_slice(b"a");
    expected.extend_from_slice(&(-1i32).to_be_bytes());
    expected.extend_from_slice(&3i32.to_be_bytes());
    expected.extend_from_slice("\"é".as_bytes());
    assert_eq!(arr(&PgType::Text, r#"["a", null, "\"\u00e9"]"#), Ok(expected));
    let err = arr(&PgType::Text, r#"["a", "b\u0000"]"#).unwrap_err();
    assert_eq!(err.to_string(), "array element 2: text contains a nul byte");
    let err = arr(&PgType::Varchar(Some(2)), r#"["ab", "abc"]"#).unwrap_err();
    assert_eq!(err.to_string(), "array element 2: value is too long for varchar(2)");
}

#[test]
fn numbers_stay_exact() {
    let numeric = PgType::Numeric { precision: None, scale: None };
    let out = arr(&numeric, "[0.30000000000000004, 12345678901234567890]").unwrap();
    // first element: ndigits 5 (3000, 0, 0, 0, 4000), weight -1, dscale 17
    assert_eq!(&out[20..24], &18i32.to_be_bytes());
    assert_eq!(&out[24..32], &[0, 5, 0xff, 0xff, 0, 0, 0, 17]);
    let out = arr(&PgType::Text, "[1.50, -0, 1e2]").unwrap();
    assert!(out.windows(4).any(|w| w == b"1.50"));
    assert!(arr(&PgType::Float8, "[1e400]").is_err());
    assert!(arr(&PgType::Float8, "[1e300, -2.5, 3]").is_ok());
    assert!(arr(&PgType::Bool, "[true, false, 1, 0]").is_ok());
    assert!(arr(&PgType::Int4, "[true]").is_err());
    assert!(arr(&PgType::Timestamptz { precision: None }, r#"["2024-01-01T00:00:00Z", 1704067200000]"#).is_ok());
    assert!(arr(&PgType::Uuid, r#"["550e8400e29b41d4a716446655440000"]"#).is_ok());
}

#[test]
fn malformed_or_unsupported() {
    for bad in
        ["", "1", "{}", "[1,]", "[,1]", "[1 2]", "[01]", "[1.]", "[-]", "[\"a]", "[1] x", "(1)", "[nul]", "{1,2}"]
    {
        assert_eq!(arr(&PgType::Int4, bad), Err(BAD_ARRAY), "{bad:?}");
    }
    assert!(arr(&PgType::Int4, "[[1],[2]]").is_err());
    assert!(arr(&PgType::Int4, "[{\"a\":1}]").is_err());
    assert!(arr(&PgType::Enum { labels: vec!["a".into()] }, "[\"a\"]").is_err());
    let mut out = BytesMut::new();
    assert!(encode(&PgType::Int4, ColumnFormat::Auto, ValueRef::Blob(b"[1]"), &mut out).is_err());
    assert!(encode(&PgType::Int4, ColumnFormat::Auto, ValueRef::Integer(1), &mut out).is_err());
}
