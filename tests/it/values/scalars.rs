//! booleans, integers, floats, numerics, text types and bytea

use super::harness::{err, ok, ok_expr, Db};

#[tokio::test]
async fn boolean() {
    let db = Db::new().await;
    db.check(
        "boolean",
        &[
            ok("0", "false"),
            ok("1", "true"),
            ok("0.0", "false"),
            ok("1.0", "true"),
            ok("'t'", "t"),
            ok("'f'", "f"),
            ok("'yes'", "yes"),
            ok("'no'", "no"),
            ok("'TRUE'", "true"),
            ok("'Yes'", "yes"),
            ok("'off'", "off"),
            ok("'1'", "1"),
            err("2"),
            err("-1"),
            err("0.5"),
            err("'maybe'"),
            err("''"),
            err("' t'"),
            err("x'01'"),
        ],
    )
    .await;
}

#[tokio::test]
async fn integers() {
    let db = Db::new().await;
    db.check(
        "smallint",
        &[
            ok("0", "0"),
            ok("-32768", "-32768"),
            ok("32767", "32767"),
            ok("'123'", "123"),
            ok("'+5'", "5"),
            ok("'-0042'", "-42"),
            ok("2.0", "2"),
            ok("-32768.0", "-32768"),
            err("32768"),
            err("-32769"),
            err("40000.0"),
            err("1.5"),
            err("'1.5'"),
            err("' 12'"),
            err("'abc'"),
            err("'99999'"),
            err("9e999"),
            err("x'0102'"),
        ],
    )
    .await;
    db.check(
        "integer",
        &[
            ok("-2147483648", "-2147483648"),
            ok("2147483647", "2147483647"),
            ok("1e9", "1000000000"),
            ok("'-2147483648'", "-2147483648"),
            err("2147483648"),
            err("-2147483649"),
            err("'2147483648'"),
            err("3e9"),
            err("0.001"),
        ],
    )
    .await;
    db.check(
        "bigint",
        &[
            ok("-9223372036854775808", "-9223372036854775808"),
            ok("9223372036854775807", "9223372036854775807"),
            ok("-9223372036854775808.0", "-9223372036854775808"),
            ok("4611686018427387904.0", "4611686018427387904"),
            ok("'-9223372036854775808'", "-9223372036854775808"),
            // 2^63 as a REAL: one past the top
            err("9223372036854775807.0"),
            err("'9223372036854775808'"),
            err("1e19"),
            err("-9e999"),
            err("0.1+0.2"),
            err("''"),
        ],
    )
    .await;
}

#[tokio::test]
async fn floats() {
    let db = Db::new().await;
    db.check(
        "real",
        &[
            ok("0.5", "0.5"),
            ok("-2.25", "-2.25"),
            ok("9e999", "Infinity"),
            ok("-9e999", "-Infinity"),
            ok("16777216", "16777216"),
            ok("-16777216", "-16777216"),
            // exact however large: 2^25, 2^62
            ok("33554432", "33554432"),
            ok("4611686018427387904", "4611686018427387904"),
            ok("'0.1'", "0.1"),
            ok("'3.4e38'", "3.4e38"),
            ok("'1e-40'", "1e-40"),
            ok("'Infinity'", "Infinity"),
            ok("'-inf'", "-Infinity"),
            ok("'NaN'", "NaN"),
            // 0.1 as a REAL is not a 4-byte float
            err("0.1"),
            err("1e300"),
            err("16777217"),
            err("9223372036854775807"),
            err("'1e-50'"),
            err("'1e39'"),
            err("'abc'"),
            err("x'00'"),
        ],
    )
    .await;
    db.check(
        "double precision",
        &[
            ok("0.1", "0.1"),
            ok_expr("0.1+0.2", "0.1::float8 + 0.2::float8"),
            ok("1e-300", "1e-300"),
            ok("1.7976931348623157e308", "1.7976931348623157e308"),
            ok("9e999", "Infinity"),
            ok("-9e999", "-Infinity"),
            ok("2.0", "2"),
            ok("9007199254740992", "9007199254740992"),
            ok("-9007199254740992", "-9007199254740992"),
            ok("18014398509481984", "18014398509481984"),
            ok("-9223372036854775808", "-9223372036854775808"),
            ok("'1e-300'", "1e-300"),
            ok("'5e-324'", "5e-324"),
            ok("'-0'", "-0"),
            ok("'NaN'", "NaN"),
            // 2^53 + 1 has no exact double
            err("9007199254740993"),
            err("9223372036854775807"),
            err("'1e400'"),
            err("'1e-400'"),
            err("'abc'"),
            err("' 1'"),
            err("''"),
            err("x'00'"),
        ],
    )
    .await;
}

#[tokio::test]
async fn numerics() {
    let db = Db::new().await;
    db.check(
        "numeric(10,2)",
        &[
            // a REAL is read through 15 significant digits, like SQLite's own REAL-to-TEXT
            ok("0.1+0.2", "0.30"),
            ok("0.1", "0.10"),
            ok("1.25", "1.25"),
            ok("-12345678.9", "-12345678.9"),
            ok("12345678", "12345678"),
            ok("'99999999.99'", "99999999.99"),
            ok("'-0.5'", "-0.5"),
            ok("'1.50000'", "1.5"),
            ok("'1e2'", "100"),
            ok("'.5'", "0.5"),
            ok("'0.30'", "0.30"),
            ok("'NaN'", "NaN"),
            // 1.005 would round; 123456789 has 9 integer digits
            err("1.005"),
            err("123456789"),
            err("'1e8'"),
            err("'-0.001'"),
            err("9e999"),
            err("'Infinity'"),
            err("'abc'"),
            err("'1e'"),
            err("''"),
            err("x'01'"),
        ],
    )
    .await;
    db.check("numeric(10,3)", &[ok("1.005", "1.005"), err("1.0005")]).await;
    db.check(
        "numeric",
        &[
            ok("0.1", "0.1"),
            ok("0.1+0.2", "0.3"),
            ok("1.0/3", "0.333333333333333"),
            ok("2.0", "2"),
            ok("123.456", "123.456"),
            ok("1e300", "1e300"),
            ok("1e-300", "1e-300"),
            ok("5e-324", "4.94065645841247e-324"),
            ok("9e999", "Infinity"),
            ok("-9e999", "-Infinity"),
            ok("-9223372036854775808", "-9223372036854775808"),
            ok(
                "'123456789012345678901234567890.123456789012345678901234567890'",
                "123456789012345678901234567890.123456789012345678901234567890",
            ),
            ok("'1.50'", "1.50"),
            ok("'1e-5'", "0.00001"),
            ok("'-0'", "0"),
            ok("'0.000'", "0.000"),
            ok("'-1.5E+3'", "-1500"),
            err("'1.2.3'"),
            err("'abc'"),
            err("x'01'"),
        ],
    )
    .await;
    db.check(
        "numeric(65,30)",
        &[
            ok(
                "'12345678901234567890123456789012345.123456789012345678901234567890'",
                "12345678901234567890123456789012345.123456789012345678901234567890",
            ),
            ok("0.1+0.2", "0.3"),
            ok("-9223372036854775808", "-9223372036854775808"),
            // 36 integer digits; 31 fraction digits
            err("'123456789012345678901234567890123456'"),
            err("'0.1234567890123456789012345678901'"),
        ],
    )
    .await;
}

#[tokio::test]
async fn text_types() {
    let db = Db::new().await;
    db.check(
        "text",
        &[
            ok("'héllo wörld ✓ 日本語 😀'", "héllo wörld ✓ 日本語 😀"),
            ok("'it''s'", "it's"),
            ok("''", ""),
            ok("42", "42"),
            ok("-9223372036854775808", "-9223372036854775808"),
            // a REAL reads as PostgreSQL's float8 output of the same double
            ok_expr("1.5", "1.5::float8"),
            ok_expr("0.1+0.2", "0.1::float8 + 0.2::float8"),
            ok_expr("1e100", "1e100::float8"),
            ok_expr("1e-5", "1e-5::float8"),
            ok_expr("123456789012345678.0", "123456789012345678::float8"),
            ok_expr("9e999", "'Infinity'::float8"),
            ok_expr("-9e999", "'-Infinity'::float8"),
            ok_expr("100.0", "100::float8"),
            ok_expr("1e15", "1e15::float8"),
            ok_expr("123456789012345.6", "123456789012345.6::float8"),
            ok_expr("0.0001234", "0.0001234::float8"),
            ok_expr("-1.5e-7", "-1.5e-7::float8"),
            ok_expr("1.7976931348623157e308", "1.7976931348623157e308::float8"),
            ok_expr("5e-324", "'5e-324'::float8"),
            ok("x'c3a9'", "é"),
            ok("CAST(x'f09f9880' AS TEXT)", "😀"),
            err("x'ff'"),
            err("CAST(x'c3' AS TEXT)"),
            err("'a' || char(0) || 'b'"),
        ],
    )
    .await;
    db.check(
        "varchar(5)",
        &[
            ok("'héllo'", "héllo"),
            ok("'日本語'", "日本語"),
            ok("12345", "12345"),
            ok("''", ""),
            err("'héllo!'"),
            err("123456"),
            err("'😀😀😀😀😀😀'"),
        ],
    )
    .await;
    let table = db
        .check(
            "char(3)",
            &[
                ok("'ab'", "ab"),
                ok("'abc'", "abc"),
                ok("'日本語'", "日本語"),
                ok("7", "7"),
                err("'abcd'"),
                err("1234"),
                err("x'ff'"),
            ],
        )
        .await;
    // char(n) is padded by the server, as for its own input
    let padded =
        db.row(&format!("SELECT octet_length(x)::text, (x = 'ab '::char(3))::text FROM \"{table}\" WHERE i = 1")).await;
    assert_eq!(padded, [Some("3".to_string()), Some("true".to_string())]);
}

#[tokio::test]
async fn bytea() {
    let db = Db::new().await;
    db.check(
        "bytea",
        &[
            ok("x'00ff10'", "\\x00ff10"),
            ok("x'00'", "\\x00"),
            ok("x''", "\\x"),
            ok("zeroblob(4)", "\\x00000000"),
            // TEXT gives its UTF-8 bytes
            ok("'abc'", "\\x616263"),
            ok("'é'", "\\xc3a9"),
            err("1"),
            err("1.5"),
        ],
    )
    .await;
}
