//! SCHEMA=auto: turn the SQLite catalog and the inferred column types into PostgreSQL DDL

pub(crate) mod fts;
pub mod names;

use std::collections::HashMap;

use crate::sqlite::{Catalog, Skipped, TableInfo};
use crate::translate::expr::{self, quote_ident, ExprContext, LeaveOut, TypeHint};
use crate::translate::plan::TablePlan;
use crate::translate::values::PgType;

/// A statement with what it is for, so failures and skips can name the object.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The table (or view) the statement is about.
    pub(crate) table: String,
    pub(crate) what: String,
    pub(crate) sql: String,
}

/// A foreign key to add after the data, with what is needed to explain orphan rows.
#[derive(Debug, Clone)]
pub(crate) struct ForeignKeyStep {
    pub(crate) what: String,
    pub(crate) sql: String,
    /// Target (PostgreSQL) child table and columns, parent table and columns.
    pub(crate) table: String,
    pub(crate) columns: Vec<String>,
    pub(crate) parent: String,
    pub(crate) parent_columns: Vec<String>,
    /// The same on the SQLite side, when both tables come from SQLite (for the rowids of orphan rows).
    pub(crate) source: Option<SourceSide>,
}

#[derive(Debug, Clone)]
pub(crate) struct SourceSide {
    pub(crate) table: String,
    pub(crate) columns: Vec<String>,
    pub(crate) parent: String,
    pub(crate) parent_columns: Vec<String>,
    pub(crate) rowid_name: Option<&'static str>,
}

/// The translated schema, in the order it must run.
#[derive(Debug, Default)]
pub(crate) struct Translation {
    /// CREATE TABLE statements, run before the data.
    pub(crate) tables: Vec<Step>,
    /// Primary keys, unique constraints and indexes, run after the data.
    pub(crate) keys: Vec<Step>,
    /// Whether the keys (ALTER TABLE) attach indexes among the CREATE INDEX steps, which must be built first.
    pub(crate) keys_attach_indexes: bool,
    /// Foreign keys, after the keys.
    pub(crate) foreign_keys: Vec<ForeignKeyStep>,
    /// Views: each tried on its own; one PostgreSQL rejects is skipped.
    pub(crate) views: Vec<Step>,
    /// Identity columns to move past the copied ids: (table, column, AUTOINCREMENT high-water mark).
    pub(crate) identities: Vec<(String, String, Option<i64>)>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) notes: Vec<String>,
    /// Expressions that cannot be translated: a schema error listing them all.
    pub(crate) untranslatable: Vec<String>,
    /// The LEAVE_OUT entries that would go past each untranslatable object (none for generated columns).
    pub(crate) hints: Vec<String>,
    /// What LEAVE_OUT left out, described, and the entries that did it.
    pub(crate) left_out: Vec<String>,
    pub(crate) left_out_by: Vec<LeaveOut>,
}

/// An object without a translation: left out when LEAVE_OUT names it (`entry`), otherwise a schema error.
fn refuse(out: &mut Translation, leave: &[LeaveOut], entry: Option<LeaveOut>, message: String) {
    match entry {
        Some(e) if leave.iter().any(|l| l.same(&e)) => {
            out.left_out.push(format!("{message} (LEAVE_OUT={})", e.setting()));
            out.left_out_by.push(e);
        }
        Some(e) => {
            out.untranslatable.push(message);
            out.hints.push(e.setting());
        }
        None => out.untranslatable.push(message),
    }
}

fn hint(ty: &PgType) -> TypeHint {
    match ty {
        PgType::Bool => TypeHint::Boolean,
        PgType::Int2 | PgType::Int4 | PgType::Int8 => TypeHint::Integer,
        PgType::Float4 | PgType::Float8 | PgType::Numeric { .. } => TypeHint::Numeric,
        PgType::Text | PgType::Varchar(_) | PgType::Char(_) => TypeHint::Text,
        PgType::Timestamp { .. } => TypeHint::Timestamp,
        PgType::Timestamptz { .. } => TypeHint::Timestamptz,
        PgType::Date => TypeHint::Date,
        PgType::Time { .. } => TypeHint::Time,
        PgType::Json | PgType::Jsonb => TypeHint::Json,
        PgType::Bytea => TypeHint::Bytes,
        _ => TypeHint::Other,
    }
}

/// Tables, keys and foreign keys go into `schema`; views into `views_schema` (the same, except for a staged load,
/// which publishes views straight into the target).
pub(crate) fn translate(
    schema: &str,
    views_schema: &str,
    catalog: &Catalog,
    plans: &[TablePlan],
    leave: &[LeaveOut],
) -> Translation {
    let mut out = Translation::default();
    let by_name: HashMap<String, (&TableInfo, &TablePlan)> = plans
        .iter()
        .filter_map(|p| catalog.tables.iter().find(|t| t.name == p.source).map(|t| (t.name.to_lowercase(), (t, p))))
        .collect();
    for plan in plans {
        if let Some((table, _)) = by_name.get(&plan.source.to_lowercase()) {
            translate_table(schema, table, plan, catalog, leave, &mut out);
        }
    }
    for plan in plans {
        if let Some((table, _)) = by_name.get(&plan.source.to_lowercase()) {
            for fk in &table.foreign_keys {
                foreign_key(schema, table, plan, fk, &by_name, &mut out);
            }
        }
    }
    let mut known: Vec<String> = catalog.tables.iter().map(|t| t.name.clone()).collect();
    known.extend(catalog.views.iter().map(|v| v.name.clone()));
    known.extend(catalog.tables.iter().flat_map(|t| t.columns.iter().map(|c| c.name.clone())));
    for view in &catalog.views {
        match expr::parse_create_view(&view.sql).map_err(|e| e.to_string()).and_then(|v| {
            let select = expr::translate_select_with_names(&v.select, &known).map_err(|e| e.to_string())?;
            // without a column list, the names SQLite gives the columns (PostgreSQL would name `f(x)` "f")
            let names = v.columns.as_ref().or((!view.columns.is_empty()).then_some(&view.columns));
            let cols = names
                .map(|c| format!(" ({})", c.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ")))
                .unwrap_or_default();
            Ok(format!("CREATE VIEW {}.{}{cols} AS {select}", quote_ident(views_schema), quote_ident(&view.name)))
        }) {
            Ok(sql) => out.views.push(Step { table: view.name.clone(), what: format!("view \"{}\"", view.name), sql }),
            Err(reason) => out.skipped.push(Skipped { kind: "view", name: view.name.clone(), reason }),
        }
    }
    out
}

fn translate_table(
    schema: &str,
    table: &TableInfo,
    plan: &TablePlan,
    catalog: &Catalog,
    leave: &[LeaveOut],
    out: &mut Translation,
) {
    let default_of = |c: &str| Some(LeaveOut::Default { table: table.name.clone(), column: c.to_string() });
    let checks_of = |c: Option<&str>| Some(LeaveOut::Check { table: table.name.clone(), column: c.map(String::from) });
    let qtable = format!("{}.{}", quote_ident(schema), quote_ident(&plan.target));
    let hints: Vec<(String, TypeHint)> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), plan.column(&c.name).map(|p| hint(&p.ty)).unwrap_or(TypeHint::Other)))
        .collect();
    let mut defs = Vec::new();
    let pk = table.primary_key();
    let pk_has_nulls = pk.iter().any(|k| plan.column(k).is_some_and(|c| c.nulls > 0));
    for (i, col) in table.columns.iter().enumerate() {
        let what = format!("table \"{}\", column \"{}\"", table.name, col.name);
        let ty = match plan.column(&col.name) {
            Some(p) => p.ty.clone(),
            // a generated column: its type comes from the declaration alone
            None => crate::translate::values::Inference::new(&col.declared).finish().ty,
        };
        let mut def = format!("{} {}", quote_ident(&col.name), ty.sql());
        let ctx = ExprContext { columns: &hints, target: Some(hint(&ty)) };
        if table.rowid_alias == Some(i) {
            def.push_str(" GENERATED BY DEFAULT AS IDENTITY");
            out.identities.push((
                plan.target.clone(),
                col.name.clone(),
                if table.autoincrement { catalog.sequences.get(&table.name.to_lowercase()).copied() } else { None },
            ));
        }
        if col.not_null && table.rowid_alias != Some(i) {
            def.push_str(" NOT NULL");
        }
        if let Some(g) = &col.generated {
            match expr::translate_expr(&g.expr, &ctx) {
                Ok(e) => def.push_str(&format!(" GENERATED ALWAYS AS ({e}) STORED")),
                Err(e) => out.untranslatable.push(format!("{what}: generated expression: {e}")),
            }
            if !g.stored {
                out.notes.push(format!("{what}: virtual generated column becomes a stored one"));
            }
        } else if let Some(d) = &col.default {
            match expr::translate_default(d, &ctx) {
                Ok(e) => def.push_str(&format!(" DEFAULT {e}")),
                Err(e) => refuse(out, leave, default_of(&col.name), format!("{what}: default: {e}")),
            }
        }
        for check in &col.checks {
            match expr::translate_check(&check.expr, &ctx) {
                Ok(e) => def.push_str(&format!("{} CHECK ({e})", constraint_name(&check.name))),
                Err(e) => refuse(out, leave, checks_of(Some(&col.name)), format!("{what}: check constraint: {e}")),
            }
        }
        if let Some(c) = col.collate.as_deref().filter(|c| !c.eq_ignore_ascii_case("binary")) {
            out.notes.push(format!(
                "{what}: collation {c}: its unique keys compare {c}-folded in postgresql, other comparisons exactly"
            ));
        }
        defs.push(def);
    }
    let ctx = ExprContext { columns: &hints, target: None };
    for check in &table.checks {
        match expr::translate_check(&check.expr, &ctx) {
            Ok(e) => {
                let name = check.name.as_ref().map(|n| format!("CONSTRAINT {} ", quote_ident(n))).unwrap_or_default();
                defs.push(format!("{name}CHECK ({e})"));
            }
            Err(e) => refuse(out, leave, checks_of(None), format!("table \"{}\": check constraint: {e}", table.name)),
        }
    }
    out.tables.push(Step {
        table: plan.target.clone(),
        what: format!("table \"{}\"", plan.target),
        sql: format!("CREATE TABLE {qtable} (\n  {}\n)", defs.join(",\n  ")),
    });
    let cols = |names: &[&str]| names.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ");
    if !pk.is_empty() {
        if pk_has_nulls {
            out.notes.push(format!(
                "table \"{}\": primary key ({}) holds NULL, which postgresql primary keys cannot; kept as a UNIQUE constraint",
                table.name,
                pk.join(", ")
            ));
            out.keys.push(Step {
                table: plan.target.clone(),
                what: format!("unique key of \"{}\"", plan.target),
                sql: format!("ALTER TABLE {qtable} ADD UNIQUE ({})", cols(&pk)),
            });
        } else {
            out.keys.push(Step {
                table: plan.target.clone(),
                what: format!("primary key of \"{}\"", plan.target),
                sql: format!("ALTER TABLE {qtable} ADD PRIMARY KEY ({})", cols(&pk)),
            });
        }
    }
    for u in &table.uniques {
        let names: Vec<&str> = u.iter().map(String::as_str).collect();
        out.keys.push(Step {
            table: plan.target.clone(),
            what: format!("unique constraint of \"{}\"", plan.target),
            sql: format!("ALTER TABLE {qtable} ADD UNIQUE ({})", cols(&names)),
        });
    }
    // a key over NOCASE or RTRIM columns also rejects what SQLite's collation calls equal; the exact key stays
    // for foreign keys
    let keys = (!pk.is_empty())
        .then_some(pk.clone())
        .into_iter()
        .chain(table.uniques.iter().map(|u| u.iter().map(String::as_str).collect()));
    for key in keys {
        let collations: Vec<Option<&str>> = key
            .iter()
            .map(|k| table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(k)).and_then(|c| c.collate.as_deref()))
            .collect();
        if collations.iter().all(|c| c.is_none_or(|c| c.eq_ignore_ascii_case("binary"))) {
            continue;
        }
        let what = format!("unique key ({}) of \"{}\"", key.join(", "), plan.target);
        match key
            .iter()
            .zip(&collations)
            .map(|(k, c)| Ok(expr::folded(&quote_ident(k), c.unwrap_or("binary"))?.unwrap_or_else(|| quote_ident(k))))
            .collect::<Result<Vec<_>, expr::Untranslatable>>()
        {
            Ok(exprs) => out.keys.push(Step {
                table: plan.target.clone(),
                what,
                sql: format!(
                    "CREATE UNIQUE INDEX ON {qtable} ({})",
                    exprs.iter().map(|e| format!("({e})")).collect::<Vec<_>>().join(", ")
                ),
            }),
            Err(e) => out.untranslatable.push(format!("{what}: {e}")),
        }
    }
    for idx in &table.indexes {
        let what = format!("index \"{}\"", idx.name);
        let mut items = Vec::new();
        let mut problems = Vec::new();
        let mut index_notes = Vec::new();
        for item in &idx.items {
            let expr = match &item.column {
                Some(c) if idx.unique => {
                    // a unique index compares under the item's collation, else the column's
                    let declared = table
                        .columns
                        .iter()
                        .find(|col| col.name.eq_ignore_ascii_case(c))
                        .and_then(|col| col.collate.as_deref());
                    match expr::folded(&quote_ident(c), item.collate.as_deref().or(declared).unwrap_or("binary")) {
                        Ok(Some(f)) => format!("({f})"),
                        Ok(None) => quote_ident(c),
                        Err(e) => {
                            problems.push(format!("{what}: {e}"));
                            continue;
                        }
                    }
                }
                Some(c) => quote_ident(c),
                None => match expr::translate_index_expr(&item.expr, &ctx) {
                    Ok((e, notes)) => {
                        index_notes.extend(notes);
                        match item.collate.as_deref().filter(|_| idx.unique).map(|c| expr::folded(&e, c)) {
                            Some(Ok(Some(f))) => format!("({f})"),
                            Some(Err(e)) => {
                                problems.push(format!("{what}: {e}"));
                                continue;
                            }
                            _ => format!("({e})"),
                        }
                    }
                    Err(e) => {
                        problems.push(format!("{what}: {e}"));
                        continue;
                    }
                },
            };
            if let Some(c) = item.collate.as_deref().filter(|c| !c.eq_ignore_ascii_case("binary") && !idx.unique) {
                out.notes.push(format!("{what}: collation {c} is not kept (a non-unique index only serves lookups)"));
            }
            items.push(if item.desc { format!("{expr} DESC") } else { expr });
        }
        let filter = match idx.where_clause.as_deref().map(|w| expr::translate_index_where(w, &ctx)) {
            None => String::new(),
            Some(Ok((w, notes))) => {
                index_notes.extend(notes);
                format!(" WHERE {w}")
            }
            Some(Err(e)) => {
                problems.push(format!("{what}: where clause: {e}"));
                String::new()
            }
        };
        index_notes.dedup();
        if idx.unique {
            // a unique index must reject what SQLite rejects: no compact form there
            problems.extend(index_notes.drain(..).map(|n| format!("{what}: unique, and {n}")));
        }
        out.notes.extend(index_notes.iter().map(|n| format!("{what}: {n}")));
        let failed = !problems.is_empty();
        for p in problems {
            refuse(out, leave, Some(LeaveOut::Index(idx.name.clone())), p);
        }
        if !failed {
            out.keys.push(Step {
                table: plan.target.clone(),
                what,
                sql: format!(
                    "CREATE {}INDEX {} ON {qtable} ({}){filter}",
                    if idx.unique { "UNIQUE " } else { "" },
                    quote_ident(&idx.name),
                    items.join(", ")
                ),
            });
        }
    }
}

fn constraint_name(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!(" CONSTRAINT {}", quote_ident(n))).unwrap_or_default()
}

fn foreign_key(
    schema: &str,
    table: &TableInfo,
    plan: &TablePlan,
    fk: &crate::sqlite::ForeignKey,
    by_name: &HashMap<String, (&TableInfo, &TablePlan)>,
    out: &mut Translation,
) {
    let what = format!("foreign key \"{}\"({}) -> \"{}\"", table.name, fk.from.join(", "), fk.parent);
    let skip = |out: &mut Translation, reason: String| {
        out.skipped.push(Skipped { kind: "foreign key", name: what.clone(), reason })
    };
    let Some((parent, parent_plan)) = by_name.get(&fk.parent.to_lowercase()) else {
        return skip(out, "the parent table is not migrated".into());
    };
    let to: Vec<String> =
        if fk.to.is_empty() { parent.primary_key().into_iter().map(String::from).collect() } else { fk.to.clone() };
    if to.len() != fk.from.len() {
        return skip(out, "the parent has no matching primary key".into());
    }
    let unique_in_parent = {
        let mut want: Vec<String> = to.iter().map(|c| c.to_lowercase()).collect();
        want.sort();
        let same = |cols: &[&str]| {
            let mut have: Vec<String> = cols.iter().map(|c| c.to_lowercase()).collect();
            have.sort();
            have == want
        };
        same(&parent.primary_key())
            || parent.uniques.iter().any(|u| same(&u.iter().map(String::as_str).collect::<Vec<_>>()))
            || parent.indexes.iter().any(|i| {
                i.unique
                    && i.where_clause.is_none()
                    && i.items.iter().all(|it| it.column.is_some() && it.collate.is_none())
                    && same(&i.items.iter().filter_map(|it| it.column.as_deref()).collect::<Vec<_>>())
            })
    };
    if !unique_in_parent {
        return skip(out, "the parent columns are not a primary key or unique, as postgresql requires".into());
    }
    for (c, p) in fk.from.iter().zip(&to) {
        let (Some(ct), Some(pt)) = (
            plan.columns.iter().find(|x| x.source.eq_ignore_ascii_case(c)),
            parent_plan.columns.iter().find(|x| x.source.eq_ignore_ascii_case(p)),
        ) else {
            return skip(out, "a column of the key does not exist".into());
        };
        if hint(&ct.ty) != hint(&pt.ty) {
            return skip(out, format!("column types differ ({} and {})", ct.ty.sql(), pt.ty.sql()));
        }
    }
    let q = |v: &[String]| v.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ");
    let action = |a: &str| match a.to_ascii_uppercase().as_str() {
        "CASCADE" => "CASCADE",
        "SET NULL" => "SET NULL",
        "SET DEFAULT" => "SET DEFAULT",
        "RESTRICT" => "RESTRICT",
        _ => "NO ACTION",
    };
    out.foreign_keys.push(ForeignKeyStep {
        sql: format!(
            "ALTER TABLE {s}.{t} ADD FOREIGN KEY ({}) REFERENCES {s}.{p} ({}) ON UPDATE {} ON DELETE {}",
            q(&fk.from),
            q(&to),
            action(&fk.on_update),
            action(&fk.on_delete),
            s = quote_ident(schema),
            t = quote_ident(&plan.target),
            p = quote_ident(&parent_plan.target),
        ),
        what,
        table: plan.target.clone(),
        columns: fk.from.clone(),
        parent: parent_plan.target.clone(),
        parent_columns: to.clone(),
        source: Some(SourceSide {
            table: table.name.clone(),
            columns: fk.from.clone(),
            parent: parent.name.clone(),
            parent_columns: to,
            rowid_name: table.rowid_name,
        }),
    });
}
