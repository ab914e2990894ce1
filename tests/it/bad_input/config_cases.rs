//! bad settings: each is exit 2, named, before anything touches the target

use super::harness::{Case, ROWVALUE};
use crate::support::Fixture;

fn fixture() -> Fixture {
    Fixture::new(&format!("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO t VALUES (1, '{ROWVALUE}');"))
}

fn config_case(name: &str, env: &[(&str, &str)], messages: &[&str]) {
    let fx = fixture();
    let mut case = Case::fresh(name, &fx.path);
    for (k, v) in env {
        case = case.env(k, v);
    }
    case.expect(2, messages).check();
}

#[test]
fn unknown_on_existing() {
    config_case(
        "unknown ON_EXISTING",
        &[("ON_EXISTING", "overwrite")],
        &["ON_EXISTING=overwrite", "skip, replace or fail"],
    );
}

#[test]
fn schema_pointing_at_nothing() {
    config_case(
        "SCHEMA pointing at nothing",
        &[("SCHEMA", "/no/such/dir/schema.sql")],
        &["SCHEMA", "/no/such/dir/schema.sql", "does not exist"],
    );
}

#[test]
fn wait_timeout_not_a_number() {
    config_case("WAIT_TIMEOUT=abc", &[("WAIT_TIMEOUT", "abc")], &["WAIT_TIMEOUT", "seconds"]);
}

#[test]
fn both_database_url_and_file() {
    config_case(
        "DATABASE_URL and DATABASE_URL_FILE",
        &[("DATABASE_URL", "{url}"), ("DATABASE_URL_FILE", "{url_file}")],
        &["DATABASE_URL_FILE", "not both"],
    );
}

#[test]
fn both_direct_url_and_file() {
    config_case(
        "DIRECT_URL and DIRECT_URL_FILE",
        &[("DIRECT_URL", "{url}"), ("DIRECT_URL_FILE", "{url_file}")],
        &["DIRECT_URL_FILE", "not both"],
    );
}

#[test]
fn direct_url_file_missing() {
    config_case(
        "DIRECT_URL_FILE missing",
        &[("DIRECT_URL_FILE", "/no/such/secret/direct-url")],
        &["DIRECT_URL_FILE", "/no/such/secret/direct-url"],
    );
}

#[test]
fn database_url_file_missing() {
    config_case(
        "DATABASE_URL_FILE missing",
        &[("DATABASE_URL_FILE", "/no/such/secret/database-url")],
        &["DATABASE_URL_FILE", "/no/such/secret/database-url"],
    );
}

#[test]
fn pgsslmode_bogus() {
    config_case("PGSSLMODE=bogus", &[("PGSSLMODE", "bogus")], &["sslmode", "bogus"]);
}

#[test]
fn strict_schema_maybe() {
    config_case("STRICT_SCHEMA=maybe", &[("STRICT_SCHEMA", "maybe")], &["STRICT_SCHEMA", "true or false"]);
}

#[test]
fn target_schema_is_the_ledger() {
    config_case("TARGET_SCHEMA=sqlite2pg", &[("TARGET_SCHEMA", "sqlite2pg")], &["TARGET_SCHEMA", "ledger"]);
}

#[test]
fn column_formats_garbage() {
    config_case("COLUMN_FORMATS=garbage", &[("COLUMN_FORMATS", "garbage")], &["COLUMN_FORMATS", "garbage"]);
}

#[test]
fn column_formats_unknown_format() {
    config_case(
        "COLUMN_FORMATS unknown format",
        &[("COLUMN_FORMATS", "t.s=epoch_days")],
        &["COLUMN_FORMATS", "epoch_s"],
    );
}
