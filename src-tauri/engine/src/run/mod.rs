//! One project's run: pick the next task, walk it through its steps, and go
//! on until the list is done, a stop point is reached, or a person is needed.
//! Every step is saved before its side effects; a restarted run resumes.

mod agent_step;
mod artifacts;
mod branch;
mod control;
mod image;
mod lanes;
mod lock;
mod moved_base;
mod ownership;
mod pull_request;
mod review;
mod sampler;
mod secrets_setup;
mod settings;
mod stack;
mod step;
mod task;
mod timings;
mod transient;

use serde::Serialize;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::{EngineEvent, EventBus};
use crate::paths::DataPaths;
use crate::plan::{self, NextState, Overrides, PlanOptions, WorkUnit};
use crate::redact::Redactor;
use crate::repo::GitRepo;
use crate::runner::DockerRunner;
use crate::store::Store;
use crate::tasklist::{self, TaskId, TaskList, ValidateOptions};

pub(crate) use artifacts::render_log;
pub use control::{ControlRequest, RunControl};
pub use lock::ProjectRunLock;
pub use review::{review, take, ReviewAction};
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

    /// Tasks done in the run (a blocked run does not count them).
    pub fn tasks_done(&self) -> Option<u32> {
        match self {
            RunEnd::AllDone { tasks_done }
            | RunEnd::StopPoint { tasks_done, .. }
            | RunEnd::Waiting { tasks_done, .. }
            | RunEnd::Paused { tasks_done }
            | RunEnd::Stopped { tasks_done } => Some(*tasks_done),
            RunEnd::Blocked { .. } => None,
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
    pub background: Background,
}

/// Work a run leaves to finish after it ended (its containers' removal),
/// so that its end is not held up by it; the engine waits for it before
/// the next run, and a CLI command before it exits.
#[derive(Clone, Debug, Default)]
pub struct Background(std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>);

impl Background {
    pub(crate) fn spawn(&self, work: impl std::future::Future<Output = ()> + Send + 'static) {
        let mut tasks = self.0.lock().unwrap_or_else(|e| e.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(tokio::spawn(work));
    }

    /// Waits until everything spawned so far has finished.
    pub async fn settle(&self) {
        let tasks = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        for task in tasks {
            let _ = task.await;
        }
    }
}

/// The container of a project: named after the project and its data folder,
/// so two DevTeam data folders on one machine never share a container.
pub fn container_name(paths: &DataPaths, project_id: &str) -> String {
    use sha2::Digest;
    let folder = hex::encode(sha2::Sha256::digest(paths.root().to_string_lossy().as_bytes()));
    format!("devteam-{}-{project_id}", &folder[..8])
}

/// The task list on the base branch as the clone last fetched it (`None`
/// when it is not there: the run's first round says why).
fn list_at_base(repo: &GitRepo, settings: &RunSettings) -> Option<TaskList> {
    let project = &settings.project.settings;
    let tip = repo.remote_branch(&project.base_branch)?;
    let bytes = repo.read_file_at(tip, &project.tasklist_path).ok()??;
    Some(tasklist::parse(&bytes, &project.tasklist_path))
}

/// Runs the project until it is done, stopped, or needs a person: up to
/// `parallel_tasks` ready tasks at once, each in a lane of its own.
pub async fn run_project(ctx: &RunContext, settings: &RunSettings, control: &RunControl) -> EngineResult<RunEnd> {
    let project = &settings.project;
    let clone_dir = ctx.paths.project(&project.id).join("clone");
    // This engine is the clone's only user: any lock in it is a dead run's.
    crate::repo::clear_stale_locks(&clone_dir.join(".git"), std::time::Duration::ZERO);
    let clone = GitRepo::clone_or_open(&project.settings.repo_url, &clone_dir, &settings.credentials).inspect_err(|e| {
        // A first clone that fails is the repository's status too.
        crate::project_status::record_fetch(&ctx.paths, &project.id, Some(ctx.redactor.redact(&e.message)));
    })?;
    let network = list_at_base(&clone, settings).is_some_and(|list| agent_step::network_needed(settings, &list));
    let lanes = lanes::prepare(ctx, settings, clone, settings.parallel_tasks, network).await?;
    let containers: Vec<String> = lanes.iter().map(|l| l.spec.name.clone()).collect();
    let sampler = sampler::start(ctx, &project.id, &containers);
    let result = walk_tasks(ctx, settings, control, &lanes).await;
    drop(sampler);
    let (teardown, all_done) = (ctx.clone(), matches!(result, Ok(RunEnd::AllDone { .. })));
    let names: Vec<String> = lanes.iter().map(|l| l.spec.name.clone()).collect();
    ctx.background.spawn(async move { lanes::remove_containers(&teardown, &names, all_done).await });
    // `RunFinished` goes out once the end is saved (`Engine::run`): whoever
    // hears it may stop the process at once.
    result
}

/// What a lane's task came to.
type Finished = (usize, String, EngineResult<task::Outcome>);

/// Plans, starts tasks on free lanes, and takes their outcomes, until the
/// plan ends or a task needs a person; tasks already running then finish.
async fn walk_tasks(ctx: &RunContext, settings: &RunSettings, control: &RunControl, lanes: &[lanes::Lane]) -> EngineResult<RunEnd> {
    use futures_util::stream::{FuturesUnordered, StreamExt};

    let project = &settings.project;
    let repo = &lanes[0].repo;
    // Finished tasks commit, tick the list and push one at a time.
    let merge_turn = tokio::sync::Mutex::new(());
    let side_by_side = lanes.len() > 1;
    let mut running: Vec<Option<String>> = vec![None; lanes.len()];
    let mut in_flight = FuturesUnordered::new();
    let mut done_in_run = 0u32;
    let mut retries = transient::TransientRetries::default();
    // Once set, no new task starts; the run ends with it when the lanes are idle.
    let mut ending: Option<EngineResult<RunEnd>> = None;
    loop {
        if ending.is_none() {
            if let Some(request) = control.requested() {
                ending = Some(Ok(halted(request, done_in_run)));
            }
        }
        if ending.is_none() && running.iter().any(Option::is_none) {
            match plan_round(ctx, settings, repo, &running, done_in_run).await {
                // With tasks running, a fetch that failed is tried again when one finishes.
                Err(e) if !in_flight.is_empty() && transient::is_transient(&e) => {}
                Err(e) if in_flight.is_empty() && retries.wait(ctx, &project.id, &e).await => continue,
                Err(e) => ending = Some(Err(e)),
                Ok(Round::End(end)) if in_flight.is_empty() => ending = Some(Ok(end)),
                Ok(Round::End(_)) => {}
                Ok(Round::Start { units, rows, base_tip, list }) => {
                    let list = std::rc::Rc::new(list);
                    let rows = std::rc::Rc::new(rows);
                    for (unit, resume) in units {
                        let Some(lane) = running.iter().position(Option::is_none) else { break };
                        running[lane] = Some(unit.id.clone());
                        let (list, rows) = (list.clone(), rows.clone());
                        let turn = &merge_turn;
                        in_flight.push(async move {
                            let walk = task::TaskWalk {
                                ctx,
                                settings,
                                repo: &lanes[lane].repo,
                                list: &list,
                                container: &lanes[lane].spec.name,
                                user: lanes[lane].spec.user.clone(),
                                control,
                                merge_turn: turn,
                                side_by_side,
                            };
                            let outcome = walk.run(&unit, resume, &rows, base_tip).await;
                            (lane, unit.id, outcome)
                        });
                    }
                }
            }
        }
        let Some((lane, task_id, outcome)): Option<Finished> = in_flight.next().await else {
            return ending.unwrap_or_else(|| Err(EngineError::internal("the run stopped with nothing to say why")));
        };
        running[lane] = None;
        if side_by_side {
            // The lane lets go of the task's branch: another lane may resume it.
            // (Not fatal: the lanes still running keep going; the branch is
            // let go again when the lanes are next prepared.)
            if let Err(e) = lanes[lane].repo.detach() {
                tracing::warn!(project = %project.id, "lane {lane} keeps its branch: {}", e.message);
            }
        }
        match outcome {
            Ok(task::Outcome::Done) => {
                retries.reset();
                done_in_run += 1;
            }
            Ok(task::Outcome::HumanReview { reason }) => {
                if ending.as_ref().is_none_or(Result::is_ok) {
                    ending = Some(Ok(RunEnd::Blocked { task_id, reason }));
                }
            }
            Ok(task::Outcome::Halted(request)) => {
                if ending.is_none() {
                    ending = Some(Ok(halted(request, done_in_run)));
                }
            }
            Err(e) => {
                if ending.is_none() && retries.wait(ctx, &project.id, &e).await {
                    // A restarted daemon may have lost the containers; the
                    // task's saved row resumes it at the next round.
                    for lane in lanes {
                        if let Err(e) = ctx.runner.ensure_container(&lane.spec).await {
                            tracing::warn!(project = %project.id, "container not back yet: {}", e.message);
                        }
                    }
                } else if ending.as_ref().is_none_or(Result::is_ok) {
                    ending = Some(Err(e));
                }
            }
        }
        // A halt decided while tasks were running counts the ones that finished since.
        if let Some(Ok(RunEnd::Paused { tasks_done } | RunEnd::Stopped { tasks_done })) = ending.as_mut() {
            *tasks_done = done_in_run;
        }
    }
}

/// What a planning round found.
enum Round {
    /// Tasks to start now (resumed ones first), with what they were planned from.
    Start { units: Vec<(WorkUnit, Option<crate::store::TaskRun>)>, rows: Vec<crate::store::TaskRun>, base_tip: git2::Oid, list: TaskList },
    /// Nothing (more) to start: how the run ends once the lanes are idle.
    End(RunEnd),
}

/// Fetches, reads the task list at the base's tip, and picks the tasks that
/// may start on the free lanes (`running` holds each lane's task).
async fn plan_round(ctx: &RunContext, settings: &RunSettings, repo: &GitRepo, running: &[Option<String>], done_in_run: u32) -> EngineResult<Round> {
    let project = &settings.project;
    let fetched = repo.fetch(&settings.credentials);
    crate::project_status::record_fetch(&ctx.paths, &project.id, fetched.as_ref().err().map(|e| ctx.redactor.redact(&e.message)));
    fetched?;
    let rows = ctx.store.task_runs(&project.id).await?;
    if let Some(blocked) = rows.iter().find(|r| r.status == TaskStatus::HumanReview) {
        return Ok(Round::End(RunEnd::Blocked { task_id: blocked.task_id.clone(), reason: blocked.reason.clone().unwrap_or_default() }));
    }
    let base = project.settings.base_branch.as_str();
    let base_tip = repo
        .remote_branch(base)
        .ok_or_else(|| EngineError::new(ErrorCode::Git, format!("the remote has no branch `{base}` (the project's base branch)")))?;
    let path = project.settings.tasklist_path.as_str();
    let bytes = repo
        .read_file_at(base_tip, path)?
        .ok_or_else(|| EngineError::new(ErrorCode::Validation, format!("the task list {path} is not on `{base}`")))?;
    let list = tasklist::parse(&bytes, path);
    let validation = tasklist::validate(&list, ValidateOptions::default());
    if !validation.is_ok() {
        return Err(EngineError::new(ErrorCode::Validation, format!("the task list was rejected:\n{}", validation.render())));
    }
    let busy: Vec<&str> = running.iter().flatten().map(String::as_str).collect();
    let mut overrides = overrides_from(&rows);
    overrides.in_flight = busy.iter().filter_map(|id| TaskId::parse(id).ok()).collect();
    let options = PlanOptions {
        order: project.settings.order.into(),
        unit: project.settings.unit.into(),
        stops: settings.stops.clone(),
        // A task running now counts as if done: a stop after N tasks does
        // not start an N+1th beside them.
        completed_in_run: done_in_run + busy.len() as u32,
    };
    // Tasks injected while the project runs join the plan here.
    let list = crate::inject::apply_to_list(&ctx.store, &ctx.events, &project.id, list, &options, &overrides).await?;
    let progress = plan::progress(&list, &overrides);
    ctx.events.emit(EngineEvent::Progress { project_id: project.id.clone(), done: progress.overall.done, total: progress.overall.total });
    let free = running.iter().filter(|r| r.is_none()).count();
    let next = plan::next(&list, &options, &overrides).map_err(|e| EngineError::new(ErrorCode::Validation, e.to_string()))?;
    // Tasks a stopped or killed run left half-way go first, on any lane.
    let mut units = Vec::new();
    for r in rows.iter().filter(|r| r.status == TaskStatus::Running && !busy.contains(&r.task_id.as_str())) {
        let unit = next.ready.iter().find(|u| u.id == r.task_id).cloned().or_else(|| task::unit_by_id(&list, &r.task_id));
        let Some(unit) = unit else {
            return Err(EngineError::internal(format!("task {} being resumed is no longer in the task list", r.task_id)));
        };
        units.push((unit, Some(r.clone())));
    }
    if units.is_empty() {
        match next.state {
            NextState::Ready => {}
            NextState::AllDone => return Ok(Round::End(RunEnd::AllDone { tasks_done: done_in_run })),
            NextState::Stopped => {
                let reason = next.stop.map(|s| s.reason).unwrap_or_default();
                return Ok(Round::End(RunEnd::StopPoint { tasks_done: done_in_run, reason }));
            }
            NextState::Waiting | NextState::Blocked => {
                let reason =
                    next.blocked.iter().map(|b| format!("{} waits on {}", b.id, b.waiting_on.join(", "))).collect::<Vec<_>>().join("; ");
                return Ok(Round::End(RunEnd::Waiting { tasks_done: done_in_run, reason }));
            }
        }
    }
    if next.state == NextState::Ready {
        let resumed: Vec<String> = units.iter().map(|(u, _)| u.id.clone()).collect();
        units.extend(next.ready.into_iter().filter(|u| !resumed.contains(&u.id)).map(|u| (u, None)));
    }
    units.truncate(free);
    Ok(Round::Start { units, rows, base_tip, list })
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
