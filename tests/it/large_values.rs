//! values above the streaming threshold (src/load/large.rs): byte for byte, checked as text, in memory bounded
//! whatever their size, in each way a run copies

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::common::pg::PgCluster;
use crate::support::{migrate, snapshot, Fixture, Scope, EMPTY};

/// Above the threshold (1 MiB) and cut into many 64 KiB pieces.
const SIZE: usize = 3 << 20;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `n` bytes of a fixed pseudo-random sequence (every byte value, nul included).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 56).to_le_bytes()[0]
        })
        .collect()
}

/// Text of at least `n` bytes whose characters of two, three and four bytes are cut by the 64 KiB pieces at each
/// of their bytes: its period of 9 bytes and 65536 have no common factor, so the cuts meet every offset in it.
fn text(n: usize) -> String {
    let mut s = String::with_capacity(n + 9);
    while s.len() < n {
        s.push_str("é€😀");
    }
    s
}

/// The digest PostgreSQL computes of a column, text as its UTF-8 bytes; `null` for NULL.
fn pg_sha(column: &str, is_text: bool) -> String {
    let bytes = if is_text { format!("convert_to({column}, 'UTF8')") } else { column.to_string() };
    format!("coalesce(encode(sha256({bytes}), 'hex'), 'null')")
}

/// The digests of each row of `table` (columns: `(name, is_text)`), ordered by `key`, as PostgreSQL computes them.
fn digests(pg: &PgCluster, db: &str, table: &str, key: &str, columns: &[(&str, bool)]) -> String {
    let cols: Vec<String> = columns.iter().map(|(c, t)| pg_sha(c, *t)).collect();
    pg.psql(db, &format!("SELECT {key}, {} FROM {table} ORDER BY {key}", cols.join(", ")))
}

fn line(key: &str, values: &[Option<&[u8]>]) -> String {
    let cols: Vec<String> = values.iter().map(|v| v.map_or_else(|| "null".to_string(), sha)).collect();
    format!("{key}|{}", cols.join("|"))
}

/// A file of large values of every class into every pass-through column, beside NULL, empty and small ones, in a
/// rowid table, and in a WITHOUT ROWID table (read whole); what PostgreSQL must hold of each.
fn fixture() -> (Fixture, String, String) {
    let blob = noise(SIZE, 1);
    let long = text(SIZE);
    let blob_text = text(2 << 20); // valid UTF-8 stored as a BLOB, into text
    let text_blob = text(2 << 20) + "!"; // TEXT into bytea
    let untyped = noise(2 << 20, 2);
    let fx = Fixture::with(|c| {
        c.execute_batch(
            "CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB, t TEXT, v VARCHAR(3000000), u);
             CREATE TABLE w (k TEXT PRIMARY KEY, b BLOB, t TEXT) WITHOUT ROWID;",
        )
        .unwrap();
        let mut insert = c.prepare("INSERT INTO big VALUES (?1, ?2, ?3, ?4, ?5)").unwrap();
        insert.execute(rusqlite::params![1, blob, long, long, untyped]).unwrap();
        insert.execute(rusqlite::params![2, Vec::<u8>::new(), "", None::<String>, None::<Vec<u8>>]).unwrap();
        insert.execute(rusqlite::params![3, text_blob, blob_text.as_bytes(), "small", None::<Vec<u8>>]).unwrap();
        insert.execute(rusqlite::params![4, b"\x00\xff".to_vec(), "small", None::<String>, b"\x01".to_vec()]).unwrap();
        c.execute("INSERT INTO w VALUES ('k', ?1, ?2)", rusqlite::params![blob, long]).unwrap();
    });
    let big = [
        line("1", &[Some(&blob), Some(long.as_bytes()), Some(long.as_bytes()), Some(&untyped)]),
        line("2", &[Some(b""), Some(b""), None, None]),
        line("3", &[Some(text_blob.as_bytes()), Some(blob_text.as_bytes()), Some(b"small"), None]),
        line("4", &[Some(b"\x00\xff"), Some(b"small"), None, Some(b"\x01")]),
    ]
    .join("\n");
    let w = line("k", &[Some(&blob), Some(long.as_bytes())]);
    (fx, big, w)
}

fn check(pg: &PgCluster, db: &str, big: &str, w: &str) {
    let columns = [("b", false), ("t", true), ("v", true), ("u", false)];
    assert_eq!(digests(pg, db, "big", "id", &columns), big);
    assert_eq!(digests(pg, db, "w", "k", &[("b", false), ("t", true)]), w);
}

/// SCHEMA=auto, side by side (staged) and in one transaction (JOBS=1): every value arrives byte for byte, and the
/// type scan, which checks the large values piece by piece, chooses what it chooses for small ones.
#[test]
fn large_values_arrive_byte_for_byte_in_both_executors() {
    let pg = PgCluster::shared();
    let (fx, big, w) = fixture();
    for jobs in ["4", "1"] {
        let (run, db) = migrate(pg, &fx.path, &[("JOBS", jobs)]);
        run.assert_code(0);
        check(pg, &db, &big, &w);
        let types = pg.psql(
            &db,
            "SELECT string_agg(column_name || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) \
             FROM information_schema.columns JOIN pg_attribute ON attrelid = 'big'::regclass AND attname = column_name \
             WHERE table_name = 'big'",
        );
        assert_eq!(types, "id integer, b bytea, t text, v character varying(3000000), u bytea", "JOBS={jobs}");
    }
}

/// Into the application's schema (a schema file): large values into text, bytea and a varchar wide enough, and a
/// varchar one character too narrow, which refuses the value by its length in characters, naming table, column and
/// rowid.
#[test]
fn large_values_into_a_schema_file() {
    let pg = PgCluster::shared();
    let (fx, big, w) = fixture();
    let chars = text(SIZE).chars().count();
    let schema = fx.dir.path().join("schema.sql");
    let write = |v: usize| {
        std::fs::write(
            &schema,
            format!(
                "CREATE TABLE big (id bigint PRIMARY KEY, b bytea, t text, v varchar({v}), u bytea);\n\
                 CREATE TABLE w (k text PRIMARY KEY, b bytea, t text);\n"
            ),
        )
        .unwrap()
    };
    let env = [("SCHEMA", schema.to_str().unwrap())];
    write(chars);
    let (run, db) = migrate(pg, &fx.path, &env);
    run.assert_code(0);
    check(pg, &db, &big, &w);

    write(chars - 1);
    let (run, db) = migrate(pg, &fx.path, &env);
    let narrow = format!("varchar({})", chars - 1);
    run.assert_code(5).assert_stderr_has(&format!(
        "table \"big\", column \"v\", sqlite rowid 1: value is too long for {narrow} (target type {narrow})"
    ));
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

/// A file whose TEXT column holds large values PostgreSQL's text refuses: invalid UTF-8 past the first pieces,
/// and a nul byte; beside a valid one.
fn refused_fixture(secret: &str) -> Fixture {
    let mut invalid = text(SIZE).into_bytes();
    invalid[2 * (1 << 20) + 3] = 0xff;
    let mut nul = format!("{secret} {}", text(SIZE));
    let at = ((1 << 20) + 5..).find(|i| nul.is_char_boundary(*i)).unwrap();
    nul.insert(at, '\0');
    Fixture::with(|c| {
        c.execute_batch("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)").unwrap();
        c.execute("INSERT INTO docs VALUES (10, ?1)", [text(SIZE)]).unwrap();
        c.execute("INSERT INTO docs VALUES (11, CAST(?1 AS TEXT))", [&invalid]).unwrap();
        c.execute("INSERT INTO docs VALUES (12, ?1)", [&nul]).unwrap();
    })
}

/// Invalid UTF-8 and a nul byte in a large TEXT stop the run (exit 5) naming table, column and rowid, never the
/// value, and leave the target as it was; CHECK_ONLY lists both.
#[test]
fn large_text_postgresql_refuses_is_named_by_table_column_and_rowid() {
    let pg = PgCluster::shared();
    let secret = "do-not-print-this-value";
    let fx = refused_fixture(secret);
    for jobs in ["4", "1"] {
        let (run, db) = migrate(pg, &fx.path, &[("JOBS", jobs)]);
        run.assert_code(5)
            .assert_stderr_has(
                "table \"docs\", column \"body\", sqlite rowid 11: text is not valid utf-8 (target type text)",
            )
            .assert_no_leak(secret);
        assert_eq!(snapshot(pg, &db, Scope::All), EMPTY, "JOBS={jobs}");
    }
    let (run, db) = migrate(pg, &fx.path, &[("CHECK_ONLY", "true")]);
    run.assert_code(5)
        .assert_stderr_has(
            "table \"docs\", column \"body\", sqlite rowid 11: text is not valid utf-8 (target type text)",
        )
        .assert_stderr_has(
            "table \"docs\", column \"body\", sqlite rowid 12: text contains a nul byte (target type text)",
        )
        .assert_no_leak(secret);
    assert_eq!(snapshot(pg, &db, Scope::All), EMPTY);
}

/// One run of the binary over `sqlite` into `db` (JOBS=`jobs`): its exit code and its peak memory in KiB. The peak
/// is the process's own high-water mark (`VmHWM`), read while it pauses before its commit, after every row was
/// copied. (`wait4`'s `ru_maxrss` would not do: it counts the test process's memory, which the child shared
/// until its exec.)
fn run_measured(pg: &PgCluster, db: &str, sqlite: &Path, jobs: &str, log: &Path) -> (Option<i32>, u64) {
    let out = std::fs::File::create(log).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sqlite2pg"))
        .env_clear()
        .env("SQLITE_PATH", sqlite)
        .env("DATABASE_URL", pg.url(db))
        .env("JOBS", jobs)
        .env("WAIT_TIMEOUT", "10")
        .env("RUST_LOG", "info")
        .env("SQLITE2PG_TEST_PAUSE", "commit:1")
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            let hwm = s.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().strip_suffix("kB"));
            peak = peak.max(hwm.and_then(|v| v.trim().parse().ok()).unwrap_or(0));
        }
        if let Some(done) = child.try_wait().unwrap() {
            return (done.code(), peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Values far larger than the memory a run may take (48 MB each, a BLOB and a TEXT, in the type scan and the copy)
/// pass through a run whose peak memory stays below the size of one of them.
#[test]
fn peak_memory_stays_below_the_size_of_one_value() {
    let pg = PgCluster::shared();
    let n = 48 << 20;
    let blob = noise(n, 3);
    let long = text(n);
    let fx = Fixture::with(|c| {
        c.execute_batch("CREATE TABLE files (id INTEGER PRIMARY KEY, data BLOB, body TEXT, anything)").unwrap();
        c.execute("INSERT INTO files VALUES (1, ?1, ?2, ?1)", rusqlite::params![blob, long]).unwrap();
    });
    let expected = format!("{}|{}|{}", sha(&blob), sha(long.as_bytes()), sha(&blob));
    for jobs in ["4", "1"] {
        let db = pg.fresh_db();
        let log = fx.dir.path().join("run.log");
        let (code, kib) = run_measured(pg, &db, &fx.path, jobs, &log);
        let log = std::fs::read_to_string(&log).unwrap();
        assert_eq!(code, Some(0), "{log}");
        assert!(log.contains("test pause at commit"), "the peak was read after the copy: {log}");
        assert!(kib > 1024 && kib < 32 * 1024, "JOBS={jobs}: peak memory {kib} KiB for values of {n} bytes");
        let columns = [pg_sha("data", false), pg_sha("body", true), pg_sha("anything", false)];
        assert_eq!(pg.psql(&db, &format!("SELECT {} FROM files", columns.join(", "))), expected);
    }
}
