//! Commands for the app's own settings (tray, notifications, start-up).

use devteam_engine::{EngineError, ErrorCode};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

use crate::settings::{AppSettings, LoadedAppSettings, SettingsFile};

/// The settings in force and, when `settings.json` could not be read, why
/// (the defaults are then in use).
#[tauri::command]
#[specta::specta]
pub fn get_app_settings(file: State<'_, SettingsFile>) -> LoadedAppSettings {
    file.loaded()
}

/// Saves the settings and applies autostart at once (the login entry —
/// an XDG autostart file on Linux, a LaunchAgent on macOS — is written or
/// removed); nothing is saved when that fails.
#[tauri::command]
#[specta::specta]
pub fn set_app_settings(app: AppHandle, file: State<'_, SettingsFile>, settings: AppSettings) -> Result<AppSettings, EngineError> {
    save_and_apply(&app, &file, settings)
}

/// What `set_app_settings` does, for any runtime (tests use a mock app).
pub fn save_and_apply<R: Runtime>(app: &AppHandle<R>, file: &SettingsFile, settings: AppSettings) -> Result<AppSettings, EngineError> {
    let autostart = app.autolaunch();
    // Compared with the login entry itself, so a removed entry comes back.
    if autostart.is_enabled().ok() != Some(settings.autostart) {
        let applied = if settings.autostart { autostart.enable() } else { autostart.disable() };
        applied.map_err(|e| {
            let doing = if settings.autostart { "turn on" } else { "turn off" };
            EngineError::new(ErrorCode::Io, format!("cannot {doing} starting DevTeam at login: {e}"))
        })?;
    }
    file.save(settings)
}
