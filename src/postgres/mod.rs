//! The PostgreSQL side: connect, read its catalog, lock, the ledger, the application's migrations, ON_EXISTING

pub(crate) mod catalog;
pub mod connect;
pub(crate) mod existing;
pub(crate) mod ledger;
pub mod lock;
pub(crate) mod migrations;

/// The hidden schema a staged load builds its tables in before publishing them.
pub(crate) const STAGING_SCHEMA: &str = "sqlite2pg_staging";
