//! The engine's front door for runs: start a project's run, create the demo.

use crate::demo::{create_demo_remote, DEMO_CUSTOMER, DEMO_PROJECT, DEMO_TASKLIST};
use crate::engine::Engine;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::plan::StopPoint;
use crate::project::{Project, ProjectDraft};
use crate::run::ControlRequest;
use crate::store::{ExecutionRow, LogLine};
use crate::redact::Redactor;
use crate::run::{run_project, MergeMode, RunContext, RunControl, RunEnd, RunSettings};
use crate::runner::DockerRunner;
use crate::tasklist::TaskId;

/// What the person asked for when starting a run.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Stop after this task is done.
    pub until: Option<String>,
    /// Stop before this task (or any part of it) starts.
    pub before: Option<String>,
    /// Stop once this phase (or parent task) and all its subtasks are done.
    pub after_phase: Option<String>,
    /// Stop after this many tasks in this run.
    pub max_tasks: Option<u32>,
    /// Overrides the project's merge mode for this run.
    pub merge_mode: Option<MergeMode>,
    /// Attempts per task (default: the project's).
    pub max_attempts: Option<u32>,
    /// Secrets the agent gets as environment (`NAME`, value), on top of the
    /// keychain's API keys; every value is redacted from logs, events,
    /// artifacts and the database.
    pub secrets: Vec<(String, String)>,
    /// Where API keys and GitHub tokens come from (default: the keychain).
    pub secret_source: crate::run::SecretSource,
    /// A local image to run in instead of the default one.
    pub image: Option<String>,
    /// Wall-clock and inactivity limits of agent runs and checks.
    pub limits: Option<crate::runner::Limits>,
    /// The GitHub REST base (default: from the repository's host).
    pub github_api_base: Option<String>,
    /// Words that make a task wait for approval (default: DESIGN.md's).
    pub risky_keywords: Option<Vec<String>>,
}

/// The stop points a person asked for (after a task, before a task, after
/// a phase, after N tasks), each task ID checked.
pub fn stop_points(until: Option<&str>, before: Option<&str>, after_phase: Option<&str>, max_tasks: Option<u32>) -> EngineResult<Vec<StopPoint>> {
    let id = |what: &str, id: &str| {
        TaskId::parse(id).map_err(|e| EngineError::new(ErrorCode::Validation, format!("stop {what} `{id}`: {e}")))
    };
    let mut stops = Vec::new();
    if let Some(task) = until {
        stops.push(StopPoint::After(id("after", task)?));
    }
    if let Some(task) = before {
        stops.push(StopPoint::Before(id("before", task)?));
    }
    if let Some(phase) = after_phase {
        stops.push(StopPoint::AfterPhase(id("after phase", phase)?));
    }
    if let Some(n) = max_tasks {
        stops.push(StopPoint::AfterCount(n));
    }
    Ok(stops)
}

impl Engine {
    /// Runs a project until done, a stop point, or a person is needed. The
    /// project's execution row says it runs meanwhile, and pause/stop
    /// requests written there by any process reach `control`.
    pub async fn run(&self, project_id: &str, request: &RunRequest, control: &RunControl) -> EngineResult<RunEnd> {
        let project = self.project(project_id).await?;
        let _lock = crate::run::ProjectRunLock::acquire(&self.paths().project(project_id), project_id)?;
        // A container an earlier run is still removing must be gone before
        // this run makes the project's again.
        self.settle().await;
        self.mark_running(project_id).await?;
        let run_id = self.store().open_run(project_id, &crate::engine::now_iso8601_ms()).await?;
        self.events().emit(crate::events::EngineEvent::RunStarted { project_id: project_id.to_string(), run_id });
        let poller = self.poll_control_requests(project_id, control);
        let result = self.run_marked(project, request, control).await;
        poller.abort();
        let (state, reason) = match &result {
            Ok(end) => (end.state(), end.reason()),
            Err(e) => ("failed", Some(e.message.clone())),
        };
        let done = result.as_ref().ok().and_then(RunEnd::tasks_done);
        let closed = self.store().close_run(run_id, &crate::engine::now_iso8601_ms(), state, reason.as_deref(), done).await;
        self.store().set_execution_state(project_id, state, reason.as_deref()).await?;
        closed?;
        if matches!(result, Ok(RunEnd::StopPoint { .. })) {
            // The stop point is reached: resuming goes past it.
            self.store().clear_stop_points(project_id).await?;
        }
        // Said once the end is saved: a listener may stop the process at once.
        if let Ok(end) = &result {
            self.events().emit(crate::events::EngineEvent::RunFinished { project_id: project_id.to_string(), end: end.clone() });
        }
        result
    }

    async fn mark_running(&self, project_id: &str) -> EngineResult<()> {
        let now = crate::engine::now_iso8601();
        let mut row = self.store().execution(project_id).await?.unwrap_or_else(|| ExecutionRow {
            project_id: project_id.to_string(),
            state: String::new(),
            priority: "normal".into(),
            options: "{}".into(),
            control: None,
            reason: None,
            queued_at: now.clone(),
            started_at: None,
            updated_at: now.clone(),
        });
        row.state = "running".into();
        row.reason = None;
        row.control = None;
        row.started_at = Some(now);
        self.store().save_execution(&row).await
    }

    /// Polls the execution row for requests made by another process (the
    /// CLI while the window runs the project, or the reverse).
    fn poll_control_requests(&self, project_id: &str, control: &RunControl) -> tokio::task::JoinHandle<()> {
        let (store, project_id, control) = (self.store().clone(), project_id.to_string(), control.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                if let Ok(Some(request)) = store.pending_control(&project_id).await {
                    control.request(request);
                }
            }
        })
    }

    async fn run_marked(&self, project: Project, request: &RunRequest, control: &RunControl) -> EngineResult<RunEnd> {
        let runner = DockerRunner::connect().await?;
        let redactor = Redactor::default();
        for (name, value) in &request.secrets {
            redactor.register(name, value);
        }
        let merge_mode = request.merge_mode.unwrap_or(project.settings.run.merge_mode);
        let secrets =
            crate::run::prepare_secrets(&request.secret_source, &project, merge_mode, request.github_api_base.as_deref(), &redactor)
                .await?;
        let image = match &request.image {
            Some(image) => image.clone(),
            None => crate::run::prepare_image(self.paths(), &runner, &project, &secrets.credentials, self.events()).await?,
        };
        let mut settings = RunSettings::new(project, image);
        settings.merge_mode = merge_mode;
        if let Some(n) = request.max_attempts {
            settings.max_attempts = n.max(1);
        }
        settings.stops = stop_points(request.until.as_deref(), request.before.as_deref(), request.after_phase.as_deref(), request.max_tasks)?;
        if let Some(words) = &request.risky_keywords {
            settings.risky_keywords = words.clone();
        }
        if let Some(limits) = request.limits {
            settings.limits = limits;
        }
        settings.agent_env = secrets.agent_env;
        settings.agent_env.extend(request.secrets.iter().cloned());
        settings.credentials = secrets.credentials;
        settings.github = secrets.github;
        let ctx = RunContext {
            store: self.store().clone(),
            paths: self.paths().clone(),
            runner,
            redactor,
            events: self.events().clone(),
            background: self.background().clone(),
        };
        run_project(&ctx, &settings, control).await
    }

    /// A person's decision on the task waiting in HUMAN_REVIEW; `actor`
    /// names who decided, for the audit log.
    pub async fn review(&self, project_id: &str, action: crate::run::ReviewAction, actor: &str) -> EngineResult<crate::store::TaskRun> {
        self.project(project_id).await?;
        crate::run::review(self.store(), project_id, action, actor).await
    }

    /// A person takes task `task_id` over (manual override): the project
    /// waits in HUMAN_REVIEW until they mark it done (see
    /// [`crate::run::take`]). Only while no run walks the project: pause it
    /// first.
    pub async fn take_task(&self, project_id: &str, task_id: &str, actor: &str) -> EngineResult<crate::store::TaskRun> {
        let project = self.project(project_id).await?;
        let id = TaskId::parse(task_id).map_err(|e| EngineError::new(ErrorCode::Validation, format!("task `{task_id}`: {e}")))?;
        let dir = self.paths().project(project_id);
        let _lock = crate::run::ProjectRunLock::acquire(&dir, project_id).map_err(|_| {
            EngineError::new(ErrorCode::Conflict, format!("{project_id} is running: pause it first, then take task {task_id}"))
        })?;
        // The title from the task list as last fetched; before the first
        // run there is no clone to read it from.
        let list_path = dir.join("clone").join(&project.settings.tasklist_path);
        let title = match std::fs::read(&list_path) {
            Ok(bytes) => {
                let list = crate::tasklist::parse(&bytes, &project.settings.tasklist_path);
                let i = list.find(&id).ok_or_else(|| {
                    EngineError::not_found(format!("task {task_id} in {} (as last fetched)", project.settings.tasklist_path))
                })?;
                list.tasks()[i].title.clone()
            }
            Err(_) => format!("Task {task_id}"),
        };
        let row = crate::run::take(self.store(), project_id, id.as_str(), &title, actor).await?;
        let reason = row.reason.clone().unwrap_or_default();
        self.store().set_execution_state(project_id, "blocked", Some(&reason)).await?;
        self.events().emit(crate::events::EngineEvent::Blocked { project_id: project_id.to_string(), task_id: row.task_id.clone(), reason });
        Ok(row)
    }

    /// Asks whichever process runs the project (the window or a terminal)
    /// to pause or stop it; it acts within a second.
    pub async fn request_control(&self, project_id: &str, request: ControlRequest) -> EngineResult<()> {
        self.project(project_id).await?;
        match self.store().execution(project_id).await? {
            Some(row) if row.state == "running" => {
                self.store().request_control(project_id, request).await?;
                Ok(())
            }
            row => {
                let state = row.map_or_else(|| "has never run".to_string(), |r| format!("is {}", r.state));
                Err(EngineError::new(ErrorCode::Conflict, format!("{project_id} is not running (it {state})")))
            }
        }
    }

    /// The project's stored execution: state, priority, reason.
    pub async fn execution_row(&self, project_id: &str) -> EngineResult<Option<ExecutionRow>> {
        self.store().execution(project_id).await
    }

    /// Log lines after `after` (0 for the start), of one task or all.
    pub async fn log_lines(&self, project_id: &str, task_id: Option<&str>, after: u32, limit: u32) -> EngineResult<Vec<LogLine>> {
        self.project(project_id).await?;
        self.store().log_since(project_id, task_id, after, limit).await
    }

    /// Checks the audit log's hash chain.
    pub async fn verify_audit(&self) -> EngineResult<crate::store::AuditCheck> {
        self.store().verify_audit().await
    }

    /// A task's stored (redacted) log as text.
    pub async fn task_log_text(&self, project_id: &str, task_id: &str) -> EngineResult<String> {
        let lines = self.store().task_log(project_id, task_id).await?;
        Ok(crate::run::render_log(&lines))
    }

    /// The run engine's rows for a project's tasks.
    pub async fn task_runs(&self, project_id: &str) -> EngineResult<Vec<crate::store::TaskRun>> {
        self.project(project_id).await?;
        self.store().task_runs(project_id).await
    }

    /// Registers the demo project (a local bare repository in the data
    /// folder), or returns it when it is there already.
    pub async fn create_demo(&self) -> EngineResult<Project> {
        if let Some(p) = self.projects().await?.into_iter().find(|p| p.settings.customer == DEMO_CUSTOMER) {
            return Ok(p);
        }
        let remote = create_demo_remote(&self.paths().root().join("demo"))?;
        let draft = ProjectDraft {
            customer: DEMO_CUSTOMER.into(),
            name: DEMO_PROJECT.into(),
            repo_url: remote.display().to_string(),
            tasklist_path: DEMO_TASKLIST.into(),
            default_agent: "script".into(),
            image: crate::project::MINIMAL_IMAGE.into(),
            ..ProjectDraft::default()
        };
        self.add_project(&draft).await
    }
}
