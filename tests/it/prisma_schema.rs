//! SCHEMA=schema.prisma: the schema sqlite2pg creates equals, in PostgreSQL's catalogs, the DDL Prisma's schema
//! engine creates for the same Prisma schema (tests/prisma/<case>.sql, written from Prisma's tests and docs)

use std::path::{Path, PathBuf};

use crate::common::pg::PgCluster;
use crate::support;
use crate::support::{migrate, snapshot, Fixture, Scope, EMPTY};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/prisma").join(name)
}

/// A database holding what Prisma creates: the expected DDL applied as it is.
fn expected(pg: &PgCluster, sql: &str) -> String {
    let db = pg.fresh_db();
    let text = std::fs::read_to_string(fixture(sql)).expect("expected ddl");
    pg.psql(&db, &text);
    snapshot(pg, &db, Scope::App)
}

/// The catalog after sqlite2pg applied SCHEMA=<schema> with an SQLite file that has no tables.
fn generated(pg: &PgCluster, schema: &Path) -> String {
    let sqlite = Fixture::new("PRAGMA user_version = 1;");
    let (run, db) = migrate(pg, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8 path"))]);
    run.assert_code(0);
    snapshot(pg, &db, Scope::App)
}

fn same_as_prisma(case: &str) {
    let pg = PgCluster::shared();
    let want = expected(pg, &format!("{case}.sql"));
    assert!(want.lines().count() > 3, "the expected catalog of {case} is nearly empty:\n{want}");
    let got = generated(pg, &fixture(&format!("{case}.prisma")));
    let only = |a: &str, b: &str| a.lines().filter(|l| !b.lines().any(|m| m == *l)).collect::<Vec<_>>().join("\n");
    assert!(
        got == want,
        "{case}: the catalogs differ\nonly sqlite2pg's:\n{}\nonly prisma's:\n{}",
        only(&got, &want),
        only(&want, &got)
    );
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

/// A dev.db as `prisma migrate dev` leaves it with provider = "sqlite": its DDL, AUTOINCREMENT ids (the last
/// user and post deleted since), DateTime as epoch milliseconds or text, Decimal as REAL or TEXT, Json in a
/// JSONB-declared column, BigInt, Bytes, Boolean as 0/1, enums as text, and an implicit many-to-many table.
fn prisma_dev_db() -> Fixture {
    Fixture::new(
        r#"
        CREATE TABLE "_prisma_migrations" (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL,
            logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, applied_steps_count INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, "role" TEXT NOT NULL DEFAULT 'USER',
            "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "balance" DECIMAL NOT NULL, "views" BIGINT NOT NULL,
            "avatar" BLOB, "meta" JSONB, "active" BOOLEAN NOT NULL DEFAULT true);
        CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
        CREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "authorId" INTEGER NOT NULL, "title" TEXT NOT NULL,
            "publishedAt" DATETIME, CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE);
        CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL);
        CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL,
            CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Post" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
            CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
        CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");
        CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");
        INSERT INTO "users" VALUES (1, 'a@x.org', 'ADMIN', 1700000000123, 10.1, 9007199254740993, x'00ff', '{"a":1}', 1);
        INSERT INTO "users" VALUES (2, 'b@x.org', 'USER', '2024-05-06 07:08:09', '0.3', 0, NULL, 42, 0);
        INSERT INTO "users" VALUES (3, 'c@x.org', 'USER', '2024-05-06T07:08:09.250+00:00', 1234567.89, -5, x'', NULL, 1);
        INSERT INTO "users" VALUES (4, 'gone@x.org', 'USER', 0, 0, 0, NULL, NULL, 1);
        DELETE FROM "users" WHERE id = 4;
        INSERT INTO "Post" VALUES (1, 1, 'Hello', NULL), (2, 3, 'World', 1700000000000), (7, 3, 'Gone', NULL);
        DELETE FROM "Post" WHERE id = 7;
        INSERT INTO "Tag" VALUES (1, 'rust'), (2, 'sql');
        INSERT INTO "_PostToTag" VALUES (1, 1), (1, 2), (2, 2);
        "#,
    )
}

const DEV_SCHEMA: &str = r#"
datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}

enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  role      Role     @default(USER)
  createdAt DateTime @default(now()) @map("created_at")
  balance   Decimal
  views     BigInt
  avatar    Bytes?
  meta      Json?
  active    Boolean  @default(true)
  posts     Post[]

  @@map("users")
}

model Post {
  id          Int       @id @default(autoincrement())
  authorId    Int
  author      User      @relation(fields: [authorId], references: [id])
  title       String
  publishedAt DateTime?
  tags        Tag[]
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String
  posts Post[]
}

view PostCount {
  authorId Int @unique
  posts    Int
}
"#;

fn write_schema(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write schema");
    path
}

#[test]
fn a_prisma_sqlite_database_loads_into_its_prisma_schema() {
    let pg = PgCluster::shared();
    let sqlite = prisma_dev_db();
    let schema = write_schema(sqlite.dir.path(), "schema.prisma", DEV_SCHEMA);
    for jobs in ["1", "4"] {
        let (run, db) = migrate(pg, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8")), ("JOBS", jobs)]);
        run.assert_code(0).assert_stderr_has("PostCount");
        assert_eq!(
            pg.psql(&db, "SELECT string_agg(concat_ws(' ', id, role, created_at, balance, views, encode(avatar, 'hex'), meta, active), E'\\n' ORDER BY id) FROM users"),
            "1 ADMIN 2023-11-14 22:13:20.123 10.100000000000000000000000000000 9007199254740993 00ff {\"a\": 1} t\n\
             2 USER 2024-05-06 07:08:09 0.300000000000000000000000000000 0 42 f\n\
             3 USER 2024-05-06 07:08:09.25 1234567.890000000000000000000000000000 -5  t"
        );
        assert_eq!(
            pg.psql(&db, "SELECT pg_typeof(role)::text || ' ' || pg_typeof(created_at)::text FROM users LIMIT 1"),
            "\"Role\" timestamp without time zone"
        );
        assert_eq!(
            pg.psql(&db, "SELECT string_agg(\"A\" || '-' || \"B\", ',' ORDER BY 1) FROM \"_PostToTag\""),
            "1-1,1-2,2-2"
        );
        // ids deleted in SQLite are not handed out again: the sequences start past sqlite_sequence
        assert_eq!(
            pg.psql(&db, "INSERT INTO users (email, balance, views) VALUES ('d@x.org', 1, 1) RETURNING id"),
            "5"
        );
        assert_eq!(pg.psql(&db, "INSERT INTO \"Post\" (\"authorId\", title) VALUES (1, 'x') RETURNING id"), "8");
        assert_eq!(pg.psql(&db, "INSERT INTO \"Tag\" (name) VALUES ('x') RETURNING id"), "3");
        // the relation's foreign key and Prisma's join-table key are in place
        assert!(pg.try_psql(&db, "INSERT INTO \"Post\" (\"authorId\", title) VALUES (99, 'x')").is_err());
        assert!(pg.try_psql(&db, "INSERT INTO \"_PostToTag\" VALUES (1, 1)").is_err());
        // the view is reported as skipped, and nothing of SQLite's ledger came along
        assert_eq!(
            pg.psql(&db, "SELECT count(*) FROM pg_class WHERE relname IN ('PostCount', '_prisma_migrations')"),
            "0"
        );
        // the ledger records the mode and the generated DDL as a schema file named after the .prisma file
        assert_eq!(pg.psql(&db, "SELECT schema_mode FROM sqlite2pg.runs"), "prisma");
        assert_eq!(
            pg.psql(&db, "SELECT name || ' ' || length(checksum) FROM sqlite2pg.schema_files"),
            "schema.prisma 64"
        );
        // a rerun has nothing to do, also after the schema.prisma changed (prisma db push owns the schema then)
        std::fs::write(&schema, DEV_SCHEMA.replace("name  String", "name  String?")).expect("edit schema");
        support::migrate_into(pg, &db, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8"))])
            .assert_code(0)
            .assert_stderr_has("already migrated");
        // loading again is not applying the changed schema over Prisma's tables: the run says what to do
        let again = [("SCHEMA", schema.to_str().expect("utf-8")), ("ON_EXISTING", "replace"), ("JOBS", jobs)];
        support::migrate_into(pg, &db, &sqlite.path, &again)
            .assert_code(4)
            .assert_stderr_has("changed since sqlite2pg created the target's tables from it")
            .assert_stderr_has("run `prisma db push` first and then sqlite2pg with SCHEMA=none")
            .assert_no_leak("add a new file");
        // as advised: `prisma db push` (here its DDL for the edit), then SCHEMA=none loads into its tables
        pg.psql(&db, "ALTER TABLE \"Tag\" ALTER COLUMN name DROP NOT NULL");
        support::migrate_into(pg, &db, &sqlite.path, &[("SCHEMA", "none"), ("ON_EXISTING", "replace"), ("JOBS", jobs)])
            .assert_code(0);
        assert_eq!(pg.psql(&db, "SELECT string_agg(name, ',' ORDER BY id) FROM \"Tag\""), "rust,sql");
        std::fs::write(&schema, DEV_SCHEMA).expect("restore schema");
    }
}

/// In every schema mode, a serial or identity key moves past SQLite's AUTOINCREMENT high-water mark, not only
/// past the largest copied id: an id whose row was deleted is not handed out again.
#[test]
fn sequences_move_past_sqlite_sequence_in_every_schema_mode() {
    let pg = PgCluster::shared();
    let sqlite = Fixture::new(
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
         CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT);
         INSERT INTO t VALUES (1, 'a'), (2, 'b'), (10, 'gone');
         DELETE FROM t WHERE id = 10;
         INSERT INTO plain VALUES (1, 'a'), (5, 'b');",
    );
    let ddl = "CREATE TABLE t (id SERIAL PRIMARY KEY, v TEXT);\nCREATE TABLE plain (id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v TEXT);\n";
    let file = write_schema(sqlite.dir.path(), "schema.sql", ddl);
    let folder = sqlite.dir.path().join("folder");
    std::fs::create_dir(&folder).expect("mkdir");
    write_schema(&folder, "001_init.sql", ddl);
    let mut modes = vec![("file", vec![("SCHEMA", file.to_str().expect("utf-8"))])];
    modes.push(("file, one transaction", vec![("SCHEMA", file.to_str().expect("utf-8")), ("JOBS", "1")]));
    modes.push(("folder", vec![("SCHEMA", folder.to_str().expect("utf-8"))]));
    modes.push(("auto", vec![]));
    modes.push(("none", vec![("SCHEMA", "none")]));
    for (mode, env) in modes {
        let db = pg.fresh_db();
        if mode == "none" {
            pg.psql(&db, ddl);
        }
        support::migrate_into(pg, &db, &sqlite.path, &env).assert_code(0);
        assert_eq!(pg.psql(&db, "INSERT INTO t (v) VALUES ('new') RETURNING id"), "11", "{mode}");
        assert_eq!(pg.psql(&db, "INSERT INTO plain (v) VALUES ('new') RETURNING id"), "6", "{mode}");
    }
}

/// --check with a Prisma schema lists every field the SQLite data cannot fill exactly, and writes nothing.
#[test]
fn check_lists_every_field_the_data_cannot_fill() {
    let pg = PgCluster::shared();
    let sqlite = Fixture::new(
        r#"CREATE TABLE "User" (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, email TEXT, role TEXT NOT NULL, nick TEXT, age INTEGER, extra TEXT);
           INSERT INTO "User" VALUES (1, 'a', 'USER', 'abcdef', 5, 'x'), (2, 'b', 'BOSS', 'ab', 99999999999, 'y'), (3, 'c', 'ADMIN', 'abc', 'old', NULL);
           CREATE TABLE "Stray" (id INTEGER PRIMARY KEY);
           INSERT INTO "User" VALUES (4, NULL, 'USER', NULL, NULL, NULL);"#,
    );
    let schema = write_schema(
        sqlite.dir.path(),
        "schema.prisma",
        "datasource db {\n provider = \"sqlite\"\n url = \"file:./dev.db\"\n}\nenum Role {\n USER\n ADMIN\n}\n\
         model User {\n id Int @id @default(autoincrement())\n email String @unique\n role Role\n nick String? @db.VarChar(3)\n age Int?\n name String\n}\n",
    );
    let (run, db) = migrate(pg, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8")), ("CHECK_ONLY", "true")]);
    run.assert_code(4)
        .assert_stderr_has("sqlite table \"Stray\" has no table in the target schema")
        .assert_stderr_has("sqlite column \"User\".\"extra\" has no column")
        .assert_stderr_has(
            "target column \"User\".\"name\" is NOT NULL without a default, and no sqlite column feeds it",
        )
        // the same run lists the values too: NULL in a required field, and what does not convert
        .assert_stderr_has("table \"User\", column \"email\", sqlite rowid 4: NULL, but \"User\".\"email\" is NOT NULL")
        .assert_stderr_has("table \"User\", column \"nick\", sqlite rowid 1: value is too long for varchar(3)")
        .assert_stderr_has("table \"User\", column \"role\", sqlite rowid 2: not one of the enum's labels")
        .assert_stderr_has("table \"User\", column \"age\", sqlite rowid 2: integer out of range")
        .assert_stderr_has("table \"User\", column \"age\", sqlite rowid 3: text is not an integer")
        .assert_no_leak("abcdef")
        .assert_no_leak("BOSS");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
    // without CHECK_ONLY the structure stops the run before any row is read: NULLs are listed, nothing written
    let (run, db) = migrate(pg, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8")), ("JOBS", "1")]);
    run.assert_code(4)
        .assert_stderr_has("sqlite table \"Stray\" has no table in the target schema")
        .assert_stderr_has("sqlite rowid 4: NULL, but \"User\".\"email\" is NOT NULL");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
    // with the structure right, every value that does not fit, by table, column and rowid, never the value
    let sqlite2 = Fixture::new(
        r#"CREATE TABLE "User" (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, role TEXT NOT NULL, nick TEXT, age INTEGER, name TEXT);
           INSERT INTO "User" VALUES (1, 'a', 'USER', 'abcdef', 5, 'x'), (2, 'b', 'BOSS', 'ab', 99999999999, 'y'), (3, 'c', 'ADMIN', 'abc', 'old', 'z');"#,
    );
    let (run, db) = migrate(pg, &sqlite2.path, &[("SCHEMA", schema.to_str().expect("utf-8")), ("CHECK_ONLY", "true")]);
    run.assert_code(5)
        .assert_stderr_has("table \"User\", column \"nick\", sqlite rowid 1: value is too long for varchar(3)")
        .assert_stderr_has("table \"User\", column \"role\", sqlite rowid 2: not one of the enum's labels")
        .assert_stderr_has("table \"User\", column \"age\", sqlite rowid 2: integer out of range")
        .assert_stderr_has("table \"User\", column \"age\", sqlite rowid 3: text is not an integer")
        .assert_no_leak("abcdef")
        .assert_no_leak("BOSS");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
    let sqlite3 = Fixture::new(
        r#"CREATE TABLE "User" (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, role TEXT NOT NULL, nick TEXT, age INTEGER, name TEXT);
           INSERT INTO "User" VALUES (1, 'a', 'USER', 'abc', 5, 'x'), (4, 'd', 'USER', NULL, NULL, NULL);"#,
    );
    // NULL where the field is required: every row named, with and without CHECK_ONLY, staged or not
    for extra in [("CHECK_ONLY", "true"), ("JOBS", "4"), ("JOBS", "1")] {
        let (run, db) = migrate(pg, &sqlite3.path, &[("SCHEMA", schema.to_str().expect("utf-8")), extra]);
        run.assert_code(5).assert_stderr_has(
            "table \"User\", column \"name\", sqlite rowid 4: NULL, but \"User\".\"name\" is NOT NULL",
        );
        assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY, "{extra:?}");
    }
}

/// What Prisma's PostgreSQL schema cannot hold, or sqlite2pg cannot generate, is listed all at once: exit 4.
#[test]
fn unsupported_constructs_are_all_listed() {
    let pg = PgCluster::shared();
    let sqlite = Fixture::new("PRAGMA user_version = 1;");
    let schema = write_schema(
        sqlite.dir.path(),
        "schema.prisma",
        "datasource db {\n provider = \"postgresql\"\n url = env(\"DATABASE_URL\")\n}\n\
         type Address {\n street String\n}\n\
         model A {\n id Int @id\n n Int @db.VarChar(3)\n t String @db.TinyInt\n s String @default(sequence())\n x Missing\n\
         b Bytes @default(\"AAE=\")\n @@fulltext([t])\n @@index([t], ops: raw(\"x\"))\n}\n",
    );
    let (run, db) = migrate(pg, &sqlite.path, &[("SCHEMA", schema.to_str().expect("utf-8"))]);
    run.assert_code(4)
        .assert_stderr_has("composite types")
        .assert_stderr_has("field n: @db.VarChar applies to String fields, not Int")
        .assert_stderr_has("field t: @db.TinyInt is not a PostgreSQL native type")
        .assert_stderr_has("field s: @default(sequence(...)) is not supported")
        .assert_stderr_has("field x: unknown type Missing")
        .assert_stderr_has("field b: a default for a Bytes field is not supported")
        .assert_stderr_has("model A: @@fulltext is not supported")
        .assert_stderr_has("model A: @@index(ops: ...) is not supported");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
    let broken = write_schema(sqlite.dir.path(), "broken.prisma", "model A {\n id Int @id\n");
    let (run, _) = migrate(pg, &sqlite.path, &[("SCHEMA", broken.to_str().expect("utf-8"))]);
    run.assert_code(4).assert_stderr_has("broken.prisma");
}

/// SCHEMA may name the folder holding schema.prisma (next to its SQLite migrations), or a multi-file schema
/// folder: the same schema results.
#[test]
fn a_folder_holding_the_schema_and_a_multi_file_schema_folder() {
    let pg = PgCluster::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let holding = dir.path().join("prisma");
    std::fs::create_dir_all(holding.join("migrations/20240101000000_init")).expect("mkdir");
    std::fs::copy(fixture("keys.prisma"), holding.join("schema.prisma")).expect("copy");
    std::fs::write(holding.join("migrations/migration_lock.toml"), "provider = \"sqlite\"\n").expect("write");
    std::fs::write(
        holding.join("migrations/20240101000000_init/migration.sql"),
        "CREATE TABLE \"x\" (\"id\" INTEGER);\n",
    )
    .expect("write");
    assert_eq!(generated(pg, &holding), expected(pg, "keys.sql"));

    let multi = dir.path().join("schema");
    std::fs::create_dir_all(multi.join("models")).expect("mkdir");
    let text = std::fs::read_to_string(fixture("mapped.prisma")).expect("read");
    let (head, enums) = text.split_at(text.find("enum Ripeness").expect("enums"));
    let (datasource, models) = head.split_at(head.find("model Avocado").expect("models"));
    std::fs::write(multi.join("schema.prisma"), datasource).expect("write");
    std::fs::write(multi.join("models/avocado.prisma"), models).expect("write");
    std::fs::write(multi.join("enums.prisma"), enums).expect("write");
    assert_eq!(generated(pg, &multi), expected(pg, "mapped.sql"));
}

#[test]
fn every_construct_at_once() {
    same_as_prisma("everything");
}

/// examples/prisma: the marketplace's dev.db loads into its schema.prisma, and dev.db is what dev.sql builds.
#[test]
fn the_example_marketplace() {
    let pg = PgCluster::shared();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/prisma");
    let built = Fixture::new(&std::fs::read_to_string(example.join("dev.sql")).expect("dev.sql"));
    // the committed dev.db holds exactly what dev.sql writes: the schema, every value with its storage class, and
    // the AUTOINCREMENT state
    let dump = |p: &Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(p).expect("open");
        let mut out: Vec<String> = Vec::new();
        let objects: Vec<(String, String)> = conn
            .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|r| r.collect()))
            .expect("objects");
        for (name, sql) in objects {
            out.push(sql);
            let cols: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .and_then(|mut s| s.query_map([&name], |r| r.get(0)).and_then(|r| r.collect()))
                .expect("columns");
            if cols.is_empty() {
                continue;
            }
            let row = cols
                .iter()
                .map(|c| format!("typeof(\"{c}\") || ':' || quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || ',' || ");
            let rows: Vec<String> = conn
                .prepare(&format!("SELECT {row} FROM \"{name}\" ORDER BY 1"))
                .and_then(|mut s| s.query_map([], |r| r.get(0)).and_then(|r| r.collect()))
                .expect("rows");
            out.extend(rows);
        }
        out
    };
    assert_eq!(
        dump(&example.join("dev.db")),
        dump(&built.path),
        "examples/prisma/dev.db differs from what dev.sql builds"
    );
    let (run, db) =
        migrate(pg, &example.join("dev.db"), &[("SCHEMA", example.join("schema.prisma").to_str().expect("utf-8"))]);
    run.assert_code(0);
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(concat_ws(' ', id, email, role, encode(avatar, 'hex'), karma, settings, \"createdAt\", \"updatedAt\"), E'\\n' ORDER BY id) FROM \"User\""),
        "1 ada@example.org SELLER 89504e47 42 {\"theme\": \"dark\"} 2024-05-06 07:08:09.123 2024-05-06 07:08:09.123\n\
         2 bob@example.org BUYER 9007199254740993 2024-05-06 07:10:00 2024-05-06 07:10:00.5\n\
         3 cy@example.org ADMIN  -1 [1, 2] 2024-05-06 07:10:00 2024-05-06 07:10:00"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(concat_ws(' ', id, seller_id, price::float8, active, photos, \"publishedAt\"), E'\\n' ORDER BY id) FROM listings"),
        "1 1 120.5 t [\"a.jpg\", \"b.jpg\"] 2024-05-06 07:08:20\n2 1 19.99 f\n3 3 0.1 t 2024-05-07 10:00:00"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(id || ' ' || status || ' ' || total::float8, ',' ORDER BY id) FROM \"Order\""),
        "1 PAID 120.5,2 PENDING 0.1"
    );
    assert_eq!(pg.psql(&db, "SELECT string_agg(status || ' ' || amount::float8 || ' ' || coalesce(\"expiresAt\"::text, '-'), ',' ORDER BY id) FROM \"Offer\""),
        "DECLINED 100 2024-05-06 12:53:20,ACCEPTED 115.25 -,OPEN 0.05 2024-05-08 00:00:00");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM \"_Watchlist\""), "3");
    assert_eq!(pg.psql(&db, "SELECT pg_typeof(status)::text FROM \"Offer\" LIMIT 1"), "\"OfferStatus\"");
    // ids deleted in SQLite stay used
    assert_eq!(
        pg.psql(&db, "INSERT INTO \"User\" (email, \"updatedAt\") VALUES ('new@example.org', now()) RETURNING id"),
        "5"
    );
    assert_eq!(
        pg.psql(&db, "INSERT INTO \"Order\" (\"buyerId\", \"listingId\", total) VALUES (3, 3, 1) RETURNING id"),
        "4"
    );
}
