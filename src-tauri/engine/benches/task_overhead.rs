//! Per-task overhead of the run engine: N no-op tasks walked through the
//! whole state machine, against the bare minimum the same work needs (one
//! `docker exec true`, a commit and a push per task), measured in one run.
//! Prints the figures; asserts nothing (the machine is shared and noisy).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::ProjectDraft;
use devteam_engine::repo::{Author, GitCredentials, GitRepo};
use devteam_engine::run::{container_name, MergeMode, RunControl};
use devteam_engine::runner::{ContainerSpec, DockerRunner, ExecSpec, ImageRecipe, Limits};
use devteam_engine::{DataPaths, Engine};

const TASKS: usize = 10;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn remote(root: &Path) -> std::path::PathBuf {
    let bare = root.join("remote.git");
    let seed = root.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(root, &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&seed, &["init", "-q", "-b", "main"]);
    let tasks: String = (1..=TASKS).map(|i| format!("- [ ] {i} No-op {i}\n  ```sh\n  true\n  ```\n")).collect();
    std::fs::write(seed.join("tasks.md"), tasks).unwrap();
    git(&seed, &["add", "."]);
    git(&seed, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "plan"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    bare
}

async fn engine_run(root: &Path) -> Duration {
    let bare = remote(root);
    let data = root.join("data");
    let engine = Engine::open(DataPaths::at(&data)).await.unwrap();
    let draft = ProjectDraft {
        customer: "Bench".into(),
        name: "Noop".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let request = RunRequest { merge_mode: MergeMode::Direct, ..RunRequest::default() };
    // Warm up: the clone and the container, which a real project pays once.
    engine.run(&id, &RunRequest { max_tasks: Some(1), ..request.clone() }, &RunControl::default()).await.unwrap();
    let start = Instant::now();
    engine.run(&id, &request, &RunControl::default()).await.unwrap();
    let took = start.elapsed() / (TASKS as u32 - 1);
    let _ = Command::new("docker").args(["rm", "-f", &container_name(&DataPaths::at(&data), &id)]).output();
    took
}

async fn baseline(root: &Path) -> Duration {
    let bare = remote(root);
    let runner = DockerRunner::connect().await.unwrap();
    let image = runner.ensure_image(&ImageRecipe::test_image(Vec::new()).unwrap(), &mut |_| {}).await.unwrap();
    let clone = GitRepo::clone_or_open(bare.to_str().unwrap(), &root.join("clone"), &GitCredentials::None).unwrap();
    let name = format!("devteam-bench-baseline-{}", std::process::id());
    runner.ensure_container(&ContainerSpec::new(&name, image, clone.path())).await.unwrap();
    let limits = Limits { wall_clock: Duration::from_secs(60), inactivity: Duration::from_secs(60) };
    let start = Instant::now();
    for i in 1..TASKS {
        runner.exec(&name, &ExecSpec::shell("true", limits), &mut |_| {}).await.unwrap();
        std::fs::write(clone.path().join("tasks.md"), format!("done {i}\n")).unwrap();
        clone.commit_all(&format!("Task {i}"), &Author::default()).unwrap();
        clone.push_branch("main", &GitCredentials::None).unwrap();
    }
    let took = start.elapsed() / (TASKS as u32 - 1);
    runner.remove_container(&name).await.unwrap();
    took
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let base = baseline(&dir.path().join("baseline")).await;
    let engine = engine_run(&dir.path().join("engine")).await;
    let ratio = engine.as_secs_f64() / base.as_secs_f64();
    println!("task_overhead: baseline (docker exec true + commit + push) {:.1} ms/task", base.as_secs_f64() * 1e3);
    println!("task_overhead: engine (whole state machine, no-op task)     {:.1} ms/task", engine.as_secs_f64() * 1e3);
    println!("task_overhead: ratio {ratio:.2}x (target <= 1.5x)");
}
