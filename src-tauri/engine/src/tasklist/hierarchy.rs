//! Builds the task tree from IDs, not indentation: `2.3.1` hangs under `2.3`,
//! `1.0` stands for `1` when `1` has no line, and a task whose parent is
//! missing hangs under its nearest existing ancestor (with a warning).

use std::collections::HashSet;

use super::diagnostic::{Diagnostic, Severity};
use super::document::TaskList;
use super::id_index;

/// Sets parents, children, roots and dependency targets; warns once per
/// missing parent ID of a live task.
pub fn link(list: &mut TaskList) {
    let mut warned: HashSet<String> = HashSet::new();
    let mut notes = Vec::new();
    let mut parents = Vec::with_capacity(list.tasks.len());
    // The last task seen at each depth: in document order, a task's parent is
    // almost always the last one a level up, which saves a lookup.
    let mut last_at_depth: Vec<usize> = Vec::new();
    for (t, task) in list.tasks.iter().enumerate() {
        let id = &task.id;
        let key = id_index::key(id);
        let depth = id.depth();
        let mut parent = None;
        let mut missing = None;
        let mut prefix = id_index::parent_key(&key);
        if let (Some(p), Some(&above)) = (prefix, depth.checked_sub(2).and_then(|d| last_at_depth.get(d))) {
            if id_index::same_numbers(list.tasks[above].id.as_str().as_bytes(), p.as_bytes()) {
                parent = Some(above);
                prefix = None;
            }
        }
        if last_at_depth.len() < depth {
            last_at_depth.resize(depth, t);
        }
        last_at_depth[depth - 1] = t;
        while let Some(p) = prefix {
            if let Some(found) = lookup_other(list, p, t) {
                parent = Some(found);
                break;
            }
            if missing.is_none() && !id_index::ends_in_zero(&key) {
                missing = Some(p);
            }
            prefix = id_index::parent_key(p);
        }
        parents.push(parent);
        if let Some(missing) = missing.filter(|_| !task.retired) {
            if warned.insert(missing.to_string()) {
                // Name the missing parent as the child writes it (`08.1` → `08`).
                let written = id.segments().take(missing.split('.').count()).collect::<Vec<_>>().join(".");
                let attached = parent.map_or("the top level".to_string(), |p| format!("{}", list.tasks[p].id));
                let message = format!("{id} has no parent task {written}; it is attached to {attached}");
                let line = task.line;
                let at = task.shape.id.start - list.lines[line].start;
                notes.push(Diagnostic::at(&list.path, line, list.line_text(line), at, Severity::Warning, message));
            }
        }
    }
    let mut counts = vec![0u32; list.tasks.len()];
    for p in parents.iter().flatten() {
        counts[*p] += 1;
    }
    for (task, count) in list.tasks.iter_mut().zip(counts) {
        task.children.reserve_exact(count as usize);
    }
    for (t, parent) in parents.into_iter().enumerate() {
        list.tasks[t].parent = parent;
        match parent {
            Some(p) => list.tasks[p].children.push(t),
            None => list.roots.push(t),
        }
    }
    list.notes.extend(notes);
}

/// The task with normalized ID `key` (or its `.0` stand-in), unless that is task `me`.
fn lookup_other(list: &TaskList, key: &str, me: usize) -> Option<usize> {
    let direct = list.lookup(key, false).filter(|i| *i != me);
    direct.or_else(|| list.lookup(key, true).filter(|i| *i != me))
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
