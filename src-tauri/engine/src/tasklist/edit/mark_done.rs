//! Ticks a task: `[ ]` (or any other box mark) becomes `[x]`, a line without a
//! box gets ` ✅`, an optional artifacts link follows, and parents whose
//! children are now all done are ticked the same way.

use super::splice::{apply, Splice};
use super::EditError;
use crate::tasklist::document::TaskList;
use crate::tasklist::id::TaskId;

/// The file after ticking, and which tasks were ticked (document order;
/// empty when the task was already marked done, and the text is unchanged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedDone {
    pub text: Vec<u8>,
    pub marked: Vec<TaskId>,
}

impl TaskList {
    /// Marks `id` done. A group's unticked subtasks (its checklist) are ticked
    /// with it; then each ancestor whose live children are now all done is
    /// ticked, up to the first that is not (or is already ticked). The link,
    /// when given, goes on `id`'s line only: ` ([artifacts](LINK))`.
    pub fn mark_done(&self, id: &TaskId, artifacts_link: Option<&str>) -> Result<MarkedDone, EditError> {
        let t = self.find(id).ok_or_else(|| EditError::UnknownTask(id.clone()))?;
        if self.tasks[t].retired {
            return Err(EditError::Retired(id.clone()));
        }
        if let Some(link) = artifacts_link {
            if link.is_empty() || link.chars().any(|c| c.is_whitespace() || c == '(' || c == ')') {
                return Err(EditError::BadLink(link.to_string()));
            }
        }
        if self.tasks[t].marked_done {
            return Ok(MarkedDone { text: self.source.clone(), marked: Vec::new() });
        }
        let mut marking = vec![false; self.tasks.len()];
        let mut stack = vec![t];
        while let Some(i) = stack.pop() {
            marking[i] = !self.tasks[i].marked_done;
            stack.extend(self.live_children(i));
        }
        for a in self.ancestors(t).collect::<Vec<_>>() {
            let task = &self.tasks[a];
            if task.retired || task.marked_done || self.ancestors(a).any(|up| self.tasks[up].marked_done) {
                break;
            }
            if !self.live_children(a).all(|c| self.subtree_done(c, &marking)) {
                break;
            }
            marking[a] = true;
        }
        let mut splices = Vec::new();
        let mut marked = Vec::new();
        for (i, task) in self.tasks.iter().enumerate().filter(|(i, _)| marking[*i]) {
            marked.push(task.id.clone());
            let mut tail = String::new();
            match &task.shape.checkbox {
                Some(inside) => splices.push(Splice::replace(inside.clone(), "x")),
                None => tail.push_str(" ✅"),
            }
            if let (true, Some(link)) = (i == t, artifacts_link) {
                tail.push_str(&format!(" ([artifacts]({link}))"));
            }
            if !tail.is_empty() {
                splices.push(Splice::insert(self.mark_position(i), tail));
            }
        }
        Ok(MarkedDone { text: apply(&self.source, splices), marked })
    }

    /// Done once `marking` is ticked: no path of unticked tasks leads from
    /// `root` to an unticked live leaf.
    fn subtree_done(&self, root: usize, marking: &[bool]) -> bool {
        let ticked = |i: usize| self.tasks[i].marked_done || self.tasks[i].retired || marking[i];
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if ticked(i) {
                continue;
            }
            let before = stack.len();
            stack.extend(self.live_children(i));
            if stack.len() == before {
                return false;
            }
        }
        true
    }

    /// Where a mark appended to a task line goes: after its last visible
    /// character, before a trailing `<!--` comment it opens.
    fn mark_position(&self, task: usize) -> usize {
        let shape = &self.tasks[task].shape;
        let line = &self.source[shape.id.end..shape.trimmed_end];
        match crate::tasklist::regions::find(line, b"<!--") {
            Some(open) => {
                let before = &line[..open];
                shape.id.end + before.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1)
            }
            None => shape.trimmed_end,
        }
    }
}
