//! The PostgreSQL side: connect, read its catalog, lock, the ledger, the application's migrations, ON_EXISTING

pub mod catalog;
pub mod connect;
pub mod existing;
pub mod ledger;
pub mod lock;
pub mod migrations;

/// The hidden schema a staged load builds its tables in before publishing them.
pub const STAGING_SCHEMA: &str = "sqlite2pg_staging";
