//! The SQLite side: open the file read-only, check it, and describe what it holds

pub mod catalog;
pub mod fingerprint;
pub mod reader;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

pub use catalog::{Catalog, ColumnInfo, ForeignKey, Skipped, TableInfo};

/// An open, read-only SQLite database. Nothing is ever written to the file or beside it.
pub struct Source {
    pub path: PathBuf,
    uri: String,
    pub conn: Connection,
}

const HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Source {
    /// Open the file read-only and prove it is a SQLite database whose schema can be read.
    pub fn open(path: &Path) -> Result<Source> {
        let fail = |reason: String| Error::Source { path: path.display().to_string(), reason };
        let wal_mode = check_header(path).map_err(fail)?;
        let plain = format!("file:{}?mode=ro", uri_path(path));
        let immutable = format!("file:{}?mode=ro&immutable=1", uri_path(path));
        // A WAL-mode file needs a -shm file that a read-only connection would create beside it. When no -wal
        // file holds committed pages, reading it as immutable is exact and creates nothing.
        let uri = if wal_mode && !wal_has_frames(path) { immutable } else { plain };
        match try_open(&uri) {
            Ok(conn) => Ok(Source { path: path.to_path_buf(), uri, conn }),
            Err(e) if wal_mode => Err(fail(format!(
                "cannot open read-only ({e}); its -wal file holds changes that need a writable folder: \
                 checkpoint it first (sqlite3 FILE 'pragma wal_checkpoint(truncate)') or mount the folder writable"
            ))),
            Err(e) => Err(fail(format!("cannot open read-only: {e}"))),
        }
    }

    /// Another connection to the same file, for a reader thread.
    pub fn reopen(&self) -> Result<Connection> {
        try_open(&self.uri).map_err(|e| self.error(format!("cannot reopen: {e}")))
    }

    /// SQLite's own consistency check, before anything is written to the target.
    pub fn quick_check(&self) -> Result<()> {
        integrity(&self.conn).map_err(|reason| self.error(reason))
    }

    pub fn error(&self, reason: String) -> Error {
        Error::Source { path: self.path.display().to_string(), reason }
    }
}

/// `PRAGMA quick_check` on `conn`: the b-tree structure of the whole file. The reason comes back on failure.
pub fn integrity(conn: &Connection) -> std::result::Result<(), String> {
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(|e| e.to_string())?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| format!("integrity check failed: {e}"))?;
    if problems.len() == 1 && problems[0] == "ok" {
        Ok(())
    } else {
        Err(format!("the database is corrupt: pragma quick_check reports {} problem(s)", problems.len()))
    }
}

fn try_open(uri: &str) -> std::result::Result<Connection, rusqlite::Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri, flags)?;
    // reading the schema forces SQLite to read the header, the WAL index and page 1
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
    // scans read each page once and keep only the path down the b-tree: a small page cache (128 KiB, default 2 MB)
    // is as fast, and with one reader per table loading side by side it keeps memory down
    conn.execute_batch("PRAGMA query_only = true; PRAGMA cache_size = -128")?;
    Ok(conn)
}

/// Check the 100-byte header; returns whether the file is in WAL mode.
fn check_header(path: &Path) -> std::result::Result<bool, String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let mut head = [0u8; 100];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(format!("cannot read the file: {e}")),
        }
    }
    if got == 0 {
        return Err("the file is empty (0 bytes): not a sqlite database".into());
    }
    if got < head.len() || &head[..16] != HEADER {
        return Err("not a sqlite database: the file header is not \"SQLite format 3\" (wrong file, or encrypted)".into());
    }
    Ok(head[18] == 2 || head[19] == 2)
}

fn wal_has_frames(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).map(|m| m.len() > 0).unwrap_or(false)
}

/// Percent-encode what SQLite's URI parser treats specially.
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' | b'&' | b'=' | b' ' => out.push_str(&format!("%{b:02X}")),
            _ => out.push(char::from(b)),
        }
    }
    out
}
