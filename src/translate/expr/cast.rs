//! CAST with SQLite's conversions: the longest numeric prefix of a text, truncation of reals to integers, the
//! UTF-8 bytes of a text as a blob

use super::realtext::real_text;
use super::typed::Ty;
use super::Untranslatable;

/// SQLite's leading whitespace (sqlite3Isspace).
const SPACE: &str = "[ \\t\\n\\v\\f\\r]*";

/// `CAST(x AS target)` for `x` of type `ty`; `target` is from [`super::affinity_type`]. In a view the type of a
/// column is not known: `loose` keeps PostgreSQL's own cast there.
pub(crate) fn cast(x: &str, ty: Ty, target: &'static str, loose: bool) -> Result<String, Untranslatable> {
    let refused = || Untranslatable::new(format!("cast of a {} value to {target} is not translated", ty.name()));
    if ty == Ty::Null {
        return Ok(format!("CAST(NULL AS {target})"));
    }
    // text without a numeric prefix is 0, NULL stays NULL
    let zero = format!("(CASE WHEN {x} IS NOT NULL THEN '0' END)");
    Ok(match (target, ty) {
        ("bigint", Ty::Int) | ("text", Ty::Text) | ("bytea", Ty::Blob) | ("double precision", Ty::Real) => {
            format!("CAST({x} AS {target})")
        }
        // SQLite clamps to the integer range
        ("bigint", Ty::Real | Ty::Number) => format!(
            "(CASE WHEN {x} >= 9223372036854775807 THEN 9223372036854775807 \
             WHEN {x} <= -9223372036854775808 THEN -9223372036854775808 ELSE CAST(trunc({x}) AS bigint) END)"
        ),
        ("bigint" | "double precision" | "numeric", Ty::Bool) => format!("CAST(({x})::int AS {target})"),
        ("bigint", Ty::Text) => format!(
            "(CASE WHEN {x} IS NOT NULL THEN CAST(least(greatest(coalesce(substring({x} from '^{SPACE}([+-]?[0-9]+)'), {zero})::numeric, \
             -9223372036854775808), 9223372036854775807) AS bigint) END)"
        ),
        ("double precision" | "numeric", Ty::Text) => format!(
            "CAST(coalesce(substring({x} from '^{SPACE}([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)'), {zero}) AS {target})"
        ),
        ("double precision" | "numeric", Ty::Int | Ty::Number | Ty::Real) => format!("CAST({x} AS {target})"),
        ("text", Ty::Int) => format!("CAST({x} AS text)"),
        ("text", Ty::Bool) => format!("CAST(({x})::int AS text)"),
        ("text", Ty::Real | Ty::Number) => real_text(x),
        ("bytea", Ty::Text) => format!("textsend({x})"),
        ("bytea", Ty::Int) => format!("textsend(({x})::text)"),
        ("bytea", Ty::Real | Ty::Number) => format!("textsend({})", real_text(x)),
        _ if loose && ty == Ty::Unknown => format!("CAST({x} AS {target})"),
        _ => return Err(refused()),
    })
}

/// The type a CAST to `target` yields.
pub(crate) fn cast_ty(target: &str) -> Ty {
    match target {
        "bigint" => Ty::Int,
        "text" => Ty::Text,
        "bytea" => Ty::Blob,
        "double precision" => Ty::Real,
        _ => Ty::Number,
    }
}
