//! A project's past runs, each as a timeline: every task's steps with their
//! times, attempts and log lines, and the notes and decisions in between.
//! Read from what the run engine stores anyway (the runs table, the audit
//! log, the run log), so history survives restarts and costs nothing extra.

use serde::Serialize;

use crate::engine::{now_iso8601_ms, Engine};
use crate::error::{EngineError, EngineResult};
use crate::run::Step;
use crate::store::{AuditRecord, LogRange, RunRecord};

/// Runs listed per project, newest first.
pub const HISTORY_LIMIT: u32 = 200;

/// One step of one task in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct StepSpan {
    pub task_id: String,
    pub step: Step,
    /// The attempt it belongs to (0 before the first IMPLEMENT).
    pub attempt: u32,
    pub started_at: String,
    /// When the task's next step began, or the run ended; `None` while it runs.
    pub ended_at: Option<String>,
    /// The lines this step wrote.
    pub log: LogRange,
}

/// A run with its steps and notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RunTimeline {
    pub run: RunRecord,
    pub spans: Vec<StepSpan>,
    /// Everything else the audit log holds for the run: the agent chosen for
    /// a task, and people's decisions (approve, retry, skip...) with who,
    /// including those made since the previous run ended.
    pub notes: Vec<AuditRecord>,
}

impl Engine {
    /// The project's runs, newest first.
    pub async fn run_history(&self, project_id: &str) -> EngineResult<Vec<RunRecord>> {
        self.project(project_id).await?;
        self.store().runs(project_id, HISTORY_LIMIT).await
    }

    /// One run as a timeline.
    pub async fn run_timeline(&self, project_id: &str, run_id: u32) -> EngineResult<RunTimeline> {
        self.project(project_id).await?;
        let run = self
            .store()
            .run(project_id, run_id)
            .await?
            .ok_or_else(|| EngineError::not_found(format!("run {run_id} of project `{project_id}`")))?;
        let until = run.ended_at.clone().unwrap_or_else(now_iso8601_ms);
        // Decisions made while the project waited (a retry after HUMAN_REVIEW)
        // led to this run: its notes start where the previous run ended.
        let since = self.store().previous_run_end(project_id, run_id).await?.unwrap_or_else(|| run.started_at.clone());
        let entries = self.store().audit_between(project_id, &since, &until).await?;
        let (steps, notes): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| e.action.starts_with("step:"));
        let steps: Vec<_> = steps.into_iter().filter(|e| e.at >= run.started_at).collect();
        let mut spans = Vec::with_capacity(steps.len());
        for (i, entry) in steps.iter().enumerate() {
            let Some(step) = entry.action.strip_prefix("step:").and_then(Step::parse) else { continue };
            let next = steps[i + 1..].iter().find(|later| later.task_id == entry.task_id).map(|later| later.at.clone());
            let ended_at = match step {
                // A task's last step is a moment, not a stretch of work.
                Step::Done | Step::HumanReview => Some(entry.at.clone()),
                _ => next.clone().or_else(|| run.ended_at.clone()),
            };
            let log = match step {
                Step::Done | Step::HumanReview => LogRange::default(),
                _ => self.store().log_range(project_id, &entry.task_id, &entry.at, next.as_deref()).await?,
            };
            spans.push(StepSpan { task_id: entry.task_id.clone(), step, attempt: attempt_of(&entry.detail), started_at: entry.at.clone(), ended_at, log });
        }
        Ok(RunTimeline { run, spans, notes })
    }
}

/// The `N` of an audit detail `attempt N; ...`.
pub(crate) fn attempt_of(detail: &str) -> u32 {
    detail.strip_prefix("attempt ").and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::attempt_of;

    #[test]
    fn millisecond_times_sort_as_text_as_they_do_in_time() {
        let a = crate::engine::now_iso8601_ms();
        assert_eq!(a.len(), "2026-11-23T15:04:05.123Z".len(), "{a}");
        assert!(a.ends_with('Z') && a.as_bytes()[19] == b'.', "{a}");
        // Strictly increasing, even within one millisecond.
        let mut last = a;
        for _ in 0..50 {
            let next = crate::engine::now_iso8601_ms();
            assert!(next > last, "{next} after {last}");
            last = next;
        }
    }

    #[test]
    fn reads_the_attempt_of_a_step_entry() {
        assert_eq!(attempt_of("attempt 2"), 2);
        assert_eq!(attempt_of("attempt 3; criterion 1 failed"), 3);
        assert_eq!(attempt_of("something else"), 0);
    }
}
