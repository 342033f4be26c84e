//! Writes `task_outcomes.md`: one section appended per completed task, the
//! record a person reads to see what was done, by whom, and how it was checked.
//! A pull request is opened after its task's commit, so its link is filled
//! into that section's `Pull request` line by a later commit: the one edit
//! of a section already written.

use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Everything recorded about one completed task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskOutcome {
    pub id: String,
    pub title: String,
    pub branch: String,
    pub commit: String,
    /// The pull request's URL, when one was opened.
    pub pull_request: Option<String>,
    pub agent: String,
    pub attempts: u32,
    pub duration: Duration,
    pub criteria: Vec<CriterionResult>,
    pub artifacts: Vec<ArtifactLink>,
    pub finished_at: OffsetDateTime,
}

/// How one criterion (or default check) fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionResult {
    /// The criterion's key, label or text.
    pub name: String,
    pub verdict: Verdict,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    Skipped,
}

/// A link to one artifact, relative to the outcomes file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactLink {
    pub label: String,
    pub href: String,
}

/// `existing` with one section for `outcome` appended. Nothing already there
/// changes: a missing final newline is added, and the file's line ending
/// (CRLF when it uses CRLF) is kept. An empty file first gets a title.
pub fn append_section(existing: &str, outcome: &TaskOutcome) -> String {
    let eol = if existing.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(existing.len() + 1024);
    out.push_str(existing);
    if existing.trim().is_empty() {
        out.push_str("# Task outcomes");
        out.push_str(eol);
        out.push_str(eol);
    } else {
        if !out.ends_with('\n') {
            out.push_str(eol);
        }
        if !out.ends_with(&format!("{eol}{eol}")) {
            out.push_str(eol);
        }
    }
    for line in section_lines(outcome) {
        out.push_str(&line);
        out.push_str(eol);
    }
    out
}

const PULL_REQUEST: &str = "- Pull request: ";

/// `existing` with task `id`'s pull request link in its section, or `None`
/// when there is no such section or it has a link already. Only that line's
/// value changes; every other byte stays.
pub fn record_pull_request(existing: &str, id: &str, url: &str) -> Option<String> {
    let heading = format!("## Task {}:", one_line(id));
    let mut in_section = false;
    let mut offset = 0;
    for line in existing.split_inclusive('\n') {
        let text = line.trim_end_matches(['\r', '\n']);
        if text.starts_with("## ") {
            in_section = text.starts_with(&heading);
        } else if in_section {
            if let Some(value) = text.strip_prefix(PULL_REQUEST) {
                if value.starts_with("http") {
                    return None;
                }
                let start = offset + PULL_REQUEST.len();
                return Some(format!("{}{}{}", &existing[..start], one_line(url), &existing[offset + text.len()..]));
            }
        }
        offset += line.len();
    }
    None
}

fn section_lines(o: &TaskOutcome) -> Vec<String> {
    let finished = o.finished_at.format(&Rfc3339).unwrap_or_else(|_| o.finished_at.unix_timestamp().to_string());
    let mut lines = vec![
        format!("## Task {}: {}", one_line(&o.id), one_line(&o.title)),
        String::new(),
        format!("- Finished: {finished}"),
        format!("- Branch: {}", code(&o.branch)),
        format!("- Commit: {}", code(&o.commit)),
        format!("{PULL_REQUEST}{}", o.pull_request.as_deref().map_or("none".to_string(), one_line)),
        format!("- Agent: {}", one_line(&o.agent)),
        format!("- Attempts: {}", o.attempts),
        format!("- Duration: {}", human_duration(o.duration)),
        String::new(),
    ];
    if o.criteria.is_empty() {
        lines.push("No criteria were checked.".to_string());
    } else {
        lines.push("| Criterion | Result | Detail |".to_string());
        lines.push("| --- | --- | --- |".to_string());
        for c in &o.criteria {
            let verdict = match c.verdict {
                Verdict::Passed => "passed",
                Verdict::Failed => "failed",
                Verdict::Skipped => "skipped",
            };
            lines.push(format!("| {} | {verdict} | {} |", cell(&c.name), cell(c.detail.as_deref().unwrap_or(""))));
        }
    }
    lines.push(String::new());
    if o.artifacts.is_empty() {
        lines.push("Artifacts: none".to_string());
    } else {
        let links: Vec<String> = o.artifacts.iter().map(|a| format!("[{}]({})", one_line(&a.label), a.href.replace(' ', "%20"))).collect();
        lines.push(format!("Artifacts: {}", links.join(", ")));
    }
    lines
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn code(text: &str) -> String {
    let text = one_line(text);
    if text.contains('`') { text } else { format!("`{text}`") }
}

fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// `4m 12s`, `1h 2m 3s`, `0s`.
fn human_duration(duration: Duration) -> String {
    let total = duration.as_secs();
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m {s}s"),
    }
}

#[cfg(test)]
#[path = "outcomes_tests.rs"]
mod tests;
