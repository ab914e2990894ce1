//! Context rules of the translator: literals beside boolean columns, "now" beside
//! date/time columns, and aliases for FROM subqueries

use super::expression::{is_kw_node, tok, Mode, Node, Tr, TypeHint};
use super::keywords::is_keyword;
use super::lexer::Kind;
use super::literal;

fn is_cmp(node: Option<&Node>) -> bool {
    tok(node).is_some_and(|t| t.kind == Kind::Op && matches!(t.text.as_str(), "=" | "==" | "!=" | "<>"))
}

impl Tr<'_> {
    /// `value` as a boolean when the literal at `i` is compared with, or listed for, a boolean column.
    pub(crate) fn bool_context(&self, nodes: &[Node], i: usize, bool_list: bool, value: &str) -> Option<bool> {
        let beside = (i >= 2 && is_cmp(nodes.get(i - 1)) && self.is_bool_col(nodes.get(i - 2)))
            || (is_cmp(nodes.get(i + 1)) && self.is_bool_col(nodes.get(i + 2)));
        if bool_list || beside {
            literal::boolean_of(value)
        } else {
            None
        }
    }

    /// The type of a date/time column that nodes `from..to` are compared with, if any:
    /// "now" then keeps that type instead of SQLite's text.
    pub(crate) fn temporal_neighbor(&self, nodes: &[Node], from: usize, to: usize) -> Option<TypeHint> {
        let Mode::Expr { columns } = self.mode else { return None };
        let is_order = |n: Option<&Node>| {
            tok(n).is_some_and(|t| {
                t.kind == Kind::Op && matches!(t.text.as_str(), "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=")
            })
        };
        let hint_of = |n: Option<&Node>| {
            let t = tok(n).filter(|t| matches!(t.kind, Kind::Word | Kind::Quoted(_)))?;
            columns.iter().find(|(c, _)| c.eq_ignore_ascii_case(&t.text)).map(|(_, h)| *h)
        };
        let left = (from >= 2 && is_order(nodes.get(from - 1))).then(|| hint_of(nodes.get(from - 2))).flatten();
        let right = is_order(nodes.get(to)).then(|| hint_of(nodes.get(to + 1))).flatten();
        left.or(right)
            .filter(|h| matches!(h, TypeHint::Timestamp | TypeHint::Timestamptz | TypeHint::Date | TypeHint::Time))
    }

    fn is_bool_col(&self, node: Option<&Node>) -> bool {
        let Mode::Expr { columns } = self.mode else { return false };
        tok(node).is_some_and(|t| {
            matches!(t.kind, Kind::Word | Kind::Quoted(_))
                && columns.iter().any(|(c, h)| *h == TypeHint::Boolean && c.eq_ignore_ascii_case(&t.text))
        })
    }

    /// The group at `i` is a subquery after FROM or JOIN without an alias.
    pub(crate) fn needs_alias(&self, nodes: &[Node], i: usize) -> bool {
        let Some(Node::Group(inner)) = nodes.get(i) else { return false };
        let subquery = ["SELECT", "WITH", "VALUES"].iter().any(|k| is_kw_node(inner.first(), k));
        let after_from = i > 0 && (is_kw_node(nodes.get(i - 1), "FROM") || is_kw_node(nodes.get(i - 1), "JOIN"));
        let aliased = tok(nodes.get(i + 1)).is_some_and(|t| {
            t.is_kw("AS") || matches!(t.kind, Kind::Quoted(_)) || (t.kind == Kind::Word && !is_keyword(&t.text))
        });
        subquery && after_from && !aliased
    }

    /// The group at `i` is `boolcol [NOT] IN (literals)`.
    pub(crate) fn is_bool_in_list(&self, nodes: &[Node], i: usize) -> bool {
        let Some(Node::Group(inner)) = nodes.get(i) else { return false };
        if ["SELECT", "WITH", "VALUES"].iter().any(|k| is_kw_node(inner.first(), k)) {
            return false;
        }
        if i < 2 || !is_kw_node(nodes.get(i - 1), "IN") {
            return false;
        }
        self.is_bool_col(nodes.get(i - 2))
            || (i >= 3 && is_kw_node(nodes.get(i - 2), "NOT") && self.is_bool_col(nodes.get(i - 3)))
    }
}
