//! Builds the task tree from IDs, not indentation: `2.3.1` hangs under `2.3`,
//! `1.0` stands for `1` when `1` has no line, and a task whose parent is
//! missing hangs under its nearest existing ancestor (with a warning).

use std::collections::HashSet;

use super::diagnostic::{Diagnostic, Severity};
use super::document::TaskList;
use super::id::TaskId;

/// Sets parents, children, roots and dependency targets; warns once per
/// missing parent ID of a live task.
pub fn link(list: &mut TaskList) {
    let mut warned: HashSet<TaskId> = HashSet::new();
    for t in 0..list.tasks.len() {
        let id = list.tasks[t].id.clone();
        let mut parent = None;
        let mut missing = None;
        let mut prefix = id.parent();
        while let Some(p) = prefix {
            if let Some(found) = lookup_other(list, &p, t) {
                parent = Some(found);
                break;
            }
            if missing.is_none() && !id.ends_in_zero() {
                missing = Some(p.clone());
            }
            prefix = p.parent();
        }
        list.tasks[t].parent = parent;
        match parent {
            Some(p) => list.tasks[p].children.push(t),
            None => list.roots.push(t),
        }
        if let Some(missing) = missing.filter(|_| !list.tasks[t].retired) {
            if warned.insert(missing.clone()) {
                let attached = parent.map_or("the top level".to_string(), |p| format!("{}", list.tasks[p].id));
                let message = format!("{id} has no parent task {missing}; it is attached to {attached}");
                let line = list.tasks[t].line;
                let start = list.lines[line].start;
                let at = list.tasks[t].shape.id.start - start;
                let text = list.line_text(line).to_vec();
                list.notes.push(Diagnostic::at(&list.path, line, &text, at, Severity::Warning, message));
            }
        }
    }
}

/// The task named `id` (or its `.0` stand-in), unless that is task `me` itself.
fn lookup_other(list: &TaskList, id: &TaskId, me: usize) -> Option<usize> {
    let direct = list.index.get(id).copied().filter(|i| *i != me);
    direct.or_else(|| list.index.get(&id.child("0")).copied().filter(|i| *i != me))
}

/// Points every dependency at the task it names, when there is one.
pub fn resolve_dependencies(list: &mut TaskList) {
    for t in 0..list.tasks.len() {
        for d in 0..list.tasks[t].deps.len() {
            let target = list.find(&list.tasks[t].deps[d].id);
            list.tasks[t].deps[d].target = target;
        }
    }
}
