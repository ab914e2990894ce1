//! One table read back from PostgreSQL with binary COPY, its rows hashed as they were hashed when sent

use bytes::{Buf, BytesMut};
use futures_util::{pin_mut, StreamExt};
use tokio_postgres::GenericClient;

use super::canon::Canon;
use super::digest::{Rows, BIG_VALUE};
use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::load::plan::TablePlan;
use crate::translate::values::PgType;

/// How one loaded column is read back.
#[derive(PartialEq, Eq)]
enum Field {
    /// The value.
    Plain,
    /// The value, or above [`BIG_VALUE`] its SHA-256 (char(n): without its padding): two fields of the COPY.
    Big,
    /// Not read: the column is gone (see [`Canon::Skip`]).
    Skipped,
}

/// Read every row of `plan`'s table in `schema` (the loaded columns, in the order they were sent) and feed it to
/// `rows`. In the columns marked in `long` (a value sent there was above [`BIG_VALUE`]), a text, varchar or bytea
/// value above [`BIG_VALUE`] comes back as its SHA-256, computed by PostgreSQL; the other columns come back as they
/// are, which is cheaper for the server.
pub(crate) async fn read(
    pg: &impl GenericClient,
    schema: &str,
    plan: &TablePlan,
    long: &[bool],
    rows: &mut Rows,
) -> Result<()> {
    let table = &plan.target;
    let err = |e: tokio_postgres::Error| Error::pg(format!("read back \"{table}\""))(e);
    // the bytes sent were UTF-8; a server in another encoding stores text in that one, so its length differs
    let utf8: bool = pg
        .query_one("SELECT current_setting('server_encoding') = 'UTF8'", &[])
        .await
        .map_err(Error::pg("read the server encoding"))?
        .get(0);
    let mut select = Vec::new();
    let mut fields = Vec::new();
    for (n, (c, canon)) in plan.columns.iter().zip(super::canons(plan)).enumerate() {
        let q = quote_ident(&c.target);
        let field = match canon {
            Canon::Skip => Field::Skipped,
            Canon::Big | Canon::Char if long.get(n).copied().unwrap_or(false) => Field::Big,
            _ => Field::Plain,
        };
        if field == Field::Big {
            // char(n) as text loses its padding, as the sent value is compared
            let text = if canon == Canon::Char { format!("{q}::text") } else { q.clone() };
            let (bytes, len) = match (&c.ty, utf8) {
                (PgType::Bytea, _) => (q.clone(), format!("octet_length({q})")),
                (_, true) => (format!("convert_to({text}, 'UTF8')"), format!("octet_length({text})")),
                (_, false) => {
                    (format!("convert_to({text}, 'UTF8')"), format!("octet_length(convert_to({text}, 'UTF8'))"))
                }
            };
            select.push(format!("CASE WHEN {len} > {BIG_VALUE} THEN NULL ELSE {q} END"));
            select.push(format!("CASE WHEN {len} > {BIG_VALUE} THEN sha256({bytes}) END"));
        } else if field == Field::Plain {
            select.push(q);
        }
        fields.push(field);
    }
    let sql = format!(
        "COPY (SELECT {} FROM {}.{}) TO STDOUT (FORMAT binary)",
        select.join(", "),
        quote_ident(schema),
        quote_ident(table)
    );
    let stream = pg.client().copy_out(&sql).await.map_err(err)?;
    pin_mut!(stream);
    let mut parser = Parser { fields, width: select.len(), header: false, values: Vec::new() };
    // bytes of a row that spans two messages (PostgreSQL sends a row per message, after the header)
    let mut held = BytesMut::new();
    let mut ended = false;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(err)?;
        if held.is_empty() {
            let (used, end) = parser.rows(&chunk, rows).map_err(|why| bad(table, why))?;
            ended |= end;
            held.extend_from_slice(&chunk[used..]);
        } else {
            held.extend_from_slice(&chunk);
            let (used, end) = parser.rows(&held, rows).map_err(|why| bad(table, why))?;
            ended |= end;
            held.advance(used);
        }
    }
    if !ended || !held.is_empty() {
        return Err(bad(table, "the COPY data ended early"));
    }
    Ok(())
}

fn bad(table: &str, why: &str) -> Error {
    Error::other(format!("read back \"{table}\": unexpected binary COPY data from postgresql: {why}"))
}

/// Binary COPY data (see PostgreSQL's "Binary Format"), taken apart row by row.
struct Parser {
    fields: Vec<Field>,
    /// Fields per row in the COPY.
    width: usize,
    header: bool,
    /// The current row's fields.
    values: Vec<Option<(usize, usize)>>,
}

const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

impl Parser {
    /// Feed the whole rows at the start of `data` to `rows`: the bytes used, and whether the end of the data
    /// came.
    fn rows(&mut self, data: &[u8], rows: &mut Rows) -> std::result::Result<(usize, bool), &'static str> {
        let mut at = 0;
        if !self.header {
            let Some(ext) = be32(data, SIGNATURE.len() + 4) else { return Ok((0, false)) };
            if !data.starts_with(SIGNATURE) {
                return Err("no binary COPY signature");
            }
            let ext = usize::try_from(ext).map_err(|_| "bad header")?;
            at = SIGNATURE.len() + 8 + ext;
            if data.len() < at {
                return Ok((0, false));
            }
            self.header = true;
        }
        loop {
            let Some(count) = data.get(at..at + 2).map(|b| i16::from_be_bytes([b[0], b[1]])) else {
                return Ok((at, false));
            };
            if count == -1 {
                return Ok((at + 2, true));
            }
            if usize::try_from(count).ok() != Some(self.width) {
                return Err("a row with another number of fields");
            }
            // the whole row first, so that a row split between messages is fed once
            self.values.clear();
            let mut end = at + 2;
            for _ in 0..self.width {
                let Some(len) = be32(data, end) else { return Ok((at, false)) };
                end += 4;
                if len < 0 {
                    self.values.push(None);
                    continue;
                }
                let len = usize::try_from(len).map_err(|_| "bad field length")?;
                self.values.push(Some((end, len)));
                end += len;
            }
            if data.len() < end {
                return Ok((at, false));
            }
            self.feed(data, rows);
            at = end;
        }
    }

    fn feed(&self, data: &[u8], rows: &mut Rows) {
        let value = |i: usize| self.values.get(i).copied().flatten().map(|(from, len)| &data[from..from + len]);
        let mut i = 0;
        for field in &self.fields {
            match field {
                Field::Skipped => rows.skip(),
                Field::Plain => {
                    match value(i) {
                        Some(v) => rows.value(v),
                        None => rows.null(),
                    }
                    i += 1;
                }
                Field::Big => {
                    match (value(i), value(i + 1)) {
                        (_, Some(sha)) => rows.hashed(sha),
                        (Some(v), None) => rows.value(v),
                        (None, None) => rows.null(),
                    }
                    i += 2;
                }
            }
        }
        rows.end_row(String::new);
    }
}

/// The big-endian i32 at `at`, if `data` holds it.
fn be32(data: &[u8], at: usize) -> Option<i32> {
    data.get(at..at + 4).map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Binary COPY data of `rows` (each field a value or NULL), with the end marker.
    fn copy_data(rows: &[Vec<Option<&[u8]>>]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend_from_slice(&0i32.to_be_bytes());
        out.extend_from_slice(&3i32.to_be_bytes());
        out.extend_from_slice(b"ext");
        for row in rows {
            out.extend_from_slice(&i16::try_from(row.len()).unwrap().to_be_bytes());
            for f in row {
                match f {
                    Some(v) => {
                        out.extend_from_slice(&i32::try_from(v.len()).unwrap().to_be_bytes());
                        out.extend_from_slice(v);
                    }
                    None => out.extend_from_slice(&(-1i32).to_be_bytes()),
                }
            }
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        out
    }

    /// The digest of `data` parsed in messages of `size` bytes, as `read` holds a row split between them.
    fn parsed(data: &[u8], fields: Vec<Field>, width: usize, size: usize) -> (crate::report::Digest, bool) {
        let mut parser = Parser { fields, width, header: false, values: Vec::new() };
        let mut rows = Rows::new(vec![Canon::Raw, Canon::Big]);
        let (mut held, mut ended) = (Vec::new(), false);
        for chunk in data.chunks(size) {
            held.extend_from_slice(chunk);
            let (used, end) = parser.rows(&held, &mut rows).unwrap();
            ended |= end;
            held.drain(..used);
        }
        assert!(held.is_empty());
        (rows.finish(), ended)
    }

    #[test]
    fn rows_split_anywhere_between_messages_are_fed_once_each() {
        let rows = vec![vec![Some(&b"1"[..]), Some(&b"alpha"[..])], vec![Some(b"2"), None], vec![None, Some(b"")]];
        let data = copy_data(&rows);
        let mut expected = Rows::new(vec![Canon::Raw, Canon::Big]);
        for row in &rows {
            for f in row {
                match f {
                    Some(v) => expected.value(v),
                    None => expected.null(),
                }
            }
            expected.end_row(String::new);
        }
        let expected = expected.finish();
        for size in [1, 2, 3, 7, 19, data.len()] {
            let (digest, ended) = parsed(&data, vec![Field::Plain, Field::Plain], 2, size);
            assert_eq!(digest, expected, "messages of {size} bytes");
            assert!(ended);
        }
        // without the end marker, the data did not end
        let (_, ended) = parsed(&data[..data.len() - 2], vec![Field::Plain, Field::Plain], 2, 5);
        assert!(!ended);
    }

    #[test]
    fn a_big_field_is_its_value_or_the_sha256_postgresql_sent_beside_it() {
        let sha = [9u8; 32];
        let data = copy_data(&[vec![Some(b"1"), None, Some(&sha)], vec![Some(b"2"), Some(b"v"), None]]);
        let (digest, _) = parsed(&data, vec![Field::Plain, Field::Big], 3, 4);
        let mut expected = Rows::new(vec![Canon::Raw, Canon::Big]);
        expected.value(b"1");
        expected.hashed(&sha);
        expected.end_row(String::new);
        expected.value(b"2");
        expected.value(b"v");
        expected.end_row(String::new);
        assert_eq!(digest, expected.finish());
    }

    #[test]
    fn data_that_is_not_binary_copy_is_an_error() {
        let mut parser = Parser { fields: vec![Field::Plain], width: 1, header: false, values: Vec::new() };
        let mut rows = Rows::new(vec![Canon::Raw]);
        assert!(parser.rows(b"id,name\n1,alpha\n2,beta\n", &mut rows).is_err());
        // a row of another width
        let data = copy_data(&[vec![Some(b"1"), Some(b"2")]]);
        let mut parser = Parser { fields: vec![Field::Plain], width: 1, header: false, values: Vec::new() };
        assert!(parser.rows(&data, &mut rows).is_err());
    }
}
