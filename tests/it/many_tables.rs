//! Many small tables (issue 18): loaded in groups and batches, the same database as one transaction gives, a few
//! round trips per table, and every failure still named by its table

use crate::common::pg::PgCluster;
use crate::support::{migrate, snapshot, Fixture, Run, Scope, EMPTY};

/// Tables `t000`... of 1 to 60 rows, each with an AUTOINCREMENT key (some with a high-water mark past their
/// largest id), a self-reference, a reference to a table seven places before it (another group), one to `big`, a
/// UNIQUE and an index; and `big`, too big to be grouped, which references `t000`. `defects` is SQL run last,
/// with foreign keys unenforced.
fn many(tables: usize, defects: &str) -> Fixture {
    let mut sql = String::from(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE big (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES t000(id), v TEXT NOT NULL);
         WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 12000)
         INSERT INTO big SELECT i, 1, printf('big %05d', i) FROM c;\n",
    );
    for i in 0..tables {
        let rows = 1 + (i * 37) % 60;
        let up = (i + tables - 7) % tables;
        sql.push_str(&format!(
            "CREATE TABLE t{i:03} (id INTEGER PRIMARY KEY AUTOINCREMENT, parent INTEGER REFERENCES t{i:03}(id),
                 up INTEGER REFERENCES t{up:03}(id), big INTEGER REFERENCES big(id), code UNIQUE, name TEXT NOT NULL);
             CREATE INDEX t{i:03}_name ON t{i:03}(name);
             WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {rows})
             INSERT INTO t{i:03} SELECT i, nullif(i / 2, 0), 1, i * 7 % 12000 + 1, 'c' || i, 'row ' || i FROM c;\n"
        ));
        if i % 5 == 0 && rows > 1 {
            sql.push_str(&format!("DELETE FROM t{i:03} WHERE id = {rows};\n"));
        }
    }
    sql.push_str(defects);
    Fixture::new(&sql)
}

/// The run's error: its last log record, at level ERROR, with the lines it spans.
fn error_of(run: &Run) -> String {
    let at = run.stderr.rfind(" ERROR ").unwrap_or_else(|| panic!("no error logged:\n{}", run.stderr));
    run.stderr[at..].to_string()
}

#[test]
fn many_small_tables_give_the_database_one_transaction_gives() {
    let pg = PgCluster::shared();
    let fx = many(90, "");
    let (serial, serial_db) = migrate(pg, &fx.path, &[("JOBS", "1")]);
    serial.assert_code(0);
    let (parallel, parallel_db) = migrate(pg, &fx.path, &[("JOBS", "4")]);
    parallel
        .assert_code(0)
        .assert_stderr_has("published 91 table(s) into \"public\" in one transaction")
        .assert_stderr_has("loaded together");
    let (one, many) = (snapshot(pg, &serial_db, Scope::All), snapshot(pg, &parallel_db, Scope::All));
    if one != many {
        let only = |a: &str, b: &str| a.lines().filter(|l| !b.lines().any(|m| m == *l)).collect::<Vec<_>>().join("\n");
        panic!("the databases differ\nonly JOBS=1:\n{}\nonly JOBS=4:\n{}", only(&one, &many), only(&many, &one));
    }
    for line in ["constraint public.t044 t044_up_fkey FOREIGN KEY (up) REFERENCES t037(id)", "index public.t089_name "]
    {
        assert!(many.contains(line), "no {line:?} in\n{many}");
    }
    assert!(!many.contains("sqlite2pg_staging"), "staging schema left behind");
    // AUTOINCREMENT: t005 held 6 rows and lost its last; ids go on after 6, not after 5
    assert_eq!(pg.psql(&parallel_db, "INSERT INTO t005 (name) VALUES ('new') RETURNING id"), "7");
    assert_eq!(pg.psql(&parallel_db, "SELECT count(*) FROM sqlite2pg.run_tables"), "91");
}

/// The requests a run sends PostgreSQL (each a round trip, or two for a statement with parameters), counted from
/// tokio-postgres's debug log: a few per table, not one per statement per table.
#[test]
fn many_small_tables_take_a_few_round_trips_each() {
    let pg = PgCluster::shared();
    let tables = 90;
    let fx = many(tables, "");
    for jobs in ["1", "4"] {
        let (run, _) = migrate(pg, &fx.path, &[("JOBS", jobs), ("RUST_LOG", "info,tokio_postgres=debug")]);
        run.assert_code(0);
        let requests = run.stderr.lines().filter(|l| l.contains(" DEBUG tokio_postgres")).count();
        println!("JOBS={jobs}: {requests} requests for {} tables", tables + 1);
        assert!(requests > tables, "JOBS={jobs}: {requests} requests: is the debug log of tokio-postgres missing?");
        assert!(requests < 6 * tables, "JOBS={jobs}: {requests} requests for {} tables", tables + 1);
    }
}

#[test]
fn a_table_that_fails_among_many_is_the_one_named() {
    let pg = PgCluster::shared();
    // a typeless UNIQUE column: SQLite holds 7 and '7' apart, PostgreSQL's text column cannot
    let fx = many(40, "INSERT INTO t017 (code, name) VALUES (7, 'a'), ('7', 'b');");
    for jobs in ["1", "4"] {
        let (run, db) = migrate(pg, &fx.path, &[("JOBS", jobs)]);
        run.assert_code(5);
        let error = error_of(&run);
        assert!(error.contains("duplicate") && error.contains("t017"), "JOBS={jobs}: {error}");
        let others = (0..40).filter(|i| *i != 17).map(|i| format!("t{i:03}"));
        for other in others.chain(["big".to_string()]) {
            assert!(!error.contains(&format!("\"{other}\"")), "JOBS={jobs} names {other}: {error}");
        }
        assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY, "JOBS={jobs}");
        assert_eq!(snapshot(pg, &db, Scope::Staging), "", "JOBS={jobs}: staging schema left behind");
    }
}

#[test]
fn orphans_among_many_tables_are_each_listed() {
    let pg = PgCluster::shared();
    // t023 refers to itself, t031 to t024 (another group), big to t000 (a big table to a group's)
    let fx = many(
        40,
        "INSERT INTO t023 (parent, up, big, code, name) VALUES (9999, 1, 1, 'x', 'orphan');
         INSERT INTO t031 (parent, up, big, code, name) VALUES (1, 9999, 1, 'x', 'orphan');
         UPDATE big SET owner = 9999 WHERE id = 11;",
    );
    let expected = [
        "\"t023\"(parent) -> \"t023\"(id): 1 orphan row(s)",
        "\"t031\"(up) -> \"t024\"(id): 1 orphan row(s)",
        "\"big\"(owner) -> \"t000\"(id): 1 orphan row(s); first sqlite rowids: 11",
    ];
    for env in [
        [("JOBS", "1"), ("CHECK_ONLY", "false")],
        [("JOBS", "4"), ("CHECK_ONLY", "false")],
        [("JOBS", "4"), ("CHECK_ONLY", "true")],
    ] {
        let (run, db) = migrate(pg, &fx.path, &env);
        run.assert_code(5).assert_stderr_has("3 foreign key(s) fail");
        let error = error_of(&run);
        for orphan in expected {
            assert!(error.contains(orphan), "{env:?}: no {orphan:?} in {error}");
        }
        assert_eq!(error.matches("orphan row(s)").count(), 3, "{env:?}: {error}");
        assert_eq!(snapshot(pg, &db, Scope::Visible), EMPTY, "{env:?}");
        assert_eq!(snapshot(pg, &db, Scope::Staging), "", "{env:?}: staging schema left behind");
    }
}
