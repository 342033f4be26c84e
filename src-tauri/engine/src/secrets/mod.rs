//! The Secrets port: GitHub tokens and agent API keys live in the OS keychain
//! and nowhere else (never SQLite, files or logs); this is the one way in.

mod front;
mod keychain;
mod memory;
mod name;

use serde::Serialize;

use crate::error::EngineResult;

pub use front::{check_stored_token, list_secrets, on_keychain, remove_secret, save_secret, SavedSecret};
pub use keychain::{check_available, KeychainSecrets, DEFAULT_SERVICE, SERVICE_ENV};
pub use memory::MemorySecrets;
pub use name::SecretName;

/// Where secret values are kept. Every call may block on the OS keychain
/// (a D-Bus round trip on Linux): from async code, call it inside
/// `tokio::task::spawn_blocking`.
pub trait SecretStore: Send + Sync {
    /// Stores `value` under `name`, replacing any earlier value.
    fn set(&self, name: &SecretName, value: &str) -> EngineResult<()>;
    /// The value stored under `name`, `None` when there is none.
    fn get(&self, name: &SecretName) -> EngineResult<Option<String>>;
    /// Every stored name (never a value), sorted.
    fn list(&self) -> EngineResult<Vec<SecretName>>;
    /// Removes `name`; `false` when nothing was stored under it.
    fn remove(&self, name: &SecretName) -> EngineResult<bool>;
}

/// What kind of secret a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// A GitHub token for one host and account (`github:github.com:alice`).
    GithubToken,
    /// An agent's API key, handed to its container as this environment
    /// variable (`ANTHROPIC_API_KEY`).
    ApiKey,
}

/// One stored secret as the UI lists it: its name, never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SecretInfo {
    /// The full name, e.g. `github:github.com:alice` or `OPENAI_API_KEY`.
    pub name: String,
    pub kind: SecretKind,
    /// The GitHub host, for tokens.
    pub host: Option<String>,
    /// The GitHub account, for tokens.
    pub account: Option<String>,
}

impl From<&SecretName> for SecretInfo {
    fn from(name: &SecretName) -> Self {
        match name {
            SecretName::GithubToken { host, account } => Self {
                name: name.to_string(),
                kind: SecretKind::GithubToken,
                host: Some(host.clone()),
                account: Some(account.clone()),
            },
            SecretName::ApiKey(_) => {
                Self { name: name.to_string(), kind: SecretKind::ApiKey, host: None, account: None }
            }
        }
    }
}

/// The GitHub token to use for `host`: the first stored account's, by name
/// order. `None` when no token for that host is stored.
pub fn github_token_for(store: &dyn SecretStore, host: &str) -> EngineResult<Option<(SecretName, String)>> {
    for name in store.list()? {
        if matches!(&name, SecretName::GithubToken { host: h, .. } if h.eq_ignore_ascii_case(host)) {
            if let Some(token) = store.get(&name)? {
                return Ok(Some((name, token)));
            }
        }
    }
    Ok(None)
}
