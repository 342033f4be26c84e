//! The Secrets port: GitHub tokens and agent API keys live in the OS keychain
//! and nowhere else (never SQLite, files or logs); this is the one way in.

mod front;
mod keychain;
mod memory;
mod name;

use serde::Serialize;

use crate::error::{EngineError, EngineResult, ErrorCode};

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

/// The GitHub token to use for `host`: the `account`'s when the project
/// names one, else the only one stored for the host. `None` when the host
/// has none; an error when the named account has none, or when several
/// accounts have one and the project names none (which one pushes is the
/// person's choice, never a guess).
pub fn github_token_for(store: &dyn SecretStore, host: &str, account: Option<&str>) -> EngineResult<Option<(SecretName, String)>> {
    let for_host: Vec<SecretName> = store
        .list()?
        .into_iter()
        .filter(|n| matches!(n, SecretName::GithubToken { host: h, .. } if h.eq_ignore_ascii_case(host)))
        .collect();
    let account_of = |n: &SecretName| match n {
        SecretName::GithubToken { account, .. } => account.clone(),
        SecretName::ApiKey(_) => String::new(),
    };
    let chosen = match account {
        Some(wanted) => match for_host.iter().find(|n| account_of(n).eq_ignore_ascii_case(wanted)) {
            Some(name) => name.clone(),
            None => {
                return Err(EngineError::new(
                    ErrorCode::Keychain,
                    format!(
                        "no GitHub token for {wanted} on {host} in the keychain (the project's run.github_account): add it \
                         with `devteam-cli secrets set github:{host}:{wanted}`"
                    ),
                ))
            }
        },
        None => match for_host.as_slice() {
            [] => return Ok(None),
            [only] => only.clone(),
            several => {
                let accounts: Vec<String> = several.iter().map(account_of).collect();
                return Err(EngineError::new(
                    ErrorCode::Keychain,
                    format!(
                        "several GitHub tokens for {host} ({}): choose the account that pushes with \
                         `devteam-cli projects set PROJECT run.github_account=ACCOUNT` (or in the project's run settings)",
                        accounts.join(", ")
                    ),
                ));
            }
        },
    };
    Ok(store.get(&chosen)?.map(|token| (chosen, token)))
}
