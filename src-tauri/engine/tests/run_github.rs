//! Issue 6's "done when": a project with an HTTPS GitHub-style address runs
//! through PUSH and PR against the stand-ins (tests/common: a smart-HTTP git
//! server that takes only `x-access-token:<token>`, and a fake GitHub REST
//! API) with the token read from the real OS keychain (gnome-keyring), in
//! real Docker with the `script` agent.
//!
//! The project's address is `http://127.0.0.1:PORT/acme/crm.git`: the same
//! shape as `https://github.com/acme/crm`, so the engine treats it as a
//! hosted GitHub repository on host `127.0.0.1` and looks up the token
//! `github:127.0.0.1:ACCOUNT` (the port is not part of the name).
//!
//! Run: `bash -c 'source scripts/lib.sh; with_keyring cargo test -p devteam-engine --test run_github'`

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::fake_github::{FakeGithub, Fault};
use common::git_http_server::{bare_path, git, remote_ref, Access, GitHttpServer};
use common::test_keychain::Keychain;
use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::{ProjectDraft, RunPolicy};
use devteam_engine::run::{MergeMode, ReviewAction, RunControl, RunEnd, Step, TaskStatus};
use devteam_engine::runner::Limits;
use devteam_engine::store::TaskRun;
use devteam_engine::{DataPaths, Engine, EngineEvent, ErrorCode};

const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";
const OWNER: &str = "acme";
const REPO: &str = "crm";
const FIRST: &str = "task/1.1-write-hello";
const SECOND: &str = "task/1.2-write-world";
/// The keychain entry the engine must find for the repository's host.
const TOKEN_NAME: &str = "github:127.0.0.1:tester";

const TASKS: &str = "# Tasks\n\nPhase 1: Files (Dependencies: [])\n\n\
- 1.1 Write hello (Dependencies: [])\n  ```sh\n  echo hello > hello.txt\n  ```\n  \
- <criterion key=\"f.hello\" kind=\"ops\" check=\"file\" path=\"hello.txt\">\n\n\
- 1.2 Write world (Dependencies: [1.1])\n  ```sh\n  echo world > world.txt\n  ```\n  \
- <criterion key=\"f.world\" kind=\"ops\" check=\"file\" path=\"world.txt\">\n";

// ---- the project ---------------------------------------------------------------

/// Removes the project's container when the test ends, pass or fail.
struct Containers(Vec<String>);

impl Drop for Containers {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("docker").args(["rm", "-f", name]).output();
        }
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    paths: DataPaths,
    engine: Engine,
    project: String,
    /// The bare repository behind the git server.
    bare: PathBuf,
    server: GitHttpServer,
    github: FakeGithub,
    keychain: Keychain,
    _containers: Containers,
}

/// A bare `acme/crm.git` holding the task list on `main`, served over HTTP
/// (accepting `server_token`), a fake GitHub accepting the same token, and
/// the project registered with the repository's HTTP address.
async fn setup(test: &str, access: Access, server_token: &str) -> Setup {
    setup_with(test, access, server_token, RunPolicy::default()).await
}

async fn setup_with(test: &str, access: Access, server_token: &str, run: RunPolicy) -> Setup {
    init_logs();
    let dir = tempfile::tempdir().unwrap();
    let git_root = dir.path().join("git");
    let bare = bare_path(&git_root, OWNER, REPO);
    std::fs::create_dir_all(bare.parent().unwrap()).unwrap();
    seed_bare_remote(&bare, &[(TASKLIST, TASKS.as_bytes())], "Plan").unwrap();
    let server = GitHttpServer::start(&git_root, server_token, access);
    let github = FakeGithub::start_with(server_token, &server.base).await;
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "CRM".into(),
        repo_url: server.url(&format!("{OWNER}/{REPO}.git")),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        run,
        ..ProjectDraft::default()
    };
    let project = engine.add_project(&draft).await.unwrap().id;
    let containers = Containers(vec![devteam_engine::run::container_name(&paths, &project)]);
    Setup { _dir: dir, paths, engine, project, bare, server, github, keychain: Keychain::open(test), _containers: containers }
}

impl Setup {
    fn request(&self) -> RunRequest {
        RunRequest {
            merge_mode: Some(MergeMode::Pr),
            secret_source: self.keychain.source(),
            github_api_base: Some(self.github.base.clone()),
            limits: Some(Limits { wall_clock: Duration::from_secs(120), inactivity: Duration::from_secs(60) }),
            ..RunRequest::default()
        }
    }

    async fn run(&self) -> Result<RunEnd, devteam_engine::EngineError> {
        tokio::time::timeout(Duration::from_secs(300), self.engine.run(&self.project, &self.request(), &RunControl::default()))
            .await
            .expect("the run ends within 5 minutes")
    }

    async fn row(&self, task: &str) -> TaskRun {
        let rows = self.engine.task_runs(&self.project).await.unwrap();
        rows.into_iter().find(|r| r.task_id == task).unwrap_or_else(|| panic!("no row for {task}"))
    }

    fn pr_url(&self, number: u32) -> String {
        format!("{}/{OWNER}/{REPO}/pull/{number}", self.server.base)
    }

    /// The refs each authenticated push updated, in order.
    fn pushed_with_the_token(&self) -> Vec<String> {
        self.server.seen().into_iter().filter(|s| s.auth == Some(true)).flat_map(|s| s.pushed).collect()
    }
}

fn list_pulls(branch: &str) -> String {
    format!("GET /api/v3/repos/{OWNER}/{REPO}/pulls?state=open&head={OWNER}%3A{}", branch.replace('/', "%2F"))
}

const POST_PULL: &str = "POST /api/v3/repos/acme/crm/pulls";
/// Before stacking task 2 on task 1's branch: is task 1's pull request merged?
const GET_PULL_1: &str = "GET /api/v3/repos/acme/crm/pulls/1";

// ---- events and logs -------------------------------------------------------------

/// Every event of the engine from now on, collected as it comes, and how
/// many were lost (the channel overflowed).
struct Events(Arc<Mutex<(Vec<EngineEvent>, u64)>>);

impl Events {
    fn collect(engine: &Engine) -> Self {
        let mut rx = engine.subscribe();
        let all = Arc::new(Mutex::new((Vec::new(), 0)));
        let into = all.clone();
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(event) => into.lock().unwrap().0.push(event),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => into.lock().unwrap().1 += n,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        });
        Self(all)
    }

    /// Waits a moment for the collector to catch up, then takes what came.
    async fn take(&self) -> Vec<EngineEvent> {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut all = self.0.lock().unwrap();
        assert_eq!(all.1, 0, "no event was lost");
        std::mem::take(&mut all.0)
    }
}

fn as_json(events: &[EngineEvent]) -> String {
    events.iter().map(|e| serde_json::to_string(e).unwrap()).collect::<Vec<_>>().join("\n")
}

/// The app's log files (as `init_logging` writes them) for this test
/// binary: one folder, since a process has one global subscriber.
fn log_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("run_github-logs");
        let _ = std::fs::remove_dir_all(&dir);
        dir
    })
}

fn init_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let guard = devteam_engine::logging::init_logging(log_dir(), "devteam").unwrap();
        // The writer thread lives as long as the test binary.
        std::mem::forget(guard);
    });
}

/// The log files' text once everything logged so far is written: a marker
/// is logged and waited for (the file writer keeps the order).
async fn flushed_logs(test: &str) -> String {
    let marker = format!("log check of {test} {}", std::process::id());
    tracing::warn!("{marker}");
    for _ in 0..100 {
        let mut text = String::new();
        for entry in std::fs::read_dir(log_dir()).unwrap().flatten() {
            text.push_str(&String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()));
        }
        if text.contains(&marker) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the log files never showed {marker:?}");
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &Path, into: &mut Vec<u8>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_bytes(&path, into);
        } else if let Ok(bytes) = std::fs::read(&path) {
            into.extend(bytes);
        }
    }
}

/// The canary: none of `secrets` is in any file of the data folder (the
/// database and its WAL, the clone, artifacts), the remote (its files and
/// every commit's content), any event, or the log files. Closes the engine.
async fn assert_nowhere(s: &Setup, test: &str, events: &[EngineEvent], secrets: &[&str]) {
    s.engine.close().await;
    let mut places: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut data = Vec::new();
    all_bytes(s.paths.root(), &mut data);
    places.push(("the data folder", data));
    let mut remote = Vec::new();
    all_bytes(&s.bare, &mut remote);
    remote.extend(git(&s.bare, &["log", "-p", "--all"]).into_bytes());
    places.push(("the remote", remote));
    let clone = s.paths.project(&s.project).join("clone");
    if clone.join(".git").exists() {
        // The worktree is handed to the container's user: not ours to git.
        let history = git(&clone, &["-c", "safe.directory=*", "log", "-p", "--all"]);
        places.push(("the clone's history", history.into_bytes()));
    }
    places.push(("the events", as_json(events).into_bytes()));
    let logs = flushed_logs(test).await;
    if events.iter().any(|e| matches!(e, EngineEvent::StepStarted { .. })) {
        assert!(logs.contains(&s.project), "the log files hold this run's lines");
    }
    places.push(("the log files", logs.into_bytes()));
    for secret in secrets {
        for (place, bytes) in &places {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "a token is in {place}");
        }
    }
}

// ---- the tests -----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_github_project_pushes_and_opens_stacked_pull_requests_with_the_keychain_token() {
    const TOKEN: &str = "ghp_CANARY_run_github_happy_0123456789abcdef";
    let policy = RunPolicy { pr_draft: true, pr_labels: vec!["devteam".into()], ..RunPolicy::default() };
    let mut s = setup_with("happy", Access::Private, TOKEN, policy).await;
    s.keychain.set(TOKEN_NAME, TOKEN);
    let events = Events::collect(&s.engine);

    let end = s.run().await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 2 });

    // Git: both branches went over HTTP with `x-access-token:<token>` from
    // the keychain; no other credential was ever offered.
    let seen = s.server.seen();
    assert!(seen.iter().all(|r| r.auth != Some(false)), "only the right token was offered: {seen:#?}");
    assert_eq!(s.pushed_with_the_token(), [format!("refs/heads/{FIRST}"), format!("refs/heads/{SECOND}")]);
    let (first, second) = (s.row("1.1").await, s.row("1.2").await);
    assert_eq!(remote_ref(&s.bare, FIRST), first.commit_id, "the remote has task 1's commit");
    assert_eq!(remote_ref(&s.bare, SECOND), second.commit_id, "the remote has task 2's commit");

    // GitHub: one lookup, one creation and its label per task, and before
    // task 2 a look at task 1's pull request, still open: the second is
    // stacked on it.
    let label = |n: u32| format!("POST /api/v3/repos/acme/crm/issues/{n}/labels");
    assert_eq!(
        s.github.requests(),
        [list_pulls(FIRST), POST_PULL.into(), label(1), GET_PULL_1.into(), list_pulls(SECOND), POST_PULL.into(), label(2)]
    );
    assert_eq!(s.github.pulls(), [(1, FIRST.into(), "main".into()), (2, SECOND.into(), FIRST.into())]);

    // Drafts with the project's label; each body shows the task as written,
    // its evidence, links into its artifacts beside the task list, and the
    // time each step took.
    {
        let state = s.github.state.lock().unwrap();
        let pull = &state.pulls[0];
        assert!(pull.draft && pull.labels == ["devteam"], "draft {} labels {:?}", pull.draft, pull.labels);
        let files = format!("https://127.0.0.1/{OWNER}/{REPO}/blob/{FIRST}/ai_docs/tasks/artifacts/1.1/");
        for part in [
            "## Task 1.1: Write hello",
            "Part of: 1 Files",
            "echo hello > hello.txt",
            "- ✅ pass — f.hello",
            "| implement |",
            "| verify |",
            "| **total** |",
        ] {
            assert!(pull.body.contains(part), "`{part}` in the body:\n{}", pull.body);
        }
        for file in ["diff.patch", "timings.json", "agent.log", "prompt-1.md", "verify-1.md"] {
            assert!(pull.body.contains(&format!("[{file}]({files}{file})")), "a link to {file}:\n{}", pull.body);
        }
    }

    // The rows and the TaskDone events carry each pull request.
    assert_eq!((first.status, first.pr_number, first.pr_url.clone()), (TaskStatus::Done, Some(1), Some(s.pr_url(1))));
    assert_eq!((second.status, second.pr_number, second.pr_url.clone()), (TaskStatus::Done, Some(2), Some(s.pr_url(2))));
    let events = events.take().await;
    let done: Vec<(String, Option<String>)> = events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::TaskDone { task_id, pr_url, .. } => Some((task_id.clone(), pr_url.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(done, [("1.1".into(), Some(s.pr_url(1))), ("1.2".into(), Some(s.pr_url(2)))]);
    // The first pull request's link joins task_outcomes.md with the second task's commit.
    let outcomes = git(&s.bare, &["show", &format!("{SECOND}:ai_docs/tasks/task_outcomes.md")]);
    assert!(outcomes.contains(&format!("- Pull request: {}", s.pr_url(1))), "{outcomes}");
    assert!(outcomes.contains(&format!("- Pull request: opened for `{SECOND}` after this commit")), "{outcomes}");

    assert_nowhere(&s, "happy", &events, &[TOKEN]).await;
    s.keychain.clear();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_push_and_pull_request_opens_no_second_pull_request() {
    const TOKEN: &str = "ghp_CANARY_run_github_crash_0123456789abcdef";
    let mut s = setup("crash", Access::Private, TOKEN).await;
    s.keychain.set(TOKEN_NAME, TOKEN);
    let events = Events::collect(&s.engine);
    // Task 1: GitHub opens the pull request but its answer is a 500; the
    // retried POST hears "already exists" and the pull request is looked up.
    s.github.fail_next_post_for(FIRST, Fault::HandleThenAnswer { status: 500 });
    // Task 2: GitHub opens the pull request and the answer never comes; the
    // process dies waiting (the run is dropped mid-await, as a kill would).
    s.github.fail_next_post_for(SECOND, Fault::HandleThenHang);

    tokio::select! {
        end = s.run() => panic!("the run should have hung on the lost answer: {end:?}"),
        _ = s.github.hung() => {}
    }
    let first = s.row("1.1").await;
    assert_eq!((first.status, first.pr_number), (TaskStatus::Done, Some(1)), "found after the lost 500");
    let second = s.row("1.2").await;
    assert_eq!((second.status, second.step), (TaskStatus::Running, Step::Push), "killed in PUSH");
    assert_eq!((second.pr_number, second.pr_url.as_deref()), (None, None), "the number never arrived");
    assert_eq!(remote_ref(&s.bare, SECOND), second.commit_id, "the branch was pushed before the crash");
    assert_eq!(s.github.pulls().len(), 2, "GitHub has task 2's pull request all the same");
    let before = s.github.requests();
    assert_eq!(
        before,
        [
            list_pulls(FIRST),
            POST_PULL.into(),
            POST_PULL.into(),
            list_pulls(FIRST),
            GET_PULL_1.into(),
            list_pulls(SECOND),
            POST_PULL.into()
        ],
        "task 1: POST → 500, POST → 422 already exists, GET finds it"
    );

    // Started again: the run resumes task 2 in PUSH, finds its pull request
    // and opens nothing.
    let end = s.run().await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 1 });
    assert_eq!(s.github.requests()[before.len()..], [list_pulls(SECOND)], "a lookup and no POST");
    assert_eq!(s.github.pulls(), [(1, FIRST.into(), "main".into()), (2, SECOND.into(), FIRST.into())]);
    let second = s.row("1.2").await;
    assert_eq!((second.status, second.pr_number, second.pr_url.clone()), (TaskStatus::Done, Some(2), Some(s.pr_url(2))));
    let log = git(&s.bare, &["log", "--format=%s", SECOND]);
    assert_eq!(log.lines().filter(|l| l.starts_with("Task ")).count(), 2, "one commit per task: {log}");
    let events = events.take().await;
    assert!(events.iter().any(|e| matches!(e, EngineEvent::TaskDone { task_id, pr_url, .. }
        if task_id == "1.2" && pr_url.as_deref() == Some(s.pr_url(2).as_str()))));

    assert_nowhere(&s, "crash", &events, &[TOKEN]).await;
    s.keychain.clear();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_the_previous_pull_request_is_squash_merged_the_next_task_starts_from_the_base() {
    const TOKEN: &str = "ghp_CANARY_run_github_squash_0123456789abcdef";
    let mut s = setup("squash", Access::Private, TOKEN).await;
    s.keychain.set(TOKEN_NAME, TOKEN);
    let one = RunRequest { max_tasks: Some(1), ..s.request() };
    let end = s.engine.run(&s.project, &one, &RunControl::default()).await.unwrap();
    assert!(matches!(end, RunEnd::StopPoint { .. }), "task 1 only: {end:?}");
    let first = s.row("1.1").await;
    assert_eq!(first.pr_number, Some(1));

    // Someone squash-merges pull request #1: `main` gets one new commit with
    // task 1's tree, and task 1's own commit never reaches it.
    let tree = git(&s.bare, &["rev-parse", &format!("{FIRST}^{{tree}}")]);
    let who = ["-c", "user.name=Reviewer", "-c", "user.email=reviewer@example.com"];
    let squash = git(&s.bare, &[&who[..], &["commit-tree", &tree, "-p", "main", "-m", "Task 1.1: Write hello (#1)"]].concat());
    git(&s.bare, &["update-ref", "refs/heads/main", &squash]);
    {
        let mut state = s.github.state.lock().unwrap();
        state.pulls[0].open = false;
        state.pulls[0].merged = true;
    }

    let end = s.run().await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 1 });
    let second = s.row("1.2").await;
    assert_eq!(second.start_commit.as_deref(), Some(squash.as_str()), "task 2 starts from the squash commit on main");
    assert_eq!(s.github.pulls(), [(1, FIRST.into(), "main".into()), (2, SECOND.into(), "main".into())], "and its pull request is into main");
    assert_eq!(s.github.requests()[2..], [GET_PULL_1.into(), list_pulls(SECOND), POST_PULL.into()]);
    let parents = git(&s.bare, &["log", "--format=%s", SECOND]);
    assert_eq!(
        parents.lines().collect::<Vec<_>>(),
        ["Task 1.2: Write world", "Task 1.1: Write hello (#1)", "Plan"],
        "task 1's own commit is not under task 2"
    );
    let log = s.engine.task_log_text(&s.project, "1.2").await.unwrap();
    assert!(log.contains("task 1.1's pull request #1 is merged: starting from main"), "the log says why: {log}");
    s.keychain.clear();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_faults_in_a_run_server_errors_and_rate_limits_are_waited_out_a_401_needs_a_person() {
    const TOKEN: &str = "ghp_CANARY_run_github_faults_0123456789abcdef";
    let mut s = setup("faults", Access::Private, TOKEN).await;
    s.keychain.set(TOKEN_NAME, TOKEN);
    let answer = |status: u16, headers: &[(&str, &str)], body: &str| Fault::Answer {
        status,
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: body.to_string(),
    };
    // Task 1: GitHub fails once, then says to wait a second; both are waited out.
    s.github.fail_next_post_for(FIRST, answer(502, &[], r#"{"message":"Bad Gateway"}"#));
    s.github.fail_next_post_for(FIRST, answer(429, &[("retry-after", "1")], r#"{"message":"API rate limit exceeded"}"#));
    // Task 2: GitHub refuses the token when the pull request is opened.
    s.github.fail_next_post_for(SECOND, answer(401, &[], r#"{"message":"Bad credentials"}"#));

    let end = s.run().await.unwrap();
    let RunEnd::Blocked { task_id, reason } = end else { panic!("{end:?}") };
    assert_eq!(task_id, "1.2");
    assert!(reason.contains("the token for 127.0.0.1") && reason.contains("rejected"), "{reason}");
    assert_eq!(
        s.github.requests(),
        [
            list_pulls(FIRST),
            POST_PULL.into(),
            POST_PULL.into(),
            POST_PULL.into(),
            GET_PULL_1.into(),
            list_pulls(SECOND),
            POST_PULL.into()
        ],
        "task 1: 502, 429, then opened; task 2: one refused POST, not retried"
    );
    let second = s.row("1.2").await;
    assert_eq!((second.status, second.pr_number), (TaskStatus::HumanReview, None));
    assert_eq!(remote_ref(&s.bare, SECOND), second.commit_id, "the branch was pushed before GitHub refused");

    // The person sorts the token out and retries: the pull request is
    // opened, nothing is implemented again.
    s.engine.review(&s.project, ReviewAction::Retry, "tester").await.unwrap();
    assert_eq!(s.run().await.unwrap(), RunEnd::AllDone { tasks_done: 1 });
    assert_eq!(s.github.pulls(), [(1, FIRST.into(), "main".into()), (2, SECOND.into(), FIRST.into())]);
    let second = s.row("1.2").await;
    assert_eq!((second.pr_number, second.attempts), (Some(2), 1), "no second attempt");
    s.keychain.clear();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_blocks_the_task_at_once_and_a_new_one_lets_it_go_on() {
    const TOKEN: &str = "ghp_CANARY_run_github_right_0123456789abcdef";
    const WRONG: &str = "ghp_CANARY_run_github_wrong_0000000000000000";
    // A public repository: anyone clones, only the right token pushes.
    let mut s = setup("wrong", Access::PublicRead, TOKEN).await;
    s.keychain.set(TOKEN_NAME, WRONG);
    let events = Events::collect(&s.engine);

    let end = s.run().await.unwrap();
    let RunEnd::Blocked { task_id, reason } = end else { panic!("{end:?}") };
    assert_eq!(task_id, "1.1");
    assert!(reason.contains("the token for 127.0.0.1 was rejected"), "{reason}");
    let row = s.row("1.1").await;
    assert_eq!((row.status, row.step, row.attempts), (TaskStatus::HumanReview, Step::HumanReview, 1));
    assert_eq!(row.pr_number, None);
    assert!(row.commit_id.is_some(), "the task's commit was made before PUSH");

    // One push, one offer of the token, no retry; nothing reached GitHub.
    let offered: Vec<_> = s.server.seen().into_iter().filter(|r| r.auth.is_some()).collect();
    assert_eq!(offered.len(), 1, "the token was offered once: {offered:#?}");
    assert!(offered[0].is_push() && offered[0].auth == Some(false), "{offered:#?}");
    assert!(s.server.seen().iter().all(|r| r.pushed.is_empty()), "no pack was sent");
    assert_eq!(remote_ref(&s.bare, FIRST), None, "nothing was pushed");
    assert!(s.github.requests().is_empty(), "no pull request was tried: {:?}", s.github.requests());
    let execution = s.engine.execution_row(&s.project).await.unwrap().unwrap();
    assert_eq!(execution.state, "blocked");
    let mut all_events = events.take().await;
    assert!(all_events.iter().any(|e| matches!(e, EngineEvent::Blocked { reason, .. } if reason.contains("was rejected"))));

    // What the message and the README say to do: store a new token, retry.
    s.keychain.set(TOKEN_NAME, TOKEN);
    s.engine.review(&s.project, ReviewAction::Retry, "tester").await.unwrap();
    let before = s.server.seen().len();
    assert_eq!(s.run().await.unwrap(), RunEnd::AllDone { tasks_done: 2 });
    let after: Vec<_> = s.server.seen()[before..].iter().filter(|r| r.auth.is_some()).cloned().collect();
    assert!(after.iter().all(|r| r.auth == Some(true)), "only the new token was offered: {after:#?}");
    assert_eq!(s.pushed_with_the_token(), [format!("refs/heads/{FIRST}"), format!("refs/heads/{SECOND}")]);
    assert_eq!(s.github.pulls(), [(1, FIRST.into(), "main".into()), (2, SECOND.into(), FIRST.into())]);
    assert_eq!(s.row("1.1").await.commit_id, row.commit_id, "the committed work was pushed, not redone");
    assert_eq!(remote_ref(&s.bare, FIRST), row.commit_id);
    all_events.extend(events.take().await);

    assert_nowhere(&s, "wrong", &all_events, &[TOKEN, WRONG]).await;
    s.keychain.clear();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_for_the_host_the_run_says_how_to_add_one() {
    const TOKEN: &str = "ghp_CANARY_run_github_none_0123456789abcdef";
    const OTHER_HOST: &str = "ghp_CANARY_run_github_other_host_000000000";
    let mut s = setup("none", Access::Private, TOKEN).await;
    // A token for another host is not one for this repository's host.
    s.keychain.set("github:github.com:tester", OTHER_HOST);
    let events = Events::collect(&s.engine);

    let err = s.run().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Keychain, "{}", err.message);
    assert!(err.message.contains("no GitHub token for 127.0.0.1 in the keychain"), "{}", err.message);
    assert!(err.message.contains("devteam-cli secrets set github:127.0.0.1:ACCOUNT"), "{}", err.message);
    let execution = s.engine.execution_row(&s.project).await.unwrap().unwrap();
    assert_eq!((execution.state.as_str(), execution.reason.as_deref()), ("failed", Some(err.message.as_str())));
    assert!(s.server.seen().is_empty(), "nothing was cloned or pushed");
    assert!(s.github.requests().is_empty());
    assert!(s.engine.task_runs(&s.project).await.unwrap().is_empty(), "no task started");

    let events = events.take().await;
    assert_nowhere(&s, "none", &events, &[OTHER_HOST]).await;
    s.keychain.clear();
}
