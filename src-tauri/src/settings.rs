//! The app's own settings (tray, notifications, start-up), kept as
//! `settings.json` beside the database so a data folder carries everything
//! about one installation. A file that cannot be read is never overwritten
//! behind the person's back: the defaults are used, the error is shown, and
//! only an explicit save moves the unreadable file aside.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use devteam_engine::{DataPaths, EngineError, ErrorCode};
use serde::{Deserialize, Serialize};

/// The file name inside the data folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// How the desktop app behaves; project settings live with each project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AppSettings {
    /// Closing the window hides it to the tray; runs go on.
    pub close_to_tray: bool,
    /// One notification per finished task; `false`: one per project when its
    /// run ends ("Acme / CRM: 3 tasks done").
    pub notify_per_task: bool,
    /// Start with the window hidden in the tray.
    pub start_minimized: bool,
    /// Start DevTeam when the person logs in.
    pub autostart: bool,
    /// The project the window showed last.
    pub selected_project_id: Option<String>,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self { close_to_tray: true, notify_per_task: true, start_minimized: false, autostart: false, selected_project_id: None }
    }
}

/// The settings in force and, when the file could not be read, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct LoadedAppSettings {
    pub settings: AppSettings,
    /// Why `settings.json` could not be read: the defaults are in use and
    /// the file is left as it is until the settings are saved again.
    pub error: Option<String>,
}

/// `settings.json` and the settings in force.
#[derive(Debug)]
pub struct SettingsFile {
    path: PathBuf,
    state: Mutex<LoadedAppSettings>,
}

impl SettingsFile {
    /// The data folder's settings file.
    pub fn in_data_folder(paths: &DataPaths) -> PathBuf {
        paths.root().join(SETTINGS_FILE)
    }

    /// Reads the file: a missing file gives the defaults; an unreadable one
    /// gives the defaults and the error naming the file.
    pub fn load(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let loaded = match read(&path) {
            Ok(settings) => LoadedAppSettings { settings: settings.unwrap_or_default(), error: None },
            Err(error) => {
                tracing::error!("{error}");
                LoadedAppSettings { settings: AppSettings::default(), error: Some(error) }
            }
        };
        Self { path, state: Mutex::new(loaded) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The settings in force.
    pub fn current(&self) -> AppSettings {
        self.lock().settings.clone()
    }

    /// The settings in force and the load error, if any.
    pub fn loaded(&self) -> LoadedAppSettings {
        self.lock().clone()
    }

    /// Writes `settings` (atomically: a temporary file renamed over the old
    /// one) and puts them in force. An unreadable file is first kept as
    /// `settings.json.bad`.
    pub fn save(&self, settings: AppSettings) -> Result<AppSettings, EngineError> {
        let mut state = self.lock();
        if state.error.is_some() && self.path.exists() {
            let aside = self.path.with_extension("json.bad");
            std::fs::rename(&self.path, &aside).map_err(|e| io_error(&self.path, "cannot move aside", &e))?;
            tracing::warn!("the unreadable {} is kept as {}", self.path.display(), aside.display());
        }
        write(&self.path, &settings)?;
        *state = LoadedAppSettings { settings: settings.clone(), error: None };
        Ok(settings)
    }

    /// Changes one part of the settings in force and saves them.
    pub fn update(&self, change: impl FnOnce(&mut AppSettings)) -> Result<AppSettings, EngineError> {
        let mut settings = self.current();
        change(&mut settings);
        self.save(settings)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LoadedAppSettings> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `None` when there is no file yet.
fn read(path: &Path) -> Result<Option<AppSettings>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read the settings file {}: {e}; the default settings are in use", path.display())),
    };
    parse(&text).map(Some).map_err(|e| {
        format!(
            "the settings file {} is not valid ({e}); the default settings are in use and the file is left \
             as it is until the settings are saved again",
            path.display()
        )
    })
}

/// The file's keys over the defaults: a file from an older version (fewer
/// keys) or a newer one (more keys) still reads.
fn parse(text: &str) -> Result<AppSettings, serde_json::Error> {
    let file: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)?;
    let mut merged = match serde_json::to_value(AppSettings::default())? {
        serde_json::Value::Object(defaults) => defaults,
        _ => serde_json::Map::new(),
    };
    merged.extend(file);
    serde_json::from_value(serde_json::Value::Object(merged))
}

fn write(path: &Path, settings: &AppSettings) -> Result<(), EngineError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create", &e))?;
    }
    let json = serde_json::to_string_pretty(settings).map_err(|e| EngineError::internal(e.to_string()))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json + "\n").map_err(|e| io_error(&tmp, "cannot write", &e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_error(path, "cannot replace", &e))
}

fn io_error(path: &Path, doing: &str, e: &std::io::Error) -> EngineError {
    EngineError::new(ErrorCode::Io, format!("{doing} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_means_the_defaults_and_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::load(dir.path().join(SETTINGS_FILE));
        let loaded = file.loaded();
        assert_eq!(loaded.error, None);
        // The defaults the brief asks for: tray on, per-task notices, visible, no autostart.
        assert_eq!(loaded.settings, AppSettings::default());
        assert!(loaded.settings.close_to_tray && loaded.settings.notify_per_task);
        assert!(!loaded.settings.start_minimized && !loaded.settings.autostart);
    }

    #[test]
    fn saved_settings_come_back_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        let file = SettingsFile::load(&path);
        file.update(|s| {
            s.close_to_tray = false;
            s.selected_project_id = Some("acme-crm".into());
        })
        .unwrap();
        // A new SettingsFile reads only what is on disk: the app restarted.
        let again = SettingsFile::load(&path).current();
        assert!(!again.close_to_tray);
        assert_eq!(again.selected_project_id.as_deref(), Some("acme-crm"));
        assert!(!dir.path().join("settings.json.tmp").exists(), "the temporary file is renamed away");
    }

    #[test]
    fn a_file_from_an_older_version_keeps_its_values_and_gets_defaults_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, r#"{"start_minimized": true, "some_future_key": 1}"#).unwrap();
        let loaded = SettingsFile::load(&path).loaded();
        assert_eq!(loaded.error, None);
        assert!(loaded.settings.start_minimized);
        assert!(loaded.settings.close_to_tray, "a missing key takes its default");
    }

    #[test]
    fn bad_json_names_the_file_uses_the_defaults_and_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        // A wrong type is as unreadable as broken JSON.
        std::fs::write(&path, r#"{"close_to_tray": "yes"}"#).unwrap();
        let error = SettingsFile::load(&path).loaded().error.expect("a wrong type is reported");
        assert!(error.contains("settings.json"), "{error}");

        let bad = "{\"close_to_tray\": fals";
        std::fs::write(&path, bad).unwrap();
        let file = SettingsFile::load(&path);
        let loaded = file.loaded();
        let error = loaded.error.expect("the error is reported");
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert_eq!(loaded.settings, AppSettings::default());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), bad, "loading never rewrites the file");

        // An explicit save keeps the person's file beside the new one.
        file.update(|s| s.autostart = true).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("settings.json.bad")).unwrap(), bad);
        assert!(SettingsFile::load(&path).current().autostart);
        assert_eq!(file.loaded().error, None);
    }
}
