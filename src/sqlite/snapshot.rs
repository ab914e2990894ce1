//! Safe wrappers around SQLite's WAL snapshot calls, the one place this crate reaches into SQLite's C API
//!
//! rusqlite has no API for `sqlite3_snapshot_get` / `sqlite3_snapshot_open` / `sqlite3_snapshot_cmp`, so they are
//! called through `rusqlite::ffi` on `Connection::handle()`. They exist only because `.cargo/config.toml` builds
//! the bundled SQLite with `SQLITE_ENABLE_SNAPSHOT`: without it the crate does not link, so a build that lost the
//! option cannot silently read without snapshots.

use std::ffi::CStr;
use std::ptr::NonNull;

use rusqlite::{ffi, Connection};

const MAIN: &CStr = c"main";

/// One instant of a WAL-mode database: what a read transaction saw when it was taken.
pub(crate) struct Snapshot(NonNull<ffi::sqlite3_snapshot>);

// SAFETY: a snapshot is a heap copy of a WAL index header that SQLite only reads; it is tied to no connection or
// thread, and it is freed once, on drop.
unsafe impl Send for Snapshot {}
unsafe impl Sync for Snapshot {}

impl Snapshot {
    /// The instant `conn`'s open read transaction sees. `Ok(None)` when SQLite cannot name it: no transaction has
    /// been written to the -wal file since it was created, so every reader reads the main file alone.
    pub(crate) fn get(conn: &Connection) -> Result<Option<Snapshot>, rusqlite::Error> {
        let mut out: *mut ffi::sqlite3_snapshot = std::ptr::null_mut();
        // SAFETY: the handle is a live connection borrowed for the call; `out` is a valid place for the pointer.
        let rc = unsafe { ffi::sqlite3_snapshot_get(conn.handle(), MAIN.as_ptr(), &mut out) };
        match (rc, NonNull::new(out)) {
            (ffi::SQLITE_OK, Some(p)) => Ok(Some(Snapshot(p))),
            (ffi::SQLITE_ERROR, _) => Ok(None),
            (rc, _) => Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some("sqlite3_snapshot_get".into()))),
        }
    }

    /// Make `conn`'s read transaction, begun with `BEGIN` and with no statement running, see this instant. `conn`
    /// must have read the file before (SQLite opens the -wal at the first read), else this fails.
    pub(crate) fn open_on(&self, conn: &Connection) -> Result<(), rusqlite::Error> {
        // SAFETY: live connection; the snapshot stays valid for the call (SQLite copies what it needs).
        let rc = unsafe { ffi::sqlite3_snapshot_open(conn.handle(), MAIN.as_ptr(), self.0.as_ptr()) };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some("sqlite3_snapshot_open".into())))
        }
    }

    /// Whether `later` (taken after this one, on the same file) sees transactions this one does not.
    pub(crate) fn older_than(&self, later: &Snapshot) -> bool {
        // SAFETY: both point to live snapshots of the same database.
        unsafe { ffi::sqlite3_snapshot_cmp(self.0.as_ptr(), later.0.as_ptr()) < 0 }
    }

    /// How many write transactions were committed between this snapshot and `later`, when SQLite's WAL index
    /// header (what `sqlite3_snapshot_get` copies, format version 3007000) says so; None when it is not that
    /// format. Its third 32-bit field counts commits (`iChange` in sqlite3.c's `WalIndexHdr`).
    pub(crate) fn commits_until(&self, later: &Snapshot) -> Option<u32> {
        let (a, b) = (self.header()?, later.header()?);
        Some(b.wrapping_sub(a))
    }

    fn header(&self) -> Option<u32> {
        // SAFETY: a live snapshot, which SQLite does not change after handing it out.
        let bytes = unsafe { &self.0.as_ref().hidden };
        let field = |i: usize| bytes.get(i..i + 4).and_then(|b| b.try_into().ok()).map(u32::from_ne_bytes);
        (field(0)? == 3_007_000).then(|| field(8)).flatten()
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        // SAFETY: allocated by sqlite3_snapshot_get, freed exactly once here.
        unsafe { ffi::sqlite3_snapshot_free(self.0.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    /// A reader that opens another's snapshot sees what that one saw, past later commits and a checkpoint; the
    /// commit count read from the snapshots is exact.
    #[test]
    fn a_snapshot_opened_elsewhere_sees_the_same_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer.query_row("PRAGMA journal_mode = wal", [], |_| Ok(())).unwrap();
        writer.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
        let first = Connection::open(&path).unwrap();
        first.execute_batch("BEGIN").unwrap();
        assert_eq!(count(&first), 1);
        let ours = Snapshot::get(&first).unwrap().expect("a snapshot");
        for i in 0..3 {
            writer.execute("INSERT INTO t VALUES (?1)", [i]).unwrap();
        }
        writer.query_row("PRAGMA wal_checkpoint(passive)", [], |_| Ok(())).unwrap();
        let second = Connection::open(&path).unwrap();
        assert!(second.execute_batch("BEGIN").is_ok() && ours.open_on(&second).is_err(), "opened before any read");
        second.execute_batch("ROLLBACK").unwrap();
        assert_eq!(count(&second), 4);
        second.execute_batch("BEGIN").unwrap();
        ours.open_on(&second).unwrap();
        assert_eq!(count(&second), 1);
        let fresh = Connection::open(&path).unwrap();
        fresh.execute_batch("BEGIN").unwrap();
        assert_eq!(count(&fresh), 4);
        let now = Snapshot::get(&fresh).unwrap().expect("a snapshot");
        assert!(ours.older_than(&now));
        assert!(!now.older_than(&ours));
        assert_eq!(ours.commits_until(&now), Some(3));
    }

    /// No transaction written to the -wal since it was made: SQLite names no snapshot.
    #[test]
    fn no_snapshot_before_the_first_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let setup = Connection::open(&path).unwrap();
        setup.query_row("PRAGMA journal_mode = wal", [], |_| Ok(())).unwrap();
        setup.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        drop(setup);
        let reader = Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        assert_eq!(count(&reader), 0);
        assert!(Snapshot::get(&reader).unwrap().is_none());
    }
}
