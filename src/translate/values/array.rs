//! one-dimensional arrays from TEXT holding a JSON array, elements converted by the same rules

use std::borrow::Cow;

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;

use super::encode::encode as encode_value;
use super::error::{checked_str, ConvertError};
use super::{numeric, ColumnFormat, PgType};

const BAD_ARRAY: ConvertError = ConvertError::Invalid("text is not a json array");

/// One element of a flat JSON array.
#[derive(Debug, PartialEq)]
enum Element<'a> {
    Null,
    Bool(bool),
    /// the number exactly as written
    Number(&'a str),
    Str(Cow<'a, str>),
}

/// TEXT holding a JSON array; numbers become INTEGER (or, for decimal-keeping element types,
/// their exact text), strings TEXT, `null` NULL, `true`/`false` the text `true`/`false`.
/// Nested arrays and objects are refused. Binary: ndim, has-nulls flag, element OID,
/// (length, lower bound 1), then each element with its length (-1 for NULL).
pub(super) fn encode(
    elem: &PgType,
    fmt: ColumnFormat,
    v: ValueRef<'_>,
    out: &mut BytesMut,
) -> Result<(), ConvertError> {
    if matches!(elem, PgType::Enum { .. } | PgType::Array(_)) {
        return Err(ConvertError::Invalid("arrays of enums or arrays are not supported"));
    }
    let ValueRef::Text(b) = v else {
        return Err(ConvertError::Class { class: super::error::class_name(&v), target: format!("{}[]", elem.sql()) });
    };
    let s = checked_str(b)?;
    let start = out.len();
    out.put_i32(1);
    out.put_i32(0);
    out.put_u32(elem.oid());
    out.put_i32(0); // element count, patched below
    out.put_i32(1);
    let mut p = Parser { s, i: 0 };
    p.ws();
    if !p.eat(b'[') {
        return Err(BAD_ARRAY);
    }
    let mut count: usize = 0;
    let mut has_null = false;
    p.ws();
    if !p.eat(b']') {
        loop {
            p.ws();
            let el = p.element()?;
            count += 1;
            let wrap = |e: ConvertError| ConvertError::Element { index: count, source: Box::new(e) };
            has_null |= el == Element::Null;
            write_element(elem, fmt, el, out).map_err(wrap)?;
            p.ws();
            if p.eat(b']') {
                break;
            }
            if !p.eat(b',') {
                return Err(BAD_ARRAY);
            }
        }
    }
    p.ws();
    if p.i != s.len() {
        return Err(BAD_ARRAY);
    }
    if count == 0 {
        out.truncate(start);
        out.put_i32(0);
        out.put_i32(0);
        out.put_u32(elem.oid());
        return Ok(());
    }
    let count = i32::try_from(count).map_err(|_| BAD_ARRAY)?;
    out[start + 4..start + 8].copy_from_slice(&i32::from(has_null).to_be_bytes());
    out[start + 12..start + 16].copy_from_slice(&count.to_be_bytes());
    Ok(())
}

fn write_element(elem: &PgType, fmt: ColumnFormat, el: Element<'_>, out: &mut BytesMut) -> Result<(), ConvertError> {
    if el == Element::Null {
        out.put_i32(-1);
        return Ok(());
    }
    let len_at = out.len();
    out.put_i32(0);
    let keeps_decimals = matches!(
        elem,
        PgType::Numeric { .. }
            | PgType::Float4
            | PgType::Float8
            | PgType::Text
            | PgType::Varchar(_)
            | PgType::Char(_)
            | PgType::Json
            | PgType::Jsonb
    );
    match el {
        Element::Null => {}
        Element::Bool(b) => encode_value(elem, fmt, ValueRef::Text(if b { b"true" } else { b"false" }), out)?,
        Element::Str(s) => encode_value(elem, fmt, ValueRef::Text(s.as_bytes()), out)?,
        Element::Number(n) => match n.parse::<i64>() {
            Ok(i) => encode_value(elem, fmt, ValueRef::Integer(i), out)?,
            Err(_) if keeps_decimals => encode_value(elem, fmt, ValueRef::Text(n.as_bytes()), out)?,
            // `1.0` or `9.007199254740993e15`: integral, but a trip through f64 could round it
            Err(_) if matches!(elem, PgType::Int2 | PgType::Int4 | PgType::Int8) => {
                let i = numeric::exact_integer(elem, n.as_bytes())?;
                encode_value(elem, fmt, ValueRef::Integer(i), out)?
            }
            Err(_) => match n.parse::<f64>() {
                Ok(f) if f.is_finite() => encode_value(elem, fmt, ValueRef::Real(f), out)?,
                _ => return Err(ConvertError::Range { what: "number", target: elem.sql() }),
            },
        },
    }
    let len = i32::try_from(out.len() - len_at - 4).map_err(|_| ConvertError::TooLong { target: elem.sql() })?;
    out[len_at..len_at + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while matches!(self.s.as_bytes().get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.s.as_bytes().get(self.i) == Some(&c);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn word(&mut self, w: &str) -> bool {
        let hit = self.s[self.i..].starts_with(w);
        if hit {
            self.i += w.len();
        }
        hit
    }

    fn element(&mut self) -> Result<Element<'a>, ConvertError> {
        let b = self.s.as_bytes();
        match b.get(self.i) {
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => Err(ConvertError::Invalid("nested arrays are not supported")),
            Some(b'{') => Err(ConvertError::Invalid("objects are not supported as array elements")),
            _ if self.word("null") => Ok(Element::Null),
            _ if self.word("true") => Ok(Element::Bool(true)),
            _ if self.word("false") => Ok(Element::Bool(false)),
            _ => Err(BAD_ARRAY),
        }
    }

    /// a JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Element<'a>, ConvertError> {
        let b = self.s.as_bytes();
        let start = self.i;
        let digits = |p: &mut Parser<'a>| {
            let from = p.i;
            while b.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - from
        };
        self.eat(b'-');
        let int_start = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && b[int_start] == b'0') {
            return Err(BAD_ARRAY);
        }
        if self.eat(b'.') && digits(self) == 0 {
            return Err(BAD_ARRAY);
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            if digits(self) == 0 {
                return Err(BAD_ARRAY);
            }
        }
        Ok(Element::Number(&self.s[start..self.i]))
    }

    /// a JSON string; borrowed when it has no escapes
    fn string(&mut self) -> Result<Element<'a>, ConvertError> {
        let b = self.s.as_bytes();
        let start = self.i;
        self.i += 1;
        let mut escaped = false;
        loop {
            match b.get(self.i) {
                None => return Err(BAD_ARRAY),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.i += 2;
                }
                Some(c) if *c < 0x20 => return Err(BAD_ARRAY),
                Some(_) => self.i += 1,
            }
        }
        self.i += 1;
        let token = self.s.get(start..self.i).ok_or(BAD_ARRAY)?;
        if !escaped {
            return Ok(Element::Str(Cow::Borrowed(&token[1..token.len() - 1])));
        }
        let owned: String = serde_json::from_str(token).map_err(|_| BAD_ARRAY)?;
        Ok(Element::Str(Cow::Owned(owned)))
    }
}

#[cfg(test)]
#[path = "array_tests.rs"]
mod tests;
