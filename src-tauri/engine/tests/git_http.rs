//! Pushing over smart HTTP with a token, the way DevTeam pushes to GitHub:
//! a local server in front of `git http-backend` (the CGI git ships) asks for
//! HTTP basic auth and takes only `x-access-token:<token>`. The right token
//! clones and pushes; a wrong one fails at once with a message that names the
//! host, is classified as needing a person, and never shows the token.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::git_http_server::{base64, git, remote_ref, Access, GitHttpServer, Seen};
use devteam_engine::repo::{Author, GitCredentials, GitRepo};
use devteam_engine::ErrorCode;

const TOKEN: &str = "ghp_CANARY_git_http_0123456789abcdef";
const WRONG: &str = "ghp_WRONG_git_http_0000000000000000";

/// A private `remote.git` behind the smart-HTTP server (tests/common).
struct GitServer {
    url: String,
    bare: PathBuf,
    server: GitHttpServer,
}

impl GitServer {
    fn start(root: &Path) -> Self {
        let bare = seed_bare_repository(root);
        let server = GitHttpServer::start(root, TOKEN, Access::Private);
        Self { url: server.url("remote.git"), bare, server }
    }

    fn seen(&self) -> Vec<Seen> {
        self.server.seen()
    }
}

/// `remote.git` with one commit on main, pushes over HTTP allowed.
fn seed_bare_repository(root: &Path) -> PathBuf {
    let bare = root.join("remote.git");
    let seed = root.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(root, &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&bare, &["config", "http.receivepack", "true"]);
    git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::write(seed.join("tasks.md"), "- [ ] 1 First\n").unwrap();
    git(&seed, &["add", "."]);
    git(&seed, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    bare
}

#[test]
fn the_test_servers_basic_auth_is_what_git_sends() {
    assert_eq!(base64(b"x-access-token:abc"), "eC1hY2Nlc3MtdG9rZW46YWJj");
    assert_eq!(base64(b"ab"), "YWI=");
}

#[test]
fn the_right_token_clones_and_pushes_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let server = GitServer::start(dir.path());
    let creds = GitCredentials::github_token(TOKEN);
    let clone = GitRepo::clone_or_open(&server.url, &dir.path().join("clone"), &creds).unwrap();
    let base = clone.remote_branch("main").expect("main came with the clone");
    let branch = "task/1-first";
    clone.checkout_branch(branch, base).unwrap();
    std::fs::write(clone.path().join("hello.txt"), "hi\n").unwrap();
    let commit = clone.commit_all("Task 1: First", &Author::default()).unwrap();
    clone.push_branch(branch, &creds).unwrap();
    assert_eq!(remote_ref(&server.bare, branch), Some(commit.to_string()), "the branch is on the server");
    let seen = server.seen();
    assert!(seen.iter().any(|s| s.line.starts_with("POST /remote.git/git-receive-pack") && s.auth == Some(true)));
    assert!(seen.iter().all(|s| s.auth != Some(false)), "only the right token was offered: {seen:?}");
}

#[test]
fn a_wrong_token_is_rejected_at_once_with_the_host_named() {
    let dir = tempfile::tempdir().unwrap();
    let server = GitServer::start(dir.path());
    let clone =
        GitRepo::clone_or_open(&server.url, &dir.path().join("clone"), &GitCredentials::github_token(TOKEN)).unwrap();
    let base = clone.remote_branch("main").unwrap();
    clone.checkout_branch("task/2-second", base).unwrap();
    std::fs::write(clone.path().join("two.txt"), "2\n").unwrap();
    clone.commit_all("Task 2: Second", &Author::default()).unwrap();
    let before = server.seen().len();

    let started = Instant::now();
    let err = clone.push_branch("task/2-second", &GitCredentials::github_token(WRONG)).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "no loop of retries");
    assert_eq!(err.code, ErrorCode::CredentialRejected, "{}", err.message);
    assert!(err.needs_person());
    assert!(err.message.contains("the token for 127.0.0.1 was rejected"), "{}", err.message);
    assert!(!err.message.contains(WRONG) && !format!("{err:?}").contains(WRONG));
    let offered: Vec<Seen> = server.seen()[before..].iter().filter(|s| s.auth.is_some()).cloned().collect();
    assert_eq!(offered.len(), 1, "the wrong token was offered once: {offered:?}");
    assert_eq!(remote_ref(&server.bare, "task/2-second"), None, "nothing was pushed");

    let err = GitRepo::clone_or_open(&server.url, &dir.path().join("clone2"), &GitCredentials::github_token(WRONG))
        .err()
        .expect("a clone with a wrong token fails");
    assert_eq!(err.code, ErrorCode::CredentialRejected, "{}", err.message);
    assert!(err.message.contains("the token for 127.0.0.1 was rejected"), "{}", err.message);
}
