//! The compact form of SQLite date/time functions of a text for index expressions, which PostgreSQL keeps in a
//! catalog row of at most 8 kB: ISO 8601 text rearranged by one regexp_replace, anything else NULL

use super::time_value::refused;
use super::Untranslatable;

/// Days that exist: no Feb 30/31, no 31st in a 30-day month, Feb 29 only in leap years.
const VALID_DAY: &str = "(?![0-9]{4}-02-3|[0-9]{4}-(?:0[469]|11)-31|\
(?:[0-9]{2}(?:[02468][1235679]|[13579][01345789])|(?:[02468][1235679]|[13579][01345789])00)-02-29)";
const CANON: &str = "([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[ T]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])\\.([0-9]{3})[zZ]?[[:space:]]*";

/// An index-sized form for ISO 8601 text whose fields SQLite prints as written: the text completed to
/// `YYYY-MM-DD HH:MM:SS.fff` and rearranged by one regexp_replace; any other text gives NULL.
pub(crate) fn compact(
    name: &str,
    format: Option<&str>,
    x: &str,
    modifiers: &[String],
) -> Result<String, Untranslatable> {
    let too_long =
        |what: &str| refused(&format!("{what} in an index (postgresql limits the size of an index expression)"));
    let subsec = match modifiers {
        [] => false,
        [m] if m == "subsec" || m == "subsecond" => true,
        _ => return Err(too_long(&format!("{name}() with modifiers"))),
    };
    let secs = if subsec { "%f" } else { "%S" };
    let format = match (name, format) {
        ("date", _) => "%Y-%m-%d".to_string(),
        ("time", _) => format!("%H:%M:{secs}"),
        ("datetime", _) => format!("%Y-%m-%d %H:%M:{secs}"),
        ("strftime", Some(f)) => f.to_string(),
        _ => return Err(too_long(&format!("{name}() of a text"))),
    };
    let mut template = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            match c {
                '\\' => template.push_str("\\\\"),
                '\'' => template.push_str("''"),
                c => template.push(c),
            }
            continue;
        }
        let group = match chars.next() {
            Some('Y') => "\\1",
            Some('m') => "\\2",
            Some('d') => "\\3",
            Some('H') => "\\4",
            Some('M') => "\\5",
            Some('S') => "\\6",
            Some('f') => "\\6.\\7",
            Some('F') => "\\1-\\2-\\3",
            Some('T') => "\\4:\\5:\\6",
            Some('R') => "\\4:\\5",
            Some('%') => "%",
            Some(c) => return Err(too_long(&format!("strftime format %{c} of a text"))),
            None => return Err(refused("a strftime format ending in %")),
        };
        template.push_str(group);
    }
    if !template.contains('\\') {
        return Err(too_long("strftime() without a conversion"));
    }
    // the template with every group empty: what a text that is no date turns into
    let empty = template.replace("\\1", "").replace("\\2", "").replace("\\3", "").replace("\\4", "");
    let empty = empty.replace("\\5", "").replace("\\6", "").replace("\\7", "");
    let pad = format!(
        "regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace({x}, \
         '^([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})[[:space:]]*$', '\\1 00:00'), \
         '^(.{{10}}[ T][0-9]{{2}}:[0-9]{{2}})([zZ]?[[:space:]]*)$', '\\1:00\\2'), \
         '^(.{{10}}[ T][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}})([zZ]?[[:space:]]*)$', '\\1.000\\2'), \
         '^(.{{19}}\\.[0-9])([zZ]?[[:space:]]*)$', '\\100\\2'), \
         '^(.{{19}}\\.[0-9]{{2}})([zZ]?[[:space:]]*)$', '\\10\\2')"
    );
    Ok(format!("nullif(regexp_replace({pad}, '^{VALID_DAY}{CANON}$|^.*$', '{template}'), '{empty}')"))
}
