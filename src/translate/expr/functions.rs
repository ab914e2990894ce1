//! SQLite function calls and CAST mapped to PostgreSQL; anything unmapped is refused

use super::expression::{tok, Mode, Node, Tr, TypeHint};
use super::lexer::{Kind, Quote};
use super::{literal, time, Untranslatable};

/// Functions with the same name and meaning in PostgreSQL.
const SAME: &[&str] = &[
    "coalesce",
    "nullif",
    "replace",
    "concat",
    "concat_ws",
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
];

/// Aggregates taking exactly one argument (or `*` for count).
const AGGREGATES: &[&str] = &["count", "sum", "avg", "min", "max"];

fn refused(name: &str) -> Untranslatable {
    Untranslatable::new(format!("function {name}() has no postgresql equivalent"))
}

fn arity(name: &str, args: &[String], ok: bool) -> Result<(), Untranslatable> {
    if ok {
        Ok(())
    } else {
        Err(Untranslatable::new(format!("function {name}() with {} arguments is not translated", args.len())))
    }
}

/// Split a group's nodes at top-level commas.
pub(crate) fn split_args(nodes: &[Node]) -> Vec<&[Node]> {
    if nodes.is_empty() {
        return Vec::new();
    }
    nodes.split(|n| tok(Some(n)).is_some_and(|t| t.kind == Kind::Comma)).collect()
}

impl Tr<'_> {
    /// The value of each argument that is a single string literal (in a DEFAULT, also "x").
    pub(crate) fn literal_args(&self, nodes: &[Node]) -> Vec<Option<String>> {
        split_args(nodes)
            .into_iter()
            .map(|arg| match arg {
                [Node::Tok(t)] if t.kind == Kind::Str => Some(t.text.clone()),
                [Node::Tok(t)] if t.kind == Kind::Quoted(Quote::Double) && matches!(self.mode, Mode::Default) => {
                    Some(t.text.clone())
                }
                _ => None,
            })
            .collect()
    }

    /// Translate `name(args)`.
    pub(crate) fn call(&self, name: &str, group: &[Node]) -> Result<String, Untranslatable> {
        let lname = name.to_ascii_lowercase();
        if time::is_time_function(&lname) {
            return self.time_fn(&lname, group, None);
        }
        if super::scalar::TYPED.contains(&lname.as_str()) {
            return self.typed_call(&lname, group);
        }
        if super::json::is_json_function(&lname) {
            return self.json_call(&lname, group);
        }
        let raw = split_args(group);
        let distinct = raw.first().is_some_and(|a| tok(a.first()).is_some_and(|t| t.is_kw("DISTINCT")));
        let mut args = Vec::with_capacity(raw.len());
        for (n, arg) in raw.iter().enumerate() {
            let arg = if n == 0 && distinct { &arg[1..] } else { arg };
            if arg.is_empty() {
                return Err(Untranslatable::new(format!("function {lname}() has an empty argument")));
            }
            args.push(self.seq(arg, false)?);
        }
        let prefix = if distinct { "DISTINCT " } else { "" };
        let n = args.len();
        let joined = args.join(", ");
        let sql = match lname.as_str() {
            "min" | "max" if n >= 2 && !distinct => {
                format!("{}({joined})", if lname == "min" { "least" } else { "greatest" })
            }
            "total" => {
                arity(&lname, &args, n == 1)?;
                format!("sum({prefix}{joined})")
            }
            f if AGGREGATES.contains(&f) => {
                arity(&lname, &args, n == 1 || (f == "count" && n == 0))?;
                format!("{f}({prefix}{joined})")
            }
            "group_concat" | "string_agg" => {
                arity(&lname, &args, n == 1 || n == 2)?;
                let sep = args.get(1).cloned().unwrap_or_else(|| "','".to_string());
                format!("string_agg({prefix}({})::text, {sep})", args[0])
            }
            "ifnull" => {
                arity(&lname, &args, n == 2)?;
                format!("coalesce({joined})")
            }
            "iif" => {
                arity(&lname, &args, n == 3)?;
                format!("CASE WHEN {} THEN {} ELSE {} END", args[0], args[1], args[2])
            }
            "trim" | "ltrim" | "rtrim" => {
                arity(&lname, &args, n == 1 || n == 2)?;
                let f = if lname == "trim" && n == 2 { "btrim" } else { lname.as_str() };
                format!("{f}({joined})")
            }
            f if SAME.contains(&f) && !distinct => format!("{f}({joined})"),
            _ => return Err(refused(&lname)),
        };
        if distinct && !sql.contains("DISTINCT") {
            return Err(refused(&lname));
        }
        Ok(sql)
    }

    /// A date/time function; "now" is rendered for `hint` (None: SQLite's text result).
    /// A value that is no literal goes to [`Tr::time_of_value`].
    pub(crate) fn time_fn(&self, name: &str, group: &[Node], hint: Option<TypeHint>) -> Result<String, Untranslatable> {
        let name = name.to_ascii_lowercase();
        let literals = self.literal_args(group);
        let value = literals.get(usize::from(name == "strftime"));
        let now = value.is_none_or(|v| v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("now")));
        match time::time_call(&name, &literals) {
            Ok(time::TimeCall::Now(now)) => time::render(&now, hint),
            Ok(time::TimeCall::Constant(text)) => Ok(literal::string(&text)),
            Err(_) if now => self.time_of_now(&name, group, hint),
            Err(e) if matches!(self.mode, Mode::Default) => Err(e),
            Err(_) => self.time_of_value(&name, group),
        }
    }

    /// `CAST(expr AS type)` with the type mapped by SQLite's affinity rules and SQLite's conversions.
    pub(crate) fn cast(&self, group: &[Node]) -> Result<String, Untranslatable> {
        let (expr, target) = self.cast_parts(group)?;
        let (x, ty) = self.typed_exact(expr)?;
        super::cast::cast(&x, ty, target, matches!(self.mode, Mode::Select { .. }))
    }

    /// The expression and target type of `CAST(expr AS type)`.
    pub(crate) fn cast_parts<'n>(&self, group: &'n [Node]) -> Result<(&'n [Node], &'static str), Untranslatable> {
        let split = group.iter().rposition(|n| tok(Some(n)).is_some_and(|t| t.is_kw("AS")));
        let Some(at) = split.filter(|&at| at > 0) else {
            return Err(Untranslatable::new("malformed cast"));
        };
        let type_name: Vec<String> = group[at + 1..]
            .iter()
            .map(|n| match n {
                Node::Tok(t) => t.text.clone(),
                Node::Group(_) => String::new(),
            })
            .collect();
        Ok((&group[..at], affinity_type(&type_name.join(" "))))
    }
}

/// PostgreSQL type for a SQLite type name by the affinity rules (datatype3.html 3.1).
pub(crate) fn affinity_type(declared: &str) -> &'static str {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        "bigint"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "text"
    } else if t.contains("BLOB") || t.trim().is_empty() {
        "bytea"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "double precision"
    } else {
        "numeric"
    }
}
