//! the environment fails: malformed URL, refused or unreachable server, missing database, missing privilege,
//! a full disk mid-COPY, a role's statement_timeout, a connection killed mid-COPY

use std::time::{Duration, Instant};

use super::harness::{expect_success_as, mount, pg, unique, Case, Endpoint, MountGuard, PASSWORD, ROWVALUE};
use crate::support::Fixture;

/// `big(id, s)` with `rows` rows of `width` characters each (hex of random bytes: PostgreSQL cannot compress it).
fn big_fixture(rows: i64, width: i64) -> Fixture {
    Fixture::new(&format!(
        "CREATE TABLE big (id INTEGER PRIMARY KEY, s TEXT NOT NULL);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
         INSERT INTO big SELECT i, '{ROWVALUE}' || hex(randomblob({width} / 2)) FROM n;"
    ))
}

fn small_fixture() -> Fixture {
    Fixture::new(&format!("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO t VALUES (1, '{ROWVALUE}');"))
}

#[test]
fn malformed_database_url() {
    let fx = small_fixture();
    Case::fresh("malformed DATABASE_URL", &fx.path)
        .env("DATABASE_URL", "postgres://{userinfo}@[::1/db")
        .expect(2, &["DATABASE_URL|connection string", "malformed|invalid"])
        .check();
}

#[test]
fn database_url_with_a_port_out_of_range() {
    let fx = small_fixture();
    Case::fresh("DATABASE_URL port out of range", &fx.path)
        .env("DATABASE_URL", "postgres://{userinfo}@127.0.0.1:99999/db")
        .expect(2, &["port"])
        .check();
}

#[test]
fn wrong_password() {
    let fx = small_fixture();
    let db = pg().fresh_db();
    let wrong = Endpoint { password: "Pw-SENTINEL-wrong-81x".into(), ..Endpoint::sentinel(&db) };
    Case::new("wrong password", &fx.path, &db)
        .endpoint(wrong)
        .env("WAIT_TIMEOUT", "30")
        .within(15)
        .expect(3, &["password authentication failed"])
        .check();
}

#[test]
fn unreachable_host() {
    let fx = small_fixture();
    let db = pg().fresh_db();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    Case::new("unreachable host", &fx.path, &db)
        .endpoint(Endpoint { port: closed, ..Endpoint::sentinel(&db) })
        .env("WAIT_TIMEOUT", "2")
        .within(15)
        .expect(3, &["not ready after 2", "refused"])
        .check();
}

#[test]
fn missing_database() {
    let fx = small_fixture();
    let name = unique("no_such_db");
    Case::new("missing database", &fx.path, &name)
        .watch(None)
        .within(15)
        .expect(3, &[&format!("database \"{name}\" does not exist")])
        .check();
    assert_eq!(pg().psql("postgres", &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'")), "0");
}

/// Right behaviour, decided here: PostgreSQL refusing our DDL is a schema error, exit 4, with PostgreSQL's
/// "permission denied" (and what was refused) in the message.
#[test]
fn role_without_create_privilege() {
    let fx = small_fixture();
    let role = unique("bad_input_noperm");
    pg().psql("postgres", &format!("CREATE ROLE {role} LOGIN NOSUPERUSER PASSWORD '{PASSWORD}'"));
    let db = pg().fresh_db();
    Case::new("role without CREATE", &fx.path, &db)
        .endpoint(Endpoint { user: role, ..Endpoint::sentinel(&db) })
        .expect(4, &["permission denied"])
        .check();
}

/// The same, one level down: the role may create schemas (its own ledger) but not tables in `public`.
#[test]
fn role_without_create_on_the_target_schema() {
    let fx = small_fixture();
    let role = unique("bad_input_nopublic");
    let db = pg().fresh_db();
    pg().psql(
        "postgres",
        &format!(
            "CREATE ROLE {role} LOGIN NOSUPERUSER PASSWORD '{PASSWORD}'; GRANT CREATE ON DATABASE \"{db}\" TO {role}"
        ),
    );
    pg().psql(&db, &format!("REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM {role}"));
    Case::new("role without CREATE on schema public", &fx.path, &db)
        .endpoint(Endpoint { user: role, ..Endpoint::sentinel(&db) })
        .expect(4, &["permission denied", "public"])
        .check();
}

/// Right behaviour, decided here: a full disk is "anything else", exit 1, with PostgreSQL's reason.
#[test]
fn out_of_disk_space_mid_copy() {
    let fx = big_fixture(40_000, 1000);
    let ts = unique("bad_input_small");
    let db = pg().fresh_db();
    let mnt = tempfile::Builder::new().prefix("bad-input-ts-").tempdir().unwrap();
    std::fs::set_permissions(mnt.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = mnt.path().to_str().unwrap().to_string();
    mount(&["-t", "tmpfs", "-o", "size=20m,mode=0700", "tmpfs", &path]);
    let (ts2, db2) = (ts.clone(), db.clone());
    let _guard = MountGuard {
        path: mnt.path().to_path_buf(),
        before: Some(Box::new(move || {
            let _ = pg().try_psql("postgres", &format!("DROP DATABASE IF EXISTS \"{db2}\" WITH (FORCE)"));
            let _ = pg().try_psql("postgres", &format!("DROP TABLESPACE IF EXISTS {ts2}"));
        })),
    };
    let chown = std::process::Command::new("chown").args(["postgres:postgres", &path]).status().unwrap();
    assert!(chown.success());
    pg().psql("postgres", &format!("CREATE TABLESPACE {ts} LOCATION '{path}'"));
    pg().psql("postgres", &format!("ALTER DATABASE \"{db}\" SET default_tablespace = {ts}"));
    Case::new("out of disk space mid-COPY", &fx.path, &db)
        .expect(1, &["No space left on device|disk full|could not extend", "\"big\""])
        .within(120)
        .check();
}

/// Right behaviour, decided here: the role's statement_timeout is for interactive sessions; a migration's COPY
/// may take minutes, so sqlite2pg sets `statement_timeout = 0` for its own session and succeeds.
#[test]
fn statement_timeout_on_the_role() {
    let fx = big_fixture(300_000, 60);
    let role = unique("bad_input_hurried");
    pg().psql("postgres", &format!("CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{PASSWORD}'; ALTER ROLE {role} SET statement_timeout = '100ms'"));
    let db = pg().fresh_db();
    let endpoint = Endpoint { user: role, ..Endpoint::sentinel(&db) };
    let (run, json) = expect_success_as(endpoint, &fx.path, &[]);
    assert_eq!(json["total_rows"], 300_000, "{}", run.stderr);
    assert_eq!(pg().psql(&db, "SELECT count(*) FROM big"), "300000");
}

/// Right behaviour, decided here: the server closing our connection mid-COPY is exit 1 ("anything else", as the
/// README's example says), naming the lost connection; nothing is committed.
#[test]
fn connection_terminated_mid_copy() {
    // big enough that its COPY lasts a few seconds, long enough to be seen on a loaded machine
    let fx = big_fixture(1_000_000, 60);
    let db = pg().fresh_db();
    Case::new("connection terminated mid-COPY", &fx.path, &db)
        .during(|e: &Endpoint| {
            let deadline = Instant::now() + Duration::from_secs(30);
            let sql = format!(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{}' \
                 AND state = 'active' AND query ILIKE 'copy%'",
                e.db
            );
            while Instant::now() < deadline {
                if pg().psql("postgres", &sql) != "0" {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            panic!("never saw the COPY running");
        })
        .expect(1, &["connection|terminat"])
        .within(60)
        .check();
}
