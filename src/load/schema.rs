//! SCHEMA=auto's schema: the translation refused all at once when any of it has none, and its statements run

use tokio_postgres::Transaction;

use crate::error::{Error, Result};
use crate::load::plan::TablePlan;
use crate::sqlite::Catalog;

use crate::translate::schema as auto;
use crate::translate::schema::{fts, names};
use crate::translate::schema::{Step, Translation};

use crate::config::Config;

/// Translate the SQLite schema and refuse, all at once, whatever cannot be translated.
pub(crate) fn translate(
    schema: &str,
    views_schema: &str,
    catalog: &Catalog,
    plans: &[TablePlan],
    config: &Config,
) -> Result<Translation> {
    let strict = config.strict_schema;
    let mut t = auto::translate(schema, views_schema, catalog, plans, &config.leave_out);
    fts::steps(
        schema,
        |t| config.fts_config.of(t).to_string(),
        |t| crate::load::plan::selected(config, t),
        catalog,
        plans,
        &mut t,
    );
    let mut problems = t.untranslatable.clone();
    problems.extend(
        config
            .leave_out
            .iter()
            .filter(|l| !t.left_out_by.iter().any(|u| u.same(l)))
            .map(|l| format!("LEAVE_OUT entry {} names nothing that lacks a translation; remove it", l.setting())),
    );
    problems.extend(name_problems(catalog, plans));
    if strict {
        problems.extend(
            catalog
                .skipped
                .iter()
                .chain(&t.skipped)
                .map(|s| format!("{} \"{}\" would be skipped (STRICT_SCHEMA=true): {}", s.kind, s.name, s.reason)),
        );
    }
    if !problems.is_empty() {
        let mut hints = t.hints.clone();
        hints.dedup();
        let how = if hints.is_empty() {
            String::new()
        } else {
            format!(
                "\nto migrate without them, set LEAVE_OUT={} (what it leaves out is listed in the log and the report)",
                hints.join(",")
            )
        };
        return Err(Error::schema(format!(
            "{} object(s) cannot be translated:\n  - {}{how}",
            problems.len(),
            problems.join("\n  - ")
        ))
        .listing(problems));
    }
    for item in &t.left_out {
        log::warn!("left out {item}");
    }
    for note in &t.notes {
        log::warn!("{note}");
    }
    Ok(t)
}

fn name_problems(catalog: &Catalog, plans: &[TablePlan]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut relations: Vec<&str> = plans.iter().map(|p| p.target.as_str()).collect();
    relations.extend(catalog.views.iter().map(|v| v.name.as_str()));
    let gin: Vec<String> = catalog.fts.iter().map(|f| f.gin_name()).collect();
    relations.extend(gin.iter().map(String::as_str));
    for t in &catalog.tables {
        relations.extend(t.indexes.iter().map(|i| i.name.as_str()));
    }
    let (e, w) = names::collisions("schema", relations);
    errors.extend(e);
    w.iter().for_each(|w| log::warn!("{w}"));
    for t in &catalog.tables {
        let (e, w) = names::collisions(&format!("table \"{}\"", t.name), t.columns.iter().map(|c| c.name.as_str()));
        errors.extend(e);
        w.iter().for_each(|w| log::warn!("{w}"));
        if t.columns.len() > 1600 {
            errors.push(format!(
                "table \"{}\" has {} columns; postgresql allows at most 1600",
                t.name,
                t.columns.len()
            ));
        }
    }
    errors
}

/// Run statements of the schema, many in one round trip; when PostgreSQL refuses one, the error names it, as
/// [`run_step`]'s does.
pub(crate) async fn run_steps(tx: &Transaction<'_>, steps: &[&Step]) -> Result<()> {
    crate::load::batch::each(tx, steps, |s| &s.sql, |s| run_step(tx, s)).await.map(drop)
}

/// Run one statement of the schema; a refusal is a schema error naming what it was for.
pub(crate) async fn run_step(tx: &Transaction<'_>, step: &Step) -> Result<()> {
    log::debug!("{}: {}", step.what, step.sql);
    tx.batch_execute(&step.sql)
        .await
        .map_err(|e| Error::schema(format!("{}: postgresql refused it", step.what)).because(e))
}
