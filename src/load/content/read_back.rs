//! One table read back from PostgreSQL with binary COPY, its rows hashed as they were hashed when sent

use futures_util::{pin_mut, StreamExt};
use tokio_postgres::binary_copy::BinaryCopyOutStream;
use tokio_postgres::types::{FromSql, Type};
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

/// A field's bytes as PostgreSQL sent them, whatever its type.
struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> std::result::Result<Raw<'a>, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Read every row of `plan`'s table in `schema` (the loaded columns, in the order they were sent) and feed it to
/// `rows`. A text, varchar or bytea value above [`BIG_VALUE`] comes back as its SHA-256, computed by PostgreSQL.
pub(crate) async fn read(pg: &impl GenericClient, schema: &str, plan: &TablePlan, rows: &mut Rows) -> Result<()> {
    let table = &plan.target;
    // made only when there is an error: this runs for every field
    let err = |e: tokio_postgres::Error| Error::pg(format!("read back \"{table}\""))(e);
    // the bytes sent were UTF-8; a server in another encoding stores text in that one, so its length differs
    let utf8: bool = pg
        .query_one("SELECT current_setting('server_encoding') = 'UTF8'", &[])
        .await
        .map_err(Error::pg("read the server encoding"))?
        .get(0);
    let mut select = Vec::new();
    let mut fields = Vec::new();
    for (c, canon) in plan.columns.iter().zip(super::canons(plan)) {
        let q = quote_ident(&c.target);
        fields.push(match canon {
            Canon::Skip => Field::Skipped,
            Canon::Big | Canon::Char => Field::Big,
            _ => Field::Plain,
        });
        if canon == Canon::Skip {
            continue;
        }
        if matches!(canon, Canon::Big | Canon::Char) {
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
        } else {
            select.push(q);
        }
    }
    let sql = format!(
        "COPY (SELECT {} FROM {}.{}) TO STDOUT (FORMAT binary)",
        select.join(", "),
        quote_ident(schema),
        quote_ident(table)
    );
    let stream = pg.client().copy_out(&sql).await.map_err(err)?;
    let stream = BinaryCopyOutStream::new(stream, &vec![Type::BYTEA; select.len()]);
    pin_mut!(stream);
    while let Some(row) = stream.next().await {
        let row = row.map_err(err)?;
        let mut i = 0;
        for field in &fields {
            if *field == Field::Skipped {
                rows.skip();
                continue;
            }
            let is_big = *field == Field::Big;
            let value: Option<Raw<'_>> = row.try_get(i).map_err(err)?;
            let hashed: Option<Raw<'_>> = if is_big { row.try_get(i + 1).map_err(err)? } else { None };
            i += if is_big { 2 } else { 1 };
            match (value, hashed) {
                (_, Some(sha)) => rows.hashed(sha.0),
                (Some(v), None) => rows.value(v.0),
                (None, None) => rows.null(),
            }
        }
        rows.end_row(String::new);
    }
    Ok(())
}
