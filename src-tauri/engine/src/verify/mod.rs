//! The VERIFY step's checks: the project's default checks, then each of the
//! task's criteria (`cmd` in the container under the allowlist, `file`,
//! `regex`, `http` from inside the container, prose recorded as goals), giving
//! one report per attempt. Failed checks are the agent's to fix; a refused
//! command is a person's; a Docker fault is an error, retried by the caller.

mod allowlist;
mod cmd;
mod files;
mod http;
mod markdown;
mod plan;
mod report;
mod shell_words;

use std::path::Path;
use std::time::Instant;

pub use allowlist::{Allowlist, Refusal};
pub use cmd::EVIDENCE_LINES;
pub use plan::{DefaultCheck, VerifyPlan};
pub use report::{CheckMethod, CheckResult, Outcome, VerifyReport};
pub use shell_words::{command_words, Unreadable};

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::redact::Redactor;
use crate::runner::DockerRunner;
use crate::tasklist::{Check, Criterion, CriterionSpec};

/// How many requests an `http` check makes unless its `requests` attribute says.
pub const DEFAULT_REQUESTS: u32 = 20;
const MAX_REQUESTS: u32 = 1000;

/// Runs every check of `plan` against `worktree`, mounted in `container`.
pub async fn verify(
    runner: &DockerRunner,
    container: &str,
    worktree: &Path,
    plan: &VerifyPlan,
    redactor: &Redactor,
) -> EngineResult<VerifyReport> {
    // A worktree that cannot be read is the machine's fault, not the task's.
    let worktree = &worktree.canonicalize().map_err(|e| {
        EngineError::new(ErrorCode::Io, format!("the worktree {} cannot be read: {e}", worktree.display()))
    })?;
    let mut results = Vec::with_capacity(plan.default_checks.len() + plan.criteria.len());
    for check in &plan.default_checks {
        let start = Instant::now();
        let (outcome, evidence) = cmd::run_cmd(runner, container, &check.run, plan.limits, redactor).await?;
        let result = CheckResult {
            name: check.name.clone(),
            line: None,
            kind: None,
            check: CheckMethod::Cmd,
            target: redactor.redact(&check.run),
            outcome,
            evidence,
            duration_ms: report::elapsed_ms(start),
        };
        results.push(logged(result));
    }
    for criterion in &plan.criteria {
        let result = check_criterion(runner, container, worktree, plan, redactor, criterion).await?;
        results.push(logged(result));
    }
    Ok(VerifyReport { attempt: plan.attempt, results })
}

async fn check_criterion(
    runner: &DockerRunner,
    container: &str,
    worktree: &Path,
    plan: &VerifyPlan,
    redactor: &Redactor,
    criterion: &Criterion,
) -> EngineResult<CheckResult> {
    let line = criterion.line;
    let (key, kind, check, extra) = match &criterion.spec {
        CriterionSpec::Prose { label, text, .. } => {
            return Ok(CheckResult {
                name: label.clone().unwrap_or_else(|| format!("line {line}")),
                line: Some(line),
                kind: None,
                check: CheckMethod::Prose,
                target: redactor.redact(text),
                outcome: Outcome::Goal,
                evidence: Vec::new(),
                duration_ms: 0,
            })
        }
        CriterionSpec::Check { key, kind, check, extra } => (key, kind, check, extra),
    };
    let start = Instant::now();
    let (method, target, (outcome, evidence)) = match check {
        Check::Cmd { run } => {
            let result = match plan.allowlist.check(run) {
                Ok(()) => cmd::run_cmd(runner, container, run, plan.limits, redactor).await?,
                Err(refusal) => {
                    let program = redactor.redact(refusal.program());
                    (Outcome::NotAllowed { program, reason: redactor.redact(&refusal.to_string()) }, Vec::new())
                }
            };
            (CheckMethod::Cmd, run.clone(), result)
        }
        Check::File { path } => (CheckMethod::File, path.clone(), files::check_file(worktree, path)),
        Check::Regex { path, pattern } => {
            (CheckMethod::Regex, format!("{path} ~ {pattern}"), files::check_regex(worktree, path, pattern, redactor))
        }
        Check::Http { url, status, p95_ms } => {
            let requests = extra.iter().find(|a| a.name == "requests").map(|a| a.value.trim().parse::<u32>());
            let result = match requests {
                Some(Ok(n)) if (1..=MAX_REQUESTS).contains(&n) => Some(n),
                None => Some(DEFAULT_REQUESTS),
                Some(_) => None,
            };
            let outcome = match result {
                Some(requests) => {
                    let probe = http::HttpProbe { url: url.clone(), status: status.unwrap_or(200), p95_ms: *p95_ms, requests };
                    http::run_http(runner, container, &probe, plan.limits, redactor).await?
                }
                None => {
                    let reason = format!("`requests` must be a whole number from 1 to {MAX_REQUESTS}");
                    (Outcome::Failed { reason }, Vec::new())
                }
            };
            (CheckMethod::Http, url.clone(), outcome)
        }
    };
    let outcome = match outcome {
        Outcome::Failed { reason } => Outcome::Failed { reason: redactor.redact(&reason) },
        other => other,
    };
    Ok(CheckResult {
        name: key.clone().unwrap_or_else(|| format!("line {line}")),
        line: Some(line),
        kind: *kind,
        check: method,
        target: redactor.redact(&target),
        outcome,
        evidence,
        duration_ms: report::elapsed_ms(start),
    })
}

fn logged(result: CheckResult) -> CheckResult {
    match &result.outcome {
        Outcome::Passed | Outcome::Goal => {
            tracing::info!(check = %result.name, method = result.check.as_str(), ms = result.duration_ms, "check passed")
        }
        Outcome::Failed { reason } => tracing::info!(check = %result.name, %reason, "check failed"),
        Outcome::NotAllowed { reason, .. } => tracing::warn!(check = %result.name, %reason, "command refused; it did not run"),
    }
    result
}
