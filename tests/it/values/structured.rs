//! uuid, json and jsonb, inet and cidr, enums, and arrays from JSON text

use super::harness::{err, ok, ok_expr, Case, Db};

const UUID: &str = "550e8400-e29b-41d4-a716-446655440000";

#[tokio::test]
async fn uuid() {
    let db = Db::new().await;
    db.check(
        "uuid",
        &[
            ok("'550e8400-e29b-41d4-a716-446655440000'", UUID),
            ok("'550E8400-E29B-41D4-A716-446655440000'", UUID),
            ok("'550e8400e29b41d4a716446655440000'", UUID),
            ok("x'550e8400e29b41d4a716446655440000'", UUID),
            ok("zeroblob(16)", "00000000-0000-0000-0000-000000000000"),
            err("x'550e8400e29b41d4a71644665544'"),
            err("'550e8400-e29b-41d4-a716-44665544000g'"),
            err("'{550e8400-e29b-41d4-a716-446655440000}'"),
            err("'not-a-uuid'"),
            err("1"),
            err("1.5"),
        ],
    )
    .await;
}

/// Cases for json and jsonb alike; the oracle shows each type's own normalisation.
fn json_cases() -> Vec<Case> {
    // nested deeper than serde_json's default recursion limit (128)
    let deep: &'static str = Box::leak(format!("{}1{}", "[".repeat(300), "]".repeat(300)).into_boxed_str());
    let deep_sqlite: &'static str = Box::leak(format!("'{deep}'").into_boxed_str());
    vec![
        ok(deep_sqlite, deep),
        ok(r#"'{"a": [1, 2.50, "é"], "b": null}'"#, r#"{"a": [1, 2.50, "é"], "b": null}"#),
        ok("'  [1,2]  '", "  [1,2]  "),
        ok(r#"'"scalar"'"#, r#""scalar""#),
        ok(r#"'"\ud83d\ude00"'"#, r#""\ud83d\ude00""#),
        ok("'1e400'", "1e400"),
        ok("x'5b747275655d'", "[true]"),
        ok("42", "42"),
        ok("-9223372036854775808", "-9223372036854775808"),
        ok("2.5", "2.5"),
        ok("0.1+0.2", "0.30000000000000004"),
        ok("1e100", "1e+100"),
        ok("1e-7", "1e-07"),
        err("'{'"),
        err("'{''a'': 1}'"),
        err("'[1,]'"),
        err("'NaN'"),
        err(r#"'"\ud83d"'"#),
        err("9e999"),
        err("x'ff'"),
    ]
}

#[tokio::test]
async fn json_and_jsonb() {
    let db = Db::new().await;
    let mut json = json_cases();
    // json keeps the escape; jsonb's strings are text, which has no NUL
    json.push(ok(r#"'"\u0000"'"#, r#""\u0000""#));
    db.check("json", &json).await;
    let mut jsonb = json_cases();
    jsonb.push(err(r#"'"\u0000"'"#));
    db.check("jsonb", &jsonb).await;
}

#[tokio::test]
async fn inet_and_cidr() {
    let db = Db::new().await;
    db.check(
        "inet",
        &[
            ok("'192.168.1.5'", "192.168.1.5"),
            ok("'192.168.1.5/24'", "192.168.1.5/24"),
            ok("'0.0.0.0/0'", "0.0.0.0/0"),
            ok("'::1'", "::1"),
            ok("'2001:db8::1/64'", "2001:db8::1/64"),
            ok("'::ffff:1.2.3.4'", "::ffff:1.2.3.4"),
            err("'1.2.3.4/33'"),
            err("'::1/129'"),
            err("'example.com'"),
            err("1"),
            err("x'c0a80105'"),
        ],
    )
    .await;
    db.check(
        "cidr",
        &[
            ok("'10.0.0.0/8'", "10.0.0.0/8"),
            ok("'192.168.1.0/24'", "192.168.1.0/24"),
            ok("'2001:db8::/32'", "2001:db8::/32"),
            ok("'192.168.1.5'", "192.168.1.5"),
            ok("'::1'", "::1"),
            // without a prefix: all written octets are network bits, as in PostgreSQL's own input
            ok("'10.0.0.0'", "10.0.0.0"),
            ok("'2001:db8::'", "2001:db8::"),
            err("'192.168.1.5/24'"),
            err("'2001:db8::1/32'"),
        ],
    )
    .await;
}

#[tokio::test]
async fn enum_labels() {
    let db = Db::new().await;
    db.exec("CREATE TYPE \"Mood\" AS ENUM ('sad', 'ok', 'happy', 'très bien')").await;
    db.check(
        "\"Mood\"",
        &[
            ok("'happy'", "happy"),
            ok("'très bien'", "très bien"),
            ok("'sad'", "sad"),
            err("'HAPPY'"),
            err("'happy '"),
            err("1"),
            err("x'6f6b'"),
        ],
    )
    .await;
    // arrays of enums are not supported: refused, not mangled
    db.check("\"Mood\"[]", &[err(r#"'["happy"]'"#)]).await;
}

#[tokio::test]
async fn arrays_from_json_text() {
    let db = Db::new().await;
    db.check(
        "integer[]",
        &[
            ok("'[1, 2, 3]'", "{1,2,3}"),
            ok("'[]'", "{}"),
            ok("'[1, null, 3]'", "{1,NULL,3}"),
            ok("' [ -5 ] '", "{-5}"),
            ok(r#"'["7"]'"#, "{7}"),
            ok("'[1e2]'", "{100}"),
            ok("'[-2147483648, 2147483647]'", "{-2147483648,2147483647}"),
            err("'[1.5]'"),
            err("'[2147483648]'"),
            err("'[[1]]'"),
            err("'[true]'"),
            err("'[1,]'"),
            err("'{1,2}'"),
            err("1"),
        ],
    )
    .await;
    db.check(
        "text[]",
        &[
            ok(r#"'["a", "b c", "é", "with \"quote\"", ""]'"#, r#"{a,"b c",é,"with \"quote\"",""}"#),
            ok(r#"'["NULL", null]'"#, r#"{"NULL",NULL}"#),
            ok("'[1, 2.50, -0.0]'", "{1,2.50,-0.0}"),
            ok("'[true, false]'", "{true,false}"),
            ok_expr(r#"'["\u00e9\n"]'"#, r"ARRAY[E'é\n']"),
            err(r#"'[{"a": 1}]'"#),
            err(r#"'["a\u0000"]'"#),
            err("x'5b5d'"),
        ],
    )
    .await;
    db.check(
        "bigint[]",
        &[
            // integral however written, and exact beyond 2^53
            ok(
                "'[9007199254740993.0, 9.007199254740993e15, -9223372036854775808]'",
                "{9007199254740993,9007199254740993,-9223372036854775808}",
            ),
            err("'[1.00000000000000000001]'"),
            err("'[9223372036854775808.0]'"),
        ],
    )
    .await;
    db.check("varchar(2)[]", &[ok(r#"'["ab", "é"]'"#, "{ab,é}"), err(r#"'["abc"]'"#)]).await;
    db.check("numeric(5,2)[]", &[ok("'[0.1, 1e2, -3]'", "{0.10,100.00,-3.00}"), err("'[0.001]'"), err("'[1000]'")])
        .await;
    db.check("double precision[]", &[ok("'[0.1, 1e300, -2]'", "{0.1,1e+300,-2}"), err("'[1e400]'")]).await;
    db.check("boolean[]", &[ok("'[true, false, null, 1, \"no\"]'", "{t,f,NULL,t,f}")]).await;
    db.check(
        "timestamp(3)[]",
        &[ok(
            r#"'["2024-01-15T12:34:56.789Z", 1705322096789]'"#,
            r#"{"2024-01-15 12:34:56.789","2024-01-15 12:34:56.789"}"#,
        )],
    )
    .await;
    db.check("uuid[]", &[ok(r#"'["550e8400e29b41d4a716446655440000"]'"#, "{550e8400-e29b-41d4-a716-446655440000}")])
        .await;
}
