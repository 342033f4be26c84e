//! Commands that start and steer runs: the executions grid, per-project and
//! global controls, HUMAN_REVIEW decisions, the task tree and its logs.

use devteam_engine::metrics::{Metrics, ResourcePoint};
use devteam_engine::orchestrator::{Execution, HostLoad, StartOptions};
use devteam_engine::project::Project;
use devteam_engine::run::ReviewAction;
use devteam_engine::history::RunTimeline;
use devteam_engine::project_status::ProjectStatus;
use devteam_engine::store::{LogLine, RunRecord, TaskRun};
use devteam_engine::task_view::TaskTree;
use devteam_engine::EngineError;
use tauri::State;

use crate::AppState;

/// Who decides in the window, for the audit log.
fn actor() -> String {
    std::env::var("USER").map(|u| format!("{u} (window)")).unwrap_or_else(|_| "a person (window)".into())
}

#[tauri::command]
#[specta::specta]
pub fn executions(state: State<'_, AppState>) -> Result<Vec<Execution>, EngineError> {
    Ok(state.orchestrator()?.executions())
}

#[tauri::command]
#[specta::specta]
pub async fn start_run(state: State<'_, AppState>, project_id: String, options: StartOptions) -> Result<Execution, EngineError> {
    state.orchestrator()?.start_project(&project_id, options).await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_run(state: State<'_, AppState>, project_id: String) -> Result<Execution, EngineError> {
    state.orchestrator()?.pause(&project_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_run(state: State<'_, AppState>, project_id: String) -> Result<Execution, EngineError> {
    state.orchestrator()?.resume(&project_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn stop_run(state: State<'_, AppState>, project_id: String, emergency: bool) -> Result<Execution, EngineError> {
    state.orchestrator()?.stop(&project_id, emergency).await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_all(state: State<'_, AppState>) -> Result<Vec<Execution>, EngineError> {
    state.orchestrator()?.pause_all().await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_all(state: State<'_, AppState>) -> Result<Vec<Execution>, EngineError> {
    state.orchestrator()?.resume_all().await
}

#[tauri::command]
#[specta::specta]
pub async fn emergency_stop_all(state: State<'_, AppState>) -> Result<Vec<Execution>, EngineError> {
    state.orchestrator()?.emergency_stop_all().await
}

#[tauri::command]
#[specta::specta]
pub async fn review_task(state: State<'_, AppState>, project_id: String, action: ReviewAction) -> Result<Execution, EngineError> {
    state.orchestrator()?.review(&project_id, action, &actor()).await
}

/// Takes a task of a paused (or idle) project over by hand: the project
/// waits on it until the person marks it done (`review_task` with `done`).
#[tauri::command]
#[specta::specta]
pub async fn take_task(state: State<'_, AppState>, project_id: String, task_id: String) -> Result<Execution, EngineError> {
    state.orchestrator()?.take_task(&project_id, &task_id, &actor()).await
}

#[tauri::command]
#[specta::specta]
pub async fn task_tree(state: State<'_, AppState>, project_id: String) -> Result<TaskTree, EngineError> {
    state.get()?.task_tree(&project_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn task_runs(state: State<'_, AppState>, project_id: String) -> Result<Vec<TaskRun>, EngineError> {
    state.get()?.task_runs(&project_id).await
}

/// Up to `limit` stored log lines after `after` (0: from the start).
#[tauri::command]
#[specta::specta]
pub async fn log_lines(
    state: State<'_, AppState>,
    project_id: String,
    task_id: Option<String>,
    after: u32,
    limit: u32,
) -> Result<Vec<LogLine>, EngineError> {
    state.get()?.log_lines(&project_id, task_id.as_deref(), after, limit).await
}

/// The project's repository (clone, base tip, last fetch) and runner
/// (Docker, image, containers) status.
#[tauri::command]
#[specta::specta]
pub async fn project_status(state: State<'_, AppState>, project_id: String) -> Result<ProjectStatus, EngineError> {
    state.get()?.project_status(&project_id).await
}

/// The project's runs, newest first.
#[tauri::command]
#[specta::specta]
pub async fn run_history(state: State<'_, AppState>, project_id: String) -> Result<Vec<RunRecord>, EngineError> {
    state.get()?.run_history(&project_id).await
}

/// One past (or the current) run as a timeline of steps.
#[tauri::command]
#[specta::specta]
pub async fn run_timeline(state: State<'_, AppState>, project_id: String, run_id: u32) -> Result<RunTimeline, EngineError> {
    state.get()?.run_timeline(&project_id, run_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_demo(state: State<'_, AppState>) -> Result<Project, EngineError> {
    state.get()?.create_demo().await
}

/// Metrics of one project, or of every project when `project_id` is null.
#[tauri::command]
#[specta::specta]
pub async fn metrics(state: State<'_, AppState>, project_id: Option<String>) -> Result<Metrics, EngineError> {
    state.get()?.metrics(project_id.as_deref()).await
}

/// The project's stored CPU/memory samples for the charts, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn resource_history(state: State<'_, AppState>, project_id: String, limit: u32) -> Result<Vec<ResourcePoint>, EngineError> {
    state.get()?.resource_history(&project_id, limit).await
}

#[tauri::command]
#[specta::specta]
pub fn host_load(state: State<'_, AppState>) -> Result<Option<HostLoad>, EngineError> {
    Ok(state.orchestrator()?.host_load())
}

#[tauri::command]
#[specta::specta]
pub fn set_slots(state: State<'_, AppState>, slots: u32) -> Result<u32, EngineError> {
    state.orchestrator()?.set_slots(slots)
}
