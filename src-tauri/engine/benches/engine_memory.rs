//! The engine's own memory with 20 active projects (issue 8, target under
//! 150 MB beside the containers): 20 projects run at once (20 slots), each
//! task streaming log lines for a few seconds, while this process's VmRSS
//! is sampled from /proc/self/status; VmHWM (the peak) is read at the end.
//! The containers' memory is theirs (Docker's), not counted here.
//! Runs once; prints and writes `target/bench-figures/engine_memory.{json,md}`.
//!
//! `MEMORY_PROJECTS` (20), `MEMORY_TASKS` (3 per project) and
//! `MEMORY_LINES` (lines per task, 10 a second; default 50) change it.

#[path = "common/figures.rs"]
mod figures;
#[path = "common/projects.rs"]
mod projects;

use std::time::{Duration, Instant};

use devteam_engine::orchestrator::{ExecState, Orchestrator, OrchestratorOptions, StartOptions};
use devteam_engine::{DataPaths, Engine};
use figures::{median, mib, rss, Figures};
use projects::Containers;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn threads() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

#[tokio::main]
async fn main() {
    if !figures::selected("engine_memory") {
        return;
    }
    let n_projects = env_or("MEMORY_PROJECTS", 20);
    let tasks = env_or("MEMORY_TASKS", 3);
    let lines = env_or("MEMORY_LINES", 50);
    let (rss_start, _) = rss();
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let script = format!("for i in $(seq {lines}); do echo \"building step $i of {lines}: compiling module_$i with a line of ordinary length\"; sleep 0.1; done");
    let list = projects::tasklist(tasks, &script);
    let mut ids = Vec::new();
    for n in 0..n_projects {
        ids.push(projects::add(&engine, dir.path(), &format!("m{n:02}"), &list).await);
    }
    let _containers = Containers::of(&paths, &ids);
    let slots = u32::try_from(n_projects).unwrap_or(50).clamp(1, 50);
    let orch = Orchestrator::start(engine.clone(), OrchestratorOptions { slots, cpu_limit: 1000.0, project_memory_bytes: 0.0 }).await.unwrap();
    let (rss_idle, _) = rss();

    let start = Instant::now();
    for id in &ids {
        orch.start_project(id, StartOptions::default()).await.unwrap();
    }
    // Sample until every project has settled.
    let (mut all_active, mut any) = (Vec::new(), Vec::new());
    let mut most_active = 0;
    let mut most_threads = 0;
    loop {
        let board = orch.executions();
        let running = board
            .iter()
            .filter(|e| ids.contains(&e.project_id) && matches!(e.state, ExecState::Autonomous | ExecState::TaskExecuting | ExecState::ErrorSolving))
            .count();
        let (now, _) = rss();
        any.push(now);
        if running == n_projects {
            all_active.push(now);
        }
        most_active = most_active.max(running);
        most_threads = most_threads.max(threads());
        if projects::settled(&board, &ids) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(1800), "the projects did not settle: {board:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let wall = start.elapsed();
    let board = orch.executions();
    let not_completed = projects::not_completed(&board, &ids);
    let (rss_end, hwm) = rss();

    let mut figures = Figures::new("engine_memory");
    let mb = |b: u64| mib(b);
    let as_f: Vec<f64> = all_active.iter().map(|b| *b as f64).collect();
    let all_max = all_active.iter().copied().max().unwrap_or(0);
    figures.say(format!(
        "engine memory: {n_projects} projects at once ({slots} slots), {tasks} tasks each streaming {lines} lines at 10/s, {:.0} s",
        wall.as_secs_f64()
    ));
    figures.say(format!("  VmRSS at start {} MiB; engine open with the projects and the orchestrator idle {} MiB", mb(rss_start), mb(rss_idle)));
    figures.say(format!(
        "  VmRSS with all {n_projects} projects running ({} samples): median {} MiB, max {} MiB; max over the run {} MiB (at most {most_active} running at once, {most_threads} threads)",
        all_active.len(),
        if as_f.is_empty() { f64::NAN } else { mib(median(&as_f) as u64) },
        mb(all_max),
        mb(any.iter().copied().max().unwrap_or(0)),
    ));
    figures.say(format!("  VmHWM (peak RSS of the process) {} MiB; VmRSS after all settled {} MiB (target under 150 MB)", mb(hwm), mb(rss_end)));
    if !not_completed.is_empty() {
        figures.say(format!("  NOT COMPLETED: {not_completed:?}"));
    }
    figures.set("projects", n_projects);
    figures.set("tasks_per_project", tasks);
    figures.set("lines_per_task", lines);
    figures.set("rss_start_mib", mb(rss_start));
    figures.set("rss_idle_mib", mb(rss_idle));
    figures.set("rss_all_active_median_mib", if as_f.is_empty() { None } else { Some(mib(median(&as_f) as u64)) });
    figures.set("rss_all_active_max_mib", mb(all_max));
    figures.set("rss_max_mib", mb(any.iter().copied().max().unwrap_or(0)));
    figures.set("vm_hwm_mib", mb(hwm));
    figures.set("rss_end_mib", mb(rss_end));
    figures.set("most_running_at_once", most_active);
    figures.set("most_threads", most_threads);
    figures.set("not_completed", &not_completed);
    figures.write();
}
