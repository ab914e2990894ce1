//! date, time, timestamps (ISO text, epoch numbers, a non-UTC database), interval, and one mixed column

use sqlite2pg::translate::values::ColumnFormat;

use super::harness::{encode_one, err, ok, sqlite_values, Db};
use crate::common::pg::PgCluster;

/// 2024-01-15 12:34:56 UTC
const EPOCH: &str = "1705322096";

#[tokio::test]
async fn date() {
    let db = Db::new().await;
    db.check(
        "date",
        &[
            ok("'2024-02-29'", "2024-02-29"),
            ok("'0001-01-01'", "0001-01-01"),
            ok("'9999-12-31'", "9999-12-31"),
            ok("'2024-01-15 00:00:00'", "2024-01-15"),
            ok("'2024-01-15T00:00'", "2024-01-15"),
            ok("1705276800", "2024-01-15"),
            ok("1705276800000", "2024-01-15"),
            ok("1705276800.0", "2024-01-15"),
            ok("0", "1970-01-01"),
            ok("-86400", "1969-12-31"),
            err("'2023-02-29'"),
            err("'0000-01-01'"),
            err("'2024-01-15 12:00:00'"),
            err("'2024-01-15T00:00:00Z'"),
            err("1705276801"),
            err("100000000000000"),
            err("'yesterday'"),
            err("'15/01/2024'"),
            err("x'00'"),
        ],
    )
    .await;
}

#[tokio::test]
async fn time() {
    let db = Db::new().await;
    db.check(
        "time",
        &[
            ok("'12:34:56'", "12:34:56"),
            ok("'12:34:56.123456'", "12:34:56.123456"),
            ok("'12:34:56.1234560'", "12:34:56.123456"),
            ok("'00:00'", "00:00:00"),
            ok("'23:59:59.999999'", "23:59:59.999999"),
            ok("'24:00:00'", "24:00:00"),
            err("'23:59:59.9999999'"),
            err("'24:00:01'"),
            err("'25:00:00'"),
            err("'12:60:00'"),
            err("'12:34:56Z'"),
            err("'noon'"),
            err("3600"),
            err("12.5"),
        ],
    )
    .await;
    db.check("time(3)", &[ok("'12:34:56.789'", "12:34:56.789"), err("'12:34:56.7891'")]).await;
}

#[tokio::test]
async fn timestamp() {
    let db = Db::new().await;
    db.check(
        "timestamp(3)",
        &[
            ok("'2024-01-15 12:34:56.789'", "2024-01-15 12:34:56.789"),
            ok("'2024-01-15T12:34:56.789'", "2024-01-15 12:34:56.789"),
            ok("'2024-01-15 12:34:56.7890'", "2024-01-15 12:34:56.789"),
            ok("'2024-01-15 12:34'", "2024-01-15 12:34:00"),
            ok("'2024-01-15'", "2024-01-15 00:00:00"),
            // an offset is applied: the column holds UTC
            ok("'2024-01-15T12:34:56Z'", "2024-01-15 12:34:56"),
            ok("'2024-01-15T12:34:56+02:00'", "2024-01-15 10:34:56"),
            ok("'2024-01-15 12:34:56-0530'", "2024-01-15 18:04:56"),
            ok("'2024-01-15 12:34:56 +01'", "2024-01-15 11:34:56"),
            // epoch seconds below 1e11, milliseconds below 1e14
            ok(EPOCH, "2024-01-15 12:34:56"),
            ok("1705322096789", "2024-01-15 12:34:56.789"),
            ok("1705322096.789", "2024-01-15 12:34:56.789"),
            ok("1705322096789.0", "2024-01-15 12:34:56.789"),
            ok("0", "1970-01-01 00:00:00"),
            ok("-1", "1969-12-31 23:59:59"),
            ok("-1.5", "1969-12-31 23:59:58.5"),
            err("'2024-01-15 12:34:56.7891'"),
            err("1705322096.7891"),
            err("1705322096789.5"),
            err("100000000000000"),
            err("'2024-13-01'"),
            err("' 2024-01-15'"),
            err("'2024-01-15 25:00'"),
            err("'2024-01-15T12:34:56+16:00'"),
            err("'yesterday'"),
            err("9e999"),
            err("x'00'"),
        ],
    )
    .await;
    db.check(
        "timestamp",
        &[
            ok("'2024-01-15 12:34:56.123456'", "2024-01-15 12:34:56.123456"),
            ok("'0001-01-01 00:00:00'", "0001-01-01 00:00:00"),
            ok("'9999-12-31 23:59:59.999999'", "9999-12-31 23:59:59.999999"),
            ok("1705322096.5", "2024-01-15 12:34:56.5"),
            ok("-62135596800", "0001-01-01 00:00:00"),
            err("'2024-01-15 12:34:56.1234567'"),
        ],
    )
    .await;
    // a column declared as milliseconds reads small numbers as milliseconds too; an iso column refuses numbers
    db.check_fmt("timestamp(3)", ColumnFormat::EpochMillis, &[ok(EPOCH, "1970-01-20 17:42:02.096")]).await;
    db.check_fmt("timestamp", ColumnFormat::Iso, &[ok("'2024-01-15'", "2024-01-15 00:00:00"), err(EPOCH)]).await;
}

#[tokio::test]
async fn timestamptz() {
    let db = Db::new().await;
    db.check(
        "timestamptz",
        &[
            // text without an offset is UTC, whatever the session's time zone
            ok("'2024-01-15 12:34:56'", "2024-01-15 12:34:56+00"),
            ok("'2024-01-15T12:34:56Z'", "2024-01-15 12:34:56+00"),
            ok("'2024-01-15T12:34:56.5+05:30'", "2024-01-15 12:34:56.5+05:30"),
            ok("'2024-01-15 12:34:56-08'", "2024-01-15 12:34:56-08"),
            ok("'2024-01-15 12:34:56 -0800'", "2024-01-15 12:34:56-08"),
            ok("'2024-07-01'", "2024-07-01 00:00:00+00"),
            ok(EPOCH, "2024-01-15 12:34:56+00"),
            ok("1705322096789", "2024-01-15 12:34:56.789+00"),
            ok("1705322096.25", "2024-01-15 12:34:56.25+00"),
            err("'2024-01-15 12:34:56 EST'"),
            err("'2024-01-15 12:34:56+5'"),
            err("'2024-01-15T12:34:56.1234567Z'"),
        ],
    )
    .await;
}

/// The database's TimeZone is New York: the stored instants are those of the UTC reading all the same.
#[tokio::test]
async fn timestamptz_in_a_new_york_database() {
    let db = Db::with_setup("ALTER DATABASE {db} SET timezone = 'America/New_York'").await;
    assert_eq!(db.row("SHOW timezone").await, [Some("America/New_York".to_string())]);
    let cases = [
        ok("'2024-01-15 12:00:00'", "2024-01-15 12:00:00+00"),
        ok("'2024-07-15 12:00:00'", "2024-07-15 12:00:00+00"),
        ok("1705320000", "2024-01-15 12:00:00+00"),
        ok("'2024-01-15T07:00:00-05:00'", "2024-01-15 12:00:00+00"),
    ];
    let table = db.check("timestamp(3) with time zone", &cases).await;
    // read back through psql: a new session, which takes the database's time zone
    let shown = PgCluster::shared()
        .psql(&db.name, &format!("SELECT i, x::text, extract(epoch FROM x)::bigint FROM \"{table}\" ORDER BY i"));
    assert_eq!(
        shown,
        "1|2024-01-15 07:00:00-05|1705320000\n\
         2|2024-07-15 08:00:00-04|1721044800\n\
         3|2024-01-15 07:00:00-05|1705320000\n\
         4|2024-01-15 07:00:00-05|1705320000"
    );
    // a naive column keeps the wall-clock text, untouched by the zone
    let naive = db.check("timestamp", &[ok("'2024-01-15 12:00:00'", "2024-01-15 12:00:00")]).await;
    let epoch = db.row(&format!("SELECT extract(epoch FROM x)::bigint::text FROM \"{naive}\"")).await;
    assert_eq!(epoch, [Some("1705320000".to_string())]);
}

#[tokio::test]
async fn interval() {
    let db = Db::new().await;
    db.check(
        "interval",
        &[
            // Django's DurationField: INTEGER microseconds, split like Python's timedelta
            ok("0", "00:00:00"),
            ok("1500000", "00:00:01.5"),
            ok("3600000000", "01:00:00"),
            ok("86400000001", "1 day 00:00:00.000001"),
            ok("-1", "-1 days +23:59:59.999999"),
            ok("-90061000000", "-2 days +22:58:59"),
            ok("9223372036854775807", "106751991 days 04:00:54.775807"),
            ok("-9223372036854775807 - 1", "-106751992 days +19:59:05.224192"),
            // str(timedelta)
            ok("'3:00:00'", "03:00:00"),
            ok("'100:00:00'", "100:00:00"),
            ok("'-01:30:00'", "-01:30:00"),
            ok("'1 day, 2:03:04.5'", "1 day 02:03:04.5"),
            ok("'2 days, 0:00:00'", "2 days"),
            ok("'-1 day, 23:59:59'", "-1 days +23:59:59"),
            // ISO 8601
            ok("'P1Y2M3DT4H5M6S'", "1 year 2 mons 3 days 04:05:06"),
            ok("'P1W'", "7 days"),
            ok("'PT0.000001S'", "00:00:00.000001"),
            err("'01:02:03.1234567'"),
            err("'01:60:00'"),
            err("'1 hour'"),
            err("'1 fortnight'"),
            err("'P'"),
            err("1.5"),
            err("x'00'"),
        ],
    )
    .await;
}

/// One column whose rows mix INTEGER milliseconds, REAL seconds, ISO text and NULL: one COPY.
#[tokio::test]
async fn mixed_classes_in_one_timestamp_column() {
    let db = Db::new().await;
    db.exec("CREATE TABLE mixed (i integer, x timestamp(3))").await;
    let ty = db.column_type("mixed").await;
    let exprs = [
        "1705322096789",
        "'2024-01-15T12:34:56.789Z'",
        "'2024-01-15 12:34:56.789'",
        "1705322096.789",
        "'2024-01-15T14:34:56.789+02:00'",
        "NULL",
    ];
    let encoded = sqlite_values(&exprs, |v| match v {
        rusqlite::types::ValueRef::Null => None,
        v => Some(encode_one(&ty, ColumnFormat::Auto, v).unwrap_or_else(|e| panic!("refused: {e}"))),
    });
    let classes: Vec<&str> = encoded.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(classes, ["integer", "text", "text", "real", "text", "null"]);
    let rows = encoded.iter().enumerate().map(|(k, (_, b))| (i32::try_from(k).unwrap(), b.as_deref()));
    assert_eq!(db.copy("mixed", rows).await, 6);
    let summary = db
        .row(
            "SELECT count(*)::text, count(x)::text, count(DISTINCT x)::text, min(x)::text, \
                    bool_and(x = '2024-01-15 12:34:56.789'::timestamp(3))::text FROM mixed",
        )
        .await;
    let want = ["6", "5", "1", "2024-01-15 12:34:56.789", "true"];
    assert_eq!(summary, want.map(|s| Some(s.to_string())));
}

/// A text column fed every storage class in one COPY.
#[tokio::test]
async fn mixed_classes_in_one_text_column() {
    let db = Db::new().await;
    db.check("text", &[ok("42", "42"), ok("0.5", "0.5"), ok("'é'", "é"), ok("x'6869'", "hi"), err("x'80'")]).await;
}
