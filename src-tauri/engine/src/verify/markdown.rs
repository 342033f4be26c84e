//! The report as Markdown, for `artifacts/<id>/` and the pull request: a table
//! with one row per check, then the evidence of every check that did not pass.

use super::report::{CheckMethod, CheckResult, Outcome, VerifyReport};
use crate::tasklist::CriterionKind;

impl VerifyReport {
    pub fn to_markdown(&self) -> String {
        let count = |f: fn(&Outcome) -> bool| self.results.iter().filter(|r| f(&r.outcome)).count();
        let passed = count(|o| matches!(o, Outcome::Passed));
        let failed = count(|o| matches!(o, Outcome::Failed { .. }));
        let refused = count(|o| matches!(o, Outcome::NotAllowed { .. }));
        let goals = count(|o| matches!(o, Outcome::Goal));
        let verdict = if self.passed() { "passed" } else { "FAILED" };
        let mut out = format!("## Verification, attempt {}: {verdict}\n\n", self.attempt);
        out.push_str(&format!("{passed} passed, {failed} failed, {refused} not allowed, {goals} goals recorded.\n\n"));
        if let Some(reason) = self.needs_person() {
            out.push_str(&format!("**Needs a person:** {}\n\n", cell(&reason)));
        }
        out.push_str("| # | Criterion | Check | Result | Time |\n|---|---|---|---|---|\n");
        for (n, r) in self.results.iter().enumerate() {
            out.push_str(&format!(
                "| {} | {} | {} {} | {} | {} |\n",
                n + 1,
                cell(&criterion(r)),
                r.check.as_str(),
                code(&r.target),
                cell(&result(&r.outcome)),
                duration(r),
            ));
        }
        // Evidence of what did not pass, and the timings of a passed `http` check.
        let detailed = |r: &&CheckResult| !r.is_ok() || (r.check == CheckMethod::Http && !r.evidence.is_empty());
        for (n, r) in self.results.iter().enumerate().filter(|(_, r)| detailed(r)) {
            out.push_str(&format!("\n### {}. {} ({})\n\n", n + 1, r.name, result(&r.outcome)));
            if let Outcome::Failed { reason } = &r.outcome {
                if reason.contains('\n') {
                    out.push_str(&fenced(reason));
                }
            }
            if !r.evidence.is_empty() {
                out.push_str(&fenced(&r.evidence.join("\n")));
            }
        }
        out
    }
}

fn criterion(r: &CheckResult) -> String {
    let kind = match r.kind {
        Some(CriterionKind::Perf) => ", perf",
        Some(CriterionKind::Test) => ", test",
        Some(CriterionKind::Sec) => ", sec",
        Some(CriterionKind::Doc) => ", doc",
        Some(CriterionKind::Type) => ", type",
        Some(CriterionKind::Ops) => ", ops",
        None => "",
    };
    match r.line {
        Some(line) => format!("{} (line {line}{kind})", r.name),
        None => format!("{} (project default)", r.name),
    }
}

fn result(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Passed => "✅ passed".into(),
        Outcome::Failed { reason } => format!("❌ failed: {}", reason.lines().next().unwrap_or("")),
        Outcome::Goal => "🎯 goal, recorded".into(),
        Outcome::NotAllowed { program, .. } => format!("⛔ not allowed: `{program}`"),
    }
}

fn duration(r: &CheckResult) -> String {
    match r.outcome {
        Outcome::Goal | Outcome::NotAllowed { .. } => "–".into(),
        _ if r.duration_ms < 1000 => format!("{} ms", r.duration_ms),
        _ => format!("{:.1} s", f64::from(r.duration_ms) / 1000.0),
    }
}

/// Text safe inside a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

/// An inline code span that survives backticks in the text.
fn code(text: &str) -> String {
    let text = cell(text);
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A fenced block longer than any fence inside the text.
fn fenced(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}text\n{text}\n{fence}\n\n")
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}
