//! Tasks added while a project runs. `priority` (runs next) applies at once;
//! `positional` (after a given task) and `replace` (a task not yet done)
//! wait until a person approves or rejects them. An approved injection is a
//! minimal edit of the task list: it joins the plan at the next SELECT and
//! the file with the project's next commit (and so its next pull request).

mod apply;

use serde::{Deserialize, Serialize};

pub(crate) use apply::{apply_to_list, apply_to_worktree};

use crate::engine::Engine;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::EngineEvent;
use crate::run::TaskStatus;
use crate::store::AuditEntry;
use crate::tasklist::TaskId;

/// Where an injected task goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InjectAt {
    /// Right before the task the plan would start next.
    Priority,
    /// After this task and its subtasks (it depends on it).
    Positional { after: String },
    /// Instead of this task, which must not be done or running.
    Replace { task: String },
}

/// What a person asks to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct InjectionRequest {
    pub at: InjectAt,
    /// One line.
    pub title: String,
    /// The task's body (criteria, `sh` blocks, notes), as Markdown.
    #[serde(default)]
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum InjectionStatus {
    /// Waits for a person's approval.
    Pending,
    /// Joins the plan and the file.
    Approved,
    Rejected,
    /// On the base branch of the repository.
    Applied,
}

impl InjectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Applied => "applied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected, Self::Applied].into_iter().find(|x| x.as_str() == s)
    }
}

/// An injection as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Injection {
    pub id: u32,
    pub project_id: String,
    pub at: InjectAt,
    pub title: String,
    pub body: String,
    pub status: InjectionStatus,
    /// The ID the task got in the list, once placed.
    pub task_id: Option<String>,
    /// Where a priority injection was placed: `before:<id>`.
    pub anchor: Option<String>,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

impl Engine {
    /// Adds a task to a project's list: priority ones at once, positional
    /// and replace ones pending approval. A target that is unknown, done or
    /// running is refused with the reason.
    pub async fn inject(&self, project_id: &str, request: &InjectionRequest, actor: &str) -> EngineResult<Injection> {
        self.project(project_id).await?;
        let title = request.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() || request.title.contains(['\n', '\r']) {
            return Err(EngineError::new(ErrorCode::Validation, "the injected task needs a one-line title"));
        }
        let rows = self.store().task_runs(project_id).await?;
        let check_target = |id: &str, what: &str| -> EngineResult<()> {
            TaskId::parse(id).map_err(|e| EngineError::new(ErrorCode::Validation, format!("{what} `{id}`: {e}")))?;
            match rows.iter().find(|r| r.task_id == id).map(|r| r.status) {
                Some(TaskStatus::Running) | Some(TaskStatus::HumanReview) if what == "replace" => Err(EngineError::new(
                    ErrorCode::Conflict,
                    format!("task {id} is running; it cannot be replaced now (pause the project, or inject after it)"),
                )),
                Some(TaskStatus::Done) if what == "replace" => {
                    Err(EngineError::new(ErrorCode::Conflict, format!("task {id} is already done; only a task not yet done can be replaced")))
                }
                _ => Ok(()),
            }
        };
        let status = match &request.at {
            InjectAt::Priority => InjectionStatus::Approved,
            InjectAt::Positional { after } => {
                check_target(after, "after")?;
                InjectionStatus::Pending
            }
            InjectAt::Replace { task } => {
                check_target(task, "replace")?;
                InjectionStatus::Pending
            }
        };
        let injection = self
            .store()
            .insert_injection(project_id, &request.at, &title, &request.body, status, actor)
            .await?;
        self.audit_injection(&injection, actor, "inject").await?;
        self.events().emit(EngineEvent::InjectionChanged { injection: injection.clone() });
        Ok(injection)
    }

    /// A person's decision on a pending injection.
    pub async fn decide_injection(&self, project_id: &str, id: u32, approve: bool, actor: &str) -> EngineResult<Injection> {
        let current = self
            .store()
            .injection(id)
            .await?
            .filter(|i| i.project_id == project_id)
            .ok_or_else(|| EngineError::not_found(format!("{project_id} has no injection {id}")))?;
        if current.status != InjectionStatus::Pending {
            return Err(EngineError::new(ErrorCode::Conflict, format!("injection {id} is already {}", current.status.as_str())));
        }
        let status = if approve { InjectionStatus::Approved } else { InjectionStatus::Rejected };
        let injection = self.store().decide_injection(id, status, actor).await?;
        self.audit_injection(&injection, actor, if approve { "approve-injection" } else { "reject-injection" }).await?;
        self.events().emit(EngineEvent::InjectionChanged { injection: injection.clone() });
        Ok(injection)
    }

    /// The project's injections, oldest first.
    pub async fn injections(&self, project_id: &str) -> EngineResult<Vec<Injection>> {
        self.project(project_id).await?;
        self.store().injections(project_id).await
    }

    async fn audit_injection(&self, injection: &Injection, actor: &str, action: &str) -> EngineResult<()> {
        self.store()
            .append_audit(&AuditEntry {
                project_id: injection.project_id.clone(),
                task_id: injection.task_id.clone().unwrap_or_default(),
                actor: actor.to_string(),
                action: action.to_string(),
                detail: format!("#{} {}: {}", injection.id, serde_json::to_string(&injection.at).unwrap_or_default(), injection.title),
            })
            .await
    }
}
