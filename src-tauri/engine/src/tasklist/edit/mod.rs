//! The only writes DevTeam makes to a task list, each the smallest that does
//! the job: tick a task, inject a task, append criteria. Every other byte stays.

mod add_criteria;
mod inject;
mod layout;
mod mark_done;
mod markup;
mod splice;

pub use inject::{InjectAt, Injected, NewTask};
pub use mark_done::MarkedDone;
pub use markup::criterion_markup;

use super::id::TaskId;

/// Why an edit was refused. The file is then left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no task {0} in the task list")]
    UnknownTask(TaskId),
    #[error("task {0} is inside an HTML comment; commented-out tasks are never edited")]
    Retired(TaskId),
    #[error("task {0} is already done; only a task not yet done can be replaced")]
    AlreadyDone(TaskId),
    #[error("the title must be one line of text, not empty")]
    BadTitle,
    #[error("unknown dependency {0}")]
    UnknownDependency(TaskId),
    #[error("artifacts link `{0}` must be a path without spaces, parentheses or line breaks")]
    BadLink(String),
    #[error("criterion cannot be written: {0}")]
    BadCriterion(String),
    #[error("the injected text would not read back as the task it should be ({0}); the file was not changed")]
    WouldNotReadBack(String),
}
