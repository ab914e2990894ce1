//! Translate a column DEFAULT, coercing literals to what SQLite would store in the target type

use super::expression::{column_desc, lex, tree, ExprContext, Mode, Node, Tr, TypeHint};
use super::keywords::is_keyword;
use super::lexer::Kind;
use super::{literal, time, Untranslatable};

/// A DEFAULT that is a single literal.
enum Lit {
    Null,
    Bool(bool),
    /// Decimal text without sign (hex already converted)
    Num {
        negative: bool,
        text: String,
    },
    Str(String),
    Blob(String),
}

/// Translate the text of a DEFAULT clause (as in [`crate::sqlite::ddl::ColumnDdl::default`]) for a
/// column of type `ctx.target`. Literals become what SQLite would store in that column;
/// a "now" expression becomes the PostgreSQL equivalent for the target type.
pub fn translate_default(expr: &str, ctx: &ExprContext) -> Result<String, Untranslatable> {
    let nodes = tree(&lex(expr)?)?;
    let mut body: &[Node] = &nodes;
    while let [Node::Group(inner)] = body {
        body = inner;
    }
    if body.is_empty() {
        return Err(Untranslatable::new("empty default"));
    }
    let target = ctx.target;
    if let Some(lit) = literal_of(body)? {
        return coerce(lit, target);
    }
    let tr = Tr::new(Mode::Default);
    match body {
        [Node::Tok(t)] if t.kind == Kind::Word => {
            if let Some(now) = time::ctime_keyword(&t.text) {
                return time::render(&now, target);
            }
        }
        [Node::Tok(t), Node::Group(args)] if t.kind == Kind::Word && time::is_time_function(&t.text) => {
            return match time::time_call(&t.text, &tr.literal_args(args)) {
                Ok(time::TimeCall::Now(now)) => time::render(&now, target),
                Ok(time::TimeCall::Constant(text)) => coerce(Lit::Str(text), target),
                // 'now' with modifiers such as '+7 days'
                Err(e) => tr.time_of_now(&t.text.to_ascii_lowercase(), args, target).map_err(|_| e),
            };
        }
        _ => {}
    }
    Ok(format!("({})", tr.seq(body, false)?))
}

/// The literal a DEFAULT consists of, if it is one (a bare name is a string in SQLite).
fn literal_of(body: &[Node]) -> Result<Option<Lit>, Untranslatable> {
    let (negative, rest) = match body {
        [Node::Tok(op), rest @ ..] if op.is_op("-") || op.is_op("+") => (op.is_op("-"), rest),
        _ => (false, body),
    };
    let signed = rest.len() != body.len();
    let [Node::Tok(t)] = rest else { return Ok(None) };
    Ok(match &t.kind {
        Kind::Num => Some(Lit::Num { negative, text: literal::number(&t.text)? }),
        Kind::Str if signed && literal::is_numeric_text(&t.text) => {
            Some(Lit::Num { negative, text: t.text.trim().to_string() })
        }
        _ if signed => None,
        Kind::Str | Kind::Quoted(_) => Some(Lit::Str(t.text.clone())),
        Kind::Blob => Some(Lit::Blob(t.text.clone())),
        Kind::Word if t.is_kw("NULL") => Some(Lit::Null),
        Kind::Word if t.is_kw("TRUE") || t.is_kw("FALSE") => Some(Lit::Bool(t.is_kw("TRUE"))),
        Kind::Word if !is_keyword(&t.text) => Some(Lit::Str(t.text.clone())),
        _ => None,
    })
}

fn coerce(lit: Lit, target: Option<TypeHint>) -> Result<String, Untranslatable> {
    use TypeHint as H;
    let refuse = |what: &str| Untranslatable::new(format!("{what} default for {}", column_desc(target)));
    Ok(match (lit, target) {
        (Lit::Null, _) => "NULL".into(),
        (lit, Some(H::Boolean)) => {
            let b = match lit {
                Lit::Bool(b) => Some(b),
                Lit::Num { negative: false, text } => literal::boolean_of(&text),
                Lit::Str(s) => literal::boolean_of(s.trim()),
                _ => None,
            };
            literal::bool_sql(b.ok_or_else(|| refuse("non-boolean"))?).into()
        }
        (Lit::Bool(b), Some(H::Text | H::Json)) => literal::string(if b { "1" } else { "0" }),
        (Lit::Bool(b), None | Some(H::Integer | H::Numeric | H::Other)) => (if b { "1" } else { "0" }).into(),
        (Lit::Bool(_), _) => return Err(refuse("boolean")),
        (Lit::Num { negative, text }, Some(H::Integer)) => {
            literal::integral(negative, &text).ok_or_else(|| refuse("non-integer"))?.to_string()
        }
        (Lit::Num { negative, text }, None | Some(H::Numeric | H::Other)) => signed(negative, &text),
        (Lit::Num { negative, text }, Some(H::Text)) => match literal::integral(negative, &text) {
            Some(i) if !text.contains(['.', 'e', 'E']) => literal::string(&i.to_string()),
            _ => literal::string(&real_text(negative, &text).ok_or_else(|| refuse("real"))?),
        },
        (Lit::Num { negative, text }, Some(H::Json)) => literal::string(&signed(negative, &text)),
        (Lit::Num { .. }, _) => return Err(refuse("numeric")),
        (Lit::Str(s), Some(H::Integer)) if literal::is_numeric_text(&s) => {
            literal::integral(false, &s).ok_or_else(|| refuse("non-integer"))?.to_string()
        }
        (Lit::Str(s), Some(H::Numeric)) if literal::is_numeric_text(&s) => s.trim().to_string(),
        (Lit::Str(_), Some(H::Integer | H::Numeric)) => return Err(refuse("text")),
        (Lit::Str(s), Some(H::Bytes)) => format!("convert_to({}, 'UTF8')", literal::string(&s)),
        (Lit::Str(s), _) => literal::string(&s),
        (Lit::Blob(hex), None | Some(H::Bytes | H::Other)) => literal::blob(&hex),
        (Lit::Blob(_), _) => return Err(refuse("blob")),
    })
}

fn signed(negative: bool, text: &str) -> String {
    if negative {
        format!("-{text}")
    } else {
        text.to_string()
    }
}

/// SQLite's text for a REAL value (`%!.15g`-like): `1.5`, `100.0`; None when unsure.
fn real_text(negative: bool, text: &str) -> Option<String> {
    let f: f64 = text.parse().ok()?;
    let f = if negative { -f } else { f };
    let abs = f.abs();
    if !(abs == 0.0 || (1e-4..1e15).contains(&abs)) {
        return None;
    }
    let s = format!("{f}");
    let s = if s.contains('.') { s } else { format!("{s}.0") };
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (digits <= 15).then_some(s)
}
