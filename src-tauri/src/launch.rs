//! How this process runs on the desktop: one instance per data folder,
//! whether a tray icon is there to hide into, whether a WebDriver session
//! drives the window (the end-to-end tests), and whether it is quitting.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by tauri-driver for the app it launches (Tauri 2).
const AUTOMATION_ENV: &str = "TAURI_WEBVIEW_AUTOMATION";
/// The bundle identifier; the single-instance D-Bus name starts with it.
const IDENTIFIER: &str = "com.devteam.desktop";

/// What the shell decided at start-up and what it is doing now.
#[derive(Debug, Default)]
pub struct Desktop {
    /// A WebDriver session drives the window: closing it really closes it,
    /// nothing starts hidden, and no other instance is looked for.
    pub automation: bool,
    tray: AtomicBool,
    asking_to_quit: AtomicBool,
    quitting: AtomicBool,
}

impl Desktop {
    pub fn from_env() -> Self {
        Self { automation: automation_from(std::env::var(AUTOMATION_ENV).ok().as_deref()), ..Self::default() }
    }

    /// Whether a tray icon exists to bring the window back from.
    pub fn has_tray(&self) -> bool {
        self.tray.load(Ordering::SeqCst)
    }

    pub fn set_tray(&self, present: bool) {
        self.tray.store(present, Ordering::SeqCst);
    }

    /// Claims the one "quit?" question; `false` while it is already asked.
    pub fn begin_asking(&self) -> bool {
        !self.asking_to_quit.swap(true, Ordering::SeqCst)
    }

    pub fn done_asking(&self) {
        self.asking_to_quit.store(false, Ordering::SeqCst);
    }

    /// The app is on its way out: windows close for real.
    pub fn quitting(&self) -> bool {
        self.quitting.load(Ordering::SeqCst)
    }

    pub fn set_quitting(&self) {
        self.quitting.store(true, Ordering::SeqCst);
    }
}

fn automation_from(value: Option<&str>) -> bool {
    value == Some("true")
}

/// The single-instance D-Bus id of a data folder: a second launch on the
/// same folder focuses the first; DevTeams on two folders (tests, portable
/// use) both run.
pub fn instance_id(root: &Path) -> String {
    // FNV-1a: stable across builds and Rust versions, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in root.to_string_lossy().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // A D-Bus name element must not start with a digit.
    format!("{IDENTIFIER}.folder_{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tauri_drivers_value_means_automation() {
        assert!(automation_from(Some("true")));
        assert!(!automation_from(Some("1")));
        assert!(!automation_from(None));
    }

    #[test]
    fn each_data_folder_is_its_own_instance() {
        let one = instance_id(Path::new("/tmp/devteam-e2e-1"));
        let two = instance_id(Path::new("/tmp/devteam-e2e-2"));
        assert_ne!(one, two);
        assert_eq!(one, instance_id(Path::new("/tmp/devteam-e2e-1")), "the same folder, the same id");
        assert!(one.starts_with("com.devteam.desktop."), "{one}");
        // Valid D-Bus name elements: letters, digits, `_`, none starting with a digit.
        for element in one.split('.') {
            assert!(element.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{one}");
            assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{one}");
        }
    }

    #[test]
    fn the_quit_question_is_asked_once_at_a_time() {
        let d = Desktop::default();
        assert!(d.begin_asking());
        assert!(!d.begin_asking());
        d.done_asking();
        assert!(d.begin_asking());
    }
}
