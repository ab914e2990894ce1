//! tests of type inference over whole columns

use super::*;

fn infer(declared: &str, values: &[ValueRef<'_>]) -> Inferred {
    let mut inf = Inference::new(declared);
    for v in values {
        inf.observe(*v);
    }
    inf.finish()
}

fn ty(declared: &str, values: &[ValueRef<'_>]) -> PgType {
    infer(declared, values).ty
}

use ValueRef::{Blob as B, Integer as I, Null as N, Real as R, Text as T};

const NUMERIC: PgType = PgType::Numeric { precision: None, scale: None };
const TS: PgType = PgType::Timestamp { precision: None };
const TSTZ: PgType = PgType::Timestamptz { precision: None };

#[test]
fn integer_columns() {
    assert_eq!(infer("INTEGER", &[I(1), N, I(-5)]), Inferred { ty: PgType::Int4, note: None });
    let big = infer("INTEGER", &[I(1), I(i64::MAX)]);
    assert_eq!(big.ty, PgType::Int8);
    // SQLite integers are 64-bit whatever the declaration: widening is not a mismatch
    assert_eq!(big.note, None);
    assert_eq!(ty("BIGINT", &[I(1)]), PgType::Int8);
    assert_eq!(ty("smallint", &[I(1)]), PgType::Int2);
    assert_eq!(ty("TINYINT", &[I(1000), I(100_000)]), PgType::Int4);
    assert_eq!(ty("INTEGER", &[I(1), R(2.0)]), PgType::Int4, "integral real");
    assert_eq!(ty("INTEGER", &[I(1), R(2.5)]), NUMERIC);
    let text = infer("INTEGER", &[I(1), T(b"n/a"), T(b"x"), R(1.5)]);
    assert_eq!(text.ty, PgType::Text);
    assert_eq!(
        text.note.as_deref(),
        Some("declared INTEGER but 3 value(s) do not fit integer (1 real, 2 text); using text")
    );
    assert_eq!(ty("YEAR", &[I(2024)]), PgType::Int4);
    assert_eq!(ty("MONEY", &[R(1.25)]), NUMERIC);
}

#[test]
fn boolean_columns() {
    assert_eq!(infer("BOOLEAN", &[I(0), I(1), N]), Inferred { ty: PgType::Bool, note: None });
    assert_eq!(ty("boolean", &[T(b"t"), T(b"f")]), PgType::Bool, "old rails");
    assert_eq!(ty("BOOLEAN", &[I(0), I(2)]), PgType::Int2);
    assert_eq!(ty("BOOLEAN", &[I(0), T(b"maybe")]), PgType::Text);
}

#[test]
fn datetime_columns() {
    // Prisma: epoch milliseconds and CURRENT_TIMESTAMP text in one column
    let prisma = infer("DATETIME", &[I(1_704_164_645_123), T(b"2024-01-02 03:04:05"), N]);
    assert_eq!(prisma, Inferred { ty: TS, note: None });
    let tz = infer("DATETIME", &[T(b"2024-01-02T03:04:05.000+00:00"), T(b"2024-01-02 03:04:05")]);
    assert_eq!(tz.ty, TSTZ);
    assert!(tz.note.unwrap().contains("utc offsets"));
    assert_eq!(ty("TIMESTAMP", &[T(b"2024-01-02T03:04:05Z")]), TSTZ);
    assert_eq!(ty("timestamptz", &[T(b"2024-01-02 03:04:05")]), TSTZ);
    assert_eq!(ty("timestamp(3)", &[T(b"2024-01-02 03:04:05.123")]), PgType::Timestamp { precision: Some(3) });
    assert_eq!(ty("timestamp(3)", &[T(b"2024-01-02 03:04:05.1234")]), PgType::Text);
    // implausible epochs and numbers that are no epochs fall back without mangling
    assert_eq!(ty("DATETIME", &[I(0), I(2024)]), PgType::Int8);
    assert_eq!(ty("DATETIME", &[I(1_704_164_645), R(1e100)]), PgType::Float8);
    assert_eq!(ty("DATETIME", &[R(2024.5)]), PgType::Float8);
    assert_eq!(ty("DATETIME", &[I(1_704_164_645), T(b"yesterday")]), PgType::Text);
    let all_null = infer("DATETIME", &[N, N]);
    assert_eq!(all_null, Inferred { ty: TS, note: None });
    assert_eq!(infer("DATETIME", &[]), Inferred { ty: TS, note: None });
}

#[test]
fn date_and_time_columns() {
    assert_eq!(ty("DATE", &[T(b"2024-01-02"), T(b"2024-01-03 00:00:00")]), PgType::Date);
    assert_eq!(ty("DATE", &[T(b"2024-01-02 10:00:00")]), PgType::Text);
    assert_eq!(ty("DATE", &[I(20240102)]), PgType::Text, "not an epoch");
    assert_eq!(ty("TIME", &[T(b"10:00"), T(b"23:59:59.5")]), PgType::Time { precision: None });
    assert_eq!(ty("TIME", &[T(b"10h")]), PgType::Text);
}

#[test]
fn json_uuid_and_strings() {
    // Prisma declares JSONB in SQLite: numeric affinity turns scalars into numbers
    assert_eq!(ty("JSONB", &[T(br#"{"a":1}"#), I(123), R(1.5), T(b"\"s\"")]), PgType::Jsonb);
    assert_eq!(ty("JSON", &[T(b"{oops")]), PgType::Text);
    assert_eq!(ty("UUID", &[T(b"550e8400e29b41d4a716446655440000"), B(&[0; 16])]), PgType::Uuid);
    assert_eq!(ty("char(32)", &[T(b"550e8400e29b41d4a716446655440000")]), PgType::Varchar(Some(32)));
    let long = infer("VARCHAR(3)", &[T(b"abc"), T(b"abcd")]);
    assert_eq!(long.ty, PgType::Text);
    assert_eq!(
        long.note.as_deref(),
        Some("declared VARCHAR(3) but 1 value(s) do not fit varchar(3) (1 text); using text")
    );
    assert_eq!(ty("NVARCHAR(160)", &[T("é".repeat(160).as_bytes())]), PgType::Varchar(Some(160)));
    assert_eq!(ty("TEXT", &[T(b"a"), I(1), R(1.5)]), PgType::Text);
}

#[test]
fn decimal_columns() {
    let d = "decimal (5, 2)";
    let p52 = PgType::Numeric { precision: Some(5), scale: Some(2) };
    assert_eq!(infer(d, &[R(0.1 + 0.2), I(100), R(19.99)]), Inferred { ty: p52, note: None });
    let wide = infer(d, &[R(1.234)]);
    assert_eq!(wide.ty, NUMERIC);
    assert!(wide.note.unwrap().starts_with("declared decimal (5, 2) but 1 value(s) do not fit numeric(5,2)"));
    assert_eq!(ty(d, &[T(b"abc")]), PgType::Text);
    assert_eq!(ty("NUMERIC", &[I(1), R(2.5)]), NUMERIC);
    assert_eq!(ty("REAL", &[R(1.5), I(3)]), PgType::Float8);
    assert_eq!(ty("REAL", &[R(1.5), I((1 << 60) + 1)]), PgType::Text);
    assert_eq!(ty("double", &[R(f64::INFINITY)]), PgType::Float8);
}

#[test]
fn untyped_columns_follow_the_data() {
    assert_eq!(infer("", &[I(1), I(2)]), Inferred { ty: PgType::Int4, note: None });
    assert_eq!(ty("", &[I(1), I(1 << 40)]), PgType::Int8);
    assert_eq!(ty("", &[I(1), R(2.0)]), PgType::Float8);
    assert_eq!(ty("", &[R(0.5)]), PgType::Float8);
    assert_eq!(ty("", &[R(0.5), I((1 << 53) + 1)]), NUMERIC);
    assert_eq!(ty("", &[T(b"a")]), PgType::Text);
    assert_eq!(ty("", &[B(b"\x00\xff")]), PgType::Bytea);
    assert_eq!(ty("", &[T(b"a"), I(1)]), PgType::Text);
    assert_eq!(infer("", &[N]), Inferred { ty: PgType::Text, note: None });
    let bad = infer("", &[T(b"a"), B(b"\xff")]);
    assert_eq!(bad.ty, PgType::Text);
    assert!(bad.note.is_some());
}

#[test]
fn blobs_and_hopeless_columns() {
    assert_eq!(ty("BLOB", &[B(b"\x00\x01"), B(b"")]), PgType::Bytea);
    assert_eq!(ty("BLOB", &[B(b"\x00"), I(5)]), PgType::Text);
    // nothing survives: the last candidate, so the copy fails with a precise error
    let hopeless = infer("TEXT", &[T(b"fine"), B(b"\xff\xfe")]);
    assert_eq!(hopeless.ty, PgType::Text);
    assert_eq!(
        hopeless.note.as_deref(),
        Some("declared TEXT but 1 value(s) do not fit text (1 blob); using text, which some values do not fit either")
    );
    let nul = infer("INTEGER", &[T(b"a\0b")]);
    assert_eq!(nul.ty, PgType::Text);
    assert!(nul.note.unwrap().ends_with("do not fit either"));
}

#[test]
fn notes_never_contain_values() {
    let secret = b"hunter2-secret";
    for decl in ["INTEGER", "DATETIME", "VARCHAR(2)", "UUID", "JSON", "BOOLEAN", "decimal(3,1)", "TIME"] {
        let note = infer(decl, &[T(secret)]).note.unwrap();
        assert!(!note.contains("hunter2"), "{note}");
    }
}

#[test]
fn epoch_format_can_be_forced() {
    let mut inf = Inference::new("DATETIME").with_format(ColumnFormat::Iso);
    inf.observe(I(1_704_164_645));
    assert_eq!(inf.finish().ty, PgType::Int8);
}

#[test]
fn rounding_keeps_the_time_type() {
    let gorm = [T(b"2024-01-02 03:04:05.123456789+02:00"), T(b"2024-01-02 03:04:05+02:00")];
    assert_eq!(ty("DATETIME", &gorm), PgType::Text, "nanoseconds rule the timestamp out");
    let mut inf = Inference::new("DATETIME").with_rounding(true);
    for v in gorm {
        inf.observe(v);
    }
    assert_eq!(
        inf.finish(),
        Inferred {
            ty: TSTZ,
            note: Some("declared DATETIME and values carry utc offsets; using timestamp with time zone".into())
        }
    );
    let mut inf = Inference::new("DATETIME").with_rounding(true);
    inf.observe(gorm[0]);
    assert_eq!(inf.finish().ty, TSTZ, "the offset counts when only rounded values carry it");
}

#[test]
fn the_shortcuts_agree_with_encode() {
    let big = vec![b'x'; 70 * 1024];
    let values = [
        I(0),
        I(-1),
        I(i64::MIN),
        I(i64::MAX),
        I(40_000),
        I(1_700_000_000_000),
        I(-2_147_483_649),
        R(0.5),
        R(-1e300),
        R(f64::NAN),
        R(f64::INFINITY),
        T(b"plain"),
        T(b""),
        T(b"a\0b"),
        T(&[0xff, 0xfe]),
        T(&big),
        B(b"bytes"),
        B(&[0xc3, 0x28]),
        B(&big),
    ];
    let types = [
        PgType::Text,
        NUMERIC,
        PgType::Numeric { precision: Some(4), scale: Some(1) },
        PgType::Bytea,
        PgType::Int2,
        PgType::Int4,
        PgType::Int8,
        PgType::Float8,
    ];
    let mut checked = 0;
    for ty in &types {
        for v in values {
            if let Some(shortcut) = accepts_without_copy(ty, v) {
                let mut out = BytesMut::new();
                let full = encode(ty, ColumnFormat::Auto, v, &mut out).is_ok();
                assert_eq!(shortcut, full, "{ty:?} {v:?}");
                checked += 1;
            }
        }
    }
    // all 19 values into text, the 7 integers into numeric and into each integer type, the 2 large values into bytea
    assert_eq!(checked, 19 + 7 + 3 * 7 + 2);
}

#[test]
fn only_single_type_declarations_are_settled() {
    assert!(Inference::new("TEXT").is_settled());
    assert!(Inference::new("varchar").is_settled());
    for open in
        ["", "INTEGER", "BIGINT", "BLOB", "REAL", "DATETIME", "BOOLEAN", "JSON", "DECIMAL(10,2)", "VARCHAR(5)", "UUID"]
    {
        assert!(!Inference::new(open).is_settled(), "{open:?}");
    }
}

/// Differential: SQLite itself stores each default; the helper must say "text" exactly when SQLite keeps text in
/// a numeric-affinity column.
#[test]
fn a_text_default_sqlite_keeps_as_text_in_a_numeric_column_is_found_as_sqlite_finds_it() {
    let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
    let cases = [
        ("integer", r#"'"0"'"#),
        ("integer", "'0'"),
        ("integer", r#""0""#),
        ("tinyint", "' 12 '"),
        ("real", "'1e5'"),
        ("numeric", "'abc'"),
        ("integer", "'1.5'"),
        ("text", "'abc'"),
        ("", "'x'"),
        ("integer", "'0x10'"),
        ("int", "'+.5'"),
        ("int", "'5.'"),
        ("int", "'1e'"),
        ("datetime", "'now'"),
        ("datetime", "'2024-01-01'"),
        ("integer", "'it''s'"),
        ("integer", "0"),
        ("integer", "''"),
        ("boolean", "'false'"),
        ("decimal(5,2)", "'-1.25E+2'"),
    ];
    for (i, (declared, default)) in cases.iter().enumerate() {
        conn.execute_batch(&format!(
            "CREATE TABLE t{i} (c {declared} DEFAULT {default}); INSERT INTO t{i} DEFAULT VALUES"
        ))
        .expect("create");
        let stored: String = conn.query_row(&format!("SELECT typeof(c) FROM t{i}"), [], |r| r.get(0)).expect("typeof");
        let numeric_affinity = {
            let t = declared.to_ascii_uppercase();
            !(t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") || t.contains("BLOB") || t.is_empty())
        };
        let quoted = default.starts_with(['\'', '"']);
        let expected = numeric_affinity && quoted && stored == "text";
        let found = text_default_in_numeric_column(declared, default);
        assert_eq!(found.is_some(), expected, "{declared} DEFAULT {default}: sqlite stores {stored}");
        if let Some(text) = found {
            let value: String = conn.query_row(&format!("SELECT c FROM t{i}"), [], |r| r.get(0)).expect("value");
            assert_eq!(text, value, "{declared} DEFAULT {default}");
        }
    }
}

/// A value observed as large (its bytes checked piece by piece) gives the same type and note as the same value
/// observed whole, in every column that takes large values, beside small values of each class.
#[test]
fn large_values_infer_as_whole_ones() {
    let big_text = "é".repeat(40);
    let values: Vec<ValueRef<'_>> =
        vec![T(big_text.as_bytes()), B(big_text.as_bytes()), B(b"\xff\xfe"), T(b"a\0b"), B(b"\0\0"), T(b"short")];
    let others: [&[ValueRef<'_>]; 4] = [&[], &[I(1)], &[R(1.5)], &[T(b"x"), B(b"y")]];
    for declared in ["BLOB", "", "VARCHAR(40)", "NVARCHAR(39)", "TEXT", "CHAR(50)"] {
        assert!(Inference::new(declared).takes_large(), "{declared}");
        for v in &values {
            for rest in others {
                let mut whole = Inference::new(declared);
                let mut large = Inference::new(declared);
                for r in rest {
                    whole.observe(*r);
                    large.observe(*r);
                }
                whole.observe(*v);
                let (ValueRef::Text(bytes) | ValueRef::Blob(bytes)) = *v else { unreachable!() };
                let mut calls = 0;
                large
                    .observe_large(matches!(v, T(_)), || {
                        calls += 1;
                        let mut check = crate::translate::values::TextPieces::counting();
                        Ok::<_, ()>(check.piece(bytes).and_then(|()| check.finish()).ok())
                    })
                    .unwrap();
                assert!(calls <= 1);
                assert_eq!(large.finish(), whole.finish(), "{declared} {v:?} after {rest:?}");
            }
        }
    }
    for declared in ["INTEGER", "JSON", "DATETIME", "REAL", "NUMERIC(5,2)", "UUID"] {
        assert!(!Inference::new(declared).takes_large(), "{declared}");
    }
}
