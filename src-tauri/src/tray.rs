//! The tray icon: what runs, what is blocked, what waits for an approval
//! (recounted on every execution change), the global controls, and the way
//! back to the window. A desktop without a tray (Xvfb, some Wayland
//! sessions) gets a logged warning and a window that closes for real.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;

use devteam_engine::orchestrator::{ExecState, Execution, Orchestrator};
use devteam_engine::EngineEvent;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};
use tokio::sync::broadcast::{error::RecvError, Receiver};

use crate::window;
use crate::AppState;

const OPEN: &str = "open";
const PAUSE_ALL: &str = "pause_all";
const RESUME_ALL: &str = "resume_all";
const EMERGENCY_STOP: &str = "emergency_stop";
const QUIT: &str = "quit";

/// How many projects are in each state the tray reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrayCounts {
    pub running: usize,
    pub queued: usize,
    pub blocked: usize,
    pub awaiting_approval: usize,
    /// Paused or stopped: what "Resume all" would queue again.
    pub halted: usize,
}

impl TrayCounts {
    /// The three disabled lines of the menu.
    pub fn lines(&self) -> [String; 3] {
        let running = match self.queued {
            0 => format!("Running: {}", self.running),
            n => format!("Running: {} ({n} queued)", self.running),
        };
        [running, format!("Blocked: {}", self.blocked), format!("Waiting for approval: {}", self.awaiting_approval)]
    }

    pub fn tooltip(&self) -> String {
        format!(
            "DevTeam: {} running, {} blocked, {} waiting for approval",
            self.running + self.queued,
            self.blocked,
            self.awaiting_approval
        )
    }
}

/// Which blocked projects wait for an approval rather than a review, from
/// the events (the execution only says "blocked").
#[derive(Debug, Default)]
pub struct ApprovalWatch {
    waiting: HashSet<String>,
}

impl ApprovalWatch {
    /// Notes `event`; `true` when the counts may have changed.
    pub fn on_event(&mut self, event: &EngineEvent) -> bool {
        match event {
            EngineEvent::ApprovalNeeded { project_id, .. } => {
                self.waiting.insert(project_id.clone());
                true
            }
            EngineEvent::ExecutionChanged { execution } => {
                if execution.state != ExecState::Blocked {
                    self.waiting.remove(&execution.project_id);
                }
                true
            }
            EngineEvent::ProjectRemoved { project_id } => self.waiting.remove(project_id),
            _ => false,
        }
    }

    pub fn count(&self, executions: &[Execution]) -> TrayCounts {
        let mut c = TrayCounts::default();
        for e in executions {
            match e.state {
                ExecState::Queued => c.queued += 1,
                s if s.is_active() => c.running += 1,
                ExecState::Blocked if self.waiting.contains(&e.project_id) => c.awaiting_approval += 1,
                ExecState::Blocked => c.blocked += 1,
                ExecState::Paused | ExecState::Stopped => c.halted += 1,
                _ => {}
            }
        }
        c
    }
}

/// The menu items that change.
struct TrayMenu {
    icon: TrayIcon<Wry>,
    counts: [MenuItem<Wry>; 3],
    pause_all: MenuItem<Wry>,
    resume_all: MenuItem<Wry>,
    emergency_stop: MenuItem<Wry>,
}

impl TrayMenu {
    fn show(&self, c: &TrayCounts) {
        let lines = c.lines();
        for (item, line) in self.counts.iter().zip(lines.iter()) {
            if item.text().ok().as_deref() != Some(line.as_str()) {
                log_err("update the tray", item.set_text(line));
            }
        }
        let active = c.running + c.queued > 0;
        log_err("update the tray", self.pause_all.set_enabled(active));
        log_err("update the tray", self.emergency_stop.set_enabled(active));
        log_err("update the tray", self.resume_all.set_enabled(c.halted > 0));
        log_err("update the tray", self.icon.set_tooltip(Some(c.tooltip())));
    }
}

/// Builds the tray icon and keeps it current; `false` when this desktop
/// has no tray (the reason is logged, the app goes on without one).
pub fn install(app: &AppHandle, events: Option<Receiver<EngineEvent>>) -> bool {
    // libappindicator panics when it cannot be loaded: that must not end the app.
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| build(app)));
    let menu = match built {
        Ok(Ok(menu)) => menu,
        Ok(Err(e)) => {
            tracing::warn!("no tray icon ({e}): closing the window quits DevTeam");
            return false;
        }
        Err(_) => {
            tracing::warn!("no tray icon (the system tray library is missing): closing the window quits DevTeam");
            return false;
        }
    };
    let orchestrator = app.state::<AppState>().orchestrator().ok().cloned();
    let mut watch = ApprovalWatch::default();
    let executions = orchestrator.as_ref().map(Orchestrator::executions).unwrap_or_default();
    let mut shown = watch.count(&executions);
    menu.show(&shown);
    if let (Some(mut events), Some(orchestrator)) = (events, orchestrator) {
        tauri::async_runtime::spawn(async move {
            loop {
                let changed = match events.recv().await {
                    Ok(event) => watch.on_event(&event),
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return,
                };
                // Executions change every 2 s (resource samples): the menu
                // is touched only when a count changes.
                if !changed {
                    continue;
                }
                let counts = watch.count(&orchestrator.executions());
                if counts != shown {
                    menu.show(&counts);
                    shown = counts;
                }
            }
        });
    }
    true
}

fn build(app: &AppHandle) -> tauri::Result<TrayMenu> {
    let item = |id: &str, text: &str, enabled: bool| MenuItem::with_id(app, id, text, enabled, None::<&str>);
    let counts = [item("count_running", "Running: 0", false)?, item("count_blocked", "Blocked: 0", false)?, item(
        "count_approval",
        "Waiting for approval: 0",
        false,
    )?];
    let open = item(OPEN, "Open DevTeam", true)?;
    let pause_all = item(PAUSE_ALL, "Pause all", false)?;
    let resume_all = item(RESUME_ALL, "Resume all", false)?;
    let emergency_stop = item(EMERGENCY_STOP, "Emergency stop", false)?;
    let quit = item(QUIT, "Quit", true)?;
    let menu = Menu::with_items(
        app,
        &[
            &open,
            &PredefinedMenuItem::separator(app)?,
            &counts[0],
            &counts[1],
            &counts[2],
            &PredefinedMenuItem::separator(app)?,
            &pause_all,
            &resume_all,
            &emergency_stop,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let icon = TrayIconBuilder::with_id("devteam")
        .icon(tauri::include_image!("icons/64x64.png"))
        .tooltip("DevTeam")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event)
        .build(app)?;
    Ok(TrayMenu { icon, counts, pause_all, resume_all, emergency_stop })
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => window::show_main(app),
        QUIT => window::request_quit(app),
        id @ (PAUSE_ALL | RESUME_ALL | EMERGENCY_STOP) => {
            let Ok(orchestrator) = app.state::<AppState>().orchestrator().cloned() else {
                tracing::warn!("the engine did not start: nothing to {id}");
                return;
            };
            let id = id.to_string();
            tauri::async_runtime::spawn(async move {
                let result = match id.as_str() {
                    PAUSE_ALL => orchestrator.pause_all().await,
                    RESUME_ALL => orchestrator.resume_all().await,
                    _ => orchestrator.emergency_stop_all().await,
                };
                match result {
                    Ok(changed) => tracing::info!(projects = changed.len(), "tray: {id}"),
                    Err(e) => tracing::warn!("tray: {id} failed: {}", e.message),
                }
            });
        }
        _ => {}
    }
}

fn log_err(doing: &str, result: tauri::Result<()>) {
    if let Err(e) = result {
        tracing::warn!("cannot {doing}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use devteam_engine::orchestrator::Priority;

    use super::*;

    fn exec(id: &str, state: ExecState) -> Execution {
        Execution::new(id, state, Priority::Normal)
    }

    #[test]
    fn every_state_lands_in_its_line() {
        let executions = [
            exec("a", ExecState::TaskExecuting),
            exec("b", ExecState::ErrorSolving),
            exec("c", ExecState::Initializing),
            exec("d", ExecState::Queued),
            exec("e", ExecState::Blocked),
            exec("f", ExecState::Paused),
            exec("g", ExecState::Completed),
        ];
        let c = ApprovalWatch::default().count(&executions);
        assert_eq!(c, TrayCounts { running: 3, queued: 1, blocked: 1, awaiting_approval: 0, halted: 1 });
        assert_eq!(c.lines(), ["Running: 3 (1 queued)", "Blocked: 1", "Waiting for approval: 0"]);
        assert_eq!(c.tooltip(), "DevTeam: 4 running, 1 blocked, 0 waiting for approval");
        assert_eq!(ApprovalWatch::default().count(&[]).lines()[0], "Running: 0", "no queue, no parenthesis");
    }

    #[test]
    fn a_block_that_followed_an_approval_request_counts_as_waiting_for_approval() {
        let mut watch = ApprovalWatch::default();
        let approval = EngineEvent::ApprovalNeeded {
            project_id: "e".into(),
            task_id: "1".into(),
            title: "Drop table".into(),
            reason: "risky".into(),
        };
        assert!(watch.on_event(&approval));
        assert!(watch.on_event(&EngineEvent::ExecutionChanged { execution: exec("e", ExecState::Blocked) }));
        let c = watch.count(&[exec("e", ExecState::Blocked), exec("x", ExecState::Blocked)]);
        assert_eq!((c.blocked, c.awaiting_approval), (1, 1));

        // Approved: the project runs again and is no longer waiting.
        watch.on_event(&EngineEvent::ExecutionChanged { execution: exec("e", ExecState::Queued) });
        let c = watch.count(&[exec("e", ExecState::Blocked)]);
        assert_eq!((c.blocked, c.awaiting_approval), (1, 0), "a later block is a review again");
        assert!(!watch.on_event(&EngineEvent::Progress { project_id: "e".into(), done: 1, total: 2 }));
    }
}
