//! Numbers where SQLite takes a condition (a CHECK, a WHERE, an operand of AND, OR, NOT or a CASE's WHEN): SQLite
//! reads nonzero as true; PostgreSQL wants a boolean, so such an operand becomes `(x) <> 0`

use super::expression::{is_kw_node, tok, Node, Tr};
use super::lexer::Kind;
use super::typed::Ty;
use super::Untranslatable;

/// Keywords after which an operand is a condition.
const BEFORE: &[&str] = &["OR", "NOT", "WHERE", "HAVING", "ON"];
/// Keywords that end a WHERE, HAVING or ON condition.
const CLAUSE_ENDS: &[&str] = &["GROUP", "ORDER", "LIMIT", "WINDOW", "UNION", "EXCEPT", "INTERSECT"];

impl Tr<'_> {
    /// The operand at `i` (a name, a literal, a parenthesized group, a function call or a `CASE ... END`) when it
    /// stands where a condition goes and its value is a number: its translation compared with 0, and the index
    /// after it.
    /// `whole` tells that the sequence `nodes` is itself a condition.
    pub(crate) fn numeric_condition(
        &self,
        nodes: &[Node],
        i: usize,
        whole: bool,
    ) -> Result<Option<(String, usize)>, Untranslatable> {
        let call = matches!((nodes.get(i), nodes.get(i + 1)), (Some(Node::Tok(t)), Some(Node::Group(_)))
            if t.kind == Kind::Word && !super::keywords::is_keyword(&t.text));
        let case_end = is_kw_node(nodes.get(i), "CASE").then(|| matching_end(nodes, i)).flatten();
        let end = match case_end {
            Some(e) => e + 1,
            None if call => i + 2,
            None => i + 1,
        };
        let numeric = matches!(self.ty_of(&nodes[i..end]), Ty::Int | Ty::Real | Ty::Number);
        if !numeric || !condition_at(nodes, i, end, whole) {
            return Ok(None);
        }
        Ok(Some((format!("(({}) <> 0)", self.seq(&nodes[i..end], false)?), end)))
    }
}

/// The index of the END that closes the CASE at `at`.
pub(crate) fn matching_end(nodes: &[Node], at: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, node) in nodes.iter().enumerate().skip(at + 1) {
        if is_kw_node(Some(node), "CASE") {
            depth += 1;
        } else if is_kw_node(Some(node), "END") {
            if depth == 0 {
                return Some(j);
            }
            depth -= 1;
        }
    }
    None
}

/// Whether the operand `nodes[i..end]` stands where a condition goes.
pub(crate) fn condition_at(nodes: &[Node], i: usize, end: usize, whole: bool) -> bool {
    let prev = i.checked_sub(1);
    let kw = |at: Option<usize>, words: &[&str]| at.is_some_and(|p| words.iter().any(|w| is_kw_node(nodes.get(p), w)));
    let after = kw(prev, BEFORE) && !(kw(prev, &["NOT"]) && kw(i.checked_sub(2), &["IS"]))
        || kw(prev, &["AND"]) && !between_and(nodes, i - 1)
        || kw(prev, &["WHEN"]) && searched_case(nodes, i - 1);
    let before = kw(Some(end), &["OR"]) || kw(Some(end), &["AND"]) && !between_and(nodes, end);
    let ends = end == nodes.len() || kw(Some(end), CLAUSE_ENDS) || kw(Some(end), &["THEN"]) && kw(prev, &["WHEN"]);
    (after && (before || ends)) || (i == 0 && (before || (end == nodes.len() && whole)))
}

/// Whether the AND at `at` is the second word of a BETWEEN.
fn between_and(nodes: &[Node], at: usize) -> bool {
    for j in (0..at).rev() {
        if ["AND", "OR"].iter().any(|w| is_kw_node(nodes.get(j), w)) {
            return false;
        }
        if is_kw_node(nodes.get(j), "BETWEEN") {
            return true;
        }
    }
    false
}

/// Whether the WHEN at `at` belongs to a CASE without an operand (`CASE WHEN cond THEN ...`).
fn searched_case(nodes: &[Node], at: usize) -> bool {
    let mut depth = 0;
    for j in (0..at).rev() {
        if is_kw_node(nodes.get(j), "END") {
            depth += 1;
        } else if is_kw_node(nodes.get(j), "CASE") {
            if depth == 0 {
                return tok(nodes.get(j + 1)).is_some_and(|t| t.is_kw("WHEN"));
            }
            depth -= 1;
        }
    }
    false
}
