//! Pushing over smart HTTP with a token, the way DevTeam pushes to GitHub:
//! a local server in front of `git http-backend` (the CGI git ships) asks for
//! HTTP basic auth and takes only `x-access-token:<token>`. The right token
//! clones and pushes; a wrong one fails at once with a message that names the
//! host, is classified as needing a person, and never shows the token.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use devteam_engine::repo::{Author, GitCredentials, GitRepo};
use devteam_engine::ErrorCode;

const TOKEN: &str = "ghp_CANARY_git_http_0123456789abcdef";
const WRONG: &str = "ghp_WRONG_git_http_0000000000000000";

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    /// Whether it carried an `Authorization` header, and whether it was right.
    auth: Option<bool>,
}

struct GitServer {
    url: String,
    bare: PathBuf,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl GitServer {
    fn start(root: &Path) -> Self {
        let bare = seed_bare_repository(root);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/remote.git", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (shared, project_root) = (seen.clone(), root.to_path_buf());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (seen, project_root) = (shared.clone(), project_root.clone());
                std::thread::spawn(move || serve(stream, &project_root, &seen));
            }
        });
        Self { url, bare, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
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

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// One connection, one request (answers close the connection).
fn serve(stream: TcpStream, project_root: &Path, seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let line = line.trim_end().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let body = read_body(&mut reader, header("transfer-encoding").as_deref(), header("content-length"));
    let expected = format!("Basic {}", base64(format!("x-access-token:{TOKEN}").as_bytes()));
    let auth = header("authorization").map(|a| a == expected);
    seen.lock().unwrap().push(Seen { line: line.clone(), auth });
    let mut out = stream;
    if auth != Some(true) {
        let _ = out.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let exec_path = String::from_utf8(Command::new("git").arg("--exec-path").output().unwrap().stdout).unwrap();
    let mut cgi = Command::new(Path::new(exec_path.trim()).join("git-http-backend"));
    cgi.env_clear()
        .env("GIT_PROJECT_ROOT", project_root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_USER", "x-access-token")
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", project_root)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    if let Some(t) = header("content-type") {
        cgi.env("CONTENT_TYPE", t);
    }
    if let Some(e) = header("content-encoding") {
        cgi.env("HTTP_CONTENT_ENCODING", e);
    }
    if let Some(p) = header("git-protocol") {
        cgi.env("GIT_PROTOCOL", p);
    }
    let mut child = cgi.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let _ = out.write_all(&cgi_to_http(&output.stdout));
}

fn read_body(reader: &mut impl BufRead, transfer: Option<&str>, length: Option<String>) -> Vec<u8> {
    let mut body = Vec::new();
    if transfer.is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).unwrap();
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2]; // the chunk and its CRLF
            reader.read_exact(&mut chunk).unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length.and_then(|n| n.parse::<usize>().ok()) {
        body.resize(n, 0);
        reader.read_exact(&mut body).unwrap();
    }
    body
}

/// CGI output (`Status:` and headers, blank line, body) as an HTTP answer.
fn cgi_to_http(raw: &[u8]) -> Vec<u8> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, 4));
    let split = split.or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let (end, gap) = split.unwrap_or((raw.len(), 0));
    let head = String::from_utf8_lossy(&raw[..end]);
    let body = &raw[(end + gap).min(raw.len())..];
    let mut status = "200 OK".to_string();
    let mut out = String::new();
    for h in head.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match h.split_once(':') {
            Some((k, v)) if k.eq_ignore_ascii_case("status") => status = v.trim().to_string(),
            _ => out.push_str(&format!("{h}\r\n")),
        }
    }
    let mut answer =
        format!("HTTP/1.1 {status}\r\n{out}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
    answer.extend_from_slice(body);
    answer
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn remote_ref(bare: &Path, branch: &str) -> Option<String> {
    let out = Command::new("git").args(["rev-parse", "--verify", "-q", branch]).current_dir(bare).output().unwrap();
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
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
