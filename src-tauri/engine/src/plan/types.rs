//! The plan's inputs (order, unit, stop points, the run engine's own state)
//! and its answer, serializable for the UI and the CLI.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::tasklist::{Criterion, EditError, TaskId};

/// Which ready work comes next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// The first ready unit in document order, one at a time (the safe default).
    #[default]
    Sequential,
    /// Every ready unit, in document order, for parallel work.
    Dependency,
}

/// What one unit of work is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A task with no subtasks.
    #[default]
    Leaf,
    /// A task whose subtasks are all leaves runs as one unit, its subtasks
    /// being the checklist; other leaves run alone.
    Group,
}

/// Where a project pauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "at", rename_all = "snake_case")]
pub enum StopPoint {
    /// Before the task (or any part of it) would start.
    Before(TaskId),
    /// Once the task is done (already done counts: the stop is reached at once).
    After(TaskId),
    /// Once the phase or parent task and all its subtasks are done.
    AfterPhase(TaskId),
    /// Once this many units have completed in the current run.
    AfterCount(u32),
}

/// What the run engine knows beyond the file's marks. Unknown IDs are ignored
/// (the file may have changed since).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Finished but not yet ticked in the file: done.
    pub done: HashSet<TaskId>,
    /// Skipped by a person: never selected, and satisfies its dependents (so
    /// the project can go on).
    pub skipped: HashSet<TaskId>,
    /// Running, or waiting for a person: never selected, does not satisfy its
    /// dependents.
    pub in_flight: HashSet<TaskId>,
}

/// How to plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    pub order: Order,
    pub unit: Unit,
    pub stops: Vec<StopPoint>,
    /// Units completed since the project (re)started, for `AfterCount`.
    pub completed_in_run: u32,
}

/// A task named in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TaskRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Leaf,
    Group,
}

/// A subtask of a group unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ChecklistItem {
    pub id: String,
    pub title: String,
    pub done: bool,
}

/// One unit of work ready to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct WorkUnit {
    pub id: String,
    pub title: String,
    /// 1-based line of the task.
    pub line: u32,
    pub kind: UnitKind,
    /// From the parent up to the top.
    pub ancestors: Vec<TaskRef>,
    /// Every dependency that applies (its own, its ancestors', and for a group
    /// its subtasks' outside the group), all done.
    pub deps: Vec<TaskRef>,
    /// A group's subtasks; empty for a leaf.
    pub checklist: Vec<ChecklistItem>,
    /// The unit's criteria (a group's include its subtasks').
    pub criteria: Vec<Criterion>,
    pub agent: Option<String>,
    pub risky: bool,
}

/// A unit that cannot start, and the dependencies it waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct BlockedUnit {
    pub id: String,
    pub title: String,
    pub waiting_on: Vec<String>,
}

/// The stop point that was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct StopReached {
    pub point: StopPoint,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum NextState {
    /// `ready` holds what may start now.
    Ready,
    /// A stop point was reached; nothing new starts.
    Stopped,
    /// Nothing is ready until something in flight finishes.
    Waiting,
    /// Nothing is ready and nothing is in flight: `blocked` says why.
    Blocked,
    /// Every task is done.
    AllDone,
}

/// The plan's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Next {
    pub state: NextState,
    /// Sequential: at most one. Dependency: all ready units.
    pub ready: Vec<WorkUnit>,
    pub stop: Option<StopReached>,
    /// When blocked: the first units that cannot start (up to 20).
    pub blocked: Vec<BlockedUnit>,
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("stop point on task {0}, which is not in the task list")]
    UnknownStop(TaskId),
    #[error("stop point after phase {0}, which has no subtasks (use a stop after the task instead)")]
    NotAPhase(TaskId),
    #[error(transparent)]
    Edit(#[from] EditError),
}
