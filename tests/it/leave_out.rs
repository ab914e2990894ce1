//! LEAVE_OUT: untranslatable defaults, CHECKs and indexes stop the run (exit 4) with the setting that would go
//! past them; named in LEAVE_OUT they are left out, each listed in the log and the report

use crate::common::pg::PgCluster;
use crate::support::{migrate, Fixture};

const SCHEMA: &str = r#"
CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT (typeof(1)), b TEXT CHECK (typeof(b) = 'text'), c INTEGER);
CREATE INDEX i_typeof ON t (typeof(c));
CREATE INDEX i_plain ON t (c);
INSERT INTO t (b, c) VALUES ('x', 1), ('y', 2);
"#;

#[test]
fn untranslatable_objects_stop_the_run_and_name_the_setting() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SCHEMA);
    let (run, _) = migrate(pg, &fx.path, &[]);
    run.assert_code(4)
        .assert_stderr_has("3 object(s) cannot be translated")
        .assert_stderr_has("table \"t\", column \"a\": default: function typeof()")
        .assert_stderr_has("index \"i_typeof\"")
        .assert_stderr_has("set LEAVE_OUT=t.a:default,t.b:check,index:i_typeof");
    // an entry must name something that lacks a translation
    let (run, _) = migrate(pg, &fx.path, &[("LEAVE_OUT", "t.a:default,t.b:check,index:i_typeof,index:i_plain")]);
    run.assert_code(4).assert_stderr_has("LEAVE_OUT entry index:i_plain names nothing that lacks a translation");
    let (run, _) = migrate(pg, &fx.path, &[("LEAVE_OUT", "t.a:drop")]);
    run.assert_code(2).assert_stderr_has("LEAVE_OUT entry t.a:drop must look like");
    let (run, _) = migrate(pg, &fx.path, &[("LEAVE_OUT", "t.a:default"), ("SCHEMA", "none")]);
    run.assert_code(2).assert_stderr_has("LEAVE_OUT applies to SCHEMA=auto only");
}

#[test]
fn named_objects_are_left_out_and_reported() {
    let pg = PgCluster::shared();
    let fx = Fixture::new(SCHEMA);
    let report = fx.dir.path().join("report.json");
    let (run, db) = migrate(
        pg,
        &fx.path,
        &[("LEAVE_OUT", "T.A:default, t.b:check,index:i_typeof"), ("REPORT_PATH", report.to_str().unwrap())],
    );
    run.assert_code(0)
        .assert_stderr_has("left out table \"t\", column \"a\": default: function typeof() has no postgresql equivalent (LEAVE_OUT=t.a:default)")
        .assert_stderr_has("left out table \"t\", column \"b\": check constraint")
        .assert_stderr_has("left out index \"i_typeof\"")
        .assert_stderr_has("3 object(s) left out (LEAVE_OUT)");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["left_out"].as_array().map(Vec::len), Some(3), "{json}");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM t"), "2");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM pg_attrdef WHERE adrelid = 't'::regclass"), "0");
    assert_eq!(
        pg.psql(&db, "SELECT count(*) FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'c'"),
        "0"
    );
    assert_eq!(pg.psql(&db, "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY 1) FROM pg_index WHERE indrelid = 't'::regclass AND NOT indisprimary"), "i_plain");
}
