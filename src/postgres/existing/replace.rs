//! ON_EXISTING=replace with SCHEMA=auto: drop the old tables, keeping the foreign keys other tables hold on them
//!
//! `DROP TABLE ... CASCADE` would also drop, silently, whatever the application hung on those tables: a foreign key
//! of one of its own tables, a view, a function's body. Before dropping, [`drop_old`] asks the catalogs what the
//! cascade would reach outside the replaced tables (and the views sqlite2pg creates again). Foreign keys pointing at
//! a replaced table are kept: [`restore`] adds them again once the new tables have their keys, checked against the
//! new rows. Anything else is refused before anything is dropped, naming it.

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::translate::schema::Step;

/// The tables of schema `$1` named in `$2` (ON_EXISTING=replace drops them), with their row types: a CTE body
/// for the catalog queries here and in [`crate::postgres::existing::clashes`].
pub(crate) const REPLACED_TABLES: &str = "
    SELECT c.oid, c.reltype FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = ANY($2) AND c.relkind IN ('r', 'p')";

/// A foreign key of a table that is not replaced, pointing at one that is.
#[derive(Debug, Clone)]
pub(crate) struct KeptKey {
    /// The table holding it, schema-qualified and quoted.
    table: String,
    name: String,
    /// `FOREIGN KEY (...) REFERENCES schema.table (...) ...`, the referenced table qualified.
    definition: String,
}

/// What dropping `tables` of `schema` with CASCADE would reach besides the tables themselves, their own indexes,
/// constraints, triggers, rules and sequences, and the `views` sqlite2pg creates again in `schema`: the foreign keys
/// that [`restore`] adds again, or an error naming everything else. Changes nothing.
pub(crate) async fn check(
    client: &impl GenericClient,
    schema: &str,
    tables: &[String],
    views: &[Step],
) -> Result<Vec<KeptKey>> {
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    let own_views: Vec<&str> = views.iter().map(|v| v.table.as_str()).collect();
    // read with only pg_catalog on the search path, definitions and descriptions name every object with its schema
    // (set for the session, not the transaction: the check before loading runs outside one; then set back)
    let err = || Error::pg("look at what depends on the replaced tables");
    let saved: String = client.query_one("SELECT current_setting('search_path')", &[]).await.map_err(err())?.get(0);
    client.query_one("SELECT set_config('search_path', 'pg_catalog', false)", &[]).await.map_err(err())?;
    let rows =
        client.query(&DEPENDENTS.replace("{REPLACED_TABLES}", REPLACED_TABLES), &[&schema, &tables, &own_views]).await;
    client.query_one("SELECT set_config('search_path', $1, false)", &[&saved]).await.map_err(err())?;
    let rows = rows.map_err(err())?;
    let mut kept = Vec::new();
    let mut lost = Vec::new();
    for row in rows {
        let what: String = row.get("what");
        match row.get::<_, Option<String>>("fk_table") {
            Some(table) => {
                let key = KeptKey { table, name: row.get("fk_name"), definition: row.get("fk_definition") };
                if !kept.iter().any(|k: &KeptKey| k.table == key.table && k.name == key.name) {
                    kept.push(key);
                }
            }
            None => lost.push(what),
        }
    }
    if lost.is_empty() {
        return Ok(kept);
    }
    lost.sort();
    lost.dedup();
    Err(Error::schema(format!(
        "ON_EXISTING=replace would drop, with the old tables, what depends on them and sqlite2pg does not create \
         again: {}. Drop or change it first (and create it again after the run); nothing was changed",
        lost.join(", ")
    )))
}

/// Drop the old tables in one statement, after [`check`]; gives back the foreign keys to add again.
pub(crate) async fn drop_old(
    client: &impl GenericClient,
    schema: &str,
    tables: &[String],
    views: &[Step],
) -> Result<Vec<KeptKey>> {
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    let kept = check(client, schema, tables, views).await?;
    for key in &kept {
        log::info!("ON_EXISTING=replace: foreign key \"{}\" of {} points at a replaced table; it is added again after the load", key.name, key.table);
    }
    let names: Vec<String> = tables.iter().map(|t| format!("{}.{}", quote_ident(schema), quote_ident(t))).collect();
    log::info!(
        "ON_EXISTING=replace: dropping {} to put the new table(s) in their place",
        tables.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
    );
    client
        .batch_execute(&format!("DROP TABLE {} CASCADE", names.join(", ")))
        .await
        .map_err(Error::pg("drop the replaced tables"))?;
    Ok(kept)
}

/// Add the kept foreign keys again, each checked against the new rows.
pub(crate) async fn restore(client: &impl GenericClient, kept: &[KeptKey]) -> Result<()> {
    for key in kept {
        let sql = format!("ALTER TABLE {} ADD CONSTRAINT {} {}", key.table, quote_ident(&key.name), key.definition);
        log::debug!("{sql}");
        client.batch_execute(&sql).await.map_err(|e| {
            let problem = format!(
                "foreign key \"{}\" of {} (not loaded by sqlite2pg) points at a replaced table, and cannot be added \
                 again to the new rows",
                key.name, key.table
            );
            match crate::error::classify(&e) {
                crate::error::PgClass::Other | crate::error::PgClass::Transient => Error::schema(problem).because(e),
                _ => Error::data(problem).because(e),
            }
        })?;
    }
    Ok(())
}

/// Every object a `DROP TABLE ... CASCADE` of the tables `$2` in schema `$1` would reach that does not go with
/// them anyway, with a foreign key's table, name and definition. What depends on the tables, on their row types
/// and on the sequences they own is looked at; what belongs to one of them (a constraint, rule, trigger, policy,
/// default or statistics object on it) or is one of the views `$3` sqlite2pg creates again is not reported.
const DEPENDENTS: &str = "
WITH old AS ({REPLACED_TABLES}
), own AS (
    SELECT oid FROM old
    UNION ALL
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relname = ANY($3) AND c.relkind IN ('v', 'm')
), dropped AS (
    SELECT 'pg_class'::regclass AS classid, oid FROM own
    UNION ALL SELECT 'pg_type'::regclass, reltype FROM old
    UNION ALL SELECT 'pg_class'::regclass, d.objid FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid IN (SELECT oid FROM old) AND d.deptype IN ('a', 'i')
), reached AS (
    SELECT DISTINCT d.classid, d.objid, d.objsubid,
        CASE d.classid
            WHEN 'pg_constraint'::regclass THEN (SELECT conrelid FROM pg_constraint WHERE oid = d.objid)
            WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid)
            WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_trigger WHERE oid = d.objid)
            WHEN 'pg_policy'::regclass THEN (SELECT polrelid FROM pg_policy WHERE oid = d.objid)
            WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)
            WHEN 'pg_statistic_ext'::regclass THEN (SELECT stxrelid FROM pg_statistic_ext WHERE oid = d.objid)
            WHEN 'pg_class'::regclass THEN d.objid
        END AS owner
    FROM pg_depend d JOIN dropped r ON r.classid = d.refclassid AND r.oid = d.refobjid
    WHERE d.deptype = 'n'
)
SELECT CASE WHEN r.classid = 'pg_rewrite'::regclass AND (SELECT rulename FROM pg_rewrite WHERE oid = r.objid) = '_RETURN'
            THEN pg_describe_object('pg_class'::regclass, r.owner, 0)
            ELSE pg_describe_object(r.classid, r.objid, r.objsubid) END AS what,
       CASE WHEN con.contype = 'f' AND con.confrelid IN (SELECT oid FROM old)
            THEN quote_ident(n.nspname) || '.' || quote_ident(t.relname) END AS fk_table,
       con.conname::text AS fk_name,
       CASE WHEN con.contype = 'f' THEN pg_get_constraintdef(con.oid) END AS fk_definition
FROM reached r
LEFT JOIN pg_constraint con ON r.classid = 'pg_constraint'::regclass AND con.oid = r.objid
LEFT JOIN pg_class t ON t.oid = con.conrelid
LEFT JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE r.owner IS NULL OR r.owner NOT IN (SELECT oid FROM own)
ORDER BY 1";
