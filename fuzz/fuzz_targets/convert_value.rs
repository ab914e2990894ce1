//! fuzz target: any SQLite value into any target type with any column format; no panic, and what is
//! accepted decodes back to the input (checked by an independent decoder written here)
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use rusqlite::types::ValueRef;
use sqlite2pg::translate::values::{encode, ColumnFormat, PgType};

/// An owned SQLite value (storage class and its bytes).
#[derive(Debug)]
enum Value {
    Integer(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Value {
    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(b) => ValueRef::Text(b),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

const INTERESTING_INTS: [i64; 18] = [
    0,
    1,
    -1,
    i64::MIN,
    i64::MAX,
    32767,
    -32768,
    2147483647,
    -2147483648,
    9_007_199_254_740_993,
    99_999_999_999,
    100_000_000_000,
    99_999_999_999_999,
    100_000_000_000_000,
    -9_223_372_036_854,
    946_684_800,
    // midnights before 4713 BC (epoch_s and epoch_ms dates)
    -259_200_000_000,
    -259_200_000_000_000,
];

const INTERESTING_REALS: [f64; 14] = [
    0.0,
    -0.0,
    1.0,
    0.1,
    1.5,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MAX,
    f64::MIN_POSITIVE,
    5e-324,
    9.223372036854775807e18,
    1e15,
    1.7e9,
];

fn small_precision(u: &mut Unstructured) -> Result<Option<u8>> {
    Ok(if u.arbitrary()? { Some(u.int_in_range(0..=7)?) } else { None })
}

fn scalar_type(u: &mut Unstructured) -> Result<PgType> {
    Ok(match u.int_in_range(0..=21)? {
        0 => PgType::Bool,
        1 => PgType::Int2,
        2 => PgType::Int4,
        3 => PgType::Int8,
        4 => PgType::Float4,
        5 => PgType::Float8,
        6 => {
            let precision: Option<u16> = if u.arbitrary()? { Some(u.int_in_range(0..=1000)?) } else { None };
            let scale: Option<u16> = if u.arbitrary()? { Some(u.int_in_range(0..=1000)?) } else { None };
            PgType::Numeric { precision, scale }
        }
        7 => PgType::Text,
        8 => PgType::Varchar(if u.arbitrary()? { Some(u.int_in_range(0..=40)?) } else { None }),
        9 => PgType::Char(u.int_in_range(0..=40)?),
        10 => PgType::Bytea,
        11 => PgType::Date,
        12 => PgType::Time { precision: small_precision(u)? },
        13 => PgType::Timestamp { precision: small_precision(u)? },
        14 => PgType::Timestamptz { precision: small_precision(u)? },
        15 => PgType::Interval,
        16 => PgType::Uuid,
        17 => PgType::Json,
        18 => PgType::Jsonb,
        19 => PgType::Inet,
        20 => PgType::Cidr,
        _ => {
            let n = u.int_in_range(0..=3)?;
            let mut labels = Vec::new();
            for _ in 0..n {
                labels.push(match u.int_in_range(0..=3)? {
                    0 => "USER".to_string(),
                    1 => "ADMIN".to_string(),
                    2 => String::new(),
                    _ => u.arbitrary::<String>()?,
                });
            }
            PgType::Enum { labels }
        }
    })
}

fn pg_type(u: &mut Unstructured) -> Result<PgType> {
    Ok(match u.int_in_range(0..=9)? {
        // arrays of every scalar, enums and arrays included (those must be refused)
        0 | 1 => PgType::Array(Box::new(if u.ratio(1, 20)? {
            PgType::Array(Box::new(scalar_type(u)?))
        } else {
            scalar_type(u)?
        })),
        _ => scalar_type(u)?,
    })
}

fn column_format(u: &mut Unstructured) -> Result<ColumnFormat> {
    Ok(match u.int_in_range(0..=5)? {
        0 => ColumnFormat::Auto,
        1 => ColumnFormat::EpochSeconds,
        2 => ColumnFormat::EpochMillis,
        3 => ColumnFormat::EpochMicros,
        4 => ColumnFormat::EpochNanos,
        _ => ColumnFormat::Iso,
    })
}

fn value(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Value::Integer(if u.arbitrary()? {
            INTERESTING_INTS[u.choose_index(INTERESTING_INTS.len())?]
        } else {
            u.arbitrary()?
        }),
        1 => Value::Real(if u.arbitrary()? {
            INTERESTING_REALS[u.choose_index(INTERESTING_REALS.len())?]
        } else {
            f64::from_bits(u.arbitrary()?)
        }),
        2 => Value::Text(u.bytes(u.len())?.to_vec()),
        _ => Value::Blob(u.bytes(u.len())?.to_vec()),
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(ty), Ok(fmt), Ok(v)) = (pg_type(&mut u), column_format(&mut u), value(&mut u)) else {
        return;
    };
    let mut out = BytesMut::new();
    let result = encode(&ty, fmt, v.as_ref(), &mut out);
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!("{} {fmt:?} {v:?}: {result:?}", ty.sql());
    }
    match result {
        Ok(()) => check(&ty, fmt, &v, &out),
        Err(e) => check_error_message(&e.to_string(), &v),
    }
});

/// An error never quotes the value. Only text with a `~` is looked at: no fixed message or type
/// name contains one, so a hit can only come from the value (sound: no false positives).
fn check_error_message(msg: &str, v: &Value) {
    if let Value::Text(b) | Value::Blob(b) = v {
        if let Ok(s) = std::str::from_utf8(b) {
            if s.len() >= 3 && s.contains('~') {
                assert!(!msg.contains(s), "error message quotes the value: {msg:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// the independent decoder

fn be_i16(b: &[u8]) -> i16 {
    i16::from_be_bytes([b[0], b[1]])
}
fn be_i32(b: &[u8]) -> i32 {
    i32::from_be_bytes(b[..4].try_into().unwrap())
}
fn be_i64(b: &[u8]) -> i64 {
    i64::from_be_bytes(b[..8].try_into().unwrap())
}

const USEC_PER_SEC: i64 = 1_000_000;
const USEC_PER_DAY: i64 = 86_400 * USEC_PER_SEC;
/// days from 1970-01-01 to 2000-01-01
const PG_EPOCH_UNIX_DAYS: i64 = 10_957;
const PG_EPOCH_UNIX_SECS: i64 = 946_684_800;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A tiny cursor for the documented text grammars, written independently of the crate's.
struct Text<'a> {
    s: &'a [u8],
    i: usize,
}

impl Text<'_> {
    fn num(&mut self, n: usize) -> Option<i64> {
        let part = self.s.get(self.i..self.i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(part.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
    }
    fn lit(&mut self, c: u8) -> bool {
        let hit = self.s.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }
    fn end(&self) -> bool {
        self.i == self.s.len()
    }
    /// `HH:MM[:SS[.f+]]` as (microseconds, significant fraction digits)
    fn clock(&mut self) -> Option<(i64, usize)> {
        let h = self.num(2)?;
        self.lit(b':').then_some(())?;
        let m = self.num(2)?;
        let (mut sec, mut usec, mut sig) = (0, 0, 0);
        if self.lit(b':') {
            sec = self.num(2)?;
            if self.lit(b'.') {
                let start = self.i;
                while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                let frac = &self.s[start..self.i];
                if frac.is_empty() {
                    return None;
                }
                for k in 0..6 {
                    usec = usec * 10 + frac.get(k).map_or(0, |d| i64::from(d - b'0'));
                }
                sig = frac.iter().rposition(|d| *d != b'0').map_or(0, |p| p + 1);
            }
        }
        Some(((h * 3600 + m * 60 + sec) * USEC_PER_SEC + usec, sig))
    }
}

/// What a timestamp text means: (local microseconds since 2000-01-01, offset seconds, fraction
/// digits), per the documented grammar `YYYY-MM-DD[( |T)HH:MM[:SS[.f]]][ ][Z|±HH[:MM]|±HHMM]`.
fn expected_timestamp(s: &[u8]) -> Option<(i64, Option<i64>, usize, bool)> {
    let mut t = Text { s, i: 0 };
    let y = t.num(4)?;
    t.lit(b'-').then_some(())?;
    let m = t.num(2)?;
    t.lit(b'-').then_some(())?;
    let d = t.num(2)?;
    assert!(y >= 1 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m), "impossible date accepted");
    let days = days_from_civil(y, m, d) - PG_EPOCH_UNIX_DAYS;
    let (mut clock, mut sig, mut has_time) = (0, 0, false);
    if t.lit(b' ') || t.lit(b'T') {
        (clock, sig) = t.clock()?;
        has_time = true;
    }
    let offset = if t.end() {
        None
    } else {
        t.lit(b' ');
        if t.lit(b'Z') || t.lit(b'z') {
            Some(0)
        } else {
            let sign = if t.lit(b'+') {
                1
            } else if t.lit(b'-') {
                -1
            } else {
                return None;
            };
            let h = t.num(2)?;
            let m = if t.end() {
                0
            } else {
                t.lit(b':');
                t.num(2)?
            };
            Some(sign * (h * 3600 + m * 60))
        }
    };
    // Go's Time.String() (modernc.org/sqlite) follows the offset with " ZONE" and maybe " m=±S.F"
    if offset.is_some() && t.lit(b' ') {
        let start = t.i;
        while t.s.get(t.i).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-')) {
            t.i += 1;
        }
        if t.i == start {
            return None;
        }
        if t.lit(b' ') {
            if !(t.lit(b'm') && t.lit(b'=') && (t.lit(b'+') || t.lit(b'-'))) {
                return None;
            }
            let digits = t.i;
            while t.s.get(t.i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                t.i += 1;
            }
            if t.i == digits {
                return None;
            }
        }
    }
    t.end().then_some((days * USEC_PER_DAY + clock, offset, sig, has_time))
}

/// (negative, significant digits without leading/trailing zeros, power of ten of the last digit)
fn normalize_decimal(neg: bool, digits: &str, exp_of_last: i128) -> (bool, String, i128) {
    let trimmed_start = digits.trim_start_matches('0');
    let trimmed = trimmed_start.trim_end_matches('0');
    if trimmed.is_empty() {
        return (false, String::new(), 0);
    }
    let dropped = (trimmed_start.len() - trimmed.len()) as i128;
    (neg, trimmed.to_string(), exp_of_last + dropped)
}

/// A decimal text `[+-]? (d+ [. d*] | . d+) ([eE] [+-]? d+)?`, normalized.
fn decimal_text(s: &str) -> Option<(bool, String, i128)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(p) => {
            let e = &body[p + 1..];
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            // a huge exponent: clamp far beyond any numeric's range
            let mag: i128 = digits
                .trim_start_matches('0')
                .parse()
                .unwrap_or(if digits.trim_start_matches('0').is_empty() { 0 } else { i128::from(u64::MAX) });
            (&body[..p], if e.starts_with('-') { -mag } else { mag })
        }
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    Some(normalize_decimal(neg, &digits, exp - frac.len() as i128))
}

enum Numeric {
    NaN,
    Inf(bool),
    /// normalized value, dscale, integer digits (power of ten of the top digit + 1)
    Finite((bool, String, i128), i64),
}

/// Decode a binary numeric and check it is what `numeric_recv` takes without rounding.
fn decode_numeric(out: &[u8]) -> Numeric {
    assert!(out.len() >= 8, "numeric header");
    let ndigits = be_i16(&out[0..]);
    let weight = be_i16(&out[2..]);
    let sign = u16::from_be_bytes([out[4], out[5]]);
    let dscale = u16::from_be_bytes([out[6], out[7]]);
    assert!(ndigits >= 0 && out.len() == 8 + 2 * ndigits as usize, "numeric length");
    assert!(dscale <= 0x3FFF, "numeric dscale");
    match sign {
        0xC000 => {
            assert_eq!(ndigits, 0);
            return Numeric::NaN;
        }
        0xD000 | 0xF000 => {
            assert_eq!(ndigits, 0);
            return Numeric::Inf(sign == 0xF000);
        }
        0x0000 | 0x4000 => {}
        _ => panic!("numeric sign {sign:#x}"),
    }
    let mut digits = String::new();
    for k in 0..ndigits as usize {
        let g = be_i16(&out[8 + 2 * k..]);
        assert!((0..10_000).contains(&g), "numeric digit out of range");
        digits.push_str(&format!("{g:04}"));
    }
    let exp_of_last = (i128::from(weight) - i128::from(ndigits) + 1) * 4;
    let norm = normalize_decimal(sign == 0x4000, &digits, exp_of_last);
    if !norm.1.is_empty() {
        // numeric_recv rounds to dscale: every significant fraction digit must be kept
        assert!(-norm.2 <= i128::from(dscale), "numeric has more fraction digits than its dscale (would be rounded)");
    }
    Numeric::Finite(norm, i64::from(dscale))
}

fn check(ty: &PgType, fmt: ColumnFormat, v: &Value, out: &[u8]) {
    match ty {
        PgType::Bool => {
            assert_eq!(out.len(), 1);
            assert!(out[0] <= 1);
            let b = out[0] == 1;
            match v {
                Value::Integer(i) => assert_eq!(i64::from(b), *i),
                Value::Real(f) => assert_eq!(if b { 1.0 } else { 0.0 }, *f),
                Value::Text(t) => {
                    let s = String::from_utf8_lossy(t).to_ascii_lowercase();
                    let expect = match s.as_str() {
                        "t" | "true" | "yes" | "y" | "on" | "1" => true,
                        "f" | "false" | "no" | "n" | "off" | "0" => false,
                        _ => panic!("unknown boolean text accepted"),
                    };
                    assert_eq!(b, expect);
                }
                Value::Blob(_) => panic!("blob accepted as boolean"),
            }
        }
        PgType::Int2 | PgType::Int4 | PgType::Int8 => {
            let got: i64 = match ty {
                PgType::Int2 => {
                    assert_eq!(out.len(), 2);
                    i64::from(be_i16(out))
                }
                PgType::Int4 => {
                    assert_eq!(out.len(), 4);
                    i64::from(be_i32(out))
                }
                _ => {
                    assert_eq!(out.len(), 8);
                    be_i64(out)
                }
            };
            match v {
                Value::Integer(i) => assert_eq!(got, *i),
                Value::Real(f) => assert_eq!(got as f64, *f, "integral real"),
                Value::Text(t) => {
                    let s = std::str::from_utf8(t).expect("utf-8");
                    let s = s.strip_prefix('+').unwrap_or(s);
                    assert_eq!(Ok(i128::from(got)), s.parse::<i128>());
                }
                Value::Blob(b) => {
                    // Drizzle's blob bigint mode: canonical ascii digits only
                    let s = std::str::from_utf8(b).expect("ascii digits");
                    assert_eq!(i128::from(got).to_string(), s, "integer blob is its canonical digits");
                }
            }
        }
        PgType::Float4 => {
            assert_eq!(out.len(), 4);
            let g = f32::from_bits(u32::from_be_bytes(out.try_into().unwrap()));
            match v {
                Value::Integer(i) => assert_eq!(g as i128, i128::from(*i)),
                Value::Real(f) => assert_eq!(f64::from(g).to_bits(), f.to_bits()),
                Value::Text(t) => {
                    let s = std::str::from_utf8(t).expect("utf-8");
                    let want: f32 = s.parse().expect("accepted float4 text parses");
                    assert_eq!(g.to_bits(), want.to_bits());
                    assert!(g.is_infinite() == want.is_infinite());
                }
                Value::Blob(_) => panic!("blob accepted as float4"),
            }
        }
        PgType::Float8 => {
            assert_eq!(out.len(), 8);
            let g = f64::from_bits(u64::from_be_bytes(out.try_into().unwrap()));
            match v {
                Value::Integer(i) => assert_eq!(g as i128, i128::from(*i)),
                Value::Real(f) => assert_eq!(g.to_bits(), f.to_bits()),
                Value::Text(t) => {
                    let s = std::str::from_utf8(t).expect("utf-8");
                    let want: f64 = s.parse().expect("accepted float8 text parses");
                    assert_eq!(g.to_bits(), want.to_bits());
                }
                Value::Blob(_) => panic!("blob accepted as float8"),
            }
        }
        PgType::Numeric { precision, scale } => check_numeric(*precision, *scale, v, out),
        PgType::Text | PgType::Varchar(_) | PgType::Char(_) => {
            let s = std::str::from_utf8(out).expect("text output is utf-8");
            assert!(!s.contains('\0'), "nul in text");
            if let PgType::Varchar(Some(n)) | PgType::Char(n) = ty {
                assert!(s.chars().count() <= *n as usize, "too long for {}", ty.sql());
            }
            match v {
                Value::Text(b) | Value::Blob(b) => assert_eq!(out, &b[..]),
                Value::Integer(i) => assert_eq!(s, i.to_string()),
                Value::Real(f) => {
                    let back = match s {
                        "NaN" => f64::NAN,
                        "Infinity" => f64::INFINITY,
                        "-Infinity" => f64::NEG_INFINITY,
                        _ => s.parse::<f64>().expect("a real renders as a number"),
                    };
                    if f.is_nan() {
                        assert!(back.is_nan());
                    } else {
                        assert_eq!(back.to_bits(), f.to_bits(), "real text round trip");
                    }
                }
            }
        }
        PgType::Bytea => match v {
            Value::Text(b) | Value::Blob(b) => assert_eq!(out, &b[..]),
            _ => panic!("number accepted as bytea"),
        },
        PgType::Uuid => {
            assert_eq!(out.len(), 16);
            match v {
                Value::Blob(b) => assert_eq!(out, &b[..]),
                Value::Text(t) => {
                    let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
                    let s = String::from_utf8_lossy(t).to_ascii_lowercase();
                    let plain = if s.len() == 36 {
                        for p in [8, 13, 18, 23] {
                            assert_eq!(s.as_bytes()[p], b'-');
                        }
                        s.replace('-', "")
                    } else {
                        s
                    };
                    assert_eq!(hex, plain);
                }
                _ => panic!("number accepted as uuid"),
            }
        }
        PgType::Date | PgType::Time { .. } | PgType::Timestamp { .. } | PgType::Timestamptz { .. } => {
            check_datetime(ty, fmt, v, out)
        }
        PgType::Interval => {
            assert_eq!(out.len(), 16);
            let (usec, days, months) = (be_i64(out), be_i32(&out[8..]), be_i32(&out[12..]));
            if let Value::Integer(i) = v {
                assert_eq!(months, 0);
                assert!((0..USEC_PER_DAY).contains(&usec));
                let want = match fmt {
                    ColumnFormat::Iso => panic!("number accepted in an iso interval"),
                    ColumnFormat::EpochSeconds => i128::from(*i) * 1_000_000,
                    ColumnFormat::EpochMillis => i128::from(*i) * 1000,
                    ColumnFormat::EpochNanos => {
                        assert_eq!(i % 1000, 0, "nanoseconds below a microsecond accepted");
                        i128::from(*i) / 1000
                    }
                    ColumnFormat::Auto | ColumnFormat::EpochMicros => i128::from(*i),
                };
                assert_eq!(i128::from(days) * i128::from(USEC_PER_DAY) + i128::from(usec), want);
            }
        }
        PgType::Json | PgType::Jsonb => {
            let body = if matches!(ty, PgType::Jsonb) {
                assert_eq!(out.first(), Some(&1), "jsonb version byte");
                &out[1..]
            } else {
                out
            };
            serde_json::from_slice::<serde::de::IgnoredAny>(body).expect("json output is json");
            match v {
                Value::Text(b) => assert_eq!(body, &b[..]),
                // json text as written, or else SQLite's JSONB rendered by SQLite's json()
                Value::Blob(b) => assert!(
                    body == &b[..] || serde_json::from_slice::<serde::de::IgnoredAny>(b).is_err(),
                    "json text blob rewritten"
                ),
                Value::Integer(i) => assert_eq!(body, i.to_string().as_bytes()),
                Value::Real(f) => {
                    let back: f64 = std::str::from_utf8(body).unwrap().parse().unwrap();
                    assert_eq!(back.to_bits(), f.to_bits());
                }
            }
        }
        PgType::Inet | PgType::Cidr => {
            assert!(out.len() == 8 || out.len() == 20, "inet length");
            let (family, bits, is_cidr, nb) = (out[0], out[1], out[2], out[3]);
            assert!(matches!((family, nb), (2, 4) | (3, 16)));
            assert_eq!(out.len(), 4 + usize::from(nb));
            assert!(bits <= nb * 8);
            assert_eq!(is_cidr == 1, matches!(ty, PgType::Cidr));
            let Value::Text(t) = v else { panic!("non-text accepted as inet") };
            let s = std::str::from_utf8(t).unwrap();
            let addr = s.split('/').next().unwrap();
            let parsed: std::net::IpAddr = addr.parse().expect("accepted address parses");
            let octets = match parsed {
                std::net::IpAddr::V4(a) => a.octets().to_vec(),
                std::net::IpAddr::V6(a) => a.octets().to_vec(),
            };
            assert_eq!(&out[4..], &octets[..]);
        }
        PgType::Enum { labels } => {
            let Value::Text(t) = v else { panic!("non-text accepted as enum") };
            assert_eq!(out, &t[..]);
            assert!(labels.iter().any(|l| l.as_bytes() == out));
        }
        PgType::Array(elem) => check_array(elem, v, out),
    }
}

fn check_numeric(precision: Option<u16>, scale: Option<u16>, v: &Value, out: &[u8]) {
    let decoded = decode_numeric(out);
    if let (Some(p), Numeric::Finite((_, digits, exp_of_last), dscale)) = (precision, &decoded) {
        let s = i128::from(scale.unwrap_or(0));
        assert_eq!(i128::from(*dscale), s, "numeric(p,s) dscale");
        if !digits.is_empty() {
            // apply_typmod: no rounding (fraction digits <= s) and integer digits < 10^(p-s)
            assert!(-exp_of_last <= s, "more fraction digits than the scale");
            let top = exp_of_last + digits.len() as i128 - 1;
            assert!(top < i128::from(p) - s, "exceeds numeric precision");
        }
    }
    if precision.is_some() {
        assert!(!matches!(decoded, Numeric::Inf(_)), "infinity in a constrained numeric");
    }
    match v {
        Value::Integer(i) => match decoded {
            Numeric::Finite(norm, _) => assert_eq!(Some(norm), decimal_text(&i.to_string())),
            _ => panic!("integer became a special numeric"),
        },
        Value::Real(f) => match decoded {
            Numeric::NaN => assert!(f.is_nan()),
            Numeric::Inf(neg) => assert!(f.is_infinite() && neg == (*f < 0.0)),
            Numeric::Finite((neg, digits, exp), _) => {
                assert!(f.is_finite());
                assert!(digits.len() <= 15, "a real keeps 15 significant digits");
                let text =
                    format!("{}{}e{}", if neg { "-" } else { "" }, if digits.is_empty() { "0" } else { &digits }, exp);
                let back: f64 = text.parse().unwrap();
                if back.is_infinite() {
                    // 15 digits of a double near f64::MAX round up past it: fine for numeric
                    assert!(f.abs() > 1.797e308, "real as numeric overflows");
                } else if f.abs() > 1e-290 {
                    assert!((back - f).abs() <= f.abs() * 1e-14, "real as numeric: {back} vs {f}");
                } else {
                    assert!((back - f).abs() <= 1e-290);
                }
            }
        },
        Value::Text(t) => {
            let s = std::str::from_utf8(t).expect("utf-8");
            let lower = s.to_ascii_lowercase();
            let unsigned = lower.trim_start_matches(['+', '-']);
            match decoded {
                Numeric::NaN => assert_eq!(lower, "nan"),
                Numeric::Inf(neg) => {
                    assert!(unsigned == "inf" || unsigned == "infinity");
                    assert_eq!(neg, lower.starts_with('-'));
                }
                Numeric::Finite(norm, dscale) => {
                    assert_eq!(Some(norm), decimal_text(s), "numeric text round trip");
                    if precision.is_none() {
                        // the written scale is kept (as numeric_in does): digits after the point, less the exponent
                        let (mantissa, exp) = match lower.find('e') {
                            Some(p) => (&lower[..p], lower[p + 1..].parse::<i128>().unwrap_or(0)),
                            None => (lower.as_str(), 0),
                        };
                        let written = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i128) - exp;
                        if (0..=0x3FFF).contains(&written) {
                            assert!(i128::from(dscale) >= written, "written scale kept");
                        }
                    }
                }
            }
        }
        Value::Blob(_) => panic!("blob accepted as numeric"),
    }
}

fn check_datetime(ty: &PgType, fmt: ColumnFormat, v: &Value, out: &[u8]) {
    let (usec, is_date) = match ty {
        PgType::Date => {
            assert_eq!(out.len(), 4);
            let days = i64::from(be_i32(out));
            // date_recv: 4713-11-24 BC (julian day 0) up to 5874898-01-01
            assert!((-2_451_545..2_145_031_949).contains(&days), "date out of postgresql's range");
            (days * USEC_PER_DAY, true)
        }
        _ => {
            assert_eq!(out.len(), 8);
            (be_i64(out), false)
        }
    };
    let precision = match ty {
        PgType::Time { precision } | PgType::Timestamp { precision } | PgType::Timestamptz { precision } => {
            usize::from(precision.unwrap_or(6).min(6))
        }
        _ => 0,
    };
    if let PgType::Time { .. } = ty {
        assert!((0..=USEC_PER_DAY).contains(&usec), "time of day");
        let Value::Text(t) = v else { panic!("non-text accepted as time") };
        // ActiveRecord's dummy date is the only date a time may carry
        let t = t.strip_prefix(b"2000-01-01 ").or_else(|| t.strip_prefix(b"2000-01-01T")).unwrap_or(t);
        let mut c = Text { s: t, i: 0 };
        let (want, sig) = c.clock().expect("accepted time parses");
        assert!(c.end());
        assert_eq!(usec, want);
        assert!(sig <= precision, "time fraction beyond precision");
        return;
    }
    if !is_date {
        // timestamp_recv's range
        assert!((-211_813_488_000_000_000..9_223_371_331_200_000_000).contains(&usec), "timestamp out of range");
        let sub = usec.rem_euclid(USEC_PER_SEC);
        let digits = if sub == 0 { 0 } else { 6 - (0..6).take_while(|k| sub % 10i64.pow(k + 1) == 0).count() };
        assert!(digits <= precision, "timestamp finer than its precision");
    }
    match v {
        Value::Text(t) => {
            let (local, offset, sig, has_time) = expected_timestamp(t).expect("accepted timestamp parses");
            assert!(sig <= if is_date { 6 } else { precision });
            if is_date {
                assert!(offset.is_none(), "date with offset");
                assert_eq!(usec, local, "date text");
                let _ = has_time;
            } else {
                assert_eq!(usec, local - offset.unwrap_or(0) * USEC_PER_SEC, "timestamp text");
            }
        }
        Value::Integer(i) => {
            let per_unit: i128 = match fmt {
                ColumnFormat::Iso => panic!("number accepted in an iso column"),
                ColumnFormat::EpochNanos => {
                    assert_eq!(i % 1000, 0, "nanoseconds below a microsecond accepted");
                    let want = i128::from(*i) / 1000 - i128::from(PG_EPOCH_UNIX_SECS) * 1_000_000;
                    assert_eq!(i128::from(usec), want, "epoch nanoseconds");
                    return;
                }
                ColumnFormat::EpochSeconds => 1_000_000,
                ColumnFormat::EpochMillis => 1_000,
                ColumnFormat::EpochMicros => 1,
                ColumnFormat::Auto if i.unsigned_abs() < 100_000_000_000 => 1_000_000,
                ColumnFormat::Auto if i.unsigned_abs() < 100_000_000_000_000 => 1_000,
                ColumnFormat::Auto => panic!("ambiguous epoch accepted"),
            };
            let want = i128::from(*i) * per_unit - i128::from(PG_EPOCH_UNIX_SECS) * 1_000_000;
            assert_eq!(i128::from(usec), want, "epoch integer");
        }
        Value::Real(f) => {
            assert!(f.is_finite());
            let per_unit: f64 = match fmt {
                ColumnFormat::Iso => panic!("number accepted in an iso column"),
                ColumnFormat::EpochNanos => panic!("real accepted as nanoseconds"),
                ColumnFormat::EpochSeconds => 1e6,
                ColumnFormat::EpochMillis => 1e3,
                ColumnFormat::EpochMicros => 1.0,
                ColumnFormat::Auto if f.abs() < 1e11 => 1e6,
                ColumnFormat::Auto if f.abs() < 1e14 => 1e3,
                ColumnFormat::Auto => panic!("ambiguous epoch accepted"),
            };
            let want = f * per_unit - (PG_EPOCH_UNIX_SECS as f64) * 1e6;
            let got = usec as f64;
            assert!((got - want).abs() <= 1.0 + want.abs() * 1e-15, "epoch real: {got} vs {want}");
        }
        Value::Blob(_) => panic!("blob accepted as a date/time"),
    }
}

fn check_array(elem: &PgType, v: &Value, out: &[u8]) {
    assert!(!matches!(elem, PgType::Array(_) | PgType::Enum { .. }), "array of arrays/enums accepted");
    let Value::Text(t) = v else { panic!("non-text accepted as array") };
    // count and nulls from a parse that skips numbers (1e400 is fine for numeric elements)
    let shape: Vec<Option<serde::de::IgnoredAny>> = serde_json::from_slice(t).expect("accepted array is a json array");
    // values, when every number fits a double
    let values: Option<Vec<serde_json::Value>> = serde_json::from_slice(t).ok();
    let ndim = be_i32(out);
    let has_null = be_i32(&out[4..]);
    let oid = u32::from_be_bytes(out[8..12].try_into().unwrap());
    assert_eq!(oid, elem.oid());
    if ndim == 0 {
        assert_eq!(out.len(), 12);
        assert!(shape.is_empty());
        return;
    }
    assert_eq!(ndim, 1);
    let count = be_i32(&out[12..]);
    assert_eq!(be_i32(&out[16..]), 1, "lower bound");
    assert_eq!(count as usize, shape.len(), "element count");
    let mut at = 20;
    let mut saw_null = false;
    let fixed = match elem {
        PgType::Bool => Some(1),
        PgType::Int2 => Some(2),
        PgType::Int4 | PgType::Float4 | PgType::Date => Some(4),
        PgType::Int8 | PgType::Float8 | PgType::Time { .. } | PgType::Timestamp { .. } | PgType::Timestamptz { .. } => {
            Some(8)
        }
        PgType::Uuid | PgType::Interval => Some(16),
        _ => None,
    };
    for (k, present) in shape.iter().enumerate() {
        let len = be_i32(&out[at..]);
        at += 4;
        if len == -1 {
            assert!(present.is_none(), "null element");
            saw_null = true;
            continue;
        }
        assert!(present.is_some(), "non-null element");
        let len = usize::try_from(len).expect("element length");
        let body = &out[at..at + len];
        at += len;
        if let Some(n) = fixed {
            assert_eq!(len, n, "element width");
        }
        let Some(item) = values.as_ref().map(|v| &v[k]) else { continue };
        match (elem, item) {
            (PgType::Int8, serde_json::Value::Number(n)) if n.is_i64() => assert_eq!(Some(be_i64(body)), n.as_i64()),
            (PgType::Int4, serde_json::Value::Number(n)) if n.is_i64() => {
                assert_eq!(Some(i64::from(be_i32(body))), n.as_i64())
            }
            (PgType::Text | PgType::Varchar(_) | PgType::Char(_), serde_json::Value::String(s)) => {
                assert_eq!(body, s.as_bytes())
            }
            (PgType::Bytea, serde_json::Value::String(s)) => assert_eq!(body, s.as_bytes()),
            _ => {}
        }
    }
    assert_eq!(at, out.len(), "array length");
    assert_eq!(has_null == 1, saw_null, "has-nulls flag");
}
