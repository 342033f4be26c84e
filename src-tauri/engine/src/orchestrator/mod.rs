//! Many customers at once: a pool of slots, a priority queue with admission
//! control, per-project and global pause/resume/stop, and the live execution
//! board the dashboard draws. The run engine does the work; this decides
//! when each project runs and keeps what it shows in step with the events.

mod board;
mod host;
mod queue;
mod types;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::engine::Engine;
use crate::engine_run::RunRequest;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::EngineEvent;
use crate::run::{ControlRequest, ReviewAction, RunControl};
use crate::store::ExecutionRow;

pub use host::{default_slots, HostLoad, HostMonitor, CPU_ADMISSION_LIMIT};
pub use types::{ExecState, Execution, Priority, StartOptions};

use board::Board;
use queue::RunQueue;

/// How the orchestrator admits work.
#[derive(Debug, Clone)]
pub struct OrchestratorOptions {
    /// Projects running at once (1–50).
    pub slots: u32,
    /// No new project starts while host CPU is above this (percent).
    pub cpu_limit: f64,
    /// Memory a project's container may use when its run settings are not
    /// known yet: new projects wait while the host has less free.
    pub project_memory_bytes: f64,
}

impl Default for OrchestratorOptions {
    fn default() -> Self {
        Self { slots: default_slots(), cpu_limit: CPU_ADMISSION_LIMIT, project_memory_bytes: 2.0 * 1024.0 * 1024.0 * 1024.0 }
    }
}

/// Runs every started project, `slots` at a time.
#[derive(Clone)]
pub struct Orchestrator {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    state: Mutex<State>,
    wake: Notify,
    host: HostMonitor,
}

struct State {
    options: OrchestratorOptions,
    queue: RunQueue,
    /// Projects in a slot, with the control of their run.
    running: HashMap<String, RunControl>,
    board: Board,
    /// Each project's container memory limit (its run settings), for admission.
    memory: HashMap<String, f64>,
}

impl Orchestrator {
    /// Starts the scheduler over `engine` and puts back what the last
    /// session left: running and queued projects are queued again (they
    /// resume from their last saved step), paused and blocked ones stay so.
    pub async fn start(engine: Engine, options: OrchestratorOptions) -> EngineResult<Self> {
        let mut state = State { options, queue: RunQueue::default(), running: HashMap::new(), board: Board::default(), memory: HashMap::new() };
        let projects = engine.projects().await?;
        state.memory = memory_limits(&projects);
        for row in engine.store().executions().await? {
            let Some(project) = projects.iter().find(|p| p.id == row.project_id) else { continue };
            let priority = Priority::from_stored(&row.priority, project.settings.priority);
            let mut exec_state = ExecState::from_stored(&row.state);
            // A run cut short while a pause or stop was pending (the app quit
            // before the step ended) stays paused or stopped.
            if row.state == "running" {
                match row.control {
                    Some(ControlRequest::Pause) => exec_state = ExecState::Paused,
                    Some(ControlRequest::Stop | ControlRequest::Emergency) => exec_state = ExecState::Stopped,
                    None => {}
                }
                if exec_state != ExecState::Queued {
                    let stored = if exec_state == ExecState::Paused { "paused" } else { "stopped" };
                    engine.store().set_execution_state(&row.project_id, stored, None).await?;
                }
            }
            if exec_state == ExecState::Queued {
                let options: StartOptions = serde_json::from_str(&row.options).unwrap_or_default();
                state.queue.push(&row.project_id, priority, options);
            }
            let mut execution = Execution::new(&row.project_id, exec_state, priority);
            execution.reason = row.reason.clone();
            execution.started_at = row.started_at.clone();
            state.board.put(execution);
        }
        for project in &projects {
            state.board.seed_progress(&engine, project).await;
        }
        let inner = Arc::new(Inner { engine, state: Mutex::new(state), wake: Notify::new(), host: HostMonitor::start() });
        let this = Self { inner };
        this.spawn_event_listener();
        this.spawn_scheduler();
        Ok(this)
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Every project's execution (idle projects are not listed).
    pub fn executions(&self) -> Vec<Execution> {
        self.lock().board.all()
    }

    pub fn execution(&self, project_id: &str) -> Option<Execution> {
        self.lock().board.get(project_id)
    }

    pub fn host_load(&self) -> Option<HostLoad> {
        self.inner.host.latest()
    }

    pub fn slots(&self) -> u32 {
        self.lock().options.slots
    }

    /// Changes the number of slots (1–50); more slots admit at once.
    pub fn set_slots(&self, slots: u32) -> EngineResult<u32> {
        if !(1..=50).contains(&slots) {
            return Err(EngineError::new(ErrorCode::Validation, format!("slots must be between 1 and 50, not {slots}")));
        }
        self.lock().options.slots = slots;
        self.inner.wake.notify_one();
        Ok(slots)
    }

    /// Queues a project's run; it starts when a slot is free.
    pub async fn start_project(&self, project_id: &str, options: StartOptions) -> EngineResult<Execution> {
        if self.lock().running.contains_key(project_id) {
            return Err(EngineError::new(ErrorCode::Conflict, format!("{project_id} is already running")));
        }
        let priority = self.inner.engine.queue_project(project_id, &options).await?;
        let execution = {
            let mut state = self.lock();
            state.queue.push(project_id, priority, options);
            state.board.update(project_id, priority, |e| {
                e.priority = priority;
                e.state = ExecState::Queued;
                e.reason = Some("waiting for a free slot".into());
            })
        };
        self.announce(&execution);
        self.inner.wake.notify_one();
        Ok(execution)
    }

    /// Pauses a project at its next step boundary (a queued one leaves the
    /// queue at once).
    pub async fn pause(&self, project_id: &str) -> EngineResult<Execution> {
        self.halt(project_id, ControlRequest::Pause).await
    }

    /// Stops a project; `emergency` kills its running command now. Its
    /// state is kept: starting it again resumes from the last saved step.
    pub async fn stop(&self, project_id: &str, emergency: bool) -> EngineResult<Execution> {
        self.halt(project_id, if emergency { ControlRequest::Emergency } else { ControlRequest::Stop }).await
    }

    /// Queues a paused, stopped, blocked or waiting project again.
    pub async fn resume(&self, project_id: &str) -> EngineResult<Execution> {
        if let Some(e) = self.execution(project_id).filter(|e| e.state.is_active()) {
            return Ok(e);
        }
        let row = self.inner.engine.store().execution(project_id).await?;
        let options = row.map(|r| serde_json::from_str::<StartOptions>(&r.options).unwrap_or_default()).unwrap_or_default();
        self.start_project(project_id, options).await
    }

    pub async fn pause_all(&self) -> EngineResult<Vec<Execution>> {
        self.halt_all(ControlRequest::Pause).await
    }

    /// Halts everything now: running commands are killed, state is kept.
    pub async fn emergency_stop_all(&self) -> EngineResult<Vec<Execution>> {
        self.halt_all(ControlRequest::Emergency).await
    }

    /// Queues every paused or stopped project again.
    pub async fn resume_all(&self) -> EngineResult<Vec<Execution>> {
        let halted: Vec<String> = self
            .executions()
            .into_iter()
            .filter(|e| matches!(e.state, ExecState::Paused | ExecState::Stopped))
            .map(|e| e.project_id)
            .collect();
        let mut out = Vec::new();
        for id in halted {
            out.push(self.resume(&id).await?);
        }
        Ok(out)
    }

    /// A person's decision on the task in HUMAN_REVIEW; after retry, skip or
    /// done the project goes back into the queue.
    pub async fn review(&self, project_id: &str, action: ReviewAction, actor: &str) -> EngineResult<Execution> {
        self.inner.engine.review(project_id, action, actor).await?;
        if action == ReviewAction::Abort {
            self.inner.engine.store().set_execution_state(project_id, "stopped", Some("the task was aborted by a person")).await?;
            let execution = self.lock().board.update(project_id, Priority::Normal, |e| {
                e.state = ExecState::Stopped;
                e.reason = Some("the task was aborted by a person".into());
            });
            self.announce(&execution);
            return Ok(execution);
        }
        self.resume(project_id).await
    }

    /// A person takes a task of a paused, stopped or idle project over: the
    /// project shows as blocked on it until they mark it done.
    pub async fn take_task(&self, project_id: &str, task_id: &str, actor: &str) -> EngineResult<Execution> {
        if self.executions().iter().any(|e| e.project_id == project_id && e.state.is_active()) {
            return Err(EngineError::new(ErrorCode::Conflict, format!("{project_id} is running: pause it first, then take task {task_id}")));
        }
        let row = self.inner.engine.take_task(project_id, task_id, actor).await?;
        let priority = self.inner.engine.project(project_id).await?.settings.priority;
        let execution = self.lock().board.update(project_id, priority, |e| {
            e.state = ExecState::Blocked;
            e.reason = row.reason.clone();
            e.task_id = Some(row.task_id.clone());
            e.task_title = Some(row.title.clone());
            e.step = Some(row.step);
        });
        self.announce(&execution);
        Ok(execution)
    }

    async fn halt_all(&self, request: ControlRequest) -> EngineResult<Vec<Execution>> {
        let active: Vec<String> = self.executions().into_iter().filter(|e| e.state.is_active()).map(|e| e.project_id).collect();
        let mut out = Vec::new();
        for id in active {
            out.push(self.halt(&id, request).await?);
        }
        Ok(out)
    }

    async fn halt(&self, project_id: &str, request: ControlRequest) -> EngineResult<Execution> {
        let (control, dequeued) = {
            let mut state = self.lock();
            (state.running.get(project_id).cloned(), state.queue.remove(project_id).is_some())
        };
        if let Some(control) = control {
            control.request(request);
            // Also through the database, in case another process runs it.
            self.inner.engine.store().request_control(project_id, request).await?;
            return self.execution(project_id).ok_or_else(|| EngineError::internal("a running project has no execution"));
        }
        if !dequeued {
            // Maybe the CLI or another window runs it: ask through the database.
            let row = self.inner.engine.store().execution(project_id).await?;
            if row.as_ref().is_some_and(|r| r.state == "running") {
                self.inner.engine.store().request_control(project_id, request).await?;
                return self.execution(project_id).ok_or_else(|| EngineError::not_found(format!("{project_id} has no execution")));
            }
            return Err(EngineError::new(ErrorCode::Conflict, format!("{project_id} is not running")));
        }
        let (stored, exec_state) = match request {
            ControlRequest::Pause => ("paused", ExecState::Paused),
            ControlRequest::Stop | ControlRequest::Emergency => ("stopped", ExecState::Stopped),
        };
        self.inner.engine.store().set_execution_state(project_id, stored, None).await?;
        let execution = self.lock().board.update(project_id, Priority::Normal, |e| {
            e.state = exec_state;
            e.reason = None;
        });
        self.announce(&execution);
        Ok(execution)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn announce(&self, execution: &Execution) {
        self.inner.engine.events().emit(EngineEvent::ExecutionChanged { execution: execution.clone() });
    }

    /// Admits queued projects while slots are free and the host has room;
    /// wakes on every change and every 2 s (the host's load changes).
    fn spawn_scheduler(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                this.adopt_queued().await;
                this.admit();
                tokio::select! {
                    () = this.inner.wake.notified() => {}
                    () = tokio::time::sleep(Duration::from_secs(2)) => {}
                }
            }
        });
    }

    /// Projects queued by another process (`devteam-cli start` beside the
    /// window) join this queue.
    async fn adopt_queued(&self) {
        // Run settings may have changed since: admission uses the current ones.
        if let Ok(projects) = self.inner.engine.projects().await {
            self.lock().memory = memory_limits(&projects);
        }
        let Ok(rows) = self.inner.engine.store().executions().await else { return };
        let mut adopted = Vec::new();
        {
            let mut state = self.lock();
            for row in rows.iter().filter(|r| r.state == "queued") {
                if state.running.contains_key(&row.project_id) || state.queue.contains(&row.project_id) {
                    continue;
                }
                let priority = Priority::from_stored(&row.priority, Priority::Normal);
                let options: StartOptions = serde_json::from_str(&row.options).unwrap_or_default();
                state.queue.push(&row.project_id, priority, options);
                adopted.push(state.board.update(&row.project_id, priority, |e| {
                    e.priority = priority;
                    e.state = ExecState::Queued;
                    e.reason = Some("waiting for a free slot".into());
                }));
            }
        }
        for e in &adopted {
            self.announce(e);
        }
    }

    fn admit(&self) {
        loop {
            let mut changed = Vec::new();
            let next = {
                let mut state = self.lock();
                let busy = state.running.len() as u32;
                let slots = state.options.slots;
                let order: Vec<String> = state.queue.ordered(Instant::now()).iter().map(|w| w.project_id.clone()).collect();
                // Each waiting project's reason: the host's CPU, its own
                // memory limit against the free memory, or the slots. The
                // first one that may start does; one too big for the free
                // memory does not hold back smaller ones behind it.
                let cpu = self.cpu_refusal(&state.options);
                let mut pick = None;
                let mut reasons = Vec::new();
                for id in &order {
                    let memory = state.memory.get(id).copied().unwrap_or(state.options.project_memory_bytes);
                    let refusal = cpu.clone().or_else(|| self.inner.host.refuses_memory(memory));
                    match refusal {
                        None if busy < slots && pick.is_none() => pick = Some(id.clone()),
                        None => reasons.push((id, format!("waiting for a free slot ({busy} of {slots} busy)"))),
                        Some(why) => reasons.push((id, why)),
                    }
                }
                for (id, wait) in reasons {
                    if let Some(e) = state.board.set_reason_if_changed(id, &wait) {
                        changed.push(e);
                    }
                }
                pick.and_then(|id| state.queue.remove(&id))
            };
            for e in &changed {
                self.announce(e);
            }
            let Some(waiting) = next else { return };
            self.launch(waiting);
        }
    }

    /// Why no project may start now, whatever its size: the host's CPU.
    fn cpu_refusal(&self, options: &OrchestratorOptions) -> Option<String> {
        let load = self.inner.host.latest()?;
        (load.cpu_percent > options.cpu_limit)
            .then(|| format!("host CPU at {:.0}% (new tasks wait below {:.0}%)", load.cpu_percent, options.cpu_limit))
    }

    fn launch(&self, waiting: queue::Waiting) {
        let control = RunControl::default();
        let execution = {
            let mut state = self.lock();
            state.running.insert(waiting.project_id.clone(), control.clone());
            state.board.update(&waiting.project_id, waiting.priority, |e| {
                e.state = ExecState::Initializing;
                e.reason = None;
                e.started_at = Some(crate::engine::now_iso8601());
                e.task_id = None;
                e.task_title = None;
                e.step = None;
            })
        };
        self.announce(&execution);
        let this = self.clone();
        let runtime = tokio::runtime::Handle::current();
        // A run holds libgit2 handles (not `Sync`) across awaits, so it is
        // driven on a thread of its own rather than moved between workers.
        tokio::task::spawn_blocking(move || {
            let o = &waiting.options;
            let request = RunRequest {
                until: o.until.clone(),
                before: o.before.clone(),
                after_phase: o.after_phase.clone(),
                max_tasks: o.max_tasks,
                ..RunRequest::default()
            };
            let id = waiting.project_id;
            let result = runtime.block_on(this.inner.engine.run(&id, &request, &control));
            if let Err(e) = &result {
                tracing::warn!(project = %id, "the run ended with an error: {}", e.message);
            }
            let execution = {
                let mut state = this.lock();
                state.running.remove(&id);
                state.board.finish(&id, &result)
            };
            this.announce(&execution);
            this.inner.wake.notify_one();
        });
    }

    /// Keeps the board in step with what the runs report.
    fn spawn_event_listener(&self) {
        let this = self.clone();
        let mut events = self.inner.engine.subscribe();
        tokio::spawn(async move {
            loop {
                let event = match events.recv().await {
                    Ok(event) => event,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::debug!("the execution board skipped {n} events");
                        continue;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                };
                let changed = this.lock().board.apply(&event);
                if let Some(execution) = changed {
                    this.announce(&execution);
                }
            }
        });
    }
}

impl Engine {
    /// Marks a project queued (saved, so a restart or another process —
    /// the window, `devteam-cli serve` — runs it); returns its priority.
    pub async fn queue_project(&self, project_id: &str, options: &StartOptions) -> EngineResult<Priority> {
        let project = self.project(project_id).await?;
        crate::engine_run::stop_points(options.until.as_deref(), options.before.as_deref(), options.after_phase.as_deref(), options.max_tasks)?;
        // A row that says "running" may be a killed process's: the run lock
        // tells (the OS released it with the process).
        if self.store().execution(project_id).await?.is_some_and(|r| r.state == "running") {
            crate::run::ProjectRunLock::acquire(&self.paths().project(project_id), project_id)?;
        }
        let priority = options.priority.unwrap_or(project.settings.priority);
        let now = crate::engine::now_iso8601();
        let options_json = serde_json::to_string(options).map_err(|e| EngineError::internal(e.to_string()))?;
        self.store()
            .save_execution(&ExecutionRow {
                project_id: project_id.to_string(),
                state: "queued".into(),
                priority: priority.as_str().into(),
                options: options_json,
                control: None,
                reason: None,
                queued_at: now.clone(),
                started_at: None,
                updated_at: now,
            })
            .await?;
        Ok(priority)
    }
}

impl Priority {
    fn from_stored(s: &str, fallback: Priority) -> Priority {
        s.parse().unwrap_or(fallback)
    }
}

fn memory_limits(projects: &[crate::project::Project]) -> HashMap<String, f64> {
    projects.iter().map(|p| (p.id.clone(), p.settings.run.memory_bytes() as f64)).collect()
}
