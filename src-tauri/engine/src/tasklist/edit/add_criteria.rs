//! Appends the project's default criteria under a task that has none, so the
//! file records what the task was checked against.

use super::markup::criterion_markup;
use super::splice::apply;
use super::EditError;
use crate::tasklist::criteria::CriterionSpec;
use crate::tasklist::document::TaskList;
use crate::tasklist::id::TaskId;

impl TaskList {
    /// Writes `criteria` as `- <criterion …>` lines at the end of the task's
    /// own body (before its first subtask). A task that already has criteria,
    /// or an empty list, leaves the file unchanged.
    pub fn append_criteria(&self, id: &TaskId, criteria: &[CriterionSpec]) -> Result<Vec<u8>, EditError> {
        let t = self.find(id).ok_or_else(|| EditError::UnknownTask(id.clone()))?;
        let task = &self.tasks[t];
        if task.retired {
            return Err(EditError::Retired(id.clone()));
        }
        if criteria.is_empty() || !task.criteria.is_empty() {
            return Ok(self.source.clone());
        }
        let indent = self.body_indent(t);
        let lines = criteria
            .iter()
            .map(|c| criterion_markup(c).map(|m| format!("{indent}- {m}")))
            .collect::<Result<Vec<_>, _>>()?;
        let last = self.section_last_line(task.line, task.line, task.body.end);
        let text = apply(&self.source, vec![self.insert_after_line(last, &lines, false)]);
        let after = crate::tasklist::parse(&text, &self.path);
        match after.task(id) {
            Some(written) if written.criteria.len() == criteria.len() && after.tasks.len() == self.tasks.len() => Ok(text),
            _ => Err(EditError::WouldNotReadBack("the criteria would not be read as this task's criteria".into())),
        }
    }
}
