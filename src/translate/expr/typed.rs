//! The PostgreSQL type class of a translated argument, so functions can pick the form that computes SQLite's value

use super::expression::{is_kw_node, tok, Mode, Node, Tr, TypeHint};
use super::lexer::Kind;
use super::Untranslatable;

/// What a translated expression evaluates to in PostgreSQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Null,
    Int,
    /// double precision (SQLite REAL)
    Real,
    /// numeric or an arithmetic result whose exact class is not known
    Number,
    Text,
    Blob,
    Bool,
    Json,
    Timestamp,
    Timestamptz,
    Date,
    Time,
    Unknown,
}

impl Ty {
    fn of_hint(h: TypeHint) -> Ty {
        match h {
            TypeHint::Boolean => Ty::Bool,
            TypeHint::Integer => Ty::Int,
            TypeHint::Numeric => Ty::Number,
            TypeHint::Text => Ty::Text,
            TypeHint::Timestamp => Ty::Timestamp,
            TypeHint::Timestamptz => Ty::Timestamptz,
            TypeHint::Date => Ty::Date,
            TypeHint::Time => Ty::Time,
            TypeHint::Json => Ty::Json,
            TypeHint::Bytes => Ty::Blob,
            TypeHint::Other => Ty::Unknown,
        }
    }

    pub(crate) fn is_number(self) -> bool {
        matches!(self, Ty::Int | Ty::Real | Ty::Number)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Ty::Null => "null",
            Ty::Int => "integer",
            Ty::Real => "real",
            Ty::Number => "numeric",
            Ty::Text => "text",
            Ty::Blob => "blob",
            Ty::Bool => "boolean",
            Ty::Json => "json",
            Ty::Timestamp | Ty::Timestamptz | Ty::Date | Ty::Time => "date/time",
            Ty::Unknown => "untyped",
        }
    }
}

/// Result type of a SQLite function call as this translator renders it.
fn result_ty(name: &str, first: Ty) -> Ty {
    match name {
        "hex" | "lower" | "upper" | "trim" | "ltrim" | "rtrim" | "replace" | "printf" | "format" | "char" | "date"
        | "time" | "datetime" | "strftime" | "json" | "json_object" | "json_array" | "json_type" | "json_quote"
        | "group_concat" | "string_agg" | "concat" | "concat_ws" => Ty::Text,
        "substr" | "substring" if first == Ty::Blob => Ty::Blob,
        "substr" | "substring" => Ty::Text,
        "randomblob" | "zeroblob" | "unhex" => Ty::Blob,
        "length" | "instr" | "unicode" | "sign" | "random" | "unixepoch" | "json_array_length" | "json_valid"
        | "count" | "row_number" | "rank" | "dense_rank" | "ntile" => Ty::Int,
        "round" | "julianday" | "avg" | "total" | "percent_rank" | "cume_dist" => Ty::Real,
        "abs" | "coalesce" | "ifnull" | "nullif" | "min" | "max" | "sum" => first,
        _ => Ty::Unknown,
    }
}

pub(crate) const COMPARISONS: &[&str] = &["=", "==", "!=", "<>", "<", "<=", ">", ">="];
const BOOL_WORDS: &[&str] = &["AND", "OR", "NOT", "IS", "IN", "LIKE", "GLOB", "BETWEEN", "EXISTS", "ISNULL", "NOTNULL"];

impl Tr<'_> {
    /// Translate one argument and tell its type. In a view, where column types are not known, an argument of
    /// unknown type is taken for text (PostgreSQL refuses the view if it is not, and the view is skipped).
    pub(crate) fn typed(&self, arg: &[Node]) -> Result<(String, Ty), Untranslatable> {
        let (sql, ty) = self.typed_exact(arg)?;
        Ok((sql, if ty == Ty::Unknown && matches!(self.mode, Mode::Select { .. }) { Ty::Text } else { ty }))
    }

    /// Translate one argument and tell its type, Unknown included.
    pub(crate) fn typed_exact(&self, arg: &[Node]) -> Result<(String, Ty), Untranslatable> {
        Ok((self.seq(arg, false)?, self.ty_of(arg)))
    }

    /// The type class of a SQLite expression's translation.
    pub(crate) fn ty_of(&self, nodes: &[Node]) -> Ty {
        match nodes {
            [Node::Group(inner)] => self.ty_of(inner),
            [Node::Tok(op), rest @ ..] if (op.is_op("-") || op.is_op("+")) && rest.len() == 1 => self.ty_of(rest),
            [Node::Tok(t)] => self.ty_of_token(t),
            [Node::Tok(f), Node::Group(args)] if f.kind == Kind::Word => {
                let name = f.text.to_ascii_lowercase();
                if name == "cast" {
                    return self.cast_ty(args);
                }
                let first = super::functions::split_args(args).first().map_or(Ty::Unknown, |a| self.ty_of(a));
                let first = if name == "coalesce" || name == "ifnull" {
                    super::functions::split_args(args)
                        .iter()
                        .map(|a| self.ty_of(a))
                        .find(|t| *t != Ty::Null)
                        .unwrap_or(Ty::Null)
                } else {
                    first
                };
                result_ty(&name, first)
            }
            _ => self.ty_of_operators(nodes),
        }
    }

    fn ty_of_token(&self, t: &super::lexer::Token) -> Ty {
        match &t.kind {
            Kind::Str => Ty::Text,
            Kind::Blob => Ty::Blob,
            Kind::Num if t.text.contains(['.', 'e', 'E']) && !t.text.starts_with("0x") && !t.text.starts_with("0X") => {
                Ty::Real
            }
            Kind::Num => Ty::Int,
            Kind::Word if t.is_kw("NULL") => Ty::Null,
            Kind::Word if t.is_kw("TRUE") || t.is_kw("FALSE") => Ty::Bool,
            Kind::Word | Kind::Quoted(_) => match self.mode {
                Mode::Expr { columns } => columns
                    .iter()
                    .find(|(c, _)| c.eq_ignore_ascii_case(&t.text))
                    .map_or(if t.kind == Kind::Word { Ty::Unknown } else { Ty::Text }, |(_, h)| Ty::of_hint(*h)),
                Mode::Default => Ty::Text,
                Mode::Select { .. } => Ty::Unknown,
            },
            _ => Ty::Unknown,
        }
    }

    /// A sequence with operators: `||` gives text, a comparison or logic word a boolean, arithmetic a number.
    fn ty_of_operators(&self, nodes: &[Node]) -> Ty {
        let toks = || nodes.iter().filter_map(|n| tok(Some(n)));
        if is_kw_node(nodes.first(), "CASE") && super::condition::matching_end(nodes, 0) == Some(nodes.len() - 1) {
            return self.case_ty(nodes);
        }
        if toks().any(|t| t.is_kw("CASE")) {
            return Ty::Unknown;
        }
        if toks().any(|t| {
            (t.kind == Kind::Op && COMPARISONS.contains(&t.text.as_str())) || BOOL_WORDS.iter().any(|k| t.is_kw(k))
        }) {
            return Ty::Bool;
        }
        if toks().any(|t| t.is_op("||")) {
            return Ty::Text;
        }
        if toks().any(|t| t.is_op("->>") || t.is_op("->")) {
            return Ty::Text;
        }
        if toks().any(|t| t.kind == Kind::Op && ["+", "-", "*", "/", "%"].contains(&t.text.as_str())) {
            return Ty::Number;
        }
        Ty::Unknown
    }

    /// The type of a `CASE ... END`: a number when every result (each THEN and the ELSE) is a number or NULL, a
    /// boolean when every one is a boolean or NULL; otherwise unknown.
    fn case_ty(&self, case: &[Node]) -> Ty {
        let mut types = Vec::new();
        let (mut depth, mut from) = (0, None::<usize>);
        for (j, node) in case.iter().enumerate().skip(1) {
            let at = |w: &str| is_kw_node(Some(node), w);
            if at("CASE") {
                depth += 1;
            } else if at("END") && depth > 0 {
                depth -= 1;
            } else if depth == 0 && ["WHEN", "THEN", "ELSE", "END"].iter().any(|w| at(w)) {
                if let Some(f) = from.take() {
                    types.push(self.ty_of(&case[f..j]));
                }
                if at("THEN") || at("ELSE") {
                    from = Some(j + 1);
                }
            }
        }
        let all =
            |ok: &[Ty]| types.iter().all(|t| *t == Ty::Null || ok.contains(t)) && types.iter().any(|t| *t != Ty::Null);
        if all(&[Ty::Int, Ty::Real, Ty::Number]) {
            Ty::Number
        } else if all(&[Ty::Bool]) {
            Ty::Bool
        } else {
            Ty::Unknown
        }
    }

    fn cast_ty(&self, args: &[Node]) -> Ty {
        self.cast_parts(args).map_or(Ty::Unknown, |(_, target)| super::cast::cast_ty(target))
    }
}
