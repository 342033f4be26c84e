//! The pull request's text: the task, each criterion with its evidence, the
//! artifacts, the agent, attempts and durations, so a reviewer needs nothing
//! else. Plain input in, Markdown out.

use std::fmt::Write;

/// One acceptance criterion as verified.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionEvidence {
    pub criterion: String,
    pub passed: bool,
    /// What showed it (command and exit code, file found, …); one line is
    /// kept, at most 300 characters.
    pub evidence: String,
}

/// How long one step took.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDuration {
    /// `implement`, `verify`, …
    pub step: String,
    pub seconds: f64,
}

/// Everything the body shows; the run engine fills it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrBodyInput {
    pub task_id: String,
    pub task_title: String,
    /// Where the task sits: its phase and parent tasks, outermost first.
    pub part_of: Vec<String>,
    /// The task's body in the task list, verbatim (its steps, notes, code).
    pub task_body: String,
    pub agent: String,
    /// Implementation attempts spent (1 when the first one passed).
    pub attempts: u32,
    pub criteria: Vec<CriterionEvidence>,
    /// The task's artifacts folder in the repository
    /// (`ai_docs/tasks/artifacts/1.2/`, beside the task list).
    pub artifacts_dir: String,
    /// File names in it.
    pub artifacts: Vec<String>,
    /// Where the branch's files are shown (`GithubRepo::blob_url`); without
    /// it, links are relative paths.
    pub files_url: Option<String>,
    pub durations: Vec<StepDuration>,
}

/// GitHub refuses bodies over 65,536 characters; stay well under.
const MAX_BODY_CHARS: usize = 60_000;
const MAX_EVIDENCE_CHARS: usize = 300;

/// `Task <id>: <title>`, the same words as the task's commit.
pub fn pull_request_title(task_id: &str, task_title: &str) -> String {
    format!("Task {task_id}: {}", task_title.trim())
}

/// The body's Markdown.
pub fn pull_request_body(input: &PrBodyInput) -> String {
    let mut out = String::new();
    let passed = input.criteria.iter().filter(|c| c.passed).count();
    let _ = writeln!(out, "<!-- devteam-task: {} -->", input.task_id);
    let _ = writeln!(out, "## Task {}: {}\n", input.task_id, input.task_title.trim());
    if !input.part_of.is_empty() {
        let _ = writeln!(out, "Part of: {}\n", input.part_of.join(" › "));
    }
    let _ = writeln!(
        out,
        "Implemented by **{}** in {} attempt{}; {passed} of {} criteria pass.\n",
        input.agent,
        input.attempts,
        if input.attempts == 1 { "" } else { "s" },
        input.criteria.len()
    );
    if !input.task_body.trim().is_empty() {
        // A fence longer than any run of backticks in the body holds it whole.
        let fence = "`".repeat(longest_backtick_run(&input.task_body).max(2) + 1);
        let _ = writeln!(out, "<details><summary>The task as written</summary>\n\n{fence}markdown\n{}\n{fence}\n\n</details>\n", input.task_body.trim_end());
    }
    if !input.criteria.is_empty() {
        out.push_str("### Acceptance criteria\n\n");
        for c in &input.criteria {
            let mark = if c.passed { "✅ pass" } else { "❌ fail" };
            let _ = writeln!(out, "- {mark} — {}", one_line(&c.criterion, MAX_EVIDENCE_CHARS));
            if !c.evidence.trim().is_empty() {
                let _ = writeln!(out, "  - evidence: {}", one_line(&c.evidence, MAX_EVIDENCE_CHARS));
            }
        }
        out.push('\n');
    }
    let dir = format!("{}/", input.artifacts_dir.trim_end_matches('/'));
    out.push_str("### Artifacts\n\n");
    let _ = writeln!(out, "- [{dir}]({})", link(input, &dir));
    for file in &input.artifacts {
        let path = format!("{dir}{file}");
        let _ = writeln!(out, "  - [{file}]({})", link(input, &path));
    }
    out.push('\n');
    if !input.durations.is_empty() {
        out.push_str("### Time\n\n| step | duration |\n|---|---|\n");
        for d in &input.durations {
            let _ = writeln!(out, "| {} | {} |", d.step.replace('|', "/"), duration(d.seconds));
        }
        let total: f64 = input.durations.iter().map(|d| d.seconds).sum();
        let _ = writeln!(out, "| **total** | **{}** |\n", duration(total));
    }
    out.push_str("_Opened by DevTeam._\n");
    if out.chars().count() > MAX_BODY_CHARS {
        out = out.chars().take(MAX_BODY_CHARS).collect();
        out.push_str("\n\n_(cut: the full report is in the artifacts)_\n");
    }
    out
}

fn link(input: &PrBodyInput, path: &str) -> String {
    let path = path.replace(' ', "%20");
    match &input.files_url {
        Some(base) => format!("{}/{path}", base.trim_end_matches('/')),
        None => path,
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Whitespace collapsed to single spaces, cut at `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let mut cut: String = joined.chars().take(max).collect();
    cut.push('…');
    cut
}

/// `42 s`, `3 min 05 s`, `1 h 02 min`.
fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0);
    if s < 60.0 {
        return format!("{s:.0} s");
    }
    let total = s.round() as u64;
    if total < 3600 {
        format!("{} min {:02} s", total / 60, total % 60)
    } else {
        format!("{} h {:02} min", total / 3600, (total % 3600) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PrBodyInput {
        PrBodyInput {
            task_id: "1.2".into(),
            task_title: "Add login".into(),
            part_of: vec!["Phase 1: Accounts".into(), "1 Sign-in".into()],
            task_body: "  Use the session store.\n  ```sh\n  cargo test login\n  ```\n".into(),
            agent: "claude-code".into(),
            attempts: 2,
            criteria: vec![
                CriterionEvidence {
                    criterion: "`cargo test` passes".into(),
                    passed: true,
                    evidence: "exit 0\n12 tests".into(),
                },
                CriterionEvidence {
                    criterion: "README mentions login".into(),
                    passed: false,
                    evidence: "x".repeat(400),
                },
            ],
            artifacts_dir: "ai_docs/tasks/artifacts/1.2".into(),
            artifacts: vec!["verify.json".into(), "agent log.txt".into()],
            files_url: Some("https://github.com/acme/crm/blob/task/1.2-add-login".into()),
            durations: vec![
                StepDuration { step: "implement".into(), seconds: 185.0 },
                StepDuration { step: "verify".into(), seconds: 42.4 },
            ],
        }
    }

    #[test]
    fn the_body_carries_the_evidence_a_reviewer_needs() {
        let body = pull_request_body(&input());
        assert!(body.starts_with("<!-- devteam-task: 1.2 -->\n## Task 1.2: Add login"), "{body}");
        assert!(body.contains("**claude-code** in 2 attempts; 1 of 2 criteria pass"), "{body}");
        assert!(body.contains("- ✅ pass — `cargo test` passes\n  - evidence: exit 0 12 tests"), "{body}");
        assert!(body.contains("- ❌ fail — README mentions login"), "{body}");
        assert!(body.contains(&format!("evidence: {}…", "x".repeat(300))), "long evidence is cut");
        assert!(body.contains(
            "[agent log.txt](https://github.com/acme/crm/blob/task/1.2-add-login/ai_docs/tasks/artifacts/1.2/agent%20log.txt)"
        ));
        assert!(body.contains("Part of: Phase 1: Accounts › 1 Sign-in\n"), "{body}");
        assert!(body.contains("````markdown\n  Use the session store.\n  ```sh\n  cargo test login\n  ```\n````"), "the body whole, in a longer fence: {body}");
        assert!(body.contains("| implement | 3 min 05 s |") && body.contains("| verify | 42 s |"), "{body}");
        assert!(body.contains("| **total** | **3 min 47 s** |"), "{body}");
        assert_eq!(pull_request_title("1.2", " Add login "), "Task 1.2: Add login");
    }

    #[test]
    fn without_a_files_url_links_are_relative() {
        let body = pull_request_body(&PrBodyInput { files_url: None, ..input() });
        assert!(body.contains("- [ai_docs/tasks/artifacts/1.2/](ai_docs/tasks/artifacts/1.2/)"), "{body}");
    }
}
