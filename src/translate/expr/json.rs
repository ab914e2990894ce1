//! SQLite JSON functions and the `->` / `->>` operators over jsonb, with SQLite's SQL values as text

use super::expression::{Node, Tr};
use super::functions::split_args;
use super::realtext::real_text;
use super::scalar::{int_literal, str_literal, type_refused};
use super::typed::Ty;
use super::{literal, Untranslatable};

const FUNCTIONS: &[&str] = &[
    "json",
    "json_extract",
    "json_array_length",
    "json_type",
    "json_valid",
    "json_object",
    "json_array",
    "json_quote",
];

pub(crate) fn is_json_function(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

fn refused(what: &str) -> Untranslatable {
    Untranslatable::new(format!("{what} is not translated"))
}

/// A SQLite JSON path (`$`, `$.a.b`, `$."a b"`, `$[0]`, `$[#-1]`) as a PostgreSQL text[] path literal.
fn path(p: &str) -> Result<String, Untranslatable> {
    let bad = || refused("this json path");
    let mut rest = p.strip_prefix('$').ok_or_else(bad)?;
    let mut keys: Vec<String> = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let (key, after) = if let Some(q) = r.strip_prefix('"') {
                let end = q.find('"').ok_or_else(bad)?;
                (&q[..end], &q[end + 1..])
            } else {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                (&r[..end], &r[end..])
            };
            if key.is_empty() {
                return Err(bad());
            }
            keys.push(key.to_string());
            rest = after;
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(bad)?;
            let idx = &r[..end];
            let idx = match idx.strip_prefix("#-") {
                Some(n) if n.parse::<u32>().is_ok_and(|n| n > 0) => format!("-{n}"),
                None if idx.parse::<u32>().is_ok() => idx.to_string(),
                _ => return Err(bad()),
            };
            keys.push(idx);
            rest = &r[end + 1..];
        } else {
            return Err(bad());
        }
    }
    let elems: Vec<String> =
        keys.iter().map(|k| format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    Ok(literal::string(&format!("{{{}}}", elems.join(","))))
}

/// The value as jsonb: a json/jsonb column as is, a text parsed.
fn jsonb(x: &str, ty: Ty) -> Result<String, Untranslatable> {
    match ty {
        Ty::Json | Ty::Text | Ty::Null => Ok(format!("({x})::jsonb")),
        _ => Err(type_refused("json", ty)),
    }
}

/// A jsonb value as the SQL value SQLite's json_extract / `->>` returns, as text: strings unquoted, integers
/// as written, reals as SQLite prints them, true/false as 1/0, JSON null as NULL, arrays and objects as jsonb text.
fn sql_value_text(v: &str) -> String {
    let scalar = format!("({v} #>> '{{}}')");
    format!(
        "(CASE jsonb_typeof({v}) WHEN 'string' THEN {scalar} \
         WHEN 'number' THEN (CASE WHEN {scalar} ~ '^-?[0-9]+$' AND abs({scalar}::numeric) <= 9223372036854775807 \
         THEN {scalar} ELSE {real} END) \
         WHEN 'boolean' THEN (CASE WHEN {v} = 'true'::jsonb THEN '1' ELSE '0' END) \
         WHEN 'null' THEN NULL ELSE {minified} END)",
        minified = minified(v),
        real = real_text(&format!("{scalar}::double precision")),
    )
}

/// jsonb as JSON text without the spaces PostgreSQL puts after `:` and `,` (keys stay in jsonb's order).
fn minified(v: &str) -> String {
    format!("regexp_replace(({v})::text, '(\"(?:[^\"\\\\]|\\\\.)*\")|[[:space:]]+', '\\1', 'g')")
}

/// A value as a JSON text element of json_array()/json_object().
fn element(x: &str, ty: Ty) -> Result<String, Untranslatable> {
    Ok(match ty {
        Ty::Null => "'null'".into(),
        Ty::Int => format!("coalesce(({x})::text, 'null')"),
        Ty::Real | Ty::Number => format!("coalesce({}, 'null')", real_text(x)),
        Ty::Text => format!("coalesce({}, 'null')", quote(x)),
        Ty::Bool => format!("coalesce(({x})::int::text, 'null')"),
        _ => return Err(type_refused("json_array", ty)),
    })
}

/// A text as a JSON string, escaped as SQLite does (immutable: built from replace()).
fn quote(x: &str) -> String {
    let mut s = format!("replace(replace({x}, '\\', '\\\\'), '\"', '\\\"')");
    for (code, esc) in [(8, "\\b"), (9, "\\t"), (10, "\\n"), (12, "\\f"), (13, "\\r")] {
        s = format!("replace({s}, chr({code}), '{esc}')");
    }
    for code in (1..32).filter(|c| ![8, 9, 10, 12, 13].contains(c)) {
        s = format!("replace({s}, chr({code}), '\\u{code:04x}')");
    }
    format!("('\"' || {s} || '\"')")
}

/// json_valid() of a text, as SQLite's strict RFC 8259 check, without raising an error (PostgreSQL 15 has no
/// such test; its json input raises). The text is read as tokens by regular expressions: each string becomes
/// \x01 (a text holding \x01 or \x02 is not JSON), each number, true, false and null \x02, whitespace goes, `[]`
/// and `{}` become \x02; then only `[ ] { } , :` may be left. The structure becomes XML, one element a
/// level, so that xml_is_well_formed_document() matches the brackets: `[` is `<a>`, `{"key":` is `<o>`, a
/// value `<v/>`, and a comma closes and reopens its container (`</a><c/><a>`, or `</o><d/><o>` before a key),
/// so that each element holds one value and a comma of the wrong kind breaks the nesting. Which tag may
/// follow which is checked by one regular expression. libxml2 nests at most 256 elements: a text with more than
/// 255 brackets that is not well-formed XML may be deeper than that, and PostgreSQL's json parser decides it
/// (raising an error where it is not JSON).
fn valid_text(x: &str) -> String {
    const STRING: &str = r#""([^"\\\x01-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*""#;
    const SCALAR: &str = r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?|true|false|null";
    const LEFT: &str = r"^[\x01\x02\[\]{},: \t\n\r]*$";
    const MISPLACED: &str = "(<r>|<a>|<o>)(?!<v/>|<a>|<o>)|<v/>(?!</)|</[ao]>(?!</|<[cd]/>)|<c/>(?!<a>)|<d/>(?!<o>)";
    let tokens = format!(r"regexp_replace(regexp_replace({x}, '{STRING}', E'\x01', 'g'), '{SCALAR}', E'\x02', 'g')");
    let mut z =
        format!(r"regexp_replace(regexp_replace({tokens}, '[ \t\n\r]+', '', 'g'), '\[\]|\{{\}}', E'\x02', 'g')");
    for (from, to) in [
        (r"\{\x01:", "<o>"),
        (r",\x01:", "</o><d/><o>"),
        (r"\}", "</o>"),
        (r"\[", "<a>"),
        (",", "</a><c/><a>"),
        (r"\]", "</a>"),
        (r"[\x01\x02]", "<v/>"),
    ] {
        z = format!("regexp_replace({z}, '{from}', '{to}', 'g')");
    }
    let z = format!("('<r>' || {z} || '</r>')");
    let brackets = format!("(length({tokens}) - length(translate({tokens}, '[{{', '')))");
    format!(
        r"(CASE WHEN {x} IS NULL THEN NULL WHEN {x} ~ '[\x01\x02]' OR {tokens} !~ '{LEFT}' OR {z} ~ '{MISPLACED}' THEN 0 WHEN xml_is_well_formed_document({z}) THEN 1 WHEN {brackets} <= 255 THEN 0 WHEN ({x})::json IS NOT NULL THEN 1 END)"
    )
}

impl Tr<'_> {
    /// A JSON function call.
    pub(crate) fn json_call(&self, name: &str, group: &[Node]) -> Result<String, Untranslatable> {
        let raw = split_args(group);
        let args = raw.iter().map(|a| self.typed(a)).collect::<Result<Vec<_>, _>>()?;
        let n = args.len();
        let with_path = |args: &[(String, Ty)]| -> Result<String, Untranslatable> {
            let v = jsonb(&args[0].0, args[0].1)?;
            match raw.get(1) {
                None => Ok(v),
                Some(p) => {
                    let p = str_literal(p).ok_or_else(|| refused("a json path that is not a literal"))?;
                    Ok(format!("({v} #> {})", path(p)?))
                }
            }
        };
        Ok(match name {
            // minified text, keys in their order; ::jsonb raises on what SQLite calls malformed
            "json" if n == 1 && args[0].1 == Ty::Text => {
                let x = &args[0].0;
                format!("(CASE WHEN ({x})::jsonb IS NOT NULL THEN {} END)", minified(x))
            }
            "json" if n == 1 && args[0].1 == Ty::Json => minified(&args[0].0),
            "json_extract" if n == 2 => sql_value_text(&with_path(&args)?),
            "json_array_length" if n == 1 || n == 2 => {
                let v = with_path(&args)?;
                format!("(CASE WHEN {v} IS NULL THEN NULL WHEN jsonb_typeof({v}) = 'array' THEN jsonb_array_length({v})::bigint ELSE 0 END)")
            }
            "json_type" if n == 1 || n == 2 => {
                let v = with_path(&args)?;
                let scalar = format!("({v} #>> '{{}}')");
                format!(
                    "(CASE jsonb_typeof({v}) WHEN 'string' THEN 'text' WHEN 'boolean' THEN {scalar} \
                     WHEN 'number' THEN (CASE WHEN {scalar} ~ '^-?[0-9]+$' AND abs({scalar}::numeric) <= 9223372036854775807 \
                     THEN 'integer' ELSE 'real' END) ELSE jsonb_typeof({v}) END)"
                )
            }
            "json_valid" if n == 1 => match args[0].1 {
                Ty::Json => format!("(CASE WHEN {} IS NULL THEN NULL ELSE 1 END)", args[0].0),
                Ty::Text => valid_text(&args[0].0),
                ty => return Err(type_refused("json_valid", ty)),
            },
            "json_quote" if n == 1 => element(&args[0].0, args[0].1)?,
            "json_array" => {
                let elems = args.iter().map(|(x, t)| element(x, *t)).collect::<Result<Vec<_>, _>>()?;
                format!("('[' || {} || ']')", if elems.is_empty() { "''".into() } else { elems.join(" || ',' || ") })
            }
            "json_object" if n % 2 == 0 => {
                let mut pairs = Vec::new();
                for pair in args.chunks(2) {
                    if pair[0].1 != Ty::Text {
                        return Err(refused("json_object() with a key that is not text"));
                    }
                    pairs.push(format!("{} || ':' || {}", quote(&pair[0].0), element(&pair[1].0, pair[1].1)?));
                }
                format!("('{{' || {} || '}}')", if pairs.is_empty() { "''".into() } else { pairs.join(" || ',' || ") })
            }
            _ => return Err(Untranslatable::new(format!("function {name}() with {n} arguments is not translated"))),
        })
    }

    /// `left -> right` / `left ->> right`: right is a key, a path or an array index literal.
    pub(crate) fn arrow(&self, x: &str, ty: Ty, op: &str, right: &[Node]) -> Result<String, Untranslatable> {
        let v = jsonb(x, ty)?;
        let p = match (str_literal(right), int_literal(right)) {
            (Some(p), _) if p.starts_with('$') => path(p)?,
            (Some(key), _) => literal::string(&format!("{{\"{}\"}}", key.replace('\\', "\\\\").replace('"', "\\\""))),
            (None, Some(i)) => literal::string(&format!("{{{i}}}")),
            _ => return Err(refused(&format!("operator {op} with a non-literal right side"))),
        };
        let target = format!("({v} #> {p})");
        Ok(if op == "->>" { sql_value_text(&target) } else { minified(&target) })
    }
}
