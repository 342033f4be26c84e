//! Faults of the machinery, not of the task: a Docker or git I/O error, a
//! daemon restart. They are retried with bounded backoff and spend no
//! attempt (the interrupted step resumes from its saved row); faults that
//! need a person are never retried.

use std::time::Duration;

use super::RunContext;
use crate::error::{EngineError, ErrorCode};
use crate::events::EngineEvent;

/// Retries in a row before the fault is reported as the run's error.
const MAX_RETRIES: u32 = 5;
const FIRST_WAIT: Duration = Duration::from_secs(1);
const MAX_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(super) struct TransientRetries {
    in_a_row: u32,
}

/// Whether another try may succeed without anyone doing anything.
pub(crate) fn is_transient(e: &EngineError) -> bool {
    if e.needs_person() {
        return false;
    }
    match e.code {
        ErrorCode::Docker | ErrorCode::Io => true,
        // Refusals (non-fast-forward) and missing branches are not I/O.
        ErrorCode::Git => !e.message.contains("no branch") && !e.message.contains("refused"),
        _ => false,
    }
}

impl TransientRetries {
    /// Waits before the next try when `e` is transient and retries remain;
    /// `false` means: give up and report `e`.
    pub async fn wait(&mut self, ctx: &RunContext, project_id: &str, e: &EngineError) -> bool {
        if !is_transient(e) || self.in_a_row >= MAX_RETRIES {
            return false;
        }
        let wait = (FIRST_WAIT * 2u32.pow(self.in_a_row)).min(MAX_WAIT);
        self.in_a_row += 1;
        tracing::warn!(project = %project_id, retry = self.in_a_row, "transient fault, retrying in {wait:?}: {}", e.message);
        ctx.events.emit(EngineEvent::Retrying {
            project_id: project_id.to_string(),
            reason: ctx.redactor.redact(&e.message),
            retry: self.in_a_row,
            wait_seconds: wait.as_secs() as u32,
        });
        tokio::time::sleep(wait).await;
        true
    }

    /// A step went through: the next fault starts a fresh series.
    pub fn reset(&mut self) {
        self.in_a_row = 0;
    }
}
