//! The one typed stream through which everything the engine does leaves it.

use serde::Serialize;
use tokio::sync::broadcast;

use crate::health::HealthReport;
use crate::project::Project;
use crate::run::{RunEnd, Step};
use crate::runner::{OutputStream, ResourceSample};

/// Something happened in the engine. The only way progress leaves it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EngineEvent {
    ProjectAdded { project: Project },
    ProjectUpdated { project: Project },
    ProjectRemoved { project_id: String },
    HealthChanged { report: HealthReport },
    /// A project's run started (`run_id` numbers it in the project's history).
    RunStarted { project_id: String, run_id: u32 },
    /// A task of a project entered a step (attempt counts from 1).
    StepStarted { project_id: String, task_id: String, title: String, step: Step, attempt: u32 },
    /// One redacted line of output of the running step.
    Log { project_id: String, task_id: String, step: Step, stream: OutputStream, line: String },
    /// The agent that takes a task, and why (task line, keyword, default).
    AgentChosen { project_id: String, task_id: String, agent: String, reason: String },
    /// One acceptance criterion (or project check) of a task, as verified
    /// in attempt `attempt`, with what showed it.
    CriterionChecked { project_id: String, task_id: String, attempt: u32, criterion: String, passed: bool, evidence: String },
    /// An attempt at a task ended: it passed verification, or why not (the
    /// next attempt, if any, gets the failure).
    AttemptFinished { project_id: String, task_id: String, attempt: u32, passed: bool, failure: Option<String> },
    /// A task is committed, pushed and ticked (and its pull request open).
    TaskDone { project_id: String, task_id: String, title: String, branch: String, attempts: u32, pr_url: Option<String> },
    /// A risky task waits for a person's approval before IMPLEMENT.
    ApprovalNeeded { project_id: String, task_id: String, title: String, reason: String },
    /// A task needs a person; the project waits.
    Blocked { project_id: String, task_id: String, reason: String },
    /// A line of a project's image build (the runner image is built on
    /// first use and takes a few minutes).
    ImageProgress { project_id: String, line: String },
    /// A project's progress, counted in leaf tasks, at each SELECT.
    Progress { project_id: String, done: u32, total: u32 },
    /// CPU and memory of a project's container, every 2 s while it runs.
    Stats { project_id: String, sample: ResourceSample },
    /// A project's execution changed (state, task, step, progress, ETA).
    ExecutionChanged { execution: crate::orchestrator::Execution },
    /// A fault of the machinery (Docker, git I/O) is retried after a wait;
    /// no attempt is spent.
    Retrying { project_id: String, reason: String, retry: u32, wait_seconds: u32 },
    /// A task was injected, approved, rejected or placed.
    InjectionChanged { injection: crate::inject::Injection },
    /// A project's run ended (all done, stop point, blocked, stopped, rejected).
    RunFinished { project_id: String, end: RunEnd },
}

/// Fan-out of events to every subscriber (the window, the CLI, tests).
#[derive(Clone, Debug)]
pub struct EventBus {
    sender: broadcast::Sender<EngineEvent>,
}

impl EventBus {
    pub fn new() -> Self {
        // Room for a burst of output lines while a slow subscriber catches up.
        let (sender, _) = broadcast::channel(16_384);
        Self { sender }
    }

    pub fn emit(&self, event: EngineEvent) {
        // No subscriber is not an error: the engine runs headless too.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.sender.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}
