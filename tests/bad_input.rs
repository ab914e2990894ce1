//! Bad input, black-box: every case asserts its exit code, a message that makes it clear, a target left exactly
//! as it was, and that neither the password (in DATABASE_URL, then in PGPASSWORD) nor a row value ever shows up
//! in stdout, stderr or the REPORT_PATH json

mod common;
mod support;

#[path = "bad_input/config_cases.rs"]
mod config_cases;
#[path = "bad_input/env_cases.rs"]
mod env_cases;
#[path = "bad_input/file_cases.rs"]
mod file_cases;
#[path = "bad_input/harness.rs"]
mod harness;
#[path = "bad_input/name_cases.rs"]
mod name_cases;
#[path = "bad_input/value_cases.rs"]
mod value_cases;
