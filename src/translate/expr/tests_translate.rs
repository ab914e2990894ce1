//! Unit tests of expression, DEFAULT and SELECT translation, one group per rule

use super::*;
use TypeHint as H;

fn cols() -> Vec<(String, TypeHint)> {
    [("Id", H::Integer), ("Name", H::Text), ("active", H::Boolean), ("a\"b", H::Text), ("Created", H::Timestamp)]
        .into_iter()
        .map(|(n, h)| (n.to_string(), h))
        .collect()
}

fn ex(expr: &str) -> String {
    let c = cols();
    translate_expr(expr, &ExprContext { columns: &c, target: None }).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn ex_err(expr: &str) -> String {
    let c = cols();
    translate_expr(expr, &ExprContext { columns: &c, target: None }).expect_err(expr).reason
}

fn def(expr: &str, target: TypeHint) -> String {
    translate_default(expr, &ExprContext { columns: &[], target: Some(target) })
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn def_err(expr: &str, target: TypeHint) -> String {
    translate_default(expr, &ExprContext { columns: &[], target: Some(target) }).expect_err(expr).reason
}

fn sel(select: &str) -> String {
    translate_select(select).unwrap_or_else(|e| panic!("{select}: {e}"))
}

#[test]
fn quote_ident_doubles_quotes() {
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    assert_eq!(quote_ident("Order Details"), "\"Order Details\"");
}

#[test]
fn identifiers_requoted_with_exact_column_case() {
    assert_eq!(
        ex("[id] > 0 AND `NAME` <> '' AND name IS NOT NULL"),
        "\"Id\" > 0 AND \"Name\" <> '' AND \"Name\" IS NOT NULL"
    );
    assert_eq!(ex("\"a\"\"b\" = [unknown Col]"), "\"a\"\"b\" = \"unknown Col\"");
    assert_eq!(ex("t.id = 1"), "\"t\".\"Id\" = 1");
    // a double-quoted token naming no column is a string literal in SQLite
    assert_eq!(ex("Name <> \"none\""), "\"Name\" <> 'none'");
}

#[test]
fn literals() {
    assert_eq!(ex("Name IN ('it''s', 'back\\slash')"), "\"Name\" IN ('it''s', 'back\\slash')");
    assert_eq!(ex("Id IN (0x1F, -0x10, 1e5, .5, 1_000)"), "\"Id\" IN (31, -16, 1e5, .5, 1000)");
    assert_eq!(ex("Id <> 0xFFFFFFFFFFFFFFFF"), "\"Id\" <> -1");
    assert_eq!(ex("Name <> X'aB01'"), "\"Name\" <> '\\xab01'::bytea");
    assert_eq!(
        ex("Name IS NULL OR Name = TRUE OR Name = FALSE"),
        "\"Name\" IS NULL OR \"Name\" = TRUE OR \"Name\" = FALSE"
    );
    assert_eq!(ex_err("Id = ?1"), "bound parameters are not translated");
}

#[test]
fn operators() {
    assert_eq!(ex("Id == 1 AND Id != 2 AND Id <> 3"), "\"Id\" = 1 AND \"Id\" != 2 AND \"Id\" <> 3");
    assert_eq!(ex("Name || 'x' = 'ax'"), "\"Name\" || 'x' = 'ax'");
    assert_eq!(ex("Id IS Name"), "\"Id\" IS NOT DISTINCT FROM \"Name\"");
    assert_eq!(ex("Id IS NOT Name"), "\"Id\" IS DISTINCT FROM \"Name\"");
    assert_eq!(
        ex("Id IS NULL AND Id IS NOT NULL AND active IS TRUE"),
        "\"Id\" IS NULL AND \"Id\" IS NOT NULL AND \"active\" IS TRUE"
    );
    // SQLite's LIKE folds ASCII only and has no default escape character
    assert_eq!(ex("Name LIKE ('a' || '%')"), "\"Name\" ILIKE ('a' || '%') COLLATE \"C\" ESCAPE ''");
    assert_eq!(
        ex("Name LIKE 'a\\%' AND Name NOT LIKE 'b%' ESCAPE '\\'"),
        "\"Name\" ILIKE 'a\\\\%' COLLATE \"C\" AND \"Name\" NOT ILIKE 'b%' COLLATE \"C\" ESCAPE '\\'"
    );
    assert!(ex_err("Name LIKE Name || '%'").contains("more than one operand"));
    assert_eq!(
        ex("Name GLOB 'a*[0-9]?' AND Name NOT GLOB '*.x'"),
        "\"Name\" ~ '^a.*[0-9].$' AND \"Name\" !~ '^.*\\.x$'"
    );
    assert_eq!(ex("Name NOT NULL"), "\"Name\" IS NOT NULL");
    assert_eq!(ex("Name ISNULL OR Id NOTNULL"), "\"Name\" IS NULL OR \"Id\" IS NOT NULL");
    assert_eq!(ex("-Id < -(1) AND Id - 1 > ~2"), "-\"Id\" < -(1) AND \"Id\" - 1 > ~2");
    for (expr, op) in [("Name REGEXP 'a'", "REGEXP"), ("Name MATCH 'a'", "MATCH")] {
        assert_eq!(ex_err(expr), format!("operator {op} has no postgresql equivalent"));
    }
    assert_eq!(ex_err("Name GLOB Name"), "glob with a non-literal pattern is not translated");
    assert!(ex("Name -> '$.a' IS NOT NULL").contains("((\"Name\")::jsonb #> '{\"a\"}')"));
    assert_eq!(ex_err("Id ->> 'a'"), "function json() of a integer value is not translated");
}

#[test]
fn case_between_in_exists_kept() {
    assert_eq!(
        ex("CASE WHEN Id BETWEEN 1 AND 5 THEN 'a' ELSE 'b' END IN ('a', 'b')"),
        "CASE WHEN \"Id\" BETWEEN 1 AND 5 THEN 'a' ELSE 'b' END IN ('a', 'b')"
    );
    assert_eq!(
        ex("EXISTS (SELECT 1 FROM other o WHERE o.id = Id) AND Id NOT IN (SELECT x FROM y)"),
        "EXISTS (SELECT 1 FROM \"other\" \"o\" WHERE \"o\".\"Id\" = \"Id\") AND \"Id\" NOT IN (SELECT \"x\" FROM \"y\")"
    );
}

#[test]
fn boolean_context_in_checks() {
    assert_eq!(ex("active IN (0, 1)"), "\"active\" IN (false, true)");
    assert_eq!(ex("active NOT IN ('t', 'f', 'true', 'false')"), "\"active\" NOT IN (true, false, true, false)");
    assert_eq!(
        ex("active = 1 OR '0' == active OR active <> 'f'"),
        "\"active\" = true OR false = \"active\" OR \"active\" <> false"
    );
    // only literals next to a boolean column change
    assert_eq!(ex("Id IN (0, 1) AND Id = 1"), "\"Id\" IN (0, 1) AND \"Id\" = 1");
    assert_eq!(ex("active IN (SELECT 1)"), "\"active\" IN (SELECT 1)");
}

#[test]
fn collations() {
    assert_eq!(ex("Name COLLATE BINARY = 'a'"), "\"Name\" COLLATE \"C\" = 'a'");
    assert_eq!(ex("Name COLLATE NOCASE = 'a'"), "lower((\"Name\") COLLATE \"C\") = lower(('a') COLLATE \"C\")");
    assert_eq!(ex("Id > 0 AND 'b ' < Name COLLATE rtrim"), "\"Id\" > 0 AND rtrim('b ', ' ') < rtrim(\"Name\", ' ')");
    assert_eq!(
        sel("select x from t order by t.x collate nocase desc, y"),
        "SELECT \"x\" FROM \"t\" ORDER BY lower((\"t\".\"x\") COLLATE \"C\") DESC, \"y\""
    );
    let only = "COLLATE nocase is translated only on a column, an index item, an ORDER BY item or one side of a \
                comparison of two single text operands";
    assert_eq!(ex_err("Name || 'x' = 'a' COLLATE NOCASE"), only);
    assert_eq!(ex_err("Id = 1 COLLATE NOCASE"), only);
    assert_eq!(ex_err("Name COLLATE NOCASE"), only);
}

#[test]
fn function_map() {
    assert_eq!(
        ex("ifnull(Name, '') <> coalesce(Name, 'x', 'y')"),
        "coalesce(\"Name\", '') <> coalesce(\"Name\", 'x', 'y')"
    );
    // SQLite's lower() and upper() change ASCII letters only, as PostgreSQL's do under "C"
    assert_eq!(
        ex("nullif(lower(Name), upper(Name)) = ''"),
        "nullif(lower((\"Name\") COLLATE \"C\"), upper((\"Name\") COLLATE \"C\")) = ''"
    );
    assert_eq!(ex("length(Name) > abs(Id)"), "length(\"Name\") > abs(\"Id\")");
    assert!(ex("round(Id) + round(Id, 2)")
        .starts_with("(CASE WHEN abs(((\"Id\")::double precision)) >= 9223372036854775807"));
    assert_eq!(
        ex("trim(Name) || ltrim(Name, 'x') || rtrim(Name) || trim(Name, ' .')"),
        "trim(\"Name\") || ltrim(\"Name\", 'x') || rtrim(\"Name\") || btrim(\"Name\", ' .')"
    );
    assert_eq!(ex("substr(Name, 1, 2) = substring(Name, 2)"), "substr(\"Name\", 1, 2) = substr(\"Name\", 2)");
    assert_eq!(ex("instr(Name, 'a') > 0"), "strpos(\"Name\", 'a') > 0");
    assert_eq!(
        ex("substr(Name, -2) = substr(Name, 0, 3)"),
        "substr(\"Name\", greatest(length(\"Name\") + 1 - 2, 1)) = substr(\"Name\", 1, 2)"
    );
    assert!(ex("substr(Name, Id)").contains("4294967295"));
    assert!(ex_err("substr(Name, Name)").starts_with("function substr() of a "));
    assert_eq!(ex("replace(Name, 'a', 'b') = ''"), "replace(\"Name\", 'a', 'b') = ''");
    assert_eq!(
        ex("max(Id, 1) + min(Id, 2, 3) + max(Id) + min(Id)"),
        "greatest(\"Id\", 1) + least(\"Id\", 2, 3) + max(\"Id\") + min(\"Id\")"
    );
    assert_eq!(
        ex("count(*) + count(DISTINCT Id) + sum(Id) + avg(Id) + total(Id)"),
        "count(*) + count(DISTINCT \"Id\") + sum(\"Id\") + avg(\"Id\") + sum(\"Id\")"
    );
    assert_eq!(ex("iif(Id > 0, 'p', 'n') = 'p'"), "CASE WHEN \"Id\" > 0 THEN 'p' ELSE 'n' END = 'p'");
    assert_eq!(
        ex("group_concat(Name) || group_concat(Name, ';')"),
        "string_agg((\"Name\")::text, ',') || string_agg((\"Name\")::text, ';')"
    );
}

#[test]
fn functions_without_equivalent_are_named() {
    for f in ["typeof", "regexp", "likely", "json_set", "json_patch"] {
        assert_eq!(ex_err(&format!("{f}(Name) IS NOT NULL")), format!("function {f}() has no postgresql equivalent"));
    }
    assert_eq!(ex_err("TYPEOF(Id) = 'integer'"), "function typeof() has no postgresql equivalent");
    assert_eq!(ex_err("json_valid(Id)"), "function json_valid() of a integer value is not translated");
    assert_eq!(ex_err("hex(Created)"), "function hex() of a date/time value is not translated");
    assert_eq!(ex_err("printf('%08.2f', Id)"), "printf() %f with the 0 flag and a width is not translated");
    assert_eq!(ex_err("printf('%.31f', Id)"), "printf() %f with a precision above 30 is not translated");
    assert!(ex_err("printf('%f', Name)").starts_with("function printf() of a "));
    assert_eq!(ex_err("printf(Name, Id)"), "printf() with a non-literal format is not translated");
    assert_eq!(ex_err("printf('%.1001s', Name)"), "printf() with a precision above 1000 is not translated");
    assert_eq!(ex_err("printf('%.16e', Id)"), "printf() %e with more than 16 significant digits is not translated");
    assert_eq!(ex_err("printf('%.17g', Id)"), "printf() %g with more than 16 significant digits is not translated");
    assert_eq!(ex_err("printf('%012e', Id)"), "printf() %e with the 0 flag and a width is not translated");
    assert_eq!(ex_err("printf('%.2000d', Id)"), "printf() with a precision above 1000 is not translated");
    assert_eq!(ex_err("randomblob(Id) IS NOT NULL"), "randomblob() of a non-literal length is not translated");
    assert_eq!(ex_err("strftime('%W', Name)"), "strftime format %W has no postgresql equivalent");
    assert_eq!(
        ex_err("datetime(Name, 'localtime')"),
        "the date/time modifier 'localtime' (sqlite uses the machine's time zone) is not translated"
    );
    assert!(ex_err("unixepoch(Created, 'utc')").contains("machine's time zone"));
    assert!(ex_err("instr(Name)").contains("instr() with 1 arguments"));
}

#[test]
fn casts_use_sqlite_affinity() {
    assert_eq!(
        ex("cast(Id AS integer) + cast(Id as NUMERIC) + cast(Id as decimal(10,2))"),
        "CAST(\"Id\" AS bigint) + CAST(\"Id\" AS numeric) + CAST(\"Id\" AS numeric)"
    );
    assert_eq!(
        ex("CAST(Id AS TEXT) || CAST(Name AS varchar(10)) || CAST(Name AS BLOB)"),
        "CAST(\"Id\" AS text) || CAST(\"Name\" AS text) || textsend(\"Name\")"
    );
    // text to a number: SQLite takes the longest numeric prefix, else 0
    assert!(ex("CAST(Name AS REAL)").contains("substring(\"Name\" from '^[ \\t\\n\\v\\f\\r]*([+-]?"));
    assert_eq!(ex_err("CAST(active AS BLOB)"), "cast of a boolean value to bytea is not translated");
}

#[test]
fn time_functions_in_expressions_give_sqlite_text() {
    assert_eq!(
        ex("Name <= CURRENT_TIMESTAMP"),
        "\"Name\" <= to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
    );
    // compared with a date/time column, "now" takes that column's type
    assert_eq!(ex("Created <= CURRENT_TIMESTAMP"), "\"Created\" <= (now() AT TIME ZONE 'UTC')");
    assert_eq!(ex("datetime('now', 'localtime') > Created"), "LOCALTIMESTAMP > \"Created\"");
    assert_eq!(ex("Created > CURRENT_DATE"), "\"Created\" > ((now() AT TIME ZONE 'UTC')::date::timestamp)");
    assert_eq!(ex("Created <= datetime('1997-12-31')"), "\"Created\" <= '1997-12-31 00:00:00'");
    assert_eq!(ex("Created <= date('1997-12-31 10:20:30')"), "\"Created\" <= '1997-12-31'");
    assert_eq!(ex("Id < strftime('%s','now')"), "\"Id\" < (extract(epoch from now())::bigint)");
    // a literal SQLite would normalize (Feb 30) is computed like a column value
    assert!(ex("Name <= datetime('1997-02-30')").contains("regexp_match('1997-02-30'"));
    assert!(ex("strftime('%Y-%m-%d %H:00:00', Name) = ''").contains("regexp_match(\"Name\""));
}

#[test]
fn defaults_literal_coercion() {
    assert_eq!(def("\"\"", H::Text), "''");
    assert_eq!(def("\"abc\"", H::Text), "'abc'");
    assert_eq!(def("[abc]", H::Text), "'abc'");
    assert_eq!(def("abc", H::Text), "'abc'");
    assert_eq!(def("'a''b\\c'", H::Text), "'a''b\\c'");
    assert_eq!(def("\"{}\"", H::Json), "'{}'");
    assert_eq!(def("'{\"lat\":0,\"lon\":0}'", H::Json), "'{\"lat\":0,\"lon\":0}'");
    assert_eq!(def("NULL", H::Integer), "NULL");
    assert_eq!(def("-1", H::Integer), "-1");
    assert_eq!(def("-0x10", H::Integer), "-16");
    assert_eq!(def("'0'", H::Integer), "0");
    assert_eq!(def("1.0", H::Integer), "1");
    assert_eq!(def("4.99", H::Numeric), "4.99");
    assert_eq!(def("- 1.5e3", H::Numeric), "-1.5e3");
    assert_eq!(def("(0)", H::Numeric), "0");
    assert_eq!(def("0", H::Text), "'0'");
    assert_eq!(def("1.50", H::Text), "'1.5'");
    assert_eq!(def("X'AB'", H::Bytes), "'\\xab'::bytea");
    assert_eq!(def("'a\\b'", H::Bytes), "convert_to('a\\b', 'UTF8')");
    assert_eq!(def("TRUE", H::Integer), "1");
    assert_eq!(def("false", H::Text), "'0'");
    assert_eq!(def_err("'\"0\"'", H::Integer), "text default for an integer column");
    assert_eq!(def_err("1.5", H::Integer), "non-integer default for an integer column");
    assert_eq!(def_err("'G'", H::Numeric), "text default for a numeric column");
    assert_eq!(def_err("0", H::Timestamp), "numeric default for a timestamp column");
    assert_eq!(def_err("X'AB'", H::Text), "blob default for a text column");
}

#[test]
fn defaults_boolean_target() {
    for (t, f) in [
        ("1", "0"),
        ("'1'", "'0'"),
        ("'t'", "'f'"),
        ("'true'", "'false'"),
        ("TRUE", "FALSE"),
        ("(1)", "(0)"),
        ("\"T\"", "'F'"),
    ] {
        assert_eq!(def(t, H::Boolean), "true", "{t}");
        assert_eq!(def(f, H::Boolean), "false", "{f}");
    }
    assert_eq!(def_err("2", H::Boolean), "non-boolean default for a boolean column");
    assert_eq!(def_err("'yes please'", H::Boolean), "non-boolean default for a boolean column");
}

#[test]
fn defaults_current_time_by_target() {
    let utc = "(now() AT TIME ZONE 'UTC')";
    for now in [
        "CURRENT_TIMESTAMP",
        "current_timestamp",
        "(datetime('now'))",
        "datetime()",
        "strftime('%Y-%m-%d %H:%M:%S','now')",
        "(strftime('%Y-%m-%d %H:%M:%f', 'now'))",
    ] {
        assert_eq!(def(now, H::Timestamp), utc, "{now}");
        assert_eq!(def(now, H::Timestamptz), "CURRENT_TIMESTAMP", "{now}");
    }
    assert_eq!(def("CURRENT_TIMESTAMP", H::Text), "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')");
    assert_eq!(def("CURRENT_TIMESTAMP", H::Other), "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')");
    assert_eq!(
        def("(strftime('%Y-%m-%d %H:%M:%f', 'now'))", H::Text),
        "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"
    );
    assert_eq!(
        def("(strftime('%Y-%m-%d %H:%M:%fZ'))", H::Text),
        "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS\"Z\"')"
    );
    assert_eq!(
        def("(strftime('%Y-%m-%dT%H:%M:%S', 'now'))", H::Text),
        "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    );
    assert_eq!(def("(DATETIME('now', 'localtime'))", H::Timestamp), "LOCALTIMESTAMP");
    assert_eq!(def("(DATETIME('now', 'localtime'))", H::Text), "to_char(LOCALTIMESTAMP, 'YYYY-MM-DD HH24:MI:SS')");
    assert_eq!(def("CURRENT_DATE", H::Date), format!("({utc}::date)"));
    assert_eq!(def("current_date", H::Text), "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
    assert_eq!(def("(date('now'))", H::Date), format!("({utc}::date)"));
    assert_eq!(def("CURRENT_TIME", H::Time), format!("({utc}::time)"));
    assert_eq!(def("CURRENT_TIME", H::Text), "to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS')");
    assert_eq!(def("(strftime('%s','now'))", H::Integer), "(extract(epoch from now())::bigint)");
    assert_eq!(def("(unixepoch())", H::Integer), "(extract(epoch from now())::bigint)");
    assert_eq!(def("(strftime('%s','now'))", H::Text), "(extract(epoch from now())::bigint)::text");
    assert_eq!(def("(julianday('now'))", H::Numeric), "(extract(epoch from now()) / 86400.0 + 2440587.5)");
    assert_eq!(def("(datetime('2020-01-02'))", H::Timestamp), "'2020-01-02 00:00:00'");
}

#[test]
fn defaults_refused_with_reason() {
    assert_eq!(def_err("(strftime('%W','now'))", H::Text), "strftime format %W has no postgresql equivalent");
    assert_eq!(
        def("(datetime('now', '+1 day'))", H::Timestamp),
        "date_trunc('second', (date_trunc('milliseconds', now() AT TIME ZONE 'UTC') + '1 days'::interval))"
    );
    assert_eq!(
        def_err("(datetime('now', 'weekday 1'))", H::Timestamp),
        "a datetime() modifier has no postgresql equivalent"
    );
    assert_eq!(def_err("CURRENT_TIMESTAMP", H::Integer), "current time default for an integer column");
    assert_eq!(def_err("CURRENT_TIMESTAMP", H::Boolean), "current time default for a boolean column");
    assert_eq!(def_err("(randomblob(100))", H::Bytes), "randomblob() of more than 64 bytes is not translated");
    assert_eq!(def("('a' || 'b')", H::Text), "('a' || 'b')");
}

#[test]
fn views_take_columns_of_unknown_type_for_text() {
    assert_eq!(
        sel("SELECT lower(name), length(name) FROM t"),
        "SELECT lower((\"name\") COLLATE \"C\"), length(\"name\") FROM \"t\""
    );
}

#[test]
fn select_northwind_view() {
    let s = "SELECT [Order Details].OrderID, \nSum(([Order Details].UnitPrice*Quantity*(1-Discount)/100)*100) AS Subtotal\nFROM [Order Details]\nGROUP BY [Order Details].OrderID";
    assert_eq!(
        sel(s),
        "SELECT \"Order Details\".\"OrderID\", sum((\"Order Details\".\"UnitPrice\" * \"Quantity\" * (1 - \"Discount\") / 100) * 100) AS \"Subtotal\" FROM \"Order Details\" GROUP BY \"Order Details\".\"OrderID\""
    );
    let s = "SELECT Products.ProductName FROM Products WHERE Products.UnitPrice>(SELECT AVG(UnitPrice) From Products) AND ShippedDate Between DATETIME('1997-01-01') And DATETIME('1997-12-31');";
    assert_eq!(
        sel(s),
        "SELECT \"Products\".\"ProductName\" FROM \"Products\" WHERE \"Products\".\"UnitPrice\" > (SELECT avg(\"UnitPrice\") FROM \"Products\") AND \"ShippedDate\" BETWEEN '1997-01-01 00:00:00' AND '1997-12-31 00:00:00'"
    );
}

#[test]
fn select_windows_subqueries_limits() {
    assert_eq!(
        sel("SELECT * FROM (SELECT CAST(`id` as TEXT) `id`,`email` FROM (select (ROW_NUMBER() OVER()) as id, email from clients))"),
        "SELECT * FROM (SELECT CAST(\"id\" AS text) \"id\", \"email\" FROM (SELECT (row_number() OVER ()) AS \"id\", \"email\" FROM \"clients\") AS \"subquery1\") AS \"subquery2\""
    );
    assert_eq!(
        sel("select rank() over (partition by a order by b desc nulls last) r from t limit 10 offset 5"),
        "SELECT rank() OVER (PARTITION BY \"a\" ORDER BY \"b\" DESC NULLS LAST) \"r\" FROM \"t\" LIMIT 10 OFFSET 5"
    );
    assert_eq!(sel("select a from t limit 5, 10"), "SELECT \"a\" FROM \"t\" LIMIT 10 OFFSET 5");
    assert_eq!(
        sel("select a as 'x y' from t as u left join v on u.k = v.k"),
        "SELECT \"a\" AS \"x y\" FROM \"t\" AS \"u\" LEFT JOIN \"v\" ON \"u\".\"k\" = \"v\".\"k\""
    );
    assert_eq!(
        sel("WITH x(a) AS (SELECT 1) SELECT a FROM x UNION ALL SELECT 2"),
        "WITH \"x\" (\"a\") AS (SELECT 1) SELECT \"a\" FROM \"x\" UNION ALL SELECT 2"
    );
    assert_eq!(
        sel("select count(*) from t where a is b"),
        "SELECT count(*) FROM \"t\" WHERE \"a\" IS NOT DISTINCT FROM \"b\""
    );
    assert!(translate_select("select 1; select 2").is_err());
}

#[test]
fn select_with_names_fixes_case() {
    let names = ["Products".to_string(), "ProductID".to_string()];
    assert_eq!(
        translate_select_with_names("select productid, [PRODUCTS].x from products", &names).unwrap(),
        "SELECT \"ProductID\", \"Products\".\"x\" FROM \"Products\""
    );
}

// Regressions found by fuzzing (fuzz/fuzz_targets/ddl_translate.rs): each crash becomes a test here.

#[test]
fn fuzz_empty_identifier_is_untranslatable() {
    // SQLite takes `` and [] as empty names; PostgreSQL refuses the zero-length identifier ""
    assert_eq!(ex_err("`` > 0"), "empty identifier has no postgresql equivalent");
    assert!(ex_err("[] + 1").contains("empty identifier"));
    assert!(translate_select("select ``").is_err());
    assert!(translate_select("select 1 as ''").is_err());
    assert_eq!(sel("select \"\"\"\""), "SELECT \"\"\"\"");
}

#[test]
fn fuzz_unary_operators_never_glue_into_a_comment() {
    // `--` would start a comment in PostgreSQL, `-~` lex as one unknown operator
    assert_eq!(ex("- -Id"), "- -\"Id\"");
    assert_eq!(ex("Id > - - 1"), "\"Id\" > - -1");
    assert_eq!(ex("-~Id"), "- ~\"Id\"");
    assert_eq!(ex("-(1)"), "-(1)");
    assert_eq!(ex("Id - -1"), "\"Id\" - -1");
    assert_eq!(sel("select - -1"), "SELECT - -1");
}
