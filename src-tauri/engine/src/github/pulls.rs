//! Pull requests opened once and only once: look for an open one on the
//! branch first, create only when there is none, and treat GitHub's "already
//! exists" as found. Safe to call again after a crash at any point.

use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::GithubClient;
use crate::error::{EngineError, EngineResult, ErrorCode};

/// The pull request a task's branch should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPullRequest {
    /// The repository's owner; the branch is in the same repository.
    pub owner: String,
    pub repo: String,
    /// The pushed task branch (`task/1.2-add-login`).
    pub head_branch: String,
    /// The branch to merge into (the project's base branch, or the previous
    /// task's branch when pull requests are stacked).
    pub base: String,
    pub title: String,
    pub body: String,
    pub draft: bool,
    /// Labels the pull request must carry; missing ones are added.
    pub labels: Vec<String>,
}

/// A pull request on GitHub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PullRequest {
    pub number: u32,
    pub html_url: String,
    /// Whether this call opened it (false: it was already there).
    pub created: bool,
}

/// Where a pull request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PullRequestState {
    Open,
    Closed,
    Merged,
}

#[derive(Deserialize)]
struct PullJson {
    number: u64,
    html_url: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    merged: bool,
    #[serde(default)]
    merged_at: Option<String>,
    #[serde(default)]
    labels: Vec<LabelJson>,
}

#[derive(Deserialize)]
struct LabelJson {
    name: String,
}

impl GithubClient {
    /// Makes sure `pr.head_branch` has an open pull request into `pr.base`
    /// and returns it: `GET .../pulls?state=open&head=OWNER:BRANCH` first,
    /// `POST .../pulls` only when none is open, a 422 "already exists" looked
    /// up again; then the missing labels are added. Calling it twice for a
    /// branch opens one pull request. Call it in the PUSH step, after the
    /// branch is pushed; store the returned number with the task's run.
    pub async fn ensure_pull_request(&self, pr: &NewPullRequest) -> EngineResult<PullRequest> {
        if let Some(found) = self.find_open_pull(pr).await? {
            self.add_missing_labels(pr, &found).await?;
            return Ok(PullRequest { number: number(found.number)?, html_url: found.html_url, created: false });
        }
        let doing = format!("opening a pull request for {}", pr.head_branch);
        let body = json!({
            "title": pr.title,
            "head": pr.head_branch,
            "base": pr.base,
            "body": pr.body,
            "draft": pr.draft,
        });
        let url = self.url(&["repos", &pr.owner, &pr.repo, "pulls"], &[]);
        let answer = self.send(Method::POST, url, Some(&body), &doing).await?;
        let (pull, created) = match answer.status {
            StatusCode::CREATED | StatusCode::OK => (answer.json::<PullJson>(&doing)?, true),
            StatusCode::UNPROCESSABLE_ENTITY if answer.body.to_ascii_lowercase().contains("already exists") => {
                tracing::info!(branch = %pr.head_branch, "GitHub says the pull request exists; looking it up");
                let found = self.find_open_pull(pr).await?.ok_or_else(|| {
                    EngineError::new(
                        ErrorCode::Github,
                        format!("GitHub says a pull request for {} exists, but none is open", pr.head_branch),
                    )
                })?;
                (found, false)
            }
            _ => return Err(self.refused(&answer, &doing)),
        };
        self.add_missing_labels(pr, &pull).await?;
        if created {
            tracing::info!(number = pull.number, branch = %pr.head_branch, "pull request opened");
        }
        Ok(PullRequest { number: number(pull.number)?, html_url: pull.html_url, created })
    }

    /// Whether pull request `number` is open, closed or merged.
    pub async fn pull_request_state(&self, owner: &str, repo: &str, number: u32) -> EngineResult<PullRequestState> {
        let doing = format!("reading pull request #{number}");
        let url = self.url(&["repos", owner, repo, "pulls", &number.to_string()], &[]);
        let answer = self.send(Method::GET, url, None, &doing).await?;
        if !answer.status.is_success() {
            return Err(self.refused(&answer, &doing));
        }
        let pull: PullJson = answer.json(&doing)?;
        Ok(if pull.merged || pull.merged_at.is_some() {
            PullRequestState::Merged
        } else if pull.state == "open" {
            PullRequestState::Open
        } else {
            PullRequestState::Closed
        })
    }

    async fn find_open_pull(&self, pr: &NewPullRequest) -> EngineResult<Option<PullJson>> {
        let doing = format!("looking for the pull request of {}", pr.head_branch);
        let head = format!("{}:{}", pr.owner, pr.head_branch);
        let url = self.url(&["repos", &pr.owner, &pr.repo, "pulls"], &[("state", "open"), ("head", &head)]);
        let answer = self.send(Method::GET, url, None, &doing).await?;
        if !answer.status.is_success() {
            return Err(self.refused(&answer, &doing));
        }
        let pulls: Vec<PullJson> = answer.json(&doing)?;
        Ok(pulls.into_iter().next())
    }

    async fn add_missing_labels(&self, pr: &NewPullRequest, pull: &PullJson) -> EngineResult<()> {
        let missing: Vec<&String> =
            pr.labels.iter().filter(|l| !pull.labels.iter().any(|have| &have.name == *l)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let doing = format!("labelling pull request #{}", pull.number);
        let n = pull.number.to_string();
        let url = self.url(&["repos", &pr.owner, &pr.repo, "issues", &n, "labels"], &[]);
        let answer = self.send(Method::POST, url, Some(&json!({ "labels": missing })), &doing).await?;
        if !answer.status.is_success() {
            return Err(self.refused(&answer, &doing));
        }
        Ok(())
    }
}

fn number(n: u64) -> EngineResult<u32> {
    u32::try_from(n).map_err(|_| EngineError::internal(format!("pull request number {n} is out of range")))
}
