//! The load: plan the tables, create them, copy the rows, build keys and indexes, verify, record the run

pub mod constraints;
pub mod copy;
pub mod foreign_keys;
pub mod fts_onto;
pub mod onto;
pub mod plan;
pub mod rows;
pub mod schema;
pub mod seeds;
pub mod sequences;
pub mod staged;
pub mod verify;
