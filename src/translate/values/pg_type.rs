//! the PostgreSQL column types sqlite2pg writes: their SQL names, OIDs, and parsing from `format_type`

/// A PostgreSQL column type the converter can write in binary format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PgType {
    /// `boolean`
    Bool,
    /// `smallint`
    Int2,
    /// `integer`
    Int4,
    /// `bigint`
    Int8,
    /// `real`
    Float4,
    /// `double precision`
    Float8,
    /// `numeric(p,s)`; `precision: None` is unconstrained, `scale: None` with a precision means 0
    Numeric {
        /// significant digits in all
        precision: Option<u16>,
        /// digits after the decimal point
        scale: Option<u16>,
    },
    /// `text`
    Text,
    /// `varchar(n)`, or `varchar` without a limit
    Varchar(Option<u32>),
    /// `char(n)`
    Char(u32),
    /// `bytea`
    Bytea,
    /// `date`
    Date,
    /// `time(p)` without time zone
    Time {
        /// fractional digits of the second kept; `None`: PostgreSQL's default, 6
        precision: Option<u8>,
    },
    /// `timestamp(p)` without time zone
    Timestamp {
        /// fractional digits of the second kept; `None`: PostgreSQL's default, 6
        precision: Option<u8>,
    },
    /// `timestamp(p) with time zone`
    Timestamptz {
        /// fractional digits of the second kept; `None`: PostgreSQL's default, 6
        precision: Option<u8>,
    },
    /// `interval`; also one whose fields end in `second`, at full precision (`interval day to second`)
    Interval,
    /// `uuid`
    Uuid,
    /// `json`
    Json,
    /// `jsonb`
    Jsonb,
    /// `inet`
    Inet,
    /// `cidr`
    Cidr,
    /// a user-defined enum; a value must be one of its labels
    Enum {
        /// the labels, in the enum's order
        labels: Vec<String>,
    },
    /// a one-dimensional array of the element type
    Array(Box<PgType>),
}

impl PgType {
    /// The type as written in `CREATE TABLE` (an enum gives "text": the caller names enums itself).
    pub fn sql(&self) -> String {
        match self {
            PgType::Bool => "boolean".into(),
            PgType::Int2 => "smallint".into(),
            PgType::Int4 => "integer".into(),
            PgType::Int8 => "bigint".into(),
            PgType::Float4 => "real".into(),
            PgType::Float8 => "double precision".into(),
            PgType::Numeric { precision: Some(p), scale } => {
                format!("numeric({},{})", p, scale.unwrap_or(0))
            }
            PgType::Numeric { precision: None, .. } => "numeric".into(),
            PgType::Text => "text".into(),
            PgType::Varchar(Some(n)) => format!("varchar({n})"),
            PgType::Varchar(None) => "varchar".into(),
            PgType::Char(n) => format!("char({n})"),
            PgType::Bytea => "bytea".into(),
            PgType::Date => "date".into(),
            PgType::Time { precision } => with_precision("time", *precision, " without time zone"),
            PgType::Timestamp { precision } => with_precision("timestamp", *precision, " without time zone"),
            PgType::Timestamptz { precision } => with_precision("timestamp", *precision, " with time zone"),
            PgType::Interval => "interval".into(),
            PgType::Uuid => "uuid".into(),
            PgType::Json => "json".into(),
            PgType::Jsonb => "jsonb".into(),
            PgType::Inet => "inet".into(),
            PgType::Cidr => "cidr".into(),
            PgType::Enum { .. } => "text".into(),
            PgType::Array(elem) => format!("{}[]", elem.sql()),
        }
    }

    /// The type's OID; for an array the OID of its element type (what the binary array header
    /// carries). An enum's OID is assigned by the server and unknown here: 0.
    pub fn oid(&self) -> u32 {
        match self {
            PgType::Bool => 16,
            PgType::Int2 => 21,
            PgType::Int4 => 23,
            PgType::Int8 => 20,
            PgType::Float4 => 700,
            PgType::Float8 => 701,
            PgType::Numeric { .. } => 1700,
            PgType::Text => 25,
            PgType::Varchar(_) => 1043,
            PgType::Char(_) => 1042,
            PgType::Bytea => 17,
            PgType::Date => 1082,
            PgType::Time { .. } => 1083,
            PgType::Timestamp { .. } => 1114,
            PgType::Timestamptz { .. } => 1184,
            PgType::Interval => 1186,
            PgType::Uuid => 2950,
            PgType::Json => 114,
            PgType::Jsonb => 3802,
            PgType::Inet => 869,
            PgType::Cidr => 650,
            PgType::Enum { .. } => 0,
            PgType::Array(elem) => elem.oid(),
        }
    }

    /// Parse PostgreSQL's `format_type(atttypid, atttypmod)` output. `enum_labels` is given when
    /// the type (or, for an array, its element type) is an enum (`typtype = 'e'`); the name is
    /// then not looked at. Types the converter cannot write exactly give `None` (e.g. `money`,
    /// `time with time zone`, `interval day`, `interval(3)`: `interval_recv` would truncate or
    /// round). Intervals whose fields end in `second` at full precision keep every value
    /// (Hibernate's `interval second(6)`).
    pub fn from_format_type(s: &str, enum_labels: Option<Vec<String>>) -> Option<PgType> {
        let s = s.trim();
        if let Some(elem) = s.strip_suffix("[]") {
            let elem = PgType::from_format_type(elem, enum_labels)?;
            if matches!(elem, PgType::Array(_)) {
                return None;
            }
            return Some(PgType::Array(Box::new(elem)));
        }
        if let Some(labels) = enum_labels {
            return Some(PgType::Enum { labels });
        }
        let (name, args, suffix) = split_modifier(s)?;
        let ty = match (name, args.as_slice(), suffix) {
            ("boolean", [], "") => PgType::Bool,
            ("smallint", [], "") => PgType::Int2,
            ("integer", [], "") => PgType::Int4,
            ("bigint", [], "") => PgType::Int8,
            ("real", [], "") => PgType::Float4,
            ("double precision", [], "") => PgType::Float8,
            ("numeric", [], "") => PgType::Numeric { precision: None, scale: None },
            ("numeric", [p], "") => numeric(*p, 0)?,
            ("numeric", [p, s], "") => numeric(*p, *s)?,
            ("text", [], "") => PgType::Text,
            ("character varying", [], "") => PgType::Varchar(None),
            ("character varying", [n], "") => PgType::Varchar(Some(u32::try_from(*n).ok()?)),
            ("character", [n], "") => PgType::Char(u32::try_from(*n).ok()?),
            ("bytea", [], "") => PgType::Bytea,
            ("date", [], "") => PgType::Date,
            ("time", [], " without time zone") => PgType::Time { precision: None },
            ("time", [p], " without time zone") => PgType::Time { precision: Some(precision(*p)?) },
            ("timestamp", [], " without time zone") => PgType::Timestamp { precision: None },
            ("timestamp", [p], " without time zone") => PgType::Timestamp { precision: Some(precision(*p)?) },
            ("timestamp", [], " with time zone") => PgType::Timestamptz { precision: None },
            ("timestamp", [p], " with time zone") => PgType::Timestamptz { precision: Some(precision(*p)?) },
            (name, [] | [6], "") if keeps_every_interval(name) => PgType::Interval,
            ("uuid", [], "") => PgType::Uuid,
            ("json", [], "") => PgType::Json,
            ("jsonb", [], "") => PgType::Jsonb,
            ("inet", [], "") => PgType::Inet,
            ("cidr", [], "") => PgType::Cidr,
            _ => return None,
        };
        Some(ty)
    }
}

/// Interval field restrictions that `AdjustIntervalForTypmod` applies without truncating: those
/// whose last field is SECOND (only a precision below 6 would round).
fn keeps_every_interval(name: &str) -> bool {
    matches!(
        name,
        "interval"
            | "interval second"
            | "interval day to second"
            | "interval hour to second"
            | "interval minute to second"
    )
}

fn with_precision(name: &str, precision: Option<u8>, suffix: &str) -> String {
    match precision {
        Some(p) => format!("{name}({p}){suffix}"),
        None => format!("{name}{suffix}"),
    }
}

fn numeric(p: i64, s: i64) -> Option<PgType> {
    // PostgreSQL 15 also allows negative scales and scale > precision; the former cannot be
    // represented here (and would round), so it is refused
    Some(PgType::Numeric { precision: Some(u16::try_from(p).ok()?), scale: Some(u16::try_from(s).ok()?) })
}

fn precision(p: i64) -> Option<u8> {
    u8::try_from(p).ok().filter(|p| *p <= 6)
}

/// Split "timestamp(3) without time zone" into ("timestamp", [3], " without time zone").
fn split_modifier(s: &str) -> Option<(&str, Vec<i64>, &str)> {
    let Some(open) = s.find('(') else {
        // "time without time zone" has its suffix without a modifier
        for base in ["time", "timestamp"] {
            if let Some(rest) = s.strip_prefix(base) {
                if rest.starts_with(' ') {
                    return Some((base, Vec::new(), rest));
                }
            }
        }
        return Some((s, Vec::new(), ""));
    };
    let close = s[open..].find(')')? + open;
    let args = s[open + 1..close].split(',').map(|a| a.trim().parse::<i64>().ok()).collect::<Option<Vec<_>>>()?;
    Some((&s[..open], args, &s[close + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_names() {
        assert_eq!(PgType::Float8.sql(), "double precision");
        assert_eq!(PgType::Numeric { precision: Some(10), scale: Some(2) }.sql(), "numeric(10,2)");
        assert_eq!(PgType::Numeric { precision: Some(10), scale: None }.sql(), "numeric(10,0)");
        assert_eq!(PgType::Numeric { precision: None, scale: None }.sql(), "numeric");
        assert_eq!(PgType::Varchar(Some(40)).sql(), "varchar(40)");
        assert_eq!(PgType::Char(2).sql(), "char(2)");
        assert_eq!(PgType::Timestamp { precision: Some(3) }.sql(), "timestamp(3) without time zone");
        assert_eq!(PgType::Timestamptz { precision: None }.sql(), "timestamp with time zone");
        assert_eq!(PgType::Time { precision: None }.sql(), "time without time zone");
        assert_eq!(PgType::Array(Box::new(PgType::Text)).sql(), "text[]");
        assert_eq!(PgType::Enum { labels: vec!["a".into()] }.sql(), "text");
    }

    #[test]
    fn oids() {
        assert_eq!(PgType::Int8.oid(), 20);
        assert_eq!(PgType::Char(3).oid(), 1042);
        assert_eq!(PgType::Timestamptz { precision: Some(3) }.oid(), 1184);
        assert_eq!(PgType::Array(Box::new(PgType::Uuid)).oid(), 2950);
        assert_eq!(PgType::Jsonb.oid(), 3802);
        assert_eq!(PgType::Cidr.oid(), 650);
    }

    #[test]
    fn from_format_type_covers_postgres_spellings() {
        let f = |s| PgType::from_format_type(s, None);
        assert_eq!(f("integer"), Some(PgType::Int4));
        assert_eq!(f("double precision"), Some(PgType::Float8));
        assert_eq!(f("numeric(65,30)"), Some(PgType::Numeric { precision: Some(65), scale: Some(30) }));
        assert_eq!(f("numeric"), Some(PgType::Numeric { precision: None, scale: None }));
        assert_eq!(f("character varying(191)"), Some(PgType::Varchar(Some(191))));
        assert_eq!(f("character varying"), Some(PgType::Varchar(None)));
        assert_eq!(f("character(32)"), Some(PgType::Char(32)));
        assert_eq!(f("timestamp(3) without time zone"), Some(PgType::Timestamp { precision: Some(3) }));
        assert_eq!(f("timestamp with time zone"), Some(PgType::Timestamptz { precision: None }));
        assert_eq!(f("time without time zone"), Some(PgType::Time { precision: None }));
        assert_eq!(f("time(0) without time zone"), Some(PgType::Time { precision: Some(0) }));
        assert_eq!(f("text[]"), Some(PgType::Array(Box::new(PgType::Text))));
        assert_eq!(f("character varying(10)[]"), Some(PgType::Array(Box::new(PgType::Varchar(Some(10))))));
        assert_eq!(f("jsonb"), Some(PgType::Jsonb));
        assert_eq!(f("interval"), Some(PgType::Interval));
        for exact in [
            "interval(6)",
            "interval second(6)",
            "interval second",
            "interval day to second",
            "interval hour to second(6)",
            "interval minute to second",
        ] {
            assert_eq!(f(exact), Some(PgType::Interval), "{exact}");
        }
        for unsupported in [
            "money",
            "time with time zone",
            "interval day",
            "interval hour to minute",
            "interval year to month",
            "interval second(3)",
            "interval day to second(0)",
            "interval(3)",
            "integer[][]",
            "numeric(5,-2)",
            "xml",
            "bpchar",
            "\"char\"",
        ] {
            assert_eq!(f(unsupported), None, "{unsupported}");
        }
    }

    #[test]
    fn from_format_type_enums() {
        let labels = vec!["USER".to_string(), "ADMIN".to_string()];
        assert_eq!(
            PgType::from_format_type("\"Role\"", Some(labels.clone())),
            Some(PgType::Enum { labels: labels.clone() })
        );
        assert_eq!(
            PgType::from_format_type("\"Role\"[]", Some(labels.clone())),
            Some(PgType::Array(Box::new(PgType::Enum { labels })))
        );
        assert_eq!(PgType::from_format_type("\"Role\"", None), None);
    }
}
