//! reading a SQLite declared column type: the kind of data it promises, and PostgreSQL candidates

use super::PgType;

/// What a declared type promises, after SQLite's affinity rules and a look at the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Bool,
    Integer,
    Real,
    Decimal,
    /// NUMERIC affinity under another name ("YEAR", "MONEY", "ENUM"...)
    OtherNumeric,
    Date,
    /// DATETIME or TIMESTAMP: becomes timestamptz when the data carries offsets
    Timestamp,
    Timestamptz,
    Time,
    Json,
    Uuid,
    Varchar,
    Text,
    Blob,
    /// no declared type: the data decides
    Untyped,
}

/// The candidates for a declared type, most specific first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Declared {
    pub(super) kind: Kind,
    pub(super) candidates: Vec<PgType>,
}

/// Every type an untyped column may get; `Inference::finish` orders them by the classes seen.
pub(super) const UNTYPED: [PgType; 6] = [
    PgType::Int4,
    PgType::Int8,
    PgType::Float8,
    PgType::Numeric { precision: None, scale: None },
    PgType::Text,
    PgType::Bytea,
];

const NUMERIC: PgType = PgType::Numeric { precision: None, scale: None };
/// PostgreSQL's limits for numeric precision and varchar length
const MAX_NUMERIC_PRECISION: u32 = 1000;
const MAX_VARCHAR: u32 = 10_485_760;

pub(super) fn parse(declared: &str) -> Declared {
    let cleaned: String = declared
        .chars()
        .filter(|c| !matches!(c, '"' | '\'' | '`' | '[' | ']'))
        .collect::<String>()
        .trim()
        .to_ascii_uppercase();
    let (name, args) = match cleaned.split_once('(') {
        Some((name, rest)) => {
            let inside = rest.split(')').next().unwrap_or("");
            let args: Option<Vec<u32>> = inside.split(',').map(|a| a.trim().parse().ok()).collect();
            (name.trim().to_string(), args.unwrap_or_default())
        }
        None => (cleaned.clone(), Vec::new()),
    };
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has_word = |w: &str| words.contains(&w);
    let has = |s: &str| name.contains(s);
    let time_precision = args.first().and_then(|p| u8::try_from(*p).ok()).filter(|p| *p <= 6);
    let with_tz = has("WITH TIME ZONE") && !has("WITHOUT");
    let (kind, candidates) = if has("BOOL") {
        (Kind::Bool, vec![PgType::Bool, PgType::Int2, PgType::Int4, PgType::Int8, PgType::Text])
    } else if has("TIMESTAMPTZ") || (has("TIMESTAMP") && with_tz) {
        let ty = PgType::Timestamptz { precision: time_precision };
        (Kind::Timestamptz, vec![ty, PgType::Int8, PgType::Float8, PgType::Text])
    } else if has("DATETIME") || has("TIMESTAMP") {
        let ty = PgType::Timestamp { precision: time_precision };
        (Kind::Timestamp, vec![ty, PgType::Int8, PgType::Float8, PgType::Text])
    } else if has_word("DATE") {
        (Kind::Date, vec![PgType::Date, PgType::Text])
    } else if words.first() == Some(&"TIME") && !with_tz {
        (Kind::Time, vec![PgType::Time { precision: time_precision }, PgType::Text])
    } else if has("JSON") {
        (Kind::Json, vec![PgType::Jsonb, PgType::Text])
    } else if has("UUID") || has_word("GUID") || has_word("UNIQUEIDENTIFIER") {
        (Kind::Uuid, vec![PgType::Uuid, PgType::Text])
    } else if has_word("DECIMAL") || has_word("NUMERIC") || has_word("DEC") {
        match args.as_slice() {
            [p, rest @ ..] if (1..=MAX_NUMERIC_PRECISION).contains(p) && rest.len() <= 1 => {
                let s = rest.first().copied().unwrap_or(0);
                match (u16::try_from(*p), u16::try_from(s)) {
                    (Ok(p), Ok(s)) if u32::from(s) <= MAX_NUMERIC_PRECISION => {
                        let ty = PgType::Numeric { precision: Some(p), scale: Some(s) };
                        (Kind::Decimal, vec![ty, NUMERIC, PgType::Text])
                    }
                    _ => (Kind::Decimal, vec![NUMERIC, PgType::Text]),
                }
            }
            _ => (Kind::Decimal, vec![NUMERIC, PgType::Text]),
        }
    } else if has("CHAR") && matches!(args.as_slice(), [n] if (1..=MAX_VARCHAR).contains(n)) {
        (Kind::Varchar, vec![PgType::Varchar(args.first().copied()), PgType::Text])
    } else if has("INT") {
        let ints = if has("SMALLINT") || has("TINYINT") || has("INT2") {
            vec![PgType::Int2, PgType::Int4, PgType::Int8]
        } else if has("BIGINT") || has("INT8") || has_word("BIG") {
            vec![PgType::Int8]
        } else {
            vec![PgType::Int4, PgType::Int8]
        };
        (Kind::Integer, [ints, vec![NUMERIC, PgType::Text]].concat())
    } else if has("CHAR") || has("CLOB") || has("TEXT") {
        (Kind::Text, vec![PgType::Text])
    } else if has("BLOB") {
        (Kind::Blob, vec![PgType::Bytea, PgType::Text])
    } else if name.is_empty() {
        (Kind::Untyped, UNTYPED.to_vec())
    } else if has("REAL") || has("FLOA") || has("DOUB") {
        (Kind::Real, vec![PgType::Float8, PgType::Text])
    } else {
        (Kind::OtherNumeric, vec![PgType::Int4, PgType::Int8, NUMERIC, PgType::Text])
    };
    Declared { kind, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(decl: &str) -> (Kind, PgType) {
        let d = parse(decl);
        (d.kind, d.candidates[0].clone())
    }

    #[test]
    fn names_before_affinity() {
        assert_eq!(first("BOOLEAN"), (Kind::Bool, PgType::Bool));
        assert_eq!(first("bool"), (Kind::Bool, PgType::Bool));
        assert_eq!(first("DATETIME"), (Kind::Timestamp, PgType::Timestamp { precision: None }));
        assert_eq!(first("timestamp(3)"), (Kind::Timestamp, PgType::Timestamp { precision: Some(3) }));
        assert_eq!(first("TIMESTAMP WITHOUT TIME ZONE"), (Kind::Timestamp, PgType::Timestamp { precision: None }));
        assert_eq!(first("timestamptz"), (Kind::Timestamptz, PgType::Timestamptz { precision: None }));
        assert_eq!(first("timestamp with time zone"), (Kind::Timestamptz, PgType::Timestamptz { precision: None }));
        assert_eq!(first("DATE"), (Kind::Date, PgType::Date));
        assert_eq!(first("time"), (Kind::Time, PgType::Time { precision: None }));
        assert_eq!(first("JSONB"), (Kind::Json, PgType::Jsonb));
        assert_eq!(first("json"), (Kind::Json, PgType::Jsonb));
        assert_eq!(first("UUID"), (Kind::Uuid, PgType::Uuid));
        assert_eq!(first("GUID"), (Kind::Uuid, PgType::Uuid));
        assert_eq!(first("decimal (5, 2)"), (Kind::Decimal, PgType::Numeric { precision: Some(5), scale: Some(2) }));
        assert_eq!(first("NUMERIC(10)"), (Kind::Decimal, PgType::Numeric { precision: Some(10), scale: Some(0) }));
        assert_eq!(first("DECIMAL"), (Kind::Decimal, NUMERIC));
        assert_eq!(first("decimal(0,0)"), (Kind::Decimal, NUMERIC));
        assert_eq!(first("NVARCHAR(160)"), (Kind::Varchar, PgType::Varchar(Some(160))));
        assert_eq!(first("character varying(40)"), (Kind::Varchar, PgType::Varchar(Some(40))));
        assert_eq!(first("CHAR(32)"), (Kind::Varchar, PgType::Varchar(Some(32))));
        assert_eq!(first("NATIVE CHARACTER(70)"), (Kind::Varchar, PgType::Varchar(Some(70))));
        assert_eq!(first("[varchar](20)"), (Kind::Varchar, PgType::Varchar(Some(20))));
    }

    #[test]
    fn affinity_rules() {
        assert_eq!(parse("INTEGER").candidates, vec![PgType::Int4, PgType::Int8, NUMERIC, PgType::Text]);
        assert_eq!(parse("int").candidates[0], PgType::Int4);
        assert_eq!(parse("intege").candidates[0], PgType::Int4);
        assert_eq!(parse("short integer").candidates[0], PgType::Int4);
        assert_eq!(parse("TINYINT").candidates[..3], [PgType::Int2, PgType::Int4, PgType::Int8]);
        assert_eq!(parse("smallint").candidates[0], PgType::Int2);
        assert_eq!(parse("MEDIUMINT").candidates[0], PgType::Int4);
        assert_eq!(parse("BIGINT").candidates, vec![PgType::Int8, NUMERIC, PgType::Text]);
        assert_eq!(parse("UNSIGNED BIG INT").candidates[0], PgType::Int8);
        assert_eq!(first("TEXT"), (Kind::Text, PgType::Text));
        assert_eq!(first("text nocase"), (Kind::Text, PgType::Text));
        assert_eq!(first("VARCHAR"), (Kind::Text, PgType::Text));
        assert_eq!(first("CLOB"), (Kind::Text, PgType::Text));
        assert_eq!(parse("BLOB").candidates, vec![PgType::Bytea, PgType::Text]);
        assert_eq!(parse("").kind, Kind::Untyped);
        assert_eq!(parse("  ").kind, Kind::Untyped);
        assert_eq!(parse("REAL").candidates, vec![PgType::Float8, PgType::Text]);
        assert_eq!(first("FLOAT"), (Kind::Real, PgType::Float8));
        assert_eq!(first("\"double precision\""), (Kind::Real, PgType::Float8));
        assert_eq!(parse("YEAR").candidates, vec![PgType::Int4, PgType::Int8, NUMERIC, PgType::Text]);
        assert_eq!(parse("MONEY").kind, Kind::OtherNumeric);
        assert_eq!(parse("ENUM('a','b')").kind, Kind::OtherNumeric);
    }
}
