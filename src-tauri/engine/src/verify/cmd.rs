//! `cmd` checks and the project's default checks: a shell command run in the
//! task's container under the check limits; it passes on exit status 0, and the
//! tail of its output is kept, redacted, as evidence.

use std::collections::VecDeque;

use super::report::{evidence_line, Outcome};
use crate::error::EngineResult;
use crate::redact::Redactor;
use crate::runner::{DockerRunner, ExecSpec, Limits};

/// How many of the last output lines a report keeps.
pub const EVIDENCE_LINES: usize = 50;

/// Runs `script` with `sh -c` in `container`. Docker failures are errors,
/// not failed checks: they say nothing about the task's work.
pub(super) async fn run_cmd(
    runner: &DockerRunner,
    container: &str,
    script: &str,
    limits: Limits,
    redactor: &Redactor,
) -> EngineResult<(Outcome, Vec<String>)> {
    let mut tail: VecDeque<String> = VecDeque::with_capacity(EVIDENCE_LINES);
    let mut dropped = 0usize;
    let end = runner
        .exec(container, &ExecSpec::shell(script, limits), &mut |line| {
            if tail.len() == EVIDENCE_LINES {
                tail.pop_front();
                dropped += 1;
            }
            tail.push_back(line.text);
        })
        .await?;
    let mut evidence: Vec<String> = Vec::with_capacity(tail.len() + 1);
    if dropped > 0 {
        evidence.push(format!("… {dropped} earlier lines not kept"));
    }
    evidence.extend(tail.iter().map(|line| evidence_line(redactor, line)));
    let outcome = if end.succeeded() { Outcome::Passed } else { Outcome::Failed { reason: end.describe() } };
    Ok((outcome, evidence))
}
