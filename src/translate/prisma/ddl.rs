//! The PostgreSQL DDL Prisma's schema engine creates for a schema: enums, tables, keys, indexes, foreign keys

use super::keys::{keys, table_name, Index, PrimaryKey};
use super::model::{column, string_arg, Column, FieldKind, Schema};
use super::names::{default_name, qualified};
use super::parse::{Block, Expr, Member};
use crate::ident::quote_ident;

/// The DDL text and the views it leaves out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Generated {
    pub(crate) sql: String,
    pub(crate) views: Vec<String>,
}

/// A model's table as it will be created.
struct Table<'a> {
    model: &'a Block,
    name: String,
    schema: Option<String>,
    columns: Vec<Column>,
    pk: Option<PrimaryKey>,
    indexes: Vec<Index>,
}

impl Table<'_> {
    fn qualified(&self) -> String {
        qualified(self.schema.as_deref(), &self.name)
    }

    fn db_column(&self, field: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }
}

/// Generate the DDL, or list every construct that cannot be generated.
pub(crate) fn generate(blocks: &[Block]) -> Result<Generated, Vec<String>> {
    let schema = Schema::new(blocks);
    let mut problems = Vec::new();
    let mut views = Vec::new();
    let mut extensions = Vec::new();
    let mut foreign_keys = true;
    for b in blocks {
        match b.kind.as_str() {
            "model" | "enum" | "generator" => {}
            "datasource" => datasource(b, &mut extensions, &mut foreign_keys, &mut problems),
            "view" => views.push(b.name.clone()),
            "type" => problems.push(format!("type {}: composite types (MongoDB only) are not supported", b.name)),
            other => problems.push(format!("line {}: {other} {} is not a Prisma block", b.line, b.name)),
        }
    }
    let mut tables = Vec::new();
    for model in &schema.models {
        let name = table_name(model);
        let mut columns = Vec::new();
        for f in &model.members {
            match column(&schema, f) {
                Ok(Some(c)) => columns.push(c),
                Ok(None) => {}
                Err(e) => problems.push(format!("model {}, field {}: {e}", model.name, f.name)),
            }
        }
        let (pk, indexes) = keys(model, &name, &columns, &mut problems);
        let schema = string_arg(model.attr("schema"), "name");
        tables.push(Table { model, name, schema, columns, pk, indexes });
    }
    let mut relations = Relations::default();
    for t in &tables {
        for f in &t.model.members {
            if let Ok(FieldKind::Relation(target)) = schema.kind(f) {
                if let Err(e) = relations.add(&tables, t, f, target) {
                    problems.push(format!("model {}, field {}: {e}", t.model.name, f.name));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Generated { sql: render(&schema, &tables, &relations, &extensions, foreign_keys), views })
}

fn datasource(b: &Block, extensions: &mut Vec<String>, foreign_keys: &mut bool, problems: &mut Vec<String>) {
    for m in &b.members {
        match (m.name.as_str(), &m.value) {
            ("provider", Some(Expr::Str(p))) if p == "mongodb" => {
                problems.push("provider \"mongodb\" has no SQL schema".into())
            }
            ("relationMode" | "referentialIntegrity", Some(Expr::Str(mode))) => *foreign_keys = mode != "prisma",
            ("extensions", Some(Expr::Array(items))) => {
                for i in items {
                    match i {
                        Expr::Ident(e) => extensions.push(e.clone()),
                        _ => {
                            problems.push(format!("datasource {}: extensions with arguments are not supported", b.name))
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Foreign keys and implicit many-to-many tables.
#[derive(Default)]
struct Relations {
    foreign_keys: Vec<String>,
    joins: Vec<Join>,
}

/// An implicit many-to-many table `_<relation>`: column A refers to the model whose name sorts first.
struct Join {
    table: String,
    schema: Option<String>,
    a: (String, String, String),
    b: (String, String, String),
}

const ACTIONS: [(&str, &str); 5] = [
    ("Cascade", "CASCADE"),
    ("Restrict", "RESTRICT"),
    ("NoAction", "NO ACTION"),
    ("SetNull", "SET NULL"),
    ("SetDefault", "SET DEFAULT"),
];

fn idents(e: Option<&Expr>, what: &str) -> Result<Vec<String>, String> {
    match e {
        Some(Expr::Array(items)) => items
            .iter()
            .map(|i| match i {
                Expr::Ident(s) => Ok(s.clone()),
                _ => Err(format!("@relation({what}: ...) must list field names")),
            })
            .collect(),
        _ => Err(format!("@relation needs {what}: [...]")),
    }
}

fn relation_name(f: &Member) -> Option<String> {
    string_arg(f.attr("relation"), "name")
}

impl Relations {
    fn add(&mut self, tables: &[Table<'_>], table: &Table<'_>, f: &Member, target: &Block) -> Result<(), String> {
        let parent = tables.iter().find(|t| t.model.name == target.name).ok_or("the related model has errors")?;
        let rel = f.attr("relation");
        if let Some(rel) = rel.filter(|r| r.arg("fields", None).is_some()) {
            let fields = idents(rel.arg("fields", None), "fields")?;
            let references = idents(rel.arg("references", None), "references")?;
            if fields.len() != references.len() {
                return Err("@relation lists fields and references of different lengths".into());
            }
            let col = |t: &Table<'_>, f: &str| {
                t.db_column(f)
                    .map(|c| c.db.clone())
                    .ok_or_else(|| format!("no scalar field {f} in model {}", t.model.name))
            };
            let cols = fields.iter().map(|x| col(table, x)).collect::<Result<Vec<_>, _>>()?;
            let parent_cols = references.iter().map(|x| col(parent, x)).collect::<Result<Vec<_>, _>>()?;
            let action = |arg: &str, default: &str| -> Result<String, String> {
                match rel.arg(arg, None) {
                    None => Ok(default.to_string()),
                    Some(Expr::Ident(a)) => ACTIONS
                        .iter()
                        .find(|x| x.0 == a)
                        .map(|x| x.1.to_string())
                        .ok_or(format!("{arg}: {a} is not a referential action")),
                    Some(_) => Err(format!("{arg} takes a referential action")),
                }
            };
            let on_delete = action("onDelete", if f.optional { "SET NULL" } else { "RESTRICT" })?;
            let on_update = action("onUpdate", "CASCADE")?;
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            let name = match rel.arg("map", None) {
                Some(Expr::Str(m)) => m.clone(),
                _ => default_name(&table.name, &refs, "_fkey"),
            };
            self.foreign_keys.push(format!(
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}({}) ON DELETE {on_delete} ON UPDATE {on_update};",
                table.qualified(),
                quote_ident(&name),
                quote_list(&cols),
                parent.qualified(),
                quote_list(&parent_cols)
            ));
            return Ok(());
        }
        if !f.list {
            return Ok(());
        }
        let name = relation_name(f);
        let back =
            target.members.iter().filter(|g| g.ty.as_deref() == Some(&table.model.name) && relation_name(g) == name);
        let back: Vec<&Member> = back.filter(|g| table.model.name != target.name || g.name != f.name).collect();
        match back.as_slice() {
            [] if table.model.name == target.name => return Err("a self-relation list needs its opposite field".into()),
            [] => return Err(format!("no opposite relation field in model {}", target.name)),
            [g] if !g.list => return Ok(()),
            [_] => {}
            _ => return Err("ambiguous relation: name it with @relation(\"...\")".into()),
        }
        let (first, second) = if table.model.name <= target.name { (table, parent) } else { (parent, table) };
        let join_name = format!("_{}", name.unwrap_or_else(|| format!("{}To{}", first.model.name, second.model.name)));
        if self.joins.iter().any(|j| j.table == join_name) {
            return Ok(());
        }
        let id = |t: &Table<'_>| -> Result<(String, String, String), String> {
            let pk = t.pk.as_ref().filter(|pk| pk.columns.len() == 1).ok_or(format!(
                "model {} needs a single-field @id for an implicit many-to-many relation",
                t.model.name
            ))?;
            let c = t.columns.iter().find(|c| quote_ident(&c.db) == pk.columns[0]).ok_or("the id is not a column")?;
            let ty = match c.sql_type.as_str() {
                "SERIAL" => "INTEGER".to_string(),
                "BIGSERIAL" => "BIGINT".to_string(),
                "SMALLSERIAL" => "SMALLINT".to_string(),
                other => other.to_string(),
            };
            Ok((t.qualified(), c.db.clone(), ty))
        };
        self.joins.push(Join { table: join_name, schema: first.schema.clone(), a: id(first)?, b: id(second)? });
        Ok(())
    }
}

fn quote_list(cols: &[String]) -> String {
    cols.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")
}

fn render(
    schema: &Schema<'_>,
    tables: &[Table<'_>],
    relations: &Relations,
    extensions: &[String],
    foreign_keys: bool,
) -> String {
    let mut out = Vec::new();
    for e in extensions {
        out.push(format!("CREATE EXTENSION IF NOT EXISTS {};", quote_ident(e)));
    }
    let mut schemas: Vec<&str> = tables
        .iter()
        .filter_map(|t| t.schema.as_deref())
        .chain(schema.enums.iter().filter_map(|e| e.schema.as_deref()))
        .collect();
    schemas.sort_unstable();
    schemas.dedup();
    for s in schemas {
        out.push(format!("CREATE SCHEMA IF NOT EXISTS {};", quote_ident(s)));
    }
    for e in &schema.enums {
        let values: Vec<String> = e.values.iter().map(|(_, v)| format!("'{}'", v.replace('\'', "''"))).collect();
        out.push(format!("CREATE TYPE {} AS ENUM ({});", qualified(e.schema.as_deref(), &e.db), values.join(", ")));
    }
    for t in tables {
        let mut lines: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut l = format!("    {} {}", quote_ident(&c.db), c.sql_type);
                if c.not_null {
                    l.push_str(" NOT NULL");
                }
                if let Some(d) = &c.default {
                    l.push_str(" DEFAULT ");
                    l.push_str(d);
                }
                l
            })
            .collect();
        if let Some(pk) = &t.pk {
            lines.push(format!("    CONSTRAINT {} PRIMARY KEY ({})", quote_ident(&pk.name), pk.columns.join(", ")));
        }
        out.push(format!("CREATE TABLE {} (\n{}\n);", t.qualified(), lines.join(",\n")));
    }
    for j in &relations.joins {
        let q = qualified(j.schema.as_deref(), &j.table);
        out.push(format!(
            "CREATE TABLE {q} (\n    \"A\" {} NOT NULL,\n    \"B\" {} NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (\"A\", \"B\")\n);",
            j.a.2,
            j.b.2,
            quote_ident(&format!("{}_AB_pkey", j.table))
        ));
    }
    for t in tables {
        for i in &t.indexes {
            let using = i.method.as_ref().map(|m| format!(" USING {m}")).unwrap_or_default();
            let unique = if i.unique { "UNIQUE " } else { "" };
            out.push(format!(
                "CREATE {unique}INDEX {} ON {}{using}({});",
                quote_ident(&i.name),
                t.qualified(),
                i.columns.join(", ")
            ));
        }
    }
    for j in &relations.joins {
        let q = qualified(j.schema.as_deref(), &j.table);
        out.push(format!("CREATE INDEX {} ON {q}(\"B\");", quote_ident(&format!("{}_B_index", j.table))));
    }
    if foreign_keys {
        out.extend(relations.foreign_keys.iter().cloned());
        for j in &relations.joins {
            let q = qualified(j.schema.as_deref(), &j.table);
            for (side, (parent, col, _)) in [("A", &j.a), ("B", &j.b)] {
                out.push(format!(
                    "ALTER TABLE {q} ADD CONSTRAINT {} FOREIGN KEY (\"{side}\") REFERENCES {parent}({}) ON DELETE CASCADE ON UPDATE CASCADE;",
                    quote_ident(&format!("{}_{side}_fkey", j.table)),
                    quote_ident(col)
                ));
            }
        }
    }
    out.join("\n\n") + "\n"
}
