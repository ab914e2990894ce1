//! connecting to postgresql: the target from the environment, TLS per sslmode, waiting until it is ready

mod params;
pub mod session;
mod target;
mod tls;
mod wait;

pub use target::{SslMode, Target, TargetError};
pub use tls::MakeTls;
pub use wait::{wait_ready, WaitError};

pub use crate::error::describe_error;

#[cfg(test)]
mod tests;
