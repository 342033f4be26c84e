//! Commands to register and edit customer projects.

use devteam_engine::project::{Project, ProjectDraft};
use devteam_engine::EngineError;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_projects(state: State<'_, AppState>) -> Result<Vec<Project>, EngineError> {
    state.get()?.projects().await
}

#[tauri::command]
#[specta::specta]
pub async fn add_project(state: State<'_, AppState>, draft: ProjectDraft) -> Result<Project, EngineError> {
    state.get()?.add_project(&draft).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_project(state: State<'_, AppState>, id: String, draft: ProjectDraft) -> Result<Project, EngineError> {
    state.get()?.update_project(&id, &draft).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_project(state: State<'_, AppState>, id: String) -> Result<(), EngineError> {
    state.get()?.remove_project(&id).await
}
