//! Secrets held in memory only, for tests of code that takes a `SecretStore`
//! (the run engine's); the app itself always uses the keychain.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{SecretName, SecretStore};
use crate::error::EngineResult;

/// A `SecretStore` that forgets everything when dropped.
#[derive(Default)]
pub struct MemorySecrets {
    values: Mutex<BTreeMap<SecretName, String>>,
}

impl std::fmt::Debug for MemorySecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.values.lock().map(|v| v.len()).unwrap_or(0);
        write!(f, "MemorySecrets({n} secrets)")
    }
}

impl SecretStore for MemorySecrets {
    fn set(&self, name: &SecretName, value: &str) -> EngineResult<()> {
        self.values.lock().unwrap_or_else(|e| e.into_inner()).insert(name.clone(), value.to_string());
        Ok(())
    }

    fn get(&self, name: &SecretName) -> EngineResult<Option<String>> {
        Ok(self.values.lock().unwrap_or_else(|e| e.into_inner()).get(name).cloned())
    }

    fn list(&self) -> EngineResult<Vec<SecretName>> {
        let mut names: Vec<SecretName> =
            self.values.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        names.sort_by_key(|n| n.to_string());
        Ok(names)
    }

    fn remove(&self, name: &SecretName) -> EngineResult<bool> {
        Ok(self.values.lock().unwrap_or_else(|e| e.into_inner()).remove(name).is_some())
    }
}
