//! Per-task overhead of the run engine (issue 5, target ≤ 1.5×): no-op tasks
//! walked through the whole state machine, against the bare minimum the same
//! work needs (one `docker exec true`, a commit and a push per task).
//!
//! The machine is shared and noisy, so the two are measured in alternating
//! rounds (which goes first alternates too). The headline ratio compares the
//! medians of single tasks pooled over all rounds (an engine task: from one
//! task's DONE to the next's; plus the run's own setup spread over its
//! tasks), which a burst of load on the machine moves far less than a whole
//! run; the whole-run ratios are printed too. Each engine run is split into
//! its steps from the events it emits, and the pieces the engine adds are
//! timed on their own, so the extra can be attributed. Prints the figures
//! and writes them to `target/bench-figures/task_overhead.{json,md}`;
//! asserts nothing.
//!
//! The baseline's `docker exec` is the bare Docker calls (create, start,
//! read the output, read the exit status): what any runner must do.
//!
//! `TASK_OVERHEAD_ROUNDS` (default 7) and `TASK_OVERHEAD_TASKS` (default 10;
//! the first task of each engine run is a warm-up) change the size;
//! `TASK_OVERHEAD_FILES` (default 0) adds that many files to the repository,
//! to see what a real project's worktree costs per task.

#[path = "common/figures.rs"]
mod figures;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::ProjectDraft;
use devteam_engine::repo::{Author, GitCredentials, GitRepo};
use devteam_engine::run::{container_name, MergeMode, RunControl, Step, TaskStatus};
use devteam_engine::runner::{ContainerSpec, DockerRunner, ExecSpec, ImageRecipe, Limits, WORKTREE_MOUNT};
use devteam_engine::store::{AuditEntry, Store, TaskRun};
use devteam_engine::{DataPaths, Engine, EngineEvent};
use figures::{median, ms, Figures};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn remote(root: &Path, tasks: usize) -> std::path::PathBuf {
    let files = env_or("TASK_OVERHEAD_FILES", 0);
    let bare = root.join("remote.git");
    let seed = root.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(root, &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&seed, &["init", "-q", "-b", "main"]);
    let list: String = (1..=tasks).map(|i| format!("- [ ] {i} No-op {i}\n  ```sh\n  true\n  ```\n")).collect();
    std::fs::write(seed.join("tasks.md"), list).unwrap();
    for f in 0..files {
        let dir = seed.join(format!("src/m{}", f / 50));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("f{f}.rs")), format!("// file {f}\npub fn f{f}() -> u32 {{ {f} }}\n").repeat(20)).unwrap();
    }
    git(&seed, &["add", "."]);
    git(&seed, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "plan"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    bare
}

/// What one engine run took, and when each of its events arrived.
struct EngineRound {
    per_task: Duration,
    /// Each interval between two marks, by phase (ms), over the measured tasks.
    phases: BTreeMap<String, Vec<f64>>,
    /// One task from the end of the one before (`done` to `done`), ms; the
    /// run's first task is left out (its start is the run's setup).
    samples: Vec<f64>,
    setup: Duration,
    final_select: Duration,
}

fn mark_of(event: &EngineEvent) -> Option<String> {
    match event {
        EngineEvent::StepStarted { step, .. } => Some(step.as_str().to_string()),
        EngineEvent::Progress { .. } => Some("select".into()),
        EngineEvent::RunFinished { .. } => Some("finished".into()),
        _ => None,
    }
}

/// Names the interval between two marks by what happens in it.
fn phase(from: &str, to: &str) -> String {
    let what = match (from, to) {
        ("done", "select") => "fetch + read + parse + validate + inject + rows",
        ("select", "prep") => "plan + route + save PREP",
        ("prep", "implement") => "route note, branch + reset, inject, chown, read log + save IMPLEMENT",
        ("implement", "verify") => "prompt + docker exec + save VERIFY",
        ("verify", "merge") => "verify + reports + save MERGE",
        ("merge", "push") => "read log + agent.log + tick + hand over + commit + save PUSH",
        ("push", "done") => "push + save DONE",
        _ => "",
    };
    format!("{from:>9} → {to:<9} {what}")
}

async fn engine_run(root: &Path, tasks: usize) -> EngineRound {
    let bare = remote(root, tasks);
    let data = root.join("data");
    let engine = Engine::open(DataPaths::at(&data)).await.unwrap();
    let draft = ProjectDraft {
        customer: "Bench".into(),
        name: "Noop".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let request = RunRequest { merge_mode: Some(MergeMode::Direct), ..RunRequest::default() };
    // Warm up: the clone and the container, which a real project pays once.
    engine.run(&id, &RunRequest { max_tasks: Some(1), ..request.clone() }, &RunControl::default()).await.unwrap();
    let mut events = engine.subscribe();
    let recorder = tokio::spawn(async move {
        let mut marks = Vec::new();
        while let Ok(event) = events.recv().await {
            if let Some(mark) = mark_of(&event) {
                let end = mark == "finished";
                marks.push((Instant::now(), mark));
                if end {
                    break;
                }
            }
        }
        marks
    });
    let start = Instant::now();
    engine.run(&id, &request, &RunControl::default()).await.unwrap();
    let took = start.elapsed();
    let marks = recorder.await.unwrap();
    let _ = Command::new("docker").args(["rm", "-f", &container_name(&DataPaths::at(&data), &id)]).output();
    engine.close().await;

    let measured = tasks as u32 - 1;
    let mut phases: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let first = marks.first().map_or(start, |m| m.0);
    let last_done = marks.iter().rev().find(|m| m.1 == "done").map_or(start, |m| m.0);
    for pair in marks.windows(2) {
        let ((t0, a), (t1, b)) = (&pair[0], &pair[1]);
        // The select after the last task ends the run: counted apart.
        if *t0 >= last_done {
            continue;
        }
        phases.entry(phase(a, b)).or_default().push((*t1 - *t0).as_secs_f64() * 1e3);
    }
    let dones: Vec<Instant> = marks.iter().filter(|m| m.1 == "done").map(|m| m.0).collect();
    let samples = dones.windows(2).map(|w| (w[1] - w[0]).as_secs_f64() * 1e3).collect();
    EngineRound {
        per_task: took / measured,
        phases,
        samples,
        setup: first - start,
        final_select: marks.last().map_or(Duration::ZERO, |m| m.0.saturating_duration_since(last_done)),
    }
}

struct BaseRound {
    per_task: Duration,
    /// Each task's exec + commit + push, ms.
    samples: Vec<f64>,
    exec: Duration,
    commit: Duration,
    push: Duration,
}

async fn baseline(root: &Path, tasks: usize) -> BaseRound {
    let bare = remote(root, tasks);
    let runner = DockerRunner::connect().await.unwrap();
    let image = runner.ensure_image(&ImageRecipe::test_image(Vec::new()).unwrap(), &mut |_| {}).await.unwrap();
    let clone = GitRepo::clone_or_open(bare.to_str().unwrap(), &root.join("clone"), &GitCredentials::None).unwrap();
    let name = format!("devteam-bench-baseline-{}", std::process::id());
    runner.ensure_container(&ContainerSpec::new(&name, image, clone.path())).await.unwrap();
    let (mut exec, mut commit, mut push) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut samples = Vec::new();
    let start = Instant::now();
    for i in 1..tasks {
        let one = Instant::now();
        let t = Instant::now();
        docker_exec_true(&runner, &name).await;
        exec += t.elapsed();
        let t = Instant::now();
        std::fs::write(clone.path().join("tasks.md"), format!("done {i}\n")).unwrap();
        clone.commit_all(&format!("Task {i}"), &Author::default()).unwrap();
        commit += t.elapsed();
        let t = Instant::now();
        clone.push_branch("main", &GitCredentials::None).unwrap();
        push += t.elapsed();
        samples.push(one.elapsed().as_secs_f64() * 1e3);
    }
    let took = start.elapsed();
    runner.remove_container(&name).await.unwrap();
    let n = tasks as u32 - 1;
    BaseRound { per_task: took / n, samples, exec: exec / n, commit: commit / n, push: push / n }
}

/// `docker exec CONTAINER sh -c true`, through the same Docker API calls
/// the engine makes and nothing more.
async fn docker_exec_true(runner: &DockerRunner, container: &str) {
    use bollard::exec::{CreateExecOptions, StartExecResults};
    use futures_util::StreamExt;
    let docker = runner.client();
    let created = docker
        .create_exec(
            container,
            CreateExecOptions {
                cmd: Some(vec!["sh".to_string(), "-c".into(), "true".into()]),
                env: Some(Vec::new()),
                working_dir: Some(WORKTREE_MOUNT.to_string()),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let StartExecResults::Attached { mut output, .. } = docker.start_exec(&created.id, None).await.unwrap() else {
        panic!("detached");
    };
    while let Some(item) = output.next().await {
        item.unwrap();
    }
    assert_eq!(docker.inspect_exec(&created.id).await.unwrap().exit_code, Some(0));
}

/// Mean time of `n` calls of an async step.
async fn mean_of<F, Fut>(n: u32, mut f: F) -> Duration
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f(0).await;
    let start = Instant::now();
    for i in 1..=n {
        f(i).await;
    }
    start.elapsed() / n
}

/// The pieces the engine adds to each task, each timed on its own.
async fn pieces(root: &Path, figures: &mut Figures) {
    let data = root.join("data");
    let paths = DataPaths::at(&data);
    let engine = Engine::open(paths.clone()).await.unwrap();
    let bare = remote(root, 10);
    let draft = ProjectDraft {
        customer: "Bench".into(),
        name: "Pieces".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let store = Store::open(&paths.database()).await.unwrap();
    let mut row = TaskRun {
        project_id: id.clone(),
        task_id: "1".into(),
        title: "No-op 1".into(),
        branch: "task/1-no-op-1".into(),
        step: Step::Prep,
        status: TaskStatus::Running,
        attempts: 1,
        agent: "script".into(),
        reason: None,
        start_commit: None,
        commit_id: None,
        started_at: devteam_engine::engine::now_iso8601(),
        updated_at: devteam_engine::engine::now_iso8601(),
        finished_at: None,
        pr_number: None,
        pr_url: None,
        approved_by: None,
    };
    let save = mean_of(200, |_| {
        row.step = Step::Implement;
        let (store, row) = (&store, row.clone());
        async move { store.save_task_run(&row).await.unwrap() }
    })
    .await;
    let audit = mean_of(200, |i| {
        let store = &store;
        let entry = AuditEntry {
            project_id: id.clone(),
            task_id: "1".into(),
            actor: "devteam".into(),
            action: "step:implement".into(),
            detail: format!("attempt {i}"),
        };
        async move { store.append_audit(&entry).await.unwrap() }
    })
    .await;
    let log = mean_of(200, |i| {
        let (store, id) = (&store, &id);
        async move { store.append_log(id, "1", Step::Prep, "devteam", &format!("agent: script ({i})")).await.unwrap() }
    })
    .await;

    let runner = DockerRunner::connect().await.unwrap();
    let image = runner.ensure_image(&ImageRecipe::test_image(Vec::new()).unwrap(), &mut |_| {}).await.unwrap();
    let clone = GitRepo::clone_or_open(bare.to_str().unwrap(), &root.join("clone"), &GitCredentials::None).unwrap();
    let name = format!("devteam-bench-pieces-{}", std::process::id());
    runner.ensure_container(&ContainerSpec::new(&name, image.clone(), clone.path())).await.unwrap();
    let limits = Limits { wall_clock: Duration::from_secs(60), inactivity: Duration::from_secs(60) };
    let exec = mean_of(30, |_| {
        let (runner, name) = (&runner, &name);
        async move {
            runner.exec(name, &ExecSpec::shell("true", limits), &mut |_| {}).await.unwrap();
        }
    })
    .await;
    let bare_exec = mean_of(30, |_| docker_exec_true(&runner, &name)).await;
    let inspect = mean_of(30, |_| {
        let (runner, name) = (&runner, &name);
        async move {
            runner.client().inspect_container(name, None).await.unwrap();
        }
    })
    .await;
    let ensure_container = mean_of(30, |_| {
        let runner = &runner;
        let spec = ContainerSpec::new(&name, image.clone(), clone.path());
        async move { runner.ensure_container(&spec).await.unwrap() }
    })
    .await;
    runner.remove_container(&name).await.unwrap();
    // What every run pays once before its first task (engine_run + run_project).
    let connect = mean_of(10, |_| async {
        DockerRunner::connect().await.unwrap();
    })
    .await;
    let ensure_image = mean_of(10, |_| {
        let runner = &runner;
        async move {
            runner.ensure_image(&ImageRecipe::test_image(Vec::new()).unwrap(), &mut |_| {}).await.unwrap();
        }
    })
    .await;
    let keychain = mean_of(10, |_| async {
        let _ = tokio::task::spawn_blocking(devteam_engine::secrets::KeychainSecrets::open).await;
    })
    .await;
    let open_clone = mean_of(10, |_| {
        GitRepo::clone_or_open(bare.to_str().unwrap(), &root.join("clone"), &GitCredentials::None).unwrap();
        async {}
    })
    .await;

    let fetch = mean_of(30, |_| {
        clone.fetch(&GitCredentials::None).unwrap();
        async {}
    })
    .await;
    let tip = clone.remote_branch("main").unwrap();
    let checkout = mean_of(30, |_| {
        clone.checkout_branch("task/1-no-op-1", tip).unwrap();
        clone.reset_hard(tip).unwrap();
        async {}
    })
    .await;
    let diff = mean_of(30, |_| {
        clone.diff_against_head(None).unwrap();
        async {}
    })
    .await;
    let read_parse = mean_of(30, |_| {
        let bytes = clone.read_file_at(tip, "tasks.md").unwrap().unwrap();
        let list = devteam_engine::tasklist::parse(&bytes, "tasks.md");
        let _ = devteam_engine::tasklist::validate(&list, devteam_engine::tasklist::ValidateOptions::default());
        async {}
    })
    .await;
    let rows = mean_of(30, |_| {
        let (store, id) = (&store, &id);
        async move {
            store.task_runs(id).await.unwrap();
        }
    })
    .await;
    store.close().await;
    engine.close().await;

    figures.say("pieces the engine adds, each timed alone (mean):");
    let items = [
        ("save_task_run (one step row)", save, "×6 per task"),
        ("append_audit (one chained audit row)", audit, "×7 per task (6 steps + route)"),
        ("append_log (one log line)", log, "×1 per no-op task (the route note)"),
        ("task_runs (read the rows at SELECT)", rows, "×1 per task"),
        ("runner.exec(true) (the engine's exec)", exec, "×1 per task"),
        ("bare docker exec true (the baseline's)", bare_exec, "×1 per task in the baseline"),
        ("docker inspect_container alone", inspect, "after an exec: now only when it did not exit 0"),
        ("git fetch (nothing new)", fetch, "×1 per task"),
        ("checkout task branch + reset --hard", checkout, "what PREP did per task before; now one pass"),
        ("diff against HEAD (prompt)", diff, "now only on retries (was ×1 per attempt)"),
        ("read + parse + validate the task list", read_parse, "×1 per task"),
        ("DockerRunner::connect", connect, "×1 per run"),
        ("ensure_image (present)", ensure_image, "×1 per run"),
        ("KeychainSecrets::open", keychain, "×1 per run"),
        ("open the clone", open_clone, "×1 per run"),
        ("ensure_container (running, same spec)", ensure_container, "×1 per run"),
    ];
    for (what, took, how_often) in items {
        figures.say(format!("  {:>7.2} ms  {what} — {how_often}", took.as_secs_f64() * 1e3));
        figures.set(&format!("pieces_ms.{what}"), ms(took));
    }
}

#[tokio::main]
async fn main() {
    if !figures::selected("task_overhead") {
        return;
    }
    let rounds = env_or("TASK_OVERHEAD_ROUNDS", 7).max(1);
    let tasks = env_or("TASK_OVERHEAD_TASKS", 10).max(3);
    let mut figures = Figures::new("task_overhead");
    figures.set("rounds", rounds);
    figures.set("tasks_per_run", tasks);
    figures.set("extra_files", env_or("TASK_OVERHEAD_FILES", 0));
    let dir = tempfile::tempdir().unwrap();
    let (mut bases, mut engines, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let (mut base_samples, mut engine_samples) = (Vec::new(), Vec::new());
    let mut phase_ms: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let (mut setup, mut final_select) = (Vec::new(), Vec::new());
    let (mut exec, mut commit, mut push) = (Vec::new(), Vec::new(), Vec::new());
    let measured = (tasks - 1) as f64;
    for round in 0..rounds {
        let root = dir.path().join(format!("round-{round}"));
        let (base, engine) = if round % 2 == 0 {
            let b = baseline(&root.join("baseline"), tasks).await;
            (b, engine_run(&root.join("engine"), tasks).await)
        } else {
            let e = engine_run(&root.join("engine"), tasks).await;
            (baseline(&root.join("baseline"), tasks).await, e)
        };
        let ratio = engine.per_task.as_secs_f64() / base.per_task.as_secs_f64();
        figures.say(format!(
            "round {}: baseline {:.1} ms/task, engine {:.1} ms/task, ratio {ratio:.2}x",
            round + 1,
            base.per_task.as_secs_f64() * 1e3,
            engine.per_task.as_secs_f64() * 1e3
        ));
        bases.push(base.per_task.as_secs_f64() * 1e3);
        engines.push(engine.per_task.as_secs_f64() * 1e3);
        ratios.push(ratio);
        base_samples.extend(base.samples);
        engine_samples.extend(engine.samples);
        exec.push(base.exec.as_secs_f64() * 1e3);
        commit.push(base.commit.as_secs_f64() * 1e3);
        push.push(base.push.as_secs_f64() * 1e3);
        for (name, values) in engine.phases {
            phase_ms.entry(name).or_default().extend(values);
        }
        setup.push(engine.setup.as_secs_f64() * 1e3);
        final_select.push(engine.final_select.as_secs_f64() * 1e3);
    }
    // The run's fixed costs (setup before the first task, the select that
    // finds nothing left), spread over its tasks as a real run spreads them.
    let fixed = (median(&setup) + median(&final_select)) / measured;
    base_samples.sort_by(f64::total_cmp);
    engine_samples.sort_by(f64::total_cmp);
    let q = |v: &[f64], p: f64| figures::percentile(v, p).unwrap_or(f64::NAN);
    let (b50, e50) = (q(&base_samples, 50.0), q(&engine_samples, 50.0) + fixed);
    let (b25, e25) = (q(&base_samples, 25.0), q(&engine_samples, 25.0) + fixed);
    figures.say(format!(
        "task_overhead: baseline (docker exec true + commit + push) {b50:.1} ms/task (median of {} tasks)",
        base_samples.len()
    ));
    figures.say(format!(
        "task_overhead: engine (whole state machine, no-op task)     {e50:.1} ms/task (median of {} tasks + {fixed:.1} ms/task of run setup)",
        engine_samples.len()
    ));
    figures.say(format!("task_overhead: ratio {:.2}x (target <= 1.5x); at the quieter quartile (p25) {:.2}x", e50 / b50, e25 / b25));
    figures.say(format!(
        "task_overhead: whole runs: ratio of the rounds' medians {:.2}x; per round median {:.2}x, min {:.2}x, max {:.2}x",
        median(&engines) / median(&bases),
        median(&ratios),
        ratios.iter().copied().fold(f64::INFINITY, f64::min),
        ratios.iter().copied().fold(0.0, f64::max)
    ));
    figures.set("baseline_ms_per_task", b50);
    figures.set("engine_ms_per_task", e50);
    figures.set("ratio", e50 / b50);
    figures.set("ratio_p25", e25 / b25);
    figures.set("whole_run_ratio_of_medians", median(&engines) / median(&bases));
    figures.set("whole_run_ratio_per_round", &ratios);
    figures.say(format!(
        "baseline per task (median of rounds): exec {:.1} ms, write + commit {:.1} ms, push {:.1} ms",
        median(&exec),
        median(&commit),
        median(&push)
    ));
    figures.set("baseline_parts_ms", serde_json::json!({"exec": median(&exec), "commit": median(&commit), "push": median(&push)}));
    figures.say("engine per task, by step (median ms; each interval ends with saving the next step's row + audit):");
    let mut sum = 0.0;
    for step in ["select", "prep", "implement", "verify", "merge", "push", "done"] {
        for (name, values) in phase_ms.iter().filter(|(n, _)| n.trim_start().starts_with(&format!("{step} →"))) {
            let m = median(values);
            sum += m;
            figures.say(format!("  {m:>7.2}  {name}"));
            figures.set(&format!("engine_phase_ms.{}", name.split_whitespace().take(3).collect::<Vec<_>>().join(" ")), m);
        }
    }
    figures.say(format!(
        "  {sum:>7.2}  sum of steps; per run: setup {:.1} ms + last select {:.1} ms = {fixed:.2} ms per task",
        median(&setup),
        median(&final_select),
    ));
    figures.set("engine_run_setup_ms", median(&setup));
    figures.set("engine_run_final_select_ms", median(&final_select));
    pieces(&dir.path().join("pieces"), &mut figures).await;
    figures.write();
}
