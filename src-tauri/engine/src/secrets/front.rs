//! What the window and `devteam-cli` do with the keychain, the same way:
//! store a secret (a GitHub token asked about first: one GitHub refuses is
//! not kept), list, remove, and check a stored token. Keychain calls block
//! on D-Bus, so they run on the blocking pool.

use serde::Serialize;

use super::{KeychainSecrets, SecretInfo, SecretName, SecretStore};
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::github::{api_base_for_host, GithubClient, TokenInfo};

/// A secret just stored, and for a GitHub token what GitHub said of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SavedSecret {
    pub secret: SecretInfo,
    /// Whose the token is and what it may do (with warnings).
    pub token: Option<TokenInfo>,
    /// Why the token could not be checked now (no network, GitHub down):
    /// it is stored all the same; check it later.
    pub not_checked: Option<String>,
}

/// Runs a keychain call off the async threads.
pub async fn on_keychain<T: Send + 'static>(call: impl FnOnce(&KeychainSecrets) -> EngineResult<T> + Send + 'static) -> EngineResult<T> {
    tokio::task::spawn_blocking(move || call(&KeychainSecrets::open()?))
        .await
        .map_err(|e| EngineError::internal(format!("the keychain call did not finish: {e}")))?
}

/// The REST API a token of `host` is checked with: `api_base` when given
/// (not blank), else the host's own.
fn api_base(host: &str, api_base: Option<&str>) -> String {
    api_base.map(str::trim).filter(|b| !b.is_empty()).map_or_else(|| api_base_for_host(host), str::to_string)
}

/// Stores `value` under `name`, replacing any earlier value. A GitHub token
/// is checked with GitHub first (unless `check` is false): refused, it is
/// not stored (`CredentialRejected`); unreachable, it is stored and
/// `not_checked` says why.
pub async fn save_secret(name: &SecretName, value: &str, api_base_url: Option<&str>, check: bool) -> EngineResult<SavedSecret> {
    let value = value.trim().to_string();
    if value.is_empty() {
        return Err(EngineError::new(ErrorCode::Validation, format!("no value given for {name}")));
    }
    let (mut token, mut not_checked) = (None, None);
    if let (SecretName::GithubToken { host, .. }, true) = (name, check) {
        match GithubClient::new(&api_base(host, api_base_url), &value)?.validate_token().await {
            Ok(info) => token = Some(info),
            Err(e) if e.code == ErrorCode::CredentialRejected => {
                return Err(EngineError::new(e.code, format!("{}; nothing was stored", e.message)));
            }
            Err(e) => not_checked = Some(e.message),
        }
    }
    let stored = name.clone();
    on_keychain(move |k| k.set(&stored, &value)).await?;
    Ok(SavedSecret { secret: SecretInfo::from(name), token, not_checked })
}

/// Asks GitHub whose the stored token `name` is and what it may do.
pub async fn check_stored_token(name: &SecretName, api_base_url: Option<&str>) -> EngineResult<TokenInfo> {
    let SecretName::GithubToken { host, .. } = name else {
        return Err(EngineError::new(ErrorCode::Validation, format!("{name} is not a GitHub token (github:HOST:ACCOUNT)")));
    };
    let wanted = name.clone();
    let token = on_keychain(move |k| k.get(&wanted)).await?.ok_or_else(|| EngineError::not_found(format!("the secret {name}")))?;
    GithubClient::new(&api_base(host, api_base_url), &token)?.validate_token().await
}

/// Removes `name`; nothing stored under it is a `NotFound` error.
pub async fn remove_secret(name: &SecretName) -> EngineResult<()> {
    let removed = name.clone();
    if !on_keychain(move |k| k.remove(&removed)).await? {
        return Err(EngineError::not_found(format!("the secret {name}")));
    }
    Ok(())
}

/// The stored secrets' names (never their values), sorted.
pub async fn list_secrets() -> EngineResult<Vec<SecretInfo>> {
    let names = on_keychain(|k| k.list()).await?;
    Ok(names.iter().map(SecretInfo::from).collect())
}
