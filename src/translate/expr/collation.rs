//! SQLite's built-in collations as PostgreSQL expressions: NOCASE folds ASCII letters only (lower() under "C"
//! does the same), RTRIM ignores trailing spaces

use super::Untranslatable;

/// What PostgreSQL must compare to compare `sql` under the SQLite collation `name`; None for BINARY.
pub(crate) fn folded(sql: &str, name: &str) -> Result<Option<String>, Untranslatable> {
    match name.to_ascii_lowercase().as_str() {
        "binary" => Ok(None),
        "nocase" => Ok(Some(format!("lower(({sql}) COLLATE \"C\")"))),
        "rtrim" => Ok(Some(format!("rtrim({sql}, ' ')"))),
        other => Err(Untranslatable::new(format!("collation {other} has no postgresql equivalent"))),
    }
}
