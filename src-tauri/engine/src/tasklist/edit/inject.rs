//! Injects a task while a project runs: before a task (priority), after a
//! task's whole subtree (positional), or in place of a task not yet done —
//! with a fresh ID among its siblings, shaped like them, dependencies kept valid.

use super::splice::{apply, Splice};
use super::EditError;
use crate::tasklist::document::TaskList;
use crate::tasklist::id::TaskId;
use crate::tasklist::lines::ending_near;
use crate::tasklist::id_index;
use crate::tasklist::validate::stands_for_key;

/// Where the new task goes; the named task is its sibling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InjectAt {
    /// Just before this task; the new task copies its dependencies, so it is
    /// ready whenever this one was.
    Before(TaskId),
    /// After this task and all its subtasks; the new task depends on it.
    After(TaskId),
    /// Instead of this task (not done) and its subtasks; the new task takes its
    /// dependencies, and dependencies on the old ones are rewritten to it.
    Replace(TaskId),
}

/// The task to inject.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewTask {
    /// One line; runs of spaces are collapsed.
    pub title: String,
    /// Lines written under the task, indented like a body.
    pub body: Option<String>,
    /// Dependencies to declare instead of the defaults of [`InjectAt`].
    pub deps: Option<Vec<TaskId>>,
}

/// The file with the task injected, and the ID it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    pub text: Vec<u8>,
    pub id: TaskId,
}

impl TaskList {
    /// Injects `task` at `at`. The result is read back before it is returned;
    /// if it would not parse as the intended task, nothing is changed.
    pub fn inject(&self, at: &InjectAt, task: &NewTask) -> Result<Injected, EditError> {
        let title = task.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() || task.title.contains(['\n', '\r']) {
            return Err(EditError::BadTitle);
        }
        let (InjectAt::Before(anchor_id) | InjectAt::After(anchor_id) | InjectAt::Replace(anchor_id)) = at;
        let a = self.find(anchor_id).ok_or_else(|| EditError::UnknownTask(anchor_id.clone()))?;
        let replaced: Vec<usize> = match at {
            InjectAt::Replace(_) => self.replaceable(a)?,
            _ => Vec::new(),
        };
        if self.tasks[a].retired {
            return Err(EditError::Retired(anchor_id.clone()));
        }
        let new_id = self.fresh_sibling_id(a);
        let deps = self.injected_deps(at, a, task, &replaced)?;
        let mut lines = vec![self.sibling_line(a, &new_id, &title, &deps)];
        if let Some(body) = &task.body {
            let indent = self.body_indent(a);
            lines.extend(body.lines().map(|l| if l.trim().is_empty() { String::new() } else { format!("{indent}{l}") }));
        }
        let anchor = &self.tasks[a];
        let last = self.section_last_line(anchor.line, self.last_task_line_within(a), self.subtree_end(a));
        let follows = if matches!(at, InjectAt::Before(_)) { anchor.line } else { last + 1 };
        let bare = !anchor.shape.bullet && anchor.shape.checkbox.is_none() && !self.is_heading_task(a);
        if bare && lines.len() > 1 && follows < self.lines.len() && !self.is_blank_line(follows) {
            // Body prose would swallow a bare task line right after it.
            lines.push(String::new());
        }
        let mut splices = Vec::new();
        match at {
            InjectAt::Before(_) => {
                let eol = ending_near(&self.lines, anchor.line);
                let blank_before = anchor.line > 0 && self.is_blank_line(anchor.line - 1) && lines.last().is_some_and(|l| !l.is_empty());
                let mut text: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
                if blank_before {
                    text.push_str(eol);
                }
                splices.push(Splice::insert(self.lines[anchor.line].start, text));
            }
            InjectAt::After(_) => {
                splices.push(self.insert_after_line(last, &lines, true));
            }
            InjectAt::Replace(_) => {
                let eol = ending_near(&self.lines, anchor.line);
                let range = self.lines[anchor.line].start..self.lines[last].content_end;
                splices.push(Splice::replace(range, lines.join(eol)));
                for (_, other) in self.live_tasks().filter(|(u, _)| !replaced.contains(u)) {
                    for dep in other.deps.iter().filter(|d| d.target.is_some_and(|x| replaced.contains(&x))) {
                        splices.push(Splice::replace(dep.at.clone(), new_id.as_str()));
                    }
                }
            }
        }
        let text = apply(&self.source, splices);
        self.check_injected(&text, &new_id, &title, deps.len(), &replaced)?;
        Ok(Injected { text, id: new_id })
    }

    /// The tasks a replacement removes (the task and its subtasks), if none is
    /// done or retired.
    fn replaceable(&self, a: usize) -> Result<Vec<usize>, EditError> {
        let within: Vec<usize> = (0..self.tasks.len()).filter(|u| self.is_within(*u, a)).collect();
        for &u in &within {
            let task = &self.tasks[u];
            if task.retired {
                return Err(EditError::Retired(task.id.clone()));
            }
            if task.marked_done {
                return Err(EditError::AlreadyDone(task.id.clone()));
            }
        }
        Ok(within)
    }

    fn last_task_line_within(&self, a: usize) -> usize {
        (0..self.tasks.len()).filter(|u| self.is_within(*u, a)).map(|u| self.tasks[u].line).max().unwrap_or(self.tasks[a].line)
    }

    /// One more than the largest number among the anchor's siblings (retired
    /// ones included), written with the same prefix and zero padding.
    fn fresh_sibling_id(&self, a: usize) -> TaskId {
        let own = id_index::key(&self.tasks[a].id);
        let effective = stands_for_key(self, own.as_ref());
        let stands_in = effective.len() != own.len();
        let group = id_index::parent_key(&effective);
        let largest = self
            .tasks
            .iter()
            .filter_map(|t| {
                let key = stands_for_key(self, id_index::key(&t.id));
                (id_index::parent_key(&key) == group).then(|| key.rsplit('.').next().and_then(|n| n.parse::<u64>().ok()))
            })
            .flatten()
            .max()
            .unwrap_or(0);
        // The anchor as written, without the `.0` it stands in with.
        let written = self.tasks[a].id.as_str();
        let written = if stands_in { written.rsplit_once('.').map_or(written, |(p, _)| p) } else { written };
        let last = written.rsplit('.').next().unwrap_or(written);
        let width = if last.len() > 1 && last.starts_with('0') { last.len() } else { 0 };
        let number = format!("{:0width$}", largest.saturating_add(1));
        let mut text = match written.rsplit_once('.') {
            Some((prefix, _)) => format!("{prefix}.{number}"),
            None => number,
        };
        if stands_in {
            text.push_str(".0");
        }
        TaskId::from_valid(&text)
    }

    fn injected_deps(&self, at: &InjectAt, a: usize, task: &NewTask, replaced: &[usize]) -> Result<Vec<String>, EditError> {
        if let Some(given) = &task.deps {
            let mut out = Vec::new();
            for id in given {
                match self.find(id) {
                    Some(x) if !replaced.contains(&x) => out.push(id.to_string()),
                    _ => return Err(EditError::UnknownDependency(id.clone())),
                }
            }
            return Ok(out);
        }
        let anchor = &self.tasks[a];
        Ok(match at {
            InjectAt::After(_) => vec![anchor.id.to_string()],
            InjectAt::Before(_) | InjectAt::Replace(_) => anchor
                .deps
                .iter()
                .filter(|d| d.target.is_some_and(|x| !replaced.contains(&x)))
                .map(|d| d.id.to_string())
                .collect(),
        })
    }

    /// A task line shaped like the anchor's: same indentation, heading marks,
    /// bullet, empty checkbox, keyword, dot, colon and emphasis.
    fn sibling_line(&self, a: usize, id: &TaskId, title: &str, deps: &[String]) -> String {
        let shape = &self.tasks[a].shape;
        let mut prefix = match &shape.checkbox {
            Some(inside) => {
                let mut bytes = self.source[shape.prefix.start..inside.start].to_vec();
                bytes.extend_from_slice(b" ]");
                let mut after = inside.end + 1;
                if self.tasks[a].optional {
                    after += 1;
                }
                bytes.extend_from_slice(&self.source[after..shape.id.start]);
                bytes
            }
            None => self.source[shape.prefix.clone()].to_vec(),
        };
        if let Some(close) = prefix.windows(3).rposition(|w| w == b"-->") {
            let indent = prefix.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
            let rest = prefix[close + 3..].iter().skip_while(|b| **b == b' ').copied().collect::<Vec<_>>();
            prefix = [prefix[..indent].to_vec(), rest].concat();
        }
        let mut line = String::from_utf8_lossy(&prefix).into_owned();
        line.push_str(id.as_str());
        if shape.trailing_dot {
            line.push('.');
        }
        if shape.emphasis == crate::tasklist::lex::Emphasis::AroundId {
            line.push_str("**");
        }
        if shape.colon {
            line.push(':');
        }
        line.push(' ');
        line.push_str(title);
        if shape.emphasis == crate::tasklist::lex::Emphasis::AroundLine {
            line.push_str("**");
        }
        if !deps.is_empty() {
            line.push_str(&format!(" (Dependencies: [{}])", deps.join(", ")));
        }
        line
    }

    fn is_heading_task(&self, a: usize) -> bool {
        let shape = &self.tasks[a].shape;
        self.source[shape.prefix.clone()].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'#')
    }

    /// Reads the result back: the new task as intended, every other task still
    /// there with its title, the replaced ones gone.
    fn check_injected(&self, text: &[u8], id: &TaskId, title: &str, deps: usize, replaced: &[usize]) -> Result<(), EditError> {
        let after = crate::tasklist::parse(text, &self.path);
        let kept_all = self.tasks.iter().enumerate().all(|(i, old)| {
            let found = after.task(&old.id);
            if replaced.contains(&i) { found.is_none() } else { found.is_some_and(|t| t.title == old.title) }
        });
        let problem = match after.task(id) {
            _ if !kept_all || after.tasks.len() + replaced.len() != self.tasks.len() + 1 => {
                Some("other tasks would read differently")
            }
            None => Some("the new ID would not be found"),
            Some(task) if task.title != title => Some("the title would read differently"),
            Some(task) if task.marked_done || task.retired => Some("the task would read as done"),
            Some(task) if task.deps.len() != deps => Some("the title would add dependencies"),
            Some(_) => None,
        };
        match problem {
            Some(reason) => Err(EditError::WouldNotReadBack(reason.to_string())),
            None => Ok(()),
        }
    }
}
