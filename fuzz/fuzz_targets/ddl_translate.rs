//! fuzz target: any text into the SQLite DDL parsers and the expression/DEFAULT/SELECT translators;
//! no panic, and every translation is PostgreSQL text whose tokens are balanced
#![no_main]

use libfuzzer_sys::fuzz_target;
use sqlite2pg::sqlite::ddl::{parse_create_index, parse_create_table};
use sqlite2pg::translate::expr::{
    parse_create_view, translate_default, translate_expr, translate_select, translate_select_with_names, ExprContext,
    TypeHint,
};

const HINTS: [TypeHint; 11] = [
    TypeHint::Boolean,
    TypeHint::Integer,
    TypeHint::Numeric,
    TypeHint::Text,
    TypeHint::Timestamp,
    TypeHint::Timestamptz,
    TypeHint::Date,
    TypeHint::Time,
    TypeHint::Json,
    TypeHint::Bytes,
    TypeHint::Other,
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let sql: &str = &text;
    let fixed_columns: Vec<(String, TypeHint)> = vec![
        ("id".into(), TypeHint::Integer),
        ("Name".into(), TypeHint::Text),
        ("flag".into(), TypeHint::Boolean),
        ("at".into(), TypeHint::Timestamp),
        ("amount".into(), TypeHint::Numeric),
        ("doc".into(), TypeHint::Json),
    ];
    match mode % 6 {
        0 => {
            // dispatch on the statement, as the schema reader does for sqlite_master rows
            let _ = parse_create_table(sql).map(|t| {
                let columns: Vec<(String, TypeHint)> =
                    t.columns.iter().enumerate().map(|(i, c)| (c.name.clone(), hint_of(&c.declared_type, i))).collect();
                let ctx = |target| ExprContext { columns: &columns, target };
                for (c, (_, hint)) in t.columns.iter().zip(&columns) {
                    if let Some(d) = &c.default {
                        checked(translate_default(d, &ctx(Some(*hint))));
                        checked(translate_default(d, &ctx(None)));
                    }
                    for check in &c.checks {
                        checked(translate_expr(&check.expr, &ctx(None)));
                    }
                    if let Some(g) = &c.generated {
                        checked(translate_expr(&g.expr, &ctx(Some(*hint))));
                    }
                }
                for check in &t.checks {
                    checked(translate_expr(&check.expr, &ctx(None)));
                }
            });
            let _ = parse_create_index(sql).map(|ix| {
                let ctx = ExprContext { columns: &fixed_columns, target: None };
                for item in &ix.items {
                    checked(translate_expr(&item.expr, &ctx));
                }
                if let Some(w) = &ix.where_clause {
                    checked(translate_expr(w, &ctx));
                }
            });
            let _ = parse_create_view(sql).map(|v| {
                checked(translate_select(&v.select));
                let names: Vec<String> =
                    fixed_columns.iter().map(|c| c.0.clone()).chain(v.columns.unwrap_or_default()).collect();
                checked(translate_select_with_names(&v.select, &names));
            });
        }
        1 => checked(translate_expr(sql, &ExprContext { columns: &fixed_columns, target: None })),
        2 | 3 => {
            let hint = HINTS.get(usize::from(mode / 6) % (HINTS.len() + 1)).copied();
            checked(translate_default(sql, &ExprContext { columns: &fixed_columns, target: hint }));
        }
        4 => checked(translate_select(sql)),
        _ => {
            let names: Vec<String> = fixed_columns.iter().map(|c| c.0.clone()).collect();
            checked(translate_select_with_names(sql, &names));
        }
    }
});

/// A type class from a declared type, as a migration would pick it (varied by position so every
/// hint is seen).
fn hint_of(declared: &str, i: usize) -> TypeHint {
    let d = declared.to_ascii_uppercase();
    if d.contains("INT") {
        TypeHint::Integer
    } else if d.contains("CHAR") || d.contains("TEXT") || d.contains("CLOB") {
        TypeHint::Text
    } else if d.contains("BOOL") {
        TypeHint::Boolean
    } else if d.contains("TIMESTAMP") || d.contains("DATETIME") {
        TypeHint::Timestamp
    } else if d.contains("DATE") {
        TypeHint::Date
    } else if d.contains("BLOB") {
        TypeHint::Bytes
    } else if d.contains("DEC") || d.contains("NUM") {
        TypeHint::Numeric
    } else {
        HINTS[i % HINTS.len()]
    }
}

fn checked<E: std::fmt::Display>(r: Result<String, E>) {
    match r {
        Ok(sql) => assert_balanced(&sql),
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// PostgreSQL's lexical view of `sql`: every string and quoted identifier is closed, parentheses
/// and brackets balance, and nothing outside a quote starts a comment or a dollar-quoted string
/// (either would swallow the rest of the statement).
fn assert_balanced(sql: &str) {
    let b = sql.as_bytes();
    let mut depth: i64 = 0;
    let mut brackets: i64 = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' => {
                // an E'' string would take backslash escapes: the translator must not write one
                let escape = i > 0
                    && matches!(b[i - 1], b'E' | b'e')
                    && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_' || b[i - 2] == b'"'));
                i += 1;
                loop {
                    assert!(i < b.len(), "unterminated string literal in {sql:?}");
                    if escape && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    assert!(i < b.len(), "unterminated quoted identifier in {sql:?}");
                    if b[i] == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                // a zero-length delimited identifier is an error in PostgreSQL
                assert!(i > open + 1, "empty quoted identifier in {sql:?}");
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                assert!(depth >= 0, "unbalanced ')' in {sql:?}");
            }
            b'[' => brackets += 1,
            b']' => {
                brackets -= 1;
                assert!(brackets >= 0, "unbalanced ']' in {sql:?}");
            }
            b'-' if b.get(i + 1) == Some(&b'-') => panic!("'--' starts a comment in {sql:?}"),
            b'/' if b.get(i + 1) == Some(&b'*') => panic!("'/*' starts a comment in {sql:?}"),
            b'$' => {
                let in_word = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] >= 0x80);
                assert!(in_word, "'$' outside a quote in {sql:?}");
            }
            b';' => panic!("';' outside a quote in {sql:?}"),
            _ => {}
        }
        i += 1;
    }
    assert_eq!(depth, 0, "unbalanced '(' in {sql:?}");
    assert_eq!(brackets, 0, "unbalanced '[' in {sql:?}");
}
