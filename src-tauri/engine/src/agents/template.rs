//! Command-template agents: an argv with placeholders, turned into one exact
//! command per attempt. Placeholders are replaced inside each argument on its
//! own and the command runs without a shell, so nothing in a prompt, a model
//! name or a path can ever become a second command or a second argument.

use serde::{Deserialize, Serialize};

use crate::runner::{ExecSpec, Limits};

/// Longest `{prompt}` argument passed inline. Linux refuses a single argument
/// over 128 KiB (`MAX_ARG_STRLEN`), so a longer prompt is replaced by a
/// sentence pointing the agent at the prompt file.
pub const MAX_INLINE_PROMPT: usize = 100 * 1024;

/// The placeholders a template may use, each replaced inside one argument.
pub const PLACEHOLDERS: &[&str] = &["prompt_file", "prompt", "model", "workdir"];

/// An environment variable an agent takes from the project's secrets (the OS
/// keychain); it reaches the container as environment and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SecretEnv {
    /// The variable's name, e.g. `ANTHROPIC_API_KEY`; also the secret's name.
    pub name: String,
    /// Whether the agent cannot work without it: a missing required secret
    /// stops the task for a person; a missing optional one is left out.
    pub required: bool,
}

impl SecretEnv {
    /// A secret the agent cannot work without.
    pub fn required(name: &str) -> Self {
        Self { name: name.into(), required: true }
    }

    /// A secret passed when present and skipped otherwise.
    pub fn optional(name: &str) -> Self {
        Self { name: name.into(), required: false }
    }
}

/// How to run a command-line coding agent non-interactively.
///
/// `argv` is the program and its arguments. Inside any argument:
/// - `{prompt_file}`: the prompt file's path inside the container;
/// - `{prompt}`: the prompt's text as the argument itself (for CLIs that take
///   the prompt on the command line, since there is no shell and no stdin);
///   a prompt over [`MAX_INLINE_PROMPT`] bytes is replaced by a sentence
///   asking the agent to read `{prompt_file}`;
/// - `{model}`: the model chosen for the project, or `default_model`;
/// - `{workdir}`: the worktree inside the container (`/work`);
/// - `{{` and `}}`: literal braces. Any other `{name}` is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CommandTemplate {
    /// Program first, e.g. `["aider", "--message-file", "{prompt_file}"]`.
    pub argv: Vec<String>,
    /// The secrets it takes as environment; no other secret reaches it.
    pub secrets: Vec<SecretEnv>,
    /// Whether it needs the network (an API); the container has none otherwise.
    pub network: bool,
    /// Model used when the project names none; empty when `{model}` is unused.
    pub default_model: String,
}

/// What one attempt gives a template.
#[derive(Debug, Clone, Copy)]
pub struct InvocationInput<'a> {
    /// Where the prompt file is inside the container, e.g.
    /// `/work/ai_docs/tasks/artifacts/1.2/prompt-1.md`.
    pub prompt_file: &'a str,
    /// The prompt's text, for `{prompt}`.
    pub prompt: &'a str,
    /// The project's model for this agent; `None` takes the template's default.
    pub model: Option<&'a str>,
    /// The worktree inside the container (normally `/work`).
    pub workdir: &'a str,
    /// Every secret known for the project, by name. Only those the template
    /// names are passed on.
    pub secrets: &'a [(String, String)],
}

/// One exact command for one attempt.
#[derive(Clone, PartialEq, Eq)]
pub struct Invocation {
    /// Program and arguments, placeholders replaced.
    pub argv: Vec<String>,
    /// Exactly the secrets the template names and the project has.
    pub env: Vec<(String, String)>,
    /// Names of the secrets in `env`: register their values with the
    /// redactor before the command runs.
    pub secret_names: Vec<String>,
    /// Working directory inside the container.
    pub workdir: String,
    /// Whether the container must have a network for this command.
    pub network: bool,
    /// The model that was substituted (empty when the template has none).
    pub model: String,
}

impl std::fmt::Debug for Invocation {
    /// Secret values never reach a debug print or a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invocation")
            .field("argv", &self.argv)
            .field("env", &self.secret_names.iter().map(|n| format!("{n}=…")).collect::<Vec<_>>())
            .field("workdir", &self.workdir)
            .field("network", &self.network)
            .field("model", &self.model)
            .finish()
    }
}

impl Invocation {
    /// The command for [`crate::runner::DockerRunner::exec`]; add task
    /// variables (task id, attempt) to its `env` as needed.
    pub fn exec_spec(&self, limits: Limits) -> ExecSpec {
        let mut spec = ExecSpec::new(self.argv.iter().cloned(), limits);
        spec.env = self.env.clone();
        spec.workdir = Some(self.workdir.clone());
        spec
    }
}

/// Why an agent cannot be run; every case needs a person (HUMAN_REVIEW).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentError {
    /// A required secret is not in the keychain.
    #[error("the agent `{agent}` needs the secret {secret}, which is not set: add {secret} to the OS keychain (DevTeam's secrets settings), then retry the task")]
    MissingSecret {
        /// The agent that needs it.
        agent: String,
        /// The secret's (and environment variable's) name.
        secret: String,
    },
    /// No built-in or user-defined agent has this name.
    #[error("no agent is named `{name}`: choose one of {known}")]
    UnknownAgent {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// The agent is `script`, which runs the task's `sh` blocks instead.
    #[error("the agent `{agent}` runs the task's sh blocks; it has no command template")]
    NotACommand {
        /// The agent's name (`script`).
        agent: String,
    },
    /// The template itself is wrong.
    #[error("the command template of `{agent}` is invalid: {problem}")]
    BadTemplate {
        /// The agent whose template it is.
        agent: String,
        /// What is wrong, in words.
        problem: String,
    },
    /// The template uses `{model}` but neither the project nor the template names one.
    #[error("the agent `{agent}` needs a model: set one in the project or in the agent's template")]
    NoModel {
        /// The agent without a model.
        agent: String,
    },
    /// The model name cannot be one (empty, a flag, whitespace or control characters).
    #[error("`{model}` is not a model name for `{agent}`")]
    BadModel {
        /// The agent it was meant for.
        agent: String,
        /// The refused model name.
        model: String,
    },
}

impl AgentError {
    /// The secret to put in the keychain, when that is what is missing.
    pub fn missing_secret(&self) -> Option<&str> {
        match self {
            AgentError::MissingSecret { secret, .. } => Some(secret),
            _ => None,
        }
    }
}

impl From<AgentError> for crate::error::EngineError {
    fn from(e: AgentError) -> Self {
        use crate::error::ErrorCode;
        let code = if e.missing_secret().is_some() { ErrorCode::Keychain } else { ErrorCode::Validation };
        crate::error::EngineError::new(code, e.to_string())
    }
}

/// Whether `name` can be an environment variable's name.
pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl CommandTemplate {
    /// Checks the template without running it: a program, known
    /// placeholders, valid and distinct secret names, a model when `{model}`
    /// is used. `agent` names it in the error.
    pub fn validate(&self, agent: &str) -> Result<(), AgentError> {
        let bad = |problem: String| AgentError::BadTemplate { agent: agent.into(), problem };
        match self.argv.first() {
            None => return Err(bad("it has no program".into())),
            Some(p) if p.trim().is_empty() => return Err(bad("its program is empty".into())),
            Some(p) if p.contains('{') => return Err(bad("the program itself cannot be a placeholder".into())),
            Some(_) => {}
        }
        for arg in &self.argv {
            expand(arg, &mut |_| Some(String::new())).map_err(|p| bad(format!("argument `{arg}`: {p}")))?;
        }
        for (i, s) in self.secrets.iter().enumerate() {
            if !is_env_name(&s.name) {
                return Err(bad(format!("`{}` is not an environment variable name", s.name)));
            }
            if self.secrets[..i].iter().any(|o| o.name == s.name) {
                return Err(bad(format!("the secret {} is listed twice", s.name)));
            }
        }
        if !self.default_model.is_empty() {
            check_model(agent, &self.default_model)?;
        }
        Ok(())
    }

    /// Whether an argument uses `{model}`.
    pub fn uses_model(&self) -> bool {
        self.argv.iter().any(|a| uses(a, "model"))
    }

    /// The exact command for one attempt: placeholders replaced argument by
    /// argument, the named secrets taken from `input.secrets`.
    pub fn invocation(&self, agent: &str, input: &InvocationInput<'_>) -> Result<Invocation, AgentError> {
        self.validate(agent)?;
        let model = if self.uses_model() {
            let model = input.model.map(str::trim).filter(|m| !m.is_empty()).unwrap_or(&self.default_model);
            if model.is_empty() {
                return Err(AgentError::NoModel { agent: agent.into() });
            }
            check_model(agent, model)?;
            model.to_string()
        } else {
            String::new()
        };

        let mut env = Vec::new();
        for need in &self.secrets {
            let value = input.secrets.iter().find(|(n, _)| *n == need.name).map(|(_, v)| v).filter(|v| !v.is_empty());
            match value {
                Some(v) => env.push((need.name.clone(), v.clone())),
                None if need.required => {
                    return Err(AgentError::MissingSecret { agent: agent.into(), secret: need.name.clone() })
                }
                None => {}
            }
        }

        let prompt = if input.prompt.len() > MAX_INLINE_PROMPT {
            format!(
                "Your task is in the file {} (too long to pass as an argument). Read that file and do what it says.",
                input.prompt_file
            )
        } else {
            input.prompt.to_string()
        };
        let mut value = |name: &str| -> Option<String> {
            Some(match name {
                "prompt_file" => input.prompt_file.to_string(),
                "prompt" => prompt.clone(),
                "model" => model.clone(),
                "workdir" => input.workdir.to_string(),
                _ => return None,
            })
        };
        let argv = self
            .argv
            .iter()
            .map(|a| expand(a, &mut value))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|problem| AgentError::BadTemplate { agent: agent.into(), problem })?;

        Ok(Invocation {
            argv,
            secret_names: env.iter().map(|(n, _)| n.clone()).collect(),
            env,
            workdir: input.workdir.to_string(),
            network: self.network,
            model,
        })
    }
}

fn check_model(agent: &str, model: &str) -> Result<(), AgentError> {
    let bad = model.is_empty() || model.starts_with('-') || model.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        return Err(AgentError::BadModel { agent: agent.into(), model: model.into() });
    }
    Ok(())
}

/// Whether `arg` uses the placeholder `name` (escaped braces excluded).
fn uses(arg: &str, name: &str) -> bool {
    let mut found = false;
    let _ = expand(arg, &mut |n| {
        found |= n == name;
        Some(String::new())
    });
    found
}

/// `arg` with each `{name}` replaced by `value(name)`, in one pass (a value
/// containing braces is never expanded again); `{{`/`}}` are literal braces.
fn expand(arg: &str, value: &mut dyn FnMut(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(arg.len());
    let mut rest = arg;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
            out.push_str(&tail[..1]);
            rest = after;
        } else if tail.starts_with('}') {
            return Err("a lone `}` (write `}}` for a literal brace)".into());
        } else {
            let Some(end) = tail.find('}') else {
                return Err("a `{` without its `}` (write `{{` for a literal brace)".into());
            };
            let name = &tail[1..end];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!("unknown placeholder `{{{name}}}` (known: {})", PLACEHOLDERS.join(", ")));
            }
            out.push_str(&value(name).ok_or_else(|| format!("no value for `{{{name}}}`"))?);
            rest = &tail[end + 1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(argv: &[&str]) -> CommandTemplate {
        CommandTemplate {
            argv: argv.iter().map(|s| s.to_string()).collect(),
            secrets: vec![SecretEnv::required("API_KEY"), SecretEnv::optional("EXTRA_KEY")],
            network: true,
            default_model: "m1".into(),
        }
    }

    fn input<'a>(prompt: &'a str, secrets: &'a [(String, String)]) -> InvocationInput<'a> {
        InvocationInput { prompt_file: "/work/p.md", prompt, model: None, workdir: "/work", secrets }
    }

    #[test]
    fn placeholders_are_replaced_inside_each_argument_once() {
        let secrets = [("API_KEY".to_string(), "k-123456".to_string())];
        let t = template(&["tool", "--file={prompt_file}", "{prompt}", "-m", "{model}", "{{literal}}", "{workdir}/x"]);
        let inv = t.invocation("t", &input("say {model}; rm -rf /", &secrets)).unwrap();
        // The prompt's own `{model}` stays as typed: substitution is one pass.
        assert_eq!(
            inv.argv,
            ["tool", "--file=/work/p.md", "say {model}; rm -rf /", "-m", "m1", "{literal}", "/work/x"]
        );
        assert_eq!(inv.env, [("API_KEY".to_string(), "k-123456".to_string())]);
        assert_eq!(inv.secret_names, ["API_KEY"]);
        assert!(!format!("{inv:?}").contains("k-123456"), "debug output hides secret values");
    }

    #[test]
    fn a_missing_required_secret_names_itself_and_the_keychain() {
        let err = template(&["tool"]).invocation("tool", &input("p", &[])).unwrap_err();
        assert_eq!(err.missing_secret(), Some("API_KEY"));
        assert!(err.to_string().contains("keychain"), "{err}");
    }

    #[test]
    fn unknown_or_unbalanced_placeholders_are_refused() {
        for argv in [&["x", "{prompt_path}"][..], &["x", "{model"], &["x", "model}"], &[], &["{prompt}"]] {
            assert!(matches!(template(argv).validate("x"), Err(AgentError::BadTemplate { .. })), "{argv:?}");
        }
    }

    #[test]
    fn a_prompt_too_long_for_one_argument_points_at_its_file() {
        let secrets = [("API_KEY".to_string(), "k-123456".to_string())];
        let long = "x".repeat(MAX_INLINE_PROMPT + 1);
        let inv = template(&["tool", "{prompt}"]).invocation("t", &input(&long, &secrets)).unwrap();
        assert!(inv.argv[1].contains("/work/p.md") && inv.argv[1].len() < 200, "{}", inv.argv[1]);
    }

    #[test]
    fn a_model_that_looks_like_a_flag_is_refused() {
        let secrets = [("API_KEY".to_string(), "k-123456".to_string())];
        let t = template(&["tool", "--model", "{model}"]);
        let mut i = input("p", &secrets);
        i.model = Some("--exec=sh");
        assert!(matches!(t.invocation("t", &i), Err(AgentError::BadModel { .. })));
    }
}
