//! type inference for SCHEMA=auto: the most specific type every value of a column converts into

use bytes::BytesMut;
use rusqlite::types::ValueRef;

use super::datetime::parse_timestamp;
use super::declared::{self, Kind, UNTYPED};
use super::round::Rounding;
use super::{encode, encode_rounded, ColumnFormat, PgType};

/// Integers (and reals) smaller than this are not plausible epochs in an inferred date or
/// timestamp column (0, 2024, 20240101): they make the column fall back.
const MIN_PLAUSIBLE_EPOCH: f64 = 1e8;

/// The chosen type, and a note (never containing values) when the data did not fit the
/// declared type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inferred {
    pub(crate) ty: PgType,
    pub(crate) note: Option<String>,
}

/// A DEFAULT that is a quoted string SQLite keeps as text although the column's affinity is numeric (INTEGER,
/// REAL or NUMERIC): `is_public integer default '"0"'` stores the text `"0"`. The column then holds text whenever
/// a row takes its default, so the type inference sees the default as one of its values. None for any other
/// default, which SQLite stores as the affinity says, or which is not a plain literal.
pub(crate) fn text_default_in_numeric_column(declared_type: &str, default: &str) -> Option<String> {
    let t = declared_type.to_ascii_uppercase();
    let text_or_blob = ["CHAR", "CLOB", "TEXT", "BLOB"].iter().any(|k| t.contains(k)) || t.trim().is_empty();
    let text = unquote(default.trim())?;
    (!text_or_blob && !looks_numeric(&text)).then_some(text)
}

/// The text of a SQLite string literal, `'it''s'` or `"it""s"` (a double-quoted string is a string in a DEFAULT).
fn unquote(literal: &str) -> Option<String> {
    let quote = literal.chars().next().filter(|q| *q == '\'' || *q == '"')?;
    let inner = literal.strip_prefix(quote)?.strip_suffix(quote)?;
    let doubled: String = [quote, quote].iter().collect();
    // a lone quote inside would end the literal: then this is not one literal
    let rest = inner.replace(&doubled, "");
    (!rest.contains(quote)).then(|| inner.replace(&doubled, &quote.to_string()))
}

/// Whether SQLite's numeric affinity turns this text into a number: a decimal integer or real, with optional sign,
/// fraction and exponent, and whitespace around it.
fn looks_numeric(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(at) => (&t[..at], Some(&t[at + 1..])),
        None => (t, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// One pass over a column's values; each value eliminates the candidates it cannot be converted
/// into, using [`super::encode`] itself, so inference and copy always agree.
#[derive(Debug)]
pub(crate) struct Inference {
    declared: String,
    kind: Kind,
    candidates: Vec<PgType>,
    alive: Vec<bool>,
    fmt: ColumnFormat,
    /// values per storage class: integer, real, text, blob
    seen: [u64; 4],
    /// values the declared type's first candidate refused, per storage class
    refused: [u64; 4],
    saw_offset: bool,
    /// ROUND_TIME names the column: a time finer than a candidate does not rule it out
    round_time: bool,
    scratch: BytesMut,
}

impl Inference {
    /// `declared_type` as written in SQLite ("NVARCHAR(160)", "", "decimal (5, 2)"...).
    pub(crate) fn new(declared_type: &str) -> Inference {
        let d = declared::parse(declared_type);
        Inference {
            declared: declared_type.trim().to_string(),
            kind: d.kind,
            alive: vec![true; d.candidates.len()],
            candidates: d.candidates,
            fmt: ColumnFormat::Auto,
            seen: [0; 4],
            refused: [0; 4],
            saw_offset: false,
            round_time: false,
            scratch: BytesMut::with_capacity(64),
        }
    }

    /// Whether the declared type allows one PostgreSQL type only (TEXT, for one): then no value can change the
    /// choice, and scanning the column is wasted work (a value that does not fit fails the copy, naming its rowid).
    pub(crate) fn is_settled(&self) -> bool {
        self.candidates.len() == 1 && self.kind != Kind::Untyped
    }

    /// Read numbers in date and timestamp candidates with this format (default `Auto`).
    #[cfg(test)]
    fn with_format(mut self, fmt: ColumnFormat) -> Inference {
        self.fmt = fmt;
        self
    }

    /// Let times finer than a candidate be rounded to it, as ROUND_TIME does during the copy.
    pub(crate) fn with_rounding(mut self, round_time: bool) -> Inference {
        self.round_time = round_time;
        self
    }

    pub(crate) fn observe(&mut self, v: ValueRef<'_>) {
        let class = match v {
            ValueRef::Null => return,
            ValueRef::Integer(_) => 0,
            ValueRef::Real(_) => 1,
            ValueRef::Text(_) => 2,
            ValueRef::Blob(_) => 3,
        };
        self.seen[class] += 1;
        let implausible_epoch = match v {
            // compared with 1e8 only: rounding to f64 cannot change the outcome
            ValueRef::Integer(i) => (i.unsigned_abs() as f64) < MIN_PLAUSIBLE_EPOCH,
            ValueRef::Real(f) => f.abs() < MIN_PLAUSIBLE_EPOCH,
            _ => false,
        };
        let untyped = self.kind == Kind::Untyped;
        for (k, ty) in self.candidates.iter().enumerate() {
            // the first candidate is always tried, so the note can count what it refused
            let counted = k == 0 && !untyped;
            if !self.alive[k] && !counted {
                continue;
            }
            let is_datetime = matches!(ty, PgType::Date | PgType::Timestamp { .. } | PgType::Timestamptz { .. });
            self.scratch.clear();
            let ok = !(is_datetime && implausible_epoch)
                && match accepts_without_copy(ty, v) {
                    Some(ok) => ok,
                    None if self.round_time => encode_rounded(ty, self.fmt, v, &mut self.scratch).is_ok(),
                    None => encode(ty, self.fmt, v, &mut self.scratch).is_ok(),
                };
            if !ok {
                self.alive[k] = false;
                if counted {
                    self.refused[class] += 1;
                }
            } else if let (true, PgType::Timestamp { .. }, ValueRef::Text(b)) = (self.alive[k], ty, v) {
                self.saw_offset |=
                    parse_timestamp(ty, b, None, Rounding::Nearest).is_ok_and(|p| p.offset_secs.is_some());
            }
        }
    }

    /// Whether a value too large to read whole can be observed by [`Inference::observe_large`]: every candidate that
    /// can decide the type takes such a value by its bytes (`bytea`, `text`, `varchar`, `char`). In an untyped
    /// column a text or blob leaves only `text` or `bytea` to choose from, whatever the numeric candidates say.
    pub(crate) fn takes_large(&self) -> bool {
        self.kind == Kind::Untyped || self.candidates.iter().all(takes_bytes)
    }

    /// [`Inference::observe`] for a large TEXT (`text`) or BLOB whose bytes are not in memory: `check` reads them,
    /// as text, and gives their characters (counted for a length limit, as [`super::TextPieces`] does), or None when
    /// text refuses them. It is called at most once, and only when a candidate needs the answer.
    pub(crate) fn observe_large<E>(
        &mut self,
        text: bool,
        check: impl FnOnce() -> Result<Option<u64>, E>,
    ) -> Result<(), E> {
        let class = if text { 2 } else { 3 };
        self.seen[class] += 1;
        let untyped = self.kind == Kind::Untyped;
        let mut check = Some(check);
        let mut checked: Option<Option<u64>> = None;
        for (k, ty) in self.candidates.iter().enumerate() {
            let counted = k == 0 && !untyped;
            if !self.alive[k] && !counted {
                continue;
            }
            let ok = match ty {
                PgType::Bytea => true,
                PgType::Text | PgType::Varchar(_) | PgType::Char(_) => {
                    let chars = match (checked, check.take()) {
                        (Some(c), _) => c,
                        (None, Some(f)) => *checked.insert(f()?),
                        (None, None) => None,
                    };
                    match (ty, chars) {
                        (PgType::Varchar(Some(n)) | PgType::Char(n), Some(c)) => c <= u64::from(*n),
                        (_, c) => c.is_some(),
                    }
                }
                // only in an untyped column, where a text or blob rules these out of the choice anyway
                _ => false,
            };
            if !ok {
                self.alive[k] = false;
                if counted {
                    self.refused[class] += 1;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Inferred {
        let order: Vec<usize> =
            if self.kind == Kind::Untyped { self.untyped_order() } else { (0..self.candidates.len()).collect() };
        let chosen = order.iter().copied().find(|&k| self.alive[k]);
        let total: u64 = self.seen.iter().sum();
        let natural = order.first().copied().unwrap_or(0);
        let (k, survived) = match chosen {
            Some(k) => (k, true),
            None => (order.last().copied().unwrap_or(0), false),
        };
        let mut ty = self.candidates[k].clone();
        if let PgType::Timestamp { precision } = ty {
            if self.saw_offset {
                ty = PgType::Timestamptz { precision };
            }
        }
        let note = if total == 0 {
            None
        } else if self.kind == Kind::Untyped {
            (!survived).then(|| format!("untyped column holds values no single type accepts; using {}", ty.sql()))
        } else if survived && is_integer(&self.candidates[natural]) && is_integer(&ty) {
            // SQLite integers are 64-bit whatever the declaration: a wider integer type is no mismatch
            None
        } else if k != natural || !survived {
            let mut note = format!(
                "declared {} but {} value(s) do not fit {} ({}); using {}",
                self.declared,
                self.refused.iter().sum::<u64>(),
                self.candidates[natural].sql(),
                self.class_summary(),
                ty.sql()
            );
            if !survived {
                note.push_str(", which some values do not fit either");
            }
            Some(note)
        } else if matches!(ty, PgType::Timestamptz { .. }) && self.kind == Kind::Timestamp {
            Some(format!("declared {} and values carry utc offsets; using {}", self.declared, ty.sql()))
        } else {
            None
        };
        Inferred { ty, note }
    }

    /// For an untyped column, the candidates (indexes into `UNTYPED`) the classes present allow.
    fn untyped_order(&self) -> Vec<usize> {
        let index = |ty: PgType| UNTYPED.iter().position(|t| *t == ty).unwrap_or(0);
        let text = index(PgType::Text);
        match self.seen {
            [i, 0, 0, 0] if i > 0 => vec![index(PgType::Int4), index(PgType::Int8)],
            [_, r, 0, 0] if r > 0 => {
                vec![index(PgType::Float8), index(PgType::Numeric { precision: None, scale: None }), text]
            }
            [0, 0, 0, b] if b > 0 => vec![index(PgType::Bytea)],
            _ => vec![text],
        }
    }

    /// "2 text, 1 real": the storage classes of the refused values
    fn class_summary(&self) -> String {
        ["integer", "real", "text", "blob"]
            .iter()
            .zip(self.refused)
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{n} {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
#[path = "infer_tests.rs"]
mod tests;

fn is_integer(ty: &PgType) -> bool {
    matches!(ty, PgType::Int2 | PgType::Int4 | PgType::Int8)
}

/// Whether `encode` would accept the value, decided without encoding it where that is cheap: a large BLOB or
/// text into `bytea` or `text` (a 300 MB BLOB must not be copied just to learn its column's type), and the
/// common cases that would otherwise format every number as text twice per value during inference.
/// `None`: ask `encode`. Tested against `encode` in infer_tests.rs.
fn accepts_without_copy(ty: &PgType, v: ValueRef<'_>) -> Option<bool> {
    const LARGE: usize = 64 * 1024;
    match (ty, v) {
        (PgType::Bytea, ValueRef::Blob(b) | ValueRef::Text(b)) if b.len() > LARGE => Some(true),
        (PgType::Text, ValueRef::Blob(b) | ValueRef::Text(b)) => Some(super::error::checked_str(b).is_ok()),
        (PgType::Text, ValueRef::Integer(_) | ValueRef::Real(_)) => Some(true),
        (PgType::Numeric { precision: None, .. }, ValueRef::Integer(_)) => Some(true),
        // without building the out-of-range error (a String) for every epoch-millisecond value an integer refuses
        (PgType::Int2, ValueRef::Integer(i)) => Some(i16::try_from(i).is_ok()),
        (PgType::Int4, ValueRef::Integer(i)) => Some(i32::try_from(i).is_ok()),
        (PgType::Int8, ValueRef::Integer(_)) => Some(true),
        _ => None,
    }
}

/// A type that takes a TEXT or BLOB by its bytes, so a large one can be checked without holding it whole.
fn takes_bytes(ty: &PgType) -> bool {
    matches!(ty, PgType::Bytea | PgType::Text | PgType::Varchar(_) | PgType::Char(_))
}
