//! `SCHEMA=<file.sql>` or `SCHEMA=<folder/>`: the application's own PostgreSQL SQL, each file applied once and recorded

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio_postgres::GenericClient;

use crate::error::{Error, Result};

/// The first line that makes a file run outside a transaction (for CREATE INDEX CONCURRENTLY).
const NO_TRANSACTION: &str = "-- sqlite2pg:no-transaction";

/// One SQL file to apply.
#[derive(Debug, Clone)]
pub(crate) struct SqlFile {
    /// The name recorded in the ledger: the file name.
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) sql: String,
    /// SHA-256 of the text with CRLF read as LF, lowercase hex.
    pub(crate) checksum: String,
    pub(crate) no_transaction: bool,
}

pub(crate) fn checksum_lf(text: &str) -> String {
    hex::encode(Sha256::digest(text.replace("\r\n", "\n").as_bytes()))
}

/// Read a schema file; a Prisma schema (file or folder) reads as the DDL generated from it.
pub(crate) fn read_file(path: &Path) -> Result<SqlFile> {
    if crate::postgres::migrations::prisma_schema::is_schema(path) {
        return crate::postgres::migrations::prisma_schema::read(path).map(|(file, _)| file);
    }
    let sql = std::fs::read_to_string(path)
        .map_err(|e| Error::config(format!("cannot read SCHEMA file {}", path.display())).because(e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    Ok(SqlFile {
        name,
        path: path.to_path_buf(),
        checksum: checksum_lf(&sql),
        no_transaction: sql.trim_start().lines().next().is_some_and(|l| l.trim() == NO_TRANSACTION),
        sql,
    })
}

/// The `*.sql` files of a folder, in lexical order of their names.
pub(crate) fn read_dir(dir: &Path) -> Result<Vec<SqlFile>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::config(format!("cannot read SCHEMA folder {}", dir.display())).because(e))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "sql"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Error::config(format!("SCHEMA folder {} holds no .sql files", dir.display())));
    }
    paths.iter().map(|p| read_file(p)).collect()
}

/// The files not applied yet. A file applied before whose text changed since is a schema error naming it (a
/// Prisma schema's says how to load into the tables `prisma db push` owns).
pub(crate) async fn pending(client: &impl GenericClient, files: &[SqlFile]) -> Result<Vec<SqlFile>> {
    // not by to_regclass: see ledger::tables
    let exists = crate::postgres::ledger::tables(client).await?.iter().any(|t| t == "schema_files");
    let mut out = Vec::new();
    let mut changed = Vec::new();
    for f in files {
        let applied: Option<String> = if exists {
            client
                .query_opt("SELECT checksum FROM sqlite2pg.schema_files WHERE name = $1", &[&f.name])
                .await
                .map_err(Error::pg("read the ledger"))?
                .map(|r| r.get(0))
        } else {
            None
        };
        match applied {
            None => out.push(f.clone()),
            Some(c) if c == f.checksum => log::info!("schema file {} was applied before: skipping it", f.name),
            Some(_) if crate::postgres::migrations::prisma_schema::is_schema(&f.path) => {
                return Err(crate::postgres::migrations::prisma_schema::changed(&f.path));
            }
            Some(_) => changed.push(f.path.display().to_string()),
        }
    }
    if changed.is_empty() {
        Ok(out)
    } else {
        Err(Error::schema(format!(
            "schema file(s) changed after they were applied: {} (add a new file instead of editing an applied one)",
            changed.join(", ")
        )))
    }
}

/// Run one file and record it in the ledger, both on `client` (a transaction, unless the file says otherwise).
pub(crate) async fn apply(client: &impl GenericClient, file: &SqlFile) -> Result<()> {
    run(client, file).await?;
    record(client, file).await
}

/// Run one file's SQL, without recording it.
pub(crate) async fn run(client: &impl GenericClient, file: &SqlFile) -> Result<()> {
    log::info!("applying schema file {}", file.name);
    client
        .batch_execute(&file.sql)
        .await
        .map_err(|e| Error::schema(format!("schema file {}: postgresql refused it", file.path.display())).because(e))
}

/// Record in the ledger (which must exist) that a file was applied.
pub(crate) async fn record(client: &impl GenericClient, file: &SqlFile) -> Result<()> {
    client
        .execute("INSERT INTO sqlite2pg.schema_files (name, checksum) VALUES ($1, $2)", &[&file.name, &file.checksum])
        .await
        .map_err(Error::pg("record a schema file"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lf_are_the_same_file() {
        assert_eq!(checksum_lf("CREATE TABLE a ();\r\nSELECT 1;\r\n"), checksum_lf("CREATE TABLE a ();\nSELECT 1;\n"));
        assert_ne!(checksum_lf("SELECT 1;"), checksum_lf("SELECT 2;"));
    }
}
