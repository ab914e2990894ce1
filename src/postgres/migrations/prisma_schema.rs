//! Reading SCHEMA=<schema.prisma>, a folder holding one, or a multi-file schema folder, into a schema file to apply

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::postgres::migrations::files::{checksum_lf, SqlFile};

fn is_prisma_file(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|x| x == "prisma")
}

/// The `.prisma` files under `dir`, its `migrations` folders left out, in order of their paths.
fn prisma_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if is_prisma_file(&p) {
            out.push(p);
        } else if p.is_dir() && p.file_name().is_some_and(|n| n != "migrations" && n != "node_modules") {
            out.extend(prisma_files(&p));
        }
    }
    out.sort();
    out
}

/// Does SCHEMA name a Prisma schema: a `.prisma` file, or a folder with `.prisma` files and no `.sql` ones?
pub(crate) fn is_schema(path: &Path) -> bool {
    if path.is_file() {
        return is_prisma_file(path);
    }
    let has_sql = std::fs::read_dir(path)
        .map(|entries| entries.filter_map(|e| e.ok()).any(|e| e.path().extension().is_some_and(|x| x == "sql")))
        .unwrap_or(false);
    path.is_dir() && !has_sql && !crate::postgres::migrations::prisma::is_prisma(path) && !prisma_files(path).is_empty()
}

/// Read the schema and generate its DDL as the schema file to apply (named after the file or folder, its
/// checksum that of the generated text), with the views it leaves out. What cannot be generated is a schema
/// error listing all of it.
pub(crate) fn read(path: &Path) -> Result<(SqlFile, Vec<String>)> {
    let paths = if path.is_dir() { prisma_files(path) } else { vec![path.to_path_buf()] };
    let mut files = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p)
            .map_err(|e| Error::config(format!("cannot read SCHEMA file {}", p.display())).because(e))?;
        files.push((p.display().to_string(), text));
    }
    let generated = crate::translate::prisma::generate(&files).map_err(|problems| {
        Error::schema(format!(
            "prisma schema {}: {} construct(s) cannot be created:\n  - {}",
            path.display(),
            problems.len(),
            problems.join("\n  - ")
        ))
        .listing(problems)
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let file = SqlFile {
        name: if path.is_dir() { format!("{name}/") } else { name },
        path: path.to_path_buf(),
        checksum: checksum_lf(&generated.sql),
        no_transaction: false,
        sql: generated.sql,
    };
    Ok((file, generated.views))
}

/// The schema error for a Prisma schema that changed after sqlite2pg created the tables from it, met when the
/// data is to be loaded again: the tables are Prisma's since, so the changed schema is not applied over them.
pub(crate) fn changed(path: &Path) -> Error {
    Error::schema(format!(
        "prisma schema {} changed since sqlite2pg created the target's tables from it: those tables are prisma's \
         now, and `prisma db push` applies the change to them. to load the sqlite data again, run `prisma db push` \
         first and then sqlite2pg with SCHEMA=none (it loads into the tables as they are), or load into a new, empty \
         database (where the tables are created from the changed schema)",
        path.display()
    ))
}
