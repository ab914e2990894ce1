//! SQLite date/time functions and CURRENT_* keywords rendered for a PostgreSQL target type

use super::expression::{column_desc, TypeHint};
use super::Untranslatable;

/// What a "now" expression produces in SQLite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NowClass {
    Timestamp,
    Date,
    Time,
    /// Integer seconds since 1970 (`unixepoch()`, `strftime('%s','now')`)
    Epoch,
    /// `julianday('now')`
    Julian,
    /// Some other strftime format of now (only renderable as text)
    Other,
}

/// A SQLite expression evaluating the current time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Now {
    class: NowClass,
    /// The to_char pattern giving SQLite's text form
    pattern: String,
    /// `'localtime'` modifier: local instead of UTC wall clock
    local: bool,
}

/// Result of a date/time function call whose arguments are all literals.
pub(crate) enum TimeCall {
    Now(Now),
    /// A constant date/time text (e.g. `datetime('1997-01-01')` is `'1997-01-01 00:00:00'`)
    Constant(String),
}

const TS: &str = "YYYY-MM-DD HH24:MI:SS";

pub(crate) fn is_time_function(name: &str) -> bool {
    ["date", "time", "datetime", "julianday", "unixepoch", "strftime"].iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// `CURRENT_TIMESTAMP`, `CURRENT_DATE`, `CURRENT_TIME` (SQLite: UTC text).
pub(crate) fn ctime_keyword(word: &str) -> Option<Now> {
    let (class, pattern) = match word.to_ascii_uppercase().as_str() {
        "CURRENT_TIMESTAMP" => (NowClass::Timestamp, TS),
        "CURRENT_DATE" => (NowClass::Date, "YYYY-MM-DD"),
        "CURRENT_TIME" => (NowClass::Time, "HH24:MI:SS"),
        _ => return None,
    };
    Some(Now { class, pattern: pattern.to_string(), local: false })
}

/// A call of a time function; `args` holds each argument's value when it is a string literal.
pub(crate) fn time_call(name: &str, args: &[Option<String>]) -> Result<TimeCall, Untranslatable> {
    let name = name.to_ascii_lowercase();
    let not_constant = || Untranslatable::new(format!("function {name}() of a column or expression is not translated"));
    let (format, rest) = if name == "strftime" {
        match args.split_first() {
            Some((Some(f), rest)) => (Some(f.as_str()), rest),
            _ => return Err(Untranslatable::new("strftime() with a non-literal format is not translated")),
        }
    } else {
        (None, args)
    };
    let (value, modifiers) = match rest.split_first() {
        None => ("now", &[][..]),
        Some((Some(v), mods)) => (v.as_str(), mods),
        Some((None, _)) => return Err(not_constant()),
    };
    let mut local = false;
    let mut subsec = false;
    for m in modifiers {
        match m.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("localtime") => local = true,
            Some("subsec" | "subsecond") => subsec = true,
            _ => return Err(Untranslatable::new(format!("a {name}() modifier has no postgresql equivalent"))),
        }
    }
    if !value.eq_ignore_ascii_case("now") {
        return match constant(&name, value) {
            Some(text) if modifiers.is_empty() => Ok(TimeCall::Constant(text)),
            _ => Err(not_constant()),
        };
    }
    let secs = if subsec { "SS.MS" } else { "SS" };
    let (class, pattern) = match (name.as_str(), format) {
        ("datetime", _) => (NowClass::Timestamp, format!("YYYY-MM-DD HH24:MI:{secs}")),
        ("date", _) => (NowClass::Date, "YYYY-MM-DD".to_string()),
        ("time", _) => (NowClass::Time, format!("HH24:MI:{secs}")),
        ("julianday", _) => (NowClass::Julian, String::new()),
        ("unixepoch", _) => (NowClass::Epoch, String::new()),
        (_, Some(f)) => strftime_pattern(f)?,
        _ => return Err(not_constant()),
    };
    Ok(TimeCall::Now(Now { class, pattern, local }))
}

/// Map a strftime format to a to_char pattern and classify it.
fn strftime_pattern(format: &str) -> Result<(NowClass, String), Untranslatable> {
    match format {
        "%s" => return Ok((NowClass::Epoch, String::new())),
        "%J" => return Ok((NowClass::Julian, String::new())),
        _ => {}
    }
    let (mut date, mut time) = (0, 0);
    let mut out = String::new();
    let mut literal = String::new();
    let mut chars = format.chars();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            literal.push(ch);
            continue;
        }
        let spec = chars.next().unwrap_or('%');
        let (pat, d, t) = match spec {
            'Y' => ("YYYY", 1, 0),
            'm' => ("MM", 1, 0),
            'd' => ("DD", 1, 0),
            'F' => ("YYYY-MM-DD", 3, 0),
            'j' => ("DDD", 0, 0),
            'H' => ("HH24", 0, 1),
            'M' => ("MI", 0, 1),
            'S' => ("SS", 0, 1),
            'f' => ("SS.MS", 0, 1),
            'T' => ("HH24:MI:SS", 0, 3),
            'R' => ("HH24:MI", 0, 2),
            '%' => {
                literal.push('%');
                continue;
            }
            other => {
                return Err(Untranslatable::new(format!("strftime format %{other} has no postgresql equivalent")));
            }
        };
        flush_literal(&mut out, &mut literal);
        out.push_str(pat);
        date += d;
        time += t;
    }
    flush_literal(&mut out, &mut literal);
    let class = match (date >= 3, time >= 3, date, time) {
        (true, true, _, _) => NowClass::Timestamp,
        (true, false, _, 0) => NowClass::Date,
        (false, true, 0, _) => NowClass::Time,
        _ => NowClass::Other,
    };
    Ok((class, out))
}

/// Letters in a to_char pattern must be double-quoted to stay literal.
fn flush_literal(out: &mut String, literal: &mut String) {
    for ch in literal.drain(..) {
        if ch.is_alphabetic() || ch == '"' || ch == '\\' {
            out.push('"');
            if ch == '"' || ch == '\\' {
                out.push('\\');
            }
            out.push(ch);
            out.push('"');
        } else {
            out.push(ch);
        }
    }
}

/// SQLite's text for date()/time()/datetime() of a literal `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]]`.
fn constant(name: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let (date, rest) = if v.len() >= 10 && v.is_char_boundary(10) { v.split_at(10) } else { (v, "") };
    let nums = |s: &str, seps: &[usize]| -> Option<Vec<u32>> {
        let b = s.as_bytes();
        if seps.iter().any(|&i| !matches!(b.get(i), Some(b'-' | b':'))) {
            return None;
        }
        s.split(['-', ':']).map(|p| p.parse::<u32>().ok().filter(|_| p.bytes().all(|c| c.is_ascii_digit()))).collect()
    };
    let ymd = nums(date, &[4, 7])?;
    let (y, m, d) = (ymd[0], ymd[1], ymd[2]);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > *days.get(usize::try_from(m - 1).ok()?)? {
        return None;
    }
    let (hh, mm, ss) = if rest.is_empty() {
        (0, 0, 0)
    } else {
        let t = rest.strip_prefix([' ', 'T'])?;
        let t = t.split('.').next()?;
        let hms = nums(t, if t.len() == 5 { &[2] } else { &[2, 5] })?;
        if !(t.len() == 5 || t.len() == 8) || hms[0] > 23 || hms[1] > 59 || hms.get(2).copied().unwrap_or(0) > 59 {
            return None;
        }
        (hms[0], hms[1], hms.get(2).copied().unwrap_or(0))
    };
    let text = match name {
        "date" => format!("{y:04}-{m:02}-{d:02}"),
        "datetime" => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        "time" => format!("{hh:02}:{mm:02}:{ss:02}"),
        _ => return None,
    };
    Some(text)
}

/// Render a "now" expression for a column of type `target` (None: SQLite's own result type).
pub(crate) fn render(now: &Now, target: Option<TypeHint>) -> Result<String, Untranslatable> {
    let wall = if now.local { "LOCALTIMESTAMP" } else { "(now() AT TIME ZONE 'UTC')" };
    let unsupported = |what: &str| Untranslatable::new(format!("current {what} default for {}", column_desc(target)));
    let pattern = now.pattern.replace('\'', "''");
    let text = if now.local {
        format!("to_char(LOCALTIMESTAMP, '{pattern}')")
    } else {
        format!("to_char(now() AT TIME ZONE 'UTC', '{pattern}')")
    };
    use NowClass as C;
    use TypeHint as H;
    Ok(match (now.class, target) {
        (C::Epoch, Some(H::Text)) => "(extract(epoch from now())::bigint)::text".into(),
        (C::Epoch, None | Some(H::Integer | H::Numeric | H::Other)) => "(extract(epoch from now())::bigint)".into(),
        (C::Epoch, _) => return Err(unsupported("epoch")),
        (C::Julian, None | Some(H::Numeric | H::Other)) => "(extract(epoch from now()) / 86400.0 + 2440587.5)".into(),
        (C::Julian, _) => return Err(unsupported("julian day")),
        (_, None | Some(H::Text | H::Other)) => text,
        (C::Timestamp, Some(H::Timestamp)) => wall.to_string(),
        (C::Timestamp, Some(H::Timestamptz)) => "CURRENT_TIMESTAMP".into(),
        (C::Timestamp | C::Date, Some(H::Date)) => format!("({wall}::date)"),
        (C::Date, Some(H::Timestamp)) => format!("({wall}::date::timestamp)"),
        (C::Timestamp | C::Time, Some(H::Time)) => format!("({wall}::time)"),
        _ => return Err(unsupported("time")),
    })
}
