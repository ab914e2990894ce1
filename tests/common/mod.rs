//! shared helpers for integration tests
#![allow(dead_code)]

pub mod pg;
pub mod pgbouncer;
