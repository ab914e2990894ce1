//! Rendering SQLite literals (strings, numbers, blobs, booleans) as PostgreSQL literals

use super::Untranslatable;

/// A standard-conforming string literal: quotes doubled, backslashes literal.
pub(crate) fn string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A blob literal as a bytea hex literal.
pub(crate) fn blob(hex: &str) -> String {
    format!("'\\x{}'::bytea", hex.to_ascii_lowercase())
}

/// A SQLite numeric literal in PostgreSQL syntax: `_` separators dropped and hex
/// (a 64-bit two's complement value in SQLite) written in decimal.
pub(crate) fn number(raw: &str) -> Result<String, Untranslatable> {
    let digits: String = raw.chars().filter(|c| *c != '_').collect();
    if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        let value = u64::from_str_radix(hex, 16).map_err(|_| Untranslatable::new("hex literal too big"))?;
        return Ok(i64::from_ne_bytes(value.to_ne_bytes()).to_string());
    }
    Ok(digits)
}

/// The value of a numeric literal (with optional sign) if it is an integer that fits i64,
/// following SQLite's INTEGER affinity (1.0 and '1e3' become integers).
pub(crate) fn integral(negative: bool, num: &str) -> Option<i64> {
    let num = num.trim();
    if let Ok(v) = num.parse::<i64>() {
        return if negative { v.checked_neg() } else { Some(v) };
    }
    let f: f64 = num.parse().ok()?;
    let f = if negative { -f } else { f };
    if !f.is_finite() || f.fract() != 0.0 || f.abs() >= 9.2e18 {
        return None;
    }
    format!("{f:.0}").parse().ok()
}

/// True when `text` is a number as SQLite's numeric affinity would accept it.
pub(crate) fn is_numeric_text(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains(['x', 'X', '_']) && t.parse::<f64>().is_ok_and(f64::is_finite)
}

/// SQLite's boolean spellings accepted in a boolean context: 0/1, 't'/'f', 'true'/'false'.
pub(crate) fn boolean_of(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "t" | "true" => Some(true),
        "0" | "f" | "false" => Some(false),
        _ => None,
    }
}

pub(crate) fn bool_sql(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}
