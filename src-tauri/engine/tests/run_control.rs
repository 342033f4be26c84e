//! A person steering a real run: stop points before a task and after a
//! phase end the run exactly there, and a task taken over by hand makes the
//! run wait until the person marks it done. Real Docker and git, the
//! `script` agent, a bare repository as the remote.

use std::process::Command;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::ProjectDraft;
use devteam_engine::run::{container_name, ProjectRunLock, ReviewAction, RunControl, RunEnd, TaskStatus};
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
    let dir = tempfile::tempdir().unwrap();
    let bare = seed_bare_remote(&dir.path().join("remote.git"), &[("tasks.md", TASKS.as_bytes())], "plan").unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Steering".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    let project = engine.add_project(&draft).await.unwrap().id;
    let container = container_name(&paths, &project);
    Setup { _dir: dir, engine, project, container }
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
