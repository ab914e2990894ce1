//! JavaScript/TypeScript ORMs: each value exactly as the framework writes it on SQLite, into the type its own
//! PostgreSQL schema uses (docs/frameworks.md), PostgreSQL as the oracle

use super::harness::{err, ok, Db};

/// 2024-01-15 12:34:56.789 UTC in Unix milliseconds
const MS: &str = "1705322096789";

#[tokio::test]
async fn prisma() {
    let db = Db::new().await;
    // DateTime: native engine epoch ms, driver adapters' ISO text (6.16+, 7.x), 6.8-6.11 and SQL defaults
    db.check(
        "timestamp(3)",
        &[
            ok(MS, "2024-01-15 12:34:56.789"),
            ok("'2024-01-15T12:34:56.789+00:00'", "2024-01-15 12:34:56.789"),
            ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56"),
            err("'2024-01-15T12:34:56.7891+00:00'"),
        ],
    )
    .await;
    db.check("decimal(65,30)", &[ok("12.34", "12.34"), ok("0.1", "0.1"), ok("3", "3")]).await;
    // Json on a column declared JSONB (numeric affinity): scalars come back as numbers
    db.check(
        "jsonb",
        &[ok("123", "123"), ok("2.5", "2.5"), ok(r#"'{"a": [1]}'"#, r#"{"a": [1]}"#), ok(r#"'"x"'"#, r#""x""#)],
    )
    .await;
    db.check("boolean", &[ok("1", "true"), ok("0", "false"), err("2")]).await;
    db.check("bigint", &[ok("9223372036854775807", "9223372036854775807")]).await;
    db.check("bytea", &[ok("x'00ff'", "\\x00ff")]).await;
    db.exec("CREATE TYPE role AS ENUM ('USER', 'ADMIN')").await;
    db.check("role", &[ok("'ADMIN'", "ADMIN"), err("'admin'")]).await;
}

#[tokio::test]
async fn sequelize() {
    let db = Db::new().await;
    db.check(
        "timestamp with time zone",
        &[
            ok("'2024-01-15 12:34:56.789 +00:00'", "2024-01-15 12:34:56.789+00"),
            ok("'2024-01-15 14:34:56.789 +02:00'", "2024-01-15 12:34:56.789+00"),
        ],
    )
    .await;
    db.check("date", &[ok("'2024-01-15'", "2024-01-15")]).await;
    db.check("time without time zone", &[ok("'12:34:56'", "12:34:56")]).await;
    db.check("numeric(10,2)", &[ok("12.5", "12.5"), ok("7", "7"), err("12.345")]).await;
    db.check("json", &[ok(r#"'{"a": [1, "é"]}'"#, r#"{"a": [1, "é"]}"#)]).await;
    db.check("uuid", &[ok("'6ba7b810-9dad-11d1-80b4-00c04fd430c8'", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")]).await;
    db.exec("CREATE TYPE enum_users_status AS ENUM ('active', 'banned')").await;
    db.check("enum_users_status", &[ok("'banned'", "banned"), err("'deleted'")]).await;
}

#[tokio::test]
async fn typeorm() {
    let db = Db::new().await;
    db.check("timestamp without time zone", &[ok("'2024-01-15 12:34:56.789'", "2024-01-15 12:34:56.789")]).await;
    db.check("time without time zone", &[ok("'12:34:56'", "12:34:56")]).await;
    db.check("boolean", &[ok("1", "true"), ok("0", "false")]).await;
    // bigint is a string in JavaScript; INTEGER affinity stores it as an integer
    db.check("bigint", &[ok("9007199254740993", "9007199254740993")]).await;
    db.check("numeric(10,2)", &[ok("1234.56", "1234.56")]).await;
    db.check("jsonb", &[ok(r#"'{"tags":["a"]}'"#, r#"{"tags":["a"]}"#)]).await;
    db.exec("CREATE TYPE user_role_enum AS ENUM ('admin', 'editor')").await;
    db.check("user_role_enum", &[ok("'editor'", "editor")]).await;
}

#[tokio::test]
async fn knex() {
    let db = Db::new().await;
    // node-sqlite3 binds a Date as epoch ms; table.timestamps(true, true) defaults to CURRENT_TIMESTAMP text
    db.check(
        "timestamp with time zone",
        &[ok(MS, "2024-01-15 12:34:56.789+00"), ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56+00")],
    )
    .await;
    db.check("numeric(8,2)", &[ok("1234.56", "1234.56")]).await;
    db.check("jsonb", &[ok(r#"'[1,2]'"#, "[1, 2]")]).await;
    db.check("uuid", &[ok("'6ba7b810-9dad-11d1-80b4-00c04fd430c8'", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")]).await;
    db.check("boolean", &[ok("1", "true")]).await;
}

#[tokio::test]
async fn drizzle() {
    let db = Db::new().await;
    // integer({mode:'timestamp'}) seconds, {mode:'timestamp_ms'} and $defaultFn(() => new Date()) milliseconds
    db.check("timestamp(3)", &[ok("1705322096", "2024-01-15 12:34:56"), ok(MS, "2024-01-15 12:34:56.789")]).await;
    db.check("boolean", &[ok("1", "true"), ok("0", "false")]).await;
    // blob({mode:'bigint'}): the ascii digits of the number
    db.check(
        "bigint",
        &[
            ok("x'2D31'", "-1"),
            ok("CAST('9223372036854775807' AS BLOB)", "9223372036854775807"),
            ok("x'30'", "0"),
            err("x'3031'"),
            err("CAST('9223372036854775808' AS BLOB)"),
            err("x'00'"),
        ],
    )
    .await;
    // blob({mode:'json'}): utf-8 json text in a blob; text({mode:'json'}) as text
    for ty in ["jsonb", "json"] {
        db.check(
            ty,
            &[
                ok(r#"CAST('{"a": [1, 2], "b": "é"}' AS BLOB)"#, r#"{"a": [1, 2], "b": "é"}"#),
                ok(r#"'{"a": 1}'"#, r#"{"a": 1}"#),
                err("x'ff'"),
            ],
        )
        .await;
    }
    db.check("bytea", &[ok("x'0001ff'", "\\x0001ff")]).await;
    db.check("double precision", &[ok("0.1", "0.1")]).await;
    // numeric() columns get the text of the number; NUMERIC affinity keeps it as a number
    db.check("numeric(10,2)", &[ok("12.3", "12.3"), ok("12", "12")]).await;
    db.exec("CREATE TYPE mood AS ENUM ('sad', 'ok')").await;
    db.check("mood", &[ok("'ok'", "ok")]).await;
}

#[tokio::test]
async fn mikro_orm() {
    let db = Db::new().await;
    // Date properties are written as epoch ms; defaults use current_timestamp text
    db.check(
        "timestamptz",
        &[ok(MS, "2024-01-15 12:34:56.789+00"), ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56+00")],
    )
    .await;
    db.check("boolean", &[ok("1", "true")]).await;
    db.check("jsonb", &[ok(r#"'{"a":null}'"#, r#"{"a":null}"#)]).await;
    db.check("numeric(10,2)", &[ok("9.99", "9.99")]).await;
}
