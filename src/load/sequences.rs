//! After the load: every sequence of the target schema moved past the columns it feeds, or listed with its value
//!
//! A sequence feeds a column when it is the column's identity or serial sequence, when the column's default calls
//! `nextval` on it (found in pg_depend), when a trigger function assigns `NEW.column := nextval('name')` or selects
//! `nextval('name') INTO NEW.column` (found in the function's body, pg_proc.prosrc), or when SEQUENCES ties it
//! (`seq:table.column`; for sequences the application draws from in its own code). Each such sequence is moved forward, never back, past the largest
//! value of all its columns, and checked; identity and serial sequences alone are left to the load of their tables
//! (`schema::user::reset_sequences`, identity restarts). The others are logged and reported with their value:
//! nothing tells what they count.

use tokio_postgres::{GenericClient, Transaction};

use super::batch;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ident::quote_ident;

pub(crate) use crate::report::SequenceState;

/// Every sequence of schema `$1` with the (table, column, how) it feeds, from the catalogs.
const FEEDS: &str = r#"
WITH seqs AS (
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'S'
), bodies AS (
    SELECT t.tgrelid AS rel, p.prosrc AS src FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal
), uses AS (
    -- NEW.col := nextval('seq')
    SELECT b.rel, m[1] AS col, m[2] AS seq FROM bodies b CROSS JOIN LATERAL regexp_matches(b.src,
        'new\s*\.\s*("(?:[^"]|"")+"|[a-z_][a-z_0-9$]*)\s*:?=\s*nextval\s*\(\s*''([^'']+)''', 'gi') m
    UNION ALL
    -- SELECT nextval('seq') INTO NEW.col
    SELECT b.rel, m[2], m[1] FROM bodies b CROSS JOIN LATERAL regexp_matches(b.src,
        'nextval\s*\(\s*''([^'']+)''(?:::[a-z]+)?\s*\)\s*into\s+new\s*\.\s*("(?:[^"]|"")+"|[a-z_][a-z_0-9$]*)', 'gi') m
), feeds AS (
    SELECT d.objid AS seq, d.refobjid AS rel, d.refobjsubid AS att, 'identity' AS how
    FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      AND d.refobjsubid > 0 AND d.objid IN (SELECT oid FROM seqs)
    UNION
    SELECT d.refobjid, ad.adrelid, ad.adnum, 'default'
    FROM pg_depend d JOIN pg_attrdef ad ON ad.oid = d.objid
    WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM seqs)
    UNION
    SELECT to_regclass(CASE WHEN u.seq LIKE '%.%' THEN u.seq ELSE quote_ident($1) || '.' || u.seq END), u.rel, a.attnum, 'trigger'
    FROM uses u
    JOIN pg_attribute a ON a.attrelid = u.rel AND NOT a.attisdropped AND a.attname = CASE WHEN u.col LIKE '"%'
        THEN replace(substr(u.col, 2, length(u.col) - 2), '""', '"') ELSE lower(u.col) END
)
SELECT quote_ident($1) || '.' || quote_ident(c.relname) AS seq_sql, c.relname::text AS seq,
       quote_ident(rn.nspname) || '.' || quote_ident(r.relname) AS table_sql, r.relname::text AS table_name,
       a.attname::text AS column_name, f.how
FROM seqs s JOIN pg_class c ON c.oid = s.oid
LEFT JOIN feeds f ON f.seq = s.oid
LEFT JOIN pg_class r ON r.oid = f.rel
LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = f.rel AND a.attnum = f.att
ORDER BY 2, 4, 5"#;

/// One sequence and what it feeds, as gathered.
struct Fed {
    sql: String,
    name: String,
    /// (quoted table, table, column, negated: the column holds the sequence's values negated)
    columns: Vec<(String, String, String, bool)>,
    found_by: Vec<String>,
}

/// Move every sequence of the target schema that feeds a column past the column's largest value, verify it, and
/// list the rest; returns each sequence's state for the report.
pub(crate) async fn settle(client: &Transaction<'_>, config: &Config) -> Result<Vec<SequenceState>> {
    let schema = &config.target_schema;
    let rows =
        client.query(FEEDS, &[&schema.as_str()]).await.map_err(Error::pg("read the sequences of the target schema"))?;
    let mut all: Vec<Fed> = Vec::new();
    for row in rows {
        let name: String = row.get("seq");
        if all.last().is_none_or(|f| f.name != name) {
            all.push(Fed { sql: row.get("seq_sql"), name: name.clone(), columns: Vec::new(), found_by: Vec::new() });
        }
        let (Some(fed), Some(table_sql), Some(table), Some(column), Some(how)) = (
            all.last_mut(),
            row.get::<_, Option<String>>("table_sql"),
            row.get::<_, Option<String>>("table_name"),
            row.get::<_, Option<String>>("column_name"),
            row.get::<_, Option<String>>("how"),
        ) else {
            continue;
        };
        add(fed, (table_sql, table, column, false), &how);
    }
    for (seq, table, column, negated) in &config.sequences {
        let fed = find(&mut all, |f| &f.name, seq).ok_or_else(|| {
            Error::schema(format!("SEQUENCES names sequence \"{seq}\", which target schema \"{schema}\" does not have"))
        })?;
        let (q, t, c) = tied_column(client, schema, table, column).await?;
        add(fed, (q, t, c, *negated), "SEQUENCES");
    }
    let read = read_together(client, &all).await?;
    let mut out = Vec::new();
    for (n, fed) in all.iter().enumerate() {
        out.push(move_past(client, fed, read.get(n).copied()).await?);
    }
    Ok(out)
}

/// The (last_value, is_called) of every sequence, read in one query per [`batch::CHUNK`] sequences: with a sequence
/// per table, a round trip each would add up. Empty when PostgreSQL refused it: [`move_past`] then reads each
/// sequence itself, and its error names the sequence.
async fn read_together(tx: &Transaction<'_>, all: &[Fed]) -> Result<Vec<(i64, bool)>> {
    let mut read = Vec::new();
    for chunk in all.chunks(batch::CHUNK) {
        // one scan of each sequence, both values in one text: "<last_value> <is_called>"
        let columns: Vec<String> =
            chunk.iter().map(|f| format!("(SELECT last_value || ' ' || is_called FROM {})", f.sql)).collect();
        let row = batch::row(tx, &format!("SELECT {}", columns.join(", "))).await?.unwrap_or_default();
        if row.len() != chunk.len() {
            return Ok(Vec::new());
        }
        for value in &row {
            let Some((last, called)) = value.as_deref().and_then(|v| v.split_once(' ')) else { return Ok(Vec::new()) };
            read.push((batch::number(Some(last))?.unwrap_or(0), matches!(called, "true" | "t")));
        }
    }
    Ok(read)
}

fn add(fed: &mut Fed, column: (String, String, String, bool), how: &str) {
    if !fed.columns.contains(&column) {
        fed.columns.push(column);
    }
    if !fed.found_by.iter().any(|h| h == how) {
        fed.found_by.push(how.to_string());
    }
}

/// The exact name, else the only one matching case-insensitively.
fn find<'a, T>(items: &'a mut [T], name: impl Fn(&T) -> &String, wanted: &str) -> Option<&'a mut T> {
    let exact = items.iter().position(|i| name(i) == wanted);
    let loose = || {
        let matches: Vec<usize> =
            items.iter().enumerate().filter(|(_, i)| name(i).eq_ignore_ascii_case(wanted)).map(|(n, _)| n).collect();
        (matches.len() == 1).then(|| matches[0])
    };
    exact.or_else(loose).map(move |n| &mut items[n])
}

/// The column SEQUENCES names, as (quoted table, table, column), or a schema error.
async fn tied_column(
    client: &impl GenericClient,
    schema: &str,
    table: &str,
    column: &str,
) -> Result<(String, String, String)> {
    let rows = client
        .query(
            "SELECT c.relname::text, a.attname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND lower(c.relname) = lower($2) AND lower(a.attname) = lower($3) \
             ORDER BY (c.relname = $2 AND a.attname = $3) DESC",
            &[&schema, &table, &column],
        )
        .await
        .map_err(Error::pg("look up a SEQUENCES column"))?;
    let exact = rows.iter().find(|r| r.get::<_, String>(0) == table && r.get::<_, String>(1) == column);
    let row = match (exact, rows.as_slice()) {
        (Some(r), _) | (None, [r]) => r,
        _ => {
            return Err(Error::schema(format!(
                "SEQUENCES names column \"{table}\".\"{column}\", which target schema \"{schema}\" does not have"
            )))
        }
    };
    let (t, c): (String, String) = (row.get(0), row.get(1));
    Ok((format!("{}.{}", quote_ident(schema), quote_ident(&t)), t, c))
}

/// Move one sequence forward past its columns' largest value (if it is not past it already) and check it.
async fn move_past(client: &impl GenericClient, fed: &Fed, read_before: Option<(i64, bool)>) -> Result<SequenceState> {
    let what = |s: &str| format!("{s} sequence \"{}\"", fed.name);
    let read = |sql: String| async move {
        let r = client
            .query_one(&format!("SELECT last_value, is_called FROM {sql}"), &[])
            .await
            .map_err(Error::pg(what("read the")))?;
        Ok::<_, Error>((r.get::<_, i64>(0), r.get::<_, bool>(1)))
    };
    let (last, called) = match read_before {
        Some(read) => read,
        None => read(fed.sql.clone()).await?,
    };
    let columns: Vec<String> =
        fed.columns.iter().map(|(_, t, c, neg)| format!("{}{t}.{c}", if *neg { "-" } else { "" })).collect();
    let mut state = SequenceState {
        sequence: fed.name.clone(),
        columns: columns.clone(),
        found_by: fed.found_by.clone(),
        last_value: last,
        is_called: called,
        moved: false,
    };
    if fed.columns.is_empty() {
        log::warn!(
            "sequence \"{}\" feeds no column sqlite2pg can see (no identity, default or trigger uses it): left at {last}{}; \
             if the application draws from it, tie it with SEQUENCES={}:table.column",
            fed.name,
            if called { "" } else { " (not used yet)" },
            fed.name
        );
        return Ok(state);
    }
    if fed.found_by.iter().all(|h| h == "identity") {
        // identity and serial sequences are moved with their tables' load (schema::user::reset_sequences, identity restarts)
        return Ok(state);
    }
    let maxes: Vec<String> = fed
        .columns
        .iter()
        .map(|(q, _, c, neg)| {
            format!("SELECT max({}{})::bigint AS m FROM {q}", if *neg { "-" } else { "" }, quote_ident(c))
        })
        .collect();
    let max: Option<i64> = client
        .query_one(&format!("SELECT max(m) FROM ({}) x", maxes.join(" UNION ALL ")), &[])
        .await
        .map_err(|e| {
            Error::schema(format!("{} ({})", what("the largest value of the columns of"), columns.join(", ")))
                .because(e)
        })?
        .get(0);
    let next = if called { last.saturating_add(1) } else { last };
    let Some(max) = max.filter(|m| *m >= next) else {
        log::info!("sequence \"{}\" ({}) is past the largest value already", fed.name, columns.join(", "));
        return Ok(state);
    };
    crate::postgres::catalog::set_sequence(client, &fed.sql, max).await.map_err(|e| {
        Error::data(format!("{} past {}: {}", what("cannot move the"), columns.join(", "), e.message()))
    })?;
    let (last, called) = read(fed.sql.clone()).await?;
    if !(called && last >= max) {
        return Err(Error::data(format!(
            "{} stands at {last}, not past {max}, the largest value of {}",
            what("the"),
            columns.join(", ")
        )));
    }
    log::info!(
        "sequence \"{}\" moved past {max}, the largest value of {} ({})",
        fed.name,
        columns.join(", "),
        fed.found_by.join(", ")
    );
    state.last_value = last;
    state.is_called = called;
    state.moved = true;
    Ok(state)
}
