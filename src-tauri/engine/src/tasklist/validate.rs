//! Decides whether a task list can be run: every problem at once, errors
//! (unknown or cyclic dependencies, malformed criteria, no tasks) and warnings
//! (duplicates, missing parents, numbering gaps), warnings made errors when strict.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde::Serialize;

use super::cycles;
use super::diagnostic::{to_u32, Diagnostic, Severity};
use super::document::TaskList;
use super::id_index::{self, FxHasher};

/// How demanding validation is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Every warning becomes an error (the project's `strict` setting).
    pub strict: bool,
}

/// The verdict on a task list: all its problems, sorted by position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Validation {
    pub diagnostics: Vec<Diagnostic>,
    pub errors: u32,
    pub warnings: u32,
}

impl Validation {
    /// No errors: the file may be run (and written).
    pub fn is_ok(&self) -> bool {
        self.errors == 0
    }

    /// Every diagnostic, rendered, separated by blank lines.
    pub fn render(&self) -> String {
        self.diagnostics.iter().map(|d| format!("{d}\n")).collect::<Vec<_>>().join("\n")
    }
}

/// Checks a parsed task list.
pub fn validate(list: &TaskList, options: ValidateOptions) -> Validation {
    let mut found: Vec<Diagnostic> = list.parse_diagnostics().to_vec();
    check_has_tasks(list, &mut found);
    let reported = check_dependencies(list, &mut found);
    for cycle in cycles::find(list, |t, d| !reported.contains(&(t, d))) {
        let names: Vec<String> = cycle.tasks.iter().map(|t| list.tasks[*t].id.to_string()).collect();
        let (t, d) = cycle.mention;
        let message = format!("dependency cycle: {}", names.join(" → "));
        found.push(at_dependency(list, t, d, Severity::Error, message));
    }
    check_numbering(list, &mut found);
    check_criterion_keys(list, &mut found);
    if options.strict {
        for d in found.iter_mut().filter(|d| d.severity == Severity::Warning) {
            d.severity = Severity::Error;
        }
    }
    found.sort_by_key(|d| (d.line, d.column, std::cmp::Reverse(d.severity)));
    let count = |s: Severity| to_u32(found.iter().filter(|d| d.severity == s).count());
    Validation { errors: count(Severity::Error), warnings: count(Severity::Warning), diagnostics: found }
}

fn check_has_tasks(list: &TaskList, found: &mut Vec<Diagnostic>) {
    let message = if list.tasks.is_empty() {
        "no tasks: no line starts with a task ID (like `- [ ] 1.1 Title` or `## 2. Title`)"
    } else if list.live_tasks().next().is_none() {
        "no tasks to run: every task is inside an HTML comment"
    } else {
        return;
    };
    let text = if list.lines.is_empty() { Vec::new() } else { list.line_text(0).to_vec() };
    found.push(Diagnostic::at(&list.path, 0, &text, 0, Severity::Error, message.to_string()));
}

fn at_dependency(list: &TaskList, t: usize, d: usize, severity: Severity, message: String) -> Diagnostic {
    let dep = &list.tasks[t].deps[d];
    let start = list.lines[dep.line].start;
    Diagnostic::at(&list.path, dep.line, list.line_text(dep.line), dep.at.start - start, severity, message)
}

/// Unknown IDs, and dependencies on oneself, one's descendants or ancestors
/// (each a deadlock). Returns the mentions reported, to keep them out of cycles.
fn check_dependencies(list: &TaskList, found: &mut Vec<Diagnostic>) -> Vec<(usize, usize)> {
    let mut reported = Vec::new();
    for (t, task) in list.live_tasks() {
        for (d, dep) in task.deps.iter().enumerate() {
            let message = match dep.target {
                None => format!("unknown dependency {} of task {}", dep.id, task.id),
                Some(x) if x == t => format!("dependency cycle: {} → {}", task.id, task.id),
                Some(x) if list.is_within(x, t) => format!("{} depends on its own descendant {}", task.id, dep.id),
                Some(x) if list.is_within(t, x) && !list.tasks[x].retired => {
                    format!("{} depends on its own ancestor {}, which is done only when {} is", task.id, dep.id, task.id)
                }
                Some(_) => continue,
            };
            reported.push((t, d));
            found.push(at_dependency(list, t, d, Severity::Error, message));
        }
    }
    reported
}

/// Warns where sibling numbers skip (`1.2` then `1.4`), whatever their order.
fn check_numbering(list: &TaskList, found: &mut Vec<Diagnostic>) {
    // Siblings are tasks whose IDs differ only in the last number. Most are
    // children of one parent task and are checked from its child list; the
    // rest (top level, tasks attached past a missing parent) are grouped by
    // ID prefix.
    let mut gaps = Vec::new();
    let mut loose: HashMap<String, Vec<(u64, usize)>, BuildHasherDefault<FxHasher>> = HashMap::default();
    let mut members = Vec::new();
    let effective = |t: usize| stands_for_key(list, id_index::key(&list.tasks[t].id));
    for p in 0..list.tasks.len() {
        let parent_key = effective(p);
        members.clear();
        for &c in &list.tasks[p].children {
            let key = effective(c);
            let (group, number) = split_last(&key);
            match number {
                Some(n) if id_index::same_numbers(group.as_bytes(), parent_key.as_bytes()) => members.push((n, c)),
                Some(n) => loose.entry(group.to_string()).or_default().push((n, c)),
                None => {}
            }
        }
        find_gaps(list, &mut members, &mut gaps);
    }
    for &r in &list.roots {
        let key = effective(r);
        if let (group, Some(n)) = split_last(&key) {
            loose.entry(group.to_string()).or_default().push((n, r));
        }
    }
    for members in loose.values_mut() {
        find_gaps(list, members, &mut gaps);
    }
    gaps.sort_unstable();
    for (after, before) in gaps {
        let task = &list.tasks[after];
        let message = format!("numbering skips from {} to {}", list.tasks[before].id, task.id);
        let start = list.lines[task.line].start;
        found.push(Diagnostic::at(&list.path, task.line, list.line_text(task.line), task.shape.id.start - start, Severity::Warning, message));
    }
}

/// The prefix and the last number of an ID key (`("2.3", 4)` for `2.3.4`).
fn split_last(key: &str) -> (&str, Option<u64>) {
    let (group, last) = match key.rfind('.') {
        Some(dot) => (&key[..dot], &key[dot + 1..]),
        None => ("", key),
    };
    (group, last.parse().ok())
}

/// Records (later task, earlier task) wherever the sorted numbers skip.
fn find_gaps(list: &TaskList, members: &mut [(u64, usize)], gaps: &mut Vec<(usize, usize)>) {
    if !members.windows(2).all(|w| w[0].0 < w[1].0) {
        members.sort_unstable();
    }
    for pair in members.windows(2) {
        let ((low, before), (high, after)) = (pair[0], pair[1]);
        if high > low + 1 && !list.tasks[after].retired {
            gaps.push((after, before));
        }
    }
}

/// The key a task takes its place under: `1.0` stands for `1` when `1` has no line.
pub(crate) fn stands_for_key<'k>(list: &TaskList, key: impl Into<Cow<'k, str>>) -> Cow<'k, str> {
    let key = key.into();
    match id_index::parent_key(&key) {
        Some(parent) if id_index::ends_in_zero(&key) && list.lookup(parent, false).is_none() => Cow::Owned(parent.to_string()),
        _ => key,
    }
}

/// Warns when one task names two criteria with the same key.
fn check_criterion_keys(list: &TaskList, found: &mut Vec<Diagnostic>) {
    use super::criteria::CriterionSpec;
    for (_, task) in list.live_tasks() {
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for criterion in &task.criteria {
            let CriterionSpec::Check { key: Some(key), .. } = &criterion.spec else { continue };
            if let Some(first) = seen.insert(key, criterion.line) {
                let line = criterion.line as usize - 1;
                let text = list.line_text(line);
                let at = crate::tasklist::regions::find(text, b"key=").unwrap_or(0);
                let message = format!("criterion key {key} is already used at line {first}");
                found.push(Diagnostic::at(&list.path, line, text, at, Severity::Warning, message));
                seen.insert(key, first);
            }
        }
    }
}
