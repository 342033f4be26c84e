//! Commands about the installation itself: versions, folders, health.

use devteam_engine::health::HealthReport;
use devteam_engine::{AppInfo, EngineError};
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, EngineError> {
    Ok(state.get()?.info())
}

#[tauri::command]
#[specta::specta]
pub async fn health(state: State<'_, AppState>) -> Result<HealthReport, EngineError> {
    Ok(state.get()?.health().await)
}
