//! Primary keys, unique indexes and indexes of a model, named as Prisma names them

use super::model::{db_name, Column};
use super::names::default_name;
use super::parse::{Attr, Block, Expr};
use crate::ident::quote_ident;

/// An index (unique or not) to create on a model's table.
pub(crate) struct Index {
    pub(crate) name: String,
    pub(crate) unique: bool,
    /// `USING ...` for a non-default access method.
    pub(crate) method: Option<String>,
    /// Each column, quoted, with its sort order.
    pub(crate) columns: Vec<String>,
}

/// The primary key: its name and quoted columns.
pub(crate) struct PrimaryKey {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
}

/// The database column of a model field named in an attribute.
pub(crate) fn column_of<'c>(columns: &'c [Column], model: &Block, field: &str) -> Result<&'c Column, String> {
    columns.iter().find(|c| c.field == field).ok_or_else(|| {
        if model.members.iter().any(|m| m.name == field) {
            format!("field {field} is not a column (a relation, or a field with errors)")
        } else {
            format!("no field {field}")
        }
    })
}

/// A named string argument.
fn named(attr: &Attr, name: &str) -> Option<String> {
    match attr.arg(name, None)? {
        Expr::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// Arguments that only other databases take.
fn refuse_foreign_args(attr: &Attr, what: &str) -> Result<(), String> {
    for a in ["length", "clustered", "ops", "where"] {
        if attr.arg(a, None).is_some() {
            return Err(format!("{what}({a}: ...) is not supported"));
        }
    }
    Ok(())
}

/// The `[a, b(sort: Desc)]` of a block attribute: database names (for the default name) and rendered columns.
fn field_list(
    attr: &Attr,
    columns: &[Column],
    model: &Block,
    what: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let Some(Expr::Array(items)) = attr.arg("fields", Some(0)) else {
        return Err(format!("{what} needs a list of fields"));
    };
    let mut names = Vec::new();
    let mut rendered = Vec::new();
    for item in items {
        let (field, args) = match item {
            Expr::Ident(f) => (f, &[][..]),
            Expr::Call(f, args) => (f, args.as_slice()),
            _ => return Err(format!("{what}: a field name was expected")),
        };
        let col = column_of(columns, model, field)?;
        let mut r = quote_ident(&col.db);
        for a in args {
            match (a.name.as_deref(), &a.value) {
                (Some("sort"), Expr::Ident(s)) if s == "Desc" => r.push_str(" DESC"),
                (Some("sort"), Expr::Ident(s)) if s == "Asc" => {}
                (Some(other), _) => return Err(format!("{what}: {field}({other}: ...) is not supported")),
                (None, _) => return Err(format!("{what}: {field}(...) takes named arguments")),
            }
        }
        names.push(col.db.clone());
        rendered.push(r);
    }
    Ok((names, rendered))
}

/// What one attribute adds.
enum Key {
    Primary(PrimaryKey),
    Index(Index),
    Nothing,
}

/// The primary key (`@id` or `@@id`) and the indexes (`@unique`, `@@unique`, `@@index`) of a model; every
/// attribute that cannot be created is added to `problems`.
pub(crate) fn keys(
    model: &Block,
    table: &str,
    columns: &[Column],
    problems: &mut Vec<String>,
) -> (Option<PrimaryKey>, Vec<Index>) {
    let mut pk = None;
    let mut indexes = Vec::new();
    let mut results = Vec::new();
    for f in &model.members {
        let Some(col) = columns.iter().find(|c| c.field == f.name) else { continue };
        if let Some(id) = f.attr("id") {
            results.push((format!(", field {}", f.name), field_id(id, table, col)));
        }
        if let Some(u) = f.attr("unique") {
            results.push((format!(", field {}", f.name), field_unique(u, table, col)));
        }
    }
    for a in &model.attrs {
        results.push((String::new(), block_key(a, model, table, columns)));
    }
    for (what, r) in results {
        match r {
            Ok(Key::Primary(_)) if pk.is_some() => {
                problems.push(format!("model {}: more than one primary key", model.name))
            }
            Ok(Key::Primary(p)) => pk = Some(p),
            Ok(Key::Index(i)) => indexes.push(i),
            Ok(Key::Nothing) => {}
            Err(e) => problems.push(format!("model {}{what}: {e}", model.name)),
        }
    }
    (pk, indexes)
}

fn field_id(id: &Attr, table: &str, col: &Column) -> Result<Key, String> {
    refuse_foreign_args(id, "@id")?;
    if id.arg("sort", None).is_some() {
        return Err("@id(sort: ...) is not supported on postgresql".into());
    }
    let name = named(id, "map").unwrap_or_else(|| default_name(table, &[], "_pkey"));
    Ok(Key::Primary(PrimaryKey { name, columns: vec![quote_ident(&col.db)] }))
}

fn field_unique(u: &Attr, table: &str, col: &Column) -> Result<Key, String> {
    refuse_foreign_args(u, "@unique")?;
    let name = named(u, "map").unwrap_or_else(|| default_name(table, &[&col.db], "_key"));
    let desc = matches!(u.arg("sort", None), Some(Expr::Ident(s)) if s == "Desc");
    let column = quote_ident(&col.db) + if desc { " DESC" } else { "" };
    Ok(Key::Index(Index { name, unique: true, method: None, columns: vec![column] }))
}

fn block_key(a: &Attr, model: &Block, table: &str, columns: &[Column]) -> Result<Key, String> {
    match a.name.as_str() {
        "id" => {
            refuse_foreign_args(a, "@@id")?;
            let (_, rendered) = field_list(a, columns, model, "@@id")?;
            if rendered.iter().any(|r| r.ends_with(" DESC")) {
                return Err("@@id with sort: Desc is not supported on postgresql".into());
            }
            let name = named(a, "map").unwrap_or_else(|| default_name(table, &[], "_pkey"));
            Ok(Key::Primary(PrimaryKey { name, columns: rendered }))
        }
        "unique" | "index" => {
            let what = format!("@@{}", a.name);
            refuse_foreign_args(a, &what)?;
            let unique = a.name == "unique";
            let (names, rendered) = field_list(a, columns, model, &what)?;
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            // `name:` is the client's name for a compound unique; on an index Prisma still reads it as `map:`
            if !unique && a.arg("map", None).is_some() && a.arg("name", None).is_some() {
                return Err("@@index takes name: (an old spelling of map:) or map:, not both".into());
            }
            let mapped = named(a, "map").or_else(|| if unique { None } else { named(a, "name") });
            let name = mapped.unwrap_or_else(|| default_name(table, &refs, if unique { "_key" } else { "_idx" }));
            let method = match a.arg("type", None) {
                None => None,
                Some(Expr::Ident(t)) if !unique => Some(match t.as_str() {
                    "BTree" => "BTREE",
                    "Hash" => "HASH",
                    "Gist" => "GIST",
                    "Gin" => "GIN",
                    "SpGist" => "SPGIST",
                    "Brin" => "BRIN",
                    other => return Err(format!("{what}(type: {other}) is not an index type")),
                }),
                Some(_) => return Err(format!("{what}(type: ...) is not supported here")),
            };
            Ok(Key::Index(Index { name, unique, method: method.map(str::to_string), columns: rendered }))
        }
        "map" | "schema" | "ignore" => Ok(Key::Nothing),
        other => Err(format!("@@{other} is not supported")),
    }
}

/// The database name of a model's table.
pub(crate) fn table_name(model: &Block) -> String {
    db_name(&model.name, model.attr("map"))
}
