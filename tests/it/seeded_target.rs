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

/// A column that counts down, drawn from a sequence negated (Synapse's backfilled events): `seq:-table.column`
/// moves the sequence past the largest negated value, and the report names the column with its sign.
#[test]
fn a_sequence_tied_to_a_column_that_counts_down() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE TABLE events (id INTEGER PRIMARY KEY, ord INTEGER NOT NULL); INSERT INTO events VALUES (1, 5), (2, -3), (3, -7);");
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE events (id bigint PRIMARY KEY, ord bigint NOT NULL); CREATE SEQUENCE backfill_seq; CREATE SEQUENCE stream_seq;");
    let path = fx.dir.path().join("report.json");
    migrate_into(
        pg,
        &db,
        &fx.path,
        &[
            ("SCHEMA", "none"),
            ("SEQUENCES", "backfill_seq:-events.ord,stream_seq:events.ord"),
            ("REPORT_PATH", path.to_str().expect("utf-8 path")),
        ],
    )
    .assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT -nextval('backfill_seq') || ' ' || nextval('stream_seq')"), "-8 6");
    let mut got = sequences(&report(&path));
    got.sort();
    assert_eq!(got, ["backfill_seq [-events.ord] 7 true", "stream_seq [events.ord] 5 true"]);
    migrate_into(pg, &pg.fresh_db(), &fx.path, &[("SCHEMA", "none"), ("SEQUENCES", "s:-events")])
        .assert_code(2)
        .assert_stderr_has("sequence:-table.column");
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

/// The real Synapse's tables (tests/seeded/synapse, written by Synapse itself: see generate.sh there): the
/// homeserver's first start on an empty PostgreSQL database writes its schema ledgers (`schema_version`,
/// `schema_compat_version`, `applied_schema_deltas`, which lists the deltas of PostgreSQL's full schema, not
/// SQLite's), its stream positions and a scheduled task; the SQLite homeserver was used a little (a user, a room,
/// a message), so its stream positions moved on.
fn synapse_fixture() -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeded/synapse");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture file");
    (read("sqlite.sql"), read("pg.sql"))
}

/// Synapse's own schema bookkeeping: PostgreSQL's must describe the PostgreSQL schema, whatever SQLite's says
/// (Synapse's own port script leaves these two alone, and `schema_compat_version` goes with them).
const SYNAPSE_LEDGERS: &str = "schema_version,schema_compat_version,applied_schema_deltas";

/// Synapse's sequences that no column owns, tied to the columns Synapse draws them for: the `tables` of each
/// `MultiWriterIdGenerator` in synapse/storage/databases/main/*.py and the `_setup_*` steps of its port script
/// (synapse/_scripts/synapse_port_db.py). Left out: `cache_invalidation_stream_seq` (its table is PostgreSQL's
/// only), `events_backfill_stream_seq` (it counts down: its columns' negated minimum, not a maximum) and
/// `user_id_seq` (the largest numeric user localpart).
const SYNAPSE_SEQUENCES: &[(&str, &str)] = &[
    ("events_stream_seq", "events.stream_ordering"),
    ("events_stream_seq", "current_state_delta_stream.stream_id"),
    ("events_stream_seq", "ex_outlier_stream.event_stream_ordering"),
    ("un_partial_stated_event_stream_sequence", "un_partial_stated_event_stream.stream_id"),
    ("un_partial_stated_room_stream_sequence", "un_partial_stated_room_stream.stream_id"),
    ("device_inbox_sequence", "device_inbox.stream_id"),
    ("device_inbox_sequence", "device_federation_outbox.stream_id"),
    ("account_data_sequence", "room_account_data.stream_id"),
    ("account_data_sequence", "room_tags_revisions.stream_id"),
    ("account_data_sequence", "account_data.stream_id"),
    ("receipts_sequence", "receipts_linearized.stream_id"),
    ("presence_stream_sequence", "presence_stream.stream_id"),
    ("event_auth_chain_id", "event_auth_chains.chain_id"),
    ("application_services_txn_id_seq", "application_services_txns.txn_id"),
    ("device_lists_sequence", "device_lists_stream.stream_id"),
    ("device_lists_sequence", "user_signature_stream.stream_id"),
    ("device_lists_sequence", "device_lists_outbound_pokes.stream_id"),
    ("device_lists_sequence", "device_lists_changes_in_room.stream_id"),
    ("device_lists_sequence", "device_lists_remote_pending.stream_id"),
    ("device_lists_sequence", "device_lists_changes_converted_stream_position.stream_id"),
    ("e2e_cross_signing_keys_sequence", "e2e_cross_signing_keys.stream_id"),
    ("push_rules_stream_sequence", "push_rules_stream.stream_id"),
    ("pushers_sequence", "pushers.id"),
    ("pushers_sequence", "deleted_pushers.stream_id"),
    ("quarantined_media_id_seq", "quarantined_media_changes.stream_id"),
    ("profile_updates_sequence", "profile_updates.stream_id"),
    ("thread_subscriptions_sequence", "thread_subscriptions.stream_id"),
    ("sticky_events_sequence", "sticky_events.stream_id"),
    ("state_group_id_seq", "state_groups.id"),
];

/// `stream_positions.stream_name` to the sequence of that stream (the `stream_name` of each id generator).
const SYNAPSE_STREAMS: &[(&str, &str)] = &[
    ("events", "events_stream_seq"),
    ("backfill", "events_backfill_stream_seq"),
    ("presence_stream", "presence_stream_sequence"),
    ("device_lists_stream", "device_lists_sequence"),
    ("receipts", "receipts_sequence"),
    ("account_data", "account_data_sequence"),
    ("to_device", "device_inbox_sequence"),
    ("push_rules_stream", "push_rules_stream_sequence"),
    ("pushers", "pushers_sequence"),
    ("caches", "cache_invalidation_stream_seq"),
];

/// The line of the refusal that starts with `setting=`, as a list.
fn advised(stderr: &str, setting: &str) -> Vec<String> {
    let prefix = format!("{setting}=");
    let at = stderr.find(&prefix).unwrap_or_else(|| panic!("no {prefix} in:\n{stderr}"));
    let rest = &stderr[at + prefix.len()..];
    let end = rest.find(|c: char| c == ';' || c.is_whitespace()).unwrap_or(rest.len());
    rest[..end].split(',').map(String::from).collect()
}

/// Synapse's check at start (SequenceGenerator.check_consistency): the sequence's last handed-out value is at or
/// past the largest value of each column it feeds, and of its stream's row in `stream_positions`. The failures.
fn synapse_sequence_failures(pg: &PgCluster, db: &str) -> Vec<String> {
    let last = |seq: &str| format!("(SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM {seq})");
    let mut checks: Vec<String> = SYNAPSE_SEQUENCES
        .iter()
        .map(|(seq, column)| {
            let (table, col) = column.split_once('.').expect("table.column");
            format!(
                "SELECT '{seq} < max({column})' WHERE {} < (SELECT coalesce(max({col}), 0) FROM {table})",
                last(seq)
            )
        })
        .collect();
    for (stream, seq) in SYNAPSE_STREAMS {
        checks.push(format!(
            "SELECT '{seq} < stream position of {stream}' WHERE {} < (SELECT coalesce(max(stream_id), 0) FROM stream_positions WHERE stream_name = '{stream}')",
            last(seq)
        ));
    }
    let out = pg.psql(db, &checks.join(" UNION ALL "));
    out.lines().map(String::from).collect()
}

/// Every table of the SQLite file with its row count (rusqlite reads the fts4 tables too).
fn sqlite_counts(path: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(path).expect("open the sqlite file");
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .expect("list tables")
        .query_map([], |r| r.get(0))
        .expect("list tables")
        .collect::<Result<_, _>>()
        .expect("table names");
    names
        .into_iter()
        .map(|t| {
            let n: i64 =
                conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).expect("count rows");
            (t, n)
        })
        .collect()
}

/// (version, file) of `applied_schema_deltas` in SQLite.
fn sqlite_deltas(path: &Path) -> std::collections::BTreeSet<String> {
    let conn = rusqlite::Connection::open(path).expect("open the sqlite file");
    let mut st = conn.prepare("SELECT version || ' ' || file FROM applied_schema_deltas").expect("deltas");
    let rows = st.query_map([], |r| r.get::<_, String>(0)).expect("deltas");
    rows.collect::<Result<_, _>>().expect("deltas")
}

fn pg_deltas(pg: &PgCluster, db: &str) -> std::collections::BTreeSet<String> {
    pg.psql(db, "SELECT version || ' ' || file FROM applied_schema_deltas").lines().map(String::from).collect()
}

#[test]
fn a_database_seeded_by_the_real_synapse_is_refused_and_left_as_it_was() {
    let pg = PgCluster::shared();
    let (sqlite_sql, pg_sql) = synapse_fixture();
    let fx = Fixture::new(&sqlite_sql);
    let db = pg.fresh_db();
    pg.psql(&db, &pg_sql);
    let before = snapshot(pg, &db, Scope::All);
    // the delta ledgers differ: PostgreSQL's starts from its own full schema
    let (sq, pgd) = (sqlite_deltas(&fx.path), pg_deltas(pg, &db));
    let pg_only: Vec<&String> = pgd.difference(&sq).collect();
    let sqlite_only = sq.difference(&pgd).count();
    assert!(!pg_only.is_empty() && sqlite_only > 0, "the fixture's delta ledgers should differ");
    for jobs in ["1", "4"] {
        let run = migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none"), ("JOBS", jobs)]);
        run.assert_code(5)
            .assert_stderr_has("target table(s) already hold rows that sqlite does not have")
            .assert_stderr_has(&format!(
                "\"applied_schema_deltas\": {} target row(s) not in sqlite (keys: the table has no primary key); {sqlite_only} sqlite row(s) not in the target",
                pg_only.len()
            ))
            .assert_stderr_has("\"scheduled_tasks\": 1 target row(s) not in sqlite (keys: delete_old_otks_task); 1 sqlite row(s) not in the target (keys: delete_old_otks_task)");
        // the schema version itself is the same on both sides: not refused; the stream positions SQLite's use
        // moved on are, with Synapse's delta ledger
        let diverged = [
            "applied_schema_deltas",
            "delayed_events_stream_pos",
            "device_lists_changes_converted_stream_position",
            "event_push_summary_stream_ordering",
            "federation_stream_position",
            "room_forgetter_stream_pos",
            "scheduled_tasks",
            "stats_incremental_position",
            "user_directory_stream_pos",
        ];
        assert_eq!(advised(&run.stderr, "KEEP_TABLES"), diverged, "JOBS={jobs}");
        assert_eq!(advised(&run.stderr, "REPLACE_TABLES"), diverged, "JOBS={jobs}");
        let refusal = &run.stderr[run.stderr.find("already hold rows").expect("the refusal")..];
        for identical in ["schema_version", "schema_compat_version", "appservice_stream_position"] {
            assert!(!refusal.contains(&format!("\"{identical}\": ")), "{identical} refused:\n{refusal}");
        }
        // keys only: none of the rows' values (the delta file names) reaches the message
        for row in &pg_only {
            let file = row.split_once(' ').map_or(row.as_str(), |(_, f)| f);
            assert!(!run.stderr.contains(file), "a value leaked ({file}):\n{}", run.stderr);
        }
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM events"), "0", "nothing loaded (JOBS={jobs})");
        // sequences included: Synapse's stream sequences are where its first start left them
        assert_eq!(snapshot(pg, &db, Scope::All), before, "changed by a refused run (JOBS={jobs})");
    }
}

#[test]
fn a_database_seeded_by_the_real_synapse_migrates_with_its_ledgers_kept_and_its_sequences_tied() {
    let pg = PgCluster::shared();
    let (sqlite_sql, pg_sql) = synapse_fixture();
    let fx = Fixture::new(&sqlite_sql);
    let sqlite = sqlite_counts(&fx.path);
    // the refusal's advice, less the ledgers kept: what the operator replaces from SQLite
    let db = pg.fresh_db();
    pg.psql(&db, &pg_sql);
    let refused = migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]);
    refused.assert_code(5);
    let ledgers: Vec<&str> = SYNAPSE_LEDGERS.split(',').collect();
    let replace: Vec<String> =
        advised(&refused.stderr, "REPLACE_TABLES").into_iter().filter(|t| !ledgers.contains(&t.as_str())).collect();
    let replace = replace.join(",");
    let tied: Vec<String> = SYNAPSE_SEQUENCES.iter().map(|(s, c)| format!("{s}:{c}")).collect();
    let tied = tied.join(",");
    for jobs in ["1", "4"] {
        let db = pg.fresh_db();
        pg.psql(&db, &pg_sql);
        let ledger_sql = "SELECT (SELECT string_agg(s::text, ',') FROM schema_version s) || ' ' || \
                          (SELECT string_agg(c::text, ',') FROM schema_compat_version c) || ' ' || \
                          (SELECT md5(string_agg(d::text, ',' ORDER BY d::text)) FROM applied_schema_deltas d)";
        let ledgers_before = pg.psql(&db, ledger_sql);
        let pg_rows_before = pg.psql(&db, "SELECT count(*) FROM applied_schema_deltas");
        let path = fx.dir.path().join(format!("report-{jobs}.json"));
        let settings = [
            ("SCHEMA", "none"),
            ("JOBS", jobs),
            ("KEEP_TABLES", SYNAPSE_LEDGERS),
            ("REPLACE_TABLES", replace.as_str()),
            ("SEQUENCES", tied.as_str()),
            ("REPORT_PATH", path.to_str().expect("utf-8 path")),
        ];
        let run = migrate_into(pg, &db, &fx.path, &settings);
        run.assert_code(0)
            .assert_stderr_has(&format!(
                "KEEP_TABLES: \"applied_schema_deltas\" keeps its {pg_rows_before} row(s) in postgresql"
            ))
            .assert_stderr_has("sequence \"events_stream_seq\" moved past")
            // the sequences no column owns that SEQUENCES does not tie are listed, left where they were
            .assert_stderr_has("sequence \"events_backfill_stream_seq\" feeds no column sqlite2pg can see")
            .assert_stderr_has("sequence \"user_id_seq\" feeds no column sqlite2pg can see");
        let expected = [
            "applied_schema_deltas kept 132 111 111",
            "appservice_stream_position identical 1 1 0",
            "delayed_events_stream_pos replaced 1 1 1",
            "device_lists_changes_converted_stream_position replaced 1 1 1",
            "device_lists_changes_in_room_max_pruned_stream_id identical 1 1 0",
            "event_push_summary_last_receipt_stream_id identical 1 1 0",
            "event_push_summary_stream_ordering replaced 1 1 1",
            "federation_stream_position replaced 2 2 1",
            "room_forgetter_stream_pos replaced 1 1 1",
            "scheduled_tasks replaced 1 1 1",
            "schema_compat_version kept 1 1 1",
            "schema_version kept 1 1 1",
            "stats_incremental_position replaced 1 1 1",
            "user_directory_stream_pos replaced 1 1 1",
        ];
        assert_eq!(existing(&report(&path)), expected.map(String::from).to_vec(), "JOBS={jobs}");
        // the ledgers are PostgreSQL's, untouched
        assert_eq!(pg.psql(&db, ledger_sql), ledgers_before, "JOBS={jobs}");
        // every other SQLite row is there: each table's count; fts4's shadow tables have no PostgreSQL table
        let pg_tables: std::collections::BTreeSet<String> = pg
            .psql(&db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            .lines()
            .map(String::from)
            .collect();
        let fts = ["event_search", "user_directory_search"];
        let shadow = |t: &str| {
            fts.iter()
                .any(|v| ["content", "segments", "segdir", "docsize", "stat"].iter().any(|s| t == format!("{v}_{s}")))
        };
        let compared: Vec<&(String, i64)> =
            sqlite.iter().filter(|(t, _)| !ledgers.contains(&t.as_str()) && !shadow(t)).collect();
        for (t, _) in &compared {
            assert!(pg_tables.contains(t.as_str()), "sqlite table {t} has no postgresql table");
        }
        let count_sql: Vec<String> =
            compared.iter().map(|(t, _)| format!("SELECT '{t}', count(*) FROM \"{t}\"")).collect();
        let mut got: Vec<String> = pg.psql(&db, &count_sql.join(" UNION ALL ")).lines().map(String::from).collect();
        got.sort();
        let mut want: Vec<String> = compared.iter().map(|(t, n)| format!("{t}|{n}")).collect();
        want.sort();
        assert_eq!(got, want, "row counts (JOBS={jobs})");
        assert!(compared.iter().any(|(t, n)| t == "events" && *n > 0), "the fixture has events");
        // the values too, for the user, the events and the message found by Synapse's full-text search
        assert_eq!(pg.psql(&db, "SELECT string_agg(name || ' ' || admin, ',') FROM users"), "@alice:test.local 1");
        let conn = rusqlite::Connection::open(&fx.path).expect("open the sqlite file");
        let sqlite_events: String = conn
            .query_row(
                "SELECT group_concat(event_id || ' ' || stream_ordering, ',') FROM (SELECT * FROM events ORDER BY stream_ordering)",
                [],
                |r| r.get(0),
            )
            .expect("events");
        assert_eq!(
            pg.psql(
                &db,
                "SELECT string_agg(event_id || ' ' || stream_ordering, ',' ORDER BY stream_ordering) FROM events"
            ),
            sqlite_events
        );
        assert_eq!(
            pg.psql(&db, "SELECT count(*) FROM event_search WHERE vector @@ to_tsquery('english', 'hello')"),
            "1",
            "the message is searchable"
        );
        // Synapse's own check at start passes: each tied sequence is at or past its columns and stream position
        assert_eq!(synapse_sequence_failures(pg, &db), Vec::<String>::new(), "JOBS={jobs}");
        let moved: Vec<String> = sequences(&report(&path)).into_iter().filter(|s| s.ends_with(" true")).collect();
        assert!(moved.iter().any(|s| s.starts_with("events_stream_seq ")), "{moved:?}");
        // a second run finds the ledger entry: nothing to do
        migrate_into(pg, &db, &fx.path, &settings).assert_code(0).assert_stderr_has("already migrated");
    }
    // without SEQUENCES the stream sequences stay behind: Synapse would refuse to start
    let db = pg.fresh_db();
    pg.psql(&db, &pg_sql);
    migrate_into(
        pg,
        &db,
        &fx.path,
        &[("SCHEMA", "none"), ("KEEP_TABLES", SYNAPSE_LEDGERS), ("REPLACE_TABLES", replace.as_str())],
    )
    .assert_code(0)
    .assert_stderr_has("SEQUENCES=events_stream_seq:table.column");
    let failures = synapse_sequence_failures(pg, &db);
    assert!(failures.contains(&"events_stream_seq < stream position of events".to_string()), "{failures:?}");
}
