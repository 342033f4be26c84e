//! The agents a project can choose from: the built-in ones (the `script`
//! agent and the command templates of Aider, Claude Code, Codex CLI and
//! Ollama through Aider) and the ones users define by command template.

use serde::{Deserialize, Serialize};

use super::template::{AgentError, CommandTemplate, Invocation, InvocationInput, SecretEnv};

/// How an agent works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgentKind {
    /// Runs the task's fenced `sh` blocks (see [`super::shell_blocks`]).
    Script,
    /// Runs a command-line agent from its template.
    Command {
        /// The command and what it needs.
        template: CommandTemplate,
    },
}

/// An agent as the project settings and the UI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Agent {
    /// What `agent:` lines, routing rules and the project default say, e.g.
    /// `claude-code`.
    pub name: String,
    /// For people, e.g. "Claude Code".
    pub label: String,
    /// Shipped with DevTeam (not editable) or defined by a user.
    pub builtin: bool,
    /// How it works: the `script` agent or a command template.
    pub kind: AgentKind,
}

/// The built-in agents' names, in the order the UI lists them.
pub const SCRIPT: &str = "script";
/// Aider with an OpenAI model.
pub const AIDER: &str = "aider";
/// Anthropic's Claude Code.
pub const CLAUDE_CODE: &str = "claude-code";
/// OpenAI's Codex CLI.
pub const CODEX: &str = "codex";
/// Aider talking to an Ollama server.
pub const OLLAMA: &str = "ollama";

fn argv(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// Aider's flags for one unattended run: the prompt from a file, every
/// question answered yes, no commits (DevTeam commits), no edits to
/// `.gitignore`, no update check, plain output, no analytics, and its
/// history files in `/tmp` so they never land in the worktree.
fn aider_argv(model_arg: &str) -> Vec<String> {
    argv(&[
        "aider",
        "--message-file",
        "{prompt_file}",
        "--yes-always",
        "--no-auto-commits",
        "--no-gitignore",
        "--no-check-update",
        "--no-pretty",
        "--analytics-disable",
        "--chat-history-file",
        "/tmp/aider.chat.history.md",
        "--input-history-file",
        "/tmp/aider.input.history",
        "--model",
        model_arg,
    ])
}

fn command(name: &str, label: &str, template: CommandTemplate) -> Agent {
    Agent { name: name.into(), label: label.into(), builtin: true, kind: AgentKind::Command { template } }
}

/// Every built-in agent; the names match [`crate::project::BUILTIN_AGENTS`].
///
/// Claude Code and Codex take the prompt as their last argument, after `--`
/// so a prompt starting with `-` is never read as a flag (`{prompt}`; a
/// prompt too long for one argument becomes a pointer to the prompt file).
/// Claude Code runs with `--dangerously-skip-permissions`: the hardened
/// container is its sandbox, and in `-p` mode nobody could answer a
/// permission question.
pub fn builtin_agents() -> Vec<Agent> {
    vec![
        Agent {
            name: SCRIPT.into(),
            label: "Script (the task's sh blocks)".into(),
            builtin: true,
            kind: AgentKind::Script,
        },
        command(
            AIDER,
            "Aider",
            CommandTemplate {
                argv: aider_argv("{model}"),
                secrets: vec![SecretEnv::required("OPENAI_API_KEY")],
                network: true,
                default_model: "gpt-4.1".into(),
            },
        ),
        command(
            CLAUDE_CODE,
            "Claude Code",
            CommandTemplate {
                argv: argv(&[
                    "claude",
                    "-p",
                    "--model",
                    "{model}",
                    "--output-format",
                    "text",
                    "--dangerously-skip-permissions",
                    "--",
                    "{prompt}",
                ]),
                secrets: vec![SecretEnv::required("ANTHROPIC_API_KEY")],
                network: true,
                default_model: "sonnet".into(),
            },
        ),
        command(
            CODEX,
            "Codex CLI",
            CommandTemplate {
                argv: argv(&[
                    "codex",
                    "exec",
                    "--full-auto",
                    "--skip-git-repo-check",
                    "--cd",
                    "{workdir}",
                    "--model",
                    "{model}",
                    "--",
                    "{prompt}",
                ]),
                secrets: vec![SecretEnv::required("OPENAI_API_KEY")],
                network: true,
                default_model: "gpt-5-codex".into(),
            },
        ),
        command(
            OLLAMA,
            "Ollama (through Aider)",
            CommandTemplate {
                argv: aider_argv("ollama_chat/{model}"),
                // Where the Ollama server answers, e.g. http://10.0.0.5:11434;
                // kept with the secrets so it is configured in one place.
                secrets: vec![SecretEnv::required("OLLAMA_API_BASE")],
                network: true,
                default_model: "qwen2.5-coder:7b".into(),
            },
        ),
    ]
}

impl Agent {
    /// A user's own command-template agent, checked: a lowercase name of
    /// letters, digits and `-` that no built-in agent has, and a valid template.
    pub fn custom(name: &str, label: &str, template: CommandTemplate) -> Result<Agent, AgentError> {
        let bad = |problem: &str| AgentError::BadTemplate { agent: name.into(), problem: problem.into() };
        let well_formed = !name.is_empty()
            && name.len() <= 40
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.starts_with('-');
        if !well_formed {
            return Err(bad("the name must be 1–40 lowercase letters, digits or `-`"));
        }
        if builtin_agents().iter().any(|a| a.name == name) {
            return Err(bad("a built-in agent already has this name"));
        }
        template.validate(name)?;
        let label = if label.trim().is_empty() { name } else { label.trim() };
        Ok(Agent { name: name.into(), label: label.into(), builtin: false, kind: AgentKind::Command { template } })
    }

    /// The command template, or `None` for `script`.
    pub fn template(&self) -> Option<&CommandTemplate> {
        match &self.kind {
            AgentKind::Script => None,
            AgentKind::Command { template } => Some(template),
        }
    }

    /// Whether the project's container needs a network for this agent.
    pub fn needs_network(&self) -> bool {
        self.template().is_some_and(|t| t.network)
    }

    /// The exact command for one attempt (see [`CommandTemplate::invocation`]);
    /// [`AgentError::NotACommand`] for `script`.
    pub fn invocation(&self, input: &InvocationInput<'_>) -> Result<Invocation, AgentError> {
        let template = self.template().ok_or_else(|| AgentError::NotACommand { agent: self.name.clone() })?;
        template.invocation(&self.name, input)
    }
}

/// The agent called `name`: a built-in one first, then the user's own.
pub fn find_agent(name: &str, custom: &[Agent]) -> Result<Agent, AgentError> {
    let name = name.trim();
    let builtins = builtin_agents();
    if let Some(a) = builtins.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
        return Ok(a.clone());
    }
    if let Some(a) = custom.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
        return Ok(a.clone());
    }
    let known: Vec<&str> = builtins.iter().chain(custom).map(|a| a.name.as_str()).collect();
    Err(AgentError::UnknownAgent { name: name.into(), known: known.join(", ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_agents_are_the_ones_projects_may_name_and_all_valid() {
        let names: Vec<String> = builtin_agents().into_iter().map(|a| a.name).collect();
        assert_eq!(names, crate::project::BUILTIN_AGENTS);
        for a in builtin_agents() {
            if let Some(t) = a.template() {
                t.validate(&a.name).unwrap();
                assert!(t.network, "{} calls an API", a.name);
            }
        }
    }

    #[test]
    fn a_custom_agent_cannot_take_a_builtin_name() {
        let t =
            CommandTemplate { argv: vec!["x".into()], secrets: vec![], network: false, default_model: String::new() };
        assert!(Agent::custom("aider", "", t.clone()).is_err());
        assert!(Agent::custom("Mine", "", t.clone()).is_err());
        let mine = Agent::custom("mine", "", t).unwrap();
        assert_eq!(find_agent("mine", &[mine.clone()]).unwrap(), mine);
        assert!(matches!(find_agent("nope", &[mine]), Err(AgentError::UnknownAgent { .. })));
    }
}
