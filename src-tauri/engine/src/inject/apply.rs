//! Puts approved injections into a task list: the base's list at SELECT
//! (so they join the plan) and the worktree's file at PREP (so they join the
//! next commit). The place of each is decided once and kept, so every copy
//! of the file gets the same edit with the same ID. Each change of an
//! injection made here (placed, applied, rejected) is announced, as a
//! person's decisions are: the dashboard's list shows the task's ID and
//! state without being asked again.

use std::path::Path;

use super::{InjectAt, Injection, InjectionStatus};
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::{EngineEvent, EventBus};
use crate::plan::{self, Overrides, PlanOptions};
use crate::store::Store;
use crate::tasklist::{self, InjectAt as Edit, NewTask, TaskId, TaskList};

/// The list with every approved injection in it; new ones are placed (and
/// their place saved), ones already on the base are marked applied, ones
/// that no longer fit (their target is gone or done) are rejected.
pub(crate) async fn apply_to_list(
    store: &Store,
    events: &EventBus,
    project_id: &str,
    mut list: TaskList,
    options: &PlanOptions,
    overrides: &Overrides,
) -> EngineResult<TaskList> {
    let announce = |injection: Injection| events.emit(EngineEvent::InjectionChanged { injection });
    for injection in store.injections(project_id).await? {
        if injection.status != InjectionStatus::Approved {
            continue;
        }
        if let Some(id) = present(&list, &injection) {
            announce(store.place_injection(injection.id, &id, None, InjectionStatus::Applied).await?);
            continue;
        }
        let task = new_task(&injection);
        let placed = match recorded_edit(&injection) {
            Some(edit) => list.inject(&edit, &task).map_err(|e| e.to_string()).map(|i| (i, None)),
            None => plan::inject_priority(&list, options, overrides, &task).map_err(|e| e.to_string()).map(|i| {
                let anchor = anchor_of(&i.text, list.path(), &i.id);
                (i, anchor)
            }),
        };
        match placed {
            Ok((injected, anchor)) => {
                if injection.task_id.as_deref() != Some(injected.id.as_str()) {
                    announce(store.place_injection(injection.id, injected.id.as_str(), anchor.as_deref(), InjectionStatus::Approved).await?);
                }
                list = tasklist::parse(&injected.text, list.path());
            }
            Err(why) => {
                tracing::warn!(project = %project_id, injection = injection.id, "injection no longer fits: {why}");
                announce(store.decide_injection(injection.id, InjectionStatus::Rejected, &format!("devteam (it no longer fits: {why})")).await?);
            }
        }
    }
    Ok(list)
}

/// Writes the approved, placed injections missing from the worktree's task
/// list into it; `true` when the file changed.
pub(crate) async fn apply_to_worktree(store: &Store, project_id: &str, file: &Path, path: &str) -> EngineResult<bool> {
    let bytes = std::fs::read(file).map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot read {}: {e}", file.display())))?;
    let mut list = tasklist::parse(&bytes, path);
    let mut changed = false;
    for injection in store.injections(project_id).await? {
        if injection.status != InjectionStatus::Approved || injection.task_id.is_none() || present(&list, &injection).is_some() {
            continue;
        }
        let Some(edit) = recorded_edit(&injection) else { continue };
        match list.inject(&edit, &new_task(&injection)) {
            Ok(injected) => {
                list = tasklist::parse(&injected.text, path);
                changed = true;
            }
            Err(e) => tracing::warn!(project = %project_id, injection = injection.id, "injection not written to the worktree: {e}"),
        }
    }
    if changed {
        std::fs::write(file, list.write()).map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot write {}: {e}", file.display())))?;
    }
    Ok(changed)
}

/// The injection's task ID when the list already has it (same title).
fn present(list: &TaskList, injection: &Injection) -> Option<String> {
    let id = TaskId::parse(injection.task_id.as_deref()?).ok()?;
    let task = list.task(&id)?;
    (task.title == injection.title).then(|| id.as_str().to_string())
}

fn new_task(injection: &Injection) -> NewTask {
    let body = injection.body.trim_end();
    NewTask { title: injection.title.clone(), body: (!body.is_empty()).then(|| body.to_string()), deps: None }
}

/// The edit to replay: positional and replace ones as asked, a priority one
/// where it was first placed. `None` for a priority one not placed yet.
fn recorded_edit(injection: &Injection) -> Option<Edit> {
    let id = |s: &str| TaskId::parse(s).ok();
    match &injection.at {
        InjectAt::Positional { after } => Some(Edit::After(id(after)?)),
        InjectAt::Replace { task } => Some(Edit::Replace(id(task)?)),
        InjectAt::Priority => {
            let anchor = injection.anchor.as_deref()?;
            if let Some(before) = anchor.strip_prefix("before:") {
                Some(Edit::Before(id(before)?))
            } else {
                Some(Edit::After(id(anchor.strip_prefix("after:")?)?))
            }
        }
    }
}

/// Where a priority injection landed: before its next sibling, else after
/// its previous one.
fn anchor_of(text: &[u8], path: &str, new_id: &TaskId) -> Option<String> {
    let list = tasklist::parse(text, path);
    let i = list.find(new_id)?;
    let parent = list.tasks()[i].parent;
    let siblings: Vec<usize> = match parent {
        Some(p) => list.live_children(p).collect(),
        None => list.roots().iter().copied().filter(|r| !list.tasks()[*r].retired).collect(),
    };
    let at = siblings.iter().position(|s| *s == i)?;
    if let Some(next) = siblings.get(at + 1) {
        return Some(format!("before:{}", list.tasks()[*next].id.as_str()));
    }
    at.checked_sub(1).map(|prev| format!("after:{}", list.tasks()[siblings[prev]].id.as_str()))
}
