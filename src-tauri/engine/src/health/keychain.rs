//! The OS keychain (Secret Service on Linux) through keyring: DevTeam keeps
//! tokens nowhere else, so a missing keychain is said plainly.

use super::{HealthCheck, HealthStatus};

const PROBE_SERVICE: &str = "devteam";
const PROBE_USER: &str = "health-probe";

pub(super) fn check() -> HealthCheck {
    let result = keyring::Entry::new(PROBE_SERVICE, PROBE_USER).and_then(|entry| entry.get_password());
    match result {
        Ok(_) | Err(keyring::Error::NoEntry) => HealthCheck::ok("Keychain", keychain_name()),
        Err(e) => HealthCheck::problem(
            "Keychain",
            HealthStatus::Missing,
            format!("the OS keychain is not available: {e}"),
            fix(),
        ),
    }
}

fn keychain_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "Secret Service"
    }
}

fn fix() -> &'static str {
    if cfg!(target_os = "linux") {
        "start a Secret Service provider (GNOME Keyring or KeePassXC) in your desktop session and unlock it; \
         DevTeam never stores tokens in plain text"
    } else {
        "unlock the OS keychain; DevTeam never stores tokens in plain text"
    }
}
