//! Samples a running project's containers (one per lane) every 2 s: their
//! readings, added up, go out as events (the dashboard's charts) and into
//! the database (history).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::task::JoinHandle;

use super::RunContext;
use crate::events::EngineEvent;
use crate::runner::ResourceSample;

const EVERY: Duration = Duration::from_secs(2);

/// The newest reading of each container.
type Latest = Arc<Mutex<HashMap<String, ResourceSample>>>;

/// Starts sampling; everything stops when the returned guard is dropped.
pub(super) fn start(ctx: &RunContext, project_id: &str, containers: &[String]) -> SamplerGuard {
    let latest: Latest = Arc::default();
    let mut handles: Vec<JoinHandle<()>> = containers.iter().map(|c| read(ctx, c.clone(), latest.clone())).collect();
    let (store, events, project_id) = (ctx.store.clone(), ctx.events.clone(), project_id.to_string());
    handles.push(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let Some(sample) = total(&latest) else { continue };
            if let Err(e) = store.append_sample(&project_id, sample.cpu_percent, sample.memory_bytes as i64).await {
                tracing::warn!(project = %project_id, "resource sample not saved: {}", e.message);
            }
            events.emit(EngineEvent::Stats { project_id: project_id.clone(), sample });
        }
    }));
    SamplerGuard(handles)
}

/// Keeps `container`'s newest reading in `latest`. The stream ends when the
/// container restarts (a limit was hit) or goes: it is opened again, and
/// the container counts for nothing meanwhile.
fn read(ctx: &RunContext, container: String, latest: Latest) -> JoinHandle<()> {
    let runner = ctx.runner.clone();
    tokio::spawn(async move {
        loop {
            let mut readings = std::pin::pin!(runner.resource_samples(&container));
            while let Some(sample) = readings.next().await {
                latest.lock().unwrap_or_else(|e| e.into_inner()).insert(container.clone(), sample);
            }
            latest.lock().unwrap_or_else(|e| e.into_inner()).remove(&container);
            tokio::time::sleep(EVERY).await;
        }
    })
}

/// The containers' readings added up (limits too); `None` before any.
fn total(latest: &Latest) -> Option<ResourceSample> {
    let latest = latest.lock().unwrap_or_else(|e| e.into_inner());
    let mut readings = latest.values();
    let first = *readings.next()?;
    Some(readings.fold(first, |sum, r| ResourceSample {
        cpu_percent: sum.cpu_percent + r.cpu_percent,
        memory_bytes: sum.memory_bytes + r.memory_bytes,
        memory_limit: sum.memory_limit + r.memory_limit,
    }))
}

/// Stops the sampler when dropped.
pub(super) struct SamplerGuard(Vec<JoinHandle<()>>);

impl Drop for SamplerGuard {
    fn drop(&mut self) {
        for handle in &self.0 {
            handle.abort();
        }
    }
}
