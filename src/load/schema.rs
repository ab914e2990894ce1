//! The target schema: created from the SQLite schema (SCHEMA=auto) before the data, finished after it

use tokio_postgres::Transaction;

use crate::error::{describe_pg, Error, Result};
use crate::ident::quote_ident;
use crate::load::plan::TablePlan;
use crate::sqlite::Catalog;

use crate::load::constraints as post;
use crate::load::onto as user;
use crate::postgres::existing::clashes;
use crate::translate::schema as auto;
use crate::translate::schema::{fts, names};
pub use crate::translate::schema::{Step, Translation};

use crate::config::{Config, SchemaSource};
use crate::report::Report;
use crate::sqlite::{Skipped, Source};

/// What the schema step leaves for after the data.
pub enum Prepared {
    /// The translated schema, and the foreign keys of other tables that ON_EXISTING=replace dropped with the old
    /// tables, to add again.
    Auto(Box<Translation>, Vec<crate::postgres::existing::replace::KeptKey>),
    User(user::Loaded),
}

/// Inside the data transaction, before the data: create (auto) or apply and read (the user's own) schema, and
/// plan each table. `replace` lists existing tables ON_EXISTING=replace loads again.
pub async fn prepare(
    tx: &Transaction<'_>,
    config: &Config,
    source: &Source,
    catalog: &Catalog,
    replace: &[String],
    report: &mut Report,
) -> Result<(Vec<TablePlan>, Prepared)> {
    let schema = &config.target_schema;
    if config.schema != SchemaSource::Auto {
        let (plans, loaded) = user::prepare(tx, config, source, catalog, !replace.is_empty()).await?;
        return Ok((plans, Prepared::User(loaded)));
    }
    let plans = crate::load::plan::infer(source, config, catalog)?;
    report.notes.extend(crate::load::plan::notes(&plans));
    let translation = translate(schema, schema, catalog, &plans, config)?;
    report.skipped.extend(translation.skipped.iter().cloned());
    report.left_out.extend(translation.left_out.iter().cloned());
    report.notes.extend(translation.notes.iter().cloned());
    clashes::refuse(tx, schema, catalog, &plans, replace).await?;
    let kept = crate::postgres::existing::replace::drop_old(tx, schema, replace, &translation.views).await?;
    create(tx, schema, &translation).await?;
    Ok((plans, Prepared::Auto(Box::new(translation), kept)))
}

impl Prepared {
    /// The rows the loaded tables held before the run, set aside to compare (the user's schema only).
    pub fn seeds(&self) -> &[crate::load::seeds::Seed] {
        match self {
            Prepared::Auto(..) => &[],
            Prepared::User(loaded) => &loaded.seeds,
        }
    }
}

/// After the data: keys, indexes, foreign keys, views, sequences. Returns what was skipped.
pub async fn finish(
    tx: &Transaction<'_>,
    config: &Config,
    source: &Source,
    plans: &[TablePlan],
    prepared: &Prepared,
) -> Result<Vec<Skipped>> {
    match prepared {
        Prepared::Auto(t, kept) => {
            let skipped = post::finish(tx, source, &config.target_schema, t, config.strict_schema).await?;
            crate::postgres::existing::replace::restore(tx, kept).await?;
            Ok(skipped)
        }
        Prepared::User(loaded) => user::finish(tx, config, source, plans, loaded).await.map(|()| Vec::new()),
    }
}

/// Translate the SQLite schema and refuse, all at once, whatever cannot be translated.
pub fn translate(
    schema: &str,
    views_schema: &str,
    catalog: &Catalog,
    plans: &[TablePlan],
    config: &Config,
) -> Result<Translation> {
    let strict = config.strict_schema;
    let mut t = auto::translate(schema, views_schema, catalog, plans, &config.leave_out);
    fts::steps(schema, &config.fts_config, |t| crate::load::plan::selected(config, t), catalog, plans, &mut t);
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
        return Err(Error::Schema(format!(
            "{} object(s) cannot be translated:\n  - {}{how}",
            problems.len(),
            problems.join("\n  - ")
        )));
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

/// Create the target schema (if missing) and the tables, inside the run's transaction.
pub async fn create(tx: &Transaction<'_>, schema: &str, t: &Translation) -> Result<()> {
    run_step(
        tx,
        &Step {
            table: String::new(),
            what: format!("schema \"{schema}\""),
            sql: format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(schema)),
        },
    )
    .await?;
    run_step(
        tx,
        &Step {
            table: String::new(),
            what: "search_path".into(),
            sql: format!("SET LOCAL search_path TO {}", quote_ident(schema)),
        },
    )
    .await?;
    for step in &t.tables {
        run_step(tx, step).await?;
    }
    Ok(())
}

pub(crate) async fn run_step(tx: &Transaction<'_>, step: &Step) -> Result<()> {
    log::debug!("{}: {}", step.what, step.sql);
    tx.batch_execute(&step.sql)
        .await
        .map_err(|e| Error::Schema(format!("{}: postgresql refused it: {}", step.what, describe_pg(&e))))
}
