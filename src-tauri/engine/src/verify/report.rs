//! The verification report of one attempt: a result per check, whether the
//! attempt passed, whether it needs a person, and the failures in a form the
//! next error-solve prompt can carry. Stored as JSON and Markdown artifacts.

use serde::Serialize;

use crate::tasklist::CriterionKind;

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed { reason: String },
    /// A prose criterion: recorded as a goal, covered by the default checks.
    Goal,
    /// A `cmd` the allowlist refused; it never ran. `reason` is for a person.
    NotAllowed { program: String, reason: String },
}

/// What kind of check produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CheckMethod {
    Cmd,
    Regex,
    File,
    Http,
    Prose,
}

impl CheckMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckMethod::Cmd => "cmd",
            CheckMethod::Regex => "regex",
            CheckMethod::File => "file",
            CheckMethod::Http => "http",
            CheckMethod::Prose => "goal",
        }
    }
}

/// One default check or one criterion, checked.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CheckResult {
    /// The default check's name, the criterion's `key` or label, or `line N`.
    pub name: String,
    /// The criterion's line in the task list; `None` for a project default check.
    pub line: Option<u32>,
    pub kind: Option<CriterionKind>,
    pub check: CheckMethod,
    /// What was checked: the command, `path`, `path ~ pattern`, the URL or the goal.
    pub target: String,
    pub outcome: Outcome,
    /// Redacted lines that show why: the output's tail, the matching line, the timings.
    pub evidence: Vec<String>,
    pub duration_ms: u32,
}

impl CheckResult {
    /// Passed, or a goal (which is recorded, not checked).
    pub fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Passed | Outcome::Goal)
    }
}

/// Every check of one verification attempt.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct VerifyReport {
    /// 1 for the first verification of a task, then one more per error-solve.
    pub attempt: u32,
    pub results: Vec<CheckResult>,
}

impl VerifyReport {
    /// True when no check failed and none was refused.
    pub fn passed(&self) -> bool {
        self.results.iter().all(CheckResult::is_ok)
    }

    /// Why this attempt must go to a person instead of the agent: the
    /// allowlist refused a command (another attempt would be refused again).
    pub fn needs_person(&self) -> Option<String> {
        let reasons: Vec<&str> = self
            .results
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::NotAllowed { reason, .. } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// The failed checks with their evidence, compact, for the agent's next
    /// prompt; empty when nothing failed.
    pub fn failures_for_prompt(&self) -> String {
        let failed: Vec<&CheckResult> = self.results.iter().filter(|r| !r.is_ok()).collect();
        if failed.is_empty() {
            return String::new();
        }
        let mut out = format!(
            "Verification attempt {} failed {} of {} checks:\n",
            self.attempt,
            failed.len(),
            self.results.iter().filter(|r| r.check != CheckMethod::Prose).count()
        );
        for (n, r) in failed.iter().enumerate() {
            let why = match &r.outcome {
                Outcome::Failed { reason } => reason.clone(),
                Outcome::NotAllowed { reason, .. } => reason.clone(),
                Outcome::Passed | Outcome::Goal => continue,
            };
            out.push_str(&format!("\n{}. {} ({} `{}`): {}\n", n + 1, r.name, r.check.as_str(), r.target, why));
            for line in &r.evidence {
                out.push_str("   | ");
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// The report as pretty JSON, the stored artifact.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Milliseconds since `start`, saturated to fit a `u32`.
pub(super) fn elapsed_ms(start: std::time::Instant) -> u32 {
    u32::try_from(start.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// Evidence lines are redacted and cut, so one runaway line cannot flood a report.
pub(super) fn evidence_line(redactor: &crate::redact::Redactor, text: &str) -> String {
    const MAX: usize = 400;
    let text = redactor.redact(text);
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
