//! Bad input, black-box: every case asserts its exit code, a message that makes it clear, a target left exactly
//! as it was, and that neither the password (in DATABASE_URL, then in PGPASSWORD) nor a row value ever shows up
//! in stdout, stderr or the REPORT_PATH json

mod config_cases;
mod env_cases;
mod file_cases;
mod harness;
mod name_cases;
mod value_cases;
