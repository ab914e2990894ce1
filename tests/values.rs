//! every SQLite storage class into every target type, with PostgreSQL as the oracle
//!
//! Each case is a SQLite expression (evaluated by SQLite, so INTEGER, REAL, TEXT and BLOB are real
//! storage classes) and either the PostgreSQL literal it must equal or "rejected". Accepted values are
//! encoded by `sqlite2pg::translate::values::encode`, binary-COPYed into a one-column table, and `x::text` is
//! compared with `'<literal>'::type::text` as PostgreSQL computes it. Rejected values must give a
//! `ConvertError` whose message does not contain the value.

mod common;

#[path = "values/frameworks_js.rs"]
mod frameworks_js;
#[path = "values/frameworks_other.rs"]
mod frameworks_other;
#[path = "values/harness.rs"]
mod harness;
#[path = "values/round_time.rs"]
mod round_time;
#[path = "values/scalars.rs"]
mod scalars;
#[path = "values/structured.rs"]
mod structured;
#[path = "support/mod.rs"]
mod support;
#[path = "values/temporal.rs"]
mod temporal;
