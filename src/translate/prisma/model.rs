//! The blocks of a Prisma schema read for meaning: enums, models and their fields, by Prisma and database name

use super::parse::{Attr, Block, Expr, Member};
use super::types::{self, Default, Kind};

/// An enum: database name, schema and values as (Prisma name, database name).
pub(crate) struct Enum<'a> {
    name: &'a str,
    pub(crate) db: String,
    pub(crate) schema: Option<String>,
    pub(crate) values: Vec<(String, String)>,
}

/// What a model field is.
pub(crate) enum FieldKind<'a> {
    Scalar(&'a str),
    Enum(&'a Enum<'a>),
    Unsupported(&'a str),
    /// A relation to the model of that block.
    Relation(&'a Block),
}

/// The names and the fields of all blocks, for looking things up.
pub(crate) struct Schema<'a> {
    pub(crate) models: Vec<&'a Block>,
    pub(crate) enums: Vec<Enum<'a>>,
    composites: Vec<&'a str>,
}

/// A string argument (`@map("x")`, `@@schema("x")`).
pub(crate) fn string_arg(attr: Option<&Attr>, name: &str) -> Option<String> {
    match attr?.arg(name, Some(0))? {
        Expr::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// The database name of a block or member: its `@map`/`@@map`, else its own name.
pub(crate) fn db_name(own: &str, map: Option<&Attr>) -> String {
    string_arg(map, "name").unwrap_or_else(|| own.to_string())
}

impl<'a> Schema<'a> {
    pub(crate) fn new(blocks: &'a [Block]) -> Schema<'a> {
        let enums = blocks
            .iter()
            .filter(|b| b.kind == "enum")
            .map(|b| Enum {
                name: &b.name,
                db: db_name(&b.name, b.attr("map")),
                schema: string_arg(b.attr("schema"), "name"),
                values: b.members.iter().map(|m| (m.name.clone(), db_name(&m.name, m.attr("map")))).collect(),
            })
            .collect();
        Schema {
            models: blocks.iter().filter(|b| b.kind == "model").collect(),
            enums,
            composites: blocks.iter().filter(|b| b.kind == "type").map(|b| b.name.as_str()).collect(),
        }
    }

    fn model(&self, name: &str) -> Option<&'a Block> {
        self.models.iter().copied().find(|m| m.name == name)
    }

    /// What a field's type names; an unknown type is an error.
    pub(crate) fn kind(&'a self, field: &'a Member) -> Result<FieldKind<'a>, String> {
        let ty = field.ty.as_deref().ok_or("a field needs a type")?;
        if let Some(u) = &field.unsupported {
            return Ok(FieldKind::Unsupported(u));
        }
        if let Some(s) = types::SCALARS.iter().find(|s| **s == ty) {
            return Ok(FieldKind::Scalar(s));
        }
        if let Some(e) = self.enums.iter().find(|e| e.name == ty) {
            return Ok(FieldKind::Enum(e));
        }
        if let Some(m) = self.model(ty) {
            return Ok(FieldKind::Relation(m));
        }
        if self.composites.contains(&ty) {
            return Err(format!("composite type {ty} (MongoDB only) is not supported"));
        }
        Err(format!("unknown type {ty}"))
    }
}

/// One column of a model's table.
pub(crate) struct Column {
    pub(crate) field: String,
    pub(crate) db: String,
    pub(crate) sql_type: String,
    pub(crate) not_null: bool,
    pub(crate) default: Option<String>,
}

/// Attributes a field may carry on PostgreSQL.
const FIELD_ATTRS: [&str; 8] = ["id", "unique", "default", "map", "relation", "updatedAt", "ignore", "db"];

/// The column of a scalar, enum or Unsupported field; None for a relation field.
pub(crate) fn column(schema: &Schema<'_>, field: &Member) -> Result<Option<Column>, String> {
    for a in &field.attrs {
        let base = a.name.split('.').next().unwrap_or_default();
        if !FIELD_ATTRS.contains(&base) {
            return Err(format!("@{} is not supported", a.name));
        }
    }
    let (base, kind) = match schema.kind(field)? {
        FieldKind::Relation(_) => return Ok(None),
        FieldKind::Scalar(s) => (types::scalar_type(s, &field.attrs)?, Kind::Scalar(s)),
        FieldKind::Enum(e) => (super::names::qualified(e.schema.as_deref(), &e.db), Kind::Enum(&e.values)),
        FieldKind::Unsupported(u) => (u.to_string(), Kind::Unsupported),
    };
    let sql_type = if field.list { format!("{base}[]") } else { base.clone() };
    let mut default = Default::None;
    if let Some(d) = field.attr("default") {
        if d.arg("map", None).is_some() {
            return Err("@default(map: ...) names a default constraint, which postgresql does not have".into());
        }
        let value = d.arg("value", Some(0)).ok_or("@default needs a value")?;
        default = types::default(&kind, &sql_type, field.list, value)?;
    }
    let (sql_type, default) = match default {
        Default::Serial => {
            let serial = match (field.list, base.as_str()) {
                (false, "INTEGER") => "SERIAL",
                (false, "BIGINT") => "BIGSERIAL",
                (false, "SMALLINT") => "SMALLSERIAL",
                _ => return Err(format!("autoincrement() on a {sql_type} column")),
            };
            (serial.to_string(), None)
        }
        Default::Sql(s) => (sql_type, Some(s)),
        Default::None => (sql_type, None),
    };
    Ok(Some(Column {
        field: field.name.clone(),
        db: db_name(&field.name, field.attr("map")),
        sql_type,
        // scalar lists are nullable columns in Prisma's PostgreSQL schema, whatever their arity
        not_null: !field.optional && !field.list,
        default,
    }))
}
