//! What the target already holds, and what ON_EXISTING says to do about it

pub(crate) mod clashes;
pub(crate) mod replace;

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::postgres::ledger::CompletedRun;

/// ON_EXISTING: what to do when the target already holds the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnExisting {
    /// Load only into empty or missing tables; a completed run from the same file is skipped.
    Skip,
    /// Drop the existing tables and load them again, in the same transaction.
    Replace,
    /// Refuse when any of the tables exists.
    Fail,
}

/// What to do after looking at the ledger and the target tables.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A completed run from the same source, finished at `at`: nothing to do.
    AlreadyMigrated { at: String },
    /// Load, first dropping these existing tables (ON_EXISTING=replace).
    Load { replace: Vec<String> },
}

/// The run's question to the target: which schema, what ON_EXISTING says, whether sqlite2pg creates the tables
/// (SCHEMA=auto), which SQLite tables it loads, and the file's fingerprint.
pub(crate) struct Ask<'a> {
    pub(crate) schema: &'a str,
    pub(crate) on_existing: OnExisting,
    pub(crate) auto: bool,
    /// The SQLite tables selected for the load.
    pub(crate) tables: Vec<&'a str>,
    pub(crate) fingerprint: &'a str,
}

/// Look at the ledger and the target tables, and decide (see [`decide`]).
pub(crate) async fn decide_for(client: &impl GenericClient, ask: &Ask<'_>) -> Result<Decision> {
    let (schema, auto) = (ask.schema, ask.auto);
    // the target's own _prisma_migrations is filled by the schema step, never from SQLite
    let names: Vec<String> = ask
        .tables
        .iter()
        .filter(|t| auto || !t.eq_ignore_ascii_case(crate::postgres::migrations::prisma::TABLE))
        .map(|t| t.to_string())
        .collect();
    let last = crate::postgres::ledger::last_completed(client, schema).await?;
    let existing = existing_tables(client, schema, &names).await?;
    let decision = decide(ask.on_existing, last.as_ref(), ask.fingerprint, &existing, auto)?;
    if let (Decision::AlreadyMigrated { at }, Some(run)) = (&decision, &last) {
        // the ledger alone is not proof: the tables it names must still be there
        let missing: Vec<String> = client
            .query(
                "SELECT t FROM unnest($2::text[]) t WHERE to_regclass(quote_ident($1) || '.' || quote_ident(t)) IS NULL ORDER BY 1",
                &[&schema, &run.tables],
            )
            .await
            .map_err(Error::pg("check the migrated tables"))?
            .into_iter()
            .map(|r| format!("\"{}\"", r.get::<_, String>(0)))
            .collect();
        if !missing.is_empty() {
            return Err(Error::data(format!(
                "the ledger says this file was migrated at {at}, but table(s) {} are gone: set ON_EXISTING=replace to load again",
                missing.join(", ")
            )));
        }
    }
    Ok(decision)
}

/// The target tables among `tables` that exist in `schema` (names compared case-insensitively), each with whether
/// it holds rows.
pub(crate) async fn existing_tables(
    client: &impl GenericClient,
    schema: &str,
    tables: &[String],
) -> Result<Vec<(String, bool)>> {
    let rows = client
        .query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND lower(c.relname) = ANY($2) AND c.relkind IN ('r', 'p') ORDER BY 1",
            &[&schema, &tables.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>()],
        )
        .await
        .map_err(Error::pg("look for existing tables"))?;
    let mut out = Vec::new();
    for row in rows {
        let name: String = row.get(0);
        let has_rows: bool = client
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {}.{})", quote_ident(schema), quote_ident(&name)), &[])
            .await
            .map_err(Error::pg(format!("look into \"{name}\"")))?
            .get(0);
        out.push((name, has_rows));
    }
    Ok(out)
}

/// Decide from the last completed run, the source fingerprint and the existing tables. Never appends to
/// someone else's data silently.
/// `creates_tables` is true for SCHEMA=auto, where an existing empty table is in the way; with the user's own
/// schema, empty tables are expected.
fn decide(
    mode: OnExisting,
    last: Option<&CompletedRun>,
    fingerprint: &str,
    existing: &[(String, bool)],
    creates_tables: bool,
) -> Result<Decision> {
    let with_rows: Vec<&str> = existing.iter().filter(|(_, rows)| *rows).map(|(n, _)| n.as_str()).collect();
    let names = |v: &[&str]| v.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    match (mode, last) {
        (OnExisting::Replace, _) if creates_tables => {
            Ok(Decision::Load { replace: existing.iter().map(|(n, _)| n.clone()).collect() })
        }
        (OnExisting::Replace, _) => Ok(Decision::Load { replace: with_rows.iter().map(|n| n.to_string()).collect() }),
        (OnExisting::Fail, _) if !with_rows.is_empty() => {
            Err(Error::data(format!("ON_EXISTING=fail and target table(s) {} already hold rows", names(&with_rows))))
        }
        (OnExisting::Skip, Some(run)) if run.fingerprint == fingerprint => {
            Ok(Decision::AlreadyMigrated { at: run.finished_at.clone() })
        }
        (OnExisting::Skip, Some(run)) => Err(Error::data(format!(
            "the source changed after it was migrated at {}; stop the writers, then ON_EXISTING=replace loads it again",
            run.finished_at
        ))),
        // the application's own schema, seeded by its migrator: compared with SQLite by the load (its seeds step)
        (OnExisting::Skip, None) if !creates_tables => Ok(Decision::Load { replace: Vec::new() }),
        (_, None) if !with_rows.is_empty() => Err(Error::data(format!(
            "target table(s) {} already hold rows that sqlite2pg did not load (no ledger entry): refusing to append; \
             set ON_EXISTING=replace to replace them",
            names(&with_rows)
        ))),
        (_, _) if creates_tables && !existing.is_empty() => Err(Error::schema(format!(
            "target table(s) {} already exist: use SCHEMA=none to load into existing tables, or ON_EXISTING=replace",
            names(&existing.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
        ))),
        _ => Ok(Decision::Load { replace: Vec::new() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(fp: &str) -> CompletedRun {
        CompletedRun { fingerprint: fp.into(), finished_at: "2026-01-01 00:00:00 UTC".into(), tables: vec![] }
    }

    #[test]
    fn decisions() {
        let tables = vec![("t".to_string(), true)];
        assert_eq!(
            decide(OnExisting::Skip, Some(&run("a")), "a", &tables, true).unwrap(),
            Decision::AlreadyMigrated { at: "2026-01-01 00:00:00 UTC".into() }
        );
        assert!(
            matches!(decide(OnExisting::Skip, Some(&run("a")), "b", &tables, true), Err(e) if e.kind() == crate::error::Kind::Data && e.message().contains("ON_EXISTING=replace"))
        );
        assert!(
            matches!(decide(OnExisting::Skip, None, "a", &tables, true), Err(e) if e.kind() == crate::error::Kind::Data)
        );
        assert!(
            matches!(decide(OnExisting::Fail, Some(&run("a")), "a", &tables, true), Err(e) if e.kind() == crate::error::Kind::Data)
        );
        assert_eq!(
            decide(OnExisting::Replace, None, "a", &tables, true).unwrap(),
            Decision::Load { replace: vec!["t".into()] }
        );
        assert_eq!(decide(OnExisting::Skip, None, "a", &[], true).unwrap(), Decision::Load { replace: vec![] });
        assert!(
            matches!(decide(OnExisting::Skip, None, "a", &[("t".into(), false)], true), Err(e) if e.kind() == crate::error::Kind::Schema)
        );
        assert_eq!(
            decide(OnExisting::Skip, None, "a", &[("t".into(), false)], false).unwrap(),
            Decision::Load { replace: vec![] }
        );
        // rows in the application's own tables, no ledger: loaded, compared with sqlite's rows in the load
        assert_eq!(decide(OnExisting::Skip, None, "a", &tables, false).unwrap(), Decision::Load { replace: vec![] });
        assert!(
            matches!(decide(OnExisting::Fail, None, "a", &tables, false), Err(e) if e.kind() == crate::error::Kind::Data)
        );
    }
}
