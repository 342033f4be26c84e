//! What a task leaves in the repository: the prompt of every attempt, the
//! redacted log, the verification reports, the ticked task list and its
//! section in `task_outcomes.md`.

use std::path::{Path, PathBuf};

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::plan::WorkUnit;
use crate::store::TaskRun;
use crate::tasklist::outcomes::{append_section, ArtifactLink, CriterionResult, TaskOutcome, Verdict};
use crate::verify::{Outcome, VerifyReport};
use crate::tasklist::{self, Check, CriterionSpec, TaskId, TaskList};

/// A failed attempt, fed back to the agent on the next one.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AttemptRecord {
    pub attempt: u32,
    pub failure: String,
}

/// `artifacts/<id>/` beside the task list, so its links resolve.
pub(super) fn dir(worktree: &Path, tasklist_path: &str, id: &str) -> PathBuf {
    let list_dir = Path::new(tasklist_path).parent().unwrap_or(Path::new(""));
    worktree.join(list_dir).join("artifacts").join(id)
}

pub(super) fn write(dir: &Path, name: &str, contents: &str) -> EngineResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let path = dir.join(name);
    std::fs::write(&path, contents).map_err(|e| io_error(&path, e))
}

pub(super) fn write_report(dir: &Path, report: &crate::verify::VerifyReport) -> EngineResult<()> {
    let json = serde_json::to_string_pretty(report).map_err(|e| EngineError::internal(e.to_string()))?;
    write(dir, &format!("verify-{}.json", report.attempt), &json)?;
    write(dir, &format!("verify-{}.md", report.attempt), &report.to_markdown())
}

fn io_error(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::new(ErrorCode::Io, format!("cannot write {}: {e}", path.display()))
}

/// The prompt: the task, its body verbatim, where it sits, what it depends
/// on, its criteria, and on retries what failed and the diff so far.
pub(super) fn prompt(list: &TaskList, unit: &WorkUnit, deps: &[String], history: &[AttemptRecord], diff: &str) -> String {
    let mut p = format!("# Task {}: {}\n\n", unit.id, unit.title);
    if !unit.ancestors.is_empty() {
        let path: Vec<String> = unit.ancestors.iter().map(|a| format!("{} {}", a.id, a.title)).collect();
        p.push_str(&format!("Part of: {}\n\n", path.join(" › ")));
    }
    let body = TaskId::parse(&unit.id).ok().and_then(|id| list.find(&id)).map(|i| list.body_text(i)).unwrap_or_default();
    if !body.trim().is_empty() {
        p.push_str("## Task body (verbatim)\n\n");
        p.push_str(&body);
        p.push_str("\n\n");
    }
    if !deps.is_empty() {
        p.push_str("## Done before this task\n\n");
        for d in deps {
            p.push_str(&format!("- {d}\n"));
        }
        p.push('\n');
    }
    if !unit.criteria.is_empty() {
        p.push_str("## Acceptance criteria\n\n");
        for c in &unit.criteria {
            p.push_str(&format!("- {}\n", describe(&c.spec)));
        }
        p.push('\n');
    }
    p.push_str("## Constraints\n\n- Change only what the task needs; keep the project's style.\n- Do not edit the task list or task_outcomes.md: DevTeam does.\n");
    if let Some(last) = history.last() {
        for earlier in &history[..history.len() - 1] {
            p.push_str(&format!("\n## Earlier: attempt {} failed\n\n{}\n", earlier.attempt, earlier.failure));
        }
        p.push_str(&format!("\n## Attempt {} failed\n\n{}\n", last.attempt, last.failure));
        if !diff.trim().is_empty() {
            p.push_str(&format!("\n## Your changes so far\n\n```diff\n{diff}```\n\nMake the smallest patch that fixes the failure.\n"));
        }
    }
    p
}

/// Each dependency with what became of it: done (commit, attempts, pull
/// request) or done earlier (ticked in the file).
pub(super) fn dependency_outcomes(unit: &WorkUnit, rows: &[TaskRun]) -> Vec<String> {
    unit.deps
        .iter()
        .map(|d| match rows.iter().find(|r| r.task_id == d.id) {
            Some(r) => {
                let commit = r.commit_id.as_deref().map(|c| format!(", commit {}", &c[..c.len().min(10)])).unwrap_or_default();
                let pr = r.pr_url.as_deref().map(|u| format!(", {u}")).unwrap_or_default();
                format!("{} {} — {} by {} in {} attempt(s) on {}{commit}{pr}", d.id, d.title, r.status.as_str(), r.agent, r.attempts, r.branch)
            }
            None => format!("{} {} — done before DevTeam ran it (ticked in the file)", d.id, d.title),
        })
        .collect()
}

/// The failures of earlier attempts, from DevTeam's own notes in the task's
/// stored log (`attempt N failed: …` and the lines that follow it).
pub(super) fn failures_from_log(log: &[(String, String, String)]) -> Vec<AttemptRecord> {
    let mut out: Vec<AttemptRecord> = Vec::new();
    let mut open = false;
    for (_, stream, line) in log {
        if stream != "devteam" {
            open = false;
            continue;
        }
        let parsed = line.strip_prefix("attempt ").and_then(|rest| rest.split_once(" failed: ")).and_then(|(n, why)| Some((n.parse().ok()?, why)));
        match parsed {
            Some((attempt, why)) => {
                out.retain(|r| r.attempt != attempt);
                out.push(AttemptRecord { attempt, failure: why.to_string() });
                open = true;
            }
            None if open && !line.starts_with("agent: ") && !line.starts_with("pull request ") => {
                if let Some(last) = out.last_mut() {
                    last.failure.push('\n');
                    last.failure.push_str(line);
                }
            }
            None => open = false,
        }
    }
    out
}

/// A criterion in words, for the agent.
fn describe(spec: &CriterionSpec) -> String {
    match spec {
        CriterionSpec::Prose { text, .. } => text.clone(),
        CriterionSpec::Check { check, .. } => match check {
            Check::Cmd { run } => format!("`{run}` exits with status 0"),
            Check::Regex { path, pattern } => format!("{path} matches /{pattern}/"),
            Check::File { path } => format!("{path} exists"),
            Check::Http { url, status, p95_ms } => {
                let mut s = format!("{url} answers {}", status.unwrap_or(200));
                if let Some(ms) = p95_ms {
                    s.push_str(&format!(" with p95 ≤ {ms} ms"));
                }
                s
            }
        },
    }
}

/// The stored log as text, one `[step stream] line` a line.
pub(crate) fn render_log(log: &[(String, String, String)]) -> String {
    log.iter().map(|(step, stream, line)| format!("[{step} {stream}] {line}\n")).collect()
}

/// The task list and the outcomes file of one worktree.
pub(super) struct TaskFiles<'a> {
    pub worktree: &'a Path,
    pub tasklist_path: &'a str,
}

impl TaskFiles<'_> {
    /// Ticks the task (with a link to its artifacts) and appends its outcome
    /// section; both idempotent, so a resumed MERGE changes nothing twice.
    /// Pull requests opened for earlier tasks (`rows`) get their links into
    /// those tasks' sections; `pr_mode` says this task's own comes later.
    pub fn tick_and_record(&self, unit: &WorkUnit, row: &TaskRun, report: Option<&VerifyReport>, rows: &[TaskRun], pr_mode: bool) -> EngineResult<()> {
        let list_path = self.worktree.join(self.tasklist_path);
        let bytes = std::fs::read(&list_path).map_err(|e| io_error(&list_path, e))?;
        let list = tasklist::parse(&bytes, self.tasklist_path);
        let id = TaskId::parse(&unit.id).map_err(|e| EngineError::internal(e.to_string()))?;
        let link = format!("artifacts/{}/", unit.id);
        let marked = list.mark_done(&id, Some(&link)).map_err(|e| EngineError::new(ErrorCode::Validation, e.to_string()))?;
        std::fs::write(&list_path, &marked.text).map_err(|e| io_error(&list_path, e))?;

        let outcomes_path = list_path.with_file_name("task_outcomes.md");
        let mut existing = std::fs::read_to_string(&outcomes_path).unwrap_or_default();
        for (id, url) in rows.iter().filter_map(|r| Some((&r.task_id, r.pr_url.as_deref()?))) {
            if let Some(filled) = crate::tasklist::outcomes::record_pull_request(&existing, id, url) {
                existing = filled;
                std::fs::write(&outcomes_path, &existing).map_err(|e| io_error(&outcomes_path, e))?;
            }
        }
        let heading = format!("Task {}:", unit.id);
        if existing.lines().any(|l| l.trim_start_matches('#').trim_start().starts_with(&heading)) {
            return Ok(());
        }
        let started = time::OffsetDateTime::parse(&row.started_at, &time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
        let now = time::OffsetDateTime::now_utc();
        let outcome = TaskOutcome {
            id: unit.id.clone(),
            title: unit.title.clone(),
            branch: row.branch.clone(),
            commit: format!("the commit `Task {}: {}`", unit.id, unit.title),
            pull_request: pr_mode.then(|| format!("opened for `{}` after this commit (its link joins this file with the next task)", row.branch)),
            agent: row.agent.clone(),
            attempts: row.attempts,
            duration: (now - started).try_into().unwrap_or_default(),
            criteria: report.map(criteria_results).unwrap_or_default(),
            artifacts: vec![ArtifactLink { label: "artifacts".into(), href: link }],
            finished_at: now,
        };
        let text = append_section(&existing, &outcome);
        std::fs::write(&outcomes_path, text).map_err(|e| io_error(&outcomes_path, e))
    }
}

/// The last verification, as the outcome section lists it.
fn criteria_results(report: &VerifyReport) -> Vec<CriterionResult> {
    report
        .results
        .iter()
        .map(|r| {
            let (verdict, detail) = match &r.outcome {
                Outcome::Passed => (Verdict::Passed, None),
                Outcome::Failed { reason } => (Verdict::Failed, Some(reason.clone())),
                Outcome::Goal => (Verdict::Skipped, Some("goal, covered by the default checks".to_string())),
                Outcome::NotAllowed { reason, .. } => (Verdict::Failed, Some(reason.clone())),
            };
            CriterionResult { name: r.name.clone(), verdict, detail }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(stream: &str, text: &str) -> (String, String, String) {
        ("verify".into(), stream.into(), text.into())
    }

    #[test]
    fn earlier_failures_are_read_back_from_the_notes() {
        let log = [
            line("stdout", "building"),
            line("devteam", "agent: aider (project default)"),
            line("devteam", "attempt 1 failed: tests failed:"),
            line("devteam", "  add 2 3 is not 5"),
            line("stdout", "retrying"),
            line("devteam", "attempt 2 failed: sh block 1 of 1: exit status 2"),
        ];
        let history = failures_from_log(&log);
        assert_eq!(
            history,
            [
                AttemptRecord { attempt: 1, failure: "tests failed:\n  add 2 3 is not 5".into() },
                AttemptRecord { attempt: 2, failure: "sh block 1 of 1: exit status 2".into() },
            ]
        );
    }
}
