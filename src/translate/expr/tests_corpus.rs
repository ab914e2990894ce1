//! Differential tests: every CREATE in the corpus (and tricky hand-written DDL) parsed and
//! compared with what SQLite itself reports through PRAGMA table_xinfo / index_xinfo

use super::*;
use crate::sqlite::ddl::*;
use rusqlite::{Connection, OpenFlags};

/// The corpus folder: `CORPUS_DIR`, else `../shared/corpus` next to the repository (as tests/corpus/run.sh).
fn corpus_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("CORPUS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(dir.is_dir(), "corpus folder not found: {} (set CORPUS_DIR to the folder of .sqlite files)", dir.display());
    dir
}

fn open_ro(path: &std::path::Path) -> Connection {
    let uri = format!("file:{}?mode=ro&immutable=1", path.display());
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(uri, flags).expect("open corpus file")
}

struct PragmaColumn {
    name: String,
    decl: String,
    not_null: bool,
    default: Option<String>,
    pk: bool,
    hidden: i64,
}

fn pragma_columns(conn: &Connection, table: &str) -> Vec<PragmaColumn> {
    let mut st =
        conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1)").unwrap();
    let rows = st
        .query_map([table], |r| {
            Ok(PragmaColumn {
                name: r.get(0)?,
                decl: r.get(1)?,
                not_null: r.get::<_, i64>(2)? != 0,
                default: r.get(3)?,
                pk: r.get::<_, i64>(4)? != 0,
                hidden: r.get(5)?,
            })
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// PRAGMA reports `DEFAULT (expr)` without the parentheses.
fn strip_parens(s: &str) -> &str {
    let t = s.trim();
    match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) if t.len() > 1 => inner.trim(),
        _ => t,
    }
}

/// Compare a parsed table with SQLite's own view of it; returns the number of columns checked.
fn check_table(conn: &Connection, name: &str, sql: &str) -> usize {
    let t = parse_create_table(sql).unwrap_or_else(|e| panic!("{name}: {e}\n{sql}"));
    assert_eq!(t.name, name, "table name");
    let pragma = pragma_columns(conn, name);
    assert_eq!(t.columns.len(), pragma.len(), "{name}: column count");
    for (c, p) in t.columns.iter().zip(&pragma) {
        let ctx = format!("{name}.{}", p.name);
        assert_eq!(c.name, p.name, "{ctx}: name");
        assert_eq!(c.declared_type, p.decl, "{ctx}: declared type");
        assert_eq!(c.not_null, p.not_null, "{ctx}: not null");
        assert_eq!(c.default.as_deref().map(strip_parens), p.default.as_deref().map(str::trim), "{ctx}: default");
        assert_eq!(c.primary_key, p.pk, "{ctx}: primary key");
        assert_eq!(c.generated.is_some(), p.hidden >= 2, "{ctx}: generated");
        assert_eq!(c.generated.as_ref().is_some_and(|g| g.stored), p.hidden == 3, "{ctx}: stored");
    }
    t.columns.len()
}

fn check_index(conn: &Connection, name: &str, sql: &str) {
    let ix = parse_create_index(sql).unwrap_or_else(|e| panic!("{name}: {e}\n{sql}"));
    assert_eq!(ix.name, name);
    let unique: bool = conn
        .query_row("SELECT \"unique\" FROM pragma_index_list(?1) WHERE name = ?2", [&ix.table, name], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{name}: index on {}: {e}", ix.table));
    assert_eq!(ix.unique, unique, "{name}: unique");
    let mut st = conn.prepare("SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(?1) WHERE key = 1").unwrap();
    let keys: Vec<(i64, Option<String>, bool, String)> = st
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ix.items.len(), keys.len(), "{name}: item count");
    for (item, (cid, col, desc, coll)) in ix.items.iter().zip(&keys) {
        assert_eq!(item.desc, *desc, "{name}: desc");
        assert_eq!(item.column.is_some(), *cid >= 0, "{name}: column or expression");
        if let (Some(mine), Some(theirs)) = (&item.column, col) {
            assert!(mine.eq_ignore_ascii_case(theirs), "{name}: {mine} vs {theirs}");
        }
        if let Some(c) = &item.collate {
            assert!(c.eq_ignore_ascii_case(coll), "{name}: collate");
        }
    }
}

#[test]
fn every_corpus_statement_parses_like_sqlite() {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("read corpus folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "corpus incomplete: {}", files.len());
    let (mut tables, mut columns, mut indexes, mut views, mut virtuals) = (0, 0, 0, 0, 0);
    let mut view_results = Vec::new();
    for path in &files {
        let conn = open_ro(path);
        let mut st = conn.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").unwrap();
        let rows: Vec<(String, String, String)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
        for (kind, name, sql) in rows {
            match kind.as_str() {
                "table" if sql.to_ascii_uppercase().starts_with("CREATE VIRTUAL") => {
                    assert!(matches!(parse_create_table(&sql), Err(DdlError::Unsupported(_))));
                    virtuals += 1;
                }
                "table" => {
                    columns += check_table(&conn, &name, &sql);
                    tables += 1;
                }
                "index" => {
                    check_index(&conn, &name, &sql);
                    indexes += 1;
                }
                "view" => {
                    let v = parse_create_view(&sql).unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(v.name, name);
                    view_results.push((name.clone(), translate_select(&v.select)));
                    views += 1;
                }
                _ => {}
            }
        }
    }
    eprintln!("{tables} tables, {columns} columns, {indexes} indexes, {views} views, {virtuals} virtual tables");
    for (name, r) in &view_results {
        eprintln!("view {name}: {}", r.as_ref().map_or_else(|e| format!("untranslatable: {e}"), |_| "ok".into()));
    }
    assert!(tables > 100 && indexes > 50 && views > 20, "corpus smaller than expected");
}

/// Hand-written DDL with the corners SQLite's grammar allows, checked against SQLite itself.
const TRICKY: &[&str] = &[
    r#"CREATE TABLE t1(name text nocase, a "double precision", b decimal (5, 2), c   NVARCHAR( 160 )  not null,
        d [my type], e unsigned big int, f double /*c*/ precision, g int default 5 collate nocase,
        h varchar(10) COLLATE NOCASE, i "a""b" c, j character varying(3), k text constraint x not null,
        l text generated always as (upper(k)) stored, m as (1+2), n int primary key desc on conflict replace,
        o numeric(+5, -2), p blob not null unique, q `t t`, r 'quoted type',
        s integer references foo(id) on delete cascade deferrable initially deferred,
        u text CHECK(u <> '') CHECK (length(u)<3), w x--comment
        y, z "x" "y", aa text(1,2) null, bb int default -1, cc int default +1,
        dd text default 'a''b' not null, ee decimal(10,2)default(0))"#,
    "CREATE TABLE t2(a int key, b text always, c text generated always as (1), d generated always as (2) stored,
        e foo generated, f current_date, g int default abc, h bool default true, i any, j \"integer\", k 'Text',
        l integer primary key autoincrement)",
    "CREATE TABLE t3(a int, b text, primary key (b desc, a) , unique(a), check(a>0)) without rowid, strict",
    "CREATE TABLE IF NOT EXISTS main.\"t\"\"4\"([a b] int, `c``d` int, 'e''f' int, \"select\" int,
        x int not null default (1) check (x>0) constraint ck2 check(x<10) collate \"nocase\" references t3(a), left int)",
    "CREATE TABLE t5(a int default -0x10, b default X'AB', c default current_timestamp, e default +'a',
        f default ( -1 ), g default - 1.5e3, h default \"x\"\"y\", i default [abc], j default false)",
    "CREATE TABLE t6(id integer, v text, constraint pk primary key (id autoincrement) on conflict abort,
        constraint c1 check (v is not null) foreign key (v) references t5(e) match full on update set null)",
    "CREATE TEMP TABLE t7(\"x y\" TEXT DEFAULT (datetime('now','localtime')), z INTEGER NOT NULL ON CONFLICT IGNORE)",
];

const TRICKY_INDEXES: &[&str] = &[
    "CREATE INDEX i1 ON t1(name COLLATE nocase DESC, lower(name), \"a\", [b] ASC) WHERE c IS NOT NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS main.i2 ON t2('a', c + 1 DESC)",
];

#[test]
fn tricky_ddl_matches_sqlite_pragma() {
    let conn = Connection::open_in_memory().unwrap();
    for sql in TRICKY {
        conn.execute_batch(sql).unwrap_or_else(|e| panic!("sqlite rejects test ddl: {e}\n{sql}"));
    }
    for sql in TRICKY_INDEXES {
        conn.execute_batch(sql).unwrap();
    }
    let mut st = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL UNION ALL SELECT type, name, sql FROM sqlite_temp_schema WHERE sql IS NOT NULL")
        .unwrap();
    let rows: Vec<(String, String, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    let mut checked = 0;
    for (kind, name, sql) in rows {
        match kind.as_str() {
            "table" if name != "sqlite_sequence" => checked += check_table(&conn, &name, &sql),
            "index" => check_index(&conn, &name, &sql),
            _ => {}
        }
    }
    assert!(checked > 50, "only {checked} columns checked");
}
