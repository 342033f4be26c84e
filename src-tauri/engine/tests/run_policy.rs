//! A project's own run settings (attempts, container limits, checks, merge
//! mode) shape its run, a bad setting is refused field by field with nothing
//! lost, and every run is kept as history: a timeline of each task's steps
//! with their lines, and the decisions people made. Real Docker, real git.

use std::path::Path;
use std::process::Command;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::{ProjectCheck, ProjectDraft, RunPolicy};
use devteam_engine::run::{container_name, MergeMode, ReviewAction, RunControl, RunEnd, Step};
use devteam_engine::{DataPaths, Engine, ErrorCode};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

struct Container(String);

impl Drop for Container {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

const TASKS: &str = "- [ ] 1 Leave a marker\n  ```sh\n  touch marker\n  ```\n- [ ] 2 Never passes\n  ```sh\n  echo trying; exit 1\n  ```\n";

#[tokio::test]
async fn the_projects_run_settings_shape_its_run_and_every_run_is_kept_as_a_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let bare = seed_bare_remote(&dir.path().join("remote.git"), &[("tasks.md", TASKS.as_bytes())], "plan").unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let policy = RunPolicy {
        max_attempts: 2,
        memory_mb: 512,
        cpus: 0.5,
        pids: 128,
        merge_mode: MergeMode::Direct,
        checks: vec![ProjectCheck { name: "marker".into(), run: "test -f marker".into() }],
        author_name: "Acme Bot".into(),
        author_email: "bot@acme.test".into(),
        ..RunPolicy::default()
    };
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Policy".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        run: policy.clone(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let _container = Container(container_name(&paths, &id));
    assert_eq!(engine.project(&id).await.unwrap().settings.run, policy, "stored as given");

    // A bad setting is refused field by field; the stored project is untouched.
    let bad = ProjectDraft {
        run: RunPolicy { max_attempts: 0, pids: 5, author_email: "bot at acme".into(), ..policy.clone() },
        ..draft.clone()
    };
    let err = engine.update_project(&id, &bad).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let fields: Vec<_> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["run.max_attempts", "run.pids", "run.author_email"], "{err:?}");
    assert_eq!(engine.project(&id).await.unwrap().settings.run, policy);

    let control = RunControl::default();
    let end = engine.run(&id, &RunRequest::default(), &control).await.unwrap();
    let RunEnd::Blocked { task_id, reason } = end else { panic!("expected HUMAN_REVIEW, got {end:?}") };
    assert_eq!(task_id, "2");
    assert!(reason.contains("after 2 attempts"), "the project's attempts, not the default 3: {reason}");

    // The container has the project's limits.
    let inspect = Command::new("docker")
        .args(["inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", &container_name(&paths, &id)])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&inspect.stdout).trim(), format!("{} 500000000 128", 512 * 1024 * 1024));

    // Direct merge: task 1's commit (its marker, its tick) is on the remote's main.
    let files = git(dir.path(), &["--git-dir", bare.to_str().unwrap(), "ls-tree", "--name-only", "main"]);
    assert!(files.lines().any(|f| f == "marker"), "{files}");
    let list = git(dir.path(), &["--git-dir", bare.to_str().unwrap(), "show", "main:tasks.md"]);
    assert!(list.contains("- [x] 1 Leave a marker"), "{list}");
    let by = git(dir.path(), &["--git-dir", bare.to_str().unwrap(), "log", "-1", "--format=%an <%ae> / %cn <%ce>", "main"]);
    assert_eq!(by.trim(), "Acme Bot <bot@acme.test> / Acme Bot <bot@acme.test>", "the project's commit author");

    // The project check ran for task 1 and is in its verification report.
    let report = git(dir.path(), &["--git-dir", bare.to_str().unwrap(), "show", "main:artifacts/1/verify-1.md"]);
    assert!(report.contains("marker") && report.contains("test -f marker"), "{report}");

    // The dashboard's status line: the clone, its base, the last fetch; the runner.
    let status = engine.project_status(&id).await.unwrap();
    assert!(status.repo.cloned && status.repo.fetch_error.is_none() && status.repo.last_fetch.is_some(), "{status:?}");
    let main = git(dir.path(), &["--git-dir", bare.to_str().unwrap(), "rev-parse", "main"]);
    assert_eq!(status.repo.base_tip.as_deref(), Some(&main[..12]), "the tip as of the last fetch: task 1's push");
    assert_eq!((status.runner.docker, status.runner.image_built, status.runner.containers_running), (true, Some(true), 1), "{status:?}");

    // History: one run, blocked, with its steps in order.
    let runs = engine.run_history(&id).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state.as_deref(), Some("blocked"));
    assert!(runs[0].ended_at.is_some());
    let timeline = engine.run_timeline(&id, runs[0].id).await.unwrap();
    let steps = |task: &str| -> Vec<(Step, u32)> {
        timeline.spans.iter().filter(|s| s.task_id == task).map(|s| (s.step, s.attempt)).collect()
    };
    let one = steps("1");
    assert_eq!(one.first(), Some(&(Step::Prep, 0)), "{one:?}");
    assert_eq!(one.last().map(|s| s.0), Some(Step::Done), "{one:?}");
    assert!(one.iter().any(|s| s.0 == Step::Push));
    let two = steps("2");
    assert!(two.contains(&(Step::ErrorSolve, 2)), "the second attempt is an error-solve: {two:?}");
    assert_eq!(two.last(), Some(&(Step::HumanReview, 2)), "{two:?}");
    let tried: u32 = timeline.spans.iter().filter(|s| s.task_id == "2").map(|s| s.log.lines).sum();
    assert!(tried >= 2, "task 2's lines are found by its steps ({tried})");
    let implement = timeline.spans.iter().find(|s| s.task_id == "2" && s.step == Step::Implement).unwrap();
    let first = implement.log.first_id.expect("the first attempt wrote lines");
    let lines = engine.log_lines(&id, Some("2"), first - 1, implement.log.lines).await.unwrap();
    assert!(lines.iter().any(|l| l.line.contains("trying")), "what the attempt printed: {lines:?}");
    let verify = timeline.spans.iter().find(|s| s.task_id == "2" && s.step == Step::Verify && s.attempt == 1);
    if let Some(verify) = verify {
        let lines = engine.log_lines(&id, Some("2"), verify.log.first_id.unwrap() - 1, verify.log.lines).await.unwrap();
        assert!(lines.iter().any(|l| l.line.contains("attempt 1 failed")), "the failure note is the verification's: {lines:?}");
    }

    // A person skips task 2; the next run finishes; its timeline says who decided.
    engine.review(&id, ReviewAction::Skip, "pat").await.unwrap();
    assert_eq!(engine.run(&id, &RunRequest::default(), &control).await.unwrap(), RunEnd::AllDone { tasks_done: 0 });
    let runs = engine.run_history(&id).await.unwrap();
    assert_eq!(runs.iter().map(|r| r.state.as_deref()).collect::<Vec<_>>(), [Some("completed"), Some("blocked")], "newest first");
    let latest = engine.run_timeline(&id, runs[0].id).await.unwrap();
    assert!(
        latest.notes.iter().any(|n| n.actor == "pat" && n.action == "review:skip" && n.task_id == "2"),
        "{:?}",
        latest.notes
    );
    assert!(engine.run_timeline(&id, 999).await.is_err(), "an unknown run is an error, not an empty timeline");
}
