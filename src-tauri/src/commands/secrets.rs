//! Commands for the settings screen's secrets: GitHub tokens and API keys in
//! the OS keychain (through the engine's secrets front, which the CLI uses
//! too). Values go in and never come back out; nothing here logs one.

use devteam_engine::github::TokenInfo;
use devteam_engine::secrets::{self, SavedSecret, SecretInfo, SecretName};
use devteam_engine::EngineError;

/// The stored secrets' names (never their values), sorted.
#[tauri::command]
#[specta::specta]
pub async fn list_secrets() -> Result<Vec<SecretInfo>, EngineError> {
    secrets::list_secrets().await
}

/// Stores `value` under `name` (`github:HOST:ACCOUNT` or an API key's
/// environment variable name), replacing any earlier value. A GitHub token
/// is checked with GitHub first (at `api_base`, default: its host's API):
/// one GitHub refuses is not stored.
#[tauri::command]
#[specta::specta]
pub async fn set_secret(name: String, value: String, api_base: Option<String>) -> Result<SavedSecret, EngineError> {
    secrets::save_secret(&SecretName::parse(&name)?, &value, api_base.as_deref(), true).await
}

/// Removes a secret; a name with nothing stored is a `not_found` error.
#[tauri::command]
#[specta::specta]
pub async fn remove_secret(name: String) -> Result<(), EngineError> {
    secrets::remove_secret(&SecretName::parse(&name)?).await
}

/// Asks GitHub whose a stored token is and what it may do. `api_base`
/// defaults to the token's host (`https://api.github.com` for github.com).
#[tauri::command]
#[specta::specta]
pub async fn check_github_token(name: String, api_base: Option<String>) -> Result<TokenInfo, EngineError> {
    secrets::check_stored_token(&SecretName::parse(&name)?, api_base.as_deref()).await
}
