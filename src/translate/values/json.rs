//! json and jsonb: validated JSON text, SQLite's binary JSONB, or numbers that become JSON numbers

use std::cell::RefCell;
use std::fmt::Write;

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;
use serde::de::IgnoredAny;

use super::error::{checked_str, class_error, ConvertError};
use super::text::write_float8;
use super::PgType;

const BAD_JSON: ConvertError = ConvertError::Invalid("text is not valid json");

/// TEXT or UTF-8 BLOB holding JSON (checked as PostgreSQL checks it), a BLOB in SQLite's binary
/// JSONB format (Diesel's and Exposed's `Jsonb`, ecto_sqlite3's `:jsonb` encoding) as the JSON text
/// SQLite's `json()` gives for it, INTEGER or finite REAL as a JSON number. jsonb's binary format is
/// a version byte 1 followed by the text.
pub(super) fn encode(ty: &PgType, v: ValueRef<'_>, out: &mut BytesMut) -> Result<(), ConvertError> {
    let jsonb = matches!(ty, PgType::Jsonb);
    if jsonb {
        out.put_u8(1);
    }
    match v {
        ValueRef::Text(b) => json_text(b, jsonb, out)?,
        ValueRef::Blob(b) => match json_text(b, jsonb, out) {
            Err(ConvertError::Utf8 | ConvertError::Nul) | Err(BAD_JSON) => {
                let text = sqlite_jsonb_text(b)?;
                json_text(text.as_bytes(), jsonb, out)?;
            }
            done => done?,
        },
        ValueRef::Integer(i) => write!(out, "{i}").map_err(|_| BAD_JSON)?,
        ValueRef::Real(f) if f.is_finite() => write_float8(out, f),
        ValueRef::Real(_) => return Err(ConvertError::Invalid("infinity is not a json number")),
        ValueRef::Null => return Err(class_error(&v, ty)),
    }
    Ok(())
}

fn json_text(b: &[u8], jsonb: bool, out: &mut BytesMut) -> Result<(), ConvertError> {
    checked_str(b)?;
    serde_json::from_slice::<IgnoredAny>(b).map_err(|_| BAD_JSON)?;
    check_escapes(b, jsonb)?;
    out.extend_from_slice(b);
    Ok(())
}

thread_local! {
    /// SQLite itself reads its JSONB format: one in-memory connection per thread that needs it.
    static SQLITE: RefCell<Option<rusqlite::Connection>> = const { RefCell::new(None) };
}

/// The JSON text of a blob in SQLite's JSONB format, or an error when the blob is not strictly
/// conforming JSONB (`json_valid(x, 8)`).
fn sqlite_jsonb_text(b: &[u8]) -> Result<String, ConvertError> {
    const NOT_JSONB: ConvertError = ConvertError::Invalid("blob is neither json text nor sqlite jsonb");
    const NO_SQLITE: ConvertError = ConvertError::Invalid("cannot open the sqlite that reads jsonb");
    SQLITE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(rusqlite::Connection::open_in_memory().map_err(|_| NO_SQLITE)?);
        }
        let conn = slot.as_ref().ok_or(NO_SQLITE)?;
        let mut stmt =
            conn.prepare_cached("SELECT CASE WHEN json_valid(?1, 8) THEN json(?1) END").map_err(|_| NO_SQLITE)?;
        let text: Option<String> = stmt.query_row([b], |r| r.get(0)).map_err(|_| NOT_JSONB)?;
        text.ok_or(NOT_JSONB)
    })
}

/// What PostgreSQL refuses beyond JSON's grammar: a `\u` high surrogate not followed by a low
/// one (or a lone low one), and for jsonb `\u0000` (its strings are text, which has no NUL).
/// `b` is valid JSON, so every backslash starts an escape inside a string.
fn check_escapes(b: &[u8], jsonb: bool) -> Result<(), ConvertError> {
    let mut i = 0;
    let mut pending_high = false;
    while i < b.len() {
        if b[i] != b'\\' {
            if pending_high {
                return Err(ConvertError::Invalid("json has an unpaired unicode surrogate"));
            }
            i += 1;
            continue;
        }
        let Some(&kind) = b.get(i + 1) else {
            return Err(BAD_JSON);
        };
        if kind != b'u' {
            if pending_high {
                return Err(ConvertError::Invalid("json has an unpaired unicode surrogate"));
            }
            i += 2;
            continue;
        }
        let hex = b.get(i + 2..i + 6).and_then(|h| std::str::from_utf8(h).ok()).ok_or(BAD_JSON)?;
        let code = u16::from_str_radix(hex, 16).map_err(|_| BAD_JSON)?;
        match code {
            0xD800..=0xDBFF if !pending_high => pending_high = true,
            0xDC00..=0xDFFF if pending_high => pending_high = false,
            0xD800..=0xDFFF => return Err(ConvertError::Invalid("json has an unpaired unicode surrogate")),
            _ if pending_high => return Err(ConvertError::Invalid("json has an unpaired unicode surrogate")),
            0 if jsonb => return Err(ConvertError::Invalid("jsonb cannot hold the \\u0000 escape")),
            _ => {}
        }
        i += 6;
    }
    if pending_high {
        return Err(ConvertError::Invalid("json has an unpaired unicode surrogate"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(ty: &PgType, v: ValueRef<'_>) -> Result<Vec<u8>, ConvertError> {
        let mut out = BytesMut::new();
        encode(ty, v, &mut out)?;
        Ok(out.to_vec())
    }

    #[test]
    fn json_text_is_validated_and_kept_as_written() {
        let doc = br#" {"a": [1, 2.50, "x\n\u00e9"], "b": null} "#;
        assert_eq!(enc(&PgType::Json, ValueRef::Text(doc)), Ok(doc.to_vec()));
        let mut expected = vec![1u8];
        expected.extend_from_slice(doc);
        assert_eq!(enc(&PgType::Jsonb, ValueRef::Text(doc)), Ok(expected));
        assert_eq!(enc(&PgType::Json, ValueRef::Blob(b"[true]")), Ok(b"[true]".to_vec()));
        assert_eq!(enc(&PgType::Json, ValueRef::Text(b"\"scalar\"")), Ok(b"\"scalar\"".to_vec()));
        assert_eq!(enc(&PgType::Json, ValueRef::Text(b"1e400")), Ok(b"1e400".to_vec()), "numeric range, not f64");
        for bad in [&b""[..], b"{", b"{'a': 1}", b"[1,]", b"nul", b"{\"a\":1} x", b"\"\x01\"", b"NaN", b"\"\\x\""] {
            assert_eq!(enc(&PgType::Json, ValueRef::Text(bad)), Err(BAD_JSON), "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(enc(&PgType::Json, ValueRef::Text(b"\"\xff\"")), Err(ConvertError::Utf8));
        assert_eq!(enc(&PgType::Json, ValueRef::Text(b"\"a\0\"")), Err(ConvertError::Nul));
    }

    #[test]
    fn sqlite_jsonb_blobs_become_json_text() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let jsonb = |doc: &str| -> Vec<u8> { conn.query_row("SELECT jsonb(?1)", [doc], |r| r.get(0)).unwrap() };
        let b = jsonb(r#"{"a": [1, 2.5, "\u00e9x", null, true], "b": {}}"#);
        assert_eq!(enc(&PgType::Json, ValueRef::Blob(&b)), Ok(br#"{"a":[1,2.5,"\u00e9x",null,true],"b":{}}"#.to_vec()));
        let b = jsonb("[0x10, .5, Infinity, 'x']");
        assert_eq!(enc(&PgType::Jsonb, ValueRef::Blob(&b)), Ok(b"\x01[16,0.5,9e999,\"x\"]".to_vec()));
        let b = jsonb(r#""\u0000""#);
        assert!(enc(&PgType::Json, ValueRef::Blob(&b)).is_ok());
        assert!(enc(&PgType::Jsonb, ValueRef::Blob(&b)).is_err());
        for bad in [&b"\x00\x01"[..], b"\xff", b"\x13", b"", b"\x0b\x01", b"[1,"] {
            assert_eq!(
                enc(&PgType::Json, ValueRef::Blob(bad)),
                Err(ConvertError::Invalid("blob is neither json text nor sqlite jsonb")),
                "{bad:?}"
            );
        }
        // text is never read as jsonb
        assert_eq!(enc(&PgType::Json, ValueRef::Text(&jsonb("[1]"))), Err(BAD_JSON));
    }

    #[test]
    fn postgres_escape_rules() {
        assert!(enc(&PgType::Json, ValueRef::Text(br#""\u0000""#)).is_ok());
        assert!(enc(&PgType::Jsonb, ValueRef::Text(br#""\u0000""#)).is_err());
        assert!(enc(&PgType::Jsonb, ValueRef::Text(br#""\\u0000""#)).is_ok(), "escaped backslash");
        assert!(enc(&PgType::Jsonb, ValueRef::Text(br#""\ud83d\ude00""#)).is_ok());
        for bad in [&br#""\ud83d""#[..], br#""\ude00""#, br#""\ud83dx""#, br#""\ud83d\n""#, br#""\ud83d\ud83d""#] {
            assert!(enc(&PgType::Json, ValueRef::Text(bad)).is_err());
            assert!(enc(&PgType::Jsonb, ValueRef::Text(bad)).is_err());
        }
    }

    #[test]
    fn numbers_become_json_numbers() {
        assert_eq!(enc(&PgType::Json, ValueRef::Integer(-123)), Ok(b"-123".to_vec()));
        assert_eq!(enc(&PgType::Jsonb, ValueRef::Integer(7)), Ok(b"\x017".to_vec()));
        assert_eq!(enc(&PgType::Json, ValueRef::Real(2.5)), Ok(b"2.5".to_vec()));
        assert_eq!(enc(&PgType::Json, ValueRef::Real(1e100)), Ok(b"1e+100".to_vec()));
        assert!(enc(&PgType::Json, ValueRef::Real(f64::INFINITY)).is_err());
        // every number rendering is itself valid json
        for f in [0.1, -0.0, 1e-7, 123456789012345680.0, 5e-324] {
            let out = enc(&PgType::Json, ValueRef::Real(f)).unwrap();
            let back: f64 = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, f);
        }
    }
}
