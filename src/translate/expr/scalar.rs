//! SQLite core scalar functions whose PostgreSQL form depends on the argument types (hex, substr, round, ...)

use super::expression::{Node, Tr};
use super::functions::split_args;
use super::lexer::Kind;
use super::typed::Ty;
use super::{literal, Untranslatable};

/// Functions handled here; the rest of `call` handles names with one PostgreSQL form.
pub(crate) const TYPED: &[&str] = &[
    "hex",
    "unhex",
    "randomblob",
    "zeroblob",
    "random",
    "char",
    "unicode",
    "instr",
    "length",
    "lower",
    "upper",
    "substr",
    "substring",
    "round",
    "abs",
    "sign",
    "glob",
    "like",
    "printf",
    "format",
];

/// The largest randomblob() rendered (4 random bytes per term of the expression).
const MAX_RANDOM_BYTES: i64 = 64;

pub(crate) fn type_refused(name: &str, ty: Ty) -> Untranslatable {
    Untranslatable::new(format!("function {name}() of a {} value is not translated", ty.name()))
}

fn arity(name: &str, n: usize, ok: bool) -> Result<(), Untranslatable> {
    if ok {
        Ok(())
    } else {
        Err(Untranslatable::new(format!("function {name}() with {n} arguments is not translated")))
    }
}

/// The value of an integer literal argument (`7`, `-2`, `(3)`).
pub(crate) fn int_literal(arg: &[Node]) -> Option<i64> {
    match arg {
        [Node::Group(inner)] => int_literal(inner),
        [Node::Tok(t)] if t.kind == Kind::Num => literal::number(&t.text).ok()?.parse().ok(),
        [Node::Tok(s), Node::Tok(t)] if s.is_op("-") && t.kind == Kind::Num => {
            literal::number(&t.text).ok()?.parse::<i64>().ok()?.checked_neg()
        }
        _ => None,
    }
}

/// The value of a string literal argument.
pub(crate) fn str_literal(arg: &[Node]) -> Option<&str> {
    match arg {
        [Node::Group(inner)] => str_literal(inner),
        [Node::Tok(t)] if t.kind == Kind::Str => Some(&t.text),
        _ => None,
    }
}

/// Text of a value as SQLite's `CAST(x AS TEXT)` gives it, for the types where PostgreSQL agrees.
pub(crate) fn as_text(name: &str, sql: &str, ty: Ty) -> Result<String, Untranslatable> {
    Ok(match ty {
        Ty::Text | Ty::Null => sql.to_string(),
        Ty::Int => format!("({sql})::text"),
        Ty::Bool => format!("({sql})::int::text"),
        Ty::Real | Ty::Number => super::realtext::real_text(sql),
        _ => return Err(type_refused(name, ty)),
    })
}

/// `lpad(to_hex(32 random bits), 8, '0')`, repeated and cut to `n` bytes.
fn random_bytes(n: i64) -> String {
    let words = (n + 3) / 4;
    let word = "lpad(to_hex(floor(random() * 4294967296)::bigint), 8, '0')";
    let hex = vec![word; usize::try_from(words).unwrap_or(1)].join(" || ");
    format!("substr(decode({hex}, 'hex'), 1, {n})")
}

impl Tr<'_> {
    /// Translate a function of [`TYPED`].
    pub(crate) fn typed_call(&self, name: &str, group: &[Node]) -> Result<String, Untranslatable> {
        let raw = split_args(group);
        if raw.iter().any(|a| a.is_empty()) {
            return Err(Untranslatable::new(format!("function {name}() has an empty argument")));
        }
        let args = raw.iter().map(|a| self.typed(a)).collect::<Result<Vec<_>, _>>()?;
        let n = args.len();
        let one = |ok: &[Ty]| -> Result<(&str, Ty), Untranslatable> {
            arity(name, n, n == 1)?;
            let (sql, ty) = (&args[0].0, args[0].1);
            if ok.contains(&ty) {
                Ok((sql.as_str(), ty))
            } else {
                Err(type_refused(name, ty))
            }
        };
        Ok(match name {
            "hex" => {
                let (x, ty) = one(&[Ty::Blob, Ty::Text, Ty::Int, Ty::Bool, Ty::Null, Ty::Real, Ty::Number])?;
                match ty {
                    Ty::Blob => format!("coalesce(upper(encode({x}, 'hex')), '')"),
                    Ty::Null => "''".into(),
                    _ => format!("coalesce(upper(encode(textsend({}), 'hex')), '')", as_text(name, x, ty)?),
                }
            }
            "unhex" => {
                let (x, _) = one(&[Ty::Text, Ty::Null])?;
                format!("(CASE WHEN ({x}) ~ '^([0-9a-fA-F]{{2}})*$' THEN decode({x}, 'hex') END)")
            }
            "randomblob" => {
                arity(name, n, n == 1)?;
                let Some(len) = int_literal(raw[0]) else {
                    return Err(Untranslatable::new("randomblob() of a non-literal length is not translated"));
                };
                if len > MAX_RANDOM_BYTES {
                    return Err(Untranslatable::new(format!(
                        "randomblob() of more than {MAX_RANDOM_BYTES} bytes is not translated"
                    )));
                }
                random_bytes(len.max(1))
            }
            "zeroblob" => {
                let (x, _) = one(&[Ty::Int, Ty::Real, Ty::Number, Ty::Null])?;
                format!("decode(repeat('00', least(trunc(coalesce({x}, 0)), 1000000000)::int), 'hex')")
            }
            "random" => {
                arity(name, n, n == 0)?;
                "((floor(random() * 4294967296)::bigint - 2147483648) * 4294967296 + floor(random() * 4294967296)::bigint)"
                    .into()
            }
            "char" => {
                if let Some((_, ty)) = args.iter().find(|(_, t)| !(t.is_number() || *t == Ty::Null)) {
                    return Err(type_refused(name, *ty));
                }
                let chars: Vec<String> = args
                    .iter()
                    .map(|(x, _)| {
                        format!("chr((CASE WHEN trunc(coalesce({x}, 0)) < 0 OR {x} > 1114111 THEN 65533 ELSE trunc(coalesce({x}, 0)) END)::int)")
                    })
                    .collect();
                if chars.is_empty() {
                    "''".into()
                } else {
                    format!("({})", chars.join(" || "))
                }
            }
            "unicode" => {
                let (x, _) = one(&[Ty::Text, Ty::Null])?;
                format!("nullif(ascii({x}), 0)")
            }
            "instr" => {
                arity(name, n, n == 2)?;
                match (args[0].1, args[1].1) {
                    (Ty::Text | Ty::Null, Ty::Text | Ty::Null) => format!("strpos({}, {})", args[0].0, args[1].0),
                    (Ty::Blob, Ty::Blob) => format!("position({} in {})", args[1].0, args[0].0),
                    (a, b) => return Err(type_refused(name, if matches!(a, Ty::Text | Ty::Blob) { b } else { a })),
                }
            }
            "length" => {
                let (x, ty) = one(&[Ty::Text, Ty::Blob, Ty::Int, Ty::Null])?;
                match ty {
                    Ty::Int => format!("length(({x})::text)"),
                    _ => format!("length({x})"),
                }
            }
            "lower" | "upper" => {
                let (x, ty) = one(&[Ty::Text, Ty::Int, Ty::Null])?;
                match ty {
                    Ty::Int => format!("({x})::text"),
                    _ => format!("{name}(({x}) COLLATE \"C\")"),
                }
            }
            "substr" | "substring" => self.substr(&raw, &args)?,
            "round" => {
                arity(name, n, n == 1 || n == 2)?;
                if !(args[0].1.is_number() || args[0].1 == Ty::Null) {
                    return Err(type_refused(name, args[0].1));
                }
                let literal = raw.get(1).map_or(Some(0), |d| int_literal(d));
                let digits = match (literal, args.get(1)) {
                    (Some(v), _) => v.clamp(0, 30).to_string(),
                    (None, Some((d, _))) => format!("least(greatest({d}, 0), 30)"),
                    (None, None) => "0".into(),
                };
                super::realtext::round(&args[0].0, &digits, literal.map(|v| v.clamp(0, 30)))
            }
            "abs" => {
                let (x, _) = one(&[Ty::Int, Ty::Real, Ty::Number, Ty::Null])?;
                format!("abs({x})")
            }
            "sign" => {
                let (x, _) = one(&[Ty::Int, Ty::Real, Ty::Number, Ty::Null])?;
                format!("sign({x})::bigint")
            }
            "glob" => {
                arity(name, n, n == 2)?;
                let pattern = str_literal(raw[0])
                    .ok_or_else(|| Untranslatable::new("glob() with a non-literal pattern is not translated"))?;
                format!("(({}) ~ {})", args[1].0, literal::string(&super::pattern::glob_regex(pattern)?))
            }
            "like" => {
                arity(name, n, n == 2 || n == 3)?;
                let pattern = super::pattern::like_pattern(raw[0], &args[0].0, n == 3);
                let escape = args.get(2).map(|(e, _)| format!(" ESCAPE {e}")).unwrap_or_default();
                let escape = if n == 2 && str_literal(raw[0]).is_none() { " ESCAPE ''".into() } else { escape };
                format!("(({}) ILIKE {pattern}{escape})", args[1].0)
            }
            "printf" | "format" => super::printf::printf(&raw, &args)?,
            _ => return Err(Untranslatable::new(format!("function {name}() has no postgresql equivalent"))),
        })
    }

    /// substr(X, Y[, Z]) with literal Y and Z, following SQLite's rules for 0 and negative positions.
    fn substr(&self, raw: &[&[Node]], args: &[(String, Ty)]) -> Result<String, Untranslatable> {
        arity("substr", args.len(), args.len() == 2 || args.len() == 3)?;
        let (x, ty) = (&args[0].0, args[0].1);
        if !matches!(ty, Ty::Text | Ty::Blob | Ty::Null) {
            return Err(type_refused("substr", ty));
        }
        // SQLite reads the positions as 32-bit integers; larger literals take the general form, which wraps them
        let small = |v: Option<i64>| v.filter(|v| i32::try_from(*v).is_ok());
        let start = small(int_literal(raw[1]));
        let count = raw.get(2).map(|r| small(int_literal(r)));
        let sql = match self.substr_literal(x, start, count) {
            Some(sql) => sql,
            None => super::substr::general(x, &args[1], args.get(2))?,
        };
        // SQLite returns NULL for any substring of an empty blob
        Ok(if ty == Ty::Blob { format!("(CASE WHEN octet_length({x}) > 0 THEN {sql} END)") } else { sql })
    }

    fn substr_literal(&self, x: &str, start: Option<i64>, count: Option<Option<i64>>) -> Option<String> {
        Some(match (start, count) {
            (Some(y), None) if y > 0 => format!("substr({x}, {y})"),
            (Some(0), None) => x.to_string(),
            (Some(y), None) => format!("substr({x}, greatest(length({x}) + 1 - {}, 1))", y.unsigned_abs()),
            (Some(y), Some(Some(z))) if y > 0 && z >= 0 => format!("substr({x}, {y}, {z})"),
            (Some(0), Some(Some(z))) if z >= 0 => format!("substr({x}, 1, {})", (z - 1).max(0)),
            (Some(y), Some(Some(z))) if y < 0 && z >= 0 => {
                // 0-based start len+y; when before the string, the count shrinks by the overshoot
                let back = y.unsigned_abs();
                format!("substr({x}, greatest(length({x}) + 1 - {back}, 1), greatest({z} + least(length({x}) - {back}, 0), 0))")
            }
            _ => return None,
        })
    }
}
