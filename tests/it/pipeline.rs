//! Black-box runs of the binary against a real PostgreSQL: schema translation, identity, errors, exit codes

use crate::common::pg::PgCluster;
use crate::support;
use crate::support::{migrate, migrate_into, snapshot, sqlite2pg, Fixture, Run, Scope, EMPTY};

const SHOP: &str = r#"
PRAGMA foreign_keys = ON;
CREATE TABLE "User" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(120) NOT NULL UNIQUE,
    "display Name" TEXT DEFAULT 'anon',
    isAdmin BOOLEAN NOT NULL DEFAULT 0,
    createdAt DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    balance DECIMAL(12,2) CHECK (balance >= 0),
    CONSTRAINT email_has_at CHECK (email LIKE '%@%')
);
CREATE TABLE listing (
    id INTEGER PRIMARY KEY,
    seller_id INTEGER NOT NULL REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE NO ACTION,
    title TEXT NOT NULL,
    price REAL NOT NULL,
    image BLOB,
    tags JSON,
    parent_id INTEGER REFERENCES listing(id) ON DELETE SET NULL
);
CREATE INDEX listing_title_lower ON listing (lower(title));
CREATE INDEX listing_cheap ON listing (price) WHERE price < 10;
CREATE UNIQUE INDEX listing_seller_title ON listing (seller_id, title DESC);
CREATE TABLE "order" (
    buyer INTEGER NOT NULL REFERENCES "User"(id),
    listing INTEGER NOT NULL REFERENCES listing(id),
    qty INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (buyer, listing)
) WITHOUT ROWID;
CREATE TABLE audit (n INTEGER, twice INTEGER GENERATED ALWAYS AS (n * 2) STORED, label TEXT AS (upper(kind)) VIRTUAL, kind TEXT);
CREATE TABLE strict_t (a INTEGER, b TEXT, c ANY) STRICT;
CREATE VIEW rich AS SELECT id, email FROM "User" WHERE balance > 100;
CREATE TRIGGER user_audit AFTER INSERT ON "User" BEGIN INSERT INTO audit (n, kind) VALUES (new.id, 'user'); END;
INSERT INTO "User" (id, email, isAdmin, createdAt, balance) VALUES (1, 'a@x.org', 1, '2024-01-02 03:04:05', 150.25);
INSERT INTO "User" (id, email, "display Name", createdAt, balance) VALUES (7, 'b@x.org', 'Bé', '2024-02-03T04:05:06.789', 0.1);
DELETE FROM sqlite_sequence; INSERT INTO sqlite_sequence VALUES ('User', 40);
INSERT INTO listing VALUES (1, 1, 'Lamp', 9.99, X'00FF10', '["a","b"]', NULL);
INSERT INTO listing VALUES (5, 7, 'Chair', 120.5, NULL, NULL, 1);
INSERT INTO "order" VALUES (1, 5, 2), (7, 1, 1);
INSERT INTO strict_t VALUES (1, 'x', 2.5);
"#;

#[test]
fn migrates_schema_constraints_and_identity() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SHOP);
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0).assert_stderr_has("migrated");
    // skipped objects are named with a reason
    run.assert_stderr_has("skipped trigger \"user_audit\"");

    let types = pg.psql(
        &db,
        "SELECT string_agg(column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY ordinal_position) \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'User'",
    );
    assert_eq!(
        types,
        "id:integer:NO,email:character varying:NO,display Name:text:YES,isAdmin:boolean:NO,\
         createdAt:timestamp without time zone:NO,balance:numeric:YES"
    );
    assert_eq!(pg.psql(&db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"User\"'::regclass AND attname = 'balance'"), "numeric(12,2)");
    assert_eq!(pg.psql(&db, "SELECT string_agg(\"display Name\", ',' ORDER BY id) FROM \"User\""), "anon,Bé");
    assert_eq!(pg.psql(&db, "SELECT balance::text FROM \"User\" WHERE id = 7"), "0.10");
    assert_eq!(pg.psql(&db, "SELECT \"createdAt\"::text FROM \"User\" WHERE id = 7"), "2024-02-03 04:05:06.789");

    // constraints: primary keys, unique, checks, foreign keys with actions, indexes
    let cons = pg.psql(&db, "SELECT string_agg(conrelid::regclass::text || ':' || contype::text || ':' || pg_get_constraintdef(oid), E'\\n' ORDER BY 1) FROM pg_constraint WHERE connamespace = 'public'::regnamespace");
    for expected in [
        "\"User\":c:CHECK ((balance >= (0)::numeric))",
        "\"User\":p:PRIMARY KEY (id)",
        "\"User\":u:UNIQUE (email)",
        "listing:f:FOREIGN KEY (seller_id) REFERENCES \"User\"(id) ON DELETE CASCADE",
        "listing:f:FOREIGN KEY (parent_id) REFERENCES listing(id) ON DELETE SET NULL",
        "\"order\":p:PRIMARY KEY (buyer, listing)",
        "\"order\":f:FOREIGN KEY (listing) REFERENCES listing(id)",
    ] {
        assert!(cons.contains(expected), "missing {expected} in\n{cons}");
    }
    assert_eq!(
        pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE conname = 'email_has_at'"),
        "1",
        "named check kept"
    );
    let idx = pg.psql(
        &db,
        "SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'",
    );
    assert!(
        idx.contains("CREATE INDEX listing_title_lower ON public.listing USING btree (lower((title COLLATE \"C\")))"),
        "{idx}"
    );
    assert!(
        idx.contains(
            "CREATE INDEX listing_cheap ON public.listing USING btree (price) WHERE (price < (10)::double precision)"
        ),
        "{idx}"
    );
    assert!(
        idx.contains("CREATE UNIQUE INDEX listing_seller_title ON public.listing USING btree (seller_id, title DESC)"),
        "{idx}"
    );

    // defaults work for new rows
    pg.psql(&db, "INSERT INTO \"User\" (email) VALUES ('c@x.org')");
    assert_eq!(pg.psql(&db, "SELECT id, \"isAdmin\", \"display Name\", \"createdAt\" > now() - interval '1 day' FROM \"User\" WHERE email = 'c@x.org'"), "41|f|anon|t");
    // a plain INTEGER PRIMARY KEY restarts past the max id
    pg.psql(&db, "INSERT INTO listing (seller_id, title, price) VALUES (1, 'New', 1)");
    assert_eq!(pg.psql(&db, "SELECT max(id) FROM listing"), "6");
    // generated columns are computed by PostgreSQL
    pg.psql(&db, "INSERT INTO audit (n, kind) VALUES (21, 'k')");
    assert_eq!(pg.psql(&db, "SELECT string_agg(twice || label, ',' ORDER BY n) FROM audit"), "2USER,14USER,42K");
    // WITHOUT ROWID, STRICT, the view
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM \"order\""), "2");
    assert_eq!(pg.psql(&db, "SELECT a, b, c FROM strict_t"), "1|x|2.5");
    assert_eq!(pg.psql(&db, "SELECT email FROM rich"), "a@x.org");
    // foreign keys act
    pg.psql(&db, "DELETE FROM \"order\"; DELETE FROM \"User\" WHERE id = 7");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM listing WHERE seller_id = 7"), "0");
}

#[test]
fn target_schema_is_created_and_report_written() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');");
    let report = fx.dir.path().join("report.json");
    let (run, db) = migrate(pg, &fx.path, &[("TARGET_SCHEMA", "App Data"), ("REPORT_PATH", report.to_str().unwrap())]);
    run.assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT string_agg(v, ',' ORDER BY id) FROM \"App Data\".t"), "a,b");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["outcome"], "migrated");
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["tables"][0]["table"], "t");
    assert_eq!(json["tables"][0]["source_rows"], 2);
    assert_eq!(json["tables"][0]["copied_rows"], 2);
    assert!(json["tables"][0]["seconds"].as_f64().is_some());
    assert_eq!(json["total_rows"], 2);
}

#[test]
fn a_bad_value_fails_with_its_location_and_commits_nothing() {
    let pg = PgCluster::shared();
    let fx = Fixture::with(|c| {
        c.execute_batch(
            "CREATE TABLE good (id INTEGER PRIMARY KEY); INSERT INTO good VALUES (1);
                         CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT);",
        )
        .unwrap();
        c.execute("INSERT INTO files VALUES (1, 'ok.txt')", []).unwrap();
        c.execute("INSERT INTO files VALUES (2, ?1)", [rusqlite::types::Value::Blob(b"SECRETVALUE\x96".to_vec())])
            .unwrap();
    });
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(5)
        .assert_stderr_has("table \"files\", column \"name\", sqlite rowid 2")
        .assert_stderr_has("utf-8")
        .assert_no_leak("SECRETVALUE");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "target untouched");
}

#[test]
fn nul_bytes_in_text_are_refused() {
    let pg = PgCluster::shared();
    let fx = Fixture::with(|c| {
        c.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);").unwrap();
        c.execute("INSERT INTO t VALUES (3, CAST(?1 AS TEXT))", [rusqlite::types::Value::Blob(b"a\0b".to_vec())])
            .unwrap();
    });
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(5).assert_stderr_has("column \"s\", sqlite rowid 3");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

#[test]
fn untranslatable_expressions_are_listed_together() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE a (x TEXT CHECK (x MATCH 'a'), y TEXT DEFAULT (printf('%.20e', 1.5)));
         CREATE TABLE b (z TEXT CHECK (typeof(z) = 'text'));",
    );
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(4)
        .assert_stderr_has("3 object(s) cannot be translated")
        .assert_stderr_has("table \"a\", column \"x\"")
        .assert_stderr_has("table \"a\", column \"y\"")
        .assert_stderr_has("table \"b\", column \"z\"");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

#[test]
fn strict_schema_turns_skips_into_errors() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (a INTEGER); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;");
    let (run, db) = migrate(pg, &fx.path, &[("STRICT_SCHEMA", "true")]);
    run.assert_code(4).assert_stderr_has("trigger \"tr\"");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

#[test]
fn long_names_that_collide_are_an_error_naming_both() {
    let pg = PgCluster::shared();
    let a = "c".repeat(63) + "1";
    let b = "c".repeat(63) + "2";
    let fx = Fixture::new(&format!("CREATE TABLE t (\"{a}\" INTEGER, \"{b}\" INTEGER);"));
    let (run, _db) = migrate(pg, &fx.path, &[]);
    run.assert_code(4).assert_stderr_has(&a).assert_stderr_has(&b);
}

#[test]
fn not_a_database_is_a_data_error_before_touching_the_target() {
    let pg = PgCluster::shared();
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage.sqlite", b"this is not a database at all, just some text".to_vec()),
        ("empty.sqlite", Vec::new()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (run, db) = migrate(pg, &path, &[]);
        run.assert_code(5).assert_stderr_has("not a sqlite database");
        assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
    }
    // a database truncated mid-file: the header is fine, pages are missing
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i, printf('%0100d', i) FROM n;");
    let bytes = std::fs::read(&fx.path).unwrap();
    let cut = dir.path().join("cut.sqlite");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (run, db) = migrate(pg, &cut, &[]);
    run.assert_code(5);
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

#[test]
fn configuration_errors_exit_2() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (a INTEGER);");
    let db = pg.fresh_db();
    migrate_into(pg, &db, std::path::Path::new("/no/such/file.sqlite"), &[])
        .assert_code(2)
        .assert_stderr_has("does not exist");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "magic")]).assert_code(2).assert_stderr_has("SCHEMA=magic");
    // a folder is a fleet of files (tests/it/fleet.rs); one without a SQLite file is a configuration error
    let empty = tempfile::tempdir().unwrap();
    migrate_into(pg, &db, empty.path(), &[]).assert_code(2).assert_stderr_has("directory");
    migrate_into(pg, &db, &fx.path, &[("JOBS", "0")]).assert_code(2).assert_stderr_has("JOBS must be");
    migrate_into(pg, &db, &fx.path, &[("TARGET_SCHEMA", "sqlite2pg_staging")])
        .assert_code(2)
        .assert_stderr_has("cannot be sqlite2pg_staging");
    let mut cmd = support::sqlite2pg();
    let out = cmd.env("SQLITE_PATH", &fx.path).env("DATABASE_URL", "postgres://u:hunter2secret@[bad").output().unwrap();
    support::Run::from_output(out).assert_code(2).assert_no_leak("hunter2secret");
    let out = support::sqlite2pg().output().unwrap();
    support::Run::from_output(out).assert_code(2).assert_stderr_has("SQLITE_PATH is required");
    let out = support::sqlite2pg().arg("--version").output().unwrap();
    support::Run::from_output(out).assert_code(0);
    let out = support::sqlite2pg().arg("--help").output().unwrap();
    let help = support::Run::from_output(out);
    help.assert_code(0);
    for flag in
        ["--sqlite-path", "--database-url", "--schema", "--target-schema", "--wait-timeout", "--report-path", "--jobs"]
    {
        assert!(help.stdout.contains(flag), "--help lacks {flag}");
    }
}

#[test]
fn flags_mirror_environment_variables() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);");
    let db = pg.fresh_db();
    let out = support::sqlite2pg()
        .arg("--sqlite-path")
        .arg(&fx.path)
        .arg("--database-url")
        .arg(pg.url(&db))
        .arg("--target-schema")
        .arg("flagged")
        .output()
        .unwrap();
    support::Run::from_output(out).assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT a FROM flagged.t"), "1");
}

#[test]
fn wrong_password_fails_fast_without_leaking_it() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (a INTEGER);");
    let db = pg.fresh_db();
    let url = format!("postgres://postgres:Wr0ngPassw0rd@127.0.0.1:{}/{db}", pg.port());
    let started = std::time::Instant::now();
    let out = support::sqlite2pg()
        .env("SQLITE_PATH", &fx.path)
        .env("DATABASE_URL", &url)
        .env("WAIT_TIMEOUT", "30")
        .output()
        .unwrap();
    let run = support::Run::from_output(out);
    run.assert_code(3).assert_no_leak("Wr0ngPassw0rd");
    assert!(started.elapsed().as_secs() < 15, "a refusal must not wait for the timeout");
    // PGPASSWORD too
    let out = support::sqlite2pg()
        .env("SQLITE_PATH", &fx.path)
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", pg.port().to_string())
        .env("PGUSER", "postgres")
        .env("PGPASSWORD", "Wr0ngPassw0rd")
        .env("PGDATABASE", &db)
        .output()
        .unwrap();
    support::Run::from_output(out).assert_code(3).assert_no_leak("Wr0ngPassw0rd");
}

#[test]
fn nothing_listening_times_out_with_exit_3() {
    let fx = Fixture::new("CREATE TABLE t (a INTEGER);");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = support::sqlite2pg()
        .env("SQLITE_PATH", &fx.path)
        .env("DATABASE_URL", format!("postgres://postgres:pw@127.0.0.1:{port}/x"))
        .env("WAIT_TIMEOUT", "2")
        .output()
        .unwrap();
    support::Run::from_output(out).assert_code(3);
}

#[test]
fn waits_for_a_server_that_starts_late() {
    let pg = PgCluster::start(Default::default());
    let db = pg.fresh_db();
    let fx = Fixture::new("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2);");
    pg.stop();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sqlite2pg"));
    cmd.env_clear()
        .env("SQLITE_PATH", &fx.path)
        .env("DATABASE_URL", pg.url(&db))
        .env("WAIT_TIMEOUT", "60")
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    pg.start_again();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM t"), "2");
}

#[test]
fn sqlite_file_is_not_modified_and_nothing_is_created_beside_it() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("PRAGMA journal_mode=WAL; CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);");
    let before = std::fs::read(&fx.path).unwrap();
    let listing = |p: &std::path::Path| {
        let mut v: Vec<String> =
            std::fs::read_dir(p).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    let files_before = listing(fx.dir.path());
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT a FROM t"), "1");
    assert_eq!(std::fs::read(&fx.path).unwrap(), before);
    assert_eq!(listing(fx.dir.path()), files_before);
}

#[test]
fn large_values_stream_through_exactly() {
    let pg = PgCluster::shared();
    let blob: Vec<u8> = (0..6_000_000u64).map(|i| u8::try_from((i * 7919) % 251).unwrap()).collect();
    let text: String = "héllo wörld ".repeat(500_000);
    let fx = Fixture::with(|c| {
        c.execute_batch("CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB, t TEXT, small TEXT)").unwrap();
        c.execute("INSERT INTO big VALUES (1, ?1, ?2, 'x')", rusqlite::params![blob, text]).unwrap();
        c.execute("INSERT INTO big VALUES (2, x'00', 'y', 'z')", []).unwrap();
    });
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    let md5 = |b: &[u8]| {
        use std::fmt::Write;
        let out = std::process::Command::new("md5sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut out.stdin.as_ref().unwrap(), b).unwrap();
        let o = out.wait_with_output().unwrap();
        let mut s = String::new();
        write!(s, "{}", String::from_utf8_lossy(&o.stdout).split_whitespace().next().unwrap()).unwrap();
        s
    };
    assert_eq!(
        pg.psql(&db, "SELECT md5(b) || ' ' || md5(t) || ' ' || small FROM big WHERE id = 1"),
        format!("{} {} x", md5(&blob), md5(text.as_bytes()))
    );
    assert_eq!(pg.psql(&db, "SELECT encode(b, 'hex') || t || small FROM big WHERE id = 2"), "00yz");
}

/// The schemas a snapshot lists.
fn schemas(snapshot: &str) -> Vec<&str> {
    snapshot.lines().filter(|l| l.starts_with("schema ")).collect()
}

#[test]
fn one_connection_and_the_parallel_load_give_the_same_database() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SHOP);
    let (serial, serial_db) = migrate(pg, &fx.path, &[("JOBS", "1")]);
    serial.assert_code(0);
    assert!(!serial.stderr.contains("published"), "JOBS=1 must not stage:\n{}", serial.stderr);
    let (parallel, parallel_db) = migrate(pg, &fx.path, &[("JOBS", "3")]);
    parallel.assert_code(0).assert_stderr_has("published 5 table(s) into \"public\" in one transaction");
    let (one, many) = (snapshot(pg, &serial_db, Scope::All), snapshot(pg, &parallel_db, Scope::All));
    if one != many {
        let only = |a: &str, b: &str| a.lines().filter(|l| !b.lines().any(|m| m == *l)).collect::<Vec<_>>().join("\n");
        panic!("the databases differ\nonly JOBS=1:\n{}\nonly JOBS=3:\n{}", only(&one, &many), only(&many, &one));
    }
    assert!(many.contains("listing_seller_title"), "the comparison saw no indexes");
    assert_eq!(schemas(&many), ["schema public", "schema sqlite2pg"], "staging schema left behind");
}

/// A role PostgreSQL lets open only a few connections (its CONNECTION LIMIT, like a server at max_connections):
/// the staged load goes on with the connections it gets besides the run's own and the lock's; with none, it loads
/// in one transaction on the run's own; with not even the lock's, the lock is taken in that one transaction.
/// Every way, the database is the one JOBS=1 gives.
#[test]
fn too_few_connections_for_jobs_still_give_the_same_database() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SHOP);
    let (serial, serial_db) = migrate(pg, &fx.path, &[("JOBS", "1")]);
    serial.assert_code(0);
    let expected = snapshot(pg, &serial_db, Scope::All);
    let cases = [
        (3, "going on with 1 worker connection(s)"),
        (2, "loading in one transaction on it"),
        (1, "the migration lock and the whole load share it"),
    ];
    for (limit, says) in cases {
        let db = pg.fresh_db();
        let role = format!("few_{db}");
        pg.psql(&db, &format!("CREATE ROLE \"{role}\" LOGIN PASSWORD 'pw' CONNECTION LIMIT {limit}; ALTER DATABASE \"{db}\" OWNER TO \"{role}\""));
        let url = format!("postgres://{role}:pw@127.0.0.1:{}/{db}", pg.port());
        let out = sqlite2pg()
            .env("SQLITE_PATH", &fx.path)
            .env("DATABASE_URL", url)
            .env("JOBS", "4")
            .env("WAIT_TIMEOUT", "10")
            .output()
            .unwrap();
        let run = Run::from_output(out);
        run.assert_code(0).assert_stderr_has(says);
        let got = snapshot(pg, &db, Scope::All);
        assert_eq!(got, expected, "CONNECTION LIMIT {limit}: not the database JOBS=1 gives");
        assert_eq!(schemas(&got), ["schema public", "schema sqlite2pg"], "staging schema left behind");
    }
}

/// Names the new tables or their indexes need, held in the target schema by something else (a view named like a
/// table, a type named like one, another table's index named like SQLite's): refused before anything is loaded,
/// each named, with one connection and with the staged load.
#[test]
fn names_held_in_the_target_schema_are_refused_before_loading() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX a_v ON a (v);
         CREATE TABLE b (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY); CREATE TABLE d (id INTEGER PRIMARY KEY);
         INSERT INTO a VALUES (1, 'x'); INSERT INTO b VALUES (1); INSERT INTO c VALUES (1); INSERT INTO d VALUES (1);",
    );
    for jobs in ["1", "4"] {
        let db = pg.fresh_db();
        pg.psql(&db, "CREATE VIEW b AS SELECT 1 AS one; CREATE TYPE c AS ENUM ('x'); CREATE TABLE other (v text); CREATE INDEX a_v ON other (v);");
        let before = snapshot(pg, &db, Scope::All);
        let run = migrate_into(pg, &db, &fx.path, &[("JOBS", jobs)]);
        run.assert_code(4)
            .assert_stderr_has("index \"a_v\", type \"c\", view \"b\"")
            .assert_stderr_has("nothing was changed");
        assert!(!run.stderr.contains("copied"), "JOBS={jobs}: loaded before refusing:\n{}", run.stderr);
        assert_eq!(snapshot(pg, &db, Scope::All), before, "JOBS={jobs}");
        // without them, the same file loads
        pg.psql(&db, "DROP VIEW b; DROP TYPE c; DROP INDEX a_v");
        migrate_into(pg, &db, &fx.path, &[("JOBS", jobs)]).assert_code(0);
        assert_eq!(pg.psql(&db, "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) + (SELECT count(*) FROM d)"), "4");
    }
}

/// The names PostgreSQL makes up for a key's index and an identity's sequence, which the before-load check
/// predicts: the prediction is compared with what PostgreSQL chose for long, multibyte names; and such a name held
/// by another object in the target schema is refused before loading.
#[test]
fn the_names_postgresql_makes_up_are_predicted_and_checked_before_loading() {
    use sqlite2pg::translate::schema::names::{columns_part, default_name};
    let table = format!("Commandé_{}", "x".repeat(50));
    let (reference, code) = (format!("référence_{}", "y".repeat(45)), "code".to_string());
    let fx = Fixture::new(&format!(
        "CREATE TABLE \"{table}\" (id INTEGER PRIMARY KEY, \"{reference}\" TEXT, {code} TEXT, UNIQUE (\"{reference}\", {code}));
         INSERT INTO \"{table}\" VALUES (1, 'r', 'c');"
    ));
    let mut predicted = [
        default_name(&table, None, "pkey"),
        default_name(&table, Some(&columns_part(&[&reference, &code])), "key"),
        default_name(&table, Some("id"), "seq"),
    ];
    predicted.sort();
    let pg = PgCluster::shared();
    let (run, db) = migrate(pg, &fx.path, &[("JOBS", "1")]);
    run.assert_code(0);
    let chosen = pg.psql(&db, "SELECT string_agg(relname, E'\\n' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('i', 'S')");
    assert_eq!(chosen, predicted.join("\n"), "postgresql chose other names than predicted");

    let db = pg.fresh_db();
    pg.psql(&db, &format!("CREATE VIEW \"{}\" AS SELECT 1 AS one", predicted[0]));
    let run = migrate_into(pg, &db, &fx.path, &[("JOBS", "4")]);
    run.assert_code(4).assert_stderr_has(&format!("view \"{}\"", predicted[0]));
    assert!(!run.stderr.contains("copied"), "loaded before refusing:\n{}", run.stderr);
}

#[test]
fn a_failed_parallel_load_lists_every_orphan_and_removes_what_it_staged() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE parent (id INTEGER PRIMARY KEY);
         CREATE TABLE a (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id));
         CREATE TABLE b (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id));
         INSERT INTO parent VALUES (1);
         INSERT INTO a VALUES (1, 1), (2, 9);
         INSERT INTO b VALUES (5, 8), (6, 1), (7, 8);",
    );
    let (run, db) = migrate(pg, &fx.path, &[("JOBS", "4")]);
    run.assert_code(5)
        .assert_stderr_has("2 foreign key(s) fail")
        .assert_stderr_has("\"a\"(p) -> \"parent\"(id): 1 orphan row(s); first sqlite rowids: 2")
        .assert_stderr_has("\"b\"(p) -> \"parent\"(id): 2 orphan row(s); first sqlite rowids: 5, 7")
        .assert_stderr_has("removed the staging schema");
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

/// Foreign keys in a ring, and in both directions between two tables that also share a parent (Sakila's store,
/// staff and address): added side by side, they deadlocked (CI, Sakila) until every key locked its two tables in
/// name order first; without that ordering this test fails with "deadlock detected".
#[test]
fn foreign_keys_in_a_cycle_load_in_parallel() {
    let pg = PgCluster::shared();
    let mut sql = String::from("PRAGMA foreign_keys = OFF;\n");
    for i in 0..6 {
        let next = (i + 1) % 6;
        sql.push_str(&format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY, up INTEGER REFERENCES t{next}(id), down INTEGER REFERENCES t{next}(id));\n"));
        sql.push_str(&format!("INSERT INTO t{i} VALUES (1, 1, 1), (2, 2, 1);\n"));
    }
    // Sakila's shape: store and staff reference each other, and both reference address
    for p in 0..10 {
        sql.push_str(&format!("CREATE TABLE address{p} (id INTEGER PRIMARY KEY);\n"));
        sql.push_str(&format!("CREATE TABLE store{p} (id INTEGER PRIMARY KEY, manager INTEGER REFERENCES staff{p}(id), address INTEGER REFERENCES address{p}(id));\n"));
        sql.push_str(&format!("CREATE TABLE staff{p} (id INTEGER PRIMARY KEY, store INTEGER REFERENCES store{p}(id), address INTEGER REFERENCES address{p}(id));\n"));
        sql.push_str(&format!("INSERT INTO address{p} VALUES (1); INSERT INTO store{p} VALUES (1, 1, 1); INSERT INTO staff{p} VALUES (1, 1, 1);\n"));
    }
    let fx = Fixture::new(&sql);
    for _ in 0..3 {
        let (run, db) = migrate(pg, &fx.path, &[("JOBS", "16")]);
        run.assert_code(0);
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND connamespace = 'public'::regnamespace"), "52");
    }
}

/// The type scan reads a primary-key column whose type is settled (TEXT) only as "is it NULL": a NULL there still
/// turns the key into a UNIQUE constraint, in both load paths, and the values arrive intact.
#[test]
fn a_primary_key_holding_null_becomes_a_unique_constraint() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE code (c TEXT PRIMARY KEY, label TEXT, n INTEGER);
         INSERT INTO code VALUES ('a', 'first', 1), (NULL, 'no code', 2), ('b', NULL, NULL);
         CREATE TABLE plain (c TEXT PRIMARY KEY, n INTEGER);
         INSERT INTO plain VALUES ('a', 1), ('b', 2);",
    );
    for jobs in ["1", "3"] {
        let (run, db) = migrate(pg, &fx.path, &[("JOBS", jobs)]);
        run.assert_code(0).assert_stderr_has("primary key (c) holds NULL");
        let keys = pg.psql(&db, "SELECT conrelid::regclass::text || ':' || contype::text FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1");
        assert_eq!(keys, "code:u\nplain:p", "JOBS={jobs}");
        let rows = pg.psql(&db, "SELECT coalesce(c, '-') || ',' || coalesce(label, '-') || ',' || coalesce(n::text, '-') FROM code ORDER BY n NULLS LAST");
        assert_eq!(rows, "a,first,1\n-,no code,2\nb,-,-", "JOBS={jobs}");
    }
}
