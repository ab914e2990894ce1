//! Translate SQLite expressions and SELECTs to PostgreSQL SQL text, token by token

use super::keywords::{is_keyword, is_reserved};
use super::lexer::{tokenize, Kind, Quote, Token};
use super::typed::Ty;
use super::{literal, quote_ident, time, Untranslatable};

/// What the translator knows about the column types of the table an expression lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeHint {
    /// `boolean`
    Boolean,
    /// `smallint`, `integer` or `bigint`
    Integer,
    /// `real`, `double precision` or `numeric`
    Numeric,
    /// `text`, `varchar` or `char`
    Text,
    /// `timestamp` without time zone
    Timestamp,
    /// `timestamp with time zone`
    Timestamptz,
    /// `date`
    Date,
    /// `time` without time zone
    Time,
    /// `json` or `jsonb`
    Json,
    /// `bytea`
    Bytes,
    /// any other type (uuid, interval, an enum, an array): nothing is assumed about its values
    Other,
}

/// "an integer column" etc., for messages.
pub(crate) fn column_desc(target: Option<TypeHint>) -> &'static str {
    match target {
        Some(TypeHint::Boolean) => "a boolean column",
        Some(TypeHint::Integer) => "an integer column",
        Some(TypeHint::Numeric) => "a numeric column",
        Some(TypeHint::Text) => "a text column",
        Some(TypeHint::Timestamp) => "a timestamp column",
        Some(TypeHint::Timestamptz) => "a timestamptz column",
        Some(TypeHint::Date) => "a date column",
        Some(TypeHint::Time) => "a time column",
        Some(TypeHint::Json) => "a json column",
        Some(TypeHint::Bytes) => "a bytea column",
        Some(TypeHint::Other) | None => "an untyped column",
    }
}

/// What an expression is translated against: the columns of its table and, for a DEFAULT, the type of its column.
pub struct ExprContext<'a> {
    /// The table's columns (exact names) and their PostgreSQL type class
    pub columns: &'a [(String, TypeHint)],
    /// The column a DEFAULT belongs to
    pub target: Option<TypeHint>,
}

/// How bare words and quoted tokens are resolved.
#[derive(Clone, Copy)]
pub(crate) enum Mode<'a> {
    /// CHECK, index and generated expressions: names are the table's columns;
    /// a "double-quoted" token naming no column is a string (SQLite's fallback)
    Expr { columns: &'a [(String, TypeHint)] },
    /// DEFAULT: no column references, every identifier is a string
    Default,
    /// A view's SELECT: identifiers kept, matched case-insensitively against `names`
    Select { names: &'a [String] },
}

/// A token, or a parenthesized group of nodes.
pub(crate) enum Node {
    Tok(Token),
    Group(Vec<Node>),
}

/// Translate a SQLite expression to PostgreSQL SQL text.
pub fn translate_expr(expr: &str, ctx: &ExprContext) -> Result<String, Untranslatable> {
    Ok(translate_with(expr, ctx, false, false)?.0)
}

/// Translate a CHECK constraint's expression: a condition, where a number counts as true when it is not 0.
pub fn translate_check(expr: &str, ctx: &ExprContext) -> Result<String, Untranslatable> {
    Ok(translate_with(expr, ctx, false, true)?.0)
}

/// Translate `expr` over the columns of `ctx`, in the compact forms an index needs when `compact`, as a condition
/// when `condition`; also returns what the compact forms give up.
fn translate_with(
    expr: &str,
    ctx: &ExprContext,
    compact: bool,
    condition: bool,
) -> Result<(String, Vec<String>), Untranslatable> {
    let toks = lex(expr)?;
    if toks.is_empty() {
        return Err(Untranslatable::new("empty expression"));
    }
    let mut tr = Tr::new(Mode::Expr { columns: ctx.columns });
    tr.compact = compact;
    tr.condition.set(condition);
    let sql = tr.seq(&tree(&toks)?, false)?;
    Ok((sql, tr.notes.into_inner()))
}

pub(crate) fn lex(sql: &str) -> Result<Vec<Token>, Untranslatable> {
    tokenize(sql).map_err(|e| Untranslatable::new(format!("cannot tokenize expression: {e}")))
}

pub(crate) fn translate_tokens(toks: &[Token], mode: Mode) -> Result<String, Untranslatable> {
    Tr::new(mode).seq(&tree(toks)?, false)
}

/// Nest tokens by parentheses.
pub(crate) fn tree(toks: &[Token]) -> Result<Vec<Node>, Untranslatable> {
    let mut stack: Vec<Vec<Node>> = vec![Vec::new()];
    for t in toks {
        match t.kind {
            Kind::LParen => stack.push(Vec::new()),
            Kind::RParen => {
                let inner = stack.pop().filter(|_| !stack.is_empty());
                let (Some(inner), Some(parent)) = (inner, stack.last_mut()) else {
                    return Err(Untranslatable::new("unbalanced parentheses"));
                };
                parent.push(Node::Group(inner));
            }
            _ => stack.last_mut().map_or((), |top| top.push(Node::Tok(t.clone()))),
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(top), true) => Ok(top),
        _ => Err(Untranslatable::new("unbalanced parentheses")),
    }
}

/// A quoted identifier; an empty one (SQLite takes `` `` ``, PostgreSQL refuses `""`) is untranslatable.
fn ident(name: &str) -> Result<String, Untranslatable> {
    if name.is_empty() {
        return Err(Untranslatable::new("empty identifier has no postgresql equivalent"));
    }
    Ok(quote_ident(name))
}

/// How a word or quoted token resolved.
enum Res {
    Keyword,
    Ident(String),
    Column(String),
    Str(String),
    Bool(bool),
}

/// Builds output text, spacing pieces except where glued.
#[derive(Default)]
pub(crate) struct Out {
    pub(crate) s: String,
    glue: bool,
}

impl Out {
    pub(crate) fn push(&mut self, piece: &str) {
        // a glued unary operator still needs a space before another operator: `- -1` glued is
        // `--1`, a comment in PostgreSQL, and `-~` one unknown operator
        let op = |c: char| "+-*/<>=~!@#%^&|`?".contains(c);
        let ops_touch = self.s.ends_with(op) && piece.starts_with(op);
        if !self.s.is_empty() && (!self.glue || ops_touch) {
            self.s.push(' ');
        }
        self.s.push_str(piece);
        self.glue = false;
    }

    fn attach(&mut self, piece: &str) {
        self.s.push_str(piece);
        self.glue = false;
    }
}

pub(crate) fn tok(node: Option<&Node>) -> Option<&Token> {
    match node {
        Some(Node::Tok(t)) => Some(t),
        _ => None,
    }
}

pub(crate) fn is_kw_node(node: Option<&Node>, kw: &str) -> bool {
    tok(node).is_some_and(|t| t.is_kw(kw))
}

/// True when the node ends an operand (so a following `-` is binary, `NOT NULL` postfix).
fn ends_operand(node: &Node) -> bool {
    match node {
        Node::Group(_) => true,
        Node::Tok(t) => match t.kind {
            Kind::Word => {
                !is_keyword(&t.text)
                    || ["END", "NULL", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP"].iter().any(|k| t.is_kw(k))
            }
            Kind::Quoted(_) | Kind::Str | Kind::Num | Kind::Blob | Kind::Var => true,
            _ => false,
        },
    }
}

pub(crate) struct Tr<'a> {
    pub(crate) mode: Mode<'a>,
    /// Aliases invented for FROM subqueries (PostgreSQL before 16 requires one)
    aliases: std::cell::Cell<u32>,
    /// An index expression: PostgreSQL stores it in a catalog row of at most 8 kB, so forms that are exact for
    /// every input but long give way to compact ones; each such choice is noted
    pub(crate) compact: bool,
    pub(crate) notes: std::cell::RefCell<Vec<String>>,
    /// The next sequence translated is a condition as a whole (a CHECK, a WHERE, a group among conditions)
    condition: std::cell::Cell<bool>,
}

impl<'a> Tr<'a> {
    pub(crate) fn new(mode: Mode<'a>) -> Self {
        Tr {
            mode,
            aliases: std::cell::Cell::new(0),
            compact: false,
            notes: std::cell::RefCell::new(Vec::new()),
            condition: std::cell::Cell::new(false),
        }
    }
}

/// Translate an index expression; also returns what the compact forms give up.
pub fn translate_index_expr(expr: &str, ctx: &ExprContext) -> Result<(String, Vec<String>), Untranslatable> {
    translate_with(expr, ctx, true, false)
}

/// Translate a partial index's WHERE clause, a condition; also returns what the compact forms give up.
pub fn translate_index_where(expr: &str, ctx: &ExprContext) -> Result<(String, Vec<String>), Untranslatable> {
    translate_with(expr, ctx, true, true)
}

impl Tr<'_> {
    /// Translate a node sequence; `bool_list` marks the IN-list of a boolean column.
    pub(crate) fn seq(&self, nodes: &[Node], bool_list: bool) -> Result<String, Untranslatable> {
        let whole_condition = self.condition.replace(false);
        let mut out = Out::default();
        let mut i = 0;
        while i < nodes.len() {
            let prev_operand = i > 0 && ends_operand(&nodes[i - 1]);
            if let Some(next) = self.arrows(nodes, i, &mut out)? {
                i = next;
                continue;
            }
            if let Some((sql, next)) = self.collated(nodes, i)? {
                out.push(&sql);
                i = next;
                continue;
            }
            if let Some((sql, next)) = self.numeric_condition(nodes, i, whole_condition)? {
                out.push(&sql);
                i = next;
                continue;
            }
            let t = match &nodes[i] {
                Node::Group(inner) => {
                    let in_list = self.is_bool_in_list(nodes, i);
                    self.condition.set(super::condition::condition_at(nodes, i, i + 1, whole_condition));
                    out.push(&format!("({})", self.seq(inner, in_list)?));
                    if self.needs_alias(nodes, i) {
                        self.aliases.set(self.aliases.get() + 1);
                        out.push(&format!("AS \"subquery{}\"", self.aliases.get()));
                    }
                    i += 1;
                    continue;
                }
                Node::Tok(t) => t,
            };
            match &t.kind {
                Kind::Word | Kind::Quoted(_) => {
                    i = self.word(nodes, i, &mut out, bool_list)?;
                    continue;
                }
                Kind::Str
                    if matches!(self.mode, Mode::Select { .. }) && is_kw_node(nodes.get(i.wrapping_sub(1)), "AS") =>
                {
                    out.push(&ident(&t.text)?)
                }
                Kind::Str => match self.bool_context(nodes, i, bool_list, &t.text) {
                    Some(b) => out.push(literal::bool_sql(b)),
                    None => out.push(&literal::string(&t.text)),
                },
                Kind::Num => match self.bool_context(nodes, i, bool_list, &t.text) {
                    Some(b) => out.push(literal::bool_sql(b)),
                    None => out.push(&literal::number(&t.text)?),
                },
                Kind::Blob => out.push(&literal::blob(&t.text)),
                Kind::Var => return Err(Untranslatable::new("bound parameters are not translated")),
                Kind::Comma => out.attach(","),
                Kind::Op => match t.text.as_str() {
                    "==" => out.push("="),
                    "->" | "->>" => {
                        return Err(Untranslatable::new(format!(
                            "operator {} after this operand is not translated",
                            t.text
                        )))
                    }
                    "." => {
                        out.attach(".");
                        out.glue = true;
                    }
                    "-" | "+" | "~" if !prev_operand => {
                        out.push(&t.text);
                        out.glue = true;
                    }
                    op => out.push(op),
                },
                Kind::Semi | Kind::LParen | Kind::RParen => {
                    return Err(Untranslatable::new("more than one statement is not translated"))
                }
            }
            i += 1;
        }
        Ok(out.s)
    }

    /// An operand at `i` followed by `->` or `->>` (chained): the whole chain, and the index after it.
    fn arrows(&self, nodes: &[Node], i: usize, out: &mut Out) -> Result<Option<usize>, Untranslatable> {
        let call = matches!((nodes.get(i), nodes.get(i + 1)), (Some(Node::Tok(t)), Some(Node::Group(_))) if t.kind == Kind::Word);
        let mut end = if call { i + 2 } else { i + 1 };
        let is_arrow = |n: Option<&Node>| tok(n).filter(|t| t.is_op("->") || t.is_op("->>")).map(|t| t.text.clone());
        if is_arrow(nodes.get(end)).is_none() {
            return Ok(None);
        }
        let (mut x, mut ty) = self.typed(&nodes[i..end])?;
        while let Some(op) = is_arrow(nodes.get(end)) {
            let Some(right) = nodes.get(end + 1) else {
                return Err(Untranslatable::new(format!("operator {op} without a right side")));
            };
            x = self.arrow(&x, ty, &op, std::slice::from_ref(right))?;
            ty = Ty::Text;
            if op == "->" {
                ty = Ty::Json;
            }
            end += 2;
        }
        out.push(&x);
        Ok(Some(end))
    }

    /// A word or quoted identifier at `i`: function call, keyword, name or literal.
    fn word(&self, nodes: &[Node], i: usize, out: &mut Out, bool_list: bool) -> Result<usize, Untranslatable> {
        let Some(t) = tok(nodes.get(i)) else { return Ok(i + 1) };
        if let (Kind::Word, Some(Node::Group(args))) = (&t.kind, nodes.get(i + 1)) {
            // `WITH name(cols) AS (...)` names a CTE, it does not call a function
            let cte = is_kw_node(nodes.get(i + 2), "AS")
                && (matches!(nodes.get(i + 3), Some(Node::Group(_)))
                    || is_kw_node(nodes.get(i + 3), "MATERIALIZED")
                    || is_kw_node(nodes.get(i + 3), "NOT"));
            if t.is_kw("CAST") {
                out.push(&self.cast(args)?);
                return Ok(i + 2);
            }
            // like(), glob() ... are functions when no left operand precedes them
            let pattern_fn = ["LIKE", "GLOB", "REGEXP", "MATCH"].iter().any(|k| t.is_kw(k))
                && !(i > 0 && ends_operand(&nodes[i - 1]));
            if time::is_time_function(&t.text) {
                out.push(&self.time_fn(&t.text, args, self.temporal_neighbor(nodes, i, i + 2))?);
                return Ok(i + 2);
            }
            if (!is_keyword(&t.text) || pattern_fn) && !cte {
                out.push(&self.call(&t.text, args)?);
                return Ok(i + 2);
            }
        }
        let dotted = tok(nodes.get(i.wrapping_sub(1))).is_some_and(|p| p.is_op("."))
            || tok(nodes.get(i + 1)).is_some_and(|n| n.is_op("."));
        match self.resolve(t, dotted) {
            Res::Keyword => return self.keyword(nodes, i, out),
            Res::Column(name) | Res::Ident(name) => out.push(&ident(&name)?),
            Res::Str(s) => match self.bool_context(nodes, i, bool_list, &s) {
                Some(b) => out.push(literal::bool_sql(b)),
                None => out.push(&literal::string(&s)),
            },
            Res::Bool(b) => out.push(if b { "TRUE" } else { "FALSE" }),
        }
        Ok(i + 1)
    }

    fn resolve(&self, t: &Token, dotted: bool) -> Res {
        let known = match self.mode {
            Mode::Expr { columns } => {
                columns.iter().find(|(c, _)| c.eq_ignore_ascii_case(&t.text)).map(|(c, _)| Res::Column(c.clone()))
            }
            Mode::Select { names } => {
                names.iter().find(|n| n.eq_ignore_ascii_case(&t.text)).map(|n| Res::Ident(n.clone()))
            }
            Mode::Default => None,
        };
        match t.kind {
            Kind::Word => {
                if !dotted && is_reserved(&t.text) {
                    Res::Keyword
                } else if let Some(known) = known {
                    known
                } else if dotted {
                    Res::Ident(t.text.clone())
                } else if is_keyword(&t.text) {
                    Res::Keyword
                } else if t.is_kw("TRUE") || t.is_kw("FALSE") {
                    Res::Bool(t.is_kw("TRUE"))
                } else if matches!(self.mode, Mode::Default) {
                    Res::Str(t.text.clone())
                } else {
                    Res::Ident(t.text.clone())
                }
            }
            Kind::Quoted(q) => match (known, self.mode) {
                (_, Mode::Default) => Res::Str(t.text.clone()),
                (Some(known), _) => known,
                (None, Mode::Expr { .. }) if q == Quote::Double && !dotted => Res::Str(t.text.clone()),
                _ => Res::Ident(t.text.clone()),
            },
            _ => Res::Ident(t.text.clone()),
        }
    }

    /// A keyword at `i`; returns the index after what was consumed.
    fn keyword(&self, nodes: &[Node], i: usize, out: &mut Out) -> Result<usize, Untranslatable> {
        let Some(t) = tok(nodes.get(i)) else { return Ok(i + 1) };
        let w = t.text.to_ascii_uppercase();
        let prev_operand = i > 0 && ends_operand(&nodes[i - 1]);
        match w.as_str() {
            "IS" => {
                let not = is_kw_node(nodes.get(i + 1), "NOT");
                let next = tok(nodes.get(if not { i + 2 } else { i + 1 }));
                if next.is_some_and(|n| ["NULL", "TRUE", "FALSE", "DISTINCT"].iter().any(|k| n.is_kw(k))) {
                    out.push("IS");
                    return Ok(i + 1);
                }
                out.push(if not { "IS DISTINCT FROM" } else { "IS NOT DISTINCT FROM" });
                return Ok(if not { i + 2 } else { i + 1 });
            }
            "ISNULL" => out.push("IS NULL"),
            "NOTNULL" => out.push("IS NOT NULL"),
            "NOT" if prev_operand && is_kw_node(nodes.get(i + 1), "NULL") => {
                out.push("IS NOT NULL");
                return Ok(i + 2);
            }
            "LIKE" | "GLOB" => return self.pattern_op(nodes, i, out, w == "GLOB"),
            "REGEXP" | "MATCH" => {
                return Err(Untranslatable::new(format!("operator {w} has no postgresql equivalent")))
            }
            "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME" => {
                let now = time::ctime_keyword(&w).ok_or_else(|| Untranslatable::new("unknown time keyword"))?;
                out.push(&time::render(&now, self.temporal_neighbor(nodes, i, i + 1))?);
            }
            "COLLATE" => {
                let name = tok(nodes.get(i + 1)).map(|n| n.text.to_ascii_lowercase()).unwrap_or_default();
                if name != "binary" {
                    return Err(Untranslatable::new(format!(
                        "COLLATE {name} is translated only on a column, an index item, an ORDER BY item or one \
                         side of a comparison of two single text operands"
                    )));
                }
                out.push("COLLATE \"C\"");
                return Ok(i + 2);
            }
            "LIMIT"
                if matches!(nodes.get(i + 2), Some(Node::Tok(c)) if c.kind == Kind::Comma) && nodes.len() == i + 4 =>
            {
                let offset = self.seq(&nodes[i + 1..i + 2], false)?;
                let count = self.seq(&nodes[i + 3..i + 4], false)?;
                out.push(&format!("LIMIT {count} OFFSET {offset}"));
                return Ok(i + 4);
            }
            _ => out.push(&w),
        }
        Ok(i + 1)
    }
}
