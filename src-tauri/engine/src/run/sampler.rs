//! Samples a running project's container every 2 s: the readings go out as
//! events (the dashboard's charts) and into the database (history).

use std::time::Duration;

use futures_util::StreamExt;
use tokio::task::JoinHandle;

use super::RunContext;
use crate::events::EngineEvent;

const EVERY: Duration = Duration::from_secs(2);

/// Starts sampling; the returned handle is aborted when the run ends.
pub(super) fn start(ctx: &RunContext, project_id: &str, container: &str) -> SamplerGuard {
    let (runner, store, events) = (ctx.runner.clone(), ctx.store.clone(), ctx.events.clone());
    let (project_id, container) = (project_id.to_string(), container.to_string());
    let handle = tokio::spawn(async move {
        // The stream ends when the container restarts (a limit was hit):
        // open it again.
        loop {
            let mut readings = std::pin::pin!(runner.resource_samples(&container));
            let mut last: Option<tokio::time::Instant> = None;
            while let Some(sample) = readings.next().await {
                if last.is_some_and(|at| at.elapsed() < EVERY) {
                    continue;
                }
                last = Some(tokio::time::Instant::now());
                if let Err(e) = store.append_sample(&project_id, sample.cpu_percent, sample.memory_bytes as i64).await {
                    tracing::warn!(project = %project_id, "resource sample not saved: {}", e.message);
                }
                events.emit(EngineEvent::Stats { project_id: project_id.clone(), sample });
            }
            tokio::time::sleep(EVERY).await;
        }
    });
    SamplerGuard(handle)
}

/// Stops the sampler when dropped.
pub(super) struct SamplerGuard(JoinHandle<()>);

impl Drop for SamplerGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}
