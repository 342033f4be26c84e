//! A task that cannot pass goes to HUMAN_REVIEW after its attempts, a
//! command off the allowlist never runs and escalates at once, a person's
//! retry continues the run, and a secret the agent prints never lands
//! anywhere. Real Docker, real git, a bare repository as the remote.

use std::path::{Path, PathBuf};
use std::process::Command;

use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::ProjectDraft;
use devteam_engine::run::{container_name, ReviewAction, RunControl, RunEnd, Step, TaskStatus};
use devteam_engine::{DataPaths, Engine};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A bare remote whose `main` holds `tasks.md`.
fn remote_with(root: &Path, tasks: &str) -> PathBuf {
    let bare = root.join("remote.git");
    let seed = root.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(root, &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::write(seed.join("tasks.md"), tasks).unwrap();
    git(&seed, &["add", "."]);
    git(&seed, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "plan"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    bare
}

struct Setup {
    engine: Engine,
    project: String,
    bare: PathBuf,
    dir: tempfile::TempDir,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let name = container_name(&DataPaths::at(self.dir.path().join("data")), &self.project);
        let _ = Command::new("docker").args(["rm", "-f", &name]).output();
    }
}

async fn setup(tasks: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let bare = remote_with(dir.path(), tasks);
    let engine = Engine::open(DataPaths::at(dir.path().join("data"))).await.unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Web".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: "tasks.md".into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    let project = engine.add_project(&draft).await.unwrap().id;
    Setup { engine, project, bare, dir }
}

const FAILS_UNTIL_FIXED: &str = "- [ ] 1 Make the check pass\n  ```sh\n  test -f fixed || echo not yet\n  ```\n  - <criterion key=\"t\" kind=\"test\" check=\"file\" path=\"fixed\">\n- [ ] 2 Next\n  ```sh\n  touch two\n  ```\n";

#[tokio::test]
async fn three_failed_attempts_escalate_and_a_retry_after_a_fix_completes() {
    let s = setup(FAILS_UNTIL_FIXED).await;
    let (request, control) = (RunRequest::default(), RunControl::default());
    let run = || s.engine.run(&s.project, &request, &control);
    let end = run().await.unwrap();
    let RunEnd::Blocked { task_id, reason } = end else { panic!("expected HUMAN_REVIEW, got {end:?}") };
    assert_eq!(task_id, "1");
    assert!(reason.contains("after 3 attempts") && reason.contains("fixed"), "the reason says why: {reason}");
    let row = &s.engine.task_runs(&s.project).await.unwrap()[0];
    assert_eq!((row.status, row.step, row.attempts), (TaskStatus::HumanReview, Step::HumanReview, 3));

    // Running again does not retry behind the person's back.
    assert!(matches!(run().await.unwrap(), RunEnd::Blocked { .. }));

    // The person fixes the plan on the remote, then asks for a retry.
    let fix = s.dir.path().join("fix");
    git(s.dir.path(), &["clone", "-q", s.bare.to_str().unwrap(), fix.to_str().unwrap()]);
    std::fs::write(fix.join("tasks.md"), FAILS_UNTIL_FIXED.replace("test -f fixed || echo not yet", "touch fixed")).unwrap();
    git(&fix, &["-c", "user.name=p", "-c", "user.email=p@p", "commit", "-qam", "fix the plan"]);
    git(&fix, &["push", "-q", "origin", "main"]);
    s.engine.review(&s.project, ReviewAction::Retry, "pat").await.unwrap();
    // Nothing waits for a person any more, so a second decision is refused.
    s.engine.review(&s.project, ReviewAction::Retry, "pat").await.unwrap_err();
    let end = run().await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 2 });
    let m = s.engine.metrics(Some(&s.project)).await.unwrap();
    assert_eq!(m.tasks_done, 2);
    assert_eq!(m.autonomous_rate, Some(0.5), "task 1 needed a person");
    assert_eq!(m.error_resolution_rate, Some(0.0), "its error was not fixed by error-solve");
}

#[tokio::test]
async fn a_command_off_the_allowlist_never_runs_and_escalates_at_once() {
    let tasks = "- [ ] 1 Publish\n  ```sh\n  true\n  ```\n  - <criterion key=\"ops.publish\" kind=\"ops\" check=\"cmd\" run=\"curl -X POST http://example.invalid/publish\">\n";
    let s = setup(tasks).await;
    let end = s.engine.run(&s.project, &RunRequest::default(), &RunControl::default()).await.unwrap();
    let RunEnd::Blocked { reason, .. } = end else { panic!("{end:?}") };
    assert!(reason.contains("curl"), "names the command: {reason}");
    let row = &s.engine.task_runs(&s.project).await.unwrap()[0];
    assert_eq!(row.attempts, 1, "no attempt is spent retrying what a person must decide");
}

#[tokio::test]
async fn a_secret_printed_by_the_agent_is_redacted_everywhere() {
    let canary = "sk-canary-5f2b9c7e1d";
    let tasks = "- [ ] 1 Leak\n  ```sh\n  echo \"key=$API_KEY\"; printf 'x%.0s' $(seq 1 3000); echo \"$API_KEY\"; echo \"$API_KEY\" >&2\n  ```\n";
    let s = setup(tasks).await;
    let request = RunRequest { secrets: vec![("API_KEY".into(), canary.into())], ..RunRequest::default() };
    let end = s.engine.run(&s.project, &request, &RunControl::default()).await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 1 });
    let log = s.engine.task_log_text(&s.project, "1").await.unwrap();
    assert!(log.contains("key=[REDACTED:API_KEY]"), "the line is kept, the value is not:\n{log}");
    // Nothing anywhere on disk holds the value: database, clone, remote.
    let hits = Command::new("grep").args(["-rl", canary, s.dir.path().to_str().unwrap()]).output().unwrap();
    assert!(hits.stdout.is_empty(), "found the canary in: {}", String::from_utf8_lossy(&hits.stdout));
}

#[tokio::test]
async fn a_skipped_task_holds_back_its_dependents_only() {
    let tasks = "- [ ] 1 Never passes\n  ```sh\n  exit 1\n  ```\n- [ ] 2 Needs 1 (deps: 1)\n  ```sh\n  true\n  ```\n- [ ] 3 Independent\n  ```sh\n  touch three\n  ```\n";
    let s = setup(tasks).await;
    let (request, control) = (RunRequest { max_attempts: Some(1), ..RunRequest::default() }, RunControl::default());
    assert!(matches!(s.engine.run(&s.project, &request, &control).await.unwrap(), RunEnd::Blocked { .. }));
    s.engine.review(&s.project, ReviewAction::Skip, "pat").await.unwrap();
    let end = s.engine.run(&s.project, &request, &control).await.unwrap();
    let RunEnd::Waiting { tasks_done, reason } = end else { panic!("{end:?}") };
    assert_eq!(tasks_done, 1, "3 ran");
    assert!(reason.contains("2 waits on 1"), "{reason}");
    let status: Vec<(String, TaskStatus)> = s.engine.task_runs(&s.project).await.unwrap().into_iter().map(|r| (r.task_id, r.status)).collect();
    assert_eq!(status, [("1".to_string(), TaskStatus::Skipped), ("3".to_string(), TaskStatus::Done)]);
}
