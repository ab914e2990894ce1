//! names: 63-byte collisions and too many columns fail; keywords, quotes and unicode must go through exactly

use super::harness::{expect_success, pg, Case, ROWVALUE};
use crate::support::Fixture;

#[test]
fn table_names_that_collide_at_63_bytes() {
    let a = format!("{}_alpha", "t".repeat(63));
    let b = format!("{}_beta", "t".repeat(63));
    let fx = Fixture::new(&format!(
        "CREATE TABLE \"{a}\" (id INTEGER PRIMARY KEY, s TEXT); CREATE TABLE \"{b}\" (id INTEGER PRIMARY KEY, s TEXT);
         INSERT INTO \"{a}\" VALUES (1, '{ROWVALUE}'); INSERT INTO \"{b}\" VALUES (1, '{ROWVALUE}');"
    ));
    Case::fresh("table names colliding at 63 bytes", &fx.path).expect(4, &[&a, &b, "63"]).check();
}

#[test]
fn multibyte_names_that_collide_at_63_bytes() {
    // 32 two-byte characters = 64 bytes: PostgreSQL cuts at a character boundary, 62 bytes, so these collide
    let stem = "é".repeat(32);
    let a = format!("{stem}1");
    let b = format!("{stem}2");
    let fx = Fixture::new(&format!(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, \"{a}\" TEXT, \"{b}\" TEXT); INSERT INTO t VALUES (1, '{ROWVALUE}', '{ROWVALUE}');"
    ));
    Case::fresh("multibyte column names colliding", &fx.path).expect(4, &[&a, &b]).check();
}

#[test]
fn keywords_and_quotes_in_names_go_through_exactly() {
    let fx = Fixture::new(
        r#"CREATE TABLE "select" ("from" INTEGER PRIMARY KEY, "order" TEXT, "a""b" TEXT, "user" TEXT, "Group By" TEXT);
           CREATE TABLE "a""b" ("where" INTEGER REFERENCES "select"("from"), "x""y" TEXT);
           CREATE TABLE "order" ("table" TEXT UNIQUE, "limit" INTEGER);
           CREATE INDEX "index" ON "select" ("order", "a""b");
           INSERT INTO "select" VALUES (1, 'o', 'q"uote', 'u', 'g');
           INSERT INTO "a""b" VALUES (1, 'it''s');
           INSERT INTO "order" VALUES ('t', 2);"#,
    );
    let db = pg().fresh_db();
    expect_success(&fx.path, &db, &[]);
    let pg = pg();
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'"),
        "a\"b,order,select"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'select'"),
        "from,order,a\"b,user,Group By"
    );
    assert_eq!(
        pg.psql(&db, r#"SELECT "from" || "order" || "a""b" || "user" || "Group By" FROM "select""#),
        "1oq\"uoteug"
    );
    assert_eq!(pg.psql(&db, r#"SELECT "where" || "x""y" FROM "a""b""#), "1it's");
    assert_eq!(pg.psql(&db, r#"SELECT "table" || "limit" FROM "order""#), "t2");
    assert_eq!(
        pg.psql(&db, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'index'"),
        "1"
    );
    assert!(
        pg.try_psql(&db, r#"INSERT INTO "a""b" ("where") VALUES (5)"#).is_err(),
        "the foreign key on quoted names is missing"
    );
}

#[test]
fn unicode_names_go_through_exactly() {
    let fx = Fixture::new(
        "CREATE TABLE \"Ünïcödé 表\" (\"名前\" TEXT PRIMARY KEY, \"emoji 🎉\" INTEGER, \"Straße\" TEXT);
         INSERT INTO \"Ünïcödé 表\" VALUES ('山田', 1, 'x'), ('Zoë', 2, NULL);",
    );
    let db = pg().fresh_db();
    expect_success(&fx.path, &db, &[]);
    let pg = pg();
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'Ünïcödé 表'"),
        "名前,emoji 🎉,Straße"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(\"名前\" || \"emoji 🎉\", ',' ORDER BY \"emoji 🎉\") FROM \"Ünïcödé 表\""),
        "山田1,Zoë2"
    );
}

#[test]
fn more_than_1600_columns() {
    let cols: Vec<String> = (0..1700).map(|i| format!("c{i} INTEGER")).collect();
    let fx = Fixture::new(&format!(
        "CREATE TABLE wide (id INTEGER PRIMARY KEY, note TEXT, {}); INSERT INTO wide (id, note) VALUES (1, '{ROWVALUE}');
         CREATE TABLE narrow (id INTEGER PRIMARY KEY); INSERT INTO narrow VALUES (1);",
        cols.join(", ")
    ));
    Case::fresh("more than 1600 columns", &fx.path).expect(4, &["\"wide\"", "1702", "1600"]).check();
}
