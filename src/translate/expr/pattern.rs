//! GLOB and LIKE patterns: SQLite's GLOB as a PostgreSQL regular expression, LIKE as ILIKE with SQLite's
//! ASCII-only case folding and no default escape character

use super::expression::{tok, Node, Out, Tr};
use super::lexer::Kind;
use super::scalar::str_literal;
use super::{literal, Untranslatable};

/// An anchored PostgreSQL regular expression matching what the GLOB pattern matches.
pub(crate) fn glob_regex(pattern: &str) -> Result<String, Untranslatable> {
    let mut re = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                re.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    re.push('^');
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    re.push_str("\\]");
                }
                let mut closed = false;
                for c in chars.by_ref() {
                    match c {
                        ']' => {
                            closed = true;
                            break;
                        }
                        '\\' | '[' | '^' => {
                            re.push('\\');
                            re.push(c);
                        }
                        _ => re.push(c),
                    }
                }
                if !closed {
                    return Err(Untranslatable::new("glob pattern with an unclosed [ is not translated"));
                }
                re.push(']');
            }
            c if c.is_alphanumeric() || c == ' ' || !c.is_ascii() => re.push(c),
            c => {
                re.push('\\');
                re.push(c);
            }
        }
    }
    re.push('$');
    Ok(re)
}

/// The right side of an ILIKE for a SQLite LIKE pattern: a literal gets its backslashes doubled (SQLite has no
/// default escape character) unless an ESCAPE clause follows; both are compared under "C" so only ASCII folds.
pub(crate) fn like_pattern(raw: &[Node], sql: &str, has_escape: bool) -> String {
    match (str_literal(raw), raw) {
        (Some(p), _) if !has_escape => format!("{} COLLATE \"C\"", literal::string(&p.replace('\\', "\\\\"))),
        (Some(p), _) => format!("{} COLLATE \"C\"", literal::string(p)),
        (None, [Node::Group(_)]) => format!("{sql} COLLATE \"C\""),
        _ => format!("({sql}) COLLATE \"C\""),
    }
}

/// Words that end the pattern operand of LIKE or GLOB.
const ENDS: &[&str] = &["AND", "OR", "THEN", "ELSE", "WHEN", "END", "ESCAPE"];

impl Tr<'_> {
    /// `x LIKE p [ESCAPE e]` or `x GLOB p` at `i` (the keyword): the pattern is one operand; returns the index after it.
    pub(crate) fn pattern_op(
        &self,
        nodes: &[Node],
        i: usize,
        out: &mut Out,
        glob: bool,
    ) -> Result<usize, Untranslatable> {
        let call = matches!((nodes.get(i + 1), nodes.get(i + 2)), (Some(Node::Tok(t)), Some(Node::Group(_))) if t.kind == Kind::Word);
        let end = i + 1 + if call { 2 } else { 1 };
        let Some(pattern) = nodes.get(i + 1..end) else {
            return Err(Untranslatable::new("like or glob without a pattern"));
        };
        let ends = match nodes.get(end) {
            None => true,
            Some(Node::Tok(t)) => t.kind == Kind::Comma || ENDS.iter().any(|k| t.is_kw(k)),
            Some(Node::Group(_)) => false,
        };
        if !ends {
            return Err(Untranslatable::new("like or glob with a pattern of more than one operand is not translated"));
        }
        if glob {
            let p = str_literal(pattern)
                .ok_or_else(|| Untranslatable::new("glob with a non-literal pattern is not translated"))?;
            // `x NOT GLOB p` is `x !~ re`
            let not = out.s.ends_with(" NOT") || out.s == "NOT";
            if not {
                let cut = out.s.len() - 3;
                out.s.truncate(cut);
                out.s = out.s.trim_end().to_string();
            }
            out.push(if not { "!~" } else { "~" });
            out.push(&literal::string(&glob_regex(p)?));
            return Ok(end);
        }
        let escape = tok(nodes.get(end)).is_some_and(|t| t.is_kw("ESCAPE"));
        let sql = self.seq(pattern, false)?;
        out.push("ILIKE");
        out.push(&like_pattern(pattern, &sql, escape));
        if !escape && str_literal(pattern).is_none() {
            out.push("ESCAPE ''");
        }
        Ok(end)
    }
}
