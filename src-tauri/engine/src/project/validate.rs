//! Checks a project form field by field and reports every problem at once.

use super::{parse_repo_url, ProjectDraft, BUILTIN_AGENTS};
use crate::error::{EngineError, FieldError};

const MAX_NAME: usize = 100;

/// Returns the draft with surrounding blanks trimmed, or every field error.
pub fn validate_draft(draft: &ProjectDraft) -> Result<ProjectDraft, EngineError> {
    let mut clean = draft.clone();
    for field in [
        &mut clean.customer,
        &mut clean.name,
        &mut clean.repo_url,
        &mut clean.base_branch,
        &mut clean.tasklist_path,
        &mut clean.default_agent,
        &mut clean.image,
    ] {
        *field = field.trim().to_string();
    }
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.push(FieldError { field: field.into(), message });
        }
    };
    check("customer", name_like("customer name", &clean.customer));
    check("name", name_like("project name", &clean.name));
    check("repo_url", parse_repo_url(&clean.repo_url).map(|_| ()));
    check("base_branch", branch(&clean.base_branch));
    check("tasklist_path", tasklist_path(&clean.tasklist_path));
    check("default_agent", agent_name(&clean.default_agent));
    check("image", image(&clean.image));
    match clean.run.cleaned() {
        Ok(run) => clean.run = run,
        Err(bad) => errors.extend(bad),
    }
    if clean.run.parallel_tasks > 1 && clean.order != super::ExecutionOrder::Dependency {
        errors.push(FieldError {
            field: "run.parallel_tasks".into(),
            message: "tasks run side by side only in dependency order (choose it above, or 1 task at a time)".into(),
        });
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(EngineError::validation(errors))
    }
}

fn image(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("choose an image: runner, minimal, a local image tag, or dockerfile:PATH".into());
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("`{value}` is not an image name (no spaces)"));
    }
    if let Some(path) = value.strip_prefix("dockerfile:") {
        if path.is_empty() || path.starts_with('/') || path.split('/').any(|p| p == "..") {
            return Err("dockerfile:PATH takes a path inside the repository, e.g. dockerfile:ci/Dockerfile".into());
        }
    }
    Ok(())
}

fn name_like(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("enter a {what}"));
    }
    if value.chars().count() > MAX_NAME {
        return Err(format!("the {what} is longer than {MAX_NAME} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("the {what} contains a control character"));
    }
    Ok(())
}

fn branch(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("enter the base branch, e.g. main".into());
    }
    if !git2::Reference::is_valid_name(&format!("refs/heads/{value}")) {
        return Err(format!("`{value}` is not a valid git branch name"));
    }
    Ok(())
}

fn tasklist_path(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("enter the task list's path inside the repository".into());
    }
    if value.starts_with('/') || value.starts_with('\\') {
        return Err("the task list path is relative to the repository root: remove the leading /".into());
    }
    if value.split(['/', '\\']).any(|part| part == "..") {
        return Err("the task list path must stay inside the repository (no ..)".into());
    }
    if value.ends_with('/') {
        return Err("the task list path names a folder: add the file name, e.g. tasks_list.md".into());
    }
    Ok(())
}

fn agent_name(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("choose a default agent".into());
    }
    let ok = value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        return Err(format!("`{value}` is not an agent name (lowercase letters, digits and -)"));
    }
    if !BUILTIN_AGENTS.contains(&value) {
        return Err(format!("unknown agent `{value}`: choose one of {}", BUILTIN_AGENTS.join(", ")));
    }
    Ok(())
}
