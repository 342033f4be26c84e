//! The task list as the UI and the CLI show it: one flat row per task, in
//! document order, with its depth, status, dependencies and criteria.

use serde::Serialize;

use super::criteria::Criterion;
use super::diagnostic::to_u32;
use super::document::TaskList;

/// What the file says about a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
#[serde(rename = "FileTaskStatus")]
pub enum TaskStatus {
    /// Marked done on its own line.
    Done,
    /// Not marked done (it may still be complete through its children or a
    /// ticked ancestor: see `complete`).
    Open,
    /// Inside an HTML comment: counts as done, never runs.
    Retired,
}

/// One task as shown in a tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TaskNode {
    pub id: String,
    pub title: String,
    pub status: TaskStatus,
    /// Done as far as the file says: marked, retired, covered by a ticked
    /// ancestor, or all children done.
    pub complete: bool,
    /// The checkbox's content (` `, `x`, `~`, `-`, `/` …) when there is one.
    pub mark: Option<String>,
    /// `[ ]*`: optional.
    pub optional: bool,
    /// 0 for a top-level task.
    pub depth: u32,
    /// 1-based line.
    pub line: u32,
    pub parent: Option<String>,
    pub leaf: bool,
    /// Dependencies as written.
    pub deps: Vec<String>,
    pub criteria: Vec<Criterion>,
    pub agent: Option<String>,
    pub risky: bool,
}

impl TaskList {
    /// Every task, retired ones included, in document order.
    pub fn tree(&self) -> Vec<TaskNode> {
        let complete = self.completion(|_| false);
        self.tasks
            .iter()
            .enumerate()
            .map(|(i, task)| TaskNode {
                id: task.id.to_string(),
                title: task.title.clone(),
                status: if task.retired {
                    TaskStatus::Retired
                } else if task.marked_done {
                    TaskStatus::Done
                } else {
                    TaskStatus::Open
                },
                complete: complete[i],
                mark: task.box_mark.as_deref().map(str::to_string),
                optional: task.optional,
                depth: to_u32(self.depth(i)),
                line: self.line_number(task.line),
                parent: task.parent.map(|p| self.tasks[p].id.to_string()),
                leaf: self.is_leaf(i),
                deps: task.deps.iter().map(|d| d.id.to_string()).collect(),
                criteria: task.criteria.clone(),
                agent: task.agent.clone(),
                risky: task.risky,
            })
            .collect()
    }
}
