//! The task tree as the dashboard shows it: every task of a project's list
//! with its numbering, depth, dependencies, criteria and where the run
//! engine has it (done, running, waiting for a person, skipped, pending).

use serde::Serialize;

use crate::engine::Engine;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::repo::{GitCredentials, GitRepo};
use crate::run::{Step, TaskStatus};
use crate::tasklist::{self, TaskNode, TaskStatus as FileStatus};

/// Where a task stands, for its badge in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Pending,
    Running,
    /// Failed at least once and being fixed.
    Retrying,
    HumanReview,
    Skipped,
    Done,
}

/// One task of the tree: what the file says, and where the run has it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ProjectTask {
    pub node: TaskNode,
    pub state: TaskState,
    pub attempts: u32,
    pub step: Option<Step>,
    pub reason: Option<String>,
    pub branch: Option<String>,
    pub pr_url: Option<String>,
    pub agent_used: Option<String>,
}

/// A project's task list as a tree (tasks in file order, with depths).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TaskTree {
    pub project_id: String,
    pub path: String,
    pub tasks: Vec<ProjectTask>,
    /// Problems the validator found (the run refuses the list while any).
    pub problems: Vec<String>,
}

impl Engine {
    /// The project's task tree, read from its clone (cloned first when the
    /// project has never run), with the run engine's state of each task.
    pub async fn task_tree(&self, project_id: &str) -> EngineResult<TaskTree> {
        let project = self.project(project_id).await?;
        let clone_dir = self.paths().project(project_id).join("clone");
        let path = project.settings.tasklist_path.clone();
        let url = project.settings.repo_url.clone();
        let file = clone_dir.join(&path);
        let bytes = tokio::task::spawn_blocking(move || -> EngineResult<Vec<u8>> {
            if !clone_dir.join(".git").exists() {
                GitRepo::clone_or_open(&url, &clone_dir, &GitCredentials::None)?;
            }
            std::fs::read(&file).map_err(|e| {
                EngineError::new(ErrorCode::NotFound, format!("the task list {} cannot be read: {e}", file.display()))
            })
        })
        .await
        .map_err(|e| EngineError::internal(e.to_string()))??;
        let list = tasklist::parse(&bytes, &path);
        let validation = tasklist::validate(&list, tasklist::ValidateOptions::default());
        let problems = if validation.is_ok() { Vec::new() } else { validation.render().lines().map(String::from).collect() };
        let rows = self.store().task_runs(project_id).await?;
        let tasks = list
            .tree()
            .into_iter()
            .filter(|node| node.status != FileStatus::Retired)
            .map(|node| {
                let row = rows.iter().find(|r| r.task_id == node.id);
                let state = match row.map(|r| r.status) {
                    Some(TaskStatus::Done) => TaskState::Done,
                    Some(TaskStatus::Skipped) => TaskState::Skipped,
                    Some(TaskStatus::HumanReview) => TaskState::HumanReview,
                    Some(TaskStatus::Running) if row.is_some_and(|r| r.attempts > 1) => TaskState::Retrying,
                    Some(TaskStatus::Running) => TaskState::Running,
                    None if node.complete => TaskState::Done,
                    None => TaskState::Pending,
                };
                ProjectTask {
                    state,
                    attempts: row.map_or(0, |r| r.attempts),
                    step: row.map(|r| r.step),
                    reason: row.and_then(|r| r.reason.clone()),
                    branch: row.map(|r| r.branch.clone()),
                    pr_url: row.and_then(|r| r.pr_url.clone()),
                    agent_used: row.map(|r| r.agent.clone()),
                    node,
                }
            })
            .collect();
        Ok(TaskTree { project_id: project_id.to_string(), path, tasks, problems })
    }
}

impl Engine {
    /// The folder holding a task's artifacts (prompt, log, diff, reports)
    /// in the project's clone.
    pub async fn artifacts_dir(&self, project_id: &str, task_id: &str) -> EngineResult<std::path::PathBuf> {
        let project = self.project(project_id).await?;
        let clone = self.paths().project(project_id).join("clone");
        let list_dir = std::path::Path::new(&project.settings.tasklist_path).parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        let dir = clone.join(list_dir).join("artifacts").join(task_id);
        if !dir.is_dir() {
            return Err(EngineError::not_found(format!(
                "task {task_id} has no artifacts in the clone yet ({} does not exist)",
                dir.display()
            )));
        }
        Ok(dir)
    }
}
