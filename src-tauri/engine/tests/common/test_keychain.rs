//! The real OS keychain (Secret Service) for a test: its own entries under a
//! service no other test uses, removed at the end, pass or fail.

use std::sync::Arc;

use devteam_engine::run::SecretSource;
use devteam_engine::secrets::{KeychainSecrets, SecretName, SecretStore};

/// Runs a keychain call (a blocking D-Bus round trip) off the async threads.
fn off_thread<T: Send>(call: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(call).join().unwrap())
}

/// The test's own entries in the real keychain, under a service no other
/// test uses; removed at the end, pass or fail.
pub struct Keychain {
    store: KeychainSecrets,
    names: Vec<SecretName>,
}

impl Keychain {
    pub fn open(test: &str) -> Self {
        let service = format!("devteam-test-run-github-{test}-{}", std::process::id());
        let store = off_thread(|| KeychainSecrets::with_service(&service))
            .expect("a Secret Service runs (use with_keyring from scripts/lib.sh)");
        Self { store, names: Vec::new() }
    }

    pub fn set(&mut self, name: &str, value: &str) {
        let name = SecretName::parse(name).unwrap();
        off_thread(|| self.store.set(&name, value)).unwrap();
        if !self.names.contains(&name) {
            self.names.push(name);
        }
    }

    pub fn source(&self) -> SecretSource {
        SecretSource::store(Arc::new(self.store.clone()))
    }

    /// Removes the entries and checks the keychain holds nothing of the test.
    pub fn clear(&mut self) {
        let names = std::mem::take(&mut self.names);
        off_thread(|| {
            for name in &names {
                assert!(self.store.remove(name).unwrap(), "{name} was stored");
            }
            assert!(self.store.list().unwrap().is_empty(), "the test's keychain entries are gone");
        });
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        let names = std::mem::take(&mut self.names);
        off_thread(|| {
            for name in &names {
                let _ = self.store.remove(name);
            }
        });
    }
}
