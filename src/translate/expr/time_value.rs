//! SQLite date/time functions of a column or expression: the value parsed as SQLite parses it (ISO text, time
//! of day, Julian day number), modifiers applied, and the result formatted with immutable built-ins only, so the
//! translation also serves in indexes, CHECKs and generated columns

use super::expression::{Node, Tr};
use super::functions::split_args;
use super::scalar::str_literal;
use super::typed::Ty;
use super::Untranslatable;

/// SQLite's date and time text forms (date.c parseYyyyMmDd, parseHhMmSs, parseTimezone): groups 1-3 date,
/// 4-7 time, 8 `Z`, 9-11 offset.
const TEXT_RE: &str = "^(?:([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[[:space:]T]*)?\
(?:([01][0-9]|2[0-4]):([0-5][0-9])(?::([0-5][0-9])(\\.[0-9]+)?)?[[:space:]]*\
(?:([zZ])|([+-])(0[0-9]|1[0-4]):([0-5][0-9]))?[[:space:]]*)?$";
/// A Julian day number as text (sqlite3AtoF).
const NUM_RE: &str = "^[[:space:]]*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?[[:space:]]*$";

pub(super) fn refused(what: &str) -> Untranslatable {
    Untranslatable::new(format!("{what} is not translated"))
}

/// A timestamp (without time zone, UTC) expression, NULL when SQLite finds no date; and, for text parsed
/// without a time zone offset, the time fields as written, which SQLite prints as they are (`24:00:00`).
struct Parsed {
    ts: String,
    raw: Option<Raw>,
}

pub(super) struct Raw {
    /// The regexp_match() array
    m: String,
    /// With 'subsec', SQLite prints the date fields as written too (`2024-02-30`)
    dates: bool,
    /// True when the text carries a non-zero offset: then the normalized timestamp is printed
    shifted: String,
}

/// A first modifier SQLite applies to the fields as written (`2024-02-30` + 1 month is `2024-03-30`).
#[derive(Clone, Copy, PartialEq)]
enum OnFields {
    None,
    Months(i64),
    StartOfMonth,
    StartOfYear,
}

/// Timestamp from a Julian day number in double precision, as SQLite rounds it to milliseconds.
fn from_julian(r: &str) -> String {
    format!(
        "(CASE WHEN {r} >= 0 AND {r} < 5373484.5 THEN timestamp '2000-01-01 12:00:00' + \
         make_interval(secs => (floor({r} * 86400000.0 + 0.5) - 211813488000000) / 1000.0) END)"
    )
}

fn parse_text(x: &str, first: OnFields) -> Parsed {
    let m = format!("(regexp_match({x}, '{TEXT_RE}'))");
    let g = |i: u8| format!("{m}[{i}]");
    let (y, mo, d) = (
        format!("coalesce({}, '2000')::int", g(1)),
        format!("coalesce({}, '01')::int", g(2)),
        format!("coalesce({}, '01')::int", g(3)),
    );
    let secs =
        format!("round(coalesce({s} || coalesce({f}, ''), '0')::numeric, 3)::double precision", s = g(6), f = g(7));
    let offset = format!(
        "coalesce((CASE {sign} WHEN '-' THEN -1 ELSE 1 END) * ({h}::int * 60 + {mi}::int), 0)",
        sign = g(9),
        h = g(10),
        mi = g(11)
    );
    let time = format!(
        "make_interval(hours => coalesce({hh}, '0')::int, mins => coalesce({mm}, '0')::int - {offset}, secs => {secs})",
        hh = g(4),
        mm = g(5)
    );
    let month_start = format!("make_date({y}, {mo}, 1)");
    let written = format!("({month_start} + ({d} - 1) + {time})");
    let shifted = format!("({sign} IS NOT NULL AND ({h} <> '00' OR {mi} <> '00'))", sign = g(9), h = g(10), mi = g(11));
    // an offset makes SQLite normalize first; the modifier then works on the normalized timestamp
    let on_fields = match first {
        OnFields::None => written.clone(),
        OnFields::Months(n) => format!(
            "(CASE WHEN {shifted} THEN {} ELSE {month_start} + '{n} months'::interval + make_interval(days => {d} - 1) + {time} END)",
            months(&written, n)
        ),
        OnFields::StartOfMonth => format!("(CASE WHEN {shifted} THEN date_trunc('month', {written}) ELSE {month_start}::timestamp END)"),
        OnFields::StartOfYear => format!("(CASE WHEN {shifted} THEN date_trunc('year', {written}) ELSE make_date({y}, 1, 1)::timestamp END)"),
    };
    let num = from_julian(&format!("({x})::double precision"));
    let num = match first {
        OnFields::None => num,
        OnFields::Months(n) => months(&num, n),
        OnFields::StartOfMonth => format!("date_trunc('month', {num})"),
        OnFields::StartOfYear => format!("date_trunc('year', {num})"),
    };
    let ts = format!(
        "(CASE WHEN {m} IS NOT NULL AND ({y1} IS NOT NULL OR {hh} IS NOT NULL) THEN {on_fields} \
         WHEN {x} ~ '{NUM_RE}' THEN {num} END)",
        y1 = g(1),
        hh = g(4),
    );
    let raw = (first == OnFields::None).then_some(Raw { m, shifted, dates: false });
    Parsed { ts, raw }
}

/// `t` moved by `n` months, the day overflowing into the next month as in SQLite.
fn months(t: &str, n: i64) -> String {
    format!("(date_trunc('month', {t}) + '{n} months'::interval + ({t} - date_trunc('month', {t})))")
}

/// `lpad` that never cuts a longer text.
fn pad(e: &str, n: usize, fill: char) -> String {
    format!("lpad({e}, greatest({n}, length({e})), '{fill}')")
}

fn two(e: &str) -> String {
    pad(&format!("({e})::int::text"), 2, '0')
}

/// One strftime conversion of the timestamp `t` (immutable: extract() of a timestamp without time zone).
fn piece(spec: char, t: &str, raw: Option<&Raw>) -> Result<String, Untranslatable> {
    let x = |f: &str| format!("extract({f} from {t})");
    let computed = match spec {
        // PostgreSQL has no year 0: 1 BC is SQLite's year 0, printed %04d
        'Y' => {
            let y = format!("({y} + (CASE WHEN {y} < 0 THEN 1 ELSE 0 END))::int", y = x("year"));
            format!(
                "(CASE WHEN {y} >= 0 THEN {} ELSE '-' || {} END)",
                pad(&format!("{y}::text"), 4, '0'),
                pad(&format!("(-{y})::text"), 3, '0')
            )
        }
        'm' => two(&x("month")),
        'd' => two(&x("day")),
        'e' => format!("lpad({}::int::text, 2, ' ')", x("day")),
        'H' => two(&x("hour")),
        'k' => format!("lpad({}::int::text, 2, ' ')", x("hour")),
        'M' => two(&x("minute")),
        'S' => two(&format!("floor({})", x("second"))),
        'f' => format!("lpad(least(trunc({}, 3), 59.999)::text, 6, '0')", x("second")),
        // datetime(..., 'subsec') prints the seconds without strftime's 59.999 cap
        'g' => format!("lpad(trunc({}, 3)::text, 6, '0')", x("second")),
        'j' => format!("lpad({}::int::text, 3, '0')", x("doy")),
        's' => format!("floor({})::bigint::text", x("epoch")),
        'w' => format!("{}::int::text", x("dow")),
        'u' => format!("{}::int::text", x("isodow")),
        'F' => {
            return Ok([piece('Y', t, raw)?, "'-'".into(), piece('m', t, raw)?, "'-'".into(), piece('d', t, raw)?]
                .join(" || "))
        }
        'T' => {
            return Ok([piece('H', t, raw)?, "':'".into(), piece('M', t, raw)?, "':'".into(), piece('S', t, raw)?]
                .join(" || "))
        }
        'R' => return Ok([piece('H', t, raw)?, "':'".into(), piece('M', t, raw)?].join(" || ")),
        c => return Err(Untranslatable::new(format!("strftime format %{c} has no postgresql equivalent"))),
    };
    // SQLite prints the time fields as parsed (the date normalized) unless an offset or modifier moved them
    let Some(raw) = raw else { return Ok(computed) };
    let g = |i: u8| format!("{}[{i}]", raw.m);
    let field = match spec {
        'Y' if raw.dates => format!("coalesce({}, '2000')", g(1)),
        'm' if raw.dates => format!("coalesce({}, '01')", g(2)),
        'd' if raw.dates => format!("coalesce({}, '01')", g(3)),
        'H' => format!("coalesce({}, '00')", g(4)),
        'k' => format!("lpad(coalesce({}, '00')::int::text, 2, ' ')", g(4)),
        'M' => format!("coalesce({}, '00')", g(5)),
        'S' => format!("coalesce({}, '00')", g(6)),
        'f' | 'g' => format!(
            "lpad({}round(coalesce({} || coalesce({}, ''), '0')::numeric, 3){}::text, 6, '0')",
            if spec == 'f' { "least(" } else { "" },
            g(6),
            g(7),
            if spec == 'f' { ", 59.999)" } else { "" },
        ),
        _ => return Ok(computed),
    };
    Ok(format!("(CASE WHEN {} IS NULL OR {} THEN {computed} ELSE {field} END)", raw.m, raw.shifted))
}

/// A strftime format as a concatenation of pieces.
pub(super) fn format_of(format: &str, t: &str, raw: Option<&Raw>) -> Result<String, Untranslatable> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => text.push('%'),
            Some(spec) => {
                if !text.is_empty() {
                    parts.push(super::literal::string(&std::mem::take(&mut text)));
                }
                parts.push(piece(spec, t, raw)?);
            }
            None => return Err(refused("a strftime format ending in %")),
        }
    }
    if !text.is_empty() {
        parts.push(super::literal::string(&text));
    }
    // every piece is NULL when the value is no date, as SQLite's result is
    // and NULL outside SQLite's range (Julian day 0 to the year 9999)
    Ok(format!(
        "(CASE WHEN {t} >= timestamp '4714-11-24 12:00:00 BC' AND {t} < timestamp '10000-01-01' THEN {} END)",
        if parts.is_empty() { "''".into() } else { parts.join(" || ") }
    ))
}

impl Tr<'_> {
    /// date(), time(), datetime(), julianday(), unixepoch() or strftime() of a value that is not a literal "now".
    pub(crate) fn time_of_value(&self, name: &str, group: &[Node]) -> Result<String, Untranslatable> {
        let args = split_args(group);
        let (format, rest) = if name == "strftime" {
            let f = args
                .first()
                .and_then(|f| str_literal(f))
                .ok_or_else(|| refused("strftime() with a non-literal format"))?;
            (Some(f), &args[1..])
        } else {
            (None, &args[..])
        };
        let Some((value, modifiers)) = rest.split_first() else {
            return Err(refused(&format!("{name}() without a value")));
        };
        let modifiers = modifiers
            .iter()
            .map(|m| str_literal(m).map(str::to_ascii_lowercase))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| refused(&format!("a {name}() modifier that is not a literal")))?;
        let (x, ty) = self.typed(value)?;
        if self.compact && ty == Ty::Text {
            let text = super::time_index::compact(name, format, &x, &modifiers)?;
            self.notes.borrow_mut().push(format!(
                "{name}() of a text that is not ISO 8601 (YYYY-MM-DD[ HH:MM[:SS[.f]]][Z], a valid date) is NULL in the index"
            ));
            return Ok(text);
        }
        let unix = modifiers.first().is_some_and(|m| m == "unixepoch");
        let first = match modifiers.first().map(String::as_str) {
            Some("start of month") => OnFields::StartOfMonth,
            Some("start of year") => OnFields::StartOfYear,
            Some(m) => whole_months(m).map_or(OnFields::None, OnFields::Months),
            None => OnFields::None,
        };
        let skip = usize::from(unix || (ty == Ty::Text && first != OnFields::None));
        let mut parsed = match ty {
            Ty::Text if !unix => parse_text(&x, first),
            Ty::Int | Ty::Real | Ty::Number if unix => Parsed {
                ts: format!(
                    "(CASE WHEN {x} >= -210866760000 AND {x} < 253402300800 THEN timestamp '1970-01-01' + \
                     make_interval(secs => round(({x})::numeric, 3)::double precision) END)"
                ),
                raw: None,
            },
            Ty::Int | Ty::Real | Ty::Number => {
                Parsed { ts: from_julian(&format!("({x})::double precision")), raw: None }
            }
            Ty::Timestamp => Parsed { ts: format!("({x})"), raw: None },
            Ty::Timestamptz => Parsed { ts: format!("(({x}) AT TIME ZONE 'UTC')"), raw: None },
            Ty::Date => Parsed { ts: format!("(({x})::timestamp)"), raw: None },
            Ty::Null => Parsed { ts: "CAST(NULL AS timestamp)".into(), raw: None },
            _ => return Err(super::scalar::type_refused(name, ty)),
        };
        let mut subsec = false;
        for m in modifiers.iter().skip(skip) {
            if m == "subsec" || m == "subsecond" {
                subsec = true;
                if let Some(raw) = parsed.raw.as_mut() {
                    raw.dates = true;
                }
                continue;
            }
            parsed.ts = modify(&parsed.ts, m)?;
            parsed.raw = None;
        }
        let t = parsed.ts.as_str();
        let raw = parsed.raw.as_ref();
        let secs = if subsec { "%g" } else { "%S" };
        Ok(match (name, format) {
            ("date", _) => format_of("%Y-%m-%d", t, raw)?,
            ("time", _) => format_of(&format!("%H:%M:{secs}"), t, raw)?,
            ("datetime", _) => format_of(&format!("%Y-%m-%d %H:%M:{secs}"), t, raw)?,
            ("julianday", _) => {
                format!("((extract(epoch from {t}) * 1000 + 210866760000000)::double precision / 86400000.0)")
            }
            ("unixepoch", _) if subsec => format!("((extract(epoch from {t}) * 1000)::double precision / 1000.0)"),
            ("unixepoch", _) => format!("floor(extract(epoch from {t}))::bigint"),
            (_, Some(f)) => format_of(f, t, raw)?,
            _ => return Err(refused(&format!("{name}()"))),
        })
    }
}

/// `+N months` / `-N years` as a whole number of months.
fn whole_months(m: &str) -> Option<i64> {
    let (num, unit) = m.trim().split_once(|c: char| c.is_ascii_whitespace())?;
    let n: i64 = num.trim_start_matches('+').parse().ok()?;
    match unit.trim().trim_end_matches('s') {
        "month" => Some(n),
        "year" => n.checked_mul(12),
        _ => None,
    }
}

/// Apply one modifier to the timestamp expression `t`.
pub(super) fn modify(t: &str, m: &str) -> Result<String, Untranslatable> {
    let m = m.trim();
    match m {
        "start of day" => return Ok(format!("date_trunc('day', {t})")),
        "start of month" => return Ok(format!("date_trunc('month', {t})")),
        "start of year" => return Ok(format!("date_trunc('year', {t})")),
        _ => {}
    }
    if m.eq_ignore_ascii_case("localtime") || m.eq_ignore_ascii_case("utc") {
        // SQLite converts with the zone of the machine it runs on, which the target cannot know
        return Err(refused(&format!("the date/time modifier '{m}' (sqlite uses the machine's time zone)")));
    }
    let bad = || refused(&format!("the date/time modifier '{m}'"));
    let (num, unit) = m.split_once(|c: char| c.is_ascii_whitespace()).ok_or_else(bad)?;
    let value: f64 = num.parse().map_err(|_| bad())?;
    if !value.is_finite() || !(num.starts_with('+') || num.starts_with('-') || num.as_bytes()[0].is_ascii_digit()) {
        return Err(bad());
    }
    let unit = unit.trim().trim_end_matches('s');
    let months_n = match unit {
        "day" | "hour" | "minute" | "second" => {
            return Ok(format!("({t} + '{} {unit}s'::interval)", num.trim_start_matches('+')));
        }
        "month" => num.trim_start_matches('+').parse::<i64>().map_err(|_| bad())?,
        "year" => num.trim_start_matches('+').parse::<i64>().map_err(|_| bad())?.checked_mul(12).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    // SQLite moves the month and lets the day overflow into the next one (Jan 31 + 1 month = Mar 2 or 3)
    Ok(months(t, months_n))
}
