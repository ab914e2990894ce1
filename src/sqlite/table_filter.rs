//! INCLUDE_TABLES and EXCLUDE_TABLES: table-name globs, compiled once

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};

/// Which SQLite tables a run copies: those matching an INCLUDE_TABLES glob (all, when there is none) and no
/// EXCLUDE_TABLES glob. Globs know `*` and `?` only, and match without regard to case, as SQLite names do.
#[derive(Debug, Clone)]
pub(crate) struct TableFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Default for TableFilter {
    fn default() -> TableFilter {
        TableFilter { include: None, exclude: GlobSet::empty() }
    }
}

impl TableFilter {
    /// Compile the two lists of globs.
    pub(crate) fn new(include: &[String], exclude: &[String]) -> Result<TableFilter> {
        let include = if include.is_empty() { None } else { Some(compile("INCLUDE_TABLES", include)?) };
        Ok(TableFilter { include, exclude: compile("EXCLUDE_TABLES", exclude)? })
    }

    /// Whether the run copies `table`.
    pub(crate) fn selects(&self, table: &str) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(table)) && !self.exclude.is_match(table)
    }
}

fn compile(setting: &str, patterns: &[String]) -> Result<GlobSet> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        // globset also reads [classes], {alternatives} and \escapes: escape them, so that only * and ? are special
        let mut escaped = String::with_capacity(pattern.len());
        for c in pattern.chars() {
            if matches!(c, '[' | ']' | '{' | '}' | '\\') {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        let glob = GlobBuilder::new(&escaped)
            .case_insensitive(true)
            .literal_separator(false)
            .backslash_escape(true)
            .build()
            .map_err(|e| Error::config(format!("{setting} pattern {pattern:?}: {e}")))?;
        set.add(glob);
    }
    set.build().map_err(|e| Error::config(format!("{setting}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(include: &[&str], exclude: &[&str]) -> TableFilter {
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        TableFilter::new(&list(include), &list(exclude)).unwrap()
    }

    #[test]
    fn globs_match_as_sqlite_names_do() {
        assert!(filter(&["django_*"], &[]).selects("django_migrations"));
        assert!(filter(&["User"], &[]).selects("user"));
        assert!(!filter(&["a?c"], &[]).selects("abbc"));
        assert!(filter(&["a?c"], &[]).selects("abc"));
        assert!(filter(&["*"], &[]).selects(""));
        assert!(filter(&["*"], &[]).selects("a/b"), "no path separators in table names");
        assert!(filter(&[], &[]).selects("anything"));
        assert!(!filter(&[], &["log*"]).selects("LOGS"));
        assert!(!filter(&["a*"], &["ab"]).selects("ab"));
    }

    #[test]
    fn only_star_and_question_mark_are_special() {
        assert!(filter(&["t[1]"], &[]).selects("t[1]"));
        assert!(!filter(&["t[12]"], &[]).selects("t1"));
        assert!(filter(&["{a,b}"], &[]).selects("{a,b}"));
        assert!(!filter(&["{a,b}"], &[]).selects("a"));
        assert!(filter(&["a\\b"], &[]).selects("a\\b"));
    }
}
