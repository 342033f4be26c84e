//! Tasks side by side (issue 8): one project of `LANES_TASKS` (12)
//! independent tasks, each busy for `LANES_TASK_SECONDS` (2) seconds in the
//! busybox image, run with `parallel_tasks` 1 and then `LANES_PARALLEL` (4)
//! in dependency order and direct merge; wall-clock and tasks per minute,
//! and how many commits the remote's main got (one per task, each run).
//! Runs once; prints and writes `target/bench-figures/lanes_throughput.{json,md}`.

#[path = "common/figures.rs"]
mod figures;
#[path = "common/projects.rs"]
mod projects;

use std::process::Command;
use std::time::{Duration, Instant};

use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::{ExecutionOrder, RunPolicy};
use devteam_engine::run::{MergeMode, RunControl, RunEnd};
use devteam_engine::{DataPaths, Engine};
use figures::{CpuSampler, Figures};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs a fresh project with `parallel` lanes; wall-clock, host CPU mean, commits on main.
async fn measure(engine: &Engine, dir: &std::path::Path, name: &str, list: &str, parallel: u32) -> (Duration, f64, usize) {
    let id = projects::add(engine, dir, name, list).await;
    let mut draft = engine.project(&id).await.unwrap().settings;
    draft.order = ExecutionOrder::Dependency;
    draft.run = RunPolicy { parallel_tasks: parallel, merge_mode: MergeMode::Direct, ..RunPolicy::default() };
    engine.update_project(&id, &draft).await.unwrap();
    let cpu = CpuSampler::start(Duration::from_secs(1));
    let start = Instant::now();
    let end = engine.run(&id, &RunRequest::default(), &RunControl::default()).await.unwrap();
    let wall = start.elapsed();
    let (cpu_mean, _, _) = cpu.finish();
    assert!(matches!(end, RunEnd::AllDone { .. }), "{name}: {end:?}");
    let bare = dir.join(format!("remotes/{name}.git"));
    let log = Command::new("git").args(["log", "--format=%s", "main"]).current_dir(&bare).output().unwrap();
    let commits = String::from_utf8_lossy(&log.stdout).lines().filter(|l| l.starts_with("Task ")).count();
    (wall, cpu_mean, commits)
}

#[tokio::main]
async fn main() {
    if !figures::selected("lanes_throughput") {
        return;
    }
    let tasks: usize = env_or("LANES_TASKS", 12);
    let seconds: u32 = env_or("LANES_TASK_SECONDS", 2);
    let parallel: u32 = env_or("LANES_PARALLEL", 4);
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let list = projects::tasklist(tasks, &format!("sleep {seconds}"));
    let mut figures = Figures::new("lanes_throughput");
    figures.say(format!("{tasks} independent tasks of {seconds} s each, one project, busybox image, direct merge"));
    figures.set("tasks", tasks);
    figures.set("task_seconds", seconds);
    let mut rates = Vec::new();
    for lanes in [1, parallel] {
        let name = format!("lanes{lanes}");
        let (wall, cpu, commits) = measure(&engine, dir.path(), &name, &list, lanes).await;
        let per_minute = tasks as f64 / wall.as_secs_f64() * 60.0;
        figures.say(format!(
            "  {lanes} task(s) at once: {:.1} s, {per_minute:.1} tasks/min, host CPU mean {cpu:.0}%, {commits} commits on main",
            wall.as_secs_f64()
        ));
        figures.set(&format!("lanes_{lanes}"), serde_json::json!({ "wall_s": wall.as_secs_f64(), "tasks_per_minute": per_minute, "host_cpu_mean": cpu, "commits": commits }));
        rates.push(per_minute);
    }
    figures.say(format!("  speed-up with {parallel} at once: {:.2}x", rates[1] / rates[0]));
    figures.set("speedup", rates[1] / rates[0]);
    figures.write();
}
