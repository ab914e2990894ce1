//! SQLite keyword classes: reserved words versus words that may also be names

/// SQLite keywords without the `%fallback ID` of parse.y: they can never be a bare
/// identifier or part of a type name (JOIN_KW words are names in some places only).
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "ADD", "ALL", "ALTER", "AND", "AS", "AUTOINCREMENT", "BETWEEN", "CASE", "CHECK", "COLLATE",
    "COMMIT", "CONSTRAINT", "CREATE", "CROSS", "DEFAULT", "DEFERRABLE", "DELETE", "DISTINCT",
    "DROP", "ELSE", "ESCAPE", "EXCEPT", "EXISTS", "FILTER", "FOREIGN", "FROM", "FULL", "GROUP",
    "HAVING", "IN", "INDEX", "INDEXED", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "ISNULL",
    "JOIN", "LEFT", "LIMIT", "NATURAL", "NOT", "NOTHING", "NOTNULL", "NULL", "ON", "OR", "ORDER",
    "OUTER", "OVER", "PRIMARY", "REFERENCES", "RETURNING", "RIGHT", "SELECT", "SET", "TABLE",
    "THEN", "TO", "TRANSACTION", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "WHEN", "WHERE",
    "WINDOW",
];

/// Keywords that SQLite lets double as names (fallback to ID) but which act as
/// keywords in expressions and SELECTs unless a known column or table has that name.
#[rustfmt::skip]
const SOFT: &[&str] = &[
    "ASC", "BY", "CAST", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DESC",
    "END", "EXCLUDE", "FIRST", "FOLLOWING", "GLOB", "GROUPS", "LAST", "LIKE", "MATCH",
    "MATERIALIZED", "NO", "NULLS", "OFFSET", "OTHERS", "PARTITION", "PRECEDING", "RANGE",
    "RECURSIVE", "REGEXP", "ROW", "ROWS", "TIES", "UNBOUNDED", "WITH",
];

/// A reserved SQLite keyword (ends a type name, never an identifier).
pub(crate) fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// Any keyword the expression translator should emit as a keyword.
pub(crate) fn is_keyword(word: &str) -> bool {
    is_reserved(word) || SOFT.iter().any(|k| k.eq_ignore_ascii_case(word))
}
