//! How a project's tasks run, as its owner set it: attempts, container
//! limits, time limits, gates, checks, merge mode and agent routing. Stored
//! with the project; every field has the default DESIGN.md names, so a
//! project saved before a field existed reads as if it had the default.

use serde::{Deserialize, Serialize};

use crate::agents::{default_rules, RoutingRule};
use crate::error::FieldError;
use crate::run::{MergeMode, DEFAULT_RISKY_KEYWORDS};

use super::BUILTIN_AGENTS;

/// The programs a task's criteria may run when the project names none.
pub const DEFAULT_ALLOWLIST: &[&str] =
    &["sh", "test", "grep", "cat", "ls", "make", "cargo", "npm", "node", "python3", "pytest", "go"];

/// A project's own check, run for every task besides the task's criteria
/// (its build or test command). Written by the project's owner, so the
/// allowlist does not apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProjectCheck {
    /// Shown in the verification report: `build`, `test`.
    pub name: String,
    /// Run with `sh -c` in the container, in the worktree.
    pub run: String,
}

/// How a project's tasks run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RunPolicy {
    /// Attempts per task (the first and the error-solving ones) before
    /// HUMAN_REVIEW: 1 to 10.
    pub max_attempts: u32,
    /// Ready tasks run at once, each in its own worktree and container
    /// (1 to 8; more than 1 needs the dependency order). Their commits,
    /// task-list edits and pushes still happen one at a time.
    pub parallel_tasks: u32,
    /// The container's memory limit in MiB: 256 to 65,536.
    pub memory_mb: u32,
    /// CPUs the container may use: 0.25 to 64.
    pub cpus: f64,
    /// Processes the container may hold: 64 to 32,768.
    pub pids: u32,
    /// An agent run or a check is stopped after this many minutes: 1 to 1,440.
    pub wall_clock_minutes: u32,
    /// ...or after this many minutes without a line of output: 1 to 240.
    pub inactivity_minutes: u32,
    /// How a finished task reaches the base branch.
    pub merge_mode: MergeMode,
    /// Pull requests are opened as drafts.
    pub pr_draft: bool,
    /// Labels put on each pull request.
    pub pr_labels: Vec<String>,
    /// Programs a task's criteria may run.
    pub allowlist: Vec<String>,
    /// Words that make a task wait for a person's approval before IMPLEMENT.
    pub risky_keywords: Vec<String>,
    /// Checks run for every task, after its criteria.
    pub checks: Vec<ProjectCheck>,
    /// Keyword rules choosing a task's agent, first match wins (a task's
    /// own `agent:` line comes first; the default agent last).
    pub routing_rules: Vec<RoutingRule>,
    /// The model the command-template agents are given (`{model}`); none
    /// leaves each agent's own default.
    pub model: Option<String>,
    /// Who DevTeam's commits are by (author and committer).
    pub author_name: String,
    pub author_email: String,
    /// The GitHub account whose token pushes and opens pull requests
    /// (`github:HOST:ACCOUNT` in the keychain); none: the host's only one.
    pub github_account: Option<String>,
}

impl Default for RunPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            parallel_tasks: 1,
            memory_mb: 2048,
            cpus: 1.0,
            pids: 512,
            wall_clock_minutes: 30,
            inactivity_minutes: 5,
            merge_mode: MergeMode::Pr,
            pr_draft: false,
            pr_labels: Vec::new(),
            allowlist: DEFAULT_ALLOWLIST.iter().map(|p| p.to_string()).collect(),
            risky_keywords: DEFAULT_RISKY_KEYWORDS.iter().map(|k| k.to_string()).collect(),
            checks: Vec::new(),
            routing_rules: default_rules(),
            model: None,
            author_name: "DevTeam".into(),
            author_email: "devteam@localhost".into(),
            github_account: None,
        }
    }
}

impl RunPolicy {
    /// The policy with blanks trimmed and empty list entries dropped, or an
    /// error per bad field (`run.<field>`, `run.checks[2].run`, ...).
    pub(super) fn cleaned(&self) -> Result<Self, Vec<FieldError>> {
        let mut clean = self.clone();
        let trim_all = |list: &mut Vec<String>| {
            *list = list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        };
        trim_all(&mut clean.pr_labels);
        trim_all(&mut clean.allowlist);
        trim_all(&mut clean.risky_keywords);
        clean.risky_keywords.iter_mut().for_each(|k| *k = k.to_lowercase());
        for check in &mut clean.checks {
            check.name = check.name.trim().to_string();
            check.run = check.run.trim().to_string();
        }
        for rule in &mut clean.routing_rules {
            rule.keyword = rule.keyword.trim().to_lowercase();
            rule.agent = rule.agent.trim().to_string();
        }
        clean.model = clean.model.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(String::from);
        clean.author_name = clean.author_name.trim().to_string();
        clean.author_email = clean.author_email.trim().to_string();
        clean.github_account = clean.github_account.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(String::from);

        let mut errors = Vec::new();
        let mut check = |field: String, result: Result<(), String>| {
            if let Err(message) = result {
                errors.push(FieldError { field: format!("run.{field}"), message });
            }
        };
        check("max_attempts".into(), within("attempts", clean.max_attempts, 1, 10));
        check("parallel_tasks".into(), within("tasks at once", clean.parallel_tasks, 1, 8));
        check("memory_mb".into(), within("memory (MiB)", clean.memory_mb, 256, 65_536));
        check("pids".into(), within("processes", clean.pids, 64, 32_768));
        check("wall_clock_minutes".into(), within("time limit (minutes)", clean.wall_clock_minutes, 1, 1440));
        check("inactivity_minutes".into(), within("silence limit (minutes)", clean.inactivity_minutes, 1, 240));
        check(
            "cpus".into(),
            if clean.cpus.is_finite() && (0.25..=64.0).contains(&clean.cpus) {
                Ok(())
            } else {
                Err(format!("CPUs must be between 0.25 and 64 (got {})", clean.cpus))
            },
        );
        if clean.inactivity_minutes > clean.wall_clock_minutes {
            check("inactivity_minutes".into(), Err("the silence limit cannot be longer than the time limit".into()));
        }
        for (i, label) in clean.pr_labels.iter().enumerate() {
            check(format!("pr_labels[{i}]"), one_line("label", label, 50));
        }
        for (i, program) in clean.allowlist.iter().enumerate() {
            let plain = !program.is_empty() && program.chars().all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c));
            check(
                format!("allowlist[{i}]"),
                if plain { Ok(()) } else { Err(format!("`{program}` is not a program name (no spaces, paths or quotes)")) },
            );
        }
        for (i, word) in clean.risky_keywords.iter().enumerate() {
            check(format!("risky_keywords[{i}]"), one_line("keyword", word, 50));
        }
        let mut names = std::collections::HashSet::new();
        for (i, c) in clean.checks.iter().enumerate() {
            check(format!("checks[{i}].name"), one_line("check name", &c.name, 40));
            if !c.name.is_empty() && !names.insert(c.name.clone()) {
                check(format!("checks[{i}].name"), Err(format!("two checks are called `{}`", c.name)));
            }
            let run = if c.run.is_empty() { Err("enter the command the check runs".to_string()) } else { Ok(()) };
            check(format!("checks[{i}].run"), run);
        }
        for (i, rule) in clean.routing_rules.iter().enumerate() {
            check(format!("routing_rules[{i}].keyword"), one_line("keyword", &rule.keyword, 50));
            let known = BUILTIN_AGENTS.contains(&rule.agent.as_str());
            check(
                format!("routing_rules[{i}].agent"),
                if known { Ok(()) } else { Err(format!("unknown agent `{}`: choose one of {}", rule.agent, BUILTIN_AGENTS.join(", "))) },
            );
        }
        if let Some(model) = &clean.model {
            let plain = !model.chars().any(|c| c.is_whitespace() || c.is_control());
            check("model".into(), if plain { Ok(()) } else { Err(format!("`{model}` is not a model name (no spaces)")) });
        }
        check("author_name".into(), one_line("commit author's name", &clean.author_name, 100));
        check("author_email".into(), email(&clean.author_email));
        if let Some(account) = &clean.github_account {
            let plain = account.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
            check(
                "github_account".into(),
                if plain { Ok(()) } else { Err(format!("`{account}` is not a GitHub account name (letters, digits, - _ .)")) },
            );
        }
        if errors.is_empty() {
            Ok(clean)
        } else {
            Err(errors)
        }
    }

    /// The container's memory limit in bytes.
    pub fn memory_bytes(&self) -> i64 {
        i64::from(self.memory_mb) * 1024 * 1024
    }
}

fn within(what: &str, value: u32, low: u32, high: u32) -> Result<(), String> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(format!("{what} must be between {low} and {high} (got {value})"))
    }
}

/// An address git accepts in a commit: `local@domain`, no spaces or `<>`.
fn email(value: &str) -> Result<(), String> {
    one_line("commit author's email", value, 254)?;
    let plain = !value.chars().any(|c| c.is_whitespace() || c == '<' || c == '>');
    match value.split_once('@') {
        Some((local, domain)) if plain && !local.is_empty() && !domain.is_empty() => Ok(()),
        _ => Err(format!("`{value}` is not an email address (name@example.com)")),
    }
}

fn one_line(what: &str, value: &str, max: usize) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("enter a {what}"));
    }
    if value.chars().count() > max {
        return Err(format!("the {what} is longer than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("the {what} contains a control character"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(policy: &RunPolicy) -> Vec<String> {
        policy.cleaned().err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn the_defaults_are_valid_and_read_from_an_empty_object() {
        assert_eq!(RunPolicy::default().cleaned().unwrap(), RunPolicy::default());
        let read: RunPolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(read, RunPolicy::default());
        let partial: RunPolicy = serde_json::from_str(r#"{"max_attempts": 5}"#).unwrap();
        assert_eq!(partial.max_attempts, 5);
        assert_eq!(partial.memory_mb, 2048);
    }

    #[test]
    fn every_bad_field_is_named() {
        let policy = RunPolicy {
            max_attempts: 0,
            memory_mb: 10,
            cpus: f64::NAN,
            pids: 1,
            wall_clock_minutes: 0,
            inactivity_minutes: 3,
            allowlist: vec!["sh".into(), "rm -rf".into()],
            checks: vec![
                ProjectCheck { name: "test".into(), run: "make test".into() },
                ProjectCheck { name: "test".into(), run: " ".into() },
            ],
            routing_rules: vec![RoutingRule::new("refactor", "gpt-9")],
            model: Some("two words".into()),
            ..RunPolicy::default()
        };
        assert_eq!(
            fields(&policy),
            [
                "run.max_attempts",
                "run.memory_mb",
                "run.pids",
                "run.wall_clock_minutes",
                "run.cpus",
                "run.inactivity_minutes",
                "run.allowlist[1]",
                "run.checks[1].name",
                "run.checks[1].run",
                "run.routing_rules[0].agent",
                "run.model",
            ]
        );
    }

    #[test]
    fn blanks_are_trimmed_and_empty_entries_dropped() {
        let policy = RunPolicy {
            pr_labels: vec![" devteam ".into(), "".into()],
            risky_keywords: vec![" Deploy".into(), "  ".into()],
            routing_rules: vec![RoutingRule::new(" Add Test ", " aider")],
            model: Some("  ".into()),
            ..RunPolicy::default()
        };
        let clean = policy.cleaned().unwrap();
        assert_eq!(clean.pr_labels, ["devteam"]);
        assert_eq!(clean.risky_keywords, ["deploy"]);
        assert_eq!(clean.routing_rules, [RoutingRule::new("add test", "aider")]);
        assert_eq!(clean.model, None);
    }
}
