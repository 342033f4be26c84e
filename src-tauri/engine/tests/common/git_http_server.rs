//! A smart-HTTP git server standing in for github.com: a local listener in
//! front of `git http-backend` (the CGI git ships) that serves every bare
//! repository under a root folder (`http://127.0.0.1:PORT/OWNER/REPO.git`)
//! and takes only HTTP basic auth `x-access-token:<token>`, as GitHub does.
//! It records each request (its line, whether it carried the token, which
//! refs a push updated), never the credentials themselves.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// Who may read without a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A private repository: every request needs the token.
    Private,
    /// A public repository: anyone clones and fetches; pushing needs the
    /// token. A wrong token is refused even for reads, as GitHub does.
    PublicRead,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `METHOD /path?query HTTP/1.1`.
    pub line: String,
    /// Whether it carried an `Authorization` header, and whether that was
    /// exactly `x-access-token:<token>`.
    pub auth: Option<bool>,
    /// The refs a `git-receive-pack` POST asked to update.
    pub pushed: Vec<String>,
}

impl Seen {
    /// A request of a push (`git-receive-pack` advertisement or POST).
    pub fn is_push(&self) -> bool {
        self.line.contains("git-receive-pack")
    }
}

pub struct GitHttpServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl GitHttpServer {
    /// Serves the bare repositories under `root`, accepting `token`.
    pub fn start(root: &Path, token: &str, access: Access) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let expected = format!("Basic {}", base64(format!("x-access-token:{token}").as_bytes()));
        let (shared, root) = (seen.clone(), root.to_path_buf());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (seen, root, expected) = (shared.clone(), root.clone(), expected.clone());
                std::thread::spawn(move || serve(stream, &root, &expected, access, &seen));
            }
        });
        Self { base, seen }
    }

    /// The address of the repository at `path` under the root
    /// (`acme/crm.git`).
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// One connection, one request (answers close the connection).
fn serve(stream: TcpStream, root: &Path, expected: &str, access: Access, seen: &Mutex<Vec<Seen>>) {
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
    let auth = header("authorization").map(|a| a == expected);
    let push = line.contains("git-receive-pack");
    let pushed = if push && line.starts_with("POST") && header("content-encoding").is_none() {
        pushed_refs(&body)
    } else {
        Vec::new()
    };
    seen.lock().unwrap().push(Seen { line: line.clone(), auth, pushed });
    let mut out = stream;
    let allowed = match (access, auth) {
        (_, Some(right)) => right,
        (Access::PublicRead, None) => !push,
        (Access::Private, None) => false,
    };
    if !allowed {
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
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", root)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    if auth == Some(true) {
        // http-backend takes pushes from an authenticated user.
        cgi.env("REMOTE_USER", "x-access-token");
    }
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

/// The ref names of a receive-pack request: pkt-lines `OLD NEW REF[\0caps]`
/// up to the flush packet that precedes the pack.
fn pushed_refs(body: &[u8]) -> Vec<String> {
    let mut refs = Vec::new();
    let mut at = 0;
    while at + 4 <= body.len() {
        let Some(len) = std::str::from_utf8(&body[at..at + 4]).ok().and_then(|h| usize::from_str_radix(h, 16).ok()) else {
            break;
        };
        if len < 4 || at + len > body.len() {
            break; // the flush packet (0000): the pack follows
        }
        let payload = String::from_utf8_lossy(&body[at + 4..at + len]);
        let command = payload.split('\0').next().unwrap_or_default().trim_end();
        if let Some(name) = command.split(' ').nth(2) {
            refs.push(name.to_string());
        }
        at += len;
    }
    refs
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

/// Standard base64 with padding, as HTTP basic auth uses.
pub fn base64(bytes: &[u8]) -> String {
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

/// The commit `branch` points at in the bare repository, if it is there.
pub fn remote_ref(bare: &Path, branch: &str) -> Option<String> {
    let out = Command::new("git").args(["rev-parse", "--verify", "-q", branch]).current_dir(bare).output().unwrap();
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `git` in `dir`, which must succeed; its trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Where a bare repository for `owner/repo` lives under a server's root.
pub fn bare_path(root: &Path, owner: &str, repo: &str) -> PathBuf {
    root.join(owner).join(format!("{repo}.git"))
}
