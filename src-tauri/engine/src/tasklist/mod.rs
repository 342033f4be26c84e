//! Reads and edits a task list losslessly (see `docs/tasks-format.md`).
//!
//! Pure: no file or network access; callers hand in bytes and a display path.
//! `parse` never fails (problems become diagnostics), `validate` decides
//! whether a file may run, and the edits return new bytes that differ from
//! the old only where they must.
//!
//! Decisions beyond the contract:
//! - Tasks inside an HTML comment are *retired*: their IDs are known, so
//!   dependencies on them resolve and count as satisfied; they never run, are
//!   never edited, and a note says so. A line right after a comment closes
//!   (`PHASE 1 COMPLETED`) is prose about it, never a task.
//! - Lines in code fences and YAML front matter are never tasks.
//! - A ticked parent covers its children: they count as done too.
//! - `- 3 retries` (a bullet before a lone number with no `.` or `:`) is prose.

mod annotations;
mod criteria;
mod cycles;
mod deps;
mod diagnostic;
mod document;
mod edit;
mod hierarchy;
mod id;
mod id_index;
mod lex;
mod lines;
pub mod outcomes;
mod parse;
mod regions;
mod scan;
mod task_body;
mod title;
mod validate;
mod view;

pub use criteria::{Attribute, Check, Criterion, CriterionKind, CriterionSpec};
pub use diagnostic::{Diagnostic, Severity};
pub use document::{Dependency, Task, TaskList};
pub use edit::{criterion_markup, EditError, InjectAt, Injected, MarkedDone, NewTask};
pub use id::{IdError, TaskId};
pub use validate::{validate, ValidateOptions, Validation};
pub use view::{TaskNode, TaskStatus};

/// Reads a task list from any bytes (not necessarily UTF-8). Never fails;
/// `path` labels diagnostics. `parse(b).write() == b` for every `b`.
pub fn parse(bytes: &[u8], path: &str) -> TaskList {
    let mut list = parse::parse(bytes, path);
    hierarchy::resolve_dependencies(&mut list);
    list
}
