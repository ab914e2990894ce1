//! SCHEMA=none after the application's own migrator ran: seeded tables compared, kept or replaced; sequences the
//! application draws from itself moved or listed

use std::path::Path;

use crate::common::pg::PgCluster;
use crate::support::{migrate_into, snapshot, Fixture, Scope};

/// The application's data in SQLite: its ledger, a default workspace and experiment, and more.
const APP_SQLITE: &str = "
    CREATE TABLE alembic_version (version_num TEXT PRIMARY KEY);
    INSERT INTO alembic_version VALUES ('sqlite_head');
    CREATE TABLE workspaces (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    INSERT INTO workspaces VALUES (1, 'default'), (2, 'team');
    CREATE TABLE experiments (id INTEGER PRIMARY KEY, name TEXT NOT NULL, workspace_id INTEGER REFERENCES workspaces(id), created REAL);
    INSERT INTO experiments VALUES (0, 'Default', 1, 1.5), (1, 'mine', 2, 2.25), (2, 'other', 1, NULL);
    CREATE TABLE settings (k TEXT, v TEXT);
    INSERT INTO settings VALUES ('a', '1'), ('b', '2');
    CREATE TABLE metrics (id INTEGER PRIMARY KEY, value REAL);
    INSERT INTO metrics VALUES (1, 0.5), (2, 0.25);";

/// What its migrator leaves in PostgreSQL: the same tables, its own ledger head, the default workspace (the same
/// rows as SQLite's: identical), the default experiment (a seed: one of SQLite's rows) and a setting SQLite does
/// not have (diverged), plus a table of its own pointing at workspaces with ON DELETE CASCADE.
const APP_PG: &str = "
    CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
    INSERT INTO alembic_version VALUES ('pg_head');
    CREATE TABLE workspaces (id int PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now());
    INSERT INTO workspaces (id, name) VALUES (1, 'default');
    CREATE TABLE experiments (id int PRIMARY KEY, name text NOT NULL, workspace_id int REFERENCES workspaces(id), created double precision);
    INSERT INTO experiments VALUES (0, 'Default', 1, 1.5);
    CREATE TABLE settings (k text, v text);
    INSERT INTO settings VALUES ('a', '1'), ('pg_only', 'x');
    CREATE TABLE metrics (id int PRIMARY KEY, value double precision);
    CREATE TABLE pg_audit (id int PRIMARY KEY, workspace_id int REFERENCES workspaces(id) ON DELETE CASCADE);
    INSERT INTO pg_audit VALUES (7, 1);";

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report written")).expect("report is json")
}

fn existing(report: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = report["existing"]
        .as_array()
        .expect("existing is a list")
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {} {}",
                e["table"].as_str().unwrap_or("?"),
                e["outcome"].as_str().unwrap_or("?"),
                e["target_rows"],
                e["sqlite_rows"],
                e["dropped_rows"]
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_diverged_table_stops_the_run_and_changes_nothing() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(APP_SQLITE);
    let db = pg.fresh_db();
    pg.psql(&db, APP_PG);
    let before = snapshot(pg, &db, Scope::All);
    for jobs in ["1", "4"] {
        let run = migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("JOBS", jobs)]);
        run.assert_code(5)
            .assert_stderr_has("\"alembic_version\": 1 target row(s) not in sqlite (keys: pg_head); 1 sqlite row(s) not in the target (keys: sqlite_head)")
            .assert_stderr_has("\"settings\": 1 target row(s) not in sqlite (keys: the table has no primary key); 1 sqlite row(s) not in the target")
            .assert_stderr_has("KEEP_TABLES=alembic_version,settings")
            .assert_stderr_has("REPLACE_TABLES=alembic_version,settings");
        // keys only: no other value reaches the message
        assert!(!run.stderr.contains("pg_only"), "a value leaked:\n{}", run.stderr);
        // identical and seed tables are not refused
        assert!(
            !run.stderr.contains("\"workspaces\": 0") && !run.stderr.contains("\"experiments\": 0"),
            "{}",
            run.stderr
        );
        assert_eq!(snapshot(pg, &db, Scope::All), before, "nothing changed (JOBS={jobs})");
        assert_eq!(
            pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"),
            "2",
            "foreign keys are back"
        );
    }
}

#[test]
fn kept_ledger_replaced_table_and_seeded_tables_load() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(APP_SQLITE);
    for jobs in ["1", "4"] {
        let db = pg.fresh_db();
        pg.psql(&db, APP_PG);
        let path = fx.dir.path().join(format!("report-{jobs}.json"));
        let settings = [
            ("SCHEMA", "none"),
            ("JOBS", jobs),
            ("KEEP_TABLES", "alembic_version"),
            ("REPLACE_TABLES", "Settings"),
            ("REPORT_PATH", path.to_str().expect("utf-8 path")),
        ];
        let run = migrate_into(pg, &db, &fx.path, &settings);
        run.assert_code(0)
            .assert_stderr_has("KEEP_TABLES: \"alembic_version\" keeps its 1 row(s) in postgresql; its 1 sqlite row(s) are not loaded")
            .assert_stderr_has("REPLACE_TABLES: \"settings\" is loaded from sqlite; 1 of its 2 row(s) from before the run are not in sqlite and are dropped");
        assert_eq!(
            pg.psql(&db, "SELECT string_agg(version_num, ',') FROM alembic_version"),
            "pg_head",
            "the ledger stays"
        );
        assert_eq!(pg.psql(&db, "SELECT string_agg(id || name, ',' ORDER BY id) FROM workspaces"), "1default,2team");
        // the column SQLite does not have takes its default again, and the log says so
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM workspaces WHERE created IS NOT NULL"), "2");
        run.assert_stderr_has("\"workspaces\": its column(s) not in sqlite (created) take their defaults again");
        assert_eq!(
            pg.psql(&db, "SELECT string_agg(e::text, ',' ORDER BY id) FROM experiments e"),
            "(0,Default,1,1.5),(1,mine,2,2.25),(2,other,1,)"
        );
        assert_eq!(pg.psql(&db, "SELECT string_agg(k || v, ',' ORDER BY k) FROM settings"), "a1,b2");
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM metrics"), "2");
        // emptying workspaces to load it did not cascade into the application's own table
        assert_eq!(pg.psql(&db, "SELECT string_agg(a::text, ',') FROM pg_audit a"), "(7,1)");
        assert_eq!(
            pg.psql(
                &db,
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
            ),
            "2"
        );
        let expected = [
            "alembic_version kept 1 1 1",
            "experiments seed 1 3 0",
            "settings replaced 2 2 1",
            "workspaces seed 1 2 0",
        ];
        assert_eq!(existing(&report(&path)), expected.map(String::from).to_vec());
        // a second run finds the ledger entry: nothing to do
        migrate_into(pg, &db, &fx.path, &settings).assert_code(0).assert_stderr_has("already migrated");
    }
}

#[test]
fn identical_tables_load_and_misnamed_settings_are_refused() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL);");
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE t (id int PRIMARY KEY, n text); INSERT INTO t VALUES (2, NULL), (1, 'x')");
    let path = fx.dir.path().join("report.json");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("REPORT_PATH", path.to_str().expect("utf-8 path"))])
        .assert_code(0);
    assert_eq!(existing(&report(&path)), vec!["t identical 2 2 0".to_string()]);
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE t (id int PRIMARY KEY, n text)");
    let before = snapshot(pg, &db, Scope::All);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("KEEP_TABLES", "nope")])
        .assert_code(2)
        .assert_stderr_has("KEEP_TABLES names \"nope\"");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("REPLACE_TABLES", "nope")])
        .assert_code(2)
        .assert_stderr_has("REPLACE_TABLES names \"nope\"");
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("KEEP_TABLES", "t"), ("REPLACE_TABLES", "T")])
        .assert_code(2);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("SEQUENCES", "nope:t.id")])
        .assert_code(4)
        .assert_stderr_has("SEQUENCES names sequence \"nope\"");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM t"), "0", "nothing loaded by a refused run");
    assert_eq!(snapshot(pg, &db, Scope::All), before, "changed by a refused run");
}

/// The application's sequences: one it draws from in its own code, one a default uses, one a trigger assigns,
/// an identity, and one nothing tells about.
const STREAMS_PG: &str = r#"
    CREATE SEQUENCE events_stream_seq;
    CREATE TABLE events (stream_ordering bigint PRIMARY KEY, body text);
    CREATE SEQUENCE ticket_seq;
    CREATE TABLE tickets (id bigint PRIMARY KEY DEFAULT nextval('ticket_seq'), what text);
    CREATE SEQUENCE "Receipts_Seq";
    CREATE TABLE receipts (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "streamId" bigint NOT NULL);
    CREATE FUNCTION receipts_stream() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW."streamId" := nextval('"Receipts_Seq"');
        RETURN NEW;
    END $$;
    CREATE TRIGGER receipts_stream BEFORE INSERT ON receipts FOR EACH ROW WHEN (NEW."streamId" IS NULL) EXECUTE FUNCTION receipts_stream();
    CREATE SEQUENCE push_pos;
    CREATE TABLE pushes (id int PRIMARY KEY, pos bigint);
    CREATE FUNCTION pushes_pos() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.pos IS NULL THEN SELECT nextval('push_pos'::regclass) INTO NEW.pos; END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER pushes_pos BEFORE INSERT ON pushes FOR EACH ROW EXECUTE FUNCTION pushes_pos();
    CREATE SEQUENCE lonely_seq START 5;
"#;

const STREAMS_SQLITE: &str = r#"
    CREATE TABLE events (stream_ordering INTEGER PRIMARY KEY, body TEXT);
    INSERT INTO events VALUES (3, 'a'), (42, 'b');
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, what TEXT);
    INSERT INTO tickets VALUES (17, 'x');
    CREATE TABLE receipts (id INTEGER PRIMARY KEY, "streamId" INTEGER NOT NULL);
    INSERT INTO receipts VALUES (1, 99), (5, 12);
    CREATE TABLE pushes (id INTEGER PRIMARY KEY, pos INTEGER);
    INSERT INTO pushes VALUES (1, 7), (2, 3);
"#;

/// (sequence, columns, last value, moved) from the report.
fn sequences(report: &serde_json::Value) -> Vec<String> {
    report["sequences"]
        .as_array()
        .expect("sequences is a list")
        .iter()
        .map(|s| {
            format!(
                "{} [{}] {} {}",
                s["sequence"].as_str().unwrap_or("?"),
                s["columns"]
                    .as_array()
                    .map(|c| c.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(","))
                    .unwrap_or_default(),
                s["last_value"],
                s["moved"]
            )
        })
        .collect()
}

#[test]
fn sequences_found_in_the_catalogs_or_tied_by_the_setting_move_past_the_data() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(STREAMS_SQLITE);
    let schema_file = fx.dir.path().join("schema.sql");
    std::fs::write(&schema_file, STREAMS_PG).expect("write the schema file");
    // SCHEMA=none in one transaction, and a schema file loaded side by side (JOBS=4, published at once)
    for (schema, jobs) in [("none", "1"), ("file", "4")] {
        let db = pg.fresh_db();
        let schema_setting = if schema == "none" {
            pg.psql(&db, STREAMS_PG);
            "none".to_string()
        } else {
            schema_file.to_str().expect("utf-8 path").to_string()
        };
        let path = fx.dir.path().join(format!("report-{schema}.json"));
        let run = migrate_into(
            pg,
            &db,
            &fx.path,
            &[
                ("SCHEMA", schema_setting.as_str()),
                ("JOBS", jobs),
                ("SEQUENCES", "events_stream_seq:events.stream_ordering"),
                ("REPORT_PATH", path.to_str().expect("utf-8 path")),
            ],
        );
        run.assert_code(0)
            .assert_stderr_has("sequence \"lonely_seq\" feeds no column sqlite2pg can see")
            .assert_stderr_has("left at 5");
        if schema == "file" {
            run.assert_stderr_has("loading 4 table(s) side by side");
        }
        assert_eq!(
            pg.psql(&db, r#"SELECT nextval('events_stream_seq') || ' ' || nextval('ticket_seq') || ' ' || nextval('"Receipts_Seq"') || ' ' || nextval('lonely_seq')"#),
            "43 18 100 5",
            "SCHEMA={schema}"
        );
        // the trigger draws past the copied values, and the identity too
        assert_eq!(pg.psql(&db, "INSERT INTO receipts DEFAULT VALUES RETURNING id || ' ' || \"streamId\""), "6 101");
        assert_eq!(pg.psql(&db, "INSERT INTO pushes (id) VALUES (3) RETURNING pos"), "8");
        let mut got = sequences(&report(&path));
        got.sort();
        assert_eq!(
            got,
            [
                "Receipts_Seq [receipts.streamId] 99 true",
                "events_stream_seq [events.stream_ordering] 42 true",
                "lonely_seq [] 5 false",
                "push_pos [pushes.pos] 7 true",
                "receipts_id_seq [receipts.id] 5 false",
                "ticket_seq [tickets.id] 17 true",
            ],
            "SCHEMA={schema}"
        );
    }
    // without the setting, the sequence the application draws from itself is listed, left where it was
    let db = pg.fresh_db();
    pg.psql(&db, STREAMS_PG);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")])
        .assert_code(0)
        .assert_stderr_has("sequence \"events_stream_seq\" feeds no column sqlite2pg can see (no identity, default or trigger uses it): left at 1 (not used yet)")
        .assert_stderr_has("SEQUENCES=events_stream_seq:table.column");
    assert_eq!(pg.psql(&db, "SELECT last_value || ' ' || is_called FROM events_stream_seq"), "1 false");
}

/// The real MLflow's tables (tests/seeded/mlflow, written by MLflow itself: see generate.sh there): its migrator and
/// server seed the alembic head, the default workspace and a default experiment that differs from SQLite's own.
#[test]
fn a_database_seeded_by_the_real_mlflow() {
    let pg = PgCluster::shared();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeded/mlflow");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture file");
    let fx = Fixture::new(&read("sqlite.sql"));
    let db = pg.fresh_db();
    pg.psql(&db, &read("pg.sql"));
    let before = snapshot(pg, &db, Scope::All);
    migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")])
        .assert_code(5)
        .assert_stderr_has(
            "\"experiments\": 1 target row(s) not in sqlite (keys: 0); 2 sqlite row(s) not in the target (keys: 0, 1)",
        )
        .assert_stderr_has("REPLACE_TABLES=experiments");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM runs"), "0", "nothing changed");
    // sequences included: a refused run leaves MLflow's next experiment id where it was
    assert_eq!(snapshot(pg, &db, Scope::All), before, "changed by a refused run");
    let path = fx.dir.path().join("report.json");
    migrate_into(
        pg,
        &db,
        &fx.path,
        &[("SCHEMA", "none"), ("REPLACE_TABLES", "experiments"), ("REPORT_PATH", path.to_str().expect("utf-8 path"))],
    )
    .assert_code(0);
    let expected = ["alembic_version identical 1 1 0", "experiments replaced 1 2 1", "workspaces identical 1 1 0"];
    assert_eq!(existing(&report(&path)), expected.map(String::from).to_vec());
    assert_eq!(pg.psql(&db, "SELECT string_agg(experiment_id || name || artifact_location, ',' ORDER BY experiment_id) FROM experiments"), "0Default/tmp/mlfx/mlruns/0,1mine/tmp/mlfx/art");
    assert_eq!(pg.psql(&db, "SELECT count(*) || ' ' || max(value) FROM metrics"), "2 0.25");
    // the next experiment MLflow creates gets a new id
    assert_eq!(pg.psql(&db, "SELECT nextval('experiments_experiment_id_seq')"), "2");
}
