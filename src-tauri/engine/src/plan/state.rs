//! Where every task stands once the file's marks and the run engine's
//! overrides are combined, and which dependencies still hold a unit back.

use crate::tasklist::TaskList;

use super::types::{Overrides, Unit};

/// Per-task standing, indexed like `TaskList::tasks()`.
pub(crate) struct Standing {
    /// Done for planning: marked, overridden done or skipped, retired, covered
    /// by a ticked ancestor, or all live children done.
    pub done: Vec<bool>,
    /// Skipped by a person, itself or through an ancestor.
    pub skipped: Vec<bool>,
    /// In flight, itself or through an ancestor.
    pub in_flight: Vec<bool>,
    /// Some live descendant is in flight.
    pub busy_below: Vec<bool>,
    /// The task or something under it was skipped: it cannot satisfy a
    /// dependency (a person decided it is not done).
    pub skip_below: Vec<bool>,
}

impl Standing {
    pub fn new(list: &TaskList, overrides: &Overrides) -> Standing {
        let n = list.tasks().len();
        let flags = |set: &std::collections::HashSet<crate::tasklist::TaskId>| {
            let mut marked = vec![false; n];
            for id in set {
                if let Some(i) = list.find(id) {
                    marked[i] = true;
                }
            }
            marked
        };
        let done_set = flags(&overrides.done);
        let skip_set = flags(&overrides.skipped);
        let flight_set = flags(&overrides.in_flight);
        let done = list.completion(|i| done_set[i] || skip_set[i]);
        // Most runs override nothing: then nothing is inherited either.
        let inherit = |own: &[bool]| {
            if !own.contains(&true) {
                return vec![false; n];
            }
            (0..n).map(|i| own[i] || list.ancestors(i).any(|a| own[a])).collect::<Vec<_>>()
        };
        let skipped = inherit(&skip_set);
        let in_flight = inherit(&flight_set);
        let mut busy_below = vec![false; n];
        for i in (0..n).filter(|i| flight_set[*i]) {
            for a in list.ancestors(i) {
                busy_below[a] = true;
            }
        }
        let mut skip_below = skipped.clone();
        for i in (0..n).filter(|i| skip_set[*i]) {
            for a in list.ancestors(i) {
                skip_below[a] = true;
            }
        }
        Standing { done, skipped, in_flight, busy_below, skip_below }
    }

    /// Does `task` count as done for the tasks that depend on it?
    pub fn satisfies(&self, task: usize) -> bool {
        self.done[task] && !self.skip_below[task]
    }

    /// Can `task` be started as a unit (not done, nothing of it in flight)?
    pub fn startable(&self, task: usize) -> bool {
        !self.done[task] && !self.in_flight[task] && !self.busy_below[task]
    }
}

/// The unit a leaf belongs to: its parent when the unit is `Group` and every
/// live child of that parent is a leaf; the leaf itself otherwise.
pub(crate) fn unit_of(list: &TaskList, leaf: usize, unit: Unit) -> usize {
    if unit == Unit::Leaf {
        return leaf;
    }
    match list.tasks()[leaf].parent {
        Some(p) if !list.tasks()[p].retired && list.live_children(p).all(|c| list.is_leaf(c)) => p,
        _ => leaf,
    }
}

/// Every dependency target that applies to `unit`: its own, its ancestors',
/// and for a group its children's that point outside the group. Unknown IDs
/// give `None`.
pub(crate) fn applicable_deps(list: &TaskList, unit: usize, group: bool) -> Vec<Option<usize>> {
    let tasks = list.tasks();
    let mut out: Vec<Option<usize>> = Vec::new();
    let mut push_all = |t: usize, skip_inside: bool| {
        for dep in &tasks[t].deps {
            if skip_inside && dep.target.is_some_and(|x| list.is_within(x, unit)) {
                continue;
            }
            if !out.contains(&dep.target) {
                out.push(dep.target);
            }
        }
    };
    push_all(unit, group);
    for a in list.ancestors(unit) {
        push_all(a, false);
    }
    if group {
        for c in list.live_children(unit) {
            push_all(c, true);
        }
    }
    out
}
