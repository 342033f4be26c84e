//! Tasks of one project side by side: with `parallel_tasks` 3 in dependency
//! order, three independent tasks run at once, each in its own worktree and
//! container; their commits, ticks and pushes go one at a time, so the
//! remote gets one commit per task and nothing conflicts; the task that
//! needs all three sees their work. Direct and pull-request merge modes.
//! Real Docker, real git.

use std::path::Path;
use std::process::Command;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::{ExecutionOrder, ProjectDraft, RunPolicy};
use devteam_engine::run::{container_name, MergeMode, RunControl, RunEnd, Step};
use devteam_engine::{DataPaths, Engine, ErrorCode};

const TASKLIST: &str = "tasks.md";

/// Three tasks that take a few seconds each, and one that needs them all.
const TASKS: &str = "# Tasks\n\nPhase 1: Parts (Dependencies: [])\n\n\
- 1.1 Part a (Dependencies: [])\n  ```sh\n  sleep 3; echo a > a.txt\n  ```\n  - <criterion key=\"f.a\" kind=\"ops\" check=\"file\" path=\"a.txt\">\n\n\
- 1.2 Part b (Dependencies: [])\n  ```sh\n  sleep 3; echo b > b.txt\n  ```\n  - <criterion key=\"f.b\" kind=\"ops\" check=\"file\" path=\"b.txt\">\n\n\
- 1.3 Part c (Dependencies: [])\n  ```sh\n  sleep 3; echo c > c.txt\n  ```\n  - <criterion key=\"f.c\" kind=\"ops\" check=\"file\" path=\"c.txt\">\n\n\
- 1.4 All parts (Dependencies: [1.1, 1.2, 1.3])\n  ```sh\n  cat a.txt b.txt c.txt > all.txt\n  ```\n  - <criterion key=\"f.all\" kind=\"ops\" check=\"file\" path=\"all.txt\">\n";

fn git(bare: &Path, args: &[&str]) -> String {
    let out = Command::new("git").arg("--git-dir").arg(bare).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The project's containers, lanes included, removed when the test ends.
struct Containers(String);

impl Drop for Containers {
    fn drop(&mut self) {
        for name in containers_named(&self.0) {
            let _ = Command::new("docker").args(["rm", "-f", &name]).output();
        }
    }
}

fn containers_named(prefix: &str) -> Vec<String> {
    let out = Command::new("docker").args(["ps", "-a", "--format", "{{.Names}}", "--filter", &format!("name={prefix}")]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect()
}

async fn project(engine: &Engine, dir: &Path, merge_mode: MergeMode) -> (String, std::path::PathBuf) {
    let bare = seed_bare_remote(&dir.join("remote.git"), &[(TASKLIST, TASKS.as_bytes())], "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Parts".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        order: ExecutionOrder::Dependency,
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        run: RunPolicy { parallel_tasks: 3, merge_mode, ..RunPolicy::default() },
        ..ProjectDraft::default()
    };
    (engine.add_project(&draft).await.unwrap().id, bare)
}

/// Runs the project to the end and checks that 1.1–1.3 overlapped.
async fn run_side_by_side(engine: &Engine, id: &str) {
    let end = engine.run(id, &RunRequest::default(), &RunControl::default()).await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 4 });
    let runs = engine.run_history(id).await.unwrap();
    let timeline = engine.run_timeline(id, runs[0].id).await.unwrap();
    let implement: Vec<_> = timeline.spans.iter().filter(|s| s.step == Step::Implement && s.task_id != "1.4").collect();
    assert_eq!(implement.len(), 3, "{:?}", timeline.spans);
    let last_start = implement.iter().map(|s| s.started_at.clone()).max().unwrap();
    let first_end = implement.iter().filter_map(|s| s.ended_at.clone()).min().unwrap();
    assert!(last_start < first_end, "the three ran at once: the last started ({last_start}) before the first ended ({first_end})");
    let all = timeline.spans.iter().find(|s| s.task_id == "1.4" && s.step == Step::Implement).unwrap();
    let parts_done = timeline.spans.iter().filter(|s| s.step == Step::Done && s.task_id != "1.4").map(|s| s.started_at.clone()).max();
    assert!(parts_done.is_some_and(|d| d <= all.started_at), "1.4 started after its dependencies were done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_independent_tasks_run_at_once_and_push_one_after_another() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let (id, bare) = project(&engine, dir.path(), MergeMode::Direct).await;
    let _containers = Containers(container_name(&paths, &id));
    run_side_by_side(&engine, &id).await;

    // One commit per task on main, in a line (each push a fast-forward).
    let subjects = git(&bare, &["log", "--format=%s", "main"]);
    let tasks: Vec<&str> = subjects.lines().filter(|s| s.starts_with("Task ")).collect();
    assert_eq!(tasks.len(), 4, "{subjects}");
    assert_eq!(tasks[0], "Task 1.4: All parts", "the last one after the others");
    let merges = git(&bare, &["rev-list", "--merges", "main"]);
    assert!(merges.is_empty(), "no merge commits: {merges}");
    // Everything is there, and every tick survived the others' edits.
    let files = git(&bare, &["ls-tree", "--name-only", "main"]);
    for f in ["a.txt", "b.txt", "c.txt", "all.txt"] {
        assert!(files.lines().any(|l| l == f), "{f} on main: {files}");
    }
    let list = git(&bare, &["show", &format!("main:{TASKLIST}")]);
    for t in ["1.1 Part a", "1.2 Part b", "1.3 Part c"] {
        assert!(list.contains(&format!("- {t} (Dependencies: []) ✅")), "{t} ticked:\n{list}");
    }
    assert!(list.contains("- 1.4 All parts (Dependencies: [1.1, 1.2, 1.3]) ✅"), "1.4 ticked:\n{list}");
    let outcomes = git(&bare, &["show", "main:task_outcomes.md"]);
    for t in ["1.1", "1.2", "1.3", "1.4"] {
        assert!(outcomes.contains(t), "{t}'s outcome kept:\n{outcomes}");
    }
    // The lanes' containers are gone once all is done (removed after the
    // run ended, in the background).
    engine.settle().await;
    assert!(containers_named(&container_name(&paths, &id)).is_empty(), "{:?}", containers_named(&container_name(&paths, &id)));
    assert_eq!(engine.project_status(&id).await.unwrap().runner.containers_running, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn side_by_side_pull_requests_stack_on_what_finished_first() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let (id, bare) = project(&engine, dir.path(), MergeMode::Pr).await;
    let _containers = Containers(container_name(&paths, &id));
    run_side_by_side(&engine, &id).await;

    // Each task's branch is on the remote; each holds its own work and the
    // work finished before it, so every pull request applies cleanly.
    let rows = engine.task_runs(&id).await.unwrap();
    let mut finished: Vec<_> = rows.iter().filter(|r| r.task_id != "1.4").collect();
    finished.sort_by(|a, b| a.finished_at.cmp(&b.finished_at));
    let mut seen = Vec::new();
    for r in &finished {
        let files = git(&bare, &["ls-tree", "--name-only", &r.branch]);
        seen.push(format!("{}.txt", ["a", "b", "c"][r.task_id[2..].parse::<usize>().unwrap() - 1]));
        for f in &seen {
            assert!(files.lines().any(|l| l == f), "{} holds {f}: {files}", r.branch);
        }
    }
    let last = rows.iter().find(|r| r.task_id == "1.4").unwrap();
    let files = git(&bare, &["ls-tree", "--name-only", &last.branch]);
    assert!(files.lines().any(|l| l == "all.txt"), "{files}");
    assert!(!git(&bare, &["show", "main:tasks.md"]).contains('✅'), "pull requests leave main to the reviewers");
}

#[tokio::test]
async fn tasks_side_by_side_need_the_dependency_order() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(DataPaths::at(dir.path().join("data"))).await.unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Sequential".into(),
        repo_url: "https://github.com/acme/seq".into(),
        run: RunPolicy { parallel_tasks: 2, ..RunPolicy::default() },
        ..ProjectDraft::default()
    };
    let err = engine.add_project(&draft).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["run.parallel_tasks"]);
    assert!(err.fields[0].message.contains("dependency order"), "{:?}", err.fields);
}
