//! Throughput (issue 8): 20 projects × 10 no-op tasks (script agent `true`,
//! a file criterion each, local bare remotes, the busybox image) through the
//! Orchestrator with the default slots, against one project alone through
//! the same orchestrator in the same run. Tasks per minute, wall-clock and
//! steady (first to last task done); host CPU sampled from /proc/stat and
//! this process's own CPU. Runs once; prints and writes
//! `target/bench-figures/orchestrator_throughput.{json,md}`.
//!
//! `THROUGHPUT_PROJECTS` (20), `THROUGHPUT_TASKS` (10), `THROUGHPUT_SLOTS`
//! (default: `default_slots()`, one per core within memory) and
//! `THROUGHPUT_CPU_LIMIT` (admission limit in %; default off, as this
//! shared machine's load is not the bench's) change it.

#[path = "common/figures.rs"]
mod figures;
#[path = "common/projects.rs"]
mod projects;

use std::time::{Duration, Instant};

use devteam_engine::orchestrator::{default_slots, Orchestrator, OrchestratorOptions, StartOptions};
use devteam_engine::{DataPaths, Engine, EngineEvent};
use figures::{CpuSampler, Figures};
use projects::Containers;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Phase {
    tasks: usize,
    wall: Duration,
    /// First to last TaskDone of the phase.
    steady: Option<Duration>,
    host_cpu_mean: f64,
    host_cpu_max: f64,
    own_cpu_percent_of_one_core: f64,
    not_completed: Vec<String>,
}

impl Phase {
    fn per_minute(&self) -> f64 {
        self.tasks as f64 / self.wall.as_secs_f64() * 60.0
    }

    fn steady_per_minute(&self) -> Option<f64> {
        self.steady.filter(|d| !d.is_zero()).map(|d| (self.tasks - 1) as f64 / d.as_secs_f64() * 60.0)
    }
}

async fn phase(orch: &Orchestrator, ids: &[String], tasks_each: usize) -> Phase {
    let mut events = orch.engine().subscribe();
    let done_at = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorder = {
        let (done_at, ids) = (done_at.clone(), ids.to_vec());
        tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(EngineEvent::TaskDone { project_id, .. }) if ids.contains(&project_id) => done_at.lock().unwrap().push(Instant::now()),
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        })
    };
    let cpu = CpuSampler::start(Duration::from_secs(1));
    let own0 = figures::own_cpu_ticks();
    let start = Instant::now();
    for id in ids {
        orch.start_project(id, StartOptions::default()).await.unwrap();
    }
    let all = projects::wait_for(orch, "the projects to settle", Duration::from_secs(3600), |all| projects::settled(all, ids)).await;
    let wall = start.elapsed();
    let own = match (own0, figures::own_cpu_ticks()) {
        (Some(a), Some(b)) => (b - a) as f64 / 100.0 / wall.as_secs_f64() * 100.0,
        _ => f64::NAN,
    };
    let (host_cpu_mean, host_cpu_max, _) = cpu.finish();
    // The phase's events have arrived by now (each precedes its board change).
    tokio::time::sleep(Duration::from_millis(200)).await;
    recorder.abort();
    let done_at = done_at.lock().unwrap().clone();
    let steady = match (done_at.first(), done_at.last()) {
        (Some(first), Some(last)) if done_at.len() == ids.len() * tasks_each => Some(*last - *first),
        _ => None,
    };
    Phase {
        tasks: ids.len() * tasks_each,
        wall,
        steady,
        host_cpu_mean,
        host_cpu_max,
        own_cpu_percent_of_one_core: own,
        not_completed: projects::not_completed(&all, ids),
    }
}

#[tokio::main]
async fn main() {
    if !figures::selected("orchestrator_throughput") {
        return;
    }
    let n_projects: usize = env_or("THROUGHPUT_PROJECTS", 20);
    let tasks: usize = env_or("THROUGHPUT_TASKS", 10);
    let slots: u32 = env_or("THROUGHPUT_SLOTS", default_slots());
    let cpu_limit: f64 = env_or("THROUGHPUT_CPU_LIMIT", 1000.0);
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let list = projects::tasklist(tasks, "true");
    let solo = vec![projects::add(&engine, dir.path(), "solo", &list).await];
    let mut many = Vec::new();
    for n in 0..n_projects {
        many.push(projects::add(&engine, dir.path(), &format!("p{n:02}"), &list).await);
    }
    let _containers = Containers::of(&paths, &[solo.clone(), many.clone()].concat());
    let options = OrchestratorOptions { slots, cpu_limit, project_memory_bytes: 0.0 };
    let orch = Orchestrator::start(engine.clone(), options).await.unwrap();

    let mut figures = Figures::new("orchestrator_throughput");
    figures.say(format!(
        "orchestrator throughput: {n_projects} projects × {tasks} no-op tasks (script `true`, a file criterion each, busybox, local bare remotes), {slots} slots (default_slots() = {}), CPU admission limit {}",
        default_slots(),
        if cpu_limit >= 1000.0 { "off".to_string() } else { format!("{cpu_limit:.0}%") }
    ));
    figures.set("projects", n_projects);
    figures.set("tasks_per_project", tasks);
    figures.set("slots", slots);
    figures.set("cpu_admission_limit", cpu_limit);

    let one = phase(&orch, &solo, tasks).await;
    let all = phase(&orch, &many, tasks).await;
    for (name, p) in [("one project", &one), (&*format!("{n_projects} projects"), &all)] {
        figures.say(format!(
            "  {name:>12}: {} tasks in {:.1} s = {:.0} tasks/min ({} first to last task done); host CPU mean {:.0}%, max {:.0}% (all cores); this process {:.0}% of one core{}",
            p.tasks,
            p.wall.as_secs_f64(),
            p.per_minute(),
            p.steady_per_minute().map_or("n/a".to_string(), |r| format!("{r:.0}/min")),
            p.host_cpu_mean,
            p.host_cpu_max,
            p.own_cpu_percent_of_one_core,
            if p.not_completed.is_empty() { String::new() } else { format!("; NOT COMPLETED: {:?}", p.not_completed) }
        ));
    }
    figures.say(format!(
        "  speed-up: {:.2}x the single-project rate with {slots} slots ({:.0}% of a perfect {slots}x)",
        all.per_minute() / one.per_minute(),
        all.per_minute() / one.per_minute() / slots as f64 * 100.0
    ));
    for (key, p) in [("one_project", &one), ("all_projects", &all)] {
        figures.set(
            key,
            serde_json::json!({
                "tasks": p.tasks,
                "seconds": p.wall.as_secs_f64(),
                "tasks_per_minute": p.per_minute(),
                "steady_tasks_per_minute": p.steady_per_minute(),
                "host_cpu_mean_percent": p.host_cpu_mean,
                "host_cpu_max_percent": p.host_cpu_max,
                "process_cpu_percent_of_one_core": p.own_cpu_percent_of_one_core,
                "not_completed": p.not_completed,
            }),
        );
    }
    figures.set("speedup", all.per_minute() / one.per_minute());
    figures.write();
}
