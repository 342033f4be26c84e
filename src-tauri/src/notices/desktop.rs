//! Shows notices through tauri-plugin-notification (on Linux a `Notify`
//! call to org.freedesktop.Notifications on the session bus) and reports
//! clicks on them. Generic over the Tauri runtime so a test drives the very
//! same path with a mock app and no display.

use devteam_engine::EngineEvent;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::{error::RecvError, Receiver};

use super::{Notice, Notices};

/// The notification's extra field naming the project a click opens.
const PROJECT_KEY: &str = "devteam_project_id";

/// Shows `notice` on the desktop; the server is asked on a worker thread.
pub fn show<R: Runtime>(app: &AppHandle<R>, notice: &Notice) -> Result<(), String> {
    app.notification()
        .builder()
        .title(&notice.summary)
        .body(&notice.body)
        .extra(PROJECT_KEY, &notice.project_id)
        .show()
        .map_err(|e| format!("cannot show the notification \"{}\": {e}", notice.summary))
}

/// Calls `on_click` with the project of a notification the person clicked.
/// Where the platform reports clicks (Linux: a server that supports the
/// `default` action and sends `ActionInvoked`; Windows; macOS).
pub fn on_click<R: Runtime>(app: &AppHandle<R>, on_click: impl Fn(String) + Send + Sync + 'static) {
    let registered = app.notification().on_action(move |performed| {
        if performed.action_id() != "tap" {
            return;
        }
        let project = performed.notification().and_then(|n| n.extra().get(PROJECT_KEY)).and_then(|v| v.as_str());
        match project {
            Some(id) => on_click(id.to_string()),
            None => tracing::debug!("a notification without a project was clicked"),
        }
    });
    if let Err(e) = registered {
        tracing::warn!("clicks on notifications will not open their project: {e}");
    }
}

/// Shows the notices raised by the engine's events for as long as the app
/// runs; `per_task` reads the `notify_per_task` setting at each event.
pub fn spawn<R: Runtime>(
    app: AppHandle<R>,
    mut events: Receiver<EngineEvent>,
    mut notices: Notices,
    per_task: impl Fn() -> bool + Send + 'static,
) {
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!("notifications skipped {n} engine events");
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            for notice in notices.on_event(&event, per_task()) {
                if let Err(e) = show(&app, &notice) {
                    tracing::warn!("{e}");
                }
            }
        }
    });
}
