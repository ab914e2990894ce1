//! connecting to postgresql: the target from the environment, TLS per sslmode, waiting until it is ready

mod params;
pub(crate) mod session;
mod target;
mod tls;
mod wait;

pub use target::{Target, TargetError};
pub(crate) use tls::MakeTls;
pub(crate) use wait::wait_ready;

pub(crate) use crate::error::describe_error;

#[cfg(test)]
mod tests;
