//! Errors starting a sandbox.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Errors starting a sandbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The state file could not be read or written, or is not a state file this sandbox
    /// reads (the message says why).
    #[error("state file {}: {message}", path.display())]
    StateFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
