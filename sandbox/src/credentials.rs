//! The credentials a sandbox prints and tests log in with.

use std::fmt;

/// The credentials of the sandbox's reseller account. `Debug` shows only the username.
#[derive(Clone)]
#[non_exhaustive]
pub struct TestCredentials {
    /// Username (an e-mail address).
    pub username: String,
    /// Password.
    pub password: String,
    /// An API key with full access.
    pub api_key: String,
    /// An API key that may not change anything.
    pub read_only_key: String,
    /// An API key that may not do anything that costs money.
    pub modify_only_key: String,
}

impl fmt::Debug for TestCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}
