//! Command-template agents walked through the whole run engine in real
//! Docker, with the fake CLIs of the test image standing in for Claude Code,
//! Aider and Codex: routing recorded, error-solve solving on the third
//! attempt and escalating after three failures, a hanging agent stopped by
//! the inactivity limit, a missing API key escalated at once, a risky task
//! waiting for approval, a secret canary that never lands anywhere, and a
//! container lost mid-run retried without spending an attempt.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use devteam_engine::agents::fakes::fake_cli_files;
use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::ProjectDraft;
use devteam_engine::run::{ReviewAction, RunControl, RunEnd, SecretSource, TaskStatus};
use devteam_engine::runner::{DockerRunner, ImageRecipe, Limits};
use devteam_engine::secrets::MemorySecrets;
use devteam_engine::{DataPaths, Engine, EngineEvent};

const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";
const CANARY: &str = "sk-ant-CANARY-7f3e9b21d4c8a6";

struct Containers(Vec<String>);

impl Drop for Containers {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("docker").args(["rm", "-f", name]).output();
        }
    }
}

async fn fake_image() -> String {
    let runner = DockerRunner::connect().await.unwrap();
    runner.ensure_image(&ImageRecipe::test_image(fake_cli_files()).unwrap(), &mut |_| {}).await.unwrap()
}

struct Setup {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    engine: Engine,
    project: String,
    _containers: Containers,
}

async fn setup(tasks: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let bare = seed_bare_remote(&root.join("remote.git"), &[(TASKLIST, tasks.as_bytes())], "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Agents".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "aider".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    let project = engine.add_project(&draft).await.unwrap().id;
    let containers = Containers(vec![devteam_engine::run::container_name(&paths, &project)]);
    Setup { _dir: dir, root, engine, project, _containers: containers }
}

async fn request(inactivity_secs: u64) -> RunRequest {
    RunRequest {
        image: Some(fake_image().await),
        limits: Some(Limits { wall_clock: Duration::from_secs(120), inactivity: Duration::from_secs(inactivity_secs) }),
        secrets: vec![("ANTHROPIC_API_KEY".into(), CANARY.into()), ("OPENAI_API_KEY".into(), "sk-openai-test".into())],
        secret_source: SecretSource::store(Arc::new(MemorySecrets::default())),
        ..RunRequest::default()
    }
}

/// `none` (offline) or `bridge` (a network).
fn network_mode(container: &str) -> String {
    let out = Command::new("docker").args(["inspect", "-f", "{{.HostConfig.NetworkMode}}", container]).output().unwrap();
    assert!(out.status.success(), "docker inspect {container}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every byte under `dir`, for "the canary is nowhere".
fn all_bytes(dir: &Path, into: &mut Vec<u8>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_bytes(&path, into);
        } else if let Ok(bytes) = std::fs::read(&path) {
            into.extend(bytes);
        }
    }
}

const MAIN_TASKS: &str = "# Tasks\n\nPhase 1: Agents (Dependencies: [])\n\n\
- 1.1 Greet with Claude (Dependencies: [])\n  agent: claude-code\n  fake: succeed\n  fake-write: hello.txt hello\n  \
- <criterion key=\"f.hello\" kind=\"ops\" check=\"file\" path=\"hello.txt\">\n\n\
- 1.2 Add tests for the greeting (Dependencies: [1.1])\n  fake: fail-twice\n  fake-write: greeting_test.txt ok\n  \
- <criterion key=\"f.test\" kind=\"test\" check=\"file\" path=\"greeting_test.txt\">\n\n\
- 1.3 Refactor the greeting (Dependencies: [1.2])\n  fake: leak-secret ANTHROPIC_API_KEY\n  fake-write: refactored.txt yes\n  \
- <criterion key=\"f.ref\" kind=\"ops\" check=\"file\" path=\"refactored.txt\">\n";

#[tokio::test]
async fn template_agents_are_routed_solve_on_the_third_attempt_and_never_leak_a_secret() {
    let s = setup(MAIN_TASKS).await;
    let mut events = s.engine.subscribe();
    // "leak-secret" would make 1.3 risky; approvals have their own test.
    let req = RunRequest { risky_keywords: Some(Vec::new()), ..request(60).await };
    let end = s.engine.run(&s.project, &req, &RunControl::default()).await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 3 });

    let rows = s.engine.task_runs(&s.project).await.unwrap();
    let row = |id: &str| rows.iter().find(|r| r.task_id == id).unwrap().clone();
    assert_eq!((row("1.1").agent.as_str(), row("1.1").attempts), ("claude-code", 1), "the task's agent: line wins");
    assert_eq!((row("1.2").agent.as_str(), row("1.2").attempts), ("aider", 3), "\"add tests\" routes to aider; solved on attempt 3");
    assert_eq!(row("1.3").agent, "claude-code", "\"refactor\" routes to claude-code");

    let mut chosen = Vec::new();
    let mut attempts = Vec::new();
    let mut criteria = Vec::new();
    let mut seen = String::new();
    let mut first = None;
    while let Ok(event) = events.try_recv() {
        seen.push_str(&serde_json::to_string(&event).unwrap());
        first.get_or_insert_with(|| event.clone());
        match event {
            EngineEvent::AgentChosen { task_id, agent, reason, .. } => chosen.push(format!("{task_id} {agent}: {reason}")),
            EngineEvent::AttemptFinished { task_id, attempt, passed, failure, .. } if task_id == "1.2" => {
                attempts.push((attempt, passed, failure.is_some()));
            }
            EngineEvent::CriterionChecked { task_id, attempt, criterion, passed, .. } if task_id == "1.2" => {
                criteria.push((attempt, criterion, passed));
            }
            _ => {}
        }
    }
    assert!(matches!(first, Some(EngineEvent::RunStarted { run_id: 1, .. })), "the run says it started first: {first:?}");
    assert_eq!(attempts, [(1, false, true), (2, false, true), (3, true, false)], "1.2: two failed attempts, then a pass");
    assert_eq!(criteria, [(3, "f.test".to_string(), true)], "its criterion, checked once the agent succeeded");
    assert_eq!(
        chosen,
        [
            "1.1 claude-code: the task names agent: claude-code",
            "1.2 aider: keyword \"add test\" → aider",
            "1.3 claude-code: keyword \"refactor\" → claude-code",
        ]
    );
    assert!(seen.contains("[REDACTED:ANTHROPIC_API_KEY]"), "the fake printed the canary and it was redacted");
    assert!(!seen.contains(CANARY), "no event carries the canary");

    // The prompts on retry carried the failure back to the agent.
    let remote = s.root.join("remote.git");
    let prompt3 = git(&remote, &["show", "task/1.2-add-tests-for-the-greeting:ai_docs/tasks/artifacts/1.2/prompt-3.md"]);
    assert!(prompt3.contains("## Attempt 2 failed"), "{prompt3}");
    assert!(prompt3.contains("Done before this task") && prompt3.contains("1.1 Greet with Claude"), "{prompt3}");

    // Nowhere: database (and its WAL), logs, the clone, the remote's objects.
    s.engine.close().await;
    let mut everything = Vec::new();
    all_bytes(&s.root, &mut everything);
    let remote_text = git(&remote, &["log", "-p", "--all"]);
    everything.extend(remote_text.as_bytes());
    assert!(!everything.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()), "the canary is written nowhere");
    assert!(remote_text.contains("[REDACTED:ANTHROPIC_API_KEY]"), "the agent log artifact shows where it was redacted");
}

#[tokio::test]
async fn an_agent_that_always_fails_escalates_after_three_attempts_with_its_reason() {
    let tasks = "# Tasks\n\n- 1.1 Never works (Dependencies: [])\n  agent: codex\n  fake: always-fail\n";
    let s = setup(tasks).await;
    let end = s.engine.run(&s.project, &request(60).await, &RunControl::default()).await.unwrap();
    let RunEnd::Blocked { task_id, reason } = end else { panic!("{end:?}") };
    assert_eq!(task_id, "1.1");
    assert!(reason.contains("after 3 attempts") && reason.contains("codex") && reason.contains("exit status 1"), "{reason}");
    let row = &s.engine.task_runs(&s.project).await.unwrap()[0];
    assert_eq!((row.status, row.attempts), (TaskStatus::HumanReview, 3));
    assert_eq!(network_mode(&s._containers.0[0]), "bridge", "codex calls an API: its container has a network");
}

#[tokio::test]
async fn a_silent_agent_is_stopped_by_the_inactivity_limit() {
    let tasks = "# Tasks\n\n- 1.1 Hangs (Dependencies: [])\n  agent: claude-code\n  fake: hang\n";
    let s = setup(tasks).await;
    let mut req = request(3).await;
    req.max_attempts = Some(1);
    let started = std::time::Instant::now();
    let end = s.engine.run(&s.project, &req, &RunControl::default()).await.unwrap();
    let RunEnd::Blocked { reason, .. } = end else { panic!("{end:?}") };
    assert!(reason.contains("3 s without output"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(60), "the hang did not stall the project");
}

#[tokio::test]
async fn a_missing_api_key_goes_to_a_person_at_once() {
    let tasks = "# Tasks\n\n- 1.1 Needs OpenAI (Dependencies: [])\n  agent: codex\n  fake: succeed\n";
    let s = setup(tasks).await;
    let mut req = request(60).await;
    req.secrets.retain(|(name, _)| name != "OPENAI_API_KEY");
    let end = s.engine.run(&s.project, &req, &RunControl::default()).await.unwrap();
    let RunEnd::Blocked { reason, .. } = end else { panic!("{end:?}") };
    assert!(reason.contains("OPENAI_API_KEY") && reason.contains("keychain"), "{reason}");
    assert_eq!(s.engine.task_runs(&s.project).await.unwrap()[0].attempts, 1, "escalated at once, not retried");
}

#[tokio::test]
async fn a_risky_task_waits_for_approval_then_runs() {
    let tasks = "# Tasks\n\n- 1.1 Deploy the greeting to production (Dependencies: [])\n  agent: claude-code\n  fake: succeed\n  fake-write: deployed.txt yes\n";
    let s = setup(tasks).await;
    let mut events = s.engine.subscribe();
    let end = s.engine.run(&s.project, &request(60).await, &RunControl::default()).await.unwrap();
    let RunEnd::Blocked { reason, .. } = end else { panic!("{end:?}") };
    assert!(reason.starts_with("approval needed") && reason.contains("\"production\""), "{reason}");
    assert!(std::iter::from_fn(|| events.try_recv().ok()).any(|e| matches!(e, EngineEvent::ApprovalNeeded { .. })));
    let err = s.engine.review(&s.project, ReviewAction::Retry, "tester").await.unwrap_err();
    assert!(err.message.contains("approve or reject"), "{}", err.message);
    s.engine.review(&s.project, ReviewAction::Approve, "alice").await.unwrap();
    let end = s.engine.run(&s.project, &request(60).await, &RunControl::default()).await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 1 });
    let row = &s.engine.task_runs(&s.project).await.unwrap()[0];
    assert_eq!((row.approved_by.as_deref(), row.attempts), (Some("alice"), 1));
}

#[tokio::test]
async fn a_container_lost_mid_task_is_retried_without_spending_an_attempt() {
    let tasks = "# Tasks\n\n- 1.1 Slow script (Dependencies: [])\n  agent: script\n  ```sh\n  sleep 4\n  echo done > slow.txt\n  ```\n  \
                 - <criterion key=\"f\" kind=\"ops\" check=\"file\" path=\"slow.txt\">\n";
    let s = setup(tasks).await;
    let container = s._containers.0[0].clone();
    let mut events = s.engine.subscribe();
    let req = request(60).await;
    // When the script runs, take the container away (as a daemon restart
    // would).
    let take_container_away = async {
        loop {
            match tokio::time::timeout(Duration::from_secs(60), events.recv()).await.unwrap().unwrap() {
                EngineEvent::StepStarted { step: devteam_engine::run::Step::Implement, .. } => break,
                _ => continue,
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        // The project's default agent (aider) needs a network, but the only
        // task to do is for `script`: the container stays offline.
        assert_eq!(network_mode(&container), "none");
        let out = Command::new("docker").args(["rm", "-f", &container]).output().unwrap();
        assert!(out.status.success());
    };
    let control = RunControl::default();
    let (end, ()) = tokio::join!(s.engine.run(&s.project, &req, &control), take_container_away);
    assert_eq!(end.unwrap(), RunEnd::AllDone { tasks_done: 1 });
    let retried = std::iter::from_fn(|| events.try_recv().ok()).any(|e| matches!(e, EngineEvent::Retrying { .. }));
    assert!(retried, "the fault was retried");
    assert_eq!(s.engine.task_runs(&s.project).await.unwrap()[0].attempts, 1, "the lost attempt was not spent");
}

#[tokio::test]
async fn an_unknown_agent_goes_to_a_person_at_once() {
    let tasks = "# Tasks\n\n- 1.1 Use a made-up agent (Dependencies: [])\n  agent: gpt-magic\n";
    let s = setup(tasks).await;
    let end = s.engine.run(&s.project, &request(60).await, &RunControl::default()).await.unwrap();
    let RunEnd::Blocked { reason, .. } = end else { panic!("{end:?}") };
    assert!(reason.contains("gpt-magic"), "the reason names the agent: {reason}");
    let row = &s.engine.task_runs(&s.project).await.unwrap()[0];
    assert_eq!((row.status, row.attempts), (TaskStatus::HumanReview, 1), "escalated at once, not retried");
}
