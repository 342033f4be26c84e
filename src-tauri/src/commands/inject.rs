//! Commands to add tasks to a running project and to decide on them.

use devteam_engine::inject::{Injection, InjectionRequest};
use devteam_engine::EngineError;
use tauri::State;

use crate::AppState;

fn actor() -> String {
    std::env::var("USER").map(|u| format!("{u} (window)")).unwrap_or_else(|_| "a person (window)".into())
}

/// Priority injections apply at once; positional and replace ones wait for
/// approval.
#[tauri::command]
#[specta::specta]
pub async fn inject_task(state: State<'_, AppState>, project_id: String, request: InjectionRequest) -> Result<Injection, EngineError> {
    state.get()?.inject(&project_id, &request, &actor()).await
}

#[tauri::command]
#[specta::specta]
pub async fn decide_injection(state: State<'_, AppState>, project_id: String, id: u32, approve: bool) -> Result<Injection, EngineError> {
    state.get()?.decide_injection(&project_id, id, approve, &actor()).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_injections(state: State<'_, AppState>, project_id: String) -> Result<Vec<Injection>, EngineError> {
    state.get()?.injections(&project_id).await
}
