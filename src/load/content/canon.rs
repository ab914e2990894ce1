//! Canonical forms of the values PostgreSQL normalises (numeric scale, jsonb, char(n), arrays of them), compared by meaning

use bytes::BytesMut;
use rusqlite::types::ValueRef;
use serde_json::Value;

use crate::translate::values::{encode, ColumnFormat, PgType};

const SIGN_POS: u16 = 0x0000;
const SIGN_NEG: u16 = 0x4000;

/// How the values of one column are compared: most by the bytes of their binary form, which PostgreSQL sends back
/// as it received them; the others by a canonical form computed the same way on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Canon {
    /// The binary form itself (integers, floats, dates and times, uuid, json, inet, enums...).
    Raw,
    /// text, varchar and bytea: the bytes, or above [`super::digest::BIG_VALUE`] their SHA-256.
    Big,
    /// numeric: the value without leading or trailing zero digit groups, with the column's scale if it has one
    /// (`numeric_recv` rounds to it) or else the scale sent.
    Numeric {
        /// The scale of numeric(p,s); None when unconstrained.
        scale: Option<u16>,
    },
    /// jsonb: PostgreSQL sorts keys, keeps the last of duplicate keys, rewrites whitespace, escapes and numbers; the
    /// parsed value is compared, its numbers as PostgreSQL's numeric keeps them.
    Jsonb,
    /// char(n): PostgreSQL pads to n characters; compared without the trailing spaces (above
    /// [`super::digest::BIG_VALUE`] without them, by their SHA-256).
    Char,
    /// An array whose elements need one of the forms above.
    Array(Box<Canon>),
    /// Not compared: a helper column the load drops once it has filled a table's `tsvector` columns from it.
    Skip,
}

impl Canon {
    /// The comparison for a column of type `ty`.
    pub(crate) fn of(ty: &PgType) -> Canon {
        match ty {
            PgType::Text | PgType::Varchar(_) | PgType::Bytea => Canon::Big,
            PgType::Numeric { precision, scale } => Canon::Numeric { scale: precision.map(|_| scale.unwrap_or(0)) },
            PgType::Jsonb => Canon::Jsonb,
            PgType::Char(_) => Canon::Char,
            PgType::Array(elem) => match Canon::of(elem) {
                Canon::Raw | Canon::Big | Canon::Skip => Canon::Raw,
                e => Canon::Array(Box::new(e)),
            },
            _ => Canon::Raw,
        }
    }
}

/// The form of `bytes` (one value in binary COPY form) that is hashed: `bytes` itself, or a canonical form written
/// into `scratch`. A value that does not parse as its type is compared by its bytes.
pub(crate) fn canonical<'a>(canon: &Canon, bytes: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
    match canon {
        Canon::Raw | Canon::Big | Canon::Skip => bytes,
        Canon::Char => trim_spaces(bytes),
        _ => {
            scratch.clear();
            if write(canon, bytes, scratch).is_some() {
                scratch
            } else {
                bytes
            }
        }
    }
}

fn trim_spaces(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
    &b[..end]
}

fn write(canon: &Canon, bytes: &[u8], out: &mut Vec<u8>) -> Option<()> {
    match canon {
        Canon::Numeric { scale } => numeric(bytes, *scale, out),
        Canon::Jsonb => jsonb(bytes, out),
        Canon::Array(elem) => array(elem, bytes, out),
        Canon::Char => {
            out.extend_from_slice(trim_spaces(bytes));
            Some(())
        }
        Canon::Raw | Canon::Big | Canon::Skip => {
            out.extend_from_slice(bytes);
            Some(())
        }
    }
}

/// Reads big-endian integers off the front of a slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    fn i16(&mut self) -> Option<i16> {
        self.take(2).map(|b| i16::from_be_bytes([b[0], b[1]]))
    }

    fn i32(&mut self) -> Option<i32> {
        self.take(4).map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// numeric's binary form (ndigits, weight, sign, dscale, base-10000 digits) as `make_result` stores it: no leading
/// or trailing zero digits, zero positive with weight 0, NaN and infinities without digits or scale.
fn numeric(bytes: &[u8], scale: Option<u16>, out: &mut Vec<u8>) -> Option<()> {
    let mut r = Reader(bytes);
    let ndigits = usize::try_from(r.i16()?).ok()?;
    let mut weight = r.i16()?;
    let mut sign = r.u16()?;
    let dscale = r.u16()?;
    let digits = r.take(ndigits * 2)?;
    if !r.0.is_empty() {
        return None;
    }
    if sign != SIGN_POS && sign != SIGN_NEG {
        // NaN, Infinity, -Infinity
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&sign.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        return Some(());
    }
    let groups: Vec<&[u8]> = digits.chunks_exact(2).collect();
    let first = groups.iter().position(|g| *g != [0, 0]).unwrap_or(groups.len());
    let last = groups.iter().rposition(|g| *g != [0, 0]).map_or(first, |i| i + 1);
    let kept = &groups[first..last.max(first)];
    if kept.is_empty() {
        (weight, sign) = (0, SIGN_POS);
    } else {
        weight = weight.checked_sub(i16::try_from(first).ok()?)?;
    }
    out.extend_from_slice(&i16::try_from(kept.len()).ok()?.to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&scale.unwrap_or(dscale).to_be_bytes());
    for g in kept {
        out.extend_from_slice(g);
    }
    Some(())
}

/// jsonb's binary form (version 1, then the text) as a canonical encoding of the parsed value: objects with their
/// keys in order (serde_json's map is sorted, and keeps the last of duplicate keys, as jsonb does), strings
/// unescaped, numbers as numeric's canonical binary form of the number as written.
fn jsonb(bytes: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let (1, text) = bytes.split_first()? else {
        return None;
    };
    let value: Value = serde_json::from_slice(text).ok()?;
    out.push(1);
    json(&value, out)
}

fn json(v: &Value, out: &mut Vec<u8>) -> Option<()> {
    match v {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => {
            let text = n.as_str();
            let mut binary = BytesMut::new();
            let unconstrained = PgType::Numeric { precision: None, scale: None };
            if encode(&unconstrained, ColumnFormat::Auto, ValueRef::Text(text.as_bytes()), &mut binary).is_ok() {
                let mut canonical = Vec::new();
                numeric(&binary, None, &mut canonical)?;
                out.push(b'#');
                counted(&canonical, out)?;
            } else {
                out.push(b'N');
                counted(text.as_bytes(), out)?;
            }
        }
        Value::String(s) => {
            out.push(b's');
            counted(s.as_bytes(), out)?;
        }
        Value::Array(items) => {
            out.push(b'[');
            out.extend_from_slice(&u32::try_from(items.len()).ok()?.to_be_bytes());
            for item in items {
                json(item, out)?;
            }
        }
        Value::Object(map) => {
            out.push(b'{');
            out.extend_from_slice(&u32::try_from(map.len()).ok()?.to_be_bytes());
            for (k, item) in map {
                counted(k.as_bytes(), out)?;
                json(item, out)?;
            }
        }
    }
    Some(())
}

fn counted(b: &[u8], out: &mut Vec<u8>) -> Option<()> {
    out.extend_from_slice(&u32::try_from(b.len()).ok()?.to_be_bytes());
    out.extend_from_slice(b);
    Some(())
}

/// An array's binary form (ndim, has-nulls flag, element OID, dimensions, then each element with its length, -1
/// for NULL) with each element in its canonical form; the flag, which `array_recv` works out again, is left out.
fn array(elem: &Canon, bytes: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let mut r = Reader(bytes);
    let ndim = r.i32()?;
    let _has_nulls = r.i32()?;
    let oid = r.take(4)?;
    out.extend_from_slice(&ndim.to_be_bytes());
    out.extend_from_slice(oid);
    for _ in 0..ndim {
        out.extend_from_slice(r.take(8)?);
    }
    let mut scratch = Vec::new();
    while !r.0.is_empty() {
        let len = r.i32()?;
        if len < 0 {
            out.extend_from_slice(&(-1i32).to_be_bytes());
            continue;
        }
        let value = r.take(usize::try_from(len).ok()?)?;
        let c = canonical(elem, value, &mut scratch);
        out.extend_from_slice(&i32::try_from(c.len()).ok()?.to_be_bytes());
        out.extend_from_slice(c);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(ty: &PgType, text: &str) -> Vec<u8> {
        let mut out = BytesMut::new();
        encode(ty, ColumnFormat::Auto, ValueRef::Text(text.as_bytes()), &mut out).expect("encodes");
        out.to_vec()
    }

    fn canon(c: &Canon, bytes: &[u8]) -> Vec<u8> {
        let mut scratch = Vec::new();
        canonical(c, bytes, &mut scratch).to_vec()
    }

    fn numeric_binary(ndigits: i16, weight: i16, sign: u16, dscale: u16, digits: &[i16]) -> Vec<u8> {
        let mut b = Vec::new();
        for v in [ndigits.to_be_bytes(), weight.to_be_bytes(), sign.to_be_bytes(), dscale.to_be_bytes()] {
            b.extend_from_slice(&v);
        }
        for d in digits {
            b.extend_from_slice(&d.to_be_bytes());
        }
        b
    }

    #[test]
    fn numeric_is_compared_without_zero_digit_groups_and_with_the_columns_scale() {
        let c = Canon::Numeric { scale: None };
        // 12.5 as 0012 5000 with leading and trailing zero groups, and as make_result stores it
        let padded = numeric_binary(4, 1, SIGN_POS, 1, &[0, 12, 5000, 0]);
        let stored = numeric_binary(2, 0, SIGN_POS, 1, &[12, 5000]);
        assert_eq!(canon(&c, &padded), canon(&c, &stored));
        assert_eq!(canon(&c, &stored), stored);
        // a different value or display scale is a different value
        assert_ne!(canon(&c, &stored), canon(&c, &numeric_binary(2, 0, SIGN_POS, 2, &[12, 5000])));
        assert_ne!(canon(&c, &stored), canon(&c, &numeric_binary(2, 0, SIGN_NEG, 1, &[12, 5000])));
        // negative zero is zero; NaN keeps no scale
        let zero = numeric_binary(0, 0, SIGN_POS, 2, &[]);
        assert_eq!(canon(&c, &numeric_binary(1, 3, SIGN_NEG, 2, &[0])), zero);
        let nan = numeric_binary(0, 0, 0xC000, 0, &[]);
        assert_eq!(canon(&c, &numeric_binary(0, 5, 0xC000, 7, &[])), nan);
        // numeric(10,2): the column's scale, as numeric_recv's typmod gives it
        let two = Canon::Numeric { scale: Some(2) };
        assert_eq!(canon(&two, &stored), numeric_binary(2, 0, SIGN_POS, 2, &[12, 5000]));
        // what the converter sends is already in stored form
        let ty = PgType::Numeric { precision: Some(10), scale: Some(2) };
        assert_eq!(canon(&Canon::of(&ty), &enc(&ty, "0012.50")), numeric_binary(2, 0, SIGN_POS, 2, &[12, 5000]));
        // not numeric's binary form: compared as it is
        assert_eq!(canon(&c, b"\x00\x05"), b"\x00\x05");
    }

    fn jsonb(text: &str) -> Vec<u8> {
        canon(&Canon::Jsonb, &enc(&PgType::Jsonb, text))
    }

    #[test]
    fn jsonb_is_compared_by_meaning_as_postgresql_normalises_it() {
        // key order, whitespace, duplicate keys (the last wins), escapes
        let sent = r#"{ "b" : [1, 2.50, "\u00e9\/x"], "a": {"y": null, "x": true}, "a": {"x": true, "y": null} }"#;
        let pg = r#"{"a": {"x": true, "y": null}, "b": [1, 2.50, "é/x"]}"#;
        assert_eq!(jsonb(sent), jsonb(pg));
        // numbers as numeric keeps them: the exponent and a minus zero go, the written scale stays
        assert_eq!(jsonb("[1e2, -0, 1.50e1, 0.000]"), jsonb("[100, 0, 15.0, 0.000]"));
        assert_ne!(jsonb("1.50"), jsonb("1.5"));
        assert_ne!(jsonb("123456789012345678901234567890"), jsonb("123456789012345678901234567891"));
        // beyond f64, exactly
        assert_ne!(jsonb("9007199254740993"), jsonb("9007199254740992"));
        assert_eq!(jsonb("1e400"), jsonb("1E+400"));
        // what differs in meaning differs
        assert_ne!(jsonb(r#"{"a": 1}"#), jsonb(r#"{"a": "1"}"#));
        assert_ne!(jsonb(r#"{"a": 1}"#), jsonb(r#"{"b": 1}"#));
        assert_ne!(jsonb("[1, 2]"), jsonb("[2, 1]"));
        assert_ne!(jsonb("[[1], 2]"), jsonb("[1, [2]]"));
        assert_ne!(jsonb(r#"{"a": {}}"#), jsonb(r#"{"a": []}"#));
        assert_ne!(jsonb("null"), jsonb("false"));
        assert_ne!(jsonb(r#""ab""#), jsonb(r#"["a", "b"]"#));
    }

    #[test]
    fn char_is_compared_without_its_padding() {
        assert_eq!(canon(&Canon::Char, b"ab   "), b"ab");
        assert_eq!(canon(&Canon::Char, b"   "), b"");
        assert_ne!(canon(&Canon::Char, b" ab"), canon(&Canon::Char, b"ab"));
    }

    #[test]
    fn arrays_compare_their_elements_by_meaning() {
        let ty = PgType::Array(Box::new(PgType::Jsonb));
        let c = Canon::of(&ty);
        assert_eq!(c, Canon::Array(Box::new(Canon::Jsonb)));
        // elements are json strings holding the documents
        let sent = enc(&ty, r#"["{\"b\": 1, \"a\": 2}", null]"#);
        let pg = enc(&ty, r#"["{\"a\":2,\"b\":1}", null]"#);
        assert_ne!(sent, pg);
        assert_eq!(canon(&c, &sent), canon(&c, &pg));
        assert_ne!(canon(&c, &sent), canon(&c, &enc(&ty, r#"["{\"a\": 2, \"b\": 1}"]"#)));
        assert_ne!(canon(&c, &sent), canon(&c, &enc(&ty, r#"[null, "{\"a\": 2, \"b\": 1}"]"#)));
        // the has-nulls flag is left out: array_recv works it out itself
        let mut flagged = sent.clone();
        flagged[7] ^= 1;
        assert_eq!(canon(&c, &flagged), canon(&c, &sent));
        let num = PgType::Array(Box::new(PgType::Numeric { precision: None, scale: None }));
        assert_eq!(Canon::of(&num), Canon::Array(Box::new(Canon::Numeric { scale: None })));
        assert_eq!(Canon::of(&PgType::Array(Box::new(PgType::Text))), Canon::Raw);
        assert_eq!(canon(&Canon::of(&num), &enc(&num, "[]")), canon(&Canon::of(&num), &enc(&num, " [ ] ")));
    }
}
