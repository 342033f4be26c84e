//! Which agent does a task: the task's own `agent:` line, else the first of
//! the project's keyword rules that matches, else the project default. The
//! decision carries its reason so the dashboard can say why.

use serde::{Deserialize, Serialize};

/// "When a task mentions `keyword`, give it to `agent`."
///
/// The keyword is a word or a phrase, matched case-insensitively against
/// whole words of the task's title or body. Words are runs of letters and
/// digits, so `multi-file` also matches "multi file" and "Multi-File", and
/// the phrase's last word may take a plural `s` ("add test" matches "Add
/// tests"); "refactor" does not match "refactoring".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RoutingRule {
    /// A word or phrase, e.g. `refactor` or `add test`.
    pub keyword: String,
    /// The agent's name, e.g. `claude-code`.
    pub agent: String,
}

impl RoutingRule {
    /// A rule from its keyword and agent.
    pub fn new(keyword: &str, agent: &str) -> Self {
        Self { keyword: keyword.into(), agent: agent.into() }
    }

    /// Whether the keyword matches `text` (see the type's documentation).
    pub fn matches(&self, text: &str) -> bool {
        contains(&words(text), &words(&self.keyword))
    }
}

/// How a decision was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RouteSource {
    /// The task's `agent:` line.
    Task,
    /// A keyword rule of the project.
    Keyword,
    /// The project's default agent.
    ProjectDefault,
}

/// The agent chosen for a task, and why, in words for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RouteDecision {
    /// The chosen agent's name (not yet checked to exist).
    pub agent: String,
    /// e.g. `the task names agent: aider`, `keyword "refactor" → claude-code`,
    /// `project default`.
    pub reason: String,
    /// Which of the three ways chose it.
    pub source: RouteSource,
}

/// The rules DESIGN.md names: broad changes to Claude Code, narrow ones to
/// Aider, generated code to Ollama.
pub fn default_rules() -> Vec<RoutingRule> {
    [
        ("refactor", "claude-code"),
        ("multi-file", "claude-code"),
        ("add test", "aider"),
        ("one file", "aider"),
        ("scaffold", "ollama"),
        ("boilerplate", "ollama"),
    ]
    .map(|(k, a)| RoutingRule::new(k, a))
    .to_vec()
}

/// Chooses the agent for a task. The task's `agent:` wins; otherwise the
/// first rule (in the project's order) whose keyword is in the title or the
/// body; otherwise `default_agent`. It does not check that the agent exists:
/// the caller looks it up and sends an unknown one to a person.
pub fn route(
    task_agent: Option<&str>,
    title: &str,
    body: &str,
    rules: &[RoutingRule],
    default_agent: &str,
) -> RouteDecision {
    if let Some(agent) = task_agent.map(str::trim).filter(|a| !a.is_empty()) {
        return RouteDecision {
            agent: agent.to_string(),
            reason: format!("the task names agent: {agent}"),
            source: RouteSource::Task,
        };
    }
    let (title, body) = (words(title), words(body));
    for rule in rules {
        let phrase = words(&rule.keyword);
        if rule.agent.trim().is_empty() {
            continue;
        }
        if contains(&title, &phrase) || contains(&body, &phrase) {
            return RouteDecision {
                agent: rule.agent.trim().to_string(),
                reason: format!("keyword \"{}\" → {}", rule.keyword.trim(), rule.agent.trim()),
                source: RouteSource::Keyword,
            };
        }
    }
    RouteDecision {
        agent: default_agent.to_string(),
        reason: "project default".into(),
        source: RouteSource::ProjectDefault,
    }
}

/// Whether the word sequence `phrase` occurs in `text`, its last word
/// possibly plural.
fn contains(text: &[String], phrase: &[String]) -> bool {
    let Some((last, head)) = phrase.split_last() else {
        return false;
    };
    text.windows(phrase.len()).any(|w| {
        let (w_last, w_head) = (&w[w.len() - 1], &w[..w.len() - 1]);
        w_head == head && (w_last == last || w_last.strip_suffix('s') == Some(last.as_str()))
    })
}

/// The lowercase words of `text`: maximal runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}
