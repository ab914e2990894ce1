//! SQLite's built-in collations as PostgreSQL expressions: NOCASE folds ASCII letters only (lower() under "C"
//! does the same), RTRIM ignores trailing spaces

use super::expression::{is_kw_node, tok, Mode, Node, Tr};
use super::keywords::is_keyword;
use super::lexer::Kind;
use super::typed::{Ty, COMPARISONS};
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

/// Words that may stand right before or after a comparison without taking one of its operands.
const BOUNDS: &[&str] =
    &["AND", "OR", "NOT", "CASE", "WHEN", "THEN", "ELSE", "END", "WHERE", "ON", "HAVING", "GROUP", "ORDER", "LIMIT"];

impl Tr<'_> {
    /// A comparison of two texts starting at `i` in which an operand carries `COLLATE NOCASE` or `COLLATE RTRIM`
    /// (the left operand's collation first, as SQLite chooses), or an `ORDER BY` item that does: both sides
    /// folded as the collation compares them, and the index after it. Only single operands (a name, a literal,
    /// a parenthesized group or a call) between condition words are taken; any other use stays refused.
    pub(crate) fn collated(&self, nodes: &[Node], i: usize) -> Result<Option<(String, usize)>, Untranslatable> {
        let Some(a_end) = operand_end(nodes, i) else { return Ok(None) };
        let a_coll = collation_at(nodes, a_end);
        let after_a = a_end + if a_coll.is_some() { 2 } else { 0 };
        if let Some(coll) = a_coll.clone().filter(|_| in_order_by(nodes, i)) {
            if !bound(nodes.get(after_a), true) || !self.is_text(&nodes[i..a_end]) {
                return Ok(None);
            }
            return Ok(folded(&self.seq(&nodes[i..a_end], false)?, &coll)?.map(|sql| (sql, after_a)));
        }
        let Some(op) = tok(nodes.get(after_a)).filter(|t| t.kind == Kind::Op && COMPARISONS.contains(&t.text.as_str()))
        else {
            return Ok(None);
        };
        let Some(b_end) = operand_end(nodes, after_a + 1) else { return Ok(None) };
        let b_coll = collation_at(nodes, b_end);
        let end = b_end + if b_coll.is_some() { 2 } else { 0 };
        let folds = [&a_coll, &b_coll].into_iter().flatten().any(|c| c != "binary");
        let Some(coll) = a_coll.or(b_coll).filter(|_| folds) else { return Ok(None) };
        let texts = self.is_text(&nodes[i..a_end]) && self.is_text(&nodes[after_a + 1..b_end]);
        if !texts || !bound(i.checked_sub(1).and_then(|p| nodes.get(p)), false) || !bound(nodes.get(end), true) {
            return Ok(None);
        }
        let (a, b) = (self.seq(&nodes[i..a_end], false)?, self.seq(&nodes[after_a + 1..b_end], false)?);
        let (a, b) = match (folded(&a, &coll)?, folded(&b, &coll)?) {
            (Some(a), Some(b)) => (a, b),
            _ => (format!("({a}) COLLATE \"C\""), format!("({b}) COLLATE \"C\"")),
        };
        let op = if op.text == "==" { "=" } else { op.text.as_str() };
        Ok(Some((format!("{a} {op} {b}"), end)))
    }

    /// Whether `nodes` is a text (in a view, where column types are not known, an unknown type counts as text).
    fn is_text(&self, nodes: &[Node]) -> bool {
        let ty = self.ty_of(nodes);
        ty == Ty::Text || (ty == Ty::Unknown && matches!(self.mode, Mode::Select { .. }))
    }
}

/// The end of a single operand at `i`: a name (dotted too), a literal, a parenthesized group or a call.
fn operand_end(nodes: &[Node], i: usize) -> Option<usize> {
    let name = |n: Option<&Node>| {
        tok(n).is_some_and(|t| matches!(t.kind, Kind::Quoted(_)) || (t.kind == Kind::Word && !is_keyword(&t.text)))
    };
    match nodes.get(i)? {
        Node::Group(_) => Some(i + 1),
        Node::Tok(t)
            if t.kind == Kind::Word && !is_keyword(&t.text) && matches!(nodes.get(i + 1), Some(Node::Group(_))) =>
        {
            Some(i + 2)
        }
        Node::Tok(_) if name(nodes.get(i)) => {
            let dotted = tok(nodes.get(i + 1)).is_some_and(|t| t.is_op(".")) && name(nodes.get(i + 2));
            Some(if dotted { i + 3 } else { i + 1 })
        }
        Node::Tok(t) if matches!(t.kind, Kind::Str | Kind::Num | Kind::Blob) => Some(i + 1),
        _ => None,
    }
}

/// The collation named by a `COLLATE name` at `at`, lowercased; None when there is none.
fn collation_at(nodes: &[Node], at: usize) -> Option<String> {
    is_kw_node(nodes.get(at), "COLLATE").then(|| tok(nodes.get(at + 1)).map(|t| t.text.to_ascii_lowercase()))?
}

/// Whether `node` ends the comparison on that side: nothing, a comma, a condition or clause word (`ASC`/`DESC`
/// too after it, `BY` before it).
fn bound(node: Option<&Node>, after: bool) -> bool {
    match node {
        None => true,
        Some(Node::Tok(t)) if t.kind == Kind::Comma => true,
        Some(n) => {
            BOUNDS.iter().any(|w| is_kw_node(Some(n), w))
                || (after && ["ASC", "DESC", "NULLS"].iter().any(|w| is_kw_node(Some(n), w)))
                || (!after && is_kw_node(Some(n), "BY"))
        }
    }
}

/// Whether the operand at `i` is an item of an ORDER BY (right after `ORDER BY`, or after a comma that follows
/// one).
fn in_order_by(nodes: &[Node], i: usize) -> bool {
    let comma_before = matches!(nodes.get(i.wrapping_sub(1)), Some(Node::Tok(t)) if t.kind == Kind::Comma);
    for j in (0..i).rev() {
        if is_kw_node(nodes.get(j), "BY") {
            return j > 0 && is_kw_node(nodes.get(j - 1), "ORDER") && (j + 1 == i || comma_before);
        }
        if ["SELECT", "FROM", "WHERE", "GROUP", "HAVING", "LIMIT"].iter().any(|w| is_kw_node(nodes.get(j), w)) {
            return false;
        }
    }
    false
}
