//! The execution board: each started project's badge, task, step, progress
//! and ETA, kept in step with the engine's events.

use std::collections::HashMap;
use std::time::Instant;

use super::types::{ExecState, Execution, Priority};
use crate::engine::Engine;
use crate::error::EngineResult;
use crate::events::EngineEvent;
use crate::plan;
use crate::project::Project;
use crate::run::{RunEnd, Step};
use crate::tasklist;

/// Recent task durations kept per project for the ETA.
const RECENT: usize = 5;

#[derive(Default)]
pub(super) struct Board {
    items: HashMap<String, Execution>,
    /// When the current task of each project entered PREP.
    task_started: HashMap<String, (String, Instant)>,
    /// Seconds the last tasks of each project took.
    durations: HashMap<String, Vec<f64>>,
}

impl Board {
    pub fn put(&mut self, execution: Execution) {
        self.items.insert(execution.project_id.clone(), execution);
    }

    pub fn get(&self, project_id: &str) -> Option<Execution> {
        self.items.get(project_id).cloned()
    }

    pub fn all(&self) -> Vec<Execution> {
        let mut all: Vec<Execution> = self.items.values().cloned().collect();
        all.sort_by(|a, b| a.project_id.cmp(&b.project_id));
        all
    }

    /// Changes a project's execution (created with `priority` if new).
    pub fn update(&mut self, project_id: &str, priority: Priority, change: impl FnOnce(&mut Execution)) -> Execution {
        let e = self.items.entry(project_id.to_string()).or_insert_with(|| Execution::new(project_id, ExecState::Queued, priority));
        change(e);
        e.clone()
    }

    /// Sets a queued project's wait reason; `Some` when it changed.
    pub fn set_reason_if_changed(&mut self, project_id: &str, reason: &str) -> Option<Execution> {
        let e = self.items.get_mut(project_id)?;
        if e.reason.as_deref() == Some(reason) {
            return None;
        }
        e.reason = Some(reason.to_string());
        Some(e.clone())
    }

    /// Done/total from the project's clone, so a restarted app shows them.
    pub async fn seed_progress(&mut self, engine: &Engine, project: &Project) {
        if !self.items.contains_key(&project.id) {
            return;
        }
        let file = engine.paths().project(&project.id).join("clone").join(&project.settings.tasklist_path);
        let Ok(bytes) = std::fs::read(&file) else { return };
        let Ok(rows) = engine.task_runs(&project.id).await else { return };
        let list = tasklist::parse(&bytes, &project.settings.tasklist_path);
        let counts = plan::progress(&list, &crate::run::overrides_from(&rows)).overall;
        if let Some(e) = self.items.get_mut(&project.id) {
            e.done = counts.done;
            e.total = counts.total;
        }
    }

    /// A run ended (from the orchestrator's own task).
    pub fn finish(&mut self, project_id: &str, result: &EngineResult<RunEnd>) -> Execution {
        self.update(project_id, Priority::Normal, |e| {
            match result {
                Ok(end) => {
                    e.state = end_state(end);
                    e.reason = end.reason();
                }
                Err(err) => {
                    e.state = ExecState::Failed;
                    e.reason = Some(err.message.clone());
                }
            }
            if e.state != ExecState::Blocked {
                e.step = None;
            }
            e.eta_seconds = None;
            e.cpu_percent = None;
            e.memory_bytes = None;
        })
    }

    /// Applies an engine event; `Some` when a project's execution changed.
    pub fn apply(&mut self, event: &EngineEvent) -> Option<Execution> {
        match event {
            EngineEvent::StepStarted { project_id, task_id, title, step, attempt } => {
                if *step == Step::Prep && self.task_started.get(project_id).is_none_or(|(t, _)| t != task_id) {
                    self.task_started.insert(project_id.clone(), (task_id.clone(), Instant::now()));
                }
                Some(self.update(project_id, Priority::Normal, |e| {
                    e.state = match step {
                        Step::ErrorSolve => ExecState::ErrorSolving,
                        Step::Verify if *attempt > 1 => ExecState::ErrorSolving,
                        Step::HumanReview => ExecState::Blocked,
                        Step::Select | Step::Done => ExecState::Autonomous,
                        _ => ExecState::TaskExecuting,
                    };
                    e.task_id = Some(task_id.clone());
                    e.task_title = Some(title.clone());
                    e.step = Some(*step);
                    e.attempt = *attempt;
                    if e.state != ExecState::Blocked {
                        e.reason = None;
                    }
                }))
            }
            EngineEvent::Progress { project_id, done, total } => {
                let eta = self.eta(project_id, total.saturating_sub(*done));
                Some(self.update(project_id, Priority::Normal, |e| {
                    e.done = *done;
                    e.total = *total;
                    e.eta_seconds = eta;
                }))
            }
            EngineEvent::TaskDone { project_id, task_id, .. } => {
                if let Some((current, at)) = self.task_started.remove(project_id) {
                    if &current == task_id {
                        let d = self.durations.entry(project_id.clone()).or_default();
                        d.push(at.elapsed().as_secs_f64());
                        if d.len() > RECENT {
                            d.remove(0);
                        }
                    }
                }
                Some(self.update(project_id, Priority::Normal, |e| {
                    e.state = ExecState::Autonomous;
                    e.done += 1;
                    e.total = e.total.max(e.done);
                    e.step = Some(Step::Done);
                }))
            }
            EngineEvent::Blocked { project_id, reason, .. } => Some(self.update(project_id, Priority::Normal, |e| {
                e.state = ExecState::Blocked;
                e.reason = Some(reason.clone());
            })),
            EngineEvent::Stats { project_id, sample } => {
                let e = self.items.get_mut(project_id)?;
                e.cpu_percent = Some(sample.cpu_percent);
                e.memory_bytes = Some(sample.memory_bytes);
                Some(e.clone())
            }
            EngineEvent::RunFinished { project_id, end } => {
                let e = self.items.get_mut(project_id)?;
                e.state = end_state(end);
                e.reason = end.reason();
                e.eta_seconds = None;
                Some(e.clone())
            }
            _ => None,
        }
    }

    fn eta(&self, project_id: &str, remaining: u32) -> Option<u32> {
        let d = self.durations.get(project_id).filter(|d| !d.is_empty())?;
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        Some((mean * f64::from(remaining)).round() as u32)
    }
}

fn end_state(end: &RunEnd) -> ExecState {
    match end {
        RunEnd::AllDone { .. } => ExecState::Completed,
        RunEnd::StopPoint { .. } | RunEnd::Paused { .. } => ExecState::Paused,
        RunEnd::Blocked { .. } => ExecState::Blocked,
        RunEnd::Waiting { .. } => ExecState::Waiting,
        RunEnd::Stopped { .. } => ExecState::Stopped,
    }
}
