//! SQLite date/time functions of 'now' with modifiers (`datetime('now', '+7 days')`), for DEFAULTs above all

use super::expression::{Node, Tr, TypeHint};
use super::functions::split_args;
use super::scalar::str_literal;
use super::time_value::{format_of, modify, refused};
use super::Untranslatable;

impl Tr<'_> {
    /// `name('now', modifiers...)` (strftime: `strftime(format, 'now', ...)`) rendered for a column of `hint`.
    pub(crate) fn time_of_now(
        &self,
        name: &str,
        group: &[Node],
        hint: Option<TypeHint>,
    ) -> Result<String, Untranslatable> {
        let args = split_args(group);
        let literals = args.iter().map(|a| str_literal(a).map(str::to_ascii_lowercase)).collect::<Option<Vec<_>>>();
        let Some(literals) = literals else {
            return Err(refused(&format!("{name}() of 'now' with a non-literal argument")));
        };
        let (format, rest) = if name == "strftime" {
            let (f, rest) = args
                .first()
                .and_then(|f| str_literal(f))
                .zip(literals.get(1..))
                .ok_or_else(|| refused("strftime() without a format"))?;
            (Some(f), rest)
        } else {
            (None, &literals[..])
        };
        let modifiers = rest.get(1..).unwrap_or(&[]);
        // SQLite's 'now' has millisecond precision
        let mut t = "date_trunc('milliseconds', now() AT TIME ZONE 'UTC')".to_string();
        let mut subsec = false;
        for m in modifiers {
            match m.as_str() {
                "subsec" | "subsecond" => subsec = true,
                "localtime" => t = format!("(({t}) AT TIME ZONE 'UTC')::timestamp"),
                _ => t = modify(&t, m)?,
            }
        }
        let secs = if subsec { "%g" } else { "%S" };
        let text = |f: &str| format_of(f, &t, None);
        // datetime() has whole seconds unless 'subsec'
        let whole = if subsec { t.clone() } else { format!("date_trunc('second', {t})") };
        use TypeHint as H;
        Ok(match (name, format, hint) {
            ("datetime", _, Some(H::Timestamp)) => whole,
            ("datetime", _, Some(H::Timestamptz)) => format!("(({whole}) AT TIME ZONE 'UTC')"),
            ("date" | "datetime", _, Some(H::Date)) => format!("(({t})::date)"),
            ("date", _, Some(H::Timestamp)) => format!("(({t})::date::timestamp)"),
            ("unixepoch", _, None | Some(H::Integer | H::Numeric | H::Other)) if !subsec => {
                format!("floor(extract(epoch from {t}))::bigint")
            }
            ("julianday", _, None | Some(H::Numeric | H::Other)) => {
                format!("((extract(epoch from {t}) * 1000 + 210866760000000)::double precision / 86400000.0)")
            }
            (_, _, None | Some(H::Text | H::Other)) => match (name, format) {
                ("date", _) => text("%Y-%m-%d")?,
                ("time", _) => text(&format!("%H:%M:{secs}"))?,
                ("datetime", _) => text(&format!("%Y-%m-%d %H:%M:{secs}"))?,
                (_, Some(f)) => text(f)?,
                _ => return Err(refused(&format!("{name}() of 'now' with modifiers for this column"))),
            },
            _ => {
                return Err(Untranslatable::new(format!(
                    "{name}() of 'now' with modifiers is not translated for {}",
                    super::expression::column_desc(hint)
                )))
            }
        })
    }
}
