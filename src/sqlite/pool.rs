//! The run's SQLite connections, each holding a read transaction on the same instant of the file
//!
//! How they agree on that instant depends on the file ([`Pin`]). In rollback-journal mode every connection holds
//! a SHARED lock for the whole run. A writer that wants to commit takes PENDING and waits for those locks to go;
//! while it waits, SQLite gives no new SHARED lock, so a connection that began its transaction later could starve.
//! Hence all the connections the run needs begin their transactions in one burst, right after the first; if one
//! of them finds the file busy, all let go (so the writer can commit) and the burst starts again.

use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

use super::snapshot::Snapshot;

/// How the connections of a run see one instant of the file.
pub(crate) enum Pin {
    /// WAL mode: every read transaction opens this snapshot.
    Snapshot(Arc<Snapshot>),
    /// WAL mode with no transaction written to the -wal file since it was created: every reader reads the main
    /// file alone, which SQLite does not checkpoint into while any of them reads it.
    NoFrames,
    /// Rollback-journal mode: the SHARED lock of each read transaction keeps writers out.
    Lock,
    /// Opened `immutable=1`, without locks: nothing is pinned, [`super::Source::confirm`] proves nothing changed.
    Unlocked,
}

/// What kind of file the connections are opened on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Wal,
    Rollback,
    Immutable,
}

/// Connections with a read transaction open on the run's instant, waiting to be handed out.
pub(crate) struct Pool {
    uri: String,
    pub(crate) pin: Pin,
    idle: Mutex<Vec<Connection>>,
}

/// A reader connection lent from the pool; it goes back when dropped, its read transaction still open.
pub(crate) struct Reader {
    conn: Option<Connection>,
    pool: Arc<Pool>,
}

impl Deref for Reader {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // only `drop` takes the connection out
        self.conn.as_ref().unwrap_or_else(|| unreachable!("a reader is used after it was given back"))
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.pool.idle.lock()) {
            idle.push(conn);
        }
    }
}

/// Why a burst failed.
enum Failed {
    /// A writer held the file at the wrong moment: let go of everything and try again.
    Retry,
    Error(rusqlite::Error),
}

impl From<rusqlite::Error> for Failed {
    fn from(e: rusqlite::Error) -> Failed {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Failed::Retry,
            _ => Failed::Error(e),
        }
    }
}

/// How long a connection of the burst waits for a lock before all let go and start again.
const BURST_WAIT: Duration = Duration::from_millis(50);
/// Bursts tried before giving up: about 15 s with the pauses in between.
const ATTEMPTS: u32 = 60;

impl Pool {
    /// Begin a read transaction on `main` and on every connection of `readers` (all opened already, in autocommit),
    /// all on one instant. Gives back the main connection and the pool of the others.
    pub(crate) fn pin(
        uri: String,
        kind: Kind,
        main: Connection,
        readers: Vec<Connection>,
    ) -> Result<(Connection, Arc<Pool>), rusqlite::Error> {
        for attempt in 1..=ATTEMPTS {
            match burst(kind, &main, &readers) {
                Ok(pin) => {
                    for r in &readers {
                        r.busy_timeout(DEFAULT_WAIT)?;
                    }
                    let pool = Pool { uri, pin, idle: Mutex::new(readers) };
                    return Ok((main, Arc::new(pool)));
                }
                Err(Failed::Error(e)) => return Err(e),
                Err(Failed::Retry) => {
                    for c in std::iter::once(&main).chain(&readers) {
                        end(c)?;
                    }
                    log::debug!(
                        "the sqlite file was busy while opening {} reader(s) on one instant; try {attempt}",
                        readers.len() + 1
                    );
                    std::thread::sleep(Duration::from_millis(u64::from(attempt.min(10)) * 25));
                }
            }
        }
        Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(format!(
                "writers kept the file busy: could not open {} readers on one instant of it in {ATTEMPTS} tries",
                readers.len() + 1
            )),
        ))
    }

    /// A connection on the run's instant: an idle one, or a new one when all are lent out.
    pub(crate) fn get(self: &Arc<Self>) -> Result<Reader, rusqlite::Error> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = super::try_open(&self.uri)?;
                match join(&self.pin, &conn) {
                    Ok(()) => conn,
                    Err(Failed::Error(e)) => return Err(e),
                    Err(Failed::Retry) => {
                        return Err(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("a writer holds the file: no further reader can join the run's instant of it".into()),
                        ))
                    }
                }
            }
        };
        Ok(Reader { conn: Some(conn), pool: self.clone() })
    }

    pub(crate) fn uri(&self) -> &str {
        &self.uri
    }
}

/// rusqlite's own busy timeout, restored after the burst.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// One try: the main connection's transaction fixes the instant, then every reader joins it.
fn burst(kind: Kind, main: &Connection, readers: &[Connection]) -> Result<Pin, Failed> {
    begin(main)?;
    let pin = match kind {
        Kind::Rollback => Pin::Lock,
        Kind::Immutable => Pin::Unlocked,
        Kind::Wal => match Snapshot::get(main)? {
            Some(s) => Pin::Snapshot(Arc::new(s)),
            None => Pin::NoFrames,
        },
    };
    for r in readers {
        r.busy_timeout(BURST_WAIT)?;
        join(&pin, r)?;
    }
    Ok(pin)
}

/// Begin `conn`'s read transaction on the instant `pin` names.
fn join(pin: &Pin, conn: &Connection) -> Result<(), Failed> {
    conn.execute_batch("BEGIN")?;
    if let Pin::Snapshot(s) = pin {
        s.open_on(conn)?;
    }
    read(conn)?;
    if let Pin::NoFrames = pin {
        // this reader must not see a transaction the main connection did not
        if Snapshot::get(conn)?.is_some() {
            return Err(Failed::Retry);
        }
    }
    Ok(())
}

/// Begin a read transaction: SQLite starts it (takes the lock, or fixes the WAL instant) at the first read.
fn begin(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.execute_batch("BEGIN")?;
    read(conn)
}

fn read(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map(|_| ())
}

/// End `conn`'s read transaction, if one is open.
fn end(conn: &Connection) -> Result<(), rusqlite::Error> {
    if conn.is_autocommit() {
        Ok(())
    } else {
        conn.execute_batch("ROLLBACK")
    }
}

#[cfg(test)]
mod tests {
    use crate::sqlite::Source;
    use rusqlite::Connection;

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    fn file(journal: &str) -> (tempfile::TempDir, std::path::PathBuf, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer.query_row(&format!("PRAGMA journal_mode = {journal}"), [], |_| Ok(())).unwrap();
        writer.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
        (dir, path, writer)
    }

    /// WAL mode: readers lent from the pool, given back, and opened beyond it all see the first instant.
    #[test]
    fn wal_readers_beyond_the_pool_join_the_same_snapshot() {
        let (_dir, path, writer) = file("wal");
        let source = Source::open(&path, 1).unwrap();
        writer.execute("INSERT INTO t VALUES (2)", []).unwrap();
        let lent = source.reopen().unwrap();
        writer.execute("INSERT INTO t VALUES (3)", []).unwrap();
        let beyond = source.reopen().unwrap();
        assert_eq!((count(&source.conn), count(&lent), count(&beyond)), (1, 1, 1));
        drop(lent);
        writer.execute("INSERT INTO t VALUES (4)", []).unwrap();
        assert_eq!(count(&source.reopen().unwrap()), 1);
        assert!(source.moved().contains("3 transaction(s) committed after"), "{}", source.moved());
    }

    /// Rollback-journal mode: a writer cannot commit while the Source is open, and can once it is dropped.
    #[test]
    fn rollback_writers_wait_for_the_source() {
        let (_dir, path, writer) = file("delete");
        writer.busy_timeout(std::time::Duration::from_millis(100)).unwrap();
        let source = Source::open(&path, 2).unwrap();
        let busy = writer.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
        assert_eq!(busy.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy));
        assert_eq!(count(&source.reopen().unwrap()), 1);
        assert!(source.moved().contains("were held off from"));
        drop(source);
        writer.execute("INSERT INTO t VALUES (2)", []).unwrap();
    }
}
