//! After a mismatch: the rows of the differing groups hashed again on both sides, matched up, and the changed ones named

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tokio_postgres::GenericClient;

use super::digest::Kept;
use super::read_back;
use crate::error::{Error, Result};
use crate::load::plan::TablePlan;
use crate::sqlite::Source;

/// How many changed rows are named; the others are counted.
const SHOWN: usize = 10;

/// Read the rows of the groups marked in `groups` again, from SQLite (converted as they were sent, so each is named
/// by its SQLite rowid or key) and from PostgreSQL, and describe the rows that differ: table, column and row, never
/// a value. Holds only the rows of those groups.
pub(crate) async fn locate(
    pg: &impl GenericClient,
    source: &Source,
    schema: &str,
    plan: &TablePlan,
    long: &[bool],
    groups: Vec<bool>,
) -> Result<Vec<String>> {
    let conn = source.reopen()?;
    let spec = crate::load::plan::read_spec(plan);
    let mut sent = super::hasher(plan).keeping(groups.clone());
    let (sender, mut receiver) = tokio::sync::mpsc::channel(4);
    let reader = tokio::task::spawn_blocking(move || {
        let progress = Arc::new(AtomicU64::new(0));
        crate::load::rows::read_table(&conn, &spec, &sender, &progress, Some(&mut sent)).map(|_| sent)
    });
    // the COPY data is not needed again, only the hashes
    while receiver.recv().await.is_some() {}
    let sent = reader.await.map_err(|e| Error::other(format!("reader of \"{}\" failed", plan.source)).because(e))??;
    let mut back = super::hasher(plan).keeping(groups);
    read_back::read(pg, schema, plan, long, &mut back).await?;
    Ok(describe(plan, sent.kept(), back.kept()))
}

/// The rows sent that were not read back, each paired with the row read back (and not sent) that shares most of its
/// fields: their differing columns are named. Rows on one side only are named as such.
fn describe(plan: &TablePlan, mut sent: Vec<Kept>, mut back: Vec<Kept>) -> Vec<String> {
    let table = &plan.source;
    sent.sort_unstable_by_key(|k| k.hash);
    back.sort_unstable_by_key(|k| k.hash);
    let (mut only_sent, mut only_back) = (Vec::new(), Vec::new());
    let (mut s, mut b) = (sent.into_iter().peekable(), back.into_iter().peekable());
    loop {
        match (s.peek(), b.peek()) {
            (Some(x), Some(y)) if x.hash == y.hash => {
                s.next();
                b.next();
            }
            (Some(x), Some(y)) if x.hash < y.hash => only_sent.extend(s.next()),
            (Some(_), Some(_)) => only_back.extend(b.next()),
            (Some(_), None) => only_sent.extend(s.next()),
            (None, Some(_)) => only_back.extend(b.next()),
            (None, None) => break,
        }
    }
    let mut problems = Vec::new();
    let mut paired = vec![false; only_back.len()];
    for row in only_sent.iter().take(SHOWN) {
        let same = |other: &Kept| row.fields.iter().zip(&other.fields).filter(|(a, b)| a == b).count();
        let best = only_back
            .iter()
            .enumerate()
            .filter(|(i, _)| !paired.get(*i).copied().unwrap_or(true))
            .map(|(i, other)| (i, same(other)))
            .max_by_key(|(_, n)| *n);
        match best {
            Some((i, n)) if n > 0 || plan.columns.len() == 1 => {
                paired[i] = true;
                let other = &only_back[i];
                for (column, _) in
                    plan.columns.iter().zip(row.fields.iter().zip(&other.fields)).filter(|(_, (a, b))| a != b)
                {
                    problems.push(format!(
                        "table \"{table}\", column \"{}\", {}: the value read back from postgresql differs from the \
                         value sent",
                        column.source, row.name
                    ));
                }
            }
            _ => problems.push(format!(
                "table \"{table}\", {}: no row read back from postgresql matches this row in any column",
                row.name
            )),
        }
    }
    if only_sent.len() > SHOWN {
        problems.push(format!(
            "table \"{table}\": {} more row(s) read back differ from the rows sent",
            only_sent.len() - SHOWN
        ));
    }
    if only_sent.is_empty() && !only_back.is_empty() {
        problems.push(format!("table \"{table}\": postgresql holds {} row(s) that were not sent", only_back.len()));
    }
    if problems.is_empty() {
        problems.push(format!(
            "table \"{table}\": the rows read back differ from the rows sent, but reading both again found no \
             difference (did the table change during verification?)"
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::plan::ColumnPlan;
    use crate::translate::values::{ColumnFormat, PgType};

    fn plan(columns: &[&str]) -> TablePlan {
        TablePlan {
            source: "t".into(),
            target: "t".into(),
            columns: columns
                .iter()
                .map(|c| ColumnPlan {
                    source: c.to_string(),
                    target: c.to_string(),
                    ty: PgType::Text,
                    format: ColumnFormat::Auto,
                    nulls: 0,
                    note: None,
                    round_time: false,
                })
                .collect(),
            rowid_name: Some("rowid"),
            key_columns: Vec::new(),
            source_rows: 0,
            search: None,
        }
    }

    fn kept(hash: u128, fields: &[u64], name: &str) -> Kept {
        Kept { hash, fields: fields.to_vec(), name: name.into() }
    }

    #[test]
    fn a_changed_row_is_named_with_its_changed_columns() {
        let p = plan(&["id", "name", "note"]);
        let sent = vec![kept(1, &[1, 10, 100], "sqlite rowid 1"), kept(2, &[2, 20, 200], "sqlite rowid 2")];
        let back = vec![kept(1, &[1, 10, 100], ""), kept(3, &[2, 21, 200], "")];
        assert_eq!(
            describe(&p, sent, back),
            vec![
                "table \"t\", column \"name\", sqlite rowid 2: the value read back from postgresql differs from the \
                  value sent"
            ]
        );
    }

    #[test]
    fn duplicates_count_and_rows_on_one_side_are_named() {
        let p = plan(&["a", "b"]);
        // the same row twice, read back once, and a row nothing resembles
        let sent = vec![kept(5, &[1, 2], "sqlite rowid 1"), kept(5, &[1, 2], "sqlite rowid 2")];
        let back = vec![kept(5, &[1, 2], ""), kept(9, &[7, 8], "")];
        let got = describe(&p, sent, back);
        assert_eq!(
            got,
            vec!["table \"t\", sqlite rowid 2: no row read back from postgresql matches this row in any column"]
        );
        let got = describe(&p, Vec::new(), vec![kept(9, &[7, 8], "")]);
        assert_eq!(got, vec!["table \"t\": postgresql holds 1 row(s) that were not sent"]);
        let got = describe(&p, vec![kept(5, &[1, 2], "x")], vec![kept(5, &[1, 2], "")]);
        assert!(got[0].contains("found no difference"), "{got:?}");
    }

    #[test]
    fn only_the_first_rows_are_named() {
        let p = plan(&["v"]);
        let sent: Vec<Kept> = (0..15u64).map(|i| kept(u128::from(i), &[i], &format!("sqlite rowid {i}"))).collect();
        let back: Vec<Kept> = (0..15u64).map(|i| kept(u128::from(i) + 100, &[i + 100], "")).collect();
        let got = describe(&p, sent, back);
        assert_eq!(got.len(), SHOWN + 1);
        assert!(got[0].contains("column \"v\", sqlite rowid 0"), "{got:?}");
        assert_eq!(got[SHOWN], "table \"t\": 5 more row(s) read back differ from the rows sent");
    }
}
