//! A person steering a real run: stop points before a task and after a
//! phase end the run exactly there, and a task taken over by hand makes the
//! run wait until the person marks it done. Real Docker and git, the
//! `script` agent, a bare repository as the remote.

use std::process::Command;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::{ProjectDraft, RunPolicy};
use devteam_engine::run::{container_name, MergeMode, ProjectRunLock, ReviewAction, RunControl, RunEnd, TaskStatus};
use devteam_engine::{DataPaths, Engine, EngineEvent, ErrorCode};

const TASKS: &str = "# Tasks\n\n\
Phase 1: Files (Dependencies: [])\n\n\
- 1.1 Write a (Dependencies: [])\n  ```sh\n  echo a > a.txt\n  ```\n\
- 1.2 Write b (Dependencies: [1.1])\n  ```sh\n  echo b > b.txt\n  ```\n\n\
Phase 2: More files (Dependencies: [])\n\n\
- 2.1 Write c (Dependencies: [1.2])\n  ```sh\n  echo c > c.txt\n  ```\n\
- 2.2 Write d (Dependencies: [2.1])\n  ```sh\n  echo d > d.txt\n  ```\n";

struct Setup {
    _dir: tempfile::TempDir,
    engine: Engine,
    project: String,
    container: String,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.container]).output();
    }
}

async fn setup() -> Setup {
    setup_with(TASKS, RunPolicy::default()).await.0
}

/// The project and its bare remote.
async fn setup_with(tasks: &str, run: RunPolicy) -> (Setup, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bare = seed_bare_remote(&dir.path().join("remote.git"), &[("tasks.md", tasks.as_bytes())], "plan").unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Steering".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        run,
        ..ProjectDraft::default()
    };
    let project = engine.add_project(&draft).await.unwrap().id;
    let container = container_name(&paths, &project);
    (Setup { _dir: dir, engine, project, container }, bare)
}

impl Setup {
    async fn run(&self, request: RunRequest) -> RunEnd {
        self.engine.run(&self.project, &request, &RunControl::default()).await.unwrap()
    }

    async fn status(&self, task: &str) -> Option<TaskStatus> {
        self.engine.task_runs(&self.project).await.unwrap().into_iter().find(|r| r.task_id == task).map(|r| r.status)
    }
}

#[tokio::test]
async fn stop_points_before_a_task_and_after_a_phase_end_the_run_there() {
    let s = setup().await;

    let end = s.run(RunRequest { before: Some("1.2".into()), ..RunRequest::default() }).await;
    let RunEnd::StopPoint { tasks_done: 1, reason } = end else { panic!("one task, then the stop: {end:?}") };
    assert!(reason.contains("1.2"), "{reason}");
    assert_eq!((s.status("1.1").await, s.status("1.2").await), (Some(TaskStatus::Done), None), "1.2 never started");

    let end = s.run(RunRequest { after_phase: Some("1".into()), ..RunRequest::default() }).await;
    assert!(matches!(end, RunEnd::StopPoint { tasks_done: 1, .. }), "phase 1's last task, then the stop: {end:?}");
    assert_eq!((s.status("1.2").await, s.status("2.1").await), (Some(TaskStatus::Done), None));

    let end = s.run(RunRequest { before: Some("2.2".into()), ..RunRequest::default() }).await;
    assert!(matches!(end, RunEnd::StopPoint { tasks_done: 1, .. }), "{end:?}");
    assert_eq!(s.run(RunRequest::default()).await, RunEnd::AllDone { tasks_done: 1 }, "without stops, the rest");

    let bad = s.engine.run(&s.project, &RunRequest { before: Some("two".into()), ..RunRequest::default() }, &RunControl::default()).await;
    let err = bad.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("stop before `two`"), "{}", err.message);
}

#[tokio::test]
async fn a_task_taken_over_by_hand_makes_the_run_wait_until_it_is_marked_done() {
    let s = setup().await;
    assert!(matches!(s.run(RunRequest { max_tasks: Some(1), ..RunRequest::default() }).await, RunEnd::StopPoint { .. }));

    // Not while a run walks the project, and only a task of the list.
    {
        let _running = ProjectRunLock::acquire(&s.engine.paths().project(&s.project), &s.project).unwrap();
        let err = s.engine.take_task(&s.project, "1.2", "alice").await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        assert!(err.message.contains("pause it first"), "{}", err.message);
    }
    let err = s.engine.take_task(&s.project, "9.9", "alice").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "{}", err.message);
    let err = s.engine.take_task(&s.project, "1.1", "alice").await.unwrap_err();
    assert!(err.message.contains("done already"), "{}", err.message);

    let mut events = s.engine.subscribe();
    let taken = s.engine.take_task(&s.project, "1.2", "alice").await.unwrap();
    assert_eq!((taken.status, taken.title.as_str()), (TaskStatus::HumanReview, "Write b"));
    let reason = taken.reason.clone().unwrap();
    assert!(reason.starts_with("taken by alice"), "{reason}");
    assert!(matches!(events.try_recv(), Ok(EngineEvent::Blocked { task_id, .. }) if task_id == "1.2"));
    assert_eq!(s.engine.execution_row(&s.project).await.unwrap().unwrap().state, "blocked");
    let err = s.engine.take_task(&s.project, "2.1", "bob").await.unwrap_err();
    assert!(err.message.contains("already waits for a person"), "one task at a time: {}", err.message);

    // The run waits for alice: nothing of 1.2 (or after it) runs.
    let end = s.run(RunRequest::default()).await;
    assert_eq!(end, RunEnd::Blocked { task_id: "1.2".into(), reason: reason.clone() });
    let row = s.engine.task_runs(&s.project).await.unwrap().into_iter().find(|r| r.task_id == "1.2").unwrap();
    assert_eq!((row.attempts, row.commit_id), (0, None), "no agent touched it");

    // Alice says it is done; the run goes on with phase 2.
    s.engine.review(&s.project, ReviewAction::Done, "alice").await.unwrap();
    assert_eq!(s.run(RunRequest::default()).await, RunEnd::AllDone { tasks_done: 2 });
    assert_eq!(s.status("1.2").await, Some(TaskStatus::Done));
    let log = s.engine.task_log_text(&s.project, "2.1").await.unwrap();
    assert!(!log.is_empty(), "2.1 ran after the person's task");
}

/// Pushes a commit of "someone else" to the remote's `main`: `files` written
/// on top of what `main` holds.
fn someone_pushes(remote: &std::path::Path, files: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).current_dir(dir.path()).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&["clone", "-q", remote.to_str().unwrap(), "."]);
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    git(&["add", "."]);
    git(&["-c", "user.name=Someone", "-c", "user.email=someone@example.com", "commit", "-qm", "Someone else's change"]);
    git(&["push", "-q", "origin", "main"]);
}

#[tokio::test]
async fn when_main_moves_before_the_push_the_task_is_replayed_onto_it_and_a_real_conflict_goes_to_a_person() {
    let tasks = "# Tasks\n\n\
- 1.1 Write a slowly (Dependencies: [])\n  ```sh\n  sleep 2; echo a > a.txt\n  ```\n\
- 1.2 Write b slowly (Dependencies: [1.1])\n  ```sh\n  sleep 2; echo b > b.txt\n  ```\n";
    let (s, bare) = setup_with(tasks, RunPolicy { merge_mode: MergeMode::Direct, ..RunPolicy::default() }).await;
    let control = RunControl::default();
    let main_log = || {
        let out = Command::new("git").args(["--git-dir", bare.to_str().unwrap(), "log", "--format=%s", "main"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect::<Vec<_>>()
    };
    let show = |path: &str| {
        let out = Command::new("git").args(["--git-dir", bare.to_str().unwrap(), "show", &format!("main:{path}")]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    // While task 1.1's script runs, someone adds a file and a task to the
    // list on main.
    let mut events = s.engine.subscribe();
    let meanwhile = async {
        loop {
            if let Ok(EngineEvent::StepStarted { step: devteam_engine::run::Step::Implement, .. }) = events.recv().await {
                break;
            }
        }
        let with_new_task = format!("{tasks}- 1.3 Added meanwhile (Dependencies: [])\n  ```sh\n  echo c > c.txt\n  ```\n");
        someone_pushes(&bare, &[("notes.txt", "someone's notes\n"), ("tasks.md", &with_new_task)]);
    };
    let one = RunRequest { max_tasks: Some(1), ..RunRequest::default() };
    let (end, ()) = tokio::join!(s.engine.run(&s.project, &one, &control), meanwhile);
    assert!(matches!(end.unwrap(), RunEnd::StopPoint { tasks_done: 1, .. }));
    assert_eq!(main_log(), ["Task 1.1: Write a slowly", "Someone else's change", "plan"], "replayed on top, nothing forced");
    let list = show("tasks.md");
    assert!(list.contains("- [x] 1.1 Write a slowly") || list.lines().any(|l| l.starts_with("- 1.1") && l.contains('✅')), "ticked on the new list:\n{list}");
    assert!(list.contains("1.3 Added meanwhile"), "their task kept:\n{list}");
    assert_eq!(show("notes.txt"), "someone's notes\n");
    assert_eq!(show("a.txt"), "a\n");
    assert_eq!(show("task_outcomes.md").matches("## Task 1.1:").count(), 1, "one outcome section");

    // Task 1.2 writes b.txt; meanwhile someone writes b.txt too.
    let mut events = s.engine.subscribe();
    let meanwhile = async {
        loop {
            if let Ok(EngineEvent::StepStarted { step: devteam_engine::run::Step::Implement, .. }) = events.recv().await {
                break;
            }
        }
        someone_pushes(&bare, &[("b.txt", "theirs\n")]);
    };
    let (end, ()) = tokio::join!(s.engine.run(&s.project, &one, &control), meanwhile);
    let RunEnd::Blocked { task_id, reason } = end.unwrap() else { panic!("a real conflict needs a person") };
    assert_eq!(task_id, "1.2");
    assert!(reason.contains("main moved") && reason.contains("do not apply"), "{reason}");
    assert_eq!(show("b.txt"), "theirs\n", "their work is untouched");
    assert_eq!(main_log()[0], "Someone else's change");

    // The person aborts the task: it starts from scratch on the new main
    // (its old commit on the branch is not taken for this try's).
    s.engine.review(&s.project, ReviewAction::Abort, "pat").await.unwrap();
    let end = s.run(RunRequest::default()).await;
    assert_eq!(end, RunEnd::AllDone { tasks_done: 2 }, "1.2, and 1.3 which someone added");
    assert_eq!(main_log()[..3], ["Task 1.3: Added meanwhile", "Task 1.2: Write b slowly", "Someone else's change"]);
    assert_eq!(show("b.txt"), "b\n", "done again, on top of theirs");
    let row = s.engine.task_runs(&s.project).await.unwrap().into_iter().find(|r| r.task_id == "1.2").unwrap();
    assert_eq!((row.status, row.attempts), (TaskStatus::Done, 1));
}

#[tokio::test]
async fn a_running_project_is_sampled_every_two_seconds() {
    let tasks = "# Tasks\n\n- 1.1 Think (Dependencies: [])\n  ```sh\n  sleep 7\n  ```\n";
    let (s, _bare) = setup_with(tasks, RunPolicy { memory_mb: 512, ..RunPolicy::default() }).await;
    let mut events = s.engine.subscribe();
    assert_eq!(s.run(RunRequest::default()).await, RunEnd::AllDone { tasks_done: 1 });
    let samples: Vec<devteam_engine::runner::ResourceSample> = std::iter::from_fn(|| events.try_recv().ok())
        .filter_map(|e| match e {
            EngineEvent::Stats { sample, .. } => Some(sample),
            _ => None,
        })
        .collect();
    assert!((3..=10).contains(&samples.len()), "about one sample per 2 s of a 7 s task: {samples:?}");
    assert!(samples.iter().all(|s| s.memory_bytes > 0.0 && s.memory_limit == 512.0 * 1024.0 * 1024.0), "{samples:?}");
}
