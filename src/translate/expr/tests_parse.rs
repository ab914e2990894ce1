//! Unit tests of the tokenizer and of the CREATE TABLE / INDEX / VIEW parsers

use super::lexer::{tokenize, Kind, Quote};
use super::*;
use crate::sqlite::ddl::*;

fn kinds_texts(sql: &str) -> Vec<(Kind, String)> {
    tokenize(sql).unwrap().into_iter().map(|t| (t.kind, t.text)).collect()
}

#[test]
fn lexer_follows_sqlite_rules() {
    let toks = kinds_texts("'it''s' \"a\"\"b\" [x y] `b``c` 0x1F 1e5 .5 1_000 X'aB' 3.25e-2 ?1 :name");
    let want = [
        (Kind::Str, "it's"),
        (Kind::Quoted(Quote::Double), "a\"b"),
        (Kind::Quoted(Quote::Bracket), "x y"),
        (Kind::Quoted(Quote::Backtick), "b`c"),
        (Kind::Num, "0x1F"),
        (Kind::Num, "1e5"),
        (Kind::Num, ".5"),
        (Kind::Num, "1_000"),
        (Kind::Blob, "aB"),
        (Kind::Num, "3.25e-2"),
        (Kind::Var, "?1"),
        (Kind::Var, ":name"),
    ];
    let got: Vec<(Kind, &str)> = toks.iter().map(|(k, t)| (k.clone(), t.as_str())).collect();
    assert_eq!(got, want);
}

#[test]
fn lexer_operators_and_comments() {
    let toks = kinds_texts("a||b==c!=d<>e<=f>=g<<h>>i->j->>k -- line\n /* block */ l.m ~n %o &p |q");
    let ops: Vec<&str> = toks.iter().filter(|(k, _)| *k == Kind::Op).map(|(_, t)| t.as_str()).collect();
    assert_eq!(ops, ["||", "==", "!=", "<>", "<=", ">=", "<<", ">>", "->", "->>", ".", "~", "%", "&", "|"]);
    let words: Vec<&str> = toks.iter().filter(|(k, _)| *k == Kind::Word).map(|(_, t)| t.as_str()).collect();
    assert_eq!(words, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"]);
}

#[test]
fn lexer_rejects_malformed_input() {
    for bad in ["'open", "\"open", "[open", "X'ABC'", "X'zz'", "12abc", "a ! b", "/* ok */ 1 # 2"] {
        assert!(matches!(tokenize(bad), Err(DdlError::Lex { .. })), "{bad}");
    }
    assert!(tokenize("/* unterminated comment").unwrap().is_empty());
}

#[test]
fn chinook_table_with_named_primary_key() {
    let t = parse_create_table(
        "CREATE TABLE [Album]\n(\n    [AlbumId] INTEGER  NOT NULL,\n    [Title] NVARCHAR(160)  NOT NULL,\n    [ArtistId] INTEGER  NOT NULL,\n    CONSTRAINT [PK_Album] PRIMARY KEY  ([AlbumId]),\n    FOREIGN KEY ([ArtistId]) REFERENCES [Artist] ([ArtistId]) \n\t\tON DELETE NO ACTION ON UPDATE NO ACTION\n)",
    )
    .unwrap();
    assert_eq!(t.name, "Album");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["AlbumId", "Title", "ArtistId"]);
    assert_eq!(t.columns[1].declared_type, "NVARCHAR(160)");
    assert!(t.columns.iter().all(|c| c.not_null));
    assert_eq!(t.primary_key, ["AlbumId"]);
    assert!(t.columns[0].primary_key && !t.columns[1].primary_key);
    assert!(!t.columns[0].autoincrement);
}

#[test]
fn autoincrement_column_and_table_level() {
    let t = parse_create_table("CREATE TABLE \"clusters\"(cluster_id INTEGER PRIMARY KEY AUTOINCREMENT,label VARCHAR NOT NULL,originator_cache_guid TEXT DEFAULT \"\" NOT NULL)").unwrap();
    assert!(t.columns[0].primary_key && t.columns[0].autoincrement);
    assert_eq!(t.columns[2].default.as_deref(), Some("\"\""));
    assert_eq!(t.columns[2].declared_type, "TEXT");
    let t = parse_create_table("CREATE TABLE x(id integer, v, PRIMARY KEY (id AUTOINCREMENT))").unwrap();
    assert!(t.columns[0].primary_key && t.columns[0].autoincrement);
    assert_eq!(t.columns[1].declared_type, "");
}

#[test]
fn defaults_keep_their_text() {
    let t = parse_create_table(
        "CREATE TABLE `_logs` (`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
         `created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL, n INT DEFAULT -1, s DEFAULT 'a''b',
         d datetime default current_date, b BOOLEAN DEFAULT FALSE)",
    )
    .unwrap();
    let defaults: Vec<Option<&str>> = t.columns.iter().map(|c| c.default.as_deref()).collect();
    assert_eq!(
        defaults,
        [
            Some("('r'||lower(hex(randomblob(7))))"),
            Some("(strftime('%Y-%m-%d %H:%M:%fZ'))"),
            Some("-1"),
            Some("'a''b'"),
            Some("current_date"),
            Some("FALSE"),
        ]
    );
    assert!(t.columns[0].not_null && t.columns[0].primary_key);
}

#[test]
fn checks_generated_and_collate() {
    let t = parse_create_table(
        "CREATE TABLE p (price NUMERIC CONSTRAINT positive CHECK (price > 0) COLLATE NOCASE,
         qty INT CHECK(qty>=0), total REAL GENERATED ALWAYS AS (price * qty) STORED, half AS (price / 2),
         CONSTRAINT price_greater_than_zero CHECK (price > 0), CHECK ([qty]<(100)))",
    )
    .unwrap();
    let c = &t.columns;
    assert_eq!(c[0].checks, [CheckDdl { name: Some("positive".into()), expr: "price > 0".into() }]);
    assert_eq!(c[0].collate.as_deref(), Some("NOCASE"));
    assert_eq!(c[1].checks[0].name, None);
    assert_eq!(c[2].generated, Some(Generated { expr: "price * qty".into(), stored: true }));
    assert_eq!(c[2].declared_type, "REAL");
    assert_eq!(c[3].generated, Some(Generated { expr: "price / 2".into(), stored: false }));
    assert_eq!(c[3].declared_type, "");
    assert_eq!(t.checks.len(), 2);
    assert_eq!(t.checks[0].name.as_deref(), Some("price_greater_than_zero"));
    assert_eq!(t.checks[1].expr, "[qty]<(100)");
}

#[test]
fn table_options_and_declared_types() {
    let t = parse_create_table(
        "CREATE TABLE IF NOT EXISTS main.t(a text nocase, b \"double precision\", c decimal (5, 2), d int, e smallint unsigned, PRIMARY KEY(a)) WITHOUT ROWID, STRICT;",
    )
    .unwrap();
    assert!(t.without_rowid && t.strict);
    let types: Vec<&str> = t.columns.iter().map(|c| c.declared_type.as_str()).collect();
    assert_eq!(types, ["text nocase", "double precision", "decimal (5, 2)", "INT", "smallint unsigned"]);
    assert!(t.columns[0].not_null, "key column of a WITHOUT ROWID table is NOT NULL");
    let t = parse_create_table("CREATE TABLE blobs\n(\n    name TEXT not null\n        constraint blobs_pk\n            primary key,\n    blob BLOB\n)").unwrap();
    assert!(t.columns[0].primary_key && t.columns[0].not_null && !t.without_rowid);
}

#[test]
fn unsupported_and_malformed_tables() {
    assert!(matches!(parse_create_table("CREATE VIRTUAL TABLE email USING fts5(a)"), Err(DdlError::Unsupported(_))));
    assert!(matches!(parse_create_table("CREATE TABLE t AS SELECT 1"), Err(DdlError::Unsupported(_))));
    for bad in [
        "CREATE TABLE t(a int",
        "CREATE TABLE t(a int,, b)",
        "CREATE TABLE t(a int) extra",
        "CREATE INDEX i ON t(a)",
        "CREATE TABLE t(a int primary)",
    ] {
        assert!(matches!(parse_create_table(bad), Err(DdlError::Syntax { .. })), "{bad}");
    }
}

#[test]
fn index_items_collate_desc_and_where() {
    let ix =
        parse_create_index("CREATE UNIQUE INDEX `_kpv709sk2lqbqk8_email_idx` ON `nologin` (`email`) WHERE email != ''")
            .unwrap();
    assert_eq!((ix.name.as_str(), ix.table.as_str(), ix.unique), ("_kpv709sk2lqbqk8_email_idx", "nologin", true));
    assert_eq!(ix.items[0].column.as_deref(), Some("email"));
    assert_eq!(ix.where_clause.as_deref(), Some("email != ''"));
    let ix = parse_create_index(
        "CREATE INDEX IF NOT EXISTS main.i on `_logs` (JSON_EXTRACT(`data`, '$.auth'), name COLLATE NOCASE DESC, 'quoted' ASC, [x y]);",
    )
    .unwrap();
    assert!(!ix.unique && ix.where_clause.is_none());
    let it = &ix.items;
    assert_eq!((it[0].expr.as_str(), it[0].column.as_deref()), ("JSON_EXTRACT(`data`, '$.auth')", None));
    assert_eq!((it[1].column.as_deref(), it[1].collate.as_deref(), it[1].desc), (Some("name"), Some("NOCASE"), true));
    assert_eq!((it[2].column.as_deref(), it[2].desc), (Some("quoted"), false));
    assert_eq!(it[3].column.as_deref(), Some("x y"));
    assert!(parse_create_index("CREATE INDEX i ON t()").is_err());
}

#[test]
fn views_with_and_without_columns() {
    let v = parse_create_view("CREATE VIEW [Order Subtotals] AS\nSELECT 1;").unwrap();
    assert_eq!((v.name.as_str(), v.columns.clone(), v.select.as_str()), ("Order Subtotals", None, "SELECT 1"));
    let v = parse_create_view("create temp view if not exists s.v(a, \"b\") as select x, y from t").unwrap();
    assert_eq!(v.columns, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(v.select, "select x, y from t");
    assert!(parse_create_view("CREATE VIEW v AS").is_err());
}

/// Deterministic fuzzing: random token soups must give errors, never panics.
#[test]
fn no_panic_on_random_input() {
    const PIECES: &[&str] = &[
        "CREATE",
        "TABLE",
        "INDEX",
        "VIEW",
        "UNIQUE",
        "ON",
        "AS",
        "(",
        ")",
        "(",
        ")",
        ",",
        ";",
        "t",
        "\"q\"",
        "[b]",
        "`c`",
        "'s'",
        "1",
        "0x1F",
        "X'AB'",
        "-",
        "+",
        ".",
        "*",
        "=",
        "IS",
        "NOT",
        "NULL",
        "IN",
        "PRIMARY",
        "KEY",
        "DEFAULT",
        "CHECK",
        "COLLATE",
        "GENERATED",
        "ALWAYS",
        "AUTOINCREMENT",
        "REFERENCES",
        "CONSTRAINT",
        "WHERE",
        "DESC",
        "LIMIT",
        "strftime",
        "datetime",
        "'now'",
        "'%Y-%m-%d'",
        "max",
        "count",
        "DISTINCT",
        "CAST",
        "LIKE",
        "CASE",
        "WHEN",
        "END",
        "SELECT",
        "FROM",
        "WITH",
        "OVER",
        "é",
        "?",
        "/*",
        "--",
        "\n",
        "'1997-02-29'",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let cols = [("t".to_string(), TypeHint::Boolean), ("q".to_string(), TypeHint::Timestamp)];
    for _ in 0..5000 {
        let len = usize::try_from(next() % 14).unwrap();
        let pick = |r: u64| PIECES[usize::try_from(r % u64::try_from(PIECES.len()).unwrap()).unwrap()];
        let sql: Vec<&str> = (0..len).map(|_| pick(next())).collect();
        let sql = sql.join(" ");
        let _ = parse_create_table(&format!("CREATE TABLE t({sql})"));
        let _ = parse_create_index(&format!("CREATE INDEX i ON t({sql}"));
        let _ = parse_create_view(&format!("CREATE VIEW v AS {sql}"));
        for target in [None, Some(TypeHint::Boolean), Some(TypeHint::Text), Some(TypeHint::Timestamp)] {
            let ctx = ExprContext { columns: &cols, target };
            let _ = translate_expr(&sql, &ctx);
            let _ = translate_default(&sql, &ctx);
        }
        let _ = translate_select(&sql);
    }
}
