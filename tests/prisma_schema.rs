//! SCHEMA=schema.prisma: the schema sqlite2pg creates equals, in PostgreSQL's catalogs, the DDL Prisma's schema
//! engine creates for the same Prisma schema (tests/prisma/<case>.sql, written from Prisma's tests and docs)

mod common;
mod support;

use std::path::{Path, PathBuf};

use common::pg::PgCluster;
use support::{migrate, Fixture};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/prisma").join(name)
}

/// Every user-visible object of a database as sorted lines: schemas, enum types with their labels, columns in
/// order with type, nullability and default, constraints, indexes and sequences.
fn catalog(pg: &PgCluster, db: &str) -> String {
    pg.psql(
        db,
        r#"WITH ns AS (SELECT oid, nspname FROM pg_namespace
                      WHERE nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('information_schema', 'sqlite2pg', 'sqlite2pg_staging')),
        lines AS (
          SELECT 'schema ' || nspname AS l FROM ns
          UNION ALL
          SELECT 'enum ' || ns.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
            FROM pg_type t JOIN ns ON ns.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY ns.nspname, t.typname
          UNION ALL
          SELECT 'column ' || ns.nspname || '.' || c.relname || ' ' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                 || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_class c JOIN ns ON ns.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
           WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
          UNION ALL
          SELECT 'constraint ' || ns.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN ns ON ns.oid = c.relnamespace
          UNION ALL
          SELECT 'index ' || ns.nspname || '.' || c.relname || ' ' || pg_get_indexdef(c.oid)
            FROM pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind = 'i'
          UNION ALL
          SELECT 'sequence ' || ns.nspname || '.' || c.relname FROM pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind = 'S')
        SELECT string_agg(l, E'\n' ORDER BY l) FROM lines"#,
    )
}

/// A database holding what Prisma creates: the expected DDL applied as it is.
fn expected(pg: &PgCluster, sql: &str) -> String {
    let db = pg.fresh_db();
    let text = std::fs::read_to_string(fixture(sql)).expect("expected ddl");
    pg.psql(&db, &text);
    catalog(pg, &db)
}

/// The catalog after sqlite2pg applied SCHEMA=<schema> with an SQLite file that has no tables.
fn generated(pg: &PgCluster, schema: &Path) -> String {
    let sqlite = Fixture::new("PRAGMA user_version = 1;");
    let (run, db) = migrate(pg, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8 path"))]);
    run.assert_code(0);
    catalog(pg, &db)
}

fn same_as_prisma(case: &str) {
    let pg = PgCluster::shared();
    let want = expected(pg, &format!("{case}.sql"));
    assert!(want.lines().count() > 3, "the expected catalog of {case} is nearly empty:\n{want}");
    let got = generated(pg, &fixture(&format!("{case}.prisma")));
    let only = |a: &str, b: &str| a.lines().filter(|l| !b.lines().any(|m| m == *l)).collect::<Vec<_>>().join("\n");
    assert!(got == want, "{case}: the catalogs differ\nonly sqlite2pg's:\n{}\nonly prisma's:\n{}", only(&got, &want), only(&want, &got));
}

#[test]
fn every_scalar_type_with_and_without_db_attributes() {
    same_as_prisma("scalars");
}

#[test]
fn every_kind_of_default() {
    same_as_prisma("defaults");
}

#[test]
fn composite_ids_uniques_indexes_and_their_names() {
    same_as_prisma("keys");
}

#[test]
fn every_kind_of_relation() {
    same_as_prisma("relations");
}

#[test]
fn mapped_names_enums_and_lists() {
    same_as_prisma("mapped");
}

#[test]
fn multi_schema() {
    same_as_prisma("multischema");
}
