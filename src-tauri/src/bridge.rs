//! Pushes every engine event to the window as one typed Tauri event.

use devteam_engine::EngineEvent;
use serde::Serialize;
use tauri::AppHandle;
use tauri_specta::Event;
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// The engine's event, as the window receives it.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(transparent)]
pub struct EngineUpdate(pub EngineEvent);

pub fn forward_events(app: AppHandle, mut events: Receiver<EngineEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(e) = EngineUpdate(event).emit(&app) {
                        tracing::warn!("cannot send an event to the window: {e}");
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::warn!("the window missed {n} engine events"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}
