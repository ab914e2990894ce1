//! Whether what a schema file did stayed inside the staging schema, and the statements that move it all out
//!
//! A file applied with the staging schema first on its search path creates its objects there, unless it names
//! another schema. Its transaction commits before the data loads, so anything it did elsewhere would be visible
//! early and would survive a failed run: [`outside`] lists such changes (and what could not be moved or would
//! clash with the target), and the caller loads in one transaction instead when there are any.

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};

/// The oids that belong to the staging schema ($1): relations with their TOAST tables and TOAST indexes, types,
/// routines and constraints.
const OURS: &str = "
    s AS (SELECT oid FROM pg_namespace WHERE nspname = $1),
    rel AS (SELECT c.oid FROM pg_class c, s WHERE c.relnamespace = s.oid
            UNION ALL SELECT c.reltoastrelid FROM pg_class c, s WHERE c.relnamespace = s.oid AND c.reltoastrelid <> 0
            UNION ALL SELECT i.indexrelid FROM pg_index i JOIN pg_class c ON c.reltoastrelid = i.indrelid, s
                      WHERE c.relnamespace = s.oid),
    typ AS (SELECT t.oid FROM pg_type t, s WHERE t.typnamespace = s.oid),
    pro AS (SELECT p.oid FROM pg_proc p, s WHERE p.pronamespace = s.oid),
    con AS (SELECT c.oid FROM pg_constraint c, s WHERE c.connamespace = s.oid)";

/// Catalog rows, with what they describe, whose object is not in the staging schema. `age(xmin) <= 0` picks the
/// rows this transaction (or one of its subtransactions, or a transaction that started later) wrote.
const OTHERS: &str = "
    SELECT 'schema ' || quote_ident(nspname) AS what, xmin FROM pg_namespace WHERE nspname <> $1
    UNION ALL SELECT 'relation ' || oid::regclass::text, xmin FROM pg_class WHERE oid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'column of ' || attrelid::regclass::text, xmin FROM pg_attribute WHERE attrelid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'default of ' || adrelid::regclass::text, xmin FROM pg_attrdef WHERE adrelid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'index ' || indexrelid::regclass::text, xmin FROM pg_index WHERE indexrelid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'sequence ' || seqrelid::regclass::text, xmin FROM pg_sequence WHERE seqrelid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'trigger on ' || tgrelid::regclass::text, xmin FROM pg_trigger WHERE tgrelid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'rule on ' || ev_class::regclass::text, xmin FROM pg_rewrite WHERE ev_class NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'policy on ' || polrelid::regclass::text, xmin FROM pg_policy WHERE polrelid NOT IN (SELECT oid FROM rel)
    UNION ALL SELECT 'type ' || oid::regtype::text, xmin FROM pg_type WHERE oid NOT IN (SELECT oid FROM typ)
    UNION ALL SELECT 'enum label of ' || enumtypid::regtype::text, xmin FROM pg_enum WHERE enumtypid NOT IN (SELECT oid FROM typ)
    UNION ALL SELECT 'routine ' || oid::regprocedure::text, xmin FROM pg_proc WHERE oid NOT IN (SELECT oid FROM pro)
    UNION ALL SELECT 'constraint ' || quote_ident(conname), xmin FROM pg_constraint WHERE oid NOT IN (SELECT oid FROM con)
    UNION ALL SELECT 'comment', xmin FROM pg_description d
        WHERE NOT (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT oid FROM rel)
                OR d.classoid = 'pg_type'::regclass AND d.objoid IN (SELECT oid FROM typ)
                OR d.classoid = 'pg_proc'::regclass AND d.objoid IN (SELECT oid FROM pro)
                OR d.classoid = 'pg_constraint'::regclass AND d.objoid IN (SELECT oid FROM con))
    UNION ALL SELECT 'extension ' || quote_ident(extname), xmin FROM pg_extension
    UNION ALL SELECT 'default privileges', xmin FROM pg_default_acl
    UNION ALL SELECT 'operator ' || oid::regoperator::text, xmin FROM pg_operator
    UNION ALL SELECT 'operator class ' || quote_ident(opcname), xmin FROM pg_opclass
    UNION ALL SELECT 'operator family ' || quote_ident(opfname), xmin FROM pg_opfamily
    UNION ALL SELECT 'collation ' || quote_ident(collname), xmin FROM pg_collation
    UNION ALL SELECT 'conversion ' || quote_ident(conname), xmin FROM pg_conversion
    UNION ALL SELECT 'statistics object ' || quote_ident(stxname), xmin FROM pg_statistic_ext
    UNION ALL SELECT 'text search configuration ' || quote_ident(cfgname), xmin FROM pg_ts_config
    UNION ALL SELECT 'text search dictionary ' || quote_ident(dictname), xmin FROM pg_ts_dict
    UNION ALL SELECT 'event trigger ' || quote_ident(evtname), xmin FROM pg_event_trigger
    UNION ALL SELECT 'cast', xmin FROM pg_cast";

/// What [`outside`] compares before and after the file runs.
pub(crate) struct State {
    /// How many catalog rows outside the staging schema existed before this transaction and are still unchanged. If
    /// the file dropped or altered anything that was there, this number goes down.
    untouched: i64,
    /// A digest of what belongs to no schema and a file may change: roles and their memberships and settings,
    /// database settings, the database's own row, comments on roles and databases.
    shared: String,
}

/// The catalog rows a file may change outside any schema; `pg_roles` (not `pg_authid`, which only superusers may
/// read) shows every role, its settings, and its password only as a mask.
const SHARED: &str = "
    SELECT md5(concat_ws('|',
        (SELECT string_agg(r::text, ',' ORDER BY r.oid) FROM pg_roles r),
        (SELECT string_agg(m::text, ',' ORDER BY m.roleid, m.member) FROM pg_auth_members m),
        (SELECT string_agg(s::text, ',' ORDER BY s.setdatabase, s.setrole) FROM pg_db_role_setting s),
        (SELECT concat_ws(',', datname, datdba, datallowconn, datconnlimit, datacl) FROM pg_database WHERE datname = current_database()),
        (SELECT string_agg(x::text, ',' ORDER BY x.classoid, x.objoid) FROM pg_shdescription x)))";

/// Read what [`outside`] compares: call it just before the file runs.
pub(crate) async fn state(client: &impl GenericClient, staging: &str) -> Result<State> {
    let sql = format!("WITH {OURS}, others AS ({OTHERS}) SELECT count(*) FROM others WHERE age(xmin) > 0");
    let untouched = client.query_one(&sql, &[&staging]).await.map_err(Error::pg("read the catalogs"))?.get(0);
    let shared = client.query_one(SHARED, &[]).await.map_err(Error::pg("read the catalogs"))?.get(0);
    Ok(State { untouched, shared })
}

/// What this transaction did outside the staging schema ($1), what in it cannot be moved out, and what would clash
/// with an object of the target schema ($2): empty when the staging schema can be loaded and published on its own.
pub(crate) async fn outside(
    client: &impl GenericClient,
    staging: &str,
    target: &str,
    before: &State,
) -> Result<Vec<String>> {
    let sql = format!(
        "WITH {OURS}, others AS ({OTHERS}), t AS (SELECT oid FROM pg_namespace WHERE nspname = $2)
         SELECT DISTINCT what FROM others WHERE age(xmin) <= 0
         UNION ALL SELECT DISTINCT 'rows of ' || relid::regclass::text FROM pg_stat_xact_user_tables
             WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 AND relid NOT IN (SELECT oid FROM rel)
         UNION ALL SELECT 'type ' || oid::regtype::text || ' (a base or pseudo type: cannot be moved)' FROM pg_type
             WHERE oid IN (SELECT oid FROM typ) AND typtype IN ('b', 'p') AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = pg_type.oid)
         UNION ALL SELECT 'relation ' || quote_ident(c.relname) || ' (one of that name is in the target schema)'
             FROM pg_class c, s, t WHERE c.relnamespace = s.oid
             AND EXISTS (SELECT 1 FROM pg_class o WHERE o.relnamespace = t.oid AND o.relname = c.relname)
         UNION ALL SELECT 'type ' || quote_ident(y.typname) || ' (one of that name is in the target schema)'
             FROM pg_type y, s, t WHERE y.typnamespace = s.oid
             AND EXISTS (SELECT 1 FROM pg_type o WHERE o.typnamespace = t.oid AND o.typname = y.typname)
         UNION ALL SELECT 'routine ' || quote_ident(p.proname) || ' (one of that name and arguments is in the target schema)'
             FROM pg_proc p, s, t WHERE p.pronamespace = s.oid
             AND EXISTS (SELECT 1 FROM pg_proc o WHERE o.pronamespace = t.oid AND o.proname = p.proname AND o.proargtypes = p.proargtypes)"
    );
    let rows = client.query(&sql, &[&staging, &target]).await.map_err(Error::pg("read the catalogs"))?;
    let mut found: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    let after = state(client, staging).await?;
    if after.untouched != before.untouched {
        found.push("objects that existed before (dropped or altered)".into());
    }
    if after.shared != before.shared {
        found.push("roles or database settings (they would commit before the data)".into());
    }
    Ok(found)
}

/// The statements that move everything in the staging schema ($1) into the target schema ($2), in an order that
/// works: routines first (their argument types are named as they are now), then types, then relations. Indexes,
/// constraints, owned sequences and row types move with their table. Run them with search_path = pg_catalog.
pub(crate) async fn moves(client: &impl GenericClient, staging: &str, target: &str) -> Result<Vec<(String, String)>> {
    let sql = "
        WITH s AS (SELECT oid FROM pg_namespace WHERE nspname = $1)
        SELECT 1 AS k, proname::text, format('ALTER ROUTINE %I.%I(%s) SET SCHEMA %I', $1::text, proname, pg_get_function_identity_arguments(p.oid), $2::text)
          FROM pg_proc p, s WHERE p.pronamespace = s.oid
        UNION ALL
        SELECT 2, typname::text, format('ALTER %s %I.%I SET SCHEMA %I', CASE typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, $1, typname, $2)
          FROM pg_type y, s WHERE y.typnamespace = s.oid
          AND (typtype IN ('e', 'd', 'r') OR typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = y.typrelid) = 'c')
        UNION ALL
        SELECT 3, relname::text, format('ALTER %s %I.%I SET SCHEMA %I',
                 CASE relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                              WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, $1, relname, $2)
          FROM pg_class c, s WHERE c.relnamespace = s.oid AND relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT (relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                   AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
        ORDER BY 1, 2";
    let rows =
        client.query(sql, &[&staging, &target]).await.map_err(Error::pg("list what the staging schema holds"))?;
    Ok(rows.iter().map(|r| (r.get(1), r.get(2))).collect())
}
