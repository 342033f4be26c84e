//! What one run of a project needs to know beyond the project's form.

use std::time::Duration;

use crate::agents::{Agent, RoutingRule};
use crate::github::{GithubClient, GithubRepo};
use crate::plan::StopPoint;
use crate::project::Project;
use crate::repo::{Author, GitCredentials};
use crate::runner::Limits;
use crate::verify::DefaultCheck;

/// How a finished task reaches the base branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MergeMode {
    /// Push the task branch for a pull request; stack on the previous task's
    /// branch while that one is not merged.
    #[default]
    Pr,
    /// Fast-forward the base branch and push it.
    Direct,
}

#[derive(Debug, Clone)]
pub struct RunSettings {
    pub project: Project,
    /// Image the project's container runs.
    pub image: String,
    pub limits: Limits,
    /// Attempts per task before HUMAN_REVIEW (the first one included).
    pub max_attempts: u32,
    /// Tasks run at once, each in a lane (worktree and container) of its own.
    pub parallel_tasks: u32,
    pub author: Author,
    pub credentials: GitCredentials,
    pub merge_mode: MergeMode,
    pub stops: Vec<StopPoint>,
    pub default_checks: Vec<DefaultCheck>,
    /// Programs `cmd` criteria may run.
    pub allowlist: Vec<String>,
    /// Memory limit of the container.
    pub memory_bytes: i64,
    /// CPUs and processes the container may use.
    pub cpus: f64,
    pub pids: i64,
    /// Environment for agent commands only (API keys); never for checks.
    pub agent_env: Vec<(String, String)>,
    /// Keyword rules that pick an agent when a task names none.
    pub routing_rules: Vec<RoutingRule>,
    /// The project's own command-template agents.
    pub custom_agents: Vec<Agent>,
    /// The model for command agents; `None` takes each template's default.
    pub model: Option<String>,
    /// Words that make a task risky (it waits for approval before IMPLEMENT).
    pub risky_keywords: Vec<String>,
    /// Where pull requests are opened (`pr` mode on a GitHub repository).
    pub github: Option<GithubTarget>,
}

/// The GitHub repository and client of a project in `pr` mode.
#[derive(Clone)]
pub struct GithubTarget {
    pub client: GithubClient,
    pub repo: GithubRepo,
    pub draft: bool,
    pub labels: Vec<String>,
}

impl std::fmt::Debug for GithubTarget {
    // The client holds the token: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GithubTarget").field("repo", &self.repo).field("draft", &self.draft).field("labels", &self.labels).finish()
    }
}

/// The risky keywords our first users named.
pub const DEFAULT_RISKY_KEYWORDS: &[&str] = &["migration", "secret", "credential", "delete", "drop", "production", "deploy"];

impl RunSettings {
    /// The settings the project's owner chose (its run policy), before the
    /// run's own requests (stop points, a CLI flag) and secrets are added.
    pub fn new(project: Project, image: impl Into<String>) -> Self {
        let policy = project.settings.run.clone();
        let minutes = |m: u32| Duration::from_secs(u64::from(m) * 60);
        Self {
            image: image.into(),
            limits: Limits { wall_clock: minutes(policy.wall_clock_minutes), inactivity: minutes(policy.inactivity_minutes) },
            max_attempts: policy.max_attempts.max(1),
            parallel_tasks: policy.parallel_tasks.clamp(1, 8),
            author: Author { name: policy.author_name.clone(), email: policy.author_email.clone() },
            credentials: GitCredentials::None,
            merge_mode: policy.merge_mode,
            stops: Vec::new(),
            default_checks: policy.checks.iter().map(|c| DefaultCheck::new(&c.name, &c.run)).collect(),
            allowlist: policy.allowlist.clone(),
            memory_bytes: policy.memory_bytes(),
            cpus: policy.cpus,
            pids: i64::from(policy.pids),
            agent_env: Vec::new(),
            routing_rules: policy.routing_rules.clone(),
            custom_agents: Vec::new(),
            model: policy.model.clone(),
            risky_keywords: policy.risky_keywords.clone(),
            github: None,
            project,
        }
    }
}
