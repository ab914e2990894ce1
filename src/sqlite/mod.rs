//! The SQLite side: open the file read-only, check it, and describe what it holds

mod catalog;
pub mod ddl;
mod fingerprint;
mod pool;
mod snapshot;
pub(crate) mod table_filter;
pub(crate) mod virtual_tables;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

pub(crate) use catalog::{Catalog, ColumnInfo, ForeignKey, Skipped, TableInfo};
use pool::{Kind, Pin, Pool, Reader};

/// An open, read-only SQLite database, read at one instant for the whole run (see [`Source::open`]). Nothing is
/// ever written to the database. Nothing is created beside it either, but for the -shm SQLite makes (in a
/// writable folder) for a WAL-mode file whose -wal holds frames and has none.
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    /// The first connection: its read transaction fixes the instant every other reader joins.
    pub(crate) conn: Connection,
    pool: Arc<Pool>,
    /// When the instant was taken.
    since: SystemTime,
    /// For a file read without locks: its state at the start, which must still hold at the end.
    unlocked: Option<Stamp>,
}

const HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Source {
    /// The file opened read-only as [`Source::open`] describes, without a word in the log.
    fn pin(path: &Path, readers: usize) -> Result<Source> {
        let fail = |reason: String| Error::source(path.display(), reason);
        let wal_mode = check_header(path).map_err(fail)?;
        let unused = wal_mode && !beside(path, "-shm").exists() && !wal_has_frames(path);
        let (kind, uri) = match (wal_mode, unused) {
            (true, true) => (Kind::Immutable, format!("file:{}?mode=ro&immutable=1", uri_path(path))),
            (true, false) => (Kind::Wal, format!("file:{}?mode=ro", uri_path(path))),
            (false, _) => (Kind::Rollback, format!("file:{}?mode=ro", uri_path(path))),
        };
        let unlocked = (kind == Kind::Immutable).then(|| Stamp::take(path));
        let cannot_open = |e: rusqlite::Error| fail(open_error(path, wal_mode, &e));
        let conns =
            (0..=readers).map(|_| try_open(&uri)).collect::<std::result::Result<Vec<_>, _>>().map_err(cannot_open)?;
        let mut conns = conns.into_iter();
        let main = conns.next().ok_or_else(|| fail("no connection".into()))?;
        let (conn, pool) = Pool::pin(uri, kind, main, conns.collect()).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) => fail(format!("cannot begin reading it at one instant: {e}")),
            _ => cannot_open(e),
        })?;
        let since = SystemTime::now();
        Ok(Source { path: path.to_path_buf(), conn, pool, since, unlocked })
    }

    /// Prove the file can be opened and read as [`Source::open`] would, and let go of it at once: to fail fast on a
    /// bad file before waiting for anything.
    pub(crate) fn check(path: &Path) -> Result<()> {
        let source = Source::pin(path, 0)?;
        Catalog::read(&source.conn).map(drop)
    }

    /// Open the file read-only with `readers` more connections besides the first, every one with a read
    /// transaction on the same instant of the file, held until the Source is dropped, and say in the log how it is
    /// held. A WAL-mode file: one snapshot, which writers can go on past. A rollback-journal file: a shared lock,
    /// so writers wait (on their busy timeout) until the run ends. A WAL-mode file with no -shm and no frames in
    /// its -wal (nobody has it open): read without locks, creating nothing beside it; [`Source::confirm`] proves
    /// it did not change.
    pub(crate) fn open(path: &Path, readers: usize) -> Result<Source> {
        let source = Source::pin(path, readers)?;
        let since = source.since;
        match &source.pool.pin {
            Pin::Lock => log::info!(
                "holding a shared lock on the sqlite file since {}: its writers wait until the run ends",
                clock(since)
            ),
            Pin::Snapshot(_) | Pin::NoFrames => {
                log::info!(
                    "reading the sqlite file as it was at {}; writers may go on, later changes are not migrated",
                    clock(since)
                )
            }
            Pin::Unlocked => {
                log::info!("reading the sqlite file without locks (nobody has it open: no -shm beside it)")
            }
        }
        Ok(source)
    }

    /// Another connection for a reader thread, on the run's instant; it goes back to the pool when dropped.
    pub(crate) fn reopen(&self) -> Result<Reader> {
        self.pool.get().map_err(|e| self.error("cannot open another reader".into()).because(e))
    }

    /// SQLite's own consistency check, before anything is written to the target.
    pub(crate) fn quick_check(&self) -> Result<()> {
        integrity(&self.conn).map_err(|reason| self.error(reason))
    }

    /// The fingerprint of the instant this run reads (see [`fingerprint`]).
    pub(crate) fn fingerprint(&self) -> Result<String> {
        fingerprint::fingerprint(&self.conn)
            .map_err(|e| self.error("cannot read it for its fingerprint".into()).because(e))
    }

    /// Before committing: prove every read saw one state of the file. Only a file read without locks can have
    /// changed under the run; then nothing may be committed.
    pub(crate) fn confirm(&self) -> Result<()> {
        match &self.unlocked {
            Some(stamp) if *stamp != Stamp::take(&self.path) => Err(self.error(
                "another program opened and changed the file during the run (it was read without locks, since \
                 nobody had it open at the start): nothing was committed; run again, or stop the writers first"
                    .into(),
            )),
            _ => Ok(()),
        }
    }

    /// How far the file moved on since the run's instant, for the last log line.
    pub(crate) fn moved(&self) -> String {
        let at = clock(self.since);
        match &self.pool.pin {
            Pin::Lock => {
                let held = SystemTime::now().duration_since(self.since).unwrap_or_default().as_secs_f64();
                format!("writers of the sqlite file were held off from {at} for {held:.1}s; the file did not change during the run")
            }
            Pin::Unlocked => "the sqlite file did not change during the run".into(),
            Pin::Snapshot(ours) => match self.now() {
                Ok(Some(now)) if ours.older_than(&now) => match ours.commits_until(&now) {
                    Some(n) => format!("the sqlite file moved on during the run: {n} transaction(s) committed after {at} are not in postgresql"),
                    None => format!("the sqlite file moved on during the run: what was committed after {at} is not in postgresql"),
                },
                Ok(_) => "the sqlite file did not change during the run".into(),
                Err(e) => format!("cannot tell whether the sqlite file changed during the run: {e}"),
            },
            Pin::NoFrames => match self.now() {
                Ok(Some(_)) => format!("the sqlite file moved on during the run: what was committed after {at} is not in postgresql"),
                Ok(None) => "the sqlite file did not change during the run".into(),
                Err(e) => format!("cannot tell whether the sqlite file changed during the run: {e}"),
            },
        }
    }

    /// The file's latest instant, read on a new connection.
    fn now(&self) -> std::result::Result<Option<snapshot::Snapshot>, rusqlite::Error> {
        let conn = try_open(self.pool.uri())?;
        conn.execute_batch("BEGIN")?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
        snapshot::Snapshot::get(&conn)
    }

    pub(crate) fn error(&self, reason: String) -> Error {
        Error::source(self.path.display(), reason)
    }
}

/// The reason a read-only connection cannot open the file, with the fix.
fn open_error(path: &Path, wal_mode: bool, e: &rusqlite::Error) -> String {
    let file = path.display();
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) if !wal_mode => format!(
            "cannot open read-only ({e}): a hot rollback journal ({file}-journal) holds an interrupted write that only \
             a writable connection can roll back: open it once with sqlite3 in a writable folder \
             (sqlite3 {file} 'pragma quick_check') or mount the folder writable"
        ),
        _ if wal_mode => format!(
            "cannot open read-only ({e}); its -wal file holds changes that need a writable folder: \
             checkpoint it first (sqlite3 {file} 'pragma wal_checkpoint(truncate)') or mount the folder writable"
        ),
        _ => format!("cannot open read-only: {e}"),
    }
}

/// What is seen of a file read without locks: its size and modification time, and its -wal and -shm.
#[derive(PartialEq, Eq)]
struct Stamp(Vec<Option<(u64, Option<SystemTime>)>>);

impl Stamp {
    fn take(path: &Path) -> Stamp {
        let of = |p: PathBuf| std::fs::metadata(p).ok().map(|m| (m.len(), m.modified().ok()));
        Stamp(vec![of(path.to_path_buf()), of(beside(path, "-wal")), of(beside(path, "-shm"))])
    }
}

fn clock(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).format("%Y-%m-%d %H:%M:%S%.3f UTC").to_string()
}

/// `PRAGMA quick_check` on `conn`: the b-tree structure of the whole file. The reason comes back on failure.
pub(crate) fn integrity(conn: &Connection) -> std::result::Result<(), String> {
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
        return Err(
            "not a sqlite database: the file header is not \"SQLite format 3\" (wrong file, or encrypted)".into()
        );
    }
    Ok(head[18] == 2 || head[19] == 2)
}

fn wal_has_frames(path: &Path) -> bool {
    std::fs::metadata(beside(path, "-wal")).map(|m| m.len() > 0).unwrap_or(false)
}

/// The file SQLite keeps beside `path` with this suffix ("-wal", "-shm", "-journal").
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
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
