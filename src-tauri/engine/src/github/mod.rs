//! The Forge port: GitHub's REST API (github.com or Enterprise) for checking
//! a token and opening each task's pull request once and only once.
//!
//! The token goes out only in the `Authorization` header; nothing here logs a
//! header, a body sent, or the token.

mod pr_body;
mod pulls;
mod retry;
mod send;
mod target;
mod token;

use reqwest::Url;

use crate::error::{EngineError, EngineResult, ErrorCode};

pub use pr_body::{pull_request_body, pull_request_title, CriterionEvidence, PrBodyInput, StepDuration};
pub use pulls::{NewPullRequest, PullRequest, PullRequestState};
pub use retry::{RetryPolicy, SleepFn};
pub use target::{api_base_for_host, GithubRepo, GITHUB_COM};
pub use token::{TokenInfo, TokenKind};

/// A GitHub REST client for one API base and one token.
#[derive(Clone)]
pub struct GithubClient {
    http: reqwest::Client,
    api_base: Url,
    host: String,
    token: String,
    retry: RetryPolicy,
}

impl std::fmt::Debug for GithubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GithubClient {{ api_base: {}, host: {}, token: [REDACTED] }}", self.api_base, self.host)
    }
}

impl GithubClient {
    /// A client for `api_base` (`https://api.github.com`,
    /// `https://HOST/api/v3`, or a test server) authenticating with `token`.
    pub fn new(api_base: &str, token: &str) -> EngineResult<Self> {
        let api_base = Url::parse(api_base.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| EngineError::new(ErrorCode::Validation, format!("`{api_base}` is not an API address")))?;
        if token.trim().is_empty() {
            return Err(EngineError::new(ErrorCode::Validation, "the GitHub token is empty"));
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("DevTeam/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(15))
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .map_err(|e| EngineError::internal(format!("cannot build the HTTP client: {e}")))?;
        let host = host_label(&api_base);
        Ok(Self { http, api_base, host, token: token.trim().to_string(), retry: RetryPolicy::default() })
    }

    /// A client for the GitHub at `host` (`github.com` or an Enterprise host).
    pub fn for_host(host: &str, token: &str) -> EngineResult<Self> {
        Self::new(&api_base_for_host(host), token)
    }

    /// Replaces the retry policy (tests make the waits instant).
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The host named in messages (`github.com` for api.github.com).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `api_base` + path segments (each percent-encoded) + query.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.api_base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }
}

/// api.github.com is github.com to a person; an Enterprise API is its host.
fn host_label(api_base: &Url) -> String {
    let host = api_base.host_str().unwrap_or_default().to_ascii_lowercase();
    if host == "api.github.com" {
        return GITHUB_COM.to_string();
    }
    match api_base.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}
