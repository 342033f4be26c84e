//! Agents: commands run in the project's container to do a task. Built in:
//! `script` (runs the task's fenced `sh` blocks) and command-template agents
//! (Aider, Claude Code, Codex CLI, Ollama through Aider), plus the user's own
//! templates; routing picks one per task; fakes stand in for the real CLIs
//! in the test image.
//!
//! How the run engine uses it, per attempt:
//! 1. [`route`] the task (its `agent:` line, the project's rules, the
//!    default) and [`find_agent`] the chosen name;
//! 2. `script` → [`shell_blocks`]; otherwise [`Agent::invocation`] with the
//!    prompt file's path inside the container, its text, the model and the
//!    project's secrets; an [`AgentError`] (a missing secret above all) goes
//!    to HUMAN_REVIEW;
//! 3. register every `(name, value)` of [`Invocation::env`] with the
//!    redactor, then run [`Invocation::exec_spec`] in a container whose
//!    network matches [`Invocation::network`].

pub mod catalog;
pub mod fakes;
pub mod routing;
pub mod script_blocks;
pub mod template;

pub use catalog::{builtin_agents, find_agent, Agent, AgentKind};
pub use routing::{default_rules, route, RouteDecision, RouteSource, RoutingRule};
pub use script_blocks::shell_blocks;
pub use template::{AgentError, CommandTemplate, Invocation, InvocationInput, SecretEnv, MAX_INLINE_PROMPT};
