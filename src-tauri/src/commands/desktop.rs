//! Commands that hand things to the desktop: a task's artifacts folder in the
//! file manager, a pull request in the browser.

use devteam_engine::{EngineError, ErrorCode};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::AppState;

/// Opens the task's `artifacts/<id>/` folder in the file manager.
#[tauri::command]
#[specta::specta]
pub async fn open_artifacts(app: AppHandle, state: State<'_, AppState>, project_id: String, task_id: String) -> Result<(), EngineError> {
    let dir = state.get()?.artifacts_dir(&project_id, &task_id).await?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot open {}: {e}", dir.display())))
}

/// Opens an `https://` address (a pull request) in the default browser.
#[tauri::command]
#[specta::specta]
pub fn open_url(app: AppHandle, url: String) -> Result<(), EngineError> {
    if !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(EngineError::new(ErrorCode::Validation, format!("only web addresses open in the browser, not `{url}`")));
    }
    app.opener().open_url(&url, None::<&str>).map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot open {url}: {e}")))
}
