//! One GitHub request under the retry policy, and GitHub's refusals turned
//! into errors a person (or the run engine) can act on.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

use super::retry::{is_rate_limited, rate_limit_wait};
use super::GithubClient;
use crate::error::{EngineError, EngineResult, ErrorCode};

/// GitHub's answer, read whole.
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json<T: serde::de::DeserializeOwned>(&self, doing: &str) -> EngineResult<T> {
        serde_json::from_str(&self.body).map_err(|e| {
            EngineError::new(ErrorCode::Github, format!("GitHub's answer while {doing} is not what was expected: {e}"))
        })
    }

    /// GitHub's own `message`, when the body has one.
    pub fn message(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
            .unwrap_or_default()
    }
}

impl GithubClient {
    /// Sends one request, retrying as the policy says. 401 fails at once as
    /// a rejected token; other 4xx answers are returned for the caller.
    pub(super) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        doing: &str,
    ) -> EngineResult<Answer> {
        let policy = &self.retry;
        let mut failed_tries = 0u32;
        let mut rate_limited = 0u32;
        loop {
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(&self.token)
                .header("accept", "application/vnd.github+json")
                .header("x-github-api-version", "2022-11-28");
            if let Some(body) = body {
                request = request.json(body);
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    response.text().await.map(|body| Answer { status, headers, body })
                }
                Err(e) => Err(e),
            }
            .map_err(|e| error_chain(&e));
            let answer = match outcome {
                Ok(answer) => answer,
                Err(e) => {
                    failed_tries += 1;
                    tracing::warn!(method = %method, path = url.path(), try_ = failed_tries, "GitHub unreachable: {e}");
                    if failed_tries >= policy.attempts {
                        return Err(EngineError::new(
                            ErrorCode::Github,
                            format!("cannot reach GitHub ({}) while {doing}: {e}", self.host),
                        ));
                    }
                    (policy.sleep)(policy.backoff_after(failed_tries)).await;
                    continue;
                }
            };
            let status = answer.status.as_u16();
            tracing::debug!(method = %method, path = url.path(), status, "GitHub answered");
            if status == 401 {
                return Err(self.rejected(doing));
            }
            if matches!(status, 403 | 429) && is_rate_limited(status, &answer.headers, &answer.body) {
                rate_limited += 1;
                let wait = rate_limit_wait(&answer.headers);
                if rate_limited > policy.rate_limit_retries || wait > policy.max_rate_limit_wait {
                    return Err(EngineError::new(
                        ErrorCode::Github,
                        format!(
                            "GitHub's API rate limit for {} is used up (it frees up in {} s) while {doing}; \
                             DevTeam tries again later",
                            self.host,
                            wait.as_secs()
                        ),
                    ));
                }
                tracing::warn!(host = %self.host, wait_s = wait.as_secs(), "GitHub rate limit hit; waiting it out");
                (policy.sleep)(wait).await;
                continue;
            }
            if answer.status.is_server_error() {
                failed_tries += 1;
                tracing::warn!(method = %method, path = url.path(), status, try_ = failed_tries, "GitHub server error");
                if failed_tries >= policy.attempts {
                    return Err(EngineError::new(
                        ErrorCode::Github,
                        format!("GitHub ({}) kept failing while {doing}: {} {}", self.host, status, answer.message()),
                    ));
                }
                (policy.sleep)(policy.backoff_after(failed_tries)).await;
                continue;
            }
            return Ok(answer);
        }
    }

    /// The error for a token GitHub refuses: only a person can replace it.
    pub(super) fn rejected(&self, doing: &str) -> EngineError {
        EngineError::new(
            ErrorCode::CredentialRejected,
            format!(
                "the token for {} was rejected (GitHub answered 401 while {doing}): it is wrong, expired or \
                 revoked; store a new one (Settings → Secrets, or `devteam-cli secrets set github:{}:ACCOUNT`)",
                self.host, self.host
            ),
        )
    }

    /// A 4xx answer the caller did not expect, as an error.
    pub(super) fn refused(&self, answer: &Answer, doing: &str) -> EngineError {
        let message = answer.message();
        match answer.status.as_u16() {
            403 => EngineError::new(
                ErrorCode::CredentialRejected,
                format!(
                    "the token for {} may not do this (GitHub answered 403 while {doing}: {message}); give it the \
                     `repo` scope, or Contents and Pull requests write access for a fine-grained token",
                    self.host
                ),
            ),
            404 => EngineError::new(
                ErrorCode::NotFound,
                format!(
                    "GitHub ({}) found nothing while {doing}: the repository does not exist or the token cannot see it",
                    self.host
                ),
            ),
            status => EngineError::new(
                ErrorCode::Github,
                format!("GitHub ({}) refused {doing}: {status} {message}", self.host),
            ),
        }
    }
}

/// An error with its causes ("error sending request: … : Connection refused").
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
