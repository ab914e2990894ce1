//! tests of numeric encoding against known binary layouts

use super::*;

fn num(p: Option<u16>, s: Option<u16>, v: ValueRef<'_>) -> Result<(i16, i16, u16, u16, Vec<i16>), ConvertError> {
    let ty = PgType::Numeric { precision: p, scale: s };
    let mut out = BytesMut::new();
    encode(&ty, p, s, v, &mut out)?;
    let w = |k: usize| [out[2 * k], out[2 * k + 1]];
    let ndigits = i16::from_be_bytes(w(0));
    let digits = (0..usize::try_from(ndigits).unwrap()).map(|k| i16::from_be_bytes(w(4 + k))).collect();
    assert_eq!(out.len(), 8 + 2 * usize::try_from(ndigits).unwrap());
    Ok((ndigits, i16::from_be_bytes(w(1)), u16::from_be_bytes(w(2)), u16::from_be_bytes(w(3)), digits))
}

fn text(s: &str) -> ValueRef<'_> {
    ValueRef::Text(s.as_bytes())
}

#[test]
fn known_layouts() {
    // 123.45 = ndigits 2, weight 0, sign 0, dscale 2, digits [123, 4500]
    assert_eq!(num(Some(10), Some(2), text("123.45")), Ok((2, 0, 0, 2, vec![123, 4500])));
    assert_eq!(num(None, None, text("123.45")), Ok((2, 0, 0, 2, vec![123, 4500])));
    assert_eq!(num(None, None, ValueRef::Real(123.45)), Ok((2, 0, 0, 2, vec![123, 4500])));
    assert_eq!(num(None, None, ValueRef::Integer(10000)), Ok((1, 1, 0, 0, vec![1])));
    assert_eq!(num(None, None, ValueRef::Integer(-12345)), Ok((2, 1, 0x4000, 0, vec![1, 2345])));
    assert_eq!(num(None, None, text("0.0001")), Ok((1, -1, 0, 4, vec![1])));
    assert_eq!(num(None, None, text("0.00001")), Ok((1, -2, 0, 5, vec![1000])));
    assert_eq!(num(None, None, text("100000000.00000001")), Ok((5, 2, 0, 8, vec![1, 0, 0, 0, 1])));
    assert_eq!(num(None, None, ValueRef::Integer(0)), Ok((0, 0, 0, 0, vec![])));
    assert_eq!(num(Some(10), Some(2), ValueRef::Integer(0)), Ok((0, 0, 0, 2, vec![])));
    assert_eq!(num(None, None, ValueRef::Real(-0.0)), Ok((0, 0, 0, 0, vec![])));
}

#[test]
fn integers_are_exact() {
    assert_eq!(num(None, None, ValueRef::Integer(i64::MAX)), Ok((5, 4, 0, 0, vec![922, 3372, 368, 5477, 5807])));
    assert_eq!(num(None, None, ValueRef::Integer(i64::MIN)), Ok((5, 4, 0x4000, 0, vec![922, 3372, 368, 5477, 5808])));
    assert_eq!(num(Some(19), Some(0), ValueRef::Integer(i64::MIN)).map(|r| r.3), Ok(0));
    assert!(num(Some(18), Some(0), ValueRef::Integer(i64::MIN)).is_err());
}

#[test]
fn text_keeps_written_scale_when_unconstrained() {
    assert_eq!(num(None, None, text("1.50")), Ok((2, 0, 0, 2, vec![1, 5000])));
    assert_eq!(num(None, None, text("0.00")), Ok((0, 0, 0, 2, vec![])));
    assert_eq!(num(None, None, text("1.5e3")), Ok((1, 0, 0, 0, vec![1500])));
    assert_eq!(num(None, None, text("-1.50e1")), Ok((1, 0, 0x4000, 1, vec![15])));
    assert_eq!(num(None, None, text("+.5")), Ok((1, -1, 0, 1, vec![5000])));
    assert_eq!(num(None, None, text("5.")), Ok((1, 0, 0, 0, vec![5])));
    assert_eq!(num(None, None, text("1e20000")).map(|r| (r.0, r.1)), Ok((1, 5000)));
    for bad in ["", "abc", "1.2.3", "1e", ".", "-", " 1", "1 ", "0x10", "1,5", "e5"] {
        assert_eq!(num(None, None, text(bad)), Err(ConvertError::Invalid("text is not a decimal number")), "{bad:?}");
    }
    assert!(num(None, None, text("1e-20000")).is_err());
    assert!(num(None, None, text("1e1000000000000")).is_err());
}

#[test]
fn fifteen_digit_rule_for_reals() {
    // 0.1 + 0.2 = 0.30000000000000004 as a double; SQLite shows 0.3
    assert_eq!(num(Some(10), Some(2), ValueRef::Real(0.1 + 0.2)), Ok((1, -1, 0, 2, vec![3000])));
    assert_eq!(num(None, None, ValueRef::Real(0.1 + 0.2)), Ok((1, -1, 0, 1, vec![3000])));
    assert_eq!(num(None, None, ValueRef::Real(19.99)), Ok((2, 0, 0, 2, vec![19, 9900])));
    assert_eq!(num(None, None, ValueRef::Real(1e100)).map(|r| (r.0, r.1, r.3)), Ok((1, 25, 0)));
    assert_eq!(num(None, None, ValueRef::Real(1.0 / 3.0)).map(|r| r.3), Ok(15));
}

#[test]
fn no_rounding_into_numeric_p_s() {
    let err = num(Some(10), Some(2), text("1.2345")).unwrap_err();
    assert_eq!(err.to_string(), "has 4 fractional digits, numeric(10,2) keeps 2");
    assert_eq!(num(Some(10), Some(2), text("1.2300")).map(|r| r.3), Ok(2));
    let err = num(Some(5), Some(2), ValueRef::Real(1e100)).unwrap_err();
    assert_eq!(err.to_string(), "has 101 integer digits, numeric(5,2) allows 3");
    assert!(num(Some(5), Some(2), ValueRef::Real(999.99)).is_ok());
    assert!(num(Some(5), Some(2), ValueRef::Real(1000.0)).is_err());
    assert!(num(Some(5), Some(2), ValueRef::Real(-999.99)).is_ok());
    assert!(num(Some(5), Some(2), ValueRef::Real(0.001)).is_err());
    assert!(num(Some(2), Some(2), ValueRef::Real(0.99)).is_ok());
    assert!(num(Some(2), Some(2), ValueRef::Real(1.0)).is_err());
    // scale > precision (PostgreSQL 15): |v| < 10^(p-s)
    assert!(num(Some(2), Some(4), text("0.0099")).is_ok());
    assert!(num(Some(2), Some(4), text("0.01")).is_err());
    // numeric(p) means scale 0
    assert!(num(Some(3), None, text("1.5")).is_err());
    assert_eq!(num(Some(3), None, text("150")), Ok((1, 0, 0, 0, vec![150])));
    // Prisma's Decimal(65,30) from a REAL
    assert_eq!(num(Some(65), Some(30), ValueRef::Real(12.5)).map(|r| (r.1, r.3, r.4)), Ok((0, 30, vec![12, 5000])));
}

#[test]
fn specials() {
    assert_eq!(num(None, None, ValueRef::Real(f64::INFINITY)), Ok((0, 0, 0xD000, 0, vec![])));
    assert_eq!(num(None, None, ValueRef::Real(f64::NEG_INFINITY)), Ok((0, 0, 0xF000, 0, vec![])));
    assert_eq!(num(None, None, text("-Infinity")), Ok((0, 0, 0xF000, 0, vec![])));
    assert_eq!(num(None, None, text("inf")), Ok((0, 0, 0xD000, 0, vec![])));
    assert_eq!(num(None, None, text("NaN")), Ok((0, 0, 0xC000, 0, vec![])));
    assert_eq!(
        num(Some(10), Some(2), ValueRef::Real(f64::INFINITY)).unwrap_err().to_string(),
        "infinity out of range for numeric(10,2)"
    );
    assert!(matches!(num(None, None, ValueRef::Blob(b"1")), Err(ConvertError::Class { .. })));
    assert_eq!(num(None, None, ValueRef::Text(b"1\xff")), Err(ConvertError::Utf8));
}

/// The 15-digit rule agrees with SQLite's own REAL to TEXT conversion.
#[test]
fn agrees_with_sqlite_printf() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut values = vec![0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 123_456_789.123_456_78, 1e-7, 1e23, 0.5, 1.005];
    for _ in 0..2000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if f.is_finite() && f.abs() > 1e-300 && f.abs() < 1e300 {
            values.push(f);
        }
        values.push(f64::from(u32::try_from(x >> 40).unwrap()) / 100.0);
    }
    for f in values {
        let sqlite: String = conn.query_row("SELECT printf('%!.15g', ?1)", [f], |r| r.get(0)).unwrap();
        let mut buf = StackBuf::new();
        write!(buf, "{f:.14e}").unwrap();
        let ours = parse(buf.as_bytes()).unwrap();
        let theirs = parse(sqlite.as_bytes()).unwrap();
        let (
            Decimal::Finite { int: i1, frac: f1, exp: e1, neg: n1 },
            Decimal::Finite { int: i2, frac: f2, exp: e2, neg: n2 },
        ) = (ours, theirs)
        else {
            panic!("not finite")
        };
        let (a, b) = (Digits::new(i1, f1, e1), Digits::new(i2, f2, e2));
        let da: Vec<u8> = (0..a.len).map(|k| a.digit(k)).collect();
        let db: Vec<u8> = (0..b.len).map(|k| b.digit(k)).collect();
        assert_eq!((n1, da, a.top), (n2, db, b.top), "{f:e} vs sqlite {sqlite}");
    }
}

#[test]
fn fuzz_exponents_beyond_postgres_limit_are_invalid() {
    // found by fuzzing: a huge written exponent was clamped and a zero accepted; numeric_in refuses
    // exponents beyond INT_MAX / 2 (PostgreSQL 15 checked by hand: '1e1001' and '1e20000' are fine)
    let zeros = "0".repeat(87);
    let huge = format!("22222{zeros}.{zeros}E4{}518192441", "0".repeat(70));
    assert!(num(None, None, text(&huge)).is_err());
    assert!(num(None, None, text("0.000E1073741823")).is_err());
    assert!(num(None, None, text("0.000E-1073741823")).is_err());
    // what PostgreSQL 15 accepts: a zero with a large exponent, and large finite exponents
    assert_eq!(num(None, None, text("0.0E518192441")), Ok((0, 0, 0, 0, vec![])));
    assert!(num(None, None, text("1E1001")).is_ok());
}
