//! What deserves a desktop notification, and its words: a pure mapping from
//! the engine's events to notices (no I/O, so every text is unit-tested);
//! `desktop` shows them through the notification plugin.
//!
//! The mapping keeps a little memory, all of it fed by the same events:
//! project names (for "Acme / CRM"), task titles (a `blocked` event carries
//! only the task id), the finished tasks of each project's run when
//! notifications are batched, and which blocks were already announced as
//! approvals. A new kind of notice is one arm in [`Notices::on_event`].

pub mod desktop;

use std::collections::{HashMap, HashSet};

use devteam_engine::orchestrator::ExecState;
use devteam_engine::project::Project;
use devteam_engine::run::RunEnd;
use devteam_engine::EngineEvent;

/// Longest body shown; servers cut long bodies anyway, often mid-word.
const MAX_BODY_CHARS: usize = 300;
/// Tasks listed by name in a batched notice.
const LISTED_TASKS: usize = 5;

/// Why a notice was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// One task is done (per-task notifications).
    TaskDone,
    /// Several tasks of a run are done (batched notifications).
    TasksDone,
    /// Every task of the project is done.
    ProjectDone,
    /// A task went to HUMAN_REVIEW: the project waits for a person.
    NeedsPerson,
    /// A risky task waits for a person's approval.
    ApprovalNeeded,
    /// The run could not go on.
    RunFailed,
}

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The project a click on the notice opens.
    pub project_id: String,
    pub kind: NoticeKind,
    pub summary: String,
    pub body: String,
}

/// Turns engine events into notices; see the module doc for its memory.
#[derive(Debug, Default)]
pub struct Notices {
    /// Project id → "Customer / Name".
    names: HashMap<String, String>,
    /// (project, task) → title, from the steps the runs report.
    titles: HashMap<(String, String), String>,
    /// Project → "id title" of the tasks done in the current run (batched).
    done: HashMap<String, Vec<String>>,
    /// (project, task) announced as an approval: its `blocked` is not repeated.
    approvals: HashSet<(String, String)>,
    /// Projects whose failure was announced (until they run again).
    failed: HashSet<String>,
}

impl Notices {
    pub fn new(projects: &[Project]) -> Self {
        let mut this = Self::default();
        for p in projects {
            this.remember(p);
        }
        this
    }

    /// The notices `event` raises; `per_task` is the app setting
    /// `notify_per_task` at the time of the event.
    pub fn on_event(&mut self, event: &EngineEvent, per_task: bool) -> Vec<Notice> {
        match event {
            EngineEvent::ProjectAdded { project } | EngineEvent::ProjectUpdated { project } => {
                self.remember(project);
                Vec::new()
            }
            EngineEvent::ProjectRemoved { project_id } => {
                self.names.remove(project_id);
                self.titles.retain(|(p, _), _| p != project_id);
                self.done.remove(project_id);
                Vec::new()
            }
            EngineEvent::StepStarted { project_id, task_id, title, .. } => {
                self.titles.insert((project_id.clone(), task_id.clone()), title.clone());
                Vec::new()
            }
            EngineEvent::TaskDone { project_id, task_id, title, branch, attempts, pr_url, .. } => {
                if !per_task {
                    self.done.entry(project_id.clone()).or_default().push(format!("{task_id} {title}"));
                    return Vec::new();
                }
                let mut body = title.clone();
                if *attempts > 1 {
                    body.push_str(&format!(" (after {attempts} attempts)"));
                }
                match pr_url {
                    Some(url) => body.push_str(&format!("\nPull request: {url}")),
                    None => body.push_str(&format!("\nBranch {branch}")),
                }
                vec![self.notice(project_id, NoticeKind::TaskDone, format!("task {task_id} done"), body)]
            }
            EngineEvent::ApprovalNeeded { project_id, task_id, title, reason, .. } => {
                self.approvals.insert((project_id.clone(), task_id.clone()));
                let body = format!("Task {task_id} {title}: {reason}");
                vec![self.notice(project_id, NoticeKind::ApprovalNeeded, "approval needed".into(), body)]
            }
            EngineEvent::Blocked { project_id, task_id, reason, .. } => {
                if self.approvals.remove(&(project_id.clone(), task_id.clone())) {
                    return Vec::new();
                }
                let task = match self.titles.get(&(project_id.clone(), task_id.clone())) {
                    Some(title) => format!("Task {task_id} {title}"),
                    None => format!("Task {task_id}"),
                };
                let summary = format!("{} needs you", self.name(project_id));
                vec![Notice { project_id: project_id.clone(), kind: NoticeKind::NeedsPerson, summary, body: clip(&format!("{task}: {reason}")) }]
            }
            EngineEvent::RunFinished { project_id, end } => self.run_finished(project_id, end),
            EngineEvent::ExecutionChanged { execution } => {
                let id = &execution.project_id;
                if execution.state.is_active() {
                    self.failed.remove(id);
                    return Vec::new();
                }
                if execution.state != ExecState::Failed || !self.failed.insert(id.clone()) {
                    return Vec::new();
                }
                let mut out = self.flush(id).into_iter().collect::<Vec<_>>();
                let body = execution.reason.clone().unwrap_or_else(|| "Open DevTeam to see its log.".into());
                out.push(self.notice(id, NoticeKind::RunFailed, "the run stopped with an error".into(), body));
                out
            }
            _ => Vec::new(),
        }
    }

    fn run_finished(&mut self, project_id: &str, end: &RunEnd) -> Vec<Notice> {
        match end {
            RunEnd::AllDone { tasks_done } => {
                let mut body = "Every task in its task list is done.".to_string();
                match self.done.remove(project_id) {
                    Some(done) if !done.is_empty() => {
                        body.push_str(&format!("\n{} in this run:\n{}", count(done.len()), listing(&done)));
                    }
                    _ if *tasks_done > 0 => body.push_str(&format!(" {} in this run.", count(*tasks_done as usize))),
                    _ => {}
                }
                vec![self.notice(project_id, NoticeKind::ProjectDone, "complete".into(), body)]
            }
            // Blocked was announced by its own event; the others are a
            // person's doing or a stop point: only the batch is told.
            _ => self.flush(project_id).into_iter().collect(),
        }
    }

    /// The batched "N tasks done" notice of a project, if any task is done.
    fn flush(&mut self, project_id: &str) -> Option<Notice> {
        let done = self.done.remove(project_id).filter(|d| !d.is_empty())?;
        Some(self.notice(project_id, NoticeKind::TasksDone, format!("{} done", count(done.len())), listing(&done)))
    }

    /// A notice whose summary is "Project: what".
    fn notice(&self, project_id: &str, kind: NoticeKind, what: String, body: String) -> Notice {
        let summary = match kind {
            NoticeKind::ProjectDone => format!("{} is {what}", self.name(project_id)),
            _ => format!("{}: {what}", self.name(project_id)),
        };
        Notice { project_id: project_id.to_string(), kind, summary, body: clip(&body) }
    }

    fn remember(&mut self, project: &Project) {
        let label = format!("{} / {}", project.settings.customer.trim(), project.settings.name.trim());
        self.names.insert(project.id.clone(), label);
    }

    fn name(&self, project_id: &str) -> String {
        self.names.get(project_id).cloned().unwrap_or_else(|| project_id.to_string())
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 task".into()
    } else {
        format!("{n} tasks")
    }
}

fn listing(done: &[String]) -> String {
    let mut lines: Vec<String> = done.iter().take(LISTED_TASKS).cloned().collect();
    if done.len() > LISTED_TASKS {
        lines.push(format!("and {} more", done.len() - LISTED_TASKS));
    }
    lines.join("\n")
}

fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_BODY_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_BODY_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests;
