//! A PocketBase-shaped database migrates with SCHEMA=auto, and rows inserted afterwards get their defaults from
//! the translated expressions (PocketBase's `r` + 14 hex id, its millisecond UTC timestamps)

use crate::common::pg::PgCluster;
use crate::support::{migrate, Fixture};

/// The shapes PocketBase creates: a random text id default, double-quoted string defaults, JSON defaults, a
/// strftime() default, a json_extract() and a strftime() index, partial unique indexes.
const POCKETBASE: &str = r#"
CREATE TABLE `_superusers` (`created` TEXT DEFAULT '' NOT NULL, `email` TEXT DEFAULT '' NOT NULL,
  `id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, `verified` BOOLEAN DEFAULT FALSE NOT NULL);
CREATE UNIQUE INDEX `idx_email_superusers` ON `_superusers` (`email`) WHERE `email` != '';
CREATE TABLE `_collections` (`id` TEXT PRIMARY KEY, `type` TEXT DEFAULT "base" NOT NULL,
  "fields" JSON DEFAULT "[]" NOT NULL, `options` JSON DEFAULT "{}" NOT NULL);
CREATE TABLE `_logs` (
  `id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
  `level` INTEGER DEFAULT 0 NOT NULL,
  `message` TEXT DEFAULT "" NOT NULL,
  `data` JSON DEFAULT "{}" NOT NULL,
  `created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL);
CREATE INDEX _logs_data_auth_idx on `_logs` (JSON_EXTRACT(`data`, '$.auth'));
CREATE INDEX _logs_created_hour_idx on `_logs` (strftime('%Y-%m-%d %H:00:00', `created`));
INSERT INTO _superusers (email, created) VALUES ('a@example.com', '2022-10-10 09:50:06.449Z'), ('', '2022-10-10 11:22:27.982Z');
INSERT INTO _collections (id) VALUES ('pbc_1');
INSERT INTO _logs (level, message, data) VALUES (0, 'GET /api/health', '{"auth":"_superusers","status":200,"execTime":9.681131}');
INSERT INTO _logs (level, message, data, created) VALUES (4, 'boom', '{"status":500}', '2024-02-29 23:59:59.999Z');
"#;

#[test]
fn pocketbase_schema_migrates_and_defaults_work_afterwards() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(POCKETBASE);
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0).assert_stderr_has("_logs_created_hour_idx");
    let q = |sql: &str| pg.psql(&db, sql);
    // the ids SQLite generated are kept; new ones come from the translated default
    assert_eq!(q("SELECT count(*) FROM _superusers WHERE id ~ '^r[0-9a-f]{14}$'"), "2");
    let id = q("INSERT INTO _superusers (email) VALUES ('b@example.com') RETURNING id");
    assert!(
        id.len() == 15
            && id.starts_with('r')
            && id[1..].chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{id}"
    );
    let log =
        q("INSERT INTO _logs (level) VALUES (1) RETURNING id || ' ' || created || ' ' || message || '|' || data::text");
    let (id, rest) = log.split_once(' ').unwrap();
    assert!(id.len() == 15 && id.starts_with('r'), "{log}");
    let (created, rest) = rest.split_at(24);
    let shape = created.as_bytes();
    assert!(
        created.ends_with('Z') && shape[10] == b' ' && shape[19] == b'.' && created[..4].parse::<u32>().is_ok(),
        "{log}"
    );
    assert_eq!(rest, " |{}");
    assert_eq!(
        q("INSERT INTO _collections (id) VALUES ('pbc_2') RETURNING type || fields::text || options::text"),
        "base[]{}"
    );
    // the index expressions compute SQLite's values
    assert_eq!(
        q("SELECT string_agg(i, ',' ORDER BY i) FROM (SELECT indexrelid::regclass::text AS i FROM pg_index WHERE indrelid = '_logs'::regclass AND indexprs IS NOT NULL) s"),
        "_logs_created_hour_idx,_logs_data_auth_idx"
    );
    let sqlite = rusqlite::Connection::open(&fx.path).unwrap();
    let want: String = sqlite
        .query_row("SELECT group_concat(coalesce(JSON_EXTRACT(data, '$.auth'), '-') || ' ' || strftime('%Y-%m-%d %H:00:00', created), ';') FROM (SELECT * FROM _logs ORDER BY rowid)", [], |r| r.get(0))
        .unwrap();
    let exprs = q("SELECT string_agg(pg_get_indexdef(indexrelid, 1, true), ' ;; ' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = '_logs'::regclass AND indexprs IS NOT NULL");
    let (hour, auth) = exprs.split_once(" ;; ").unwrap();
    let got = q(&format!(
        "SELECT string_agg(coalesce({auth}, '-') || ' ' || {hour}, ';' ORDER BY ctid) FROM _logs WHERE level <> 1"
    ));
    assert_eq!(got, want);
    // the partial unique index keeps PocketBase's rule: one '' allowed many times, other emails once
    q("INSERT INTO _superusers (email) VALUES ('')");
    assert!(pg.try_psql(&db, "INSERT INTO _superusers (email) VALUES ('a@example.com')").is_err());
}

/// A view over SQLite functions keeps SQLite's column names (`unixepoch(created)`) and computes its values.
#[test]
fn views_keep_sqlite_column_names_and_values() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(
        r#"CREATE TABLE t (name TEXT, created TEXT, data JSON);
           INSERT INTO t VALUES ('Ann', '2024-02-29 10:00:00.250Z', '{"a":1}'), ('BOB', '2024-13-01', '{"a":"x"}'), (NULL, NULL, NULL);
           CREATE VIEW v AS SELECT unixepoch(created), json_extract(data, '$.a'), lower(name) AS l,
             strftime('%Y-%m', created, '+1 month') FROM t;"#,
    );
    let (run, db) = migrate(pg, &fx.path, &[]);
    run.assert_code(0);
    let sqlite = rusqlite::Connection::open(&fx.path).unwrap();
    let names: Vec<String> = sqlite
        .prepare("SELECT name FROM pragma_table_info('v')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        names,
        ["unixepoch(created)", "json_extract(data, '$.a')", "l", "strftime('%Y-%m', created, '+1 month')"]
    );
    let pg_names = pg.psql(&db, "SELECT string_agg(column_name, '|' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'v'");
    assert_eq!(pg_names, names.join("|"));
    let want: String = sqlite
        .query_row(
            "SELECT group_concat(coalesce(CAST(\"unixepoch(created)\" AS TEXT), '-') || ' ' || coalesce(CAST(\"json_extract(data, '$.a')\" AS TEXT), '-') || ' ' || coalesce(l, '-') || ' ' || coalesce(\"strftime('%Y-%m', created, '+1 month')\", '-'), ';') FROM v",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let got = pg.psql(&db, "SELECT string_agg(coalesce(\"unixepoch(created)\"::text, '-') || ' ' || coalesce(\"json_extract(data, '$.a')\"::text, '-') || ' ' || coalesce(l, '-') || ' ' || coalesce(\"strftime('%Y-%m', created, '+1 month')\", '-'), ';') FROM v");
    assert_eq!(got, want);
}
