//! Identifier quoting: every name that goes into SQL text goes through here

use std::fmt;

/// A name quoted for SQL (`"name"`, with embedded `"` doubled), for SQLite and PostgreSQL alike.
#[derive(Debug, Clone, Copy)]
struct Ident<'a>(&'a str);

impl fmt::Display for Ident<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0.replace('"', "\"\""))
    }
}

/// A schema-qualified name, each part quoted: `"schema"."name"`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Qualified<'a>(pub(crate) &'a str, pub(crate) &'a str);

impl fmt::Display for Qualified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", Ident(self.0), Ident(self.1))
    }
}

/// `name` quoted, as a string.
pub(crate) fn quote_ident(name: &str) -> String {
    Ident(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_doubles_embedded_quotes() {
        assert_eq!(quote_ident("a"), "\"a\"");
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(Qualified("s p", "t").to_string(), "\"s p\".\"t\"");
    }
}
