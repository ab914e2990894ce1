//! substr()/substring() with positions computed per row, following SQLite's substrFunc step by step

use super::scalar::type_refused;
use super::typed::Ty;
use super::Untranslatable;

/// SQLite's length for a substr() without a count: SQLITE_LIMIT_LENGTH.
const NO_COUNT: i64 = 1_000_000_000;

/// The position as SQLite reads it (`sqlite3_value_int`): the low 32 bits of the integer, signed.
/// A real is first truncated and clamped to a 64-bit integer, as SQLite converts it.
fn as_int32(y: &str, ty: Ty) -> Result<String, Untranslatable> {
    let y = match ty {
        Ty::Int | Ty::Bool => format!("({y})::bigint"),
        Ty::Real | Ty::Number => {
            format!("least(greatest(trunc(({y})::numeric), -9223372036854775808), 9223372036854775807)::bigint")
        }
        _ => return Err(type_refused("substr", ty)),
    };
    Ok(format!(
        "(CASE WHEN ({y} & 4294967295) >= 2147483648 THEN ({y} & 4294967295) - 4294967296 ELSE {y} & 4294967295 END)"
    ))
}

/// substr(x, y[, z]) for any integer y and z: the 0-based start and the count are worked out as SQLite does.
pub(crate) fn general(x: &str, start: &(String, Ty), count: Option<&(String, Ty)>) -> Result<String, Untranslatable> {
    if start.1 == Ty::Null || count.is_some_and(|c| c.1 == Ty::Null) {
        return Ok("NULL".into());
    }
    let y = as_int32(&start.0, start.1)?;
    let z = match count {
        Some((z, ty)) => as_int32(z, *ty)?,
        None => NO_COUNT.to_string(),
    };
    let len = format!("length({x})");
    let n = format!("abs({z})");
    // a negative start counts from the end; one before the string shortens the count by the overshoot
    let p1 = format!("(CASE WHEN {y} < 0 THEN greatest({y} + {len}, 0) WHEN {y} > 0 THEN {y} - 1 ELSE 0 END)");
    let p2 = format!(
        "(CASE WHEN {y} < 0 THEN (CASE WHEN {y} + {len} < 0 THEN greatest({n} + {y} + {len}, 0) ELSE {n} END) \
         WHEN {y} > 0 THEN {n} ELSE greatest({n} - 1, 0) END)"
    );
    let forward = format!("substr({x}, ({p1} + 1)::int, least({p2}, 2147483647)::int)");
    // a negative count takes the characters before the start
    let back_start = format!("greatest({p1} - {p2}, 0)");
    let backward = format!("substr({x}, ({back_start} + 1)::int, ({p1} - {back_start})::int)");
    let nulls = match count {
        Some((c, _)) => format!("({}) IS NULL OR ({c}) IS NULL", start.0),
        None => format!("({}) IS NULL", start.0),
    };
    Ok(format!("(CASE WHEN {nulls} THEN NULL WHEN {z} < 0 THEN {backward} ELSE {forward} END)"))
}
