//! CPU and memory of a running container, from Docker's stats stream (one
//! reading a second), turned into a percentage of one core and bytes in use.

use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptions;
use futures_util::{Stream, StreamExt};
use serde::Serialize;

use super::DockerRunner;

/// One reading of a container's resource use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, specta::Type)]
pub struct ResourceSample {
    /// CPU use in percent of one core (200 = two cores busy).
    pub cpu_percent: f64,
    /// Memory in use, page cache excluded, in bytes.
    pub memory_bytes: f64,
    /// The container's memory limit in bytes (0 when unknown).
    pub memory_limit: f64,
}

impl DockerRunner {
    /// Readings of `container` while it runs, about one a second. The first
    /// reading has no previous one to compare with and gives 0 % CPU.
    pub fn resource_samples(&self, container: &str) -> impl Stream<Item = ResourceSample> + Send + 'static {
        let options = StatsOptions { stream: true, one_shot: false };
        let mut previous: Option<(u64, u64)> = None;
        self.client().stats(container, Some(options)).filter_map(move |item| {
            let sample = item.ok().map(|stats| to_sample(&stats, &mut previous));
            std::future::ready(sample)
        })
    }
}

fn to_sample(stats: &ContainerStatsResponse, previous: &mut Option<(u64, u64)>) -> ResourceSample {
    let cpu = stats.cpu_stats.as_ref();
    let total = cpu.and_then(|c| c.cpu_usage.as_ref()).and_then(|u| u.total_usage).unwrap_or(0);
    let system = cpu.and_then(|c| c.system_cpu_usage).unwrap_or(0);
    let cores = f64::from(cpu.and_then(|c| c.online_cpus).unwrap_or(1).max(1));
    let cpu_percent = match previous.replace((total, system)) {
        Some((t0, s0)) if system > s0 && total >= t0 => (total - t0) as f64 / (system - s0) as f64 * cores * 100.0,
        _ => 0.0,
    };
    let memory = stats.memory_stats.as_ref();
    let usage = memory.and_then(|m| m.usage).unwrap_or(0);
    // cgroup v2 reports the reclaimable page cache as `inactive_file`, v1 as `cache`.
    let cache = memory
        .and_then(|m| m.stats.as_ref())
        .and_then(|s| s.get("inactive_file").or_else(|| s.get("cache")).copied())
        .unwrap_or(0);
    ResourceSample {
        cpu_percent,
        memory_bytes: usage.saturating_sub(cache) as f64,
        memory_limit: memory.and_then(|m| m.limit).unwrap_or(0) as f64,
    }
}
