//! The OS keychain through keyring (Secret Service on Linux). Each secret is
//! one entry (service, name); a dedicated entry holds the JSON list of names,
//! so listing never needs a value. No keychain means an error, never a
//! plaintext fallback.

use std::sync::Mutex;

use keyring::Entry;

use super::{SecretName, SecretStore};
use crate::error::{EngineError, EngineResult, ErrorCode, FieldError};

/// The keychain service DevTeam's entries are filed under.
pub const DEFAULT_SERVICE: &str = "devteam";
/// Files the entries under another service (tests keep to their own).
pub const SERVICE_ENV: &str = "DEVTEAM_KEYCHAIN_SERVICE";
/// The entry holding the names; never a valid `SecretName` (it has a dash).
const INDEX_USER: &str = "secret-index";

/// Index updates read, change and write one entry: one at a time per process.
static INDEX_LOCK: Mutex<()> = Mutex::new(());

/// The OS keychain, under one service name.
#[derive(Debug, Clone)]
pub struct KeychainSecrets {
    service: String,
}

impl KeychainSecrets {
    /// The app's keychain (`DEVTEAM_KEYCHAIN_SERVICE` moves it), or the error
    /// saying the keychain is unavailable and how to start one.
    pub fn open() -> EngineResult<Self> {
        let service = std::env::var(SERVICE_ENV).ok().filter(|s| !s.is_empty());
        Self::with_service(service.as_deref().unwrap_or(DEFAULT_SERVICE))
    }

    /// The keychain with entries filed under `service`.
    pub fn with_service(service: &str) -> EngineResult<Self> {
        check_available()?;
        Ok(Self { service: service.to_string() })
    }

    fn entry(&self, user: &str) -> EngineResult<Entry> {
        Entry::new(&self.service, user).map_err(|e| keychain_error("opening an entry", e))
    }

    fn read_index(&self) -> EngineResult<Vec<String>> {
        match self.entry(INDEX_USER)?.get_password() {
            Ok(json) => Ok(serde_json::from_str(&json).unwrap_or_else(|e| {
                tracing::warn!("the keychain's list of secret names is unreadable ({e}); starting a new one");
                Vec::new()
            })),
            Err(keyring::Error::NoEntry) => Ok(Vec::new()),
            Err(e) => Err(keychain_error("reading the list of secret names", e)),
        }
    }

    fn update_index(&self, change: impl FnOnce(&mut Vec<String>)) -> EngineResult<()> {
        let _guard = INDEX_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut names = self.read_index()?;
        let before = names.clone();
        change(&mut names);
        names.sort();
        names.dedup();
        if names == before {
            return Ok(());
        }
        let json = serde_json::to_string(&names).map_err(|e| EngineError::internal(e.to_string()))?;
        self.entry(INDEX_USER)?.set_password(&json).map_err(|e| keychain_error("writing the list of secret names", e))
    }
}

impl SecretStore for KeychainSecrets {
    fn set(&self, name: &SecretName, value: &str) -> EngineResult<()> {
        if value.is_empty() {
            return Err(EngineError::validation(vec![FieldError {
                field: "value".into(),
                message: "the secret's value is empty".into(),
            }]));
        }
        let key = name.to_string();
        self.entry(&key)?.set_password(value).map_err(|e| keychain_error(&format!("storing {key}"), e))?;
        self.update_index(|names| names.push(key.clone()))?;
        tracing::info!(secret = %key, "secret stored in the keychain");
        Ok(())
    }

    fn get(&self, name: &SecretName) -> EngineResult<Option<String>> {
        let key = name.to_string();
        match self.entry(&key)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(&format!("reading {key}"), e)),
        }
    }

    fn list(&self) -> EngineResult<Vec<SecretName>> {
        let mut names = Vec::new();
        for text in self.read_index()? {
            match SecretName::parse(&text) {
                Ok(name) => names.push(name),
                Err(_) => tracing::warn!(name = %text, "skipping an unknown name in the keychain's list"),
            }
        }
        Ok(names)
    }

    fn remove(&self, name: &SecretName) -> EngineResult<bool> {
        let key = name.to_string();
        let existed = match self.entry(&key)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(e) => return Err(keychain_error(&format!("removing {key}"), e)),
        };
        self.update_index(|names| names.retain(|n| n != &key))?;
        if existed {
            tracing::info!(secret = %key, "secret removed from the keychain");
        }
        Ok(existed)
    }
}

/// Whether a keychain answers; the error says how to get one.
pub fn check_available() -> EngineResult<()> {
    match Entry::store_status() {
        Ok(()) => Ok(()),
        Err(e) => Err(unavailable(&e.to_string())),
    }
}

fn unavailable(detail: &str) -> EngineError {
    let fix = if cfg!(target_os = "linux") {
        "start a Secret Service in your session (gnome-keyring-daemon, or KeePassXC with Secret Service \
         enabled) and unlock it; in this project `scripts/dev test` starts one for the tests"
    } else {
        "unlock the OS keychain and try again"
    };
    EngineError::new(
        ErrorCode::Keychain,
        format!(
            "the OS keychain is unavailable ({detail}): {fix}. DevTeam keeps tokens and API keys only in \
             the keychain, never in plain text"
        ),
    )
}

/// A keyring failure in words a person can act on. Only `Display` of the
/// error is used: some variants carry the secret's bytes in their `Debug`.
fn keychain_error(doing: &str, err: keyring::Error) -> EngineError {
    match err {
        keyring::Error::NoDefaultStore => {
            let detail = match Entry::store_status() {
                Err(e) => e.to_string(),
                Ok(()) => "no credential store".to_string(),
            };
            unavailable(&detail)
        }
        keyring::Error::NoStorageAccess(e) => EngineError::new(
            ErrorCode::Keychain,
            format!(
                "the OS keychain refused access while {doing} ({e}): unlock it (on Linux, the login keyring of \
                 GNOME Keyring) and try again"
            ),
        ),
        keyring::Error::PlatformFailure(e) if no_service(&e.to_string()) => unavailable(&e.to_string()),
        other => EngineError::new(ErrorCode::Keychain, format!("the OS keychain failed while {doing}: {other}")),
    }
}

/// D-Bus answers that mean no Secret Service is there (any more).
fn no_service(text: &str) -> bool {
    ["ServiceUnknown", "was not provided by any", "NoReply", "Connection refused", "No such file"]
        .iter()
        .any(|needle| text.contains(needle))
}
