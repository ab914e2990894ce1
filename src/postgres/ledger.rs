//! sqlite2pg's own bookkeeping schema in the target database, committed in the same transaction as the data

use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::report::TableResult;

/// The schema that holds sqlite2pg's ledger; never a target for user tables.
pub(crate) const LEDGER_SCHEMA: &str = "sqlite2pg";

const CREATE: &str = r#"
CREATE SCHEMA IF NOT EXISTS sqlite2pg;
CREATE TABLE IF NOT EXISTS sqlite2pg.runs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_schema  text NOT NULL,
    source_path    text NOT NULL,
    fingerprint    text NOT NULL,
    tool_version   text NOT NULL,
    schema_mode    text NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    total_rows     bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS sqlite2pg.run_tables (
    run_id       bigint NOT NULL REFERENCES sqlite2pg.runs (id) ON DELETE CASCADE,
    table_name   text NOT NULL,
    source_rows  bigint NOT NULL,
    copied_rows  bigint NOT NULL,
    seconds      double precision NOT NULL,
    state        text NOT NULL DEFAULT 'done',
    PRIMARY KEY (run_id, table_name)
);
CREATE TABLE IF NOT EXISTS sqlite2pg.schema_files (
    name        text PRIMARY KEY,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
"#;

/// The last completed migration into a target schema.
#[derive(Debug, Clone)]
pub(crate) struct CompletedRun {
    pub(crate) fingerprint: String,
    pub(crate) finished_at: String,
    /// The target tables that run filled.
    pub(crate) tables: Vec<String>,
}

/// The last completed run into `target_schema`, if the ledger exists and has one. Reads only the ledger.
pub(crate) async fn last_completed(client: &impl GenericClient, target_schema: &str) -> Result<Option<CompletedRun>> {
    if !tables(client).await?.iter().any(|t| t == "runs") {
        return Ok(None);
    }
    let row = client
        .query_opt(
            "SELECT fingerprint, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), \
                    ARRAY(SELECT table_name FROM sqlite2pg.run_tables t WHERE t.run_id = r.id ORDER BY 1) \
             FROM sqlite2pg.runs r WHERE target_schema = $1 ORDER BY id DESC LIMIT 1",
            &[&target_schema],
        )
        .await
        .map_err(Error::pg("read the ledger"))?;
    Ok(row.map(|r| CompletedRun { fingerprint: r.get(0), finished_at: r.get(1), tables: r.get(2) }))
}

/// The advisory lock that serialises creating the ledger ("s2pg" and "ldgr"): runs into different target schemas
/// hold different migration locks, and two `CREATE ... IF NOT EXISTS` racing for the same catalog row make the
/// later one fail on a unique violation.
const CREATE_LOCK: (i32, i32) = (0x7332_7067, 0x6c64_6772);

/// Create the ledger if missing (inside the run's transaction, under the migration lock). Only when some of it
/// is missing, the transaction takes [`CREATE_LOCK`], held until it ends, and looks again: a run that waited for
/// another to create the ledger then finds it committed, and creates nothing.
pub(crate) async fn ensure(tx: &impl GenericClient) -> Result<()> {
    const ALL: usize = 3;
    if tables(tx).await?.len() == ALL {
        return Ok(());
    }
    let (class, key) = CREATE_LOCK;
    tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({class}, {key})"))
        .await
        .map_err(Error::pg("lock the ledger's creation"))?;
    if tables(tx).await?.len() == ALL {
        return Ok(());
    }
    tx.batch_execute(CREATE).await.map_err(Error::pg("create the ledger"))
}

/// The ledger's tables that exist (`runs`, `run_tables`, `schema_files`), read from the catalog's tables at the
/// statement's snapshot. Not by a lookup of their names (`to_regclass`): looking up the schema `sqlite2pg` before
/// it exists leaves a negative entry in the server process's catalog cache, which the rest of the transaction
/// trusts even once another run has committed the ledger, so a `CREATE SCHEMA IF NOT EXISTS` would collide with
/// it and an `INSERT` would not find it.
pub(crate) async fn tables(client: &impl GenericClient) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'sqlite2pg' AND c.relname IN ('runs', 'run_tables', 'schema_files') ORDER BY 1",
            &[],
        )
        .await
        .map_err(Error::pg("read the ledger"))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// What a completed run records.
pub(crate) struct RunRecord<'a> {
    pub(crate) target_schema: &'a str,
    pub(crate) source_path: &'a str,
    pub(crate) fingerprint: &'a str,
    pub(crate) schema_mode: &'a str,
    pub(crate) started_at: std::time::SystemTime,
    pub(crate) tables: &'a [TableResult],
}

/// Record a completed run and its tables, in the same transaction as the data.
pub(crate) async fn record(tx: &impl GenericClient, rec: &RunRecord<'_>) -> Result<()> {
    let total: i64 = rec.tables.iter().map(|t| i64::try_from(t.copied_rows).unwrap_or(i64::MAX)).sum();
    let started: f64 = rec.started_at.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    let id: i64 = tx
        .query_one(
            "INSERT INTO sqlite2pg.runs (target_schema, source_path, fingerprint, tool_version, schema_mode, started_at, total_rows) \
             VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7) RETURNING id",
            &[&rec.target_schema, &rec.source_path, &rec.fingerprint, &env!("CARGO_PKG_VERSION"), &rec.schema_mode, &started, &total],
        )
        .await
        .map_err(Error::pg("record the run"))?
        .get(0);
    // one statement for every table: with hundreds of tables, a round trip each would add up
    let names: Vec<&str> = rec.tables.iter().map(|t| t.table.as_str()).collect();
    let rows = |n: fn(&TableResult) -> u64| -> Vec<i64> {
        rec.tables.iter().map(|t| i64::try_from(n(t)).unwrap_or(i64::MAX)).collect()
    };
    let (source_rows, copied) = (rows(|t| t.source_rows), rows(|t| t.copied_rows));
    let seconds: Vec<f64> = rec.tables.iter().map(|t| t.seconds).collect();
    tx.execute(
        "INSERT INTO sqlite2pg.run_tables (run_id, table_name, source_rows, copied_rows, seconds) \
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::float8[])",
        &[&id, &names, &source_rows, &copied, &seconds],
    )
    .await
    .map_err(Error::pg("record the tables"))?;
    Ok(())
}
