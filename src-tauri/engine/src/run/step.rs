//! The steps of one task, in the order the design card names them.

use serde::{Deserialize, Serialize};

/// Where a task is in `SELECT → PREP → IMPLEMENT → VERIFY → MERGE → PUSH → DONE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Select,
    Prep,
    Implement,
    Verify,
    ErrorSolve,
    Merge,
    Push,
    Done,
    HumanReview,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Select => "select",
            Step::Prep => "prep",
            Step::Implement => "implement",
            Step::Verify => "verify",
            Step::ErrorSolve => "error_solve",
            Step::Merge => "merge",
            Step::Push => "push",
            Step::Done => "done",
            Step::HumanReview => "human_review",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        [
            Step::Select,
            Step::Prep,
            Step::Implement,
            Step::Verify,
            Step::ErrorSolve,
            Step::Merge,
            Step::Push,
            Step::Done,
            Step::HumanReview,
        ]
        .into_iter()
        .find(|s2| s2.as_str() == s)
    }
}

/// A task's standing in the run engine's database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Running,
    Done,
    HumanReview,
    Skipped,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Running => "running",
            TaskStatus::Done => "done",
            TaskStatus::HumanReview => "human_review",
            TaskStatus::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        [TaskStatus::Running, TaskStatus::Done, TaskStatus::HumanReview, TaskStatus::Skipped]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}
