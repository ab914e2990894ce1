//! The application's own schema (SCHEMA = file, folder, Prisma folder, none) and conversion into declared types

use std::path::Path;

use crate::common::pg::PgCluster;
use crate::support;
use crate::support::{migrate_into, snapshot, Fixture, Scope, EMPTY};

/// A database as Prisma's native engine leaves it in SQLite.
fn prisma_sqlite() -> Fixture {
    Fixture::new(
        r#"
        CREATE TABLE "_prisma_migrations" (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL,
            logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, applied_steps_count INTEGER NOT NULL DEFAULT 0);
        INSERT INTO "_prisma_migrations" VALUES ('x', 'abc', 1700000000000, '20230101_sqlite_init', NULL, NULL, 1700000000000, 1);
        CREATE TABLE "User" (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'USER',
            createdAt DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, balance DECIMAL NOT NULL, meta JSONB, active BOOLEAN NOT NULL DEFAULT true);
        CREATE UNIQUE INDEX "User_email_key" ON "User"(email);
        CREATE TABLE "Post" (id INTEGER PRIMARY KEY AUTOINCREMENT, authorId INTEGER NOT NULL REFERENCES "User"(id), title TEXT NOT NULL, publishedAt DATETIME);
        INSERT INTO "User" VALUES (1, 'a@x.org', 'ADMIN', 1700000000123, 10.1, '{"a":1}', 1);
        INSERT INTO "User" VALUES (2, 'b@x.org', 'USER', '2024-05-06 07:08:09', 0.3, 42, 0);
        INSERT INTO "User" VALUES (3, 'c@x.org', 'USER', '2024-05-06T07:08:09.250+00:00', 1234567.89, 1.5, 1);
        INSERT INTO "Post" VALUES (1, 1, 'Hello', NULL), (2, 3, 'World', 1700000000000);
        "#,
    )
}

/// Prisma's documented PostgreSQL DDL for the same models.
const PRISMA_PG: &str = r#"-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "balance" DECIMAL(65,30) NOT NULL,
    "meta" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "authorId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3),
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
"#;

fn check_prisma_data(pg: &PgCluster, db: &str) {
    assert_eq!(
        pg.psql(db, "SELECT string_agg(id || ' ' || role || ' ' || \"createdAt\" || ' ' || balance::text || ' ' || coalesce(meta::text, '-') || ' ' || active, E'\\n' ORDER BY id) FROM \"User\""),
        "1 ADMIN 2023-11-14 22:13:20.123 10.100000000000000000000000000000 {\"a\": 1} true\n\
         2 USER 2024-05-06 07:08:09 0.300000000000000000000000000000 42 false\n\
         3 USER 2024-05-06 07:08:09.25 1234567.890000000000000000000000000000 1.5 true"
    );
    assert_eq!(
        pg.psql(db, "SELECT string_agg(coalesce(\"publishedAt\"::text, '-'), ',' ORDER BY id) FROM \"Post\""),
        "-,2023-11-14 22:13:20"
    );
    // serial sequences moved past the copied ids
    pg.psql(db, "INSERT INTO \"User\" (email, balance) VALUES ('d@x.org', 1)");
    assert_eq!(pg.psql(db, "SELECT max(id) FROM \"User\""), "4");
    // the foreign key is back
    assert!(pg.try_psql(db, "INSERT INTO \"Post\" (\"authorId\", title) VALUES (99, 'x')").is_err());
    // keys and indexes dropped for the load are back, exactly as the schema defined them
    assert_eq!(
        pg.psql(db, "SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('User', 'Post') AND indexname <> 'Post_title_idx'"),
        "CREATE UNIQUE INDEX \"Post_pkey\" ON public.\"Post\" USING btree (id)\n\
         CREATE UNIQUE INDEX \"User_email_key\" ON public.\"User\" USING btree (email)\n\
         CREATE UNIQUE INDEX \"User_pkey\" ON public.\"User\" USING btree (id)"
    );
    assert_eq!(pg.psql(db, "SELECT string_agg(conname || ':' || contype::text, ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE '\\_prisma%'"),
        "Post_authorId_fkey:f,Post_pkey:p,User_pkey:p");
}

#[test]
fn loads_into_a_schema_sql_file_once() {
    let pg = PgCluster::shared();
    let fx = prisma_sqlite();
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, PRISMA_PG).unwrap();
    let db = pg.fresh_db();
    let env = [("SCHEMA", sql.to_str().unwrap())];
    migrate_into(pg, &db, &fx.path, &env).assert_code(0);
    check_prisma_data(pg, &db);
    // the SQLite side's _prisma_migrations had no target table, so it was... refused? no: it maps only if present
    assert_eq!(pg.psql(&db, "SELECT name || ' ' || length(checksum) FROM sqlite2pg.schema_files"), "schema.sql 64");
    // a rerun is a no-op
    migrate_into(pg, &db, &fx.path, &env).assert_code(0).assert_stderr_has("already migrated");
    // CRLF line endings are the same file
    std::fs::write(&sql, PRISMA_PG.replace('\n', "\r\n")).unwrap();
    migrate_into(pg, &db, &fx.path, &env).assert_code(0);
    // a changed file is a schema error naming it
    std::fs::write(&sql, format!("{PRISMA_PG}\nCREATE INDEX extra ON \"Post\"(title);\n")).unwrap();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", sql.to_str().unwrap()), ("ON_EXISTING", "replace")])
        .assert_code(4)
        .assert_stderr_has("schema.sql");
}

fn prisma_folder(root: &Path, provider: &str) -> std::path::PathBuf {
    let dir = root.join("migrations");
    std::fs::create_dir_all(dir.join("20240101000000_init")).unwrap();
    std::fs::write(dir.join("20240101000000_init/migration.sql"), PRISMA_PG).unwrap();
    std::fs::create_dir_all(dir.join("20240202000000_post_index")).unwrap();
    std::fs::write(
        dir.join("20240202000000_post_index/migration.sql"),
        "-- CreateIndex\nCREATE INDEX \"Post_title_idx\" ON \"Post\"(\"title\");\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("migration_lock.toml"),
        format!("# Please do not edit this file manually\nprovider = \"{provider}\"\n"),
    )
    .unwrap();
    dir
}

#[test]
fn loads_into_a_prisma_migrations_folder_and_records_them_like_prisma() {
    let pg = PgCluster::shared();
    let fx = prisma_sqlite();
    let dir = prisma_folder(fx.dir.path(), "postgresql");
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", dir.to_str().unwrap())]).assert_code(0);
    check_prisma_data(pg, &db);
    let sha = |p: &str| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(dir.join(p)).unwrap()))
    };
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(migration_name || ' ' || checksum || ' ' || (finished_at IS NOT NULL) || ' ' || (rolled_back_at IS NULL) || ' ' || (logs IS NULL) || ' ' || applied_steps_count || ' ' || length(id), E'\\n' ORDER BY migration_name) FROM _prisma_migrations"),
        format!(
            "20240101000000_init {} true true true 1 36\n20240202000000_post_index {} true true true 1 36",
            sha("20240101000000_init/migration.sql"),
            sha("20240202000000_post_index/migration.sql")
        )
    );
    // the SQLite-side _prisma_migrations (SQLite migrations) was not copied over the target's own
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM _prisma_migrations WHERE migration_name LIKE '%sqlite%'"), "0");
    // a rerun applies nothing and copies nothing
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", dir.to_str().unwrap())])
        .assert_code(0)
        .assert_stderr_has("already migrated");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM _prisma_migrations"), "2");
}

#[test]
fn a_sqlite_provider_prisma_folder_is_refused_plainly() {
    let pg = PgCluster::shared();
    let fx = prisma_sqlite();
    let dir = prisma_folder(fx.dir.path(), "sqlite");
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", dir.to_str().unwrap())])
        .assert_code(4)
        .assert_stderr_has("SQLite migrations, not the PostgreSQL ones");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

#[test]
fn a_folder_of_sql_files_applies_each_once_in_order() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, price REAL); INSERT INTO item VALUES (1, 'a', 1.5), (2, 'b', 2.25);");
    let dir = fx.dir.path().join("sql");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("001_table.sql"), "CREATE TABLE item (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, price numeric(8,2), name_upper text GENERATED ALWAYS AS (upper(name)) STORED, created timestamptz NOT NULL DEFAULT now());\r\n").unwrap();
    std::fs::write(
        dir.join("002_index.sql"),
        "-- sqlite2pg:no-transaction\nCREATE INDEX CONCURRENTLY item_name ON item (name);\n",
    )
    .unwrap();
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", dir.to_str().unwrap())]).assert_code(0);
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(id || name || price || name_upper, ',' ORDER BY id) FROM item"),
        "1a1.50A,2b2.25B"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(name, ',' ORDER BY name) FROM sqlite2pg.schema_files"),
        "001_table.sql,002_index.sql"
    );
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'item_name'"), "1");
    // the ALWAYS identity moved past the copied ids
    pg.psql(&db, "INSERT INTO item (name) VALUES ('c')");
    assert_eq!(pg.psql(&db, "SELECT max(id) FROM item"), "3");
    // the same file with LF endings counts as unchanged
    std::fs::write(dir.join("001_table.sql"), "CREATE TABLE item (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, price numeric(8,2), name_upper text GENERATED ALWAYS AS (upper(name)) STORED, created timestamptz NOT NULL DEFAULT now());\n").unwrap();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", dir.to_str().unwrap())]).assert_code(0);
    // an edited applied file is refused, naming it
    std::fs::write(dir.join("001_table.sql"), "CREATE TABLE item (id bigint);\n").unwrap();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", dir.to_str().unwrap())])
        .assert_code(4)
        .assert_stderr_has("001_table.sql");
}

const DJANGO_SQLITE: &str = r#"
PRAGMA foreign_keys = OFF;
CREATE TABLE "shop_customer" ("id" char(32) NOT NULL PRIMARY KEY, "name" varchar(50) NOT NULL, "best_order_id" char(32) NULL REFERENCES "shop_order" ("id") DEFERRABLE INITIALLY DEFERRED,
    "joined" datetime NOT NULL, "vip" bool NOT NULL, "ip" char(39) NULL);
CREATE TABLE "shop_order" ("id" char(32) NOT NULL PRIMARY KEY, "customer_id" char(32) NOT NULL REFERENCES "shop_customer" ("id") DEFERRABLE INITIALLY DEFERRED,
    "took" bigint NOT NULL, "total" decimal NOT NULL, "placed" date NOT NULL, "data" text NOT NULL CHECK ((JSON_VALID("data") OR "data" IS NULL)));
CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);
INSERT INTO shop_customer VALUES ('0f8fad5bd9cb469fa16570867728950e', 'Ann', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', '2024-03-10 01:30:00.123456', 1, '192.168.0.1');
INSERT INTO shop_order VALUES ('a1b2c3d4e5f60718293a4b5c6d7e8f90', '0f8fad5bd9cb469fa16570867728950e', -1500000, 19.99, '2024-03-10', '{"k": [1, 2]}');
INSERT INTO django_migrations VALUES (1, 'shop', '0001_initial', '2024-01-01 00:00:00.000001');
"#;

const DJANGO_PG: &str = r#"
CREATE TABLE shop_customer (id uuid NOT NULL PRIMARY KEY, name varchar(50) NOT NULL, best_order_id uuid NULL, joined timestamptz NOT NULL, vip boolean NOT NULL, ip inet NULL);
CREATE TABLE shop_order (id uuid NOT NULL PRIMARY KEY, customer_id uuid NOT NULL, took interval NOT NULL, total numeric(10,2) NOT NULL, placed date NOT NULL, data jsonb NOT NULL);
ALTER TABLE shop_customer ADD CONSTRAINT shop_customer_best_order_fk FOREIGN KEY (best_order_id) REFERENCES shop_order (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE shop_order ADD CONSTRAINT shop_order_customer_fk FOREIGN KEY (customer_id) REFERENCES shop_customer (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE django_migrations (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL);
"#;

#[test]
fn django_database_into_existing_tables_on_a_non_utc_server() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(DJANGO_SQLITE);
    let db = pg.fresh_db();
    pg.psql(&db, &format!("ALTER DATABASE {db} SET timezone TO 'America/New_York'"));
    pg.psql(&db, DJANGO_PG);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]).assert_code(0);
    let q = |sql: &str| {
        pg.psql(&db, &format!("SET timezone TO 'UTC'; {sql}")).lines().last().unwrap_or_default().to_string()
    };
    assert_eq!(q("SELECT id || ' ' || name || ' ' || best_order_id || ' ' || joined || ' ' || vip || ' ' || host(ip) || '/' || masklen(ip) FROM shop_customer"),
        "0f8fad5b-d9cb-469f-a165-70867728950e Ann a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90 2024-03-10 01:30:00.123456+00 true 192.168.0.1/32");
    assert_eq!(
        q("SELECT extract(epoch FROM took) || ' ' || total || ' ' || placed || ' ' || (data->'k'->>1) FROM shop_order"),
        "-1.500000 19.99 2024-03-10 2"
    );
    // django_migrations is copied like any table, so Django does not re-run migrations
    assert_eq!(
        q("SELECT app || ' ' || name || ' ' || applied FROM django_migrations"),
        "shop 0001_initial 2024-01-01 00:00:00.000001+00"
    );
    // the deferrable cycle is intact
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND condeferrable"), "2");
}

#[test]
fn orphan_rows_are_reported_per_constraint() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE parent (id INTEGER PRIMARY KEY);
         CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
         INSERT INTO parent VALUES (1);
         INSERT INTO child VALUES (10, 1), (11, 2), (12, 3), (13, NULL);",
    );
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent(id))");
    let before = snapshot(pg, &db, Scope::All);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")])
        .assert_code(5)
        .assert_stderr_has("\"child\"(parent_id) -> \"parent\"(id): 2 orphan row(s); first sqlite rowids: 11, 12");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM child"), "0", "nothing committed");
    assert_eq!(
        pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"),
        "1",
        "the foreign key is still there"
    );
    assert_eq!(snapshot(pg, &db, Scope::All), before, "the target changed");
    // the same in auto mode
    let (run, _) = support::migrate(pg, &fx.path, &[]);
    run.assert_code(5).assert_stderr_has("2 orphan row(s); first sqlite rowids: 11, 12");
}

#[test]
fn unmapped_tables_and_columns_are_listed_together() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, extra TEXT); CREATE TABLE b (id INTEGER); CREATE TABLE c (id INTEGER);
         INSERT INTO a VALUES (1, 'x'); INSERT INTO c VALUES (5);",
    );
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE \"C\" (id int, required text NOT NULL)");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")])
        .assert_code(4)
        .assert_stderr_has("\"a\".\"extra\" has no column")
        .assert_stderr_has("sqlite table \"b\" has no table")
        .assert_stderr_has("\"C\".\"required\" is NOT NULL without a default")
        .assert_stderr_has("EXCLUDE_TABLES");
    // a case-insensitive match maps "c" onto "C"; excluding the rest makes it work
    pg.psql(&db, "ALTER TABLE \"C\" ALTER COLUMN required SET DEFAULT 'r'");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("EXCLUDE_TABLES", "a,b*")]).assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT id || required FROM \"C\""), "5r");
}

#[test]
fn values_that_do_not_fit_the_declared_type_fail_with_their_location() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT); INSERT INTO t VALUES (1, 5, 'ok'), (2, 70000, 'ok'), (3, 1, 'too long here');");
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE t (id int PRIMARY KEY, n smallint, s varchar(5))");
    let before = snapshot(pg, &db, Scope::All);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")])
        .assert_code(5)
        .assert_stderr_has("column \"n\", sqlite rowid 2");
    // --check reports every problem at once and commits nothing
    let out = support::sqlite2pg()
        .arg("--check")
        .env("SQLITE_PATH", &fx.path)
        .env("DATABASE_URL", pg.url(&db))
        .env("SCHEMA", "none")
        .output()
        .unwrap();
    support::Run::from_output(out)
        .assert_code(5)
        .assert_stderr_has("sqlite rowid 2")
        .assert_stderr_has("column \"s\", sqlite rowid 3");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM t"), "0");
    assert_eq!(snapshot(pg, &db, Scope::All), before, "the target changed");
}

#[test]
fn check_only_applies_nothing_and_exits_0_when_a_run_would_succeed() {
    let pg = PgCluster::shared();
    let fx = prisma_sqlite();
    let sql = fx.dir.path().join("schema.sql");
    std::fs::write(&sql, PRISMA_PG).unwrap();
    let db = pg.fresh_db();
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", sql.to_str().unwrap()), ("CHECK_ONLY", "true")])
        .assert_code(0)
        .assert_stderr_has("checked");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "nothing applied");
    let (run, db) = support::migrate(pg, &fx.path, &[("CHECK_ONLY", "true")]);
    run.assert_code(0);
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

#[test]
fn column_formats_override_the_epoch_guess() {
    let pg = PgCluster::shared();
    let fx =
        Fixture::new("CREATE TABLE ev (id INTEGER PRIMARY KEY, at INTEGER); INSERT INTO ev VALUES (1, 1700000000123);");
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE ev (id int PRIMARY KEY, at timestamp(6))");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]).assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT at FROM ev"), "2023-11-14 22:13:20.123", "by magnitude: milliseconds");
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE ev (id int PRIMARY KEY, at timestamp(6))");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("COLUMN_FORMATS", "ev.at=epoch_us")]).assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT at FROM ev"), "1970-01-20 16:13:20.000123", "forced: microseconds");
}
