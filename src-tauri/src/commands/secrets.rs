//! Commands for the settings screen's secrets: GitHub tokens and API keys in
//! the OS keychain. Values go in and never come back out; nothing here logs
//! one. Keychain calls block on D-Bus, so they run on the blocking pool.

use devteam_engine::github::{api_base_for_host, GithubClient, TokenInfo};
use devteam_engine::secrets::{KeychainSecrets, SecretInfo, SecretName, SecretStore};
use devteam_engine::{EngineError, ErrorCode};

async fn keychain<T: Send + 'static>(
    call: impl FnOnce(&KeychainSecrets) -> Result<T, EngineError> + Send + 'static,
) -> Result<T, EngineError> {
    tokio::task::spawn_blocking(move || call(&KeychainSecrets::open()?))
        .await
        .map_err(|e| EngineError::internal(format!("the keychain call did not finish: {e}")))?
}

/// The stored secrets' names (never their values), sorted.
#[tauri::command]
#[specta::specta]
pub async fn list_secrets() -> Result<Vec<SecretInfo>, EngineError> {
    let names = keychain(|k| k.list()).await?;
    Ok(names.iter().map(SecretInfo::from).collect())
}

/// Stores `value` under `name` (`github:HOST:ACCOUNT` or an API key's
/// environment variable name), replacing any earlier value.
#[tauri::command]
#[specta::specta]
pub async fn set_secret(name: String, value: String) -> Result<SecretInfo, EngineError> {
    let name = SecretName::parse(&name)?;
    let value = value.trim().to_string();
    let stored = name.clone();
    keychain(move |k| k.set(&stored, &value)).await?;
    Ok(SecretInfo::from(&name))
}

/// Removes a secret; a name with nothing stored is a `not_found` error.
#[tauri::command]
#[specta::specta]
pub async fn remove_secret(name: String) -> Result<(), EngineError> {
    let name = SecretName::parse(&name)?;
    let removed = name.clone();
    if !keychain(move |k| k.remove(&removed)).await? {
        return Err(EngineError::not_found(format!("the secret {name}")));
    }
    Ok(())
}

/// Asks GitHub whose a stored token is and what it may do. `api_base`
/// defaults to the token's host (`https://api.github.com` for github.com).
#[tauri::command]
#[specta::specta]
pub async fn check_github_token(name: String, api_base: Option<String>) -> Result<TokenInfo, EngineError> {
    let name = SecretName::parse(&name)?;
    let SecretName::GithubToken { host, .. } = &name else {
        return Err(EngineError::new(ErrorCode::Validation, format!("{name} is not a GitHub token (github:HOST:ACCOUNT)")));
    };
    let base = api_base.filter(|b| !b.trim().is_empty()).unwrap_or_else(|| api_base_for_host(host));
    let wanted = name.clone();
    let token = keychain(move |k| k.get(&wanted)).await?.ok_or_else(|| EngineError::not_found(format!("the secret {name}")))?;
    GithubClient::new(&base, &token)?.validate_token().await
}
