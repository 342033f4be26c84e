//! Done-ness counts for progress bars and estimates: per phase (top-level
//! task) and overall, counting units of work (leaves).

use serde::Serialize;

use crate::tasklist::TaskList;

use super::state::Standing;
use super::types::Overrides;

/// Leaves by standing; each leaf is in exactly one of the four buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct Counts {
    pub total: u32,
    pub done: u32,
    pub skipped: u32,
    pub in_flight: u32,
    pub remaining: u32,
}

/// One top-level task and its leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PhaseProgress {
    pub id: String,
    pub title: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Progress {
    pub overall: Counts,
    pub phases: Vec<PhaseProgress>,
    /// Tasks inside HTML comments (not counted above).
    pub retired: u32,
}

impl Counts {
    fn add(&mut self, standing: &Standing, leaf: usize) {
        self.total += 1;
        if standing.skipped[leaf] {
            self.skipped += 1;
        } else if standing.done[leaf] {
            self.done += 1;
        } else if standing.in_flight[leaf] {
            self.in_flight += 1;
        } else {
            self.remaining += 1;
        }
    }
}

/// Counts for the whole file and for each live top-level task.
pub fn progress(list: &TaskList, overrides: &Overrides) -> Progress {
    let standing = Standing::new(list, overrides);
    let mut overall = Counts::default();
    let mut phases: Vec<PhaseProgress> = Vec::new();
    let mut phase_of_root = vec![usize::MAX; list.tasks().len()];
    for &root in list.roots().iter().filter(|r| !list.tasks()[**r].retired) {
        phase_of_root[root] = phases.len();
        let task = &list.tasks()[root];
        phases.push(PhaseProgress { id: task.id.to_string(), title: task.title.clone(), counts: Counts::default() });
    }
    for (leaf, _) in list.live_tasks().filter(|(i, _)| list.is_leaf(*i)) {
        overall.add(&standing, leaf);
        let root = list.ancestors(leaf).last().unwrap_or(leaf);
        if let Some(phase) = phases.get_mut(phase_of_root[root]) {
            phase.counts.add(&standing, leaf);
        }
    }
    let retired = list.tasks().iter().filter(|t| t.retired).count();
    Progress { overall, phases, retired: u32::try_from(retired).unwrap_or(u32::MAX) }
}
