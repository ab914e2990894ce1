//! Prisma scalar types and `@db.*` attributes as PostgreSQL types, and `@default(...)` as column defaults

use super::parse::{Attr, Expr};

/// Prisma's scalar types.
pub(crate) const SCALARS: [&str; 9] =
    ["String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"];

/// Every `@db.*` attribute of the PostgreSQL connector: its name, the scalar it applies to, the type and how many
/// (optional) numeric arguments it takes.
const NATIVE: [(&str, &str, &str, usize); 26] = [
    ("Text", "String", "TEXT", 0),
    ("Char", "String", "CHAR", 1),
    ("VarChar", "String", "VARCHAR", 1),
    ("Bit", "String", "BIT", 1),
    ("VarBit", "String", "VARBIT", 1),
    ("Uuid", "String", "UUID", 0),
    ("Xml", "String", "XML", 0),
    ("Inet", "String", "INET", 0),
    ("Citext", "String", "CITEXT", 0),
    ("Boolean", "Boolean", "BOOLEAN", 0),
    ("Integer", "Int", "INTEGER", 0),
    ("SmallInt", "Int", "SMALLINT", 0),
    ("Oid", "Int", "OID", 0),
    ("BigInt", "BigInt", "BIGINT", 0),
    ("DoublePrecision", "Float", "DOUBLE PRECISION", 0),
    ("Real", "Float", "REAL", 0),
    ("Decimal", "Decimal", "DECIMAL", 2),
    ("Money", "Decimal", "MONEY", 0),
    ("Timestamp", "DateTime", "TIMESTAMP", 1),
    ("Timestamptz", "DateTime", "TIMESTAMPTZ", 1),
    ("Date", "DateTime", "DATE", 0),
    ("Time", "DateTime", "TIME", 1),
    ("Timetz", "DateTime", "TIMETZ", 1),
    ("Json", "Json", "JSON", 0),
    ("JsonB", "Json", "JSONB", 0),
    ("ByteA", "Bytes", "BYTEA", 0),
];

/// Prisma's PostgreSQL type for a scalar without `@db.*`.
fn default_type(scalar: &str) -> &'static str {
    match scalar {
        "Boolean" => "BOOLEAN",
        "Int" => "INTEGER",
        "BigInt" => "BIGINT",
        "Float" => "DOUBLE PRECISION",
        "Decimal" => "DECIMAL(65,30)",
        "DateTime" => "TIMESTAMP(3)",
        "Json" => "JSONB",
        "Bytes" => "BYTEA",
        _ => "TEXT",
    }
}

/// The type of a scalar field: its `@db.*` attribute (checked against the scalar) or Prisma's default.
pub(crate) fn scalar_type(scalar: &str, attrs: &[Attr]) -> Result<String, String> {
    let natives: Vec<&Attr> = attrs.iter().filter(|a| a.name.starts_with("db.")).collect();
    let Some(attr) = natives.first() else { return Ok(default_type(scalar).to_string()) };
    if natives.len() > 1 {
        return Err("more than one @db attribute".into());
    }
    let name = &attr.name[3..];
    let Some((_, of, sql, max_args)) = NATIVE.iter().find(|n| n.0 == name) else {
        return Err(format!("@db.{name} is not a PostgreSQL native type"));
    };
    if *of != scalar {
        return Err(format!("@db.{name} applies to {of} fields, not {scalar}"));
    }
    let mut nums = Vec::new();
    for a in &attr.args {
        match (&a.name, &a.value) {
            (None, Expr::Num(n)) => {
                nums.push(n.parse::<u32>().map_err(|_| format!("@db.{name}: {n} is not a length or precision"))?)
            }
            _ => return Err(format!("@db.{name}: arguments must be numbers")),
        }
    }
    if nums.len() > *max_args {
        return Err(format!("@db.{name} takes at most {max_args} argument(s)"));
    }
    Ok(match nums.as_slice() {
        [] => sql.to_string(),
        [_] if name == "Decimal" => return Err("@db.Decimal takes a precision and a scale, or nothing".into()),
        [n] => format!("{sql}({n})"),
        many => format!("{sql}({})", many.iter().map(u32::to_string).collect::<Vec<_>>().join(",")),
    })
}

/// What a field's `@default(...)` becomes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Default {
    /// No database default (none given, or made by Prisma Client: uuid(), cuid(), nanoid(), ulid()).
    None,
    /// `autoincrement()`: the column becomes serial.
    Serial,
    Sql(String),
}

/// A field's kind, for its default.
pub(crate) enum Kind<'a> {
    Scalar(&'a str),
    /// An enum, with its values as (Prisma name, database name).
    Enum(&'a [(String, String)]),
    Unsupported,
}

/// The column default of `expr` for a field of `kind` and PostgreSQL `sql_type`.
pub(crate) fn default(kind: &Kind<'_>, sql_type: &str, list: bool, expr: &Expr) -> Result<Default, String> {
    match expr {
        Expr::Call(f, args) => match (f.as_str(), args.as_slice()) {
            ("autoincrement", []) => Ok(Default::Serial),
            ("now", []) => Ok(Default::Sql("CURRENT_TIMESTAMP".into())),
            ("dbgenerated", []) => Ok(Default::None),
            ("dbgenerated", [a]) => match &a.value {
                Expr::Str(s) => Ok(Default::Sql(s.clone())),
                _ => Err("dbgenerated takes a string".into()),
            },
            ("uuid" | "cuid" | "nanoid" | "ulid", _) => Ok(Default::None),
            (other, _) => Err(format!("@default({other}(...)) is not supported on postgresql")),
        },
        Expr::Array(items) if list => {
            let rendered: Result<Vec<String>, String> = items.iter().map(|i| literal(kind, i)).collect();
            Ok(Default::Sql(format!("ARRAY[{}]::{sql_type}", rendered?.join(", "))))
        }
        _ if list => Err("a list field's default must be a list".into()),
        other => literal(kind, other).map(Default::Sql),
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One literal value as SQL.
fn literal(kind: &Kind<'_>, expr: &Expr) -> Result<String, String> {
    match (kind, expr) {
        (Kind::Enum(values), Expr::Ident(v)) => values
            .iter()
            .find(|(name, _)| name == v)
            .map(|(_, db)| quote(db))
            .ok_or_else(|| format!("{v} is not a value of the enum")),
        (Kind::Scalar("String" | "Json"), Expr::Str(s)) => Ok(quote(s)),
        (Kind::Scalar("Boolean"), Expr::Ident(b)) if b == "true" || b == "false" => Ok(b.clone()),
        (Kind::Scalar("Int" | "BigInt"), Expr::Num(n)) if n.parse::<i64>().is_ok() => Ok(n.clone()),
        (Kind::Scalar("Float" | "Decimal"), Expr::Num(n)) if n.parse::<f64>().is_ok_and(f64::is_finite) => {
            Ok(n.clone())
        }
        (Kind::Scalar("Decimal"), Expr::Str(s)) if s.parse::<f64>().is_ok_and(f64::is_finite) => Ok(s.clone()),
        (Kind::Scalar("DateTime"), Expr::Str(s)) => chrono::DateTime::parse_from_rfc3339(s)
            // as Prisma renders it (chrono's Display): the time in the offset written, which PostgreSQL's
            // timestamp input then drops; a fraction only when there is one
            .map(|t| quote(&t.to_string()))
            .map_err(|_| format!("\"{s}\" is not an RFC 3339 date and time")),
        (Kind::Scalar("Bytes"), _) => Err("a default for a Bytes field is not supported".into()),
        (Kind::Unsupported, _) => Err("an Unsupported field takes only dbgenerated(...) as default".into()),
        _ => Err("the default does not fit the field's type".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::Arg;
    use super::*;

    fn db(name: &str, args: &[&str]) -> Vec<Attr> {
        let args = args.iter().map(|a| Arg { name: None, value: Expr::Num(a.to_string()) }).collect();
        vec![Attr { name: format!("db.{name}"), args, line: 1 }]
    }

    #[test]
    fn native_types_and_defaults() {
        assert_eq!(scalar_type("DateTime", &[]).unwrap(), "TIMESTAMP(3)");
        assert_eq!(scalar_type("Decimal", &[]).unwrap(), "DECIMAL(65,30)");
        assert_eq!(scalar_type("String", &db("VarChar", &["255"])).unwrap(), "VARCHAR(255)");
        assert_eq!(scalar_type("Decimal", &db("Decimal", &["10", "2"])).unwrap(), "DECIMAL(10,2)");
        assert_eq!(scalar_type("DateTime", &db("Timestamptz", &["6"])).unwrap(), "TIMESTAMPTZ(6)");
        assert!(scalar_type("Int", &db("VarChar", &[])).unwrap_err().contains("String fields"));
        assert!(scalar_type("Int", &db("TinyInt", &[])).unwrap_err().contains("not a PostgreSQL"));
        assert!(scalar_type("String", &db("Text", &["1"])).is_err());
        assert!(scalar_type("Decimal", &db("Decimal", &["10"])).is_err());
        assert_eq!(scalar_type("Decimal", &db("Decimal", &[])).unwrap(), "DECIMAL");
    }

    #[test]
    fn defaults_render_as_prisma_renders_them() {
        let s = Kind::Scalar("String");
        assert_eq!(default(&s, "TEXT", false, &Expr::Str("it's".into())).unwrap(), Default::Sql("'it''s'".into()));
        assert_eq!(default(&s, "TEXT", false, &Expr::Call("cuid".into(), vec![])).unwrap(), Default::None);
        let t = Kind::Scalar("DateTime");
        assert_eq!(
            default(&t, "TIMESTAMP(3)", false, &Expr::Call("now".into(), vec![])).unwrap(),
            Default::Sql("CURRENT_TIMESTAMP".into())
        );
        assert_eq!(
            default(&t, "TIMESTAMP(3)", false, &Expr::Str("2020-01-01T02:00:00+02:00".into())).unwrap(),
            Default::Sql("'2020-01-01 02:00:00 +02:00'".into())
        );
        let i = Kind::Scalar("Int");
        assert_eq!(
            default(&i, "INTEGER", false, &Expr::Call("autoincrement".into(), vec![])).unwrap(),
            Default::Serial
        );
        assert_eq!(
            default(&i, "INTEGER[]", true, &Expr::Array(vec![Expr::Num("1".into()), Expr::Num("2".into())])).unwrap(),
            Default::Sql("ARRAY[1, 2]::INTEGER[]".into())
        );
        assert!(default(&i, "INTEGER", false, &Expr::Str("x".into())).is_err());
        let values = [("A".to_string(), "a".to_string())];
        assert_eq!(
            default(&Kind::Enum(&values), "\"E\"", false, &Expr::Ident("A".into())).unwrap(),
            Default::Sql("'a'".into())
        );
        assert!(default(&Kind::Enum(&values), "\"E\"", false, &Expr::Ident("B".into())).is_err());
    }
}
