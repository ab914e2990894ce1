//! A Prisma migrations folder: applied like `prisma migrate deploy` and recorded in `_prisma_migrations`

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio_postgres::GenericClient;

use crate::error::{Error, Result};
use crate::ident::quote_ident;

/// Prisma's own ledger table, created as Prisma creates it.
pub(crate) const TABLE: &str = "_prisma_migrations";

/// One `<timestamp>_<name>/migration.sql`.
#[derive(Debug, Clone)]
pub(crate) struct Migration {
    name: String,
    path: PathBuf,
    sql: String,
    /// Lowercase hex SHA-256 of the file's bytes, as Prisma computes it.
    checksum: String,
}

/// Is `dir` a Prisma migrations folder?
pub(crate) fn is_prisma(dir: &Path) -> bool {
    dir.join("migration_lock.toml").is_file()
        || std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| e.ok()).any(|e| e.path().join("migration.sql").is_file()))
            .unwrap_or(false)
}

/// Read the folder's migrations in order; a lock file naming another provider than postgresql is refused.
pub(crate) fn read(dir: &Path) -> Result<Vec<Migration>> {
    let lock = dir.join("migration_lock.toml");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        let provider = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == "provider")
            .map(|(_, v)| v.trim().trim_matches('"').to_string());
        match provider.as_deref() {
            Some("postgresql") | Some("postgres") | None => {}
            Some("sqlite") => {
                return Err(Error::schema(format!(
                    "{} says provider = \"sqlite\": these are the SQLite migrations, not the PostgreSQL ones; \
                     point SCHEMA at the migrations folder generated for provider = \"postgresql\"",
                    lock.display()
                )))
            }
            Some(other) => {
                return Err(Error::schema(format!(
                    "{} says provider = \"{other}\": sqlite2pg needs PostgreSQL migrations",
                    lock.display()
                )))
            }
        }
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::config(format!("cannot read SCHEMA folder {}", dir.display())).because(e))?;
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("migration.sql").is_file()).collect();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        let path = d.join("migration.sql");
        let bytes =
            std::fs::read(&path).map_err(|e| Error::config(format!("cannot read {}", path.display())).because(e))?;
        let sql = String::from_utf8(bytes.clone())
            .map_err(|_| Error::schema(format!("{} is not UTF-8 text", path.display())))?;
        out.push(Migration {
            name: d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            checksum: hex::encode(Sha256::digest(&bytes)),
            path,
            sql,
        });
    }
    if out.is_empty() {
        return Err(Error::config(format!("SCHEMA folder {} holds no <name>/migration.sql", dir.display())));
    }
    Ok(out)
}

/// Create `_prisma_migrations` in `schema` if missing, with Prisma's columns.
pub(crate) async fn ensure_table(client: &impl GenericClient, schema: &str) -> Result<()> {
    let sql = format!(
        "CREATE TABLE IF NOT EXISTS {}.{} (\n\
            \"id\" VARCHAR(36) PRIMARY KEY NOT NULL,\n\
            \"checksum\" VARCHAR(64) NOT NULL,\n\
            \"finished_at\" TIMESTAMPTZ,\n\
            \"migration_name\" VARCHAR(255) NOT NULL,\n\
            \"logs\" TEXT,\n\
            \"rolled_back_at\" TIMESTAMPTZ,\n\
            \"started_at\" TIMESTAMPTZ NOT NULL DEFAULT now(),\n\
            \"applied_steps_count\" INTEGER NOT NULL DEFAULT 0\n\
        )",
        quote_ident(schema),
        quote_ident(TABLE)
    );
    client.batch_execute(&sql).await.map_err(Error::pg("create _prisma_migrations"))
}

/// The migrations not applied yet; an applied one whose file changed is a schema error naming it.
pub(crate) async fn pending(client: &impl GenericClient, schema: &str, all: &[Migration]) -> Result<Vec<Migration>> {
    let rows = client
        .query(
            &format!(
                "SELECT migration_name, checksum FROM {}.{} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
                quote_ident(schema),
                quote_ident(TABLE)
            ),
            &[],
        )
        .await
        .map_err(Error::pg("read _prisma_migrations"))?;
    let applied: Vec<(String, String)> = rows.into_iter().map(|r| (r.get(0), r.get(1))).collect();
    let mut changed = Vec::new();
    let mut out = Vec::new();
    for m in all {
        match applied.iter().find(|(n, _)| n == &m.name) {
            None => out.push(m.clone()),
            Some((_, c)) if c == &m.checksum => {}
            Some(_) => changed.push(m.path.display().to_string()),
        }
    }
    if changed.is_empty() {
        Ok(out)
    } else {
        Err(Error::schema(format!("migration(s) changed after they were applied: {}", changed.join(", "))))
    }
}

/// Apply one migration and record it the way Prisma does, in the same transaction.
pub(crate) async fn apply(client: &impl GenericClient, schema: &str, m: &Migration) -> Result<()> {
    log::info!("applying prisma migration {}", m.name);
    let started: f64 =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    client
        .batch_execute(&m.sql)
        .await
        .map_err(|e| Error::schema(format!("migration {}: postgresql refused it", m.path.display())).because(e))?;
    client
        .execute(
            &format!(
                "INSERT INTO {}.{} (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) \
                 VALUES (gen_random_uuid()::text, $1, now(), $2, NULL, NULL, to_timestamp($3), 1)",
                quote_ident(schema),
                quote_ident(TABLE)
            ),
            &[&m.checksum, &m.name, &started],
        )
        .await
        .map_err(Error::pg("record a prisma migration"))?;
    Ok(())
}
