//! IMPLEMENT and ERROR_SOLVE: which agent does a task (and why), and running
//! it once in the project's container — the task's `sh` blocks for `script`,
//! a command template (Aider, Claude Code, Codex, Ollama, the user's own)
//! otherwise, with only the secrets it names, each registered for redaction.

use super::task::TaskWalk;
use super::{RunSettings, Step};
use crate::agents::{find_agent, route, shell_blocks, InvocationInput, RouteDecision};
use crate::error::EngineResult;
use crate::plan::WorkUnit;
use crate::runner::{ExecEnd, ExecSpec, WORKTREE_MOUNT};
use crate::store::TaskRun;
use crate::tasklist::TaskList;

/// How one agent run went.
pub(super) enum AgentRun {
    Finished,
    Failed(String),
    /// Not something another attempt fixes: a missing secret or program.
    NeedsPerson(String),
}

/// Picks the task's agent: its `agent:` line, the project's keyword rules,
/// or the project's default.
pub(super) fn choose(walk: &TaskWalk<'_>, unit: &WorkUnit, body: &str) -> RouteDecision {
    let settings = walk.settings;
    route(unit.agent.as_deref(), &unit.title, body, &settings.routing_rules, &settings.project.settings.default_agent)
}

/// Whether the project's containers need a network: some task still to do
/// in `list` goes to an agent that calls an API (Aider, Claude Code, Codex,
/// Ollama). Tasks for `script` alone (or an unknown agent, which a person
/// sees at IMPLEMENT) keep the containers offline.
pub(super) fn network_needed(settings: &RunSettings, list: &TaskList) -> bool {
    let default_agent = &settings.project.settings.default_agent;
    list.tasks().iter().enumerate().filter(|(_, t)| !t.marked_done && !t.retired && t.children.is_empty()).any(|(i, t)| {
        let decision = route(t.agent.as_deref(), &t.title, &list.body_text(i), &settings.routing_rules, default_agent);
        find_agent(&decision.agent, &settings.custom_agents).is_ok_and(|a| a.needs_network())
    })
}

impl TaskWalk<'_> {
    /// Runs the row's agent once; `prompt_file` is relative to the worktree.
    pub(super) async fn run_agent(&self, unit: &WorkUnit, row: &TaskRun, step: Step, prompt_file: &str, prompt: &str) -> EngineResult<AgentRun> {
        if row.agent == "script" {
            return self.run_script(unit, row, step).await;
        }
        let agent = match find_agent(&row.agent, &self.settings.custom_agents) {
            Ok(a) => a,
            Err(e) => return Ok(AgentRun::NeedsPerson(e.to_string())),
        };
        let container_prompt = format!("{WORKTREE_MOUNT}/{prompt_file}");
        let input = InvocationInput {
            prompt_file: &container_prompt,
            prompt,
            model: self.settings.model.as_deref(),
            workdir: WORKTREE_MOUNT,
            secrets: &self.settings.agent_env,
        };
        let invocation = match agent.invocation(&input) {
            Ok(i) => i,
            Err(e) => return Ok(AgentRun::NeedsPerson(e.to_string())),
        };
        for (name, value) in &invocation.env {
            self.ctx.redactor.register(name, value);
        }
        let mut spec = invocation.exec_spec(self.settings.limits);
        spec.env.extend(task_env(unit, row));
        let end = self.exec_logged(&spec, row, step).await?;
        Ok(match end {
            ExecEnd::Exited { code: 0 } => AgentRun::Finished,
            // 126/127: the shell's "cannot run" / "not found"; Docker's own
            // "executable file not found" ends the same way.
            ExecEnd::Exited { code: 126 | 127 } => AgentRun::NeedsPerson(format!(
                "the agent `{}` could not start: `{}` is not in the image {} (choose an image with it, or another agent)",
                row.agent,
                invocation.argv.first().map(String::as_str).unwrap_or(""),
                self.settings.image
            )),
            other => AgentRun::Failed(format!("the agent `{}` failed: {}", row.agent, other.describe())),
        })
    }

    /// Runs the task's `sh` blocks in order; the first failing block fails
    /// the attempt.
    async fn run_script(&self, unit: &WorkUnit, row: &TaskRun, step: Step) -> EngineResult<AgentRun> {
        let body = self.body(unit);
        let blocks = shell_blocks(&body);
        if blocks.is_empty() {
            return Ok(AgentRun::NeedsPerson("the task has no ```sh block for the script agent to run; choose another agent".into()));
        }
        for (n, block) in blocks.iter().enumerate() {
            let mut spec = ExecSpec::shell(block, self.settings.limits);
            spec.env = task_env(unit, row);
            spec.env.extend(self.settings.agent_env.iter().cloned());
            let end = self.exec_logged(&spec, row, step).await?;
            if !end.succeeded() {
                return Ok(AgentRun::Failed(format!("sh block {} of {}: {}", n + 1, blocks.len(), end.describe())));
            }
        }
        Ok(AgentRun::Finished)
    }
}

fn task_env(unit: &WorkUnit, row: &TaskRun) -> Vec<(String, String)> {
    vec![("DEVTEAM_TASK_ID".into(), unit.id.clone()), ("DEVTEAM_ATTEMPT".into(), row.attempts.to_string())]
}
