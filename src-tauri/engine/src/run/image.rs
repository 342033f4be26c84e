//! Which image a project's container runs, made ready before the run: the
//! runner image (built on first use, its progress shown), the minimal one, a
//! Dockerfile from the repository (rebuilt when it changes), or a local tag.

use std::path::Path;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::{EngineEvent, EventBus};
use crate::paths::DataPaths;
use crate::project::{Project, MINIMAL_IMAGE, RUNNER_IMAGE};
use crate::repo::{GitCredentials, GitRepo};
use crate::runner::{DockerRunner, ImageFile, ImageRecipe};

/// The tag of the project's image, built or checked.
pub(crate) async fn prepare(paths: &DataPaths, runner: &DockerRunner, project: &Project, creds: &GitCredentials, events: &EventBus) -> EngineResult<String> {
    let choice = project.settings.image.as_str();
    let id = project.id.clone();
    let events = events.clone();
    let mut progress = move |line: &str| {
        tracing::info!(project = %id, "image: {line}");
        events.emit(EngineEvent::ImageProgress { project_id: id.clone(), line: line.to_string() });
    };
    match choice {
        MINIMAL_IMAGE => runner.ensure_image(&ImageRecipe::test_image(Vec::new())?, &mut progress).await,
        RUNNER_IMAGE => {
            let scratch = paths.root().join("tmp");
            std::fs::create_dir_all(&scratch).map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot create {}: {e}", scratch.display())))?;
            runner.ensure_runner_image(&scratch, &mut progress).await
        }
        _ => {
            if let Some(dockerfile) = choice.strip_prefix("dockerfile:") {
                let clone = paths.project(&project.id).join("clone");
                let repo = GitRepo::clone_or_open(&project.settings.repo_url, &clone, creds)?;
                repo.fetch(creds)?;
                let recipe = recipe_from(&clone, dockerfile, &project.id)?;
                return runner.ensure_image(&recipe, &mut progress).await;
            }
            runner.client().inspect_image(choice).await.map_err(|_| {
                EngineError::new(
                    ErrorCode::Docker,
                    format!("the image `{choice}` is not on this machine (no registry is reachable): build it, or set the project's image to runner or minimal"),
                )
            })?;
            Ok(choice.to_string())
        }
    }
}

/// The Dockerfile and the files of its folder (the build context).
fn recipe_from(clone: &Path, dockerfile: &str, project_id: &str) -> EngineResult<ImageRecipe> {
    let path = clone.join(dockerfile);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| EngineError::new(ErrorCode::Validation, format!("the project's Dockerfile {dockerfile} cannot be read: {e}")))?;
    let context = path.parent().unwrap_or(clone);
    let mut files = Vec::new();
    collect(context, context, &mut files)?;
    files.retain(|f| f.path != "Dockerfile");
    Ok(ImageRecipe { name: format!("devteam-project-{project_id}"), dockerfile: text, files })
}

fn collect(root: &Path, dir: &Path, into: &mut Vec<ImageFile>) -> EngineResult<()> {
    use std::os::unix::fs::PermissionsExt;
    let io = |e: std::io::Error| EngineError::new(ErrorCode::Io, format!("cannot read the Dockerfile's folder {}: {e}", dir.display()));
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name() == ".git" {
            continue;
        }
        let path = entry.path();
        let meta = entry.metadata().map_err(io)?;
        if meta.is_dir() {
            collect(root, &path, into)?;
        } else if meta.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
            into.push(ImageFile { path: rel, contents: std::fs::read(&path).map_err(io)?, mode: meta.permissions().mode() & 0o777 });
        }
    }
    Ok(())
}
