//! SQLite's text for a REAL (`%!.15g`: 15 significant digits, `.0` kept, exponent outside 1e-4..1e15) as a
//! PostgreSQL expression over built-ins

/// `sql` (a double precision or numeric expression) rendered as SQLite renders a REAL as text.
pub(crate) fn real_text(sql: &str) -> String {
    // float8 -> numeric keeps 15 significant digits, as %.15g does
    let n = format!("(({sql})::double precision::numeric)");
    let e = format!("floor(log(abs({n})))::int");
    let mantissa = format!(
        "round(CASE WHEN {e} >= 0 THEN {n} / power(10::numeric, {e}) ELSE {n} * power(10::numeric, -{e}) END, 14)"
    );
    let trimmed = |t: &str| format!("regexp_replace(regexp_replace({t}, '0+$', ''), '\\.$', '.0')");
    format!(
        "(CASE WHEN {n} = 0 THEN '0.0' \
         WHEN abs({n}) >= 0.0001 AND abs({n}) < 1000000000000000 THEN \
         (CASE WHEN {n} = trunc({n}) THEN trunc({n})::text || '.0' ELSE {plain} END) \
         ELSE {exp} || 'e' || (CASE WHEN {e} < 0 THEN '-' ELSE '+' END) || (CASE WHEN abs({e}) < 10 THEN '0' ELSE '' END) || abs({e})::text END)",
        plain = trimmed(&format!("{n}::text")),
        exp = trimmed(&format!("{mantissa}::text")),
    )
}

/// The exact decimal value of a double precision expression (PostgreSQL's own cast keeps 15 digits): the
/// double is an integer m times 2^-k, and m * 5^k shifted k places is its decimal expansion. Values below
/// 1e-35 become 0, which is all round() to at most 30 digits needs.
pub(crate) fn exact_numeric(sql: &str) -> String {
    exact(sql, true)
}

/// [`exact_numeric`] for every magnitude, down to the smallest subnormal (for the significant digits of
/// printf's %e and %g): longer expansions, computed only where the value needs them.
pub(crate) fn exact_numeric_all(sql: &str) -> String {
    exact(sql, false)
}

fn exact(sql: &str, below_1e35_is_zero: bool) -> String {
    let r = format!("(({sql})::double precision)");
    let k = format!("(53 - floor(log(2, abs({r}::numeric)))::int)");
    // 2^k in two halves: for the smallest doubles k passes 1023, where 2^k alone is no double
    let m = format!("({r} * power(2::double precision, {k} / 2) * power(2::double precision, {k} - {k} / 2))::bigint");
    let product = format!("trunc(abs({m})::numeric * power(5::numeric, {k}))::text");
    let digits = format!("lpad({product}, greatest({k} + 1, length({product})), '0')");
    let tiny = if below_1e35_is_zero { format!("WHEN abs({r}) < 1e-35 THEN 0 ") } else { String::new() };
    format!(
        "(CASE WHEN {r} = 0 OR abs({r}) >= 4503599627370496 THEN {r}::numeric {tiny}ELSE \
         ((CASE WHEN {r} < 0 THEN '-' ELSE '' END) || left({digits}, length({digits}) - {k}) || '.' || right({digits}, {k}))::numeric END)"
    )
}

/// SQLite's round(x, n) (func.c roundFunc): for n = 0 `(x + 0.5)` truncated in double arithmetic, otherwise
/// the exact value rounded half away from zero and read back as a double.
pub(crate) fn round(sql: &str, digits: &str, digits_literal: Option<i64>) -> String {
    let r = format!("(({sql})::double precision)");
    let whole = format!(
        "(CASE WHEN abs({r}) >= 9223372036854775807 THEN {r} WHEN {r} < 0 THEN -trunc(-{r} + 0.5) ELSE trunc({r} + 0.5) END)"
    );
    let decimal = format!("round({}, {digits})::double precision", exact_numeric(&r));
    match digits_literal {
        Some(0) => whole,
        Some(_) => decimal,
        None => format!("(CASE WHEN {digits} = 0 THEN {whole} ELSE {decimal} END)"),
    }
}
