//! How long each step of a task took, read back from the audit log, where
//! every step is entered (once per attempt) before it acts: for the task's
//! `timings.json` artifact and the durations in its pull request.

use serde::Serialize;

use super::Step;
use crate::engine::now_iso8601_ms;
use crate::error::EngineResult;
use crate::github::StepDuration;
use crate::history::attempt_of;
use crate::store::{Store, TaskRun};

/// One step of one attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct StepTiming {
    pub step: Step,
    pub attempt: u32,
    pub started_at: String,
    pub seconds: f64,
}

/// The task's steps so far, oldest first; the last one runs until now.
pub(super) async fn step_timings(store: &Store, row: &TaskRun) -> EngineResult<Vec<StepTiming>> {
    // Audit times have milliseconds; an older `started_at` whole seconds
    // (the task's first step is then in the same second).
    let since = match row.started_at.strip_suffix('Z') {
        Some(whole) if !whole.contains('.') => format!("{whole}.000Z"),
        _ => row.started_at.clone(),
    };
    let now = now_iso8601_ms();
    let entries = store.audit_between(&row.project_id, &since, &now).await?;
    let steps: Vec<(Step, u32, String)> = entries
        .into_iter()
        .filter(|e| e.task_id == row.task_id)
        .filter_map(|e| Some((e.action.strip_prefix("step:").and_then(Step::parse)?, attempt_of(&e.detail), e.at)))
        .collect();
    Ok(steps
        .iter()
        .enumerate()
        .map(|(i, (step, attempt, at))| {
            let until = steps.get(i + 1).map_or(now.as_str(), |next| next.2.as_str());
            StepTiming { step: *step, attempt: *attempt, started_at: at.clone(), seconds: seconds_between(at, until) }
        })
        .collect())
}

/// The time per kind of step (every attempt's IMPLEMENT together, ...), in
/// the order the steps first came; moments (DONE, HUMAN_REVIEW) left out.
pub(super) fn per_step(timings: &[StepTiming]) -> Vec<StepDuration> {
    let mut out: Vec<StepDuration> = Vec::new();
    for t in timings.iter().filter(|t| !matches!(t.step, Step::Done | Step::HumanReview)) {
        match out.iter_mut().find(|d| d.step == t.step.as_str()) {
            Some(d) => d.seconds += t.seconds,
            None => out.push(StepDuration { step: t.step.as_str().into(), seconds: t.seconds }),
        }
    }
    out
}

fn seconds_between(from: &str, to: &str) -> f64 {
    let parse = |s: &str| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok();
    match (parse(from), parse(to)) {
        (Some(a), Some(b)) => (b - a).as_seconds_f64().max(0.0),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(step: Step, attempt: u32, seconds: f64) -> StepTiming {
        StepTiming { step, attempt, started_at: String::new(), seconds }
    }

    #[test]
    fn attempts_of_a_step_add_up_and_moments_are_left_out() {
        let timings = [
            timing(Step::Prep, 0, 1.0),
            timing(Step::Implement, 1, 10.0),
            timing(Step::Verify, 1, 2.0),
            timing(Step::ErrorSolve, 2, 5.0),
            timing(Step::Verify, 2, 3.0),
            timing(Step::Merge, 2, 0.5),
            timing(Step::Done, 2, 0.0),
        ];
        let per: Vec<(String, f64)> = per_step(&timings).into_iter().map(|d| (d.step, d.seconds)).collect();
        let expected: Vec<(String, f64)> =
            [("prep", 1.0), ("implement", 10.0), ("verify", 5.0), ("error_solve", 5.0), ("merge", 0.5)].iter().map(|(s, n)| (s.to_string(), *n)).collect();
        assert_eq!(per, expected);
    }

    #[test]
    fn seconds_between_audit_times() {
        assert_eq!(seconds_between("2026-01-01T00:00:00.000Z", "2026-01-01T00:01:02.500Z"), 62.5);
        assert_eq!(seconds_between("bad", "2026-01-01T00:00:00Z"), 0.0);
    }
}
