//! Event latency (issue 8, target p99 ≤ 50 ms): 10 projects stream logs at
//! 1,000 lines/s each through the real `EventBus` as real `EngineEvent::Log`
//! events, while a subscriber does what the Tauri bridge does with each one
//! (serde_json serialization) and two more do what the tray and the
//! notifications do (look at the event, let a log line pass). Latency is
//! from just before `emit` to just after the subscriber has the JSON.
//!
//! Each project's lines arrive on schedule (the container's output) and
//! queue for a writer that does what `TaskWalk::exec_logged` does with them:
//! - `bus`: redact and emit (the bus and its subscribers alone);
//! - `sqlite-batched`: the run engine's path: take the line and whatever
//!   else already waits (up to 512), redact, append them to the SQLite log
//!   in one transaction, emit each;
//! - `sqlite-per-line`: the engine's path before (one insert, one commit per
//!   line), kept to show why the batching is there.
//!
//! "emit → subscriber" is the bus; "produced → subscriber" adds the wait for
//! the writer, which is what a person watching the log sees. A writer that
//! cannot keep up shows as a falling rate and a growing produced latency.
//!
//! `EVENT_LATENCY_SECS` (default 10), `EVENT_LATENCY_PROJECTS` (10),
//! `EVENT_LATENCY_RATE` (lines/s per project, 1000) and
//! `EVENT_LATENCY_MODES` (`bus,sqlite-batched,sqlite-per-line`) change the load. Writes
//! `target/bench-figures/event_latency.{json,md}`; asserts nothing.

#[path = "common/figures.rs"]
mod figures;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use devteam_engine::events::EventBus;
use devteam_engine::redact::Redactor;
use devteam_engine::run::Step;
use devteam_engine::runner::OutputStream;
use devteam_engine::store::Store;
use devteam_engine::demo::seed_bare_remote;
use devteam_engine::project::ProjectDraft;
use devteam_engine::{DataPaths, Engine, EngineEvent};
use figures::{percentile, Figures};
use tokio::sync::broadcast::error::RecvError;

/// Most lines one log write takes at once; the same as the run engine's.
const LOG_BATCH: usize = 512;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Lines as a build prints them (~90 bytes), numbered so the subscriber
/// can find when each was emitted.
fn line(seq: u64) -> String {
    const SAMPLES: [&str; 4] = [
        "   Compiling serde_derive v1.0.219 (registry+https://github.com/rust-lang/crates.io-index)",
        "test tasklist::tests::a_nested_list_keeps_its_order_after_mark_done ... ok",
        "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
        "src/app.tsx(41,7): warning: 'unused' is declared but its value is never read.",
    ];
    format!("#{seq} {}", SAMPLES[(seq % 4) as usize])
}

fn seq_of(line: &str) -> Option<u64> {
    line.strip_prefix('#')?.split_once(' ')?.0.parse().ok()
}

struct Stats {
    /// Emit → the bridge subscriber holds the JSON, µs.
    latency_us: Vec<u64>,
    /// When the line was due (produced) → the subscriber holds the JSON, µs.
    produced_us: Vec<u64>,
    lagged: u64,
    received: u64,
    emitted: u64,
    bytes_json: u64,
    wall: Duration,
    cpu_percent_of_one_core: f64,
}

async fn run(mode: &str, projects: u64, rate: u64, secs: u64) -> Stats {
    let bus = EventBus::new();
    let redactor = Redactor::default();
    // The engine redacts every line against the secrets it knows.
    redactor.register("OPENAI_API_KEY", "sk-bench-0123456789abcdef");
    redactor.register("github-token", "ghp_bench0123456789abcdef");
    let dir = tempfile::tempdir().unwrap();
    let mut ids: Vec<String> = (0..projects).map(|p| format!("bench-p{p:02}")).collect();
    let store = if mode.starts_with("sqlite") {
        // Real projects (the log's rows reference them) in a real database.
        let paths = DataPaths::at(dir.path());
        let engine = Engine::open(paths.clone()).await.unwrap();
        ids.clear();
        for p in 0..projects {
            let bare = seed_bare_remote(&dir.path().join(format!("remotes/p{p}.git")), &[("tasks.md", b"- [ ] 1 A\n")], "Plan").unwrap();
            let draft = ProjectDraft {
                customer: "Bench".into(),
                name: format!("p{p:02}"),
                repo_url: bare.display().to_string(),
                tasklist_path: "tasks.md".into(),
                default_agent: "script".into(),
                image: devteam_engine::project::MINIMAL_IMAGE.into(),
                ..ProjectDraft::default()
            };
            ids.push(engine.add_project(&draft).await.unwrap().id);
        }
        engine.close().await;
        Some(Store::open(&paths.database()).await.unwrap())
    } else {
        None
    };
    let index: Arc<HashMap<String, usize>> = Arc::new(ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect());
    let per_project = rate * secs;
    let epoch = Instant::now();
    // emitted_at[p][seq] in ns since `epoch`; 0 = not yet.
    let emitted_at: Arc<Vec<Vec<AtomicU64>>> =
        Arc::new((0..projects).map(|_| (0..per_project).map(|_| AtomicU64::new(0)).collect()).collect());

    // The bridge: serialize each event to JSON, as `EngineUpdate(event).emit(&app)` does.
    let mut rx = bus.subscribe();
    let (stamps, of) = (emitted_at.clone(), index.clone());
    let total = projects * per_project;
    let period_ns = 1e9 / rate as f64;
    let bridge = tokio::spawn(async move {
        let (mut latency_us, mut produced_us) = (Vec::with_capacity(total as usize), Vec::with_capacity(total as usize));
        let (mut lagged, mut received, mut bytes) = (0u64, 0u64, 0u64);
        loop {
            match rx.recv().await {
                Ok(event) => {
                    let json = serde_json::to_string(&event).unwrap();
                    let now = epoch.elapsed().as_nanos() as u64;
                    bytes += json.len() as u64;
                    if let EngineEvent::Log { project_id, line, .. } = &event {
                        let p = of[project_id.as_str()];
                        let seq = seq_of(line).unwrap();
                        let at = stamps[p][seq as usize].load(Ordering::Acquire);
                        latency_us.push(now.saturating_sub(at) / 1000);
                        let due = (seq as f64 * period_ns) as u64;
                        produced_us.push(now.saturating_sub(due) / 1000);
                        received += 1;
                    } else if matches!(event, EngineEvent::RunFinished { .. }) {
                        break;
                    }
                }
                Err(RecvError::Lagged(n)) => lagged += n,
                Err(RecvError::Closed) => break,
            }
        }
        (latency_us, produced_us, lagged, received, bytes)
    });
    // The tray and the notifications: they look at every event and act on a few.
    let quiet: Vec<_> = (0..2)
        .map(|_| {
            let mut rx = bus.subscribe();
            tokio::spawn(async move {
                let mut seen = 0u64;
                loop {
                    match rx.recv().await {
                        Ok(EngineEvent::RunFinished { .. }) | Err(RecvError::Closed) => return seen,
                        Ok(EngineEvent::Log { .. }) => seen += 1,
                        Ok(_) | Err(RecvError::Lagged(_)) => {}
                    }
                }
            })
        })
        .collect();

    let cpu0 = figures::own_cpu_ticks();
    let started = Instant::now();
    let mut emitters = Vec::new();
    for p in 0..projects {
        let (bus, redactor, store, stamps) = (bus.clone(), redactor.clone(), store.clone(), emitted_at.clone());
        let project_id = ids[p as usize].clone();
        let batched = mode == "sqlite-batched";
        // The container's output: lines arrive when they are due (a late
        // reader catches up at once) and queue for the writer, as Docker's
        // stream does for `TaskWalk::exec_logged`.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u64, String)>();
        tokio::spawn(async move {
            let start = tokio::time::Instant::from_std(epoch);
            for seq in 0..per_project {
                let due = start + Duration::from_nanos((seq as f64 * period_ns) as u64);
                if due > tokio::time::Instant::now() {
                    tokio::time::sleep_until(due).await;
                }
                let _ = tx.send((seq, line(seq)));
            }
        });
        // The writer: what the run engine does with each line.
        emitters.push(tokio::spawn(async move {
            let mut emitted = 0u64;
            let emit = |seq: u64, text: String| {
                stamps[p as usize][seq as usize].store(epoch.elapsed().as_nanos() as u64, Ordering::Release);
                bus.emit(EngineEvent::Log {
                    project_id: project_id.clone(),
                    task_id: "3.2".into(),
                    step: Step::Implement,
                    stream: OutputStream::Stdout,
                    line: text,
                });
            };
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                // The engine's batching: whatever already waits joins the
                // same transaction (`LOG_BATCH` in run/task.rs).
                while batched && batch.len() < LOG_BATCH {
                    match rx.try_recv() {
                        Ok(more) => batch.push(more),
                        Err(_) => break,
                    }
                }
                let batch: Vec<(u64, String)> = batch.into_iter().map(|(seq, text)| (seq, redactor.redact(&text))).collect();
                match (&store, batched) {
                    (Some(store), true) => {
                        let rows: Vec<(&str, &str)> = batch.iter().map(|(_, t)| ("stdout", t.as_str())).collect();
                        store.append_logs(&project_id, "3.2", Step::Implement, &rows).await.unwrap();
                    }
                    (Some(store), false) => {
                        for (_, text) in &batch {
                            store.append_log(&project_id, "3.2", Step::Implement, "stdout", text).await.unwrap();
                        }
                    }
                    (None, _) => {}
                }
                for (seq, text) in batch {
                    emit(seq, text);
                    emitted += 1;
                }
            }
            emitted
        }));
    }
    let mut emitted = 0;
    for e in emitters {
        emitted += e.await.unwrap();
    }
    let wall = started.elapsed();
    bus.emit(EngineEvent::RunFinished {
        project_id: "bench".into(),
        end: devteam_engine::run::RunEnd::AllDone { tasks_done: 0 },
    });
    let (mut latency_us, mut produced_us, lagged, received, bytes_json) = bridge.await.unwrap();
    for q in quiet {
        q.await.unwrap();
    }
    let cpu = match (cpu0, figures::own_cpu_ticks()) {
        (Some(a), Some(b)) => (b - a) as f64 / 100.0 / wall.as_secs_f64() * 100.0,
        _ => f64::NAN,
    };
    if let Some(store) = store {
        store.close().await;
    }
    latency_us.sort_unstable();
    produced_us.sort_unstable();
    Stats { latency_us, produced_us, lagged, received, emitted, bytes_json, wall, cpu_percent_of_one_core: cpu }
}

fn ms(us: Option<u64>) -> f64 {
    us.map_or(f64::NAN, |u| u as f64 / 1000.0)
}

#[tokio::main]
async fn main() {
    if !figures::selected("event_latency") {
        return;
    }
    let secs = env_or("EVENT_LATENCY_SECS", 10).max(1);
    let projects = env_or("EVENT_LATENCY_PROJECTS", 10).max(1);
    let rate = env_or("EVENT_LATENCY_RATE", 1000).max(1);
    let modes = std::env::var("EVENT_LATENCY_MODES").unwrap_or_else(|_| "bus,sqlite-batched,sqlite-per-line".into());
    let mut figures = Figures::new("event_latency");
    figures.set("projects", projects);
    figures.set("lines_per_second_per_project", rate);
    figures.set("seconds", secs);
    figures.set("runtime_workers", std::thread::available_parallelism().map_or(1, |n| n.get()));
    figures.say(format!(
        "event latency: {projects} projects × {rate} lines/s for {secs} s, real EventBus + EngineEvent::Log, a bridge subscriber serializing to JSON and 2 more subscribers"
    ));
    for mode in modes.split(',').map(str::trim).filter(|m| !m.is_empty()) {
        let s = run(mode, projects, rate, secs).await;
        let lat = &s.latency_us;
        let (p50, p99, p999, max) = (percentile(lat, 50.0), percentile(lat, 99.0), percentile(lat, 99.9), lat.last().copied());
        let prod = &s.produced_us;
        let achieved = s.emitted as f64 / s.wall.as_secs_f64();
        figures.say(format!(
            "  {mode:>6}: emit → subscriber p50 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms (target p99 <= 50 ms)",
            ms(p50),
            ms(p99),
            ms(p999),
            ms(max)
        ));
        figures.say(format!(
            "          produced → subscriber p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {} of {} events received, {} lagged (dropped by the bus); {:.0} lines/s emitted in all ({:.0}% of the asked rate); {:.1} MB of JSON; this process used {:.0}% of one core",
            ms(percentile(prod, 50.0)),
            ms(percentile(prod, 99.0)),
            ms(prod.last().copied()),
            s.received,
            s.emitted,
            s.lagged,
            achieved,
            achieved / (projects * rate) as f64 * 100.0,
            s.bytes_json as f64 / 1e6,
            s.cpu_percent_of_one_core
        ));
        figures.set(
            mode,
            serde_json::json!({
                "emit_to_subscriber_ms": {"p50": ms(p50), "p99": ms(p99), "p99_9": ms(p999), "max": ms(max)},
                "produced_to_subscriber_ms": {"p50": ms(percentile(prod, 50.0)), "p99": ms(percentile(prod, 99.0)), "max": ms(prod.last().copied())},
                "received": s.received,
                "emitted": s.emitted,
                "lagged": s.lagged,
                "lines_per_second": achieved,
                "json_bytes": s.bytes_json,
                "process_cpu_percent_of_one_core": s.cpu_percent_of_one_core,
            }),
        );
    }
    figures.write();
}
