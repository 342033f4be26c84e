//! The engine's front door for runs: start a project's run, create the demo.

use crate::demo::{create_demo_remote, DEMO_CUSTOMER, DEMO_PROJECT, DEMO_TASKLIST};
use crate::engine::Engine;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::plan::StopPoint;
use crate::project::{Project, ProjectDraft};
use crate::redact::Redactor;
use crate::run::{run_project, MergeMode, RunContext, RunControl, RunEnd, RunSettings};
use crate::runner::{DockerRunner, ImageRecipe};
use crate::tasklist::TaskId;

/// What the person asked for when starting a run.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Stop after this task is done.
    pub until: Option<String>,
    /// Stop after this many tasks in this run.
    pub max_tasks: Option<u32>,
    pub merge_mode: MergeMode,
    /// Attempts per task (default 3).
    pub max_attempts: Option<u32>,
    /// Secrets the agent gets as environment (`NAME`, value); every value is
    /// redacted from logs, events, artifacts and the database.
    pub secrets: Vec<(String, String)>,
}

impl Engine {
    /// Runs a project until done, a stop point, or a person is needed.
    pub async fn run(&self, project_id: &str, request: &RunRequest, control: &RunControl) -> EngineResult<RunEnd> {
        let project = self.project(project_id).await?;
        let runner = DockerRunner::connect().await?;
        // The minimal image (busybox) runs the `script` agent; the full
        // runner image with toolchains is built by the run engine's next step.
        let image = runner
            .ensure_image(&ImageRecipe::test_image(Vec::new())?, &mut |line| tracing::info!("image: {line}"))
            .await?;
        let mut settings = RunSettings::new(project, image);
        settings.merge_mode = request.merge_mode;
        if let Some(n) = request.max_attempts {
            settings.max_attempts = n.max(1);
        }
        if let Some(id) = &request.until {
            let id = TaskId::parse(id).map_err(|e| EngineError::new(ErrorCode::Validation, format!("--until {id}: {e}")))?;
            settings.stops.push(StopPoint::After(id));
        }
        if let Some(n) = request.max_tasks {
            settings.stops.push(StopPoint::AfterCount(n));
        }
        let redactor = Redactor::default();
        for (name, value) in &request.secrets {
            redactor.register(name, value);
        }
        settings.agent_env = request.secrets.clone();
        let ctx = RunContext {
            store: self.store().clone(),
            paths: self.paths().clone(),
            runner,
            redactor,
            events: self.events().clone(),
        };
        run_project(&ctx, &settings, control).await
    }

    /// A person's decision on the task waiting in HUMAN_REVIEW; `actor`
    /// names who decided, for the audit log.
    pub async fn review(&self, project_id: &str, action: crate::run::ReviewAction, actor: &str) -> EngineResult<crate::store::TaskRun> {
        self.project(project_id).await?;
        crate::run::review(self.store(), project_id, action, actor).await
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
            ..ProjectDraft::default()
        };
        self.add_project(&draft).await
    }
}
