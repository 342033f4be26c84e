//! What the dashboard says of a project beside its name: where its
//! repository stands (cloned, the base branch's tip, the last fetch and
//! whether it worked) and its runner (Docker up, image built, containers
//! running). Read from disk and Docker on demand; never from the network.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::{now_iso8601, Engine};
use crate::error::EngineResult;
use crate::paths::DataPaths;
use crate::project::{Project, MINIMAL_IMAGE, RUNNER_IMAGE};
use crate::runner::{DockerRunner, ImageRecipe, RunnerSource};

/// The project's clone, as of its last fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RepoStatus {
    /// Whether DevTeam has a clone yet (made at the first run).
    pub cloned: bool,
    pub base_branch: String,
    /// The base branch's commit at the last fetch (12 hex digits).
    pub base_tip: Option<String>,
    /// When the last fetch was tried (ISO 8601, UTC)...
    pub last_fetch: Option<String>,
    /// ...and why it failed, if it did (redacted).
    pub fetch_error: Option<String>,
}

/// The project's image and containers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RunnerStatus {
    /// Whether the Docker engine answers.
    pub docker: bool,
    /// The project's image setting (`runner`, `minimal`, a tag, `dockerfile:PATH`).
    pub image: String,
    /// Whether that image is on this machine; `None` when only a run can
    /// tell (a Dockerfile from the repository) or Docker does not answer.
    pub image_built: Option<bool>,
    /// The project's containers running now (one per lane in use).
    pub containers_running: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ProjectStatus {
    pub project_id: String,
    pub repo: RepoStatus,
    pub runner: RunnerStatus,
}

/// The last fetch of a project's run, kept beside its clone.
#[derive(Debug, Serialize, Deserialize)]
struct LastFetch {
    at: String,
    error: Option<String>,
}

fn last_fetch_file(paths: &DataPaths, project_id: &str) -> std::path::PathBuf {
    paths.project(project_id).join("last_fetch.json")
}

/// Notes a fetch of the project's clone and how it went (`error` redacted).
pub(crate) fn record_fetch(paths: &DataPaths, project_id: &str, error: Option<String>) {
    let file = last_fetch_file(paths, project_id);
    let _ = std::fs::create_dir_all(paths.project(project_id));
    let text = serde_json::to_string(&LastFetch { at: now_iso8601(), error }).unwrap_or_default();
    if let Err(e) = std::fs::write(&file, text) {
        tracing::warn!(project = %project_id, "cannot note the fetch in {}: {e}", file.display());
    }
}

impl Engine {
    /// The project's repository and runner status.
    pub async fn project_status(&self, project_id: &str) -> EngineResult<ProjectStatus> {
        let project = self.project(project_id).await?;
        let repo = repo_status(self.paths(), &project);
        let runner = runner_status(self.paths(), &project).await;
        Ok(ProjectStatus { project_id: project.id, repo, runner })
    }
}

fn repo_status(paths: &DataPaths, project: &Project) -> RepoStatus {
    let clone = paths.project(&project.id).join("clone");
    let base = project.settings.base_branch.clone();
    let fetch: Option<LastFetch> =
        std::fs::read_to_string(last_fetch_file(paths, &project.id)).ok().and_then(|t| serde_json::from_str(&t).ok());
    RepoStatus {
        cloned: clone.join(".git").is_dir(),
        base_tip: base_tip(&clone, &base),
        last_fetch: fetch.as_ref().map(|f| f.at.clone()),
        fetch_error: fetch.and_then(|f| f.error),
        base_branch: base,
    }
}

fn base_tip(clone: &Path, base: &str) -> Option<String> {
    let repo = git2::Repository::open(clone).ok()?;
    let oid = repo.refname_to_id(&format!("refs/remotes/{}/{base}", crate::repo::REMOTE)).ok()?;
    Some(oid.to_string()[..12].to_string())
}

async fn runner_status(paths: &DataPaths, project: &Project) -> RunnerStatus {
    let image = project.settings.image.clone();
    let Ok(docker) = DockerRunner::connect().await else {
        return RunnerStatus { docker: false, image, image_built: None, containers_running: 0 };
    };
    let tag = match image.as_str() {
        MINIMAL_IMAGE => ImageRecipe::test_image(Vec::new()).ok().map(|r| r.tag()),
        RUNNER_IMAGE => RunnerSource::from_host().ok().map(|s| s.tag()),
        other if other.starts_with("dockerfile:") => None,
        other => Some(other.to_string()),
    };
    let image_built = match tag {
        Some(tag) => Some(docker.client().inspect_image(&tag).await.is_ok()),
        None => None,
    };
    let name = crate::run::container_name(paths, &project.id);
    let filters = HashMap::from([("name", vec![name.as_str()])]);
    let options = bollard::query_parameters::ListContainersOptionsBuilder::new().filters(&filters).build();
    // The name filter matches a part of the name: keep the project's own and its lanes'.
    let containers_running = docker
        .client()
        .list_containers(Some(options))
        .await
        .map(|found| {
            found
                .iter()
                .filter(|c| {
                    c.names.iter().flatten().any(|n| {
                        let n = n.trim_start_matches('/');
                        n == name || n.strip_prefix(&name).is_some_and(|rest| rest.starts_with("-lane"))
                    })
                })
                .count() as u32
        })
        .unwrap_or(0);
    RunnerStatus { docker: true, image, image_built, containers_running }
}
