//! Python, Ruby, PHP, Elixir, Go, Rust, .NET and JVM frameworks and PocketBase: each value exactly as the framework
//! writes it on SQLite, into the type its own PostgreSQL schema uses (docs/frameworks.md), PostgreSQL as the oracle.
//! Django, SQLAlchemy, Peewee and ActiveRecord also run for real in tests/frameworks/.

use sqlite2pg::translate::values::ColumnFormat;

use super::harness::{err, ok, Db};

const UUID: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const UUID_TEXT: &str = "'6ba7b810-9dad-11d1-80b4-00c04fd430c8'";

#[tokio::test]
async fn django_sqlalchemy_peewee() {
    let db = Db::new().await;
    // naive UTC text (Django with USE_TZ, SQLAlchemy, Peewee)
    db.check("timestamptz", &[ok("'2024-01-15 12:34:56.123456'", "2024-01-15 12:34:56.123456+00")]).await;
    // DurationField: integer microseconds; SQLAlchemy's Interval: a datetime counted from 1970-01-01
    db.check(
        "interval",
        &[
            ok("273600000007", "3 days 04:00:00.000007"),
            ok("-1", "-1 days +23:59:59.999999"),
            ok("'1970-01-04 04:00:00.000007'", "3 days 04:00:00.000007"),
            ok("'1969-12-31 23:59:59.999999'", "-1 days +23:59:59.999999"),
            err("'1970-01-01 00:00:00+00:00'"),
        ],
    )
    .await;
    // UUIDField / sa.Uuid / peewee UUIDField: 32 hex digits
    db.check("uuid", &[ok("'6ba7b8109dad11d180b400c04fd430c8'", UUID)]).await;
    db.check("time", &[ok("'12:34:56.000000'", "12:34:56")]).await;
    db.check("numeric(12,4)", &[ok("12345678.1234", "12345678.1234"), ok("-0.0001", "-0.0001")]).await;
    db.check("inet", &[ok("'2001:db8::1'", "2001:db8::1")]).await;
    // peewee's IPField: the IPv4 address as an integer, bigint on PostgreSQL too
    db.check("bigint", &[ok("3221225985", "3221225985")]).await;
}

#[tokio::test]
async fn rails_activerecord() {
    let db = Db::new().await;
    // a time column is written on the dummy date 2000-01-01
    db.check(
        "time(6)",
        &[
            ok("'2000-01-01 12:34:56.789'", "12:34:56.789"),
            ok("'2000-01-01 00:00:00'", "00:00:00"),
            ok("'12:34:56'", "12:34:56"),
            err("'2001-01-01 12:34:56'"),
        ],
    )
    .await;
    db.check("timestamp(6)", &[ok("'2024-01-15 12:34:56.789012'", "2024-01-15 12:34:56.789012")]).await;
    // booleans: 't'/'f' before Rails 6, 1/0 since
    db.check("boolean", &[ok("'t'", "true"), ok("'f'", "false"), ok("1", "true"), ok("0", "false")]).await;
    db.check("numeric(12,4)", &[ok("12.5", "12.5")]).await;
}

#[tokio::test]
async fn laravel_eloquent() {
    let db = Db::new().await;
    db.check("timestamp(0) without time zone", &[ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56")]).await;
    db.check("timestamp(0) with time zone", &[ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56+00")]).await;
    db.check("boolean", &[ok("1", "true"), ok("0", "false")]).await;
    db.check("numeric(8,2)", &[ok("19.99", "19.99")]).await;
    db.check("json", &[ok(r#"'{"a":1}'"#, r#"{"a":1}"#)]).await;
    db.check("uuid", &[ok(UUID_TEXT, UUID)]).await;
}

#[tokio::test]
async fn ecto() {
    let db = Db::new().await;
    // :utc_datetime as iso8601 (the default) or text_datetime; :utc_datetime_usec
    db.check(
        "timestamp(0)",
        &[ok("'2024-01-15T12:34:56'", "2024-01-15 12:34:56"), ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56")],
    )
    .await;
    db.check("timestamp", &[ok("'2024-01-15T12:34:56.123456'", "2024-01-15 12:34:56.123456")]).await;
    // :binary_id as text (the default) or as 16 bytes (binary_id_type: :binary)
    db.check("uuid", &[ok(UUID_TEXT, UUID), ok("x'6ba7b8109dad11d180b400c04fd430c8'", UUID)]).await;
    // :map as json text, or as SQLite's JSONB (map_type: :jsonb)
    db.check("jsonb", &[ok(r#"'{"a":1}'"#, r#"{"a":1}"#), ok(r#"jsonb('{"a":[1,2.5]}')"#, r#"{"a":[1,2.5]}"#)]).await;
    db.check("numeric", &[ok("'12.50'", "12.50")]).await;
    db.check("time(0)", &[ok("'12:34:56'", "12:34:56")]).await;
}

#[tokio::test]
async fn gorm() {
    let db = Db::new().await;
    // mattn/go-sqlite3 writes "2006-01-02 15:04:05.999999999-07:00": nanoseconds are kept and never rounded
    db.check(
        "timestamptz",
        &[
            ok("'2024-01-15 14:34:56.123456+02:00'", "2024-01-15 12:34:56.123456+00"),
            ok("'2024-01-15 12:34:56+00:00'", "2024-01-15 12:34:56+00"),
            err("'2024-01-15 12:34:56.123456789+00:00'"),
            // modernc.org/sqlite (glebarez/sqlite) writes Go's Time.String(), monotonic reading and all
            ok("'2024-01-15 14:34:56.123456 +0200 CEST'", "2024-01-15 12:34:56.123456+00"),
            ok("'2024-01-15 12:34:56 +0000 UTC m=+0.001234567'", "2024-01-15 12:34:56+00"),
            err("'2024-01-15 12:34:56 UTC'"),
        ],
    )
    .await;
    db.check("boolean", &[ok("1", "true")]).await;
    db.check("uuid", &[ok(UUID_TEXT, UUID)]).await;
    db.check("jsonb", &[ok(r#"'{"k":"v"}'"#, r#"{"k":"v"}"#)]).await;
    // time.Duration is int64 nanoseconds, bigint on PostgreSQL as well
    db.check("bigint", &[ok("1500000000", "1500000000")]).await;
}

#[tokio::test]
async fn diesel_and_seaorm() {
    let db = Db::new().await;
    // chrono through diesel or sqlx: "%F %T%.f", nanoseconds when the clock has them
    db.check(
        "timestamp",
        &[ok("'2024-01-15 12:34:56.123456'", "2024-01-15 12:34:56.123456"), err("'2024-01-15 12:34:56.123456789'")],
    )
    .await;
    // sqlx writes DateTime<Utc> without an offset, DateTime<FixedOffset> with one
    db.check(
        "timestamptz",
        &[
            ok("'2024-01-15 12:34:56.5'", "2024-01-15 12:34:56.5+00"),
            ok("'2024-01-15 14:34:56.5+02:00'", "2024-01-15 12:34:56.5+00"),
        ],
    )
    .await;
    // sqlx encodes a Uuid as 16 bytes
    db.check("uuid", &[ok("x'6ba7b8109dad11d180b400c04fd430c8'", UUID), err("x'6ba7'")]).await;
    // diesel's sqlite Jsonb is SQLite's binary JSONB; its Json is text
    db.check(
        "jsonb",
        &[ok(r#"jsonb('{"a":[1,2.5,"x"],"b":null}')"#, r#"{"a":[1,2.5,"x"],"b":null}"#), ok("'[true]'", "[true]")],
    )
    .await;
    db.check("time", &[ok("'12:34:56.123456'", "12:34:56.123456")]).await;
    db.check("numeric(10,2)", &[ok("'12.50'", "12.50"), ok("12.5", "12.5")]).await;
}

#[tokio::test]
async fn entity_framework_core() {
    let db = Db::new().await;
    // DateTime "yyyy-MM-dd HH:mm:ss.FFFFFFF": a seventh digit is a tick PostgreSQL cannot hold
    db.check(
        "timestamp with time zone",
        &[
            ok("'2024-01-15 12:34:56.123456'", "2024-01-15 12:34:56.123456+00"),
            ok("'2024-01-15 14:34:56.123+02:00'", "2024-01-15 12:34:56.123+00"),
            err("'2024-01-15 12:34:56.1234567'"),
        ],
    )
    .await;
    // TimeSpan "[-][d.]hh:mm:ss[.fffffff]", kept as Npgsql writes it (days and time with one sign)
    db.check(
        "interval",
        &[
            ok("'1.02:03:04.5000000'", "1 day 02:03:04.5"),
            ok("'-1.02:03:04'", "-1 days -02:03:04"),
            ok("'00:00:01'", "00:00:01"),
            err("'00:00:00.0000001'"),
        ],
    )
    .await;
    db.check("time", &[ok("'12:34:56.1234560'", "12:34:56.123456")]).await;
    db.check("numeric(18,2)", &[ok("'12.50'", "12.50")]).await;
    // Guid as upper-case text
    db.check("uuid", &[ok("'6BA7B810-9DAD-11D1-80B4-00C04FD430C8'", UUID)]).await;
    db.check("boolean", &[ok("1", "true")]).await;
}

#[tokio::test]
async fn hibernate_and_exposed() {
    let db = Db::new().await;
    // sqlite-jdbc's default date_class=INTEGER: timestamps and dates as epoch ms
    db.check("timestamp(6)", &[ok("1705322096789", "2024-01-15 12:34:56.789")]).await;
    db.check("date", &[ok("1705276800000", "2024-01-15")]).await;
    // Hibernate's UUID and Exposed's uuid() are 16 bytes on SQLite
    db.check("uuid", &[ok("x'6ba7b8109dad11d180b400c04fd430c8'", UUID)]).await;
    // Hibernate's Duration is nanoseconds (numeric(21)); COLUMN_FORMATS=...=epoch_ns says so. Its PostgreSQL
    // column is `interval second(6)`: fields ending in second keep days and months (checked against plain interval)
    for ty in ["interval second(6)", "interval day to second"] {
        let cases = [ok("93784500000000", "1 day 02:03:04.5"), ok("-1000", "-1 days +23:59:59.999999"), err("1")];
        let table = db.check_fmt(ty, ColumnFormat::EpochNanos, &cases).await;
        let row = db.row(&format!("SELECT string_agg(x::text, ',' ORDER BY i) FROM \"{table}\"")).await;
        assert_eq!(row, [Some("1 day 02:03:04.5,-1 days +23:59:59.999999".to_string())], "{ty}");
    }
    let iso = db.check("interval day to second", &[ok("'P1Y2M3DT4H'", "1 year 2 mons 3 days 04:00:00")]).await;
    let row = db.row(&format!("SELECT x::text FROM \"{iso}\"")).await;
    assert_eq!(row, [Some("1 year 2 mons 3 days 04:00:00".to_string())]);
    // Exposed: "yyyy-MM-dd HH:mm:ss.SSS", with an offset or Z for timestampWithTimeZone
    db.check("timestamp", &[ok("'2024-01-15 12:34:56.123'", "2024-01-15 12:34:56.123")]).await;
    db.check(
        "timestamptz",
        &[
            ok("'2024-01-15 14:34:56.123+02:00'", "2024-01-15 12:34:56.123+00"),
            ok("'2024-01-15 12:34:56.123Z'", "2024-01-15 12:34:56.123+00"),
        ],
    )
    .await;
    db.check("boolean", &[ok("1", "true")]).await;
}

#[tokio::test]
async fn pocketbase() {
    let db = Db::new().await;
    // date fields: "2006-01-02 15:04:05.000Z"; an unset date is '' (not NULL), which no timestamp holds
    db.check("timestamptz(3)", &[ok("'2024-01-15 12:34:56.789Z'", "2024-01-15 12:34:56.789+00"), err("''")]).await;
    // multiple select / relation fields: a JSON array of strings
    db.check("text[]", &[ok(r#"'["a","b"]'"#, "{a,b}")]).await;
    db.check("jsonb", &[ok(r#"'["a","b"]'"#, r#"["a","b"]"#)]).await;
    db.check("boolean", &[ok("1", "true"), ok("0", "false")]).await;
    db.check("double precision", &[ok("0", "0"), ok("1.5", "1.5")]).await;
}
