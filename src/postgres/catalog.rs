//! What the PostgreSQL target schema holds: tables, column types, identities, foreign keys (for SCHEMA != auto)

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::translate::values::PgType;

#[derive(Debug, Clone)]
pub(crate) struct TargetColumn {
    pub(crate) name: String,
    /// `format_type` of the column's type (a domain's base type), e.g. `timestamp(3) without time zone`.
    pub(crate) type_name: String,
    /// The type the converter writes, or None when sqlite2pg cannot write it.
    pub(crate) ty: Option<PgType>,
    pub(crate) not_null: bool,
    pub(crate) has_default: bool,
    /// `a` (ALWAYS) or `d` (BY DEFAULT) for identity columns.
    pub(crate) identity: Option<char>,
    pub(crate) generated: bool,
    /// The sequence behind an identity or serial column.
    pub(crate) sequence: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct TargetTable {
    pub(crate) name: String,
    pub(crate) columns: Vec<TargetColumn>,
}

/// A foreign key between target tables, as PostgreSQL describes it.
#[derive(Debug, Clone)]
pub(crate) struct TargetForeignKey {
    pub(crate) name: String,
    pub(crate) table: String,
    pub(crate) parent: String,
    pub(crate) columns: Vec<String>,
    pub(crate) parent_columns: Vec<String>,
    /// `pg_get_constraintdef`, to create it again.
    pub(crate) definition: String,
}

/// Read every ordinary table of `schema` with its columns.
pub(crate) async fn tables(client: &impl GenericClient, schema: &str) -> Result<Vec<TargetTable>> {
    let rows = client
        .query(
            "SELECT c.relname, a.attname, \
                    format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), \
                                CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END), \
                    a.attnotnull, a.atthasdef, a.attidentity::text, a.attgenerated::text, \
                    pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname), \
                    CASE WHEN bt.typtype = 'e' THEN ARRAY(SELECT enumlabel::text FROM pg_enum e WHERE e.enumtypid = bt.oid ORDER BY enumsortorder) END, \
                    CASE WHEN et.typtype = 'e' THEN ARRAY(SELECT enumlabel::text FROM pg_enum e WHERE e.enumtypid = et.oid ORDER BY enumsortorder) END \
             FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             JOIN pg_type t ON t.oid = a.atttypid \
             JOIN pg_type bt ON bt.oid = coalesce(nullif(t.typbasetype, 0), t.oid) \
             LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A' \
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') \
             ORDER BY c.relname, a.attnum",
            &[&schema],
        )
        .await
        .map_err(Error::pg("read the target schema"))?;
    let mut out: Vec<TargetTable> = Vec::new();
    for r in rows {
        let table: String = r.get(0);
        let type_name: String = r.get(2);
        let identity: String = r.get(5);
        let generated: String = r.get(6);
        let enum_labels: Option<Vec<String>> = r.get(8);
        let elem_labels: Option<Vec<String>> = r.get(9);
        let ty = if let Some(labels) = enum_labels {
            Some(PgType::Enum { labels })
        } else if elem_labels.is_some() {
            None // arrays of enums need the enum's oid in the binary array header; not supported
        } else {
            PgType::from_format_type(&type_name, None)
        };
        let col = TargetColumn {
            name: r.get(1),
            type_name,
            ty,
            not_null: r.get(3),
            has_default: r.get(4),
            identity: identity.chars().next(),
            generated: !generated.is_empty(),
            sequence: r.get(7),
        };
        match out.last_mut() {
            Some(t) if t.name == table => t.columns.push(col),
            _ => out.push(TargetTable { name: table, columns: vec![col] }),
        }
    }
    Ok(out)
}

/// Every foreign key whose table or parent is in `schema`.
pub(crate) async fn foreign_keys(client: &impl GenericClient, schema: &str) -> Result<Vec<TargetForeignKey>> {
    let rows = client
        .query(
            "SELECT con.conname, cl.relname, pcl.relname, \
                    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), \
                    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), \
                    pg_get_constraintdef(con.oid) \
             FROM pg_constraint con \
             JOIN pg_class cl ON cl.oid = con.conrelid \
             JOIN pg_class pcl ON pcl.oid = con.confrelid \
             JOIN pg_namespace n ON n.oid = cl.relnamespace \
             WHERE con.contype = 'f' AND n.nspname = $1 \
             ORDER BY cl.relname, con.conname",
            &[&schema],
        )
        .await
        .map_err(Error::pg("read the target foreign keys"))?;
    Ok(rows
        .into_iter()
        .map(|r| TargetForeignKey {
            name: r.get(0),
            table: r.get(1),
            parent: r.get(2),
            columns: r.get(3),
            parent_columns: r.get(4),
            definition: r.get(5),
        })
        .collect())
}

/// A primary key, unique constraint or plain index of a loaded table, dropped for the load and rebuilt after it
/// (building a B-tree once from sorted data is far faster than growing it row by row during COPY).
#[derive(Debug, Clone)]
pub(crate) struct Rebuild {
    pub(crate) table: String,
    pub(crate) name: String,
    /// `pg_get_indexdef` of the index (a key's own index, which keeps its storage parameters).
    pub(crate) definition: String,
    /// For a PRIMARY KEY or UNIQUE constraint, how to attach the rebuilt index as the constraint again
    /// (`PRIMARY KEY USING INDEX "name"`, with DEFERRABLE and INITIALLY DEFERRED as it was); None for a plain index.
    pub(crate) attach: Option<String>,
}

/// The primary keys, unique constraints and plain indexes of `tables` (ordinary tables only). Exclusion
/// constraints and indexes that other objects depend on in other ways are left in place.
pub(crate) async fn rebuildable(client: &impl GenericClient, schema: &str, tables: &[String]) -> Result<Vec<Rebuild>> {
    let rows = client
        .query(
            "SELECT * FROM ( \
             SELECT cl.relname AS table_name, con.conname AS name, pg_get_indexdef(con.conindid), \
                    CASE con.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END || ' USING INDEX ' \
                    || quote_ident((SELECT relname FROM pg_class WHERE oid = con.conindid)) \
                    || CASE WHEN con.condeferrable THEN ' DEFERRABLE' ELSE '' END \
                    || CASE WHEN con.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END AS attach \
             FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
             WHERE n.nspname = $1 AND cl.relname = ANY($2) AND cl.relkind = 'r' AND con.contype IN ('p', 'u') \
             UNION ALL \
             SELECT cl.relname, ic.relname, pg_get_indexdef(i.indexrelid), NULL \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class cl ON cl.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = cl.relnamespace \
             WHERE n.nspname = $1 AND cl.relname = ANY($2) AND cl.relkind = 'r' \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
             ) k ORDER BY attach IS NULL, table_name, name",
            &[&schema, &tables],
        )
        .await
        .map_err(Error::pg("read the target's indexes"))?;
    Ok(rows
        .into_iter()
        .map(|r| Rebuild { table: r.get(0), name: r.get(1), definition: r.get(2), attach: r.get(3) })
        .collect())
}

/// Set sequence `sequence` (a name as `regclass` reads it) to `value`, called, so that `nextval` gives the next one;
/// rolled back with the transaction. `setval` alone never is: a run that refused and changed nothing would still
/// have moved the sequence. `ALTER SEQUENCE ... RESTART` first gives the sequence new storage in this transaction,
/// which the `setval` then writes, and which a rollback discards.
pub(crate) async fn set_sequence(client: &impl GenericClient, sequence: &str, value: i64) -> Result<()> {
    let name: String = client
        .query_one(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ($1::text)::regclass",
            &[&sequence],
        )
        .await
        .map_err(Error::pg(format!("find the sequence {sequence}")))?
        .get(0);
    client
        .batch_execute(&format!("ALTER SEQUENCE {name} RESTART"))
        .await
        .map_err(Error::pg(format!("move the sequence {name}")))?;
    client
        .query_one("SELECT setval(($1::text)::regclass, $2, true)", &[&name, &value])
        .await
        .map_err(Error::pg(format!("move the sequence {name}")))?;
    Ok(())
}
