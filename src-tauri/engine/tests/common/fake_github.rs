//! A local server that answers like GitHub's REST API under an
//! Enterprise-style `/api/v3` base, for any owner and repository: it accepts
//! one token (`Authorization: Bearer <token>`), keeps pull requests in
//! memory, and records every request as `METHOD /path?query`. Faults can be
//! planned: an answer instead of handling, a lost answer after handling, or
//! no answer at all (the caller died waiting).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use devteam_engine::github::{GithubClient, RetryPolicy};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;

#[derive(Clone)]
pub enum Fault {
    /// Answer this instead of handling the request.
    Answer { status: u16, headers: Vec<(String, String)>, body: String },
    /// Handle the request, then answer this (the real answer got lost).
    HandleThenAnswer { status: u16 },
    /// Handle the request, then never answer: the caller is killed waiting.
    HandleThenHang,
}

/// Which request a planned fault is for.
#[derive(Clone)]
enum Target {
    /// The next request, whatever it is.
    Any,
    /// The next `POST .../pulls` for this head branch.
    PostFor(String),
}

pub struct Pull {
    pub number: u64,
    pub head: String,
    pub base: String,
    pub open: bool,
    pub merged: bool,
    pub labels: Vec<String>,
    pub draft: bool,
    pub body: String,
}

#[derive(Default)]
pub struct State {
    pub requests: Vec<String>,
    faults: VecDeque<(Target, Fault)>,
    pub pulls: Vec<Pull>,
    pub scopes: Option<String>,
    pub expiry: Option<String>,
}

pub struct FakeGithub {
    /// `http://127.0.0.1:PORT/api/v3`.
    pub base: String,
    pub state: Arc<Mutex<State>>,
    hung: Arc<Notify>,
}

/// Everything one connection's requests need.
#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<State>>,
    token: String,
    html_base: String,
    hung: Arc<Notify>,
}

impl FakeGithub {
    /// A fake github.com: pull requests live at
    /// `https://github.com/OWNER/REPO/pull/N`.
    pub async fn start(token: &str) -> Self {
        Self::start_with(token, "https://github.com").await
    }

    /// A fake GitHub whose pull requests' pages are under `html_base`.
    pub async fn start_with(token: &str, html_base: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/api/v3", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let hung = Arc::new(Notify::new());
        let shared = Shared {
            state: state.clone(),
            token: token.to_string(),
            html_base: html_base.trim_end_matches('/').to_string(),
            hung: hung.clone(),
        };
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, shared.clone()));
            }
        });
        Self { base, state, hung }
    }

    /// The next request, whatever it is, meets `fault`; faults apply in the
    /// order planned.
    pub fn fail_next(&self, fault: Fault) {
        self.state.lock().unwrap().faults.push_back((Target::Any, fault));
    }

    /// The next `POST .../pulls` for `head` meets `fault`.
    pub fn fail_next_post_for(&self, head: &str, fault: Fault) {
        self.state.lock().unwrap().faults.push_back((Target::PostFor(head.to_string()), fault));
    }

    /// Returns once a request met `Fault::HandleThenHang`.
    pub async fn hung(&self) {
        self.hung.notified().await;
    }

    /// Every request so far, as `METHOD /path?query`.
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// `(number, head, base)` of every pull request, in creation order.
    pub fn pulls(&self) -> Vec<(u64, String, String)> {
        self.state.lock().unwrap().pulls.iter().map(|p| (p.number, p.head.clone(), p.base.clone())).collect()
    }

    /// A client for this server whose waits are recorded, not slept.
    pub fn client(&self, token: &str) -> (GithubClient, Arc<Mutex<Vec<Duration>>>) {
        let waits = Arc::new(Mutex::new(Vec::new()));
        let recorded = waits.clone();
        let policy = RetryPolicy {
            max_rate_limit_wait: Duration::from_secs(120),
            // Waits are recorded, not slept: the policy is what is tested.
            sleep: Arc::new(move |d| {
                recorded.lock().unwrap().push(d);
                Box::pin(async {})
            }),
            ..RetryPolicy::default()
        };
        (GithubClient::new(&self.base, token).unwrap().with_retry_policy(policy), waits)
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, shared: Shared) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
        let (mut length, mut auth) = (0usize, None);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "authorization" => auth = Some(value.trim().to_string()),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await.unwrap();
        let body = String::from_utf8_lossy(&body).into_owned();
        let Some((status, headers, reply)) = answer(&shared, &method, &target, auth.as_deref(), &body) else {
            shared.hung.notify_one();
            // Keep the connection open and silent until the caller is gone.
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest).await;
            return;
        };
        let mut head =
            format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", reply.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let stream = reader.get_mut();
        if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

type Reply = (u16, Vec<(String, String)>, String);

/// The answer to one request; `None`: no answer ever comes.
fn answer(shared: &Shared, method: &str, target: &str, auth: Option<&str>, body: &str) -> Option<Reply> {
    let mut s = shared.state.lock().unwrap();
    s.requests.push(format!("{method} {target}"));
    if auth != Some(format!("Bearer {}", shared.token).as_str()) {
        return Some((401, vec![], json!({ "message": "Bad credentials" }).to_string()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.strip_prefix("/api/v3").expect("every call goes under the API base's path");
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let post_head = match (method, segments.as_slice()) {
        ("POST", ["repos", _, _, "pulls"]) => {
            serde_json::from_str::<Value>(body).ok().and_then(|v| v["head"].as_str().map(String::from))
        }
        _ => None,
    };
    let planned = s.faults.iter().position(|(t, _)| match t {
        Target::Any => true,
        Target::PostFor(head) => post_head.as_deref() == Some(head.as_str()),
    });
    let after = match planned.and_then(|i| s.faults.remove(i)).map(|(_, f)| f) {
        Some(Fault::Answer { status, headers, body }) => return Some((status, headers, body)),
        Some(fault) => Some(fault),
        None => None,
    };
    let reply = route(&mut s, &shared.html_base, method, &segments, query, body);
    match after {
        Some(Fault::HandleThenAnswer { status }) => Some((status, vec![], json!({ "message": "Server Error" }).to_string())),
        Some(_) => None,
        None => Some(reply),
    }
}

fn route(s: &mut State, html_base: &str, method: &str, segments: &[&str], query: &str, body: &str) -> Reply {
    let ok = |status: u16, v: Value| (status, vec![], v.to_string());
    let html = |owner: &str, repo: &str, p: &Pull| pull_json(p, &format!("{html_base}/{owner}/{repo}/pull/{}", p.number));
    match (method, segments) {
        ("GET", ["user"]) => {
            let mut headers = vec![];
            if let Some(scopes) = &s.scopes {
                headers.push(("X-OAuth-Scopes".to_string(), scopes.clone()));
            }
            if let Some(expiry) = &s.expiry {
                headers.push(("github-authentication-token-expiration".to_string(), expiry.clone()));
            }
            (200, headers, json!({ "login": "alice", "id": 1 }).to_string())
        }
        ("GET", ["repos", owner, repo, "pulls"]) => {
            let params: Vec<(String, String)> =
                query.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect();
            let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
            assert_eq!(param("state"), "open");
            let head = param("head");
            let branch = head.strip_prefix(&format!("{owner}:")).expect("head is OWNER:BRANCH");
            ok(200, Value::Array(s.pulls.iter().filter(|p| p.open && p.head == branch).map(|p| html(owner, repo, p)).collect()))
        }
        ("POST", ["repos", owner, repo, "pulls"]) => {
            let v: Value = serde_json::from_str(body).unwrap();
            let head = v["head"].as_str().unwrap().to_string();
            if s.pulls.iter().any(|p| p.open && p.head == head) {
                let errors = json!([{ "resource": "PullRequest", "code": "custom",
                    "message": format!("A pull request already exists for {owner}:{head}.") }]);
                return ok(422, json!({ "message": "Validation Failed", "errors": errors }));
            }
            let number = s.pulls.len() as u64 + 1;
            let base = v["base"].as_str().unwrap_or_default().to_string();
            let draft = v["draft"].as_bool().unwrap_or(false);
            let text = v["body"].as_str().unwrap_or_default().to_string();
            s.pulls.push(Pull { number, head, base, open: true, merged: false, labels: vec![], draft, body: text });
            ok(201, html(owner, repo, s.pulls.last().unwrap()))
        }
        ("GET", ["repos", owner, repo, "pulls", n]) => match s.pulls.iter().find(|p| p.number.to_string() == *n) {
            Some(p) => ok(200, html(owner, repo, p)),
            None => ok(404, json!({ "message": "Not Found" })),
        },
        ("POST", ["repos", _, _, "issues", n, "labels"]) => {
            let v: Value = serde_json::from_str(body).unwrap();
            let p = s.pulls.iter_mut().find(|p| p.number.to_string() == *n).unwrap();
            for l in v["labels"].as_array().unwrap() {
                let l = l.as_str().unwrap().to_string();
                if !p.labels.contains(&l) {
                    p.labels.push(l);
                }
            }
            ok(200, Value::Array(p.labels.iter().map(|l| json!({ "name": l })).collect()))
        }
        _ => ok(404, json!({ "message": "Not Found" })),
    }
}

fn pull_json(p: &Pull, html_url: &str) -> Value {
    json!({
        "number": p.number,
        "html_url": html_url,
        "state": if p.open { "open" } else { "closed" },
        "merged": p.merged,
        "merged_at": if p.merged { Value::from("2025-01-01T00:00:00Z") } else { Value::Null },
        "labels": p.labels.iter().map(|l| json!({ "name": l })).collect::<Vec<_>>(),
        "head": { "ref": p.head },
        "base": { "ref": p.base },
    })
}

/// Percent-decoding of a query component (`+` is a space).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}
