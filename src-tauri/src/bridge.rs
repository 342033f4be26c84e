//! Pushes the engine's events to the window in batches: one Tauri event per
//! burst, so a task printing 100,000 lines costs the window a few hundred
//! messages instead of 100,000 and it keeps painting.

use std::time::Duration;

use devteam_engine::EngineEvent;
use serde::Serialize;
use tauri::AppHandle;
use tauri_specta::Event;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::broadcast::Receiver;

/// Engine events in the order they happened, as the window receives them.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct EngineUpdate {
    pub events: Vec<EngineEvent>,
    /// Events lost before this batch because the window fell behind: the
    /// window reads the state again from the engine when it is not zero.
    pub missed: u32,
}

/// At most this many events in one message (about a megabyte of JSON).
const MAX_BATCH: usize = 4096;
/// After a batch of several events (not a full one), the bridge waits this
/// long so that a flood reaches the window at most about sixty times a
/// second. A lone event (a status change) goes out at once.
const FLOOD_GAP: Duration = Duration::from_millis(16);

pub fn forward_events(app: AppHandle, mut events: Receiver<EngineEvent>) {
    tauri::async_runtime::spawn(async move {
        while let Some(update) = next_update(&mut events).await {
            // A full batch means a backlog: the next one goes at once, or the
            // bus would overrun and the window lose events.
            let pause = update.events.len() > 1 && update.events.len() < MAX_BATCH;
            if let Err(e) = update.emit(&app) {
                tracing::warn!("cannot send events to the window: {e}");
            }
            if pause {
                tokio::time::sleep(FLOOD_GAP).await;
            }
        }
    });
}

/// Waits for an event, then takes the ones already waiting behind it (up to
/// `MAX_BATCH`). `None` once the engine is gone and everything was taken.
async fn next_update(events: &mut Receiver<EngineEvent>) -> Option<EngineUpdate> {
    let mut missed = 0u64;
    let first = loop {
        match events.recv().await {
            Ok(event) => break event,
            Err(RecvError::Lagged(n)) => missed += n,
            Err(RecvError::Closed) => return None,
        }
    };
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match events.try_recv() {
            Ok(event) => batch.push(event),
            Err(TryRecvError::Lagged(n)) => missed += n,
            Err(TryRecvError::Empty | TryRecvError::Closed) => break,
        }
    }
    if missed > 0 {
        tracing::warn!("the window missed {missed} engine events; it reads the state again");
    }
    Some(EngineUpdate { events: batch, missed: u32::try_from(missed).unwrap_or(u32::MAX) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::broadcast;

    fn removed(id: &str) -> EngineEvent {
        EngineEvent::ProjectRemoved { project_id: id.into() }
    }

    fn ids(update: &EngineUpdate) -> Vec<String> {
        update
            .events
            .iter()
            .map(|e| match e {
                EngineEvent::ProjectRemoved { project_id } => project_id.clone(),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[tokio::test]
    async fn a_burst_becomes_one_update_in_order() {
        let (tx, mut rx) = broadcast::channel(16);
        for id in ["a", "b", "c"] {
            tx.send(removed(id)).unwrap();
        }
        let update = next_update(&mut rx).await.unwrap();
        assert_eq!(ids(&update), ["a", "b", "c"]);
        assert_eq!(update.missed, 0);
    }

    #[tokio::test]
    async fn a_long_burst_is_cut_into_bounded_updates() {
        let (tx, mut rx) = broadcast::channel(MAX_BATCH * 2);
        for i in 0..MAX_BATCH + 5 {
            tx.send(removed(&i.to_string())).unwrap();
        }
        assert_eq!(next_update(&mut rx).await.unwrap().events.len(), MAX_BATCH);
        let rest = next_update(&mut rx).await.unwrap();
        assert_eq!(ids(&rest).first().map(String::as_str), Some(MAX_BATCH.to_string().as_str()));
        assert_eq!(rest.events.len(), 5);
    }

    #[tokio::test]
    async fn events_lost_to_a_slow_window_are_counted() {
        let (tx, mut rx) = broadcast::channel(4);
        for i in 0..10 {
            tx.send(removed(&i.to_string())).unwrap();
        }
        let update = next_update(&mut rx).await.unwrap();
        assert_eq!(update.missed, 6);
        assert_eq!(ids(&update), ["6", "7", "8", "9"]);
    }

    #[tokio::test]
    async fn ends_when_the_engine_is_gone() {
        let (tx, mut rx) = broadcast::channel(4);
        tx.send(removed("last")).unwrap();
        drop(tx);
        assert_eq!(ids(&next_update(&mut rx).await.unwrap()), ["last"]);
        assert!(next_update(&mut rx).await.is_none());
    }
}
