//! The integration tests, one binary: every test that works in a fresh database shares the one throwaway
//! PostgreSQL cluster of the process (`PgCluster::shared`); tests that restart, reconfigure or limit a server
//! start their own. Run one module with `cargo test --locked --test it reruns::`.

// the cluster harness stays in tests/common: the unit tests of src/connect include its pg.rs by path
#[path = "../common/mod.rs"]
mod common;
mod support;

mod bad_input;
mod collations;
mod expressions;
mod fleet;
mod harness;
mod large_values;
mod leave_out;
mod live_source;
mod many_tables;
mod pipeline;
mod pocketbase;
mod pooler;
mod prisma_schema;
mod reruns;
mod schema_file_staged;
mod seeded_target;
mod user_schema;
mod values;
mod verify_content;
mod virtual_tables;
