//! The settings screen's secrets commands against a real Secret Service
//! (gnome-keyring in the private D-Bus session of `with_keyring`) and a
//! local server answering like GitHub's `GET /user`: values go in, only
//! names come out, a token is checked by what GitHub says about it, and no
//! value ever reaches a log line, a result or an error.
//!
//! Run: `bash -c 'source scripts/lib.sh; with_keyring cargo test -p devteam --test secrets_commands'`

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use devteam_app::commands::secrets::{check_github_token, list_secrets, remove_secret, set_secret};
use devteam_engine::secrets::{SecretKind, SecretName};
use devteam_engine::ErrorCode;

const TOKEN: &str = "ghp_CANARY_shell_secrets_0123456789abcdef";
const REFUSED: &str = "ghp_CANARY_refused_9876543210fedcba";
const API_KEY: &str = "sk-ant-CANARY-shell-0123456789";

/// Answers `GET /user` like GitHub: 200 with the scopes header for TOKEN,
/// 401 for any other token. Returns its API base.
fn fake_github() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut authorization = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("authorization:") {
                    authorization = value.trim().to_string();
                }
                line.clear();
            }
            let (status, extra, body) = if authorization == format!("bearer {}", TOKEN.to_ascii_lowercase()) {
                ("200 OK", "x-oauth-scopes: repo, workflow\r\n", r#"{"login":"alice"}"#)
            } else {
                ("401 Unauthorized", "", r#"{"message":"Bad credentials"}"#)
            };
            let answer = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let mut stream = stream;
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    base
}

/// Everything this test binary logs, at every level.
fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || LogSink(sink.clone()))
        .init();
    logs
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_go_in_names_come_out_and_tokens_are_checked_with_github() {
    // Entries of this run only, so nothing of a person's keychain is touched.
    std::env::set_var("DEVTEAM_KEYCHAIN_SERVICE", format!("devteam-test-shell-{}", std::process::id()));
    let logs = capture_logs();
    let base = fake_github();

    assert!(list_secrets().await.expect("a Secret Service runs (use with_keyring)").is_empty());

    // A pasted token keeps no stray newline (the server accepts only the
    // exact token); GitHub is asked about it before it is stored, and the
    // answer names it and says what it may do, nothing more.
    let alice = set_secret("github:localhost:alice".into(), format!("  {TOKEN}\n"), Some(base.clone())).await.unwrap();
    assert_eq!(alice.secret.name, "github:localhost:alice");
    assert_eq!(alice.secret.kind, SecretKind::GithubToken);
    assert_eq!((alice.secret.host.as_deref(), alice.secret.account.as_deref()), (Some("localhost"), Some("alice")));
    let checked = alice.token.clone().expect("checked when added");
    assert_eq!((checked.login.as_str(), alice.not_checked.as_deref()), ("alice", None));
    set_secret("ANTHROPIC_API_KEY".into(), API_KEY.into(), None).await.unwrap();
    // A token GitHub refuses is not stored.
    let refused = set_secret("github:localhost:bob".into(), REFUSED.into(), Some(base.clone())).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::CredentialRejected, "{}", refused.message);
    assert!(refused.message.ends_with("nothing was stored") && !refused.message.contains(REFUSED), "{}", refused.message);
    assert!(!list_secrets().await.unwrap().iter().any(|s| s.name == "github:localhost:bob"));
    // Stored without a check (as when GitHub cannot be reached), for the
    // check below.
    let bob = SecretName::parse("github:localhost:bob").unwrap();
    devteam_engine::secrets::save_secret(&bob, REFUSED, None, false).await.unwrap();

    let listed = list_secrets().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ANTHROPIC_API_KEY", "github:localhost:alice", "github:localhost:bob"]);
    let json = serde_json::to_string(&(listed, alice)).unwrap();
    assert!(!json.contains(TOKEN) && !json.contains(API_KEY), "what the UI receives carries no value: {json}");

    // GitHub says whose the token is and what it may do; the trimmed value
    // is what was stored (the server accepts only the exact token).
    let info = check_github_token("github:localhost:alice".into(), Some(base.clone())).await.unwrap();
    assert_eq!(info.login, "alice");
    assert_eq!(info.scopes, ["repo", "workflow"]);
    assert!(info.warnings.is_empty(), "{:?}", info.warnings);

    let refused = check_github_token("github:localhost:bob".into(), Some(base.clone())).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::CredentialRejected, "{}", refused.message);
    assert!(!refused.message.contains(REFUSED), "{}", refused.message);

    let not_a_token = check_github_token("ANTHROPIC_API_KEY".into(), None).await.unwrap_err();
    assert_eq!(not_a_token.code, ErrorCode::Validation);
    let missing = check_github_token("github:localhost:carol".into(), Some(base)).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert_eq!(set_secret("has space".into(), "x".into(), None).await.unwrap_err().code, ErrorCode::Validation);
    assert_eq!(set_secret("OPENAI_API_KEY".into(), "  ".into(), None).await.unwrap_err().code, ErrorCode::Validation);

    remove_secret("github:localhost:bob".into()).await.unwrap();
    let again = remove_secret("github:localhost:bob".into()).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::NotFound, "removing twice says nothing was there");
    remove_secret("github:localhost:alice".into()).await.unwrap();
    remove_secret("ANTHROPIC_API_KEY".into()).await.unwrap();
    assert!(list_secrets().await.unwrap().is_empty());

    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(logged.contains("github:localhost:alice"), "the names are logged, so the capture works: {logged}");
    for value in [TOKEN, REFUSED, API_KEY] {
        assert!(!logged.contains(value), "a secret value reached the logs:\n{logged}");
    }
}
