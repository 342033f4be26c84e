//! What a person does with a task in HUMAN_REVIEW: retry it, skip it, say it
//! is done, or abort it — and taking a task over by hand, which puts it
//! there on purpose. Each decision is saved; the next run acts on it.

use serde::{Deserialize, Serialize};

use super::{Step, TaskStatus};
use crate::engine::now_iso8601;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::store::{AuditEntry, Store, TaskRun};

/// How the reason of a task waiting for approval starts.
pub(crate) const APPROVAL_PREFIX: &str = "approval needed:";

/// How the reason of a task a person took over starts.
pub(crate) const TAKEN_PREFIX: &str = "taken by";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// Run the task again with a fresh set of attempts (its branch kept).
    Retry,
    /// Leave the task undone; tasks that depend on it wait, others go on.
    Skip,
    /// The person did it; count it as done.
    Done,
    /// Give up this try: the task starts from scratch on the next run.
    Abort,
    /// Let a risky task run (it waited for approval before IMPLEMENT).
    Approve,
    /// Do not run a risky task: it is skipped (tasks that depend on it wait).
    Reject,
}

impl std::str::FromStr for ReviewAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "retry" => Ok(Self::Retry),
            "skip" => Ok(Self::Skip),
            "done" => Ok(Self::Done),
            "abort" => Ok(Self::Abort),
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject),
            other => Err(format!("`{other}` is not one of: retry, skip, done, abort, approve, reject")),
        }
    }
}

/// Applies `action` (decided by `actor`) to the project's task waiting in
/// HUMAN_REVIEW, and records the decision in the audit log.
pub async fn review(store: &Store, project_id: &str, action: ReviewAction, actor: &str) -> EngineResult<TaskRun> {
    let rows = store.task_runs(project_id).await?;
    let Some(mut row) = rows.into_iter().find(|r| r.status == TaskStatus::HumanReview) else {
        return Err(EngineError::new(ErrorCode::NotFound, format!("no task of {project_id} waits for a person")));
    };
    let waits_for_approval = row.reason.as_deref().is_some_and(|r| r.starts_with(APPROVAL_PREFIX));
    if matches!(action, ReviewAction::Approve | ReviewAction::Reject) != waits_for_approval {
        let what = if waits_for_approval { "waits for approval: approve or reject it" } else { "is not waiting for an approval" };
        return Err(EngineError::new(ErrorCode::Conflict, format!("task {} of {project_id} {what}", row.task_id)));
    }
    let name = serde_json::to_value(action).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    store
        .append_audit(&AuditEntry {
            project_id: project_id.to_string(),
            task_id: row.task_id.clone(),
            actor: actor.to_string(),
            action: format!("review:{name}"),
            detail: row.reason.clone().unwrap_or_default(),
        })
        .await?;
    match action {
        ReviewAction::Retry => {
            row.status = TaskStatus::Running;
            row.step = Step::Prep;
            // A task that got as far as its commit (refused at PUSH or by
            // GitHub) is pushed again, not implemented again.
            if row.commit_id.is_none() {
                row.attempts = 0;
            }
            row.reason = None;
            // Start again from where the base is now (the person may have
            // fixed something there).
            row.start_commit = None;
        }
        ReviewAction::Skip => {
            row.status = TaskStatus::Skipped;
            row.finished_at = Some(now_iso8601());
        }
        ReviewAction::Done => {
            row.status = TaskStatus::Done;
            row.step = Step::Done;
            row.finished_at = Some(now_iso8601());
        }
        ReviewAction::Approve => {
            row.status = TaskStatus::Running;
            row.step = Step::Prep;
            row.reason = None;
            row.approved_by = Some(actor.to_string());
        }
        ReviewAction::Reject => {
            row.status = TaskStatus::Skipped;
            row.reason = Some(format!("rejected by {actor}"));
            row.finished_at = Some(now_iso8601());
        }
        ReviewAction::Abort => {
            store.delete_task_run(project_id, &row.task_id).await?;
            tracing::info!(project = %project_id, task = %row.task_id, "task aborted by a person");
            return Ok(row);
        }
    }
    store.save_task_run(&row).await?;
    tracing::info!(project = %project_id, task = %row.task_id, ?action, "human review decision");
    Ok(row)
}

/// A person takes `task_id` over (manual override): the task waits in
/// HUMAN_REVIEW with the reason "taken by ACTOR", so the project's run
/// waits until they say it is `done` (or hand it back with `retry`, or
/// `skip` or `abort` it). The caller makes sure no run is walking the
/// project meanwhile (it would race the run's own save of the task).
pub async fn take(store: &Store, project_id: &str, task_id: &str, title: &str, actor: &str) -> EngineResult<TaskRun> {
    let rows = store.task_runs(project_id).await?;
    if let Some(waiting) = rows.iter().find(|r| r.status == TaskStatus::HumanReview) {
        let why = waiting.reason.as_deref().unwrap_or("no reason");
        return Err(EngineError::new(
            ErrorCode::Conflict,
            format!("task {} of {project_id} already waits for a person ({why}): decide on it first", waiting.task_id),
        ));
    }
    let reason = format!("{TAKEN_PREFIX} {actor}: the run waits until the task is marked done (or handed back with retry)");
    let now = now_iso8601();
    let row = match rows.into_iter().find(|r| r.task_id == task_id) {
        Some(r) if matches!(r.status, TaskStatus::Done | TaskStatus::Skipped) => {
            return Err(EngineError::new(ErrorCode::Conflict, format!("task {task_id} of {project_id} is {} already", r.status.as_str())));
        }
        // Started before: its branch and attempts stay, for the person and
        // for a retry.
        Some(r) => TaskRun { status: TaskStatus::HumanReview, step: Step::HumanReview, reason: Some(reason), updated_at: now, ..r },
        None => TaskRun {
            project_id: project_id.to_string(),
            task_id: task_id.to_string(),
            title: title.to_string(),
            branch: crate::repo::task_branch_name(task_id, title),
            step: Step::HumanReview,
            status: TaskStatus::HumanReview,
            attempts: 0,
            agent: format!("person: {actor}"),
            reason: Some(reason),
            start_commit: None,
            commit_id: None,
            started_at: now.clone(),
            updated_at: now,
            finished_at: None,
            pr_number: None,
            pr_url: None,
            approved_by: None,
        },
    };
    store.save_task_run(&row).await?;
    store
        .append_audit(&AuditEntry {
            project_id: project_id.to_string(),
            task_id: task_id.to_string(),
            actor: actor.to_string(),
            action: "take".into(),
            detail: row.title.clone(),
        })
        .await?;
    tracing::info!(project = %project_id, task = %task_id, "a person took the task over");
    Ok(row)
}
