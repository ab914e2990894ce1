//! A cheap fingerprint of the SQLite database that tells changed content from the same content, even for many GB

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// How many pages are sampled across the database, besides the first and the last.
const SAMPLES: u64 = 256;

/// SHA-256 over: the database size (pages times page size), the whole first page (the header holds SQLite's change
/// counter, page count and schema cookie), the last page, and 256 pages spread evenly through it. The pages are
/// read through `conn`, as its read transaction sees them (through `sqlite_dbpage`): a WAL-mode file hashes the
/// same before and after a checkpoint, and a writer going on meanwhile does not change it. Frames committed to the
/// -wal after that instant are not part of it. For a file with nothing in a -wal, this is the same hash as over
/// the file's own bytes. It reads at most ~1 MB (about 260 pages) whatever the size, so a rerun stays fast; it
/// ignores the file's modification time, so copying the same file to a new volume is still "the same".
pub(crate) fn fingerprint(conn: &Connection) -> Result<String, rusqlite::Error> {
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let count: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let (page, pages) = match (u64::try_from(page_size), u64::try_from(count)) {
        (Ok(p), Ok(n)) => (p, n),
        _ => return Err(rusqlite::Error::IntegralValueOutOfRange(0, count.min(page_size))),
    };
    let mut hash = Sha256::new();
    hash.update((page * pages).to_be_bytes());
    let pages = pages.max(1);
    let mut stmt = conn.prepare("SELECT data FROM sqlite_dbpage('main') WHERE pgno = ?1")?;
    let mut sample = |index: u64, hash: &mut Sha256| -> Result<(), rusqlite::Error> {
        let pgno = i64::try_from(index + 1).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, i64::MAX))?;
        let data: Option<Vec<u8>> = stmt.query_row([pgno], |r| r.get(0)).optional()?;
        hash.update(index.to_be_bytes());
        hash.update(data.unwrap_or_default());
        Ok(())
    };
    sample(0, &mut hash)?;
    sample(pages - 1, &mut hash)?;
    for i in 1..=SAMPLES.min(pages) {
        sample(i * pages / (SAMPLES + 1), &mut hash)?;
    }
    Ok(hex::encode(hash.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn of(path: &Path) -> String {
        let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        fingerprint(&conn).unwrap()
    }

    #[test]
    fn same_content_same_fingerprint_and_a_change_shows() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.sqlite");
        let conn = rusqlite::Connection::open(&a).unwrap();
        conn.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('one');").unwrap();
        drop(conn);
        let b = dir.path().join("b.sqlite");
        std::fs::copy(&a, &b).unwrap();
        assert_eq!(of(&a), of(&b));
        let conn = rusqlite::Connection::open(&b).unwrap();
        conn.execute_batch("UPDATE t SET x = 'two'").unwrap();
        drop(conn);
        assert_ne!(of(&a), of(&b));
    }

    /// Frames still in the -wal and the same content checkpointed into the file hash alike; the hash is the one
    /// over the file's bytes that earlier versions recorded, so their ledger entries still match.
    #[test]
    fn a_checkpoint_changes_nothing_and_the_file_hash_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer.query_row("PRAGMA journal_mode = wal", [], |_| Ok(())).unwrap();
        writer.execute_batch("PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x BLOB);").unwrap();
        writer
            .execute_batch("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT randomblob(3000) FROM n")
            .unwrap();
        assert!(std::fs::metadata(dir.path().join("w.sqlite-wal")).unwrap().len() > 1_000_000);
        let before = of(&path);
        writer.query_row("PRAGMA wal_checkpoint(truncate)", [], |_| Ok(())).unwrap();
        assert_eq!(std::fs::metadata(dir.path().join("w.sqlite-wal")).unwrap().len(), 0);
        assert_eq!(before, of(&path));
        assert_eq!(before, file_bytes(&path));
        writer.execute("DELETE FROM t WHERE rowid = 1000", []).unwrap();
        assert_ne!(before, of(&path));
    }

    /// The same samples read straight from the file, as fingerprints were taken before they were read through
    /// SQLite.
    fn file_bytes(path: &Path) -> String {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(path).unwrap();
        let size = f.metadata().unwrap().len();
        let mut head = [0u8; 100];
        f.read_exact(&mut head).unwrap();
        let page = match u16::from_be_bytes([head[16], head[17]]) {
            1 => 65536,
            p => u64::from(p),
        };
        let pages = size.div_ceil(page).max(1);
        let mut hash = Sha256::new();
        hash.update(size.to_be_bytes());
        let mut sample = |index: u64, hash: &mut Sha256| {
            let mut buf = vec![0u8; page as usize];
            f.seek(SeekFrom::Start(index * page)).unwrap();
            f.read_exact(&mut buf).unwrap();
            hash.update(index.to_be_bytes());
            hash.update(&buf);
        };
        sample(0, &mut hash);
        sample(pages - 1, &mut hash);
        for i in 1..=SAMPLES.min(pages) {
            sample(i * pages / (SAMPLES + 1), &mut hash);
        }
        hex::encode(hash.finalize())
    }
}
