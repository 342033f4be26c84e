//! What the orchestrator shows: one execution per started project, with the
//! badge state the dashboard draws and the figures behind its progress bar.

use serde::{Deserialize, Serialize};

pub use crate::project::Priority;
use crate::run::Step;

/// How a person starts a project's run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StartOptions {
    /// Stop after this task is done (a stop point).
    pub until: Option<String>,
    /// Stop before this task starts.
    #[serde(default)]
    pub before: Option<String>,
    /// Stop once this phase (or parent task) is done.
    #[serde(default)]
    pub after_phase: Option<String>,
    /// Stop after this many tasks.
    pub max_tasks: Option<u32>,
    /// Queue priority for this run; the project's own when not given.
    #[serde(default)]
    pub priority: Option<Priority>,
}

/// The badge of an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExecState {
    /// Waiting for a slot (or for the host to have room).
    Queued,
    /// Cloning, building the image, starting the container.
    Initializing,
    /// Running, between tasks.
    Autonomous,
    /// A task is being implemented, verified, merged or pushed.
    TaskExecuting,
    /// An attempt failed; the agent is fixing it.
    ErrorSolving,
    /// A task waits for a person (HUMAN_REVIEW or an approval).
    Blocked,
    /// Paused by a person or at a stop point; resume goes on.
    Paused,
    /// Stopped by a person; start again to resume.
    Stopped,
    /// Nothing is ready: tasks wait on skipped ones.
    Waiting,
    /// Every task is done.
    Completed,
    /// The run could not go on (e.g. a rejected task list); see the reason.
    Failed,
}

impl ExecState {
    /// The state stored in the database for a run that ended this way.
    pub(crate) fn from_stored(s: &str) -> Self {
        match s {
            "queued" | "running" => ExecState::Queued,
            "paused" => ExecState::Paused,
            "blocked" => ExecState::Blocked,
            "waiting" => ExecState::Waiting,
            "completed" => ExecState::Completed,
            "failed" => ExecState::Failed,
            _ => ExecState::Stopped,
        }
    }

    /// Whether the project is in a slot or waiting for one.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ExecState::Queued | ExecState::Initializing | ExecState::Autonomous | ExecState::TaskExecuting | ExecState::ErrorSolving
        )
    }
}

/// One project's execution, as the dashboard's grid shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Execution {
    pub project_id: String,
    pub state: ExecState,
    pub priority: Priority,
    pub task_id: Option<String>,
    pub task_title: Option<String>,
    pub step: Option<Step>,
    /// Attempt of the current task (1 = first).
    pub attempt: u32,
    /// Leaf tasks done and in total.
    pub done: u32,
    pub total: u32,
    /// When the current run started (RFC 3339).
    pub started_at: Option<String>,
    /// Estimated seconds to the end: remaining tasks × recent durations.
    pub eta_seconds: Option<u32>,
    /// Why it is blocked, waiting, paused or failed.
    pub reason: Option<String>,
    /// The container's last CPU (% of a core) and memory (bytes) sample.
    pub cpu_percent: Option<f64>,
    pub memory_bytes: Option<f64>,
}

impl Execution {
    /// An execution with nothing running yet.
    pub fn new(project_id: &str, state: ExecState, priority: Priority) -> Self {
        Self {
            project_id: project_id.to_string(),
            state,
            priority,
            task_id: None,
            task_title: None,
            step: None,
            attempt: 0,
            done: 0,
            total: 0,
            started_at: None,
            eta_seconds: None,
            reason: None,
            cpu_percent: None,
            memory_bytes: None,
        }
    }
}
