//! SQLite expressions and views translated into PostgreSQL ones that compute the same values

mod cast;
mod collation;
mod condition;
mod context;
mod default;
mod expression;
mod functions;
mod json;
mod leave_out;
mod literal;
mod pattern;
mod printf;
mod realtext;
mod scalar;
mod substr;
mod time;
mod time_index;
mod time_now;
mod time_value;
mod typed;
mod view;

#[cfg(test)]
mod tests_corpus;
#[cfg(test)]
mod tests_parse;
#[cfg(test)]
mod tests_translate;

pub(crate) use crate::sqlite::ddl::{cursor, keywords, lexer, DdlError};
pub(crate) use collation::folded;
pub use default::translate_default;
pub use expression::{
    translate_check, translate_expr, translate_index_expr, translate_index_where, ExprContext, TypeHint,
};
pub(crate) use leave_out::LeaveOut;
pub use view::{parse_create_view, translate_select, translate_select_with_names, ViewDdl};

/// An expression with no faithful PostgreSQL translation; the reason names the construct,
/// never a value (e.g. "function typeof() has no postgresql equivalent").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Untranslatable {
    reason: String,
}

impl Untranslatable {
    fn new(reason: impl Into<String>) -> Self {
        Untranslatable { reason: reason.into() }
    }
}

pub(crate) use crate::ident::quote_ident;
