//! Priority injection: a task a person wants done next goes right before the
//! unit the plan would start next.

use crate::tasklist::{InjectAt, Injected, NewTask, TaskId, TaskList};

use super::next::next;
use super::types::{Overrides, PlanError, PlanOptions};

/// Injects `task` before the next unit (ignoring stop points); when nothing is
/// ready, before the first unfinished leaf; when all is done, after the last
/// top-level task.
pub fn inject_priority(list: &TaskList, options: &PlanOptions, overrides: &Overrides, task: &NewTask) -> Result<Injected, PlanError> {
    let unstopped = PlanOptions { stops: Vec::new(), ..options.clone() };
    let plan = next(list, &unstopped, overrides)?;
    let first_ready = plan.ready.first().and_then(|u| TaskId::parse(&u.id).ok());
    let done = list.completion(|_| false);
    let first_open = || {
        list.live_tasks().find(|(i, _)| list.is_leaf(*i) && !done[*i]).map(|(_, t)| t.id.clone())
    };
    let at = match first_ready.or_else(first_open) {
        Some(id) => InjectAt::Before(id),
        None => {
            let last_root = list.roots().iter().rev().find(|r| !list.tasks()[**r].retired);
            let id = last_root.map(|r| list.tasks()[*r].id.clone()).ok_or_else(|| {
                PlanError::Edit(crate::tasklist::EditError::WouldNotReadBack("there is no live task to inject beside".into()))
            })?;
            InjectAt::After(id)
        }
    };
    Ok(list.inject(&at, task)?)
}
