//! The benches' figures: printed as they come, then written to
//! `target/bench-figures/<bench>.json` (machine-readable, one object) and
//! `<bench>.md` (the same lines, for a person or an issue comment).
//! `BENCH_FIGURES_DIR` puts them elsewhere.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

pub struct Figures {
    bench: String,
    values: Map<String, Value>,
    lines: Vec<String>,
}

impl Figures {
    pub fn new(bench: &str) -> Self {
        let mut values = Map::new();
        values.insert("bench".into(), bench.into());
        values.insert("at".into(), now().into());
        values.insert("host".into(), host());
        Self { bench: bench.to_string(), values, lines: Vec::new() }
    }

    /// Records a figure under `key` (dots are kept as written).
    pub fn set(&mut self, key: &str, value: impl serde::Serialize) {
        self.values.insert(key.to_string(), serde_json::to_value(value).unwrap_or(Value::Null));
    }

    /// Prints a line and keeps it for the markdown file.
    pub fn say(&mut self, line: impl Into<String>) {
        let line = line.into();
        println!("{line}");
        self.lines.push(line);
    }

    /// Writes both files; returns the JSON file's path.
    pub fn write(&self) -> PathBuf {
        let dir = dir();
        let _ = std::fs::create_dir_all(&dir);
        let json = dir.join(format!("{}.json", self.bench));
        let md = dir.join(format!("{}.md", self.bench));
        let text = serde_json::to_string_pretty(&Value::Object(self.values.clone())).unwrap_or_default();
        if let Err(e) = std::fs::write(&json, text + "\n") {
            eprintln!("cannot write {}: {e}", json.display());
        }
        let mut body = format!("# {} ({})\n\n```\n", self.bench, self.values.get("at").and_then(Value::as_str).unwrap_or(""));
        for line in &self.lines {
            body.push_str(line);
            body.push('\n');
        }
        body.push_str("```\n");
        if let Err(e) = std::fs::write(&md, body) {
            eprintln!("cannot write {}: {e}", md.display());
        }
        println!("figures written to {} and {}", json.display(), md.display());
        json
    }
}

/// Whether this bench should run: `cargo bench -- NAME` (or `scripts/dev
/// bench NAME`) passes NAME to every bench binary; these run once and have
/// no cases to filter, so one runs only when NAME is part of its name.
pub fn selected(bench: &str) -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let chosen = filters.is_empty() || filters.iter().any(|f| bench.contains(f.as_str()));
    if !chosen {
        println!("{bench}: skipped (filter {filters:?})");
    }
    chosen
}

/// `target/bench-figures`, found from cargo's temporary folder for benches.
pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("BENCH_FIGURES_DIR") {
        return PathBuf::from(d);
    }
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().map(|t| t.join("bench-figures")).unwrap_or_else(|| PathBuf::from("bench-figures"))
}

pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The `p`-th percentile (0–100) of sorted values, nearest rank.
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn now() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// What the figures were measured on: cores, load, memory, the commit.
fn host() -> Value {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    serde_json::json!({
        "cores": cores,
        "loadavg_at_start": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        "commit": commit,
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
    })
}

/// Host CPU busy time from `/proc/stat`, sampled in the background.
pub struct CpuSampler {
    samples: std::sync::Arc<std::sync::Mutex<Vec<f64>>>,
    start: Option<(u64, u64)>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// `(busy, total)` jiffies of all cores.
pub fn cpu_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    let total: u64 = fields.iter().take(8).sum();
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    Some((total.saturating_sub(idle), total))
}

/// This process's user + system CPU time in clock ticks (`/proc/self/stat`).
pub fn own_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are 11 and 12 here.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

impl CpuSampler {
    /// Samples every `every`; each sample is the busy percentage of all
    /// cores since the previous one.
    pub fn start(every: Duration) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Mutex};
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (samples.clone(), stop.clone());
        let start = cpu_times();
        let thread = std::thread::spawn(move || {
            let mut prev = cpu_times();
            while !st.load(Ordering::Relaxed) {
                std::thread::sleep(every);
                let now = cpu_times();
                if let (Some((b0, t0)), Some((b1, t1))) = (prev, now) {
                    if t1 > t0 {
                        s.lock().unwrap().push((b1 - b0) as f64 / (t1 - t0) as f64 * 100.0);
                    }
                }
                prev = now;
            }
        });
        Self { samples, start, stop, thread: Some(thread) }
    }

    /// `(mean over the whole span, max sample, samples)`, in percent of all cores.
    pub fn finish(mut self) -> (f64, f64, Vec<f64>) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let samples = self.samples.lock().unwrap().clone();
        let mean = match (self.start, cpu_times()) {
            (Some((b0, t0)), Some((b1, t1))) if t1 > t0 => (b1 - b0) as f64 / (t1 - t0) as f64 * 100.0,
            _ => f64::NAN,
        };
        let max = samples.iter().copied().fold(0.0, f64::max);
        (mean, max, samples)
    }
}

/// `(VmRSS, VmHWM)` of this process in bytes.
pub fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub fn mib(bytes: u64) -> f64 {
    (bytes as f64 / (1024.0 * 1024.0) * 10.0).round() / 10.0
}
