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
    let exists: bool = client
        .query_one("SELECT to_regclass('sqlite2pg.runs') IS NOT NULL", &[])
        .await
        .map_err(Error::pg("read the ledger"))?
        .get(0);
    if !exists {
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

/// Create the ledger if missing (inside the run's transaction, under the migration lock).
pub(crate) async fn ensure(tx: &impl GenericClient) -> Result<()> {
    tx.batch_execute(CREATE).await.map_err(Error::pg("create the ledger"))
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
