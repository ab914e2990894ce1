//! A cheap fingerprint of the SQLite file that tells a changed file from the same file, even for many GB

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use sha2::{Digest, Sha256};

/// How many pages are sampled across the file, besides the first and the last.
const SAMPLES: u64 = 256;

/// SHA-256 over: the file size, the whole first page (the header holds SQLite's change counter, page count and
/// schema cookie), the last page, 256 pages spread evenly through the file, and a non-empty `-wal` file's size and
/// first and last pages. It reads at most ~1 MB (about 260 pages) whatever the file size, so a rerun stays fast;
/// it ignores the file's modification time, so copying the same file to a new volume is still "the same".
pub fn fingerprint(path: &Path) -> std::io::Result<String> {
    let mut hash = Sha256::new();
    let mut f = File::open(path)?;
    let size = f.metadata()?.len();
    hash.update(size.to_be_bytes());
    let mut head = [0u8; 100];
    let n = read_at(&mut f, 0, &mut head)?;
    let page = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65536,
        p if p >= 512 && n == head.len() => u64::from(p),
        _ => 4096,
    };
    let pages = size.div_ceil(page).max(1);
    let mut buf = vec![0u8; usize::try_from(page).unwrap_or(4096)];
    let mut sample = |f: &mut File, index: u64, hash: &mut Sha256| -> std::io::Result<()> {
        let n = read_at(f, index * page, &mut buf)?;
        hash.update(index.to_be_bytes());
        hash.update(&buf[..n]);
        Ok(())
    };
    sample(&mut f, 0, &mut hash)?;
    sample(&mut f, pages - 1, &mut hash)?;
    for i in 1..=SAMPLES.min(pages) {
        sample(&mut f, i * pages / (SAMPLES + 1), &mut hash)?;
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(mut w) = File::open(std::path::PathBuf::from(wal)) {
        let wsize = w.metadata()?.len();
        if wsize > 0 {
            hash.update(b"wal");
            hash.update(wsize.to_be_bytes());
            let wpages = wsize.div_ceil(page).max(1);
            sample(&mut w, 0, &mut hash)?;
            sample(&mut w, wpages - 1, &mut hash)?;
        }
    }
    Ok(hex::encode(hash.finalize()))
}

fn read_at(f: &mut File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    f.seek(SeekFrom::Start(offset))?;
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_same_fingerprint_and_a_change_shows() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.sqlite");
        let conn = rusqlite::Connection::open(&a).unwrap();
        conn.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('one');").unwrap();
        drop(conn);
        let b = dir.path().join("b.sqlite");
        std::fs::copy(&a, &b).unwrap();
        assert_eq!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
        let conn = rusqlite::Connection::open(&b).unwrap();
        conn.execute_batch("UPDATE t SET x = 'two'").unwrap();
        drop(conn);
        assert_ne!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
    }
}
