//! The GitHub client against a local server that answers like GitHub's REST
//! API (an Enterprise-style `/api/v3` base), recording every request: the
//! exact requests made are the contract (one pull request per branch, no
//! retry of a rejected token, rate limits waited out), and the token never
//! reaches a log line or an error.

mod common;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::fake_github::{FakeGithub, Fault, Pull};
use devteam_engine::github::{NewPullRequest, PullRequestState, TokenKind};
use devteam_engine::ErrorCode;
use serde_json::json;

/// The one token the fake GitHub accepts; also the canary searched for in
/// the captured logs.
const TOKEN: &str = "ghp_CANARY_github_api_0123456789abcdefXYZ";

// The fake GitHub is tests/common/fake_github.rs.

fn new_pr(branch: &str, labels: &[&str]) -> NewPullRequest {
    NewPullRequest {
        owner: "acme".into(),
        repo: "crm".into(),
        head_branch: branch.into(),
        base: "main".into(),
        title: "Task 1: Add login".into(),
        body: "evidence".into(),
        draft: false,
        labels: labels.iter().map(|l| l.to_string()).collect(),
    }
}

const LIST_1: &str = "GET /api/v3/repos/acme/crm/pulls?state=open&head=acme%3Atask%2F1-add-login";

// ---- log capture -------------------------------------------------------------

/// Everything logged by this test binary (tracing events and `log` records
/// of the HTTP stack), at every level.
fn captured_logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        use tracing_subscriber::util::SubscriberInitExt;
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogSink(sink.clone()))
            .finish()
            .try_init()
            .expect("the only subscriber of this test binary");
        logs
    })
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// ---- the tests -------------------------------------------------------------

#[tokio::test]
async fn a_second_ensure_for_the_same_branch_opens_nothing_new() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, _) = gh.client(TOKEN);
    let first = client.ensure_pull_request(&new_pr("task/1-add-login", &["devteam"])).await.unwrap();
    assert_eq!((first.number, first.created), (1, true));
    assert_eq!(first.html_url, "https://github.com/acme/crm/pull/1");
    let second = client.ensure_pull_request(&new_pr("task/1-add-login", &["devteam"])).await.unwrap();
    assert_eq!((second.number, second.created), (1, false));
    assert_eq!(
        gh.requests(),
        [
            LIST_1,
            "POST /api/v3/repos/acme/crm/pulls",
            "POST /api/v3/repos/acme/crm/issues/1/labels",
            LIST_1, // the second call only looks: the PR and its label are there
        ]
    );
}

#[tokio::test]
async fn a_lost_create_answer_ends_in_the_one_existing_pull_request() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, waits) = gh.client(TOKEN);
    // GitHub creates the PR but the answer is a 500: the POST is retried,
    // GitHub says 422 "already exists", and the PR is looked up again.
    // Faults apply in request order: the lookup first answers "none open".
    gh.fail_next(Fault::Answer { status: 200, headers: vec![], body: "[]".into() });
    gh.fail_next(Fault::HandleThenAnswer { status: 500 });
    let pr = client.ensure_pull_request(&new_pr("task/1-add-login", &["devteam", "task"])).await.unwrap();
    assert_eq!((pr.number, pr.created), (1, false));
    assert_eq!(gh.state.lock().unwrap().pulls.len(), 1, "one pull request on GitHub");
    assert_eq!(gh.state.lock().unwrap().pulls[0].labels, ["devteam", "task"], "labels added even so");
    assert_eq!(
        gh.requests(),
        [
            LIST_1,
            "POST /api/v3/repos/acme/crm/pulls",
            "POST /api/v3/repos/acme/crm/pulls",
            LIST_1,
            "POST /api/v3/repos/acme/crm/issues/1/labels",
        ]
    );
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1)], "one backoff after the 500");
}

#[tokio::test]
async fn an_existing_pull_request_only_gets_its_missing_labels() {
    let gh = FakeGithub::start(TOKEN).await;
    gh.state.lock().unwrap().pulls.push(Pull {
        number: 7,
        head: "task/1-add-login".into(),
        base: "main".into(),
        open: true,
        merged: false,
        labels: vec!["devteam".into()],
        draft: false,
        body: String::new(),
    });
    let (client, _) = gh.client(TOKEN);
    let pr = client.ensure_pull_request(&new_pr("task/1-add-login", &["devteam", "risky"])).await.unwrap();
    assert_eq!((pr.number, pr.created), (7, false));
    assert_eq!(gh.requests(), [LIST_1, "POST /api/v3/repos/acme/crm/issues/7/labels"]);
    assert_eq!(gh.state.lock().unwrap().pulls[0].labels, ["devteam", "risky"]);
}

#[tokio::test]
async fn a_rejected_token_fails_at_once_and_needs_a_person() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, waits) = gh.client("ghp_wrong_token_000000000000");
    let err = client.ensure_pull_request(&new_pr("task/1-add-login", &[])).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::CredentialRejected);
    assert!(err.needs_person());
    let host = gh.base.trim_start_matches("http://").trim_end_matches("/api/v3");
    assert!(err.message.contains(&format!("the token for {host} was rejected")), "{}", err.message);
    assert_eq!(gh.requests(), [LIST_1], "no retry, no POST");
    assert!(waits.lock().unwrap().is_empty());
}

#[tokio::test]
async fn rate_limits_are_waited_out_as_github_asks() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, waits) = gh.client(TOKEN);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let limited = |h: Vec<(&str, String)>| Fault::Answer {
        status: 403,
        headers: h.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        body: json!({ "message": "API rate limit exceeded" }).to_string(),
    };
    gh.fail_next(limited(vec![("X-RateLimit-Remaining", "0".into()), ("X-RateLimit-Reset", (now + 30).to_string())]));
    gh.fail_next(Fault::Answer { status: 429, headers: vec![("Retry-After".into(), "5".into())], body: "{}".into() });
    let info = client.validate_token().await.unwrap();
    assert_eq!(info.login, "alice");
    assert_eq!(gh.requests(), ["GET /api/v3/user"; 3]);
    let waits = waits.lock().unwrap().clone();
    assert!((30..=32).contains(&waits[0].as_secs()), "until the reset: {waits:?}");
    assert_eq!(waits[1], Duration::from_secs(5), "Retry-After");

    // A reset further away than the policy's cap fails at once, for later.
    gh.fail_next(limited(vec![("X-RateLimit-Remaining", "0".into()), ("X-RateLimit-Reset", (now + 7200).to_string())]));
    let err = client.validate_token().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Github);
    assert!(err.message.contains("rate limit") && !err.needs_person(), "{}", err.message);
    assert_eq!(gh.requests().len(), 4, "no retry past the cap");
}

#[tokio::test]
async fn server_errors_are_retried_three_times_with_backoff() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, waits) = gh.client(TOKEN);
    let boom = || Fault::Answer { status: 502, headers: vec![], body: json!({ "message": "Bad Gateway" }).to_string() };
    gh.fail_next(boom());
    gh.fail_next(boom());
    assert_eq!(client.pull_request_state("acme", "crm", 1).await.unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1), Duration::from_secs(2)]);
    for _ in 0..3 {
        gh.fail_next(boom());
    }
    let err = client.pull_request_state("acme", "crm", 1).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Github);
    assert!(err.message.contains("502"), "{}", err.message);
    assert_eq!(gh.requests().len(), 6, "3 tries each time");
}

#[tokio::test]
async fn the_token_is_described_with_its_scopes_expiry_and_limits() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, _) = gh.client(TOKEN);
    gh.state.lock().unwrap().scopes = Some("public_repo, read:org".into());
    gh.state.lock().unwrap().expiry = Some("2030-01-31 12:00:00 UTC".into());
    let info = client.validate_token().await.unwrap();
    assert_eq!(info.kind, TokenKind::Classic);
    assert_eq!(info.scopes, ["public_repo", "read:org"]);
    assert_eq!(info.expires_at.as_deref(), Some("2030-01-31 12:00:00 UTC"));
    assert!(info.warnings.iter().any(|w| w.contains("public repositories only")), "{:?}", info.warnings);

    gh.state.lock().unwrap().scopes = None;
    gh.state.lock().unwrap().expiry = None;
    let info = client.validate_token().await.unwrap();
    assert_eq!((info.kind, info.scopes.len(), info.expires_at), (TokenKind::FineGrained, 0, None));
}

#[tokio::test]
async fn pull_request_states_are_read_back() {
    let gh = FakeGithub::start(TOKEN).await;
    let (client, _) = gh.client(TOKEN);
    let pr = client.ensure_pull_request(&new_pr("task/2-x", &[])).await.unwrap();
    assert_eq!(client.pull_request_state("acme", "crm", pr.number).await.unwrap(), PullRequestState::Open);
    gh.state.lock().unwrap().pulls[0].open = false;
    assert_eq!(client.pull_request_state("acme", "crm", pr.number).await.unwrap(), PullRequestState::Closed);
    gh.state.lock().unwrap().pulls[0].merged = true;
    assert_eq!(client.pull_request_state("acme", "crm", pr.number).await.unwrap(), PullRequestState::Merged);
}

#[tokio::test]
async fn the_token_never_reaches_a_log_line_or_an_error() {
    let logs = captured_logs();
    let gh = FakeGithub::start(TOKEN).await;
    let (client, _) = gh.client(TOKEN);
    client.validate_token().await.unwrap();
    client.ensure_pull_request(&new_pr("task/3-y", &["devteam"])).await.unwrap();
    gh.fail_next(Fault::Answer { status: 500, headers: vec![], body: TOKEN.into() });
    gh.fail_next(Fault::Answer { status: 403, headers: vec![], body: json!({ "message": "Forbidden" }).to_string() });
    let refused = client.validate_token().await.unwrap_err();
    assert!(!refused.message.contains(TOKEN) && !format!("{refused:?}").contains(TOKEN));
    assert!(!format!("{client:?}").contains(TOKEN), "Debug hides the token");
    let (wrong, _) = gh.client(&format!("{TOKEN}-wrong"));
    let err = wrong.validate_token().await.unwrap_err();
    assert!(!err.message.contains(TOKEN));

    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(text.contains("GitHub answered"), "the capture works: {text}");
    assert!(!text.contains(TOKEN) && !text.contains("CANARY"), "{text}");
}
