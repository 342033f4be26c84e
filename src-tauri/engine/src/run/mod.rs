//! One project's run: pick the next task, walk it through its steps, and go
//! on until the list is done, a stop point is reached, or a person is needed.
//! Every step is saved before its side effects; a restarted run resumes.

mod agent_step;
mod artifacts;
mod control;
mod image;
mod lock;
mod pull_request;
mod review;
mod sampler;
mod secrets_setup;
mod settings;
mod step;
mod task;
mod transient;

use serde::Serialize;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::{EngineEvent, EventBus};
use crate::paths::DataPaths;
use crate::plan::{self, NextState, Overrides, PlanOptions};
use crate::redact::Redactor;
use crate::repo::GitRepo;
use crate::runner::{ContainerSpec, DockerRunner};
use crate::store::Store;
use crate::tasklist::{self, TaskId, ValidateOptions};

pub(crate) use artifacts::render_log;
pub use control::{ControlRequest, RunControl};
pub use lock::ProjectRunLock;
pub use review::{review, ReviewAction};
pub use secrets_setup::SecretSource;
pub(crate) use image::prepare as prepare_image;
pub(crate) use secrets_setup::prepare as prepare_secrets;
pub use settings::{GithubTarget, MergeMode, RunSettings, DEFAULT_RISKY_KEYWORDS};
pub use step::{Step, TaskStatus};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunEnd {
    AllDone { tasks_done: u32 },
    StopPoint { tasks_done: u32, reason: String },
    Blocked { task_id: String, reason: String },
    /// Nothing is ready: dependencies wait on skipped or blocked tasks.
    Waiting { tasks_done: u32, reason: String },
    /// A person paused the run; `resume` goes on from the next step.
    Paused { tasks_done: u32 },
    /// A person stopped the run (an emergency stop kills the running
    /// command); starting it again resumes from the last saved step.
    Stopped { tasks_done: u32 },
}

impl RunEnd {
    /// The execution state a run that ended this way leaves behind.
    pub fn state(&self) -> &'static str {
        match self {
            RunEnd::AllDone { .. } => "completed",
            RunEnd::StopPoint { .. } | RunEnd::Paused { .. } => "paused",
            RunEnd::Blocked { .. } => "blocked",
            RunEnd::Waiting { .. } => "waiting",
            RunEnd::Stopped { .. } => "stopped",
        }
    }

    /// Why it ended, in words, when that says more than the state.
    pub fn reason(&self) -> Option<String> {
        match self {
            RunEnd::StopPoint { reason, .. } | RunEnd::Blocked { reason, .. } | RunEnd::Waiting { reason, .. } => Some(reason.clone()),
            _ => None,
        }
    }
}

/// What the engine shares with every run.
#[derive(Clone, Debug)]
pub struct RunContext {
    pub store: Store,
    pub paths: DataPaths,
    pub runner: DockerRunner,
    pub redactor: Redactor,
    pub events: EventBus,
}

/// The container of a project: named after the project and its data folder,
/// so two DevTeam data folders on one machine never share a container.
pub fn container_name(paths: &DataPaths, project_id: &str) -> String {
    use sha2::Digest;
    let folder = hex::encode(sha2::Sha256::digest(paths.root().to_string_lossy().as_bytes()));
    format!("devteam-{}-{project_id}", &folder[..8])
}

/// Runs the project until it is done, stopped, or needs a person.
pub async fn run_project(ctx: &RunContext, settings: &RunSettings, control: &RunControl) -> EngineResult<RunEnd> {
    let project = &settings.project;
    let clone_dir = ctx.paths.project(&project.id).join("clone");
    let url = project.settings.repo_url.clone();
    let creds = settings.credentials.clone();
    // This engine is the clone's only user: any lock in it is a dead run's.
    crate::repo::clear_stale_locks(&clone_dir.join(".git"), std::time::Duration::ZERO);
    let repo = GitRepo::clone_or_open(&url, &clone_dir, &creds)?;
    let mut spec = ContainerSpec::new(container_name(&ctx.paths, &project.id), settings.image.clone(), &clone_dir);
    spec.user = task::container_user(&clone_dir);
    spec.memory_bytes = settings.memory_bytes;
    ctx.runner.ensure_container(&spec).await?;
    let _sampler = sampler::start(ctx, &project.id, &spec.name);

    let mut done_in_run = 0u32;
    let mut retries = transient::TransientRetries::default();
    let end = loop {
        if let Some(request) = control.requested() {
            break halted(request, done_in_run);
        }
        if let Err(e) = repo.fetch(&creds) {
            if retries.wait(ctx, &project.id, &e).await {
                continue;
            }
            return Err(e);
        }
        let rows = ctx.store.task_runs(&project.id).await?;
        if let Some(blocked) = rows.iter().find(|r| r.status == TaskStatus::HumanReview) {
            break RunEnd::Blocked { task_id: blocked.task_id.clone(), reason: blocked.reason.clone().unwrap_or_default() };
        }
        let base = project.settings.base_branch.as_str();
        let base_tip = repo.remote_branch(base).ok_or_else(|| {
            EngineError::new(ErrorCode::Git, format!("the remote has no branch `{base}` (the project's base branch)"))
        })?;
        let path = project.settings.tasklist_path.as_str();
        let bytes = repo.read_file_at(base_tip, path)?.ok_or_else(|| {
            EngineError::new(ErrorCode::Validation, format!("the task list {path} is not on `{base}`"))
        })?;
        let list = tasklist::parse(&bytes, path);
        let validation = tasklist::validate(&list, ValidateOptions::default());
        if !validation.is_ok() {
            return Err(EngineError::new(ErrorCode::Validation, format!("the task list was rejected:\n{}", validation.render())));
        }
        let overrides = overrides_from(&rows);
        let options = PlanOptions {
            order: project.settings.order.into(),
            unit: project.settings.unit.into(),
            stops: settings.stops.clone(),
            completed_in_run: done_in_run,
        };
        // Tasks injected while the project runs join the plan here.
        let list = crate::inject::apply_to_list(&ctx.store, &ctx.events, &project.id, list, &options, &overrides).await?;
        let progress = plan::progress(&list, &overrides);
        ctx.events.emit(EngineEvent::Progress {
            project_id: project.id.clone(),
            done: progress.overall.done,
            total: progress.overall.total,
        });
        let resume = rows.iter().find(|r| r.status == TaskStatus::Running).cloned();
        let next = plan::next(&list, &options, &overrides).map_err(|e| EngineError::new(ErrorCode::Validation, e.to_string()))?;
        let unit = match (&resume, next.state) {
            (Some(r), _) => next.ready.iter().find(|u| u.id == r.task_id).cloned().or_else(|| task::unit_by_id(&list, &r.task_id)),
            (None, NextState::Ready) => next.ready.first().cloned(),
            (None, NextState::AllDone) => break RunEnd::AllDone { tasks_done: done_in_run },
            (None, NextState::Stopped) => {
                let reason = next.stop.map(|s| s.reason).unwrap_or_default();
                break RunEnd::StopPoint { tasks_done: done_in_run, reason };
            }
            (None, _) => {
                let reason = next.blocked.iter().map(|b| format!("{} waits on {}", b.id, b.waiting_on.join(", "))).collect::<Vec<_>>().join("; ");
                break RunEnd::Waiting { tasks_done: done_in_run, reason };
            }
        };
        let Some(unit) = unit else {
            return Err(EngineError::internal("the task being resumed is no longer in the task list"));
        };
        let walk = task::TaskWalk { ctx, settings, repo: &repo, list: &list, container: &spec.name, user: spec.user.clone(), control };
        let outcome = match walk.run(&unit, resume, &rows, base_tip).await {
            Ok(outcome) => outcome,
            Err(e) => {
                if retries.wait(ctx, &project.id, &e).await {
                    // A restarted daemon may have lost the container.
                    if let Err(e) = ctx.runner.ensure_container(&spec).await {
                        tracing::warn!(project = %project.id, "container not back yet: {}", e.message);
                    }
                    continue;
                }
                return Err(e);
            }
        };
        retries.reset();
        match outcome {
            task::Outcome::Done => done_in_run += 1,
            task::Outcome::HumanReview { reason } => break RunEnd::Blocked { task_id: unit.id.clone(), reason },
            task::Outcome::Halted(request) => break halted(request, done_in_run),
        }
    };
    ctx.events.emit(EngineEvent::RunFinished { project_id: project.id.clone(), end: end.clone() });
    Ok(end)
}

/// What the run engine's rows say beyond the file: tasks done (the tick may
/// not be on the base yet) and tasks a person skipped.
pub(crate) fn overrides_from(rows: &[crate::store::TaskRun]) -> Overrides {
    let mut overrides = Overrides::default();
    for r in rows {
        let Ok(id) = TaskId::parse(&r.task_id) else { continue };
        match r.status {
            TaskStatus::Done => overrides.done.insert(id),
            TaskStatus::Skipped => overrides.skipped.insert(id),
            TaskStatus::Running | TaskStatus::HumanReview => false,
        };
    }
    overrides
}

fn halted(request: ControlRequest, tasks_done: u32) -> RunEnd {
    match request {
        ControlRequest::Pause => RunEnd::Paused { tasks_done },
        ControlRequest::Stop | ControlRequest::Emergency => RunEnd::Stopped { tasks_done },
    }
}
