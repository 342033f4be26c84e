//! The parsed task list: the file's bytes, its lines, and the tasks found in
//! them with their hierarchy, dependencies, criteria and annotations.

use std::borrow::Cow;
use std::ops::Range;

use super::criteria::Criterion;
use super::diagnostic::Diagnostic;
use super::id::TaskId;
use super::id_index::{self, IdIndex};
use super::lex::Emphasis;
use super::lines::LineSpan;

/// A task list read from a file. Holds the exact bytes it was read from:
/// [`TaskList::write`] gives them back unchanged, and edits splice into them.
#[derive(Debug, Clone)]
pub struct TaskList {
    pub(crate) path: String,
    pub(crate) source: Vec<u8>,
    pub(crate) lines: Vec<LineSpan>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) index: IdIndex,
    pub(crate) roots: Vec<usize>,
    pub(crate) notes: Vec<Diagnostic>,
}

/// One task: a line whose first word is an ID, and the body under it.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    /// 0-based index of the task's line.
    pub line: usize,
    /// Lines under the task line up to the next task line (exclusive end).
    pub body: Range<usize>,
    /// The line itself says done: `[x]`, `[X]`, ✅, ✔ or ✔️.
    pub marked_done: bool,
    /// What is between the checkbox brackets, when there is a checkbox.
    pub box_mark: Option<Cow<'static, str>>,
    /// `[ ]*`: Kiro's optional task.
    pub optional: bool,
    /// Inside an HTML comment: known, done for dependencies, never run or edited.
    pub retired: bool,
    pub parent: Option<usize>,
    /// Child tasks, retired ones included, in document order.
    pub children: Vec<usize>,
    pub deps: Vec<Dependency>,
    pub criteria: Vec<Criterion>,
    /// `agent: NAME` in the body.
    pub agent: Option<String>,
    /// `risky: true` in the body.
    pub risky: bool,
    pub(crate) shape: LineShape,
}

/// A dependency as written, and the task it names when that task exists.
#[derive(Debug, Clone)]
pub struct Dependency {
    pub id: TaskId,
    pub target: Option<usize>,
    /// 0-based line of the mention.
    pub line: usize,
    /// Byte range of the ID in the file.
    pub at: Range<usize>,
}

/// Where the parts of a task line are, in file byte offsets, so edits can
/// change one mark or write a sibling shaped the same way.
#[derive(Debug, Clone)]
pub(crate) struct LineShape {
    /// Bytes before the ID: indentation, heading marks, bullet, checkbox, keyword.
    pub prefix: Range<usize>,
    pub checkbox: Option<Range<usize>>,
    pub id: Range<usize>,
    pub trailing_dot: bool,
    pub colon: bool,
    pub emphasis: Emphasis,
    pub bullet: bool,
    /// End of the line's content without trailing whitespace.
    pub trimmed_end: usize,
}

impl TaskList {
    /// The display path given to [`crate::tasklist::parse`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The bytes read, unchanged.
    pub fn source(&self) -> &[u8] {
        &self.source
    }

    /// The file again, byte for byte: the concatenation of its lines.
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.source.len());
        for line in &self.lines {
            out.extend_from_slice(&self.source[line.start..line.end]);
        }
        out
    }

    /// Every task, live and retired, in document order.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// Top-level tasks (and tasks attached to the top because no ancestor exists).
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// The index of a task by ID; `1` also finds `1.0` when `1` has no line of its own.
    pub fn find(&self, id: &TaskId) -> Option<usize> {
        self.find_key(id.as_str())
    }

    /// [`TaskList::find`] by ID text (`8.1` finds `08.1`).
    pub(crate) fn find_key(&self, key: &str) -> Option<usize> {
        if let Some(i) = self.lookup(key, false) {
            return Some(i);
        }
        if id_index::ends_in_zero(key) {
            if let Some(i) = id_index::parent_key(key).and_then(|p| self.lookup(p, false)) {
                return Some(i);
            }
        }
        self.lookup(key, true)
    }

    /// The task with exactly these numbers (`with_zero`: and `.0` after them).
    pub(crate) fn lookup(&self, key: &str, with_zero: bool) -> Option<usize> {
        self.index.get(key.as_bytes(), with_zero, |i| self.tasks[i].id.as_str().as_bytes())
    }

    pub fn task(&self, id: &TaskId) -> Option<&Task> {
        self.find(id).map(|i| &self.tasks[i])
    }

    /// Tasks that are not inside an HTML comment.
    pub fn live_tasks(&self) -> impl Iterator<Item = (usize, &Task)> {
        self.tasks.iter().enumerate().filter(|(_, t)| !t.retired)
    }

    /// Live children of a task.
    pub fn live_children(&self, task: usize) -> impl Iterator<Item = usize> + '_ {
        self.tasks[task].children.iter().copied().filter(|c| !self.tasks[*c].retired)
    }

    /// A live task with no live children: the atomic unit of work.
    pub fn is_leaf(&self, task: usize) -> bool {
        self.live_children(task).next().is_none()
    }

    /// Ancestors from the parent up to the root.
    pub fn ancestors(&self, task: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.tasks[task].parent, |p| self.tasks[*p].parent)
    }

    /// True when `inner` is `outer` or lies below it in the hierarchy.
    pub fn is_within(&self, inner: usize, outer: usize) -> bool {
        inner == outer || self.ancestors(inner).any(|a| a == outer)
    }

    /// Depth in the hierarchy: 0 for a root.
    pub fn depth(&self, task: usize) -> usize {
        self.ancestors(task).count()
    }

    /// 1-based line number of a 0-based line index.
    pub fn line_number(&self, line: usize) -> u32 {
        super::diagnostic::to_u32(line + 1)
    }

    /// The raw content of a line (no ending).
    pub fn line_text(&self, line: usize) -> &[u8] {
        &self.source[self.lines[line].content()]
    }

    /// The task's body exactly as written (invalid UTF-8 replaced), line endings kept.
    pub fn body_text(&self, task: usize) -> String {
        let body = &self.tasks[task].body;
        if body.is_empty() {
            return String::new();
        }
        let bytes = &self.source[self.lines[body.start].start..self.lines[body.end - 1].end];
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// Problems found while reading: duplicate IDs, missing parents, malformed
    /// criteria, unclosed fences. [`crate::tasklist::validate`] adds the rest.
    pub fn parse_diagnostics(&self) -> &[Diagnostic] {
        &self.notes
    }

    /// The last line of a task's whole subtree (its body and its descendants' bodies).
    pub fn subtree_end(&self, task: usize) -> usize {
        let mut end = self.tasks[task].body.end;
        let mut stack = self.tasks[task].children.clone();
        while let Some(child) = stack.pop() {
            end = end.max(self.tasks[child].body.end);
            stack.extend_from_slice(&self.tasks[child].children);
        }
        end
    }

    /// Done as far as the file says: marked, covered by a marked ancestor,
    /// retired, or a parent whose live children are all done. `extra(i)` adds
    /// tasks to treat as marked (the run engine's own state).
    pub fn completion(&self, extra: impl Fn(usize) -> bool) -> Vec<bool> {
        let n = self.tasks.len();
        let mut covered = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(t) = stack.pop() {
            let task = &self.tasks[t];
            let inherited = task.parent.is_some_and(|p| covered[p]);
            covered[t] = inherited || (!task.retired && (task.marked_done || extra(t)));
            order.push(t);
            stack.extend(task.children.iter().rev());
        }
        let mut done = covered.clone();
        for &t in order.iter().rev() {
            let task = &self.tasks[t];
            if task.retired {
                done[t] = true;
            } else if !done[t] {
                let mut live = self.live_children(t).peekable();
                done[t] = live.peek().is_some() && live.all(|c| done[c]);
            }
        }
        done
    }
}
