//! Stop points: checked against the task list up front (an unknown ID is an
//! error), then tested on every plan.

use crate::tasklist::TaskList;

use super::state::Standing;
use super::types::{PlanError, PlanOptions, StopPoint, StopReached, WorkUnit};

/// Every stop point names a task that exists; `AfterPhase` one with subtasks.
pub fn check_stops(list: &TaskList, stops: &[StopPoint]) -> Result<(), PlanError> {
    for stop in stops {
        match stop {
            StopPoint::Before(id) | StopPoint::After(id) => {
                list.find(id).ok_or_else(|| PlanError::UnknownStop(id.clone()))?;
            }
            StopPoint::AfterPhase(id) => {
                let t = list.find(id).ok_or_else(|| PlanError::UnknownStop(id.clone()))?;
                if list.is_leaf(t) {
                    return Err(PlanError::NotAPhase(id.clone()));
                }
            }
            StopPoint::AfterCount(_) => {}
        }
    }
    Ok(())
}

/// A stop reached by what is already done: a count, or a task or phase finished.
pub(crate) fn reached_now(list: &TaskList, options: &PlanOptions, standing: &Standing) -> Option<StopReached> {
    for stop in &options.stops {
        let reason = match stop {
            StopPoint::AfterCount(n) if options.completed_in_run >= *n => {
                format!("{} task{} completed in this run (stop after {n})", options.completed_in_run, plural(options.completed_in_run))
            }
            StopPoint::After(id) | StopPoint::AfterPhase(id) => match list.find(id) {
                Some(t) if standing.done[t] => format!("task {id} is done"),
                _ => continue,
            },
            _ => continue,
        };
        return Some(StopReached { point: stop.clone(), reason });
    }
    None
}

/// A `Before` stop reached because a unit about to start is, contains or lies
/// within the task named.
pub(crate) fn reached_before(list: &TaskList, options: &PlanOptions, ready: &[WorkUnit]) -> Option<StopReached> {
    for stop in &options.stops {
        let StopPoint::Before(id) = stop else { continue };
        let Some(x) = list.find(id) else { continue };
        for unit in ready {
            let Some(u) = crate::tasklist::TaskId::parse(&unit.id).ok().and_then(|uid| list.find(&uid)) else { continue };
            if list.is_within(u, x) || list.is_within(x, u) {
                let reason = format!("task {} would start next (stop before {id})", unit.id);
                return Some(StopReached { point: stop.clone(), reason });
            }
        }
    }
    None
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}
