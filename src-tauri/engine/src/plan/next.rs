//! Picks the next unit(s) of work: the first ready unit in document order
//! (sequential) or every ready unit (dependency), unless a stop point is reached.

use crate::tasklist::TaskList;

use super::state::{applicable_deps, unit_of, Standing};
use super::stops::{check_stops, reached_before, reached_now};
use super::types::{
    BlockedUnit, ChecklistItem, Next, NextState, Order, Overrides, PlanError, PlanOptions, TaskRef, UnitKind, WorkUnit,
};

const BLOCKED_SHOWN: usize = 20;

/// What may start now. Fails only on a stop point naming an unknown task.
pub fn next(list: &TaskList, options: &PlanOptions, overrides: &Overrides) -> Result<Next, PlanError> {
    check_stops(list, &options.stops)?;
    let standing = Standing::new(list, overrides);
    let mut next = Next { state: NextState::Ready, ready: Vec::new(), stop: None, blocked: Vec::new() };
    if list.live_tasks().all(|(i, _)| standing.done[i]) {
        next.state = NextState::AllDone;
        return Ok(next);
    }
    if let Some(stop) = reached_now(list, options, &standing) {
        next.state = NextState::Stopped;
        next.stop = Some(stop);
        return Ok(next);
    }
    let group = options.unit == super::types::Unit::Group;
    let mut seen = vec![false; list.tasks().len()];
    let mut ready = Vec::new();
    let mut blocked = Vec::new();
    for (leaf, _) in list.live_tasks().filter(|(i, _)| list.is_leaf(*i)) {
        let unit = unit_of(list, leaf, options.unit);
        if std::mem::replace(&mut seen[unit], true) || !standing.startable(unit) {
            continue;
        }
        let is_group = unit != leaf;
        let deps = applicable_deps(list, unit, is_group);
        let waiting: Vec<String> = deps
            .iter()
            .filter(|d| !d.is_some_and(|x| standing.satisfies(x)))
            .map(|d| d.map_or("(unknown)".to_string(), |x| list.tasks()[x].id.to_string()))
            .collect();
        if waiting.is_empty() {
            ready.push(work_unit(list, unit, is_group && group, &deps, &standing));
            if options.order == Order::Sequential {
                break;
            }
        } else if blocked.len() < BLOCKED_SHOWN {
            let task = &list.tasks()[unit];
            blocked.push(BlockedUnit { id: task.id.to_string(), title: task.title.clone(), waiting_on: waiting });
        }
    }
    if let Some(stop) = reached_before(list, options, &ready) {
        next.state = NextState::Stopped;
        next.stop = Some(stop);
        return Ok(next);
    }
    if ready.is_empty() {
        let in_flight = list.live_tasks().any(|(i, _)| standing.in_flight[i] && !standing.done[i]);
        next.state = if in_flight { NextState::Waiting } else { NextState::Blocked };
        next.blocked = blocked;
    } else {
        next.ready = ready;
    }
    Ok(next)
}

fn task_ref(list: &TaskList, t: usize) -> TaskRef {
    let task = &list.tasks()[t];
    TaskRef { id: task.id.to_string(), title: task.title.clone() }
}

fn work_unit(list: &TaskList, unit: usize, group: bool, deps: &[Option<usize>], standing: &Standing) -> WorkUnit {
    let task = &list.tasks()[unit];
    let mut criteria = task.criteria.clone();
    let mut checklist = Vec::new();
    let mut agent = task.agent.clone();
    let mut risky = task.risky;
    if group {
        for c in list.live_children(unit) {
            let child = &list.tasks()[c];
            checklist.push(ChecklistItem { id: child.id.to_string(), title: child.title.clone(), done: standing.done[c] });
            criteria.extend(child.criteria.iter().cloned());
            agent = agent.or_else(|| child.agent.clone());
            risky |= child.risky;
        }
    }
    WorkUnit {
        id: task.id.to_string(),
        title: task.title.clone(),
        line: list.line_number(task.line),
        kind: if group { UnitKind::Group } else { UnitKind::Leaf },
        ancestors: list.ancestors(unit).map(|a| task_ref(list, a)).collect(),
        deps: deps.iter().flatten().map(|d| task_ref(list, *d)).collect(),
        checklist,
        criteria,
        agent,
        risky,
    }
}
