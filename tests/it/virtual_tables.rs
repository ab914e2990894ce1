//! FTS3/4/5 and R*Tree tables move with the data: tables with their rows, tsvector columns with GIN indexes that
//! find what SQLite's MATCH finds, contentless FTS tables reported; against a real PostgreSQL, JOBS=1 and staged

use crate::common::pg::PgCluster;
use crate::support;
use crate::support::{migrate, Fixture};

const SQLITE: &str = "
CREATE VIRTUAL TABLE docs USING fts5(title, body);
INSERT INTO docs (rowid, title, body) VALUES
  (3, 'sqlite notes', 'small embedded database engine'),
  (7, 'postgres guide', 'server database with rich search'),
  (12, 'rust book', 'tokio runtime and async code'),
  (20, NULL, 'database search in rust');
CREATE VIRTUAL TABLE notes USING fts4(subject, body, notindexed=body);
INSERT INTO notes (docid, subject, body) VALUES (5, 'kayak trip', 'river canoe'), (9, 'canoe repair', 'glue kayak');
CREATE TABLE art (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);
CREATE VIRTUAL TABLE art_fts USING fts5(title, body, content='art', content_rowid='id');
INSERT INTO art VALUES (1, 'zebra facts', 'stripes'), (2, 'lion facts', 'mane and stripes'), (4, 'owl', NULL);
INSERT INTO art_fts (art_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE blind USING fts5(x, content='');
INSERT INTO blind (rowid, x) VALUES (1, 'gone text');
CREATE VIRTUAL TABLE geo USING rtree(id, minx, maxx, miny, maxy, +label);
INSERT INTO geo VALUES (1, 0.5, 1.25, -3, 4, 'a'), (2, 10, 20, 30, 40.75, NULL);
CREATE VIRTUAL TABLE grid USING rtree_i32(id, a, b);
INSERT INTO grid VALUES (1, -5, 7), (8, 100, 2000000);
";

/// (SQLite MATCH, PostgreSQL tsquery) pairs that ask the same question.
const QUERIES: &[(&str, &str, &str, &str)] = &[
    ("docs", "tsv", "database", "database"),
    ("docs", "tsv", "rust AND search", "rust & search"),
    ("docs", "tsv", "sqlite OR tokio", "sqlite | tokio"),
    ("docs", "tsv", "guide", "guide"),
    ("docs", "tsv", "absent", "absent"),
    ("notes", "tsv", "kayak", "kayak"),
    ("notes", "tsv", "canoe", "canoe"),
    ("notes", "tsv", "glue", "glue"),
];

fn sqlite_ids(fx: &Fixture, sql: &str) -> String {
    let conn = rusqlite::Connection::open(&fx.path).expect("open");
    let mut stmt = conn.prepare(sql).expect("prepare");
    let ids: Vec<String> =
        stmt.query_map([], |r| r.get::<_, i64>(0)).expect("query").map(|r| r.expect("row").to_string()).collect();
    ids.join(",")
}

fn check(jobs: &str) {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SQLITE);
    let report = fx.dir.path().join("report.json");
    let (run, db) = migrate(pg, &fx.path, &[("JOBS", jobs), ("REPORT_PATH", report.to_str().expect("utf-8 path"))]);
    run.assert_code(0)
        .assert_stderr_has("virtual table \"docs\" (fts5) became table \"docs\"")
        .assert_stderr_has("virtual table \"art_fts\" (fts5) became a generated tsvector column and GIN index \"art_fts_gin\" on its content table \"art\"")
        .assert_stderr_has("virtual table \"geo\" (rtree) became table \"geo\"")
        .assert_stderr_has("virtual table \"grid\" (rtree_i32) became table \"grid\"")
        .assert_stderr_has("skipped virtual table \"blind\": contentless fts5 table");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    let became: Vec<String> = json["virtual_tables"]
        .as_array()
        .expect("virtual_tables")
        .iter()
        .map(|v| format!("{} {}", v["name"], v["module"]))
        .collect();
    assert_eq!(
        became,
        [
            "\"art_fts\" \"fts5\"",
            "\"docs\" \"fts5\"",
            "\"geo\" \"rtree\"",
            "\"grid\" \"rtree_i32\"",
            "\"notes\" \"fts4\""
        ]
    );
    assert!(json["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .any(|s| s["kind"] == "virtual table" && s["name"] == "blind"));
    let tables = pg.psql(&db, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'");
    assert_eq!(tables, "art,docs,geo,grid,notes", "no shadow table is migrated");
    // rows, with their rowids / docids as keys
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(rowid || ':' || coalesce(title, '-') || ':' || body, '|' ORDER BY rowid) FROM docs"),
        "3:sqlite notes:small embedded database engine|7:postgres guide:server database with rich search|12:rust book:tokio runtime and async code|20:-:database search in rust"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(docid || ':' || subject || ':' || body, '|' ORDER BY docid) FROM notes"),
        "5:kayak trip:river canoe|9:canoe repair:glue kayak"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'geo'::regclass AND attnum > 0"),
        "id integer,minx real,maxx real,miny real,maxy real,label text"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(concat_ws(':', id, minx, maxx, miny, maxy, label), '|' ORDER BY id) FROM geo"),
        "1:0.5:1.25:-3:4:a|2:10:20:30:40.75"
    );
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(concat_ws(':', id, a, b), '|' ORDER BY id) FROM grid"),
        "1:-5:7|8:100:2000000"
    );
    // coordinates R*Tree rounded to 32-bit floats arrive exactly as SQLite reads them
    let conn = rusqlite::Connection::open(&fx.path).expect("open");
    conn.execute_batch("INSERT INTO geo VALUES (3, 0.1, 0.7, -0.3, 1e10, NULL)").expect("insert");
    drop(conn);
    let (run, db2) = migrate(pg, &fx.path, &[("JOBS", jobs)]);
    run.assert_code(0);
    let conn = rusqlite::Connection::open(&fx.path).expect("open");
    let coords: (f64, f64, f64, f64) = conn
        .query_row("SELECT minx, maxx, miny, maxy FROM geo WHERE id = 3", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("row");
    assert_ne!(coords.0, 0.1, "sqlite rounded the coordinate to a 32-bit float");
    let same = format!(
        "SELECT minx::float8 = {:?}::float8 AND maxx::float8 = {:?}::float8 AND miny::float8 = {:?}::float8 AND maxy::float8 = {:?}::float8 FROM geo WHERE id = 3",
        coords.0, coords.1, coords.2, coords.3
    );
    assert_eq!(pg.psql(&db2, &same), "t");
    assert_eq!(
        pg.psql(
            &db,
            "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE indexdef LIKE '%USING gin%'"
        ),
        "art_fts_gin,docs_gin,notes_gin"
    );
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid IN ('docs'::regclass, 'notes'::regclass, 'geo'::regclass)"), "3");
    // the search columns find what MATCH finds
    for (table, column, matching, tsquery) in QUERIES {
        let want =
            sqlite_ids(&fx, &format!("SELECT rowid FROM {table} WHERE {table} MATCH '{matching}' ORDER BY rowid"));
        let got = pg.psql(
            &db,
            &format!("SELECT coalesce(string_agg(t::text, ',' ORDER BY t), '') FROM (SELECT {} AS t FROM {table} WHERE {column} @@ to_tsquery('english', '{tsquery}')) s", if *table == "docs" { "rowid" } else { "docid" }),
        );
        assert_eq!(got, want, "{table} MATCH '{matching}'");
    }
    for (matching, tsquery) in [
        ("stripes", "stripes"),
        ("facts AND zebra", "facts & zebra"),
        ("mane OR owl", "mane | owl"),
        ("nothing", "nothing"),
    ] {
        let want =
            sqlite_ids(&fx, &format!("SELECT rowid FROM art_fts WHERE art_fts MATCH '{matching}' ORDER BY rowid"));
        let got = pg.psql(&db, &format!("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM art WHERE art_fts @@ to_tsquery('english', '{tsquery}')"));
        assert_eq!(got, want, "art_fts MATCH '{matching}'");
        assert!(!want.is_empty() || matching == "nothing", "the query {matching} finds something in sqlite");
    }
    // the column is generated: rows the application adds later are searchable too
    pg.psql(&db, "INSERT INTO docs (rowid, title, body) VALUES (99, 'late', 'quokka')");
    assert_eq!(pg.psql(&db, "SELECT rowid FROM docs WHERE tsv @@ to_tsquery('english', 'quokka')"), "99");
}

#[test]
fn virtual_tables_in_one_transaction() {
    check("1");
}

#[test]
fn virtual_tables_staged() {
    check("4");
}

#[test]
fn fts_config_sets_the_text_search_configuration() {
    let pg = PgCluster::shared();
    let fx =
        Fixture::new("CREATE VIRTUAL TABLE d USING fts4(t); INSERT INTO d (docid, t) VALUES (1, 'the running dogs');");
    let (run, db) = migrate(pg, &fx.path, &[("FTS_CONFIG", "simple")]);
    run.assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT tsv::text FROM d"), "'dogs':3 'running':2 'the':1");
    let (run, _) = migrate(pg, &fx.path, &[("FTS_CONFIG", "no_such_config")]);
    run.assert_code(4);
    let (run, _) = migrate(pg, &fx.path, &[("FTS_CONFIG", "x'; drop")]);
    run.assert_code(2);
}

#[test]
fn fts_config_per_fts_table() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE VIRTUAL TABLE d USING fts4(t); INSERT INTO d (docid, t) VALUES (1, 'the running dogs');
         CREATE VIRTUAL TABLE e USING fts5(t); INSERT INTO e (rowid, t) VALUES (1, 'the running dogs');",
    );
    // SCHEMA=auto: the default for one table, the exception for the other (its name in any case)
    let (run, db) = migrate(pg, &fx.path, &[("FTS_CONFIG", "simple, E:english")]);
    run.assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT tsv::text FROM d"), "'dogs':3 'running':2 'the':1");
    assert_eq!(pg.psql(&db, "SELECT tsv::text FROM e"), "'dog':3 'run':2");
    // onto an existing table (SCHEMA=none): the exception fills its tsvector column
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE d (vector tsvector)");
    let run = support::migrate_into(
        pg,
        &db,
        &fx.path,
        &[("SCHEMA", "none"), ("FTS_CONFIG", "d:simple"), ("EXCLUDE_TABLES", "e")],
    );
    run.assert_code(0);
    assert_eq!(pg.psql(&db, "SELECT vector::text FROM d"), "'dogs':3 'running':2 'the':1");
    for bad in ["simple,english", "d:", ":simple", "d:x'y"] {
        let (run, _) = migrate(pg, &fx.path, &[("FTS_CONFIG", bad)]);
        run.assert_code(2).assert_stderr_has("FTS_CONFIG");
    }
}

/// A chat homeserver's search index: FTS4 on SQLite, a plain table with a tsvector column on PostgreSQL.
const HOMESERVER: &str = "
CREATE VIRTUAL TABLE event_search USING fts4(event_id, room_id, sender, key, value);
INSERT INTO event_search (docid, event_id, room_id, sender, key, value) VALUES
  (1, '$a', '!r1', '@ann', 'content.body', 'lunch at noon tomorrow'),
  (2, '$b', '!r1', '@bob', 'content.body', 'noon works for me'),
  (3, '$c', '!r2', '@ann', 'content.name', 'project kickoff'),
  (4, '$d', '!r2', '@cyd', 'content.topic', NULL);
";

const HOMESERVER_PG: &str = "
CREATE TABLE event_search (event_id text, room_id text, sender text, key text, vector tsvector, origin_server_ts bigint, stream_ordering bigint);
CREATE INDEX event_search_fts_idx ON event_search USING gin (vector);
";

fn check_onto_existing(fx: &Fixture, pg: &PgCluster, db: &str, run: &support::Run) {
    run.assert_code(0)
        .assert_stderr_has("target column(s) \"vector\" computed with to_tsvector from column(s) \"value\"")
        .assert_stderr_has("has no column \"docid\", so its rowids are not kept")
        .assert_stderr_has("virtual table \"event_search\" (fts4) became table \"event_search\" with its rows\n");
    assert!(
        !run.stderr.contains("(SCHEMA=auto)"),
        "the application's own schema gets no auto search column: {}",
        run.stderr
    );
    assert_eq!(
        pg.psql(db, "SELECT string_agg(concat_ws(':', event_id, room_id, sender, key), '|' ORDER BY event_id) FROM event_search"),
        "$a:!r1:@ann:content.body|$b:!r1:@bob:content.body|$c:!r2:@ann:content.name|$d:!r2:@cyd:content.topic"
    );
    assert_eq!(
        pg.psql(
            db,
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'event_search'::regclass AND attname LIKE 'sqlite2pg%'"
        ),
        "0"
    );
    for word in ["noon", "lunch", "kickoff", "absent"] {
        let want = {
            let conn = rusqlite::Connection::open(&fx.path).expect("open");
            let mut stmt = conn
                .prepare("SELECT event_id FROM event_search WHERE event_search MATCH ?1 ORDER BY event_id")
                .expect("prepare");
            let ids: Vec<String> = stmt
                .query_map([format!("value:{word}")], |r| r.get(0))
                .expect("query")
                .map(|r| r.expect("row"))
                .collect();
            ids.join(",")
        };
        let got = pg.psql(db, &format!("SELECT coalesce(string_agg(event_id, ',' ORDER BY event_id), '') FROM event_search WHERE vector @@ to_tsquery('english', '{word}')"));
        assert_eq!(got, want, "search for {word}");
    }
    assert_eq!(
        pg.psql(db, "SELECT count(*) FROM event_search WHERE vector IS NULL"),
        "0",
        "a NULL text gives an empty tsvector"
    );
}

#[test]
fn fts_onto_an_existing_table_with_schema_none() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(HOMESERVER);
    let db = pg.fresh_db();
    pg.psql(&db, HOMESERVER_PG);
    let run = support::migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]);
    check_onto_existing(&fx, pg, &db, &run);
}

#[test]
fn fts_onto_a_schema_file_table_staged_and_in_one_transaction() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(HOMESERVER);
    let file = fx.dir.path().join("schema.sql");
    std::fs::write(&file, HOMESERVER_PG).expect("write schema file");
    for jobs in ["4", "1"] {
        let db = pg.fresh_db();
        let run =
            support::migrate_into(pg, &db, &fx.path, &[("SCHEMA", file.to_str().expect("utf-8 path")), ("JOBS", jobs)]);
        check_onto_existing(&fx, pg, &db, &run);
        run.assert_stderr_has(if jobs == "4" {
            "loading 1 table(s) side by side"
        } else {
            "copied 4 rows into \"event_search\""
        });
        assert_eq!(
            pg.psql(
                &db,
                "SELECT indexdef LIKE '%USING gin (vector)%' FROM pg_indexes WHERE indexname = 'event_search_fts_idx'"
            ),
            "t"
        );
    }
}

#[test]
fn fts_text_without_any_target_is_refused() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(HOMESERVER);
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE event_search (event_id text, room_id text, sender text, key text)");
    let run = support::migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]);
    run.assert_code(4)
        .assert_stderr_has("sqlite column \"event_search\".\"value\" has no column in target table \"event_search\"");
}

#[test]
fn fts_values_of_other_storage_classes() {
    let pg = PgCluster::shared();
    let fx = Fixture::new("CREATE VIRTUAL TABLE d USING fts5(t, n); INSERT INTO d (rowid, t, n) VALUES (1, 42, 7), (2, 1.5, 8), (4, 'text', NULL);");
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    assert_eq!(
        pg.psql(&db, "SELECT string_agg(concat_ws(':', rowid, t, n), '|' ORDER BY rowid) FROM d"),
        "1:42:7|2:1.5:8|4:text"
    );
    assert_eq!(
        pg.psql(
            &db,
            "SELECT string_agg(rowid::text, ',' ORDER BY rowid) FROM d WHERE tsv @@ to_tsquery('english', '42 | 8')"
        ),
        "1,2"
    );
    // a blob that is no text cannot go into the text column: named by table, column and rowid
    let fx =
        Fixture::new("CREATE VIRTUAL TABLE d USING fts5(t); INSERT INTO d (rowid, t) VALUES (1, 'a'), (3, x'00ff');");
    let (run, _) = migrate(pg, &fx.path, &[]);
    run.assert_code(5).assert_stderr_has("table \"d\", column \"t\", sqlite rowid 3");
}

#[test]
fn external_content_column_names_and_exclusion() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        "CREATE TABLE art (id INTEGER PRIMARY KEY, title TEXT, art_fts TEXT);
         CREATE VIRTUAL TABLE art_fts USING fts5(title, content='art', content_rowid='id');
         INSERT INTO art VALUES (1, 'heron', 'x'); INSERT INTO art_fts (art_fts) VALUES ('rebuild');",
    );
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    assert_eq!(
        pg.psql(&db, "SELECT id || ':' || art_fts FROM art WHERE art_fts_tsv @@ to_tsquery('english', 'heron')"),
        "1:x"
    );
    let (run, db) = migrate(pg, &fx.path, &[("EXCLUDE_TABLES", "art_fts")]);
    run.assert_code(0)
        .assert_stderr_has("skipped full-text index \"art_fts\": left out by INCLUDE_TABLES / EXCLUDE_TABLES");
    assert!(!run.stderr.contains("virtual table \"art_fts\" (fts5) became"), "{}", run.stderr);
    assert_eq!(pg.psql(&db, "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'art'::regclass AND attnum > 0"), "id,title,art_fts");
    // the application's own table (SCHEMA=none): nothing is added to it, and the summary does not say otherwise
    let db = pg.fresh_db();
    pg.psql(&db, "CREATE TABLE art (id bigint PRIMARY KEY, title text, art_fts text)");
    let run = support::migrate_into(pg, &db, &fx.path, &[("SCHEMA", "none")]);
    run.assert_code(0).assert_stderr_has(
        "skipped full-text index \"art_fts\": SCHEMA is not auto: no tsvector column or GIN index is added to its content table \"art\"",
    );
    assert!(!run.stderr.contains("virtual table \"art_fts\" (fts5) became"), "{}", run.stderr);
    assert_eq!(pg.psql(&db, "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM art"), "1:heron");
}
