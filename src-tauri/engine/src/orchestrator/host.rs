//! The host's load, for admission control: no new task starts while the CPU
//! is above 80 % or free memory is below the project's memory limit.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// CPU busy percentage (all cores) and available memory, sampled every 2 s.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, specta::Type)]
pub struct HostLoad {
    pub cpu_percent: f64,
    pub memory_available_bytes: f64,
    pub memory_total_bytes: f64,
    pub cores: u32,
}

/// The latest [`HostLoad`], refreshed in the background.
#[derive(Debug, Clone)]
pub struct HostMonitor {
    latest: Arc<Mutex<Option<HostLoad>>>,
}

/// Above this, no new task is admitted.
pub const CPU_ADMISSION_LIMIT: f64 = 80.0;

impl HostMonitor {
    /// Starts sampling `/proc` every 2 s (on other systems: no limit applies).
    pub fn start() -> Self {
        // Free memory is known at once (the CPU needs two readings): a
        // project too big for the host never slips in before the first sample.
        let first = read_memory().map(|(available, total)| HostLoad {
            cpu_percent: 0.0,
            memory_available_bytes: available,
            memory_total_bytes: total,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
        });
        let latest = Arc::new(Mutex::new(first));
        let shared = latest.clone();
        tokio::spawn(async move {
            let mut previous = read_cpu_times();
            loop {
                tokio::time::sleep(Duration::from_secs(2)).await;
                let now = read_cpu_times();
                let cpu_percent = match (previous, now) {
                    (Some((busy0, total0)), Some((busy1, total1))) if total1 > total0 => {
                        (busy1.saturating_sub(busy0)) as f64 / (total1 - total0) as f64 * 100.0
                    }
                    _ => 0.0,
                };
                previous = now;
                if let Some((available, total)) = read_memory() {
                    let load = HostLoad {
                        cpu_percent,
                        memory_available_bytes: available,
                        memory_total_bytes: total,
                        cores: std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
                    };
                    *shared.lock().unwrap_or_else(|p| p.into_inner()) = Some(load);
                }
            }
        });
        Self { latest }
    }

    pub fn latest(&self) -> Option<HostLoad> {
        *self.latest.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Why a project with this memory limit may not start now, if the host
    /// lacks the memory.
    pub fn refuses_memory(&self, memory_limit_bytes: f64) -> Option<String> {
        let load = self.latest()?;
        (load.memory_available_bytes < memory_limit_bytes).then(|| {
            format!(
                "free memory {} is below the project's memory limit {}",
                gib(load.memory_available_bytes),
                gib(memory_limit_bytes)
            )
        })
    }
}

fn gib(bytes: f64) -> String {
    format!("{:.1} GiB", bytes / (1024.0 * 1024.0 * 1024.0))
}

/// `(busy, total)` jiffies from the first line of `/proc/stat`.
fn read_cpu_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    let total: u64 = fields.iter().sum();
    // idle + iowait are not busy.
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    Some((total.saturating_sub(idle), total))
}

/// `(available, total)` bytes from `/proc/meminfo`.
fn read_memory() -> Option<(f64, f64)> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = info.lines().find(|l| l.starts_with(name))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024.0)
    };
    Some((field("MemAvailable:")?, field("MemTotal:")?))
}

/// Slots by default: one per core, and no more than memory allows at the
/// default project limit of 2 GiB; at least 1, at most 50.
pub fn default_slots() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let by_memory = read_memory().map_or(cores, |(available, _)| (available / (2.0 * 1024.0 * 1024.0 * 1024.0)) as u32);
    cores.min(by_memory).clamp(1, 50)
}
