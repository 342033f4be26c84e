//! The main window's life: brought back from the tray (or by a second
//! launch, or a notification click), hidden to the tray on close, and the
//! one way out, which asks before leaving running projects and pauses them.

use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Manager, WebviewWindow, WindowEvent};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};
use tauri_specta::Event;

use crate::launch::Desktop;
use crate::settings::SettingsFile;
use crate::AppState;

pub const MAIN: &str = "main";

/// What the window-state plugin keeps: visibility is the shell's to decide.
pub const KEPT_STATE: StateFlags = StateFlags::SIZE.union(StateFlags::POSITION).union(StateFlags::MAXIMIZED);

/// How long quitting waits for running projects to reach a step boundary.
const PAUSE_WAIT: Duration = Duration::from_secs(30);

/// The shell asks the window to show this project (a notification about it
/// was clicked).
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SelectProject {
    pub project_id: String,
}

fn main_window(app: &AppHandle) -> Option<WebviewWindow> {
    app.get_webview_window(MAIN)
}

/// Shows, un-minimizes and focuses the main window.
pub fn show_main(app: &AppHandle) {
    let Some(window) = main_window(app) else { return };
    for (what, result) in [("show", window.show()), ("unminimize", window.unminimize()), ("focus", window.set_focus())] {
        if let Err(e) = result {
            tracing::warn!("cannot {what} the window: {e}");
        }
    }
}

/// Hides the main window at start when the settings ask for it and a tray
/// icon is there to bring it back.
pub fn apply_start_minimized(app: &AppHandle) {
    let desktop = app.state::<Desktop>();
    let wanted = app.state::<SettingsFile>().current().start_minimized;
    if !wanted || desktop.automation {
        return;
    }
    if !desktop.has_tray() {
        tracing::warn!("start minimized is set, but there is no tray icon to open the window from: showing it");
        return;
    }
    if let Some(window) = main_window(app) {
        if let Err(e) = window.hide() {
            tracing::warn!("cannot start hidden: {e}");
        }
    }
}

/// Opens a clicked notification's project: the window comes forward and is
/// told which project to select (also kept as the selected project).
pub fn open_project(app: &AppHandle, project_id: String) {
    show_main(app);
    if let Err(e) = app.state::<SettingsFile>().update(|s| s.selected_project_id = Some(project_id.clone())) {
        tracing::warn!("cannot keep the selected project: {}", e.message);
    }
    if let Err(e) = (SelectProject { project_id }).emit(app) {
        tracing::warn!("cannot ask the window to select the project: {e}");
    }
}

/// A close of the main window: hide to the tray, ask first, or close.
pub fn on_window_event(window: &tauri::Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else { return };
    if window.label() != MAIN {
        return;
    }
    let app = window.app_handle();
    let desktop = app.state::<Desktop>();
    if desktop.quitting() || desktop.automation {
        return;
    }
    if app.state::<SettingsFile>().current().close_to_tray && desktop.has_tray() {
        api.prevent_close();
        keep_window_state(app);
        if let Err(e) = window.hide() {
            tracing::warn!("cannot hide the window to the tray: {e}");
        }
        return;
    }
    if active_runs(app) > 0 {
        api.prevent_close();
        request_quit(app);
    }
}

/// Projects in a slot or waiting for one.
fn active_runs(app: &AppHandle) -> usize {
    let state = app.state::<AppState>();
    state.orchestrator().map(|o| o.executions().iter().filter(|e| e.state.is_active()).count()).unwrap_or(0)
}

/// Quits; with projects running, asks first, then pauses them all.
pub fn request_quit(app: &AppHandle) {
    let desktop = app.state::<Desktop>();
    let active = active_runs(app);
    if active == 0 || desktop.automation {
        desktop.set_quitting();
        keep_window_state(app);
        app.exit(0);
        return;
    }
    if !desktop.begin_asking() {
        return;
    }
    let projects = if active == 1 { "1 project is running".to_string() } else { format!("{active} projects are running") };
    let message = format!(
        "{projects}. DevTeam pauses {} at the next step boundary before it quits; Resume goes on from there.",
        if active == 1 { "it" } else { "them" }
    );
    let handle = app.clone();
    app.dialog()
        .message(message)
        .title("Quit DevTeam?")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom("Pause all and quit".into(), "Keep running".into()))
        .show(move |confirmed| {
            handle.state::<Desktop>().done_asking();
            if confirmed {
                tauri::async_runtime::spawn(pause_then_exit(handle));
            }
        });
}

/// Pauses every active project, waits (bounded) for them to stop at a step
/// boundary, then exits. A project still in its step when the wait ends is
/// left as the crash-safe engine leaves any killed run: resumable.
async fn pause_then_exit(app: AppHandle) {
    app.state::<Desktop>().set_quitting();
    if let Ok(orchestrator) = app.state::<AppState>().orchestrator() {
        if let Err(e) = orchestrator.pause_all().await {
            tracing::warn!("pausing before quitting: {}", e.message);
        }
        let deadline = Instant::now() + PAUSE_WAIT;
        loop {
            let still: Vec<String> =
                orchestrator.executions().into_iter().filter(|e| e.state.is_active()).map(|e| e.project_id).collect();
            if still.is_empty() {
                break;
            }
            if Instant::now() >= deadline {
                tracing::warn!(projects = ?still, "quitting before these projects reached a step boundary");
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    keep_window_state(&app);
    app.exit(0);
}

/// Saves the window's size and place as they are now, while it still
/// exists (on exit the plugin only has what it last heard of them).
fn keep_window_state(app: &AppHandle) {
    if let Err(e) = app.save_window_state(KEPT_STATE) {
        tracing::warn!("cannot save the window's size and place: {e}");
    }
}
