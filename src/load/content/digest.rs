//! Rows hashed field by field into a table's order-independent digest, the same way as sent and as read back

use sha2::{Digest as _, Sha256};
use twox_hash::{XxHash3_128, XxHash3_64};

use super::canon::{canonical, Canon};
use crate::report::Digest;

/// The groups a digest keeps apart (by the hash of a row's first compared field), so that after a mismatch only the rows of
/// the groups that differ are looked at again.
pub(crate) const GROUPS: usize = 1 << GROUP_BITS;
const GROUP_BITS: u32 = 10;

/// text, varchar and bytea values longer than this are compared by their SHA-256, which PostgreSQL computes when
/// reading back: the read-back then never holds more than this per value (PostgreSQL sends each row whole).
pub(crate) const BIG_VALUE: usize = 256 * 1024;

/// A field's tag in the row hash: NULL, a value (its length, then its bytes), or a big value's SHA-256.
const NULL: u8 = 0;
const VALUE: u8 = 1;
const HASHED: u8 = 2;

/// A row kept for the search after a mismatch: its hash, each field's hash, and (as sent) the SQLite row's name.
pub(crate) struct Kept {
    pub(crate) hash: u128,
    pub(crate) fields: Vec<u64>,
    pub(crate) name: String,
}

/// Hashes a table's rows, each field in its canonical form, into a [`Digest`]: the wrapping sum of a 128-bit
/// XXH3 of each row, overall and per group. Fed one row at a time: a call per field in column order, then
/// [`Rows::end_row`].
pub(crate) struct Rows {
    canon: Vec<Canon>,
    digest: Digest,
    /// The current row's fields, hashed in one go when it ends (one hasher call per row, not three per field).
    row: Vec<u8>,
    column: usize,
    /// The current row's group, set by its first compared field.
    group: Option<usize>,
    scratch: Vec<u8>,
    /// The search after a mismatch: which groups to keep rows of, the rows kept, and the current row's field hashes.
    keep: Option<(Vec<bool>, Vec<Kept>, Vec<u64>)>,
    /// The value being given in pieces, if one is.
    streamed: Option<Streamed>,
    /// The columns with a value compared by its SHA-256 (above [`BIG_VALUE`]).
    long: Vec<bool>,
}

/// A value given in pieces (streamed from SQLite's blob I/O): its SHA-256 as it goes, without char(n)'s trailing
/// spaces, and its first bytes, in case it turns out short enough to be compared by its bytes.
struct Streamed {
    sha: Sha256,
    head: Vec<u8>,
    /// Bytes hashed (trailing spaces held back).
    len: usize,
    /// Spaces seen after the last other byte (char(n) only), hashed when another byte follows.
    spaces: usize,
}

impl Rows {
    /// A hasher for rows whose columns compare as `canon` says.
    pub(crate) fn new(canon: Vec<Canon>) -> Rows {
        Rows {
            canon,
            digest: Digest { rows: 0, sum: 0, groups: vec![0; GROUPS] },
            row: Vec::new(),
            column: 0,
            group: None,
            scratch: Vec::new(),
            keep: None,
            streamed: None,
            long: Vec::new(),
        }
    }

    /// The same, also keeping every row of the groups marked in `groups` (see [`Rows::differing`]).
    pub(crate) fn keeping(mut self, groups: Vec<bool>) -> Rows {
        self.keep = Some((groups, Vec::new(), Vec::new()));
        self
    }

    /// The groups in which two digests differ.
    pub(crate) fn differing(a: &Digest, b: &Digest) -> Vec<bool> {
        (0..GROUPS).map(|g| a.groups.get(g) != b.groups.get(g)).collect()
    }

    /// The next field is NULL.
    pub(crate) fn null(&mut self) {
        if self.canon.get(self.column) == Some(&Canon::Skip) {
            return self.skip();
        }
        self.field(NULL, &[]);
    }

    /// The next field is not compared (see [`Canon::Skip`]): it only takes its place.
    pub(crate) fn skip(&mut self) {
        if let Some((_, _, fields)) = &mut self.keep {
            fields.push(0);
        }
        self.column += 1;
    }

    /// The next field's value, in binary COPY form (without its length).
    pub(crate) fn value(&mut self, bytes: &[u8]) {
        let canon = self.canon.get(self.column).unwrap_or(&Canon::Raw);
        if *canon == Canon::Skip {
            return self.skip();
        }
        let big = matches!(canon, Canon::Big | Canon::Char);
        let mut scratch = std::mem::take(&mut self.scratch);
        let form = canonical(canon, bytes, &mut scratch);
        if big && form.len() > BIG_VALUE {
            let sha = Sha256::digest(form);
            self.field(HASHED, &sha);
        } else {
            self.field(VALUE, form);
        }
        self.scratch = scratch;
    }

    /// The next field's value comes in pieces ([`Rows::piece`], then [`Rows::end_value`]): a text, varchar, char or
    /// bytea value streamed in bounded memory. The same as one call of [`Rows::value`] with all of it.
    pub(crate) fn begin_value(&mut self) {
        self.streamed = Some(Streamed { sha: Sha256::new(), head: Vec::new(), len: 0, spaces: 0 });
    }

    /// A piece of the value begun with [`Rows::begin_value`].
    pub(crate) fn piece(&mut self, bytes: &[u8]) {
        let trims = self.canon.get(self.column) == Some(&Canon::Char);
        let Some(s) = &mut self.streamed else { return };
        if s.head.len() <= BIG_VALUE {
            let take = (BIG_VALUE + 1 - s.head.len()).min(bytes.len());
            s.head.extend_from_slice(&bytes[..take]);
        }
        let last = if trims { bytes.iter().rposition(|&c| c != b' ') } else { bytes.len().checked_sub(1) };
        match last {
            None => s.spaces += bytes.len(),
            Some(last) => {
                const SPACES: [u8; 64] = [b' '; 64];
                while s.spaces > 0 {
                    let n = s.spaces.min(SPACES.len());
                    s.sha.update(&SPACES[..n]);
                    (s.len, s.spaces) = (s.len + n, s.spaces - n);
                }
                s.sha.update(&bytes[..=last]);
                s.len += last + 1;
                s.spaces = bytes.len() - last - 1;
            }
        }
    }

    /// The value begun with [`Rows::begin_value`] is complete.
    pub(crate) fn end_value(&mut self) {
        let Some(s) = self.streamed.take() else { return };
        if s.len <= BIG_VALUE {
            self.value(&s.head[..s.len.min(s.head.len())]);
        } else {
            let sha = s.sha.finalize();
            self.field(HASHED, &sha);
        }
    }

    /// The next field is a big value, given as the SHA-256 of its bytes (read back from PostgreSQL).
    pub(crate) fn hashed(&mut self, sha: &[u8]) {
        self.field(HASHED, sha);
    }

    fn field(&mut self, tag: u8, bytes: &[u8]) {
        // a value is below 1 GB (PostgreSQL's limit, checked when it is encoded)
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes();
        let start = self.row.len();
        self.row.push(tag);
        self.row.extend_from_slice(&len);
        self.row.extend_from_slice(bytes);
        if tag == HASHED {
            if self.long.len() <= self.column {
                self.long.resize(self.column + 1, false);
            }
            self.long[self.column] = true;
        }
        if self.group.is_none() || self.keep.is_some() {
            let h = XxHash3_64::oneshot(&self.row[start..]);
            if self.group.is_none() {
                self.group = Some(usize::try_from(h >> (64 - GROUP_BITS)).unwrap_or(0));
            }
            if let Some((_, _, fields)) = &mut self.keep {
                fields.push(h);
            }
        }
        self.column += 1;
    }

    /// The row is complete: add its hash. `name` names the SQLite row, asked for only when the row is kept.
    pub(crate) fn end_row(&mut self, name: impl FnOnce() -> String) {
        let hash = XxHash3_128::oneshot(&self.row);
        self.row.clear();
        let group = self.group.take().unwrap_or(0);
        self.digest.rows += 1;
        self.digest.sum = self.digest.sum.wrapping_add(hash);
        if let Some(g) = self.digest.groups.get_mut(group) {
            *g = g.wrapping_add(hash);
        }
        if let Some((groups, kept, fields)) = &mut self.keep {
            let fields = std::mem::take(fields);
            if groups.get(group).copied().unwrap_or(false) {
                kept.push(Kept { hash, fields, name: name() });
            }
        }
        self.column = 0;
    }

    /// Which columns had a value compared by its SHA-256 (above [`BIG_VALUE`]), by column position; a column past
    /// the end had none.
    pub(crate) fn long_columns(&self) -> &[bool] {
        &self.long
    }

    /// The digest of the rows so far.
    pub(crate) fn finish(self) -> Digest {
        self.digest
    }

    /// The rows kept (see [`Rows::keeping`]).
    pub(crate) fn kept(self) -> Vec<Kept> {
        self.keep.map(|(_, kept, _)| kept).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row's fields: a value or NULL.
    type Row<'a> = &'a [Option<&'a [u8]>];

    fn digest(rows: &[Row<'_>]) -> Digest {
        let mut h = Rows::new(vec![Canon::Raw, Canon::Big]);
        for row in rows {
            for field in *row {
                match field {
                    Some(v) => h.value(v),
                    None => h.null(),
                }
            }
            h.end_row(String::new);
        }
        h.finish()
    }

    #[test]
    fn the_digest_ignores_row_order_but_not_duplicates_fields_or_nulls() {
        let (a, b): (Row<'_>, Row<'_>) = (&[Some(b"1"), Some(b"x")], &[Some(b"2"), None]);
        assert_eq!(digest(&[a, b]), digest(&[b, a]));
        assert_eq!(digest(&[a, b]).rows, 2);
        // a duplicate row does not cancel out, as it would with xor
        assert_ne!(digest(&[a, a]), digest(&[]));
        assert_ne!(digest(&[a, a, b]), digest(&[a, b, b]));
        // the field boundaries count: "1","x" is not "1x",""
        let c: Row<'_> = &[Some(b"1x"), Some(b"")];
        assert_ne!(digest(&[c]), digest(&[a]));
        // NULL is not the empty value
        let (null, empty): (Row<'_>, Row<'_>) = (&[Some(b"2"), None], &[Some(b"2"), Some(b"")]);
        assert_ne!(digest(&[null]), digest(&[empty]));
    }

    #[test]
    fn a_skipped_column_takes_its_place_and_nothing_else() {
        let hash = |skipped: Option<&[u8]>, keep: bool| {
            let mut h = Rows::new(vec![Canon::Skip, Canon::Raw, Canon::Raw]);
            if keep {
                h = h.keeping(vec![true; GROUPS]);
            }
            match skipped {
                Some(v) => h.value(v),
                None => h.null(),
            }
            h.value(b"a");
            h.value(b"b");
            h.end_row(|| "r".into());
            h
        };
        // what was sent into the skipped column is not compared; the read-back skips it
        let mut back = Rows::new(vec![Canon::Skip, Canon::Raw, Canon::Raw]);
        back.skip();
        back.value(b"a");
        back.value(b"b");
        back.end_row(String::new);
        let back = back.finish();
        assert_eq!(hash(Some(b"text"), false).finish(), back);
        assert_eq!(hash(None, false).finish(), back);
        // the fields of a kept row stay aligned with the columns
        let kept = hash(Some(b"text"), true).kept();
        assert_eq!(kept[0].fields.len(), 3);
        assert_eq!(kept[0].fields[0], 0);
    }

    #[test]
    fn a_big_value_is_its_sha256_so_that_postgresql_can_hash_it_instead() {
        let big = vec![7u8; BIG_VALUE + 1];
        let mut sent = Rows::new(vec![Canon::Big]);
        sent.value(&big);
        sent.end_row(String::new);
        let mut back = Rows::new(vec![Canon::Big]);
        back.hashed(&Sha256::digest(&big));
        back.end_row(String::new);
        assert_eq!(sent.finish(), back.finish());
        // at the limit, the bytes themselves
        let mut small = Rows::new(vec![Canon::Big]);
        small.value(&big[..BIG_VALUE]);
        small.end_row(String::new);
        let mut hashed = Rows::new(vec![Canon::Big]);
        hashed.hashed(&Sha256::digest(&big[..BIG_VALUE]));
        hashed.end_row(String::new);
        assert_ne!(small.finish(), hashed.finish());
    }

    #[test]
    fn the_columns_with_a_value_compared_by_its_sha256_are_marked() {
        let mut h = Rows::new(vec![Canon::Big, Canon::Skip, Canon::Big, Canon::Char]);
        h.value(b"short");
        h.null();
        h.value(&vec![1u8; BIG_VALUE + 1]);
        // char(n) without its padding is short enough
        h.value(&[b"c".to_vec(), vec![b' '; BIG_VALUE]].concat());
        h.end_row(String::new);
        assert_eq!(h.long_columns(), [false, false, true]);
        h.value(b"x");
        h.skip();
        h.null();
        h.begin_value();
        h.piece(&vec![b'z'; BIG_VALUE + 1]);
        h.end_value();
        h.end_row(String::new);
        assert_eq!(h.long_columns(), [false, false, true, true]);
    }

    #[test]
    fn a_value_in_pieces_hashes_as_the_whole_value() {
        let whole = |canon: Canon, v: &[u8]| {
            let mut h = Rows::new(vec![canon]);
            h.value(v);
            h.end_row(String::new);
            h.finish()
        };
        let pieces = |canon: Canon, v: &[u8], size: usize| {
            let mut h = Rows::new(vec![canon]);
            h.begin_value();
            for p in v.chunks(size) {
                h.piece(p);
            }
            h.piece(&[]);
            h.end_value();
            h.end_row(String::new);
            h.finish()
        };
        let mut long = vec![b'x'; BIG_VALUE + 10];
        long.extend_from_slice(&[b' '; 100]);
        let short = b"abc   ".to_vec();
        let spaces_inside = [vec![b'y'; BIG_VALUE - 3], vec![b' '; 200], vec![b'z'; 7], vec![b' '; 70]].concat();
        for v in [&long, &short, &spaces_inside] {
            for canon in [Canon::Big, Canon::Char] {
                for size in [1, 63, 64, 4096, 65536] {
                    assert_eq!(whole(canon.clone(), v), pieces(canon.clone(), v, size), "{canon:?} {size} {}", v.len());
                }
            }
        }
        // char(n): trailing spaces do not count, so a value just above the limit with them is compared by its bytes
        let padded = [vec![b'q'; BIG_VALUE], vec![b' '; 5]].concat();
        assert_eq!(whole(Canon::Char, &padded), whole(Canon::Char, &padded[..BIG_VALUE]));
        assert_ne!(whole(Canon::Big, &padded), whole(Canon::Big, &padded[..BIG_VALUE]));
        // what PostgreSQL hashes for a char(n) column: the value without its padding
        let mut back = Rows::new(vec![Canon::Char]);
        back.hashed(&Sha256::digest(&long[..BIG_VALUE + 10]));
        back.end_row(String::new);
        assert_eq!(whole(Canon::Char, &long), back.finish());
    }

    #[test]
    fn rows_of_the_differing_groups_are_kept_with_their_names() {
        let (a, b): (Row<'_>, Row<'_>) = (&[Some(b"1"), Some(b"x")], &[Some(b"2"), Some(b"y")]);
        let changed: Row<'_> = &[Some(b"2"), Some(b"z")];
        let (sent, back) = (digest(&[a, b]), digest(&[a, changed]));
        assert_ne!(sent, back);
        let groups = Rows::differing(&sent, &back);
        assert_eq!(groups.iter().filter(|g| **g).count(), 1, "the first field did not change: one group");
        let mut again = Rows::new(vec![Canon::Raw, Canon::Big]).keeping(groups);
        for (i, row) in [a, b].iter().enumerate() {
            for f in row.iter() {
                again.value(f.unwrap_or_default());
            }
            again.end_row(|| format!("row {i}"));
        }
        let kept = again.kept();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].name, "row 1");
        assert_eq!(kept[0].fields.len(), 2);
    }
}
