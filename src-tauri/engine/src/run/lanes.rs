//! Where a project's tasks run side by side: lane 0 is the project's clone
//! and container; each further lane (up to the project's `parallel_tasks`)
//! is a worktree of the clone with a container of its own. Lanes share the
//! clone's objects and remote, never a branch or a file.

use super::ownership::container_user;
use super::{container_name, RunContext, RunSettings};
use crate::error::EngineResult;
use crate::repo::GitRepo;
use crate::runner::ContainerSpec;

pub(super) struct Lane {
    pub repo: GitRepo,
    pub spec: ContainerSpec,
}

/// The project's lanes, their worktrees and containers ready. `clone` is
/// lane 0. The containers have a network only when `network` (an agent of
/// the tasks to do calls an API).
pub(super) async fn prepare(ctx: &RunContext, settings: &RunSettings, clone: GitRepo, count: u32, network: bool) -> EngineResult<Vec<Lane>> {
    let project_id = &settings.project.id;
    let mut repos = Vec::new();
    for i in 1..count.max(1) {
        let dir = ctx.paths.project(project_id).join("lanes").join(format!("lane-{i}"));
        crate::repo::clear_stale_locks(&clone.path().join(".git").join("worktrees").join(format!("lane-{i}")), std::time::Duration::ZERO);
        repos.push(clone.lane(&format!("lane-{i}"), &dir)?);
    }
    if count > 1 {
        // Idle lanes hold no branch: lane 0 too, or a task it ran before
        // could not be resumed in another lane.
        clone.detach()?;
    }
    repos.insert(0, clone);
    let mut lanes = Vec::new();
    for (i, repo) in repos.into_iter().enumerate() {
        let name = match i {
            0 => container_name(&ctx.paths, project_id),
            n => format!("{}-lane{n}", container_name(&ctx.paths, project_id)),
        };
        let mut spec = ContainerSpec::new(name, settings.image.clone(), repo.path());
        spec.user = container_user(repo.path());
        spec.memory_bytes = settings.memory_bytes;
        spec.cpus = settings.cpus;
        spec.pids = settings.pids;
        spec.network = network;
        ctx.runner.ensure_container(&spec).await?;
        lanes.push(Lane { repo, spec });
    }
    Ok(lanes)
}

/// When a run ends, the extra lanes' containers go; the project's own goes
/// too once every task is done. Nothing runs in them until the next run,
/// which makes them again in seconds; a paused or blocked project keeps
/// its container for the person who looks into it.
pub(super) async fn remove_containers(ctx: &RunContext, names: &[String], all_done: bool) {
    let skip = usize::from(!all_done);
    for name in names.iter().skip(skip) {
        if let Err(e) = ctx.runner.remove_container(name).await {
            tracing::warn!(container = %name, "cannot remove the container: {}", e.message);
        }
    }
}
