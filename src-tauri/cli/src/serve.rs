//! `devteam-cli start PROJECT…` queues projects; `devteam-cli serve` runs
//! the orchestrator headless — the same slots, queue and priorities as the
//! window — until every queued project has finished, paused or blocked. A
//! killed `serve` resumes every project from its last saved step when it is
//! started again.

use std::process::ExitCode;

use clap::Args;
use devteam_engine::orchestrator::{ExecState, Execution, Orchestrator, OrchestratorOptions, StartOptions};
use devteam_engine::EngineEvent;

use crate::output::{open_engine_for_write, report_error};

#[derive(Args)]
pub struct StartArgs {
    /// The projects' ids.
    #[arg(required = true)]
    projects: Vec<String>,
    /// Where each stops.
    #[command(flatten)]
    stops: crate::run::StopArgs,
    /// Queue priority (default: each project's own).
    #[arg(long, value_parser = ["high", "normal", "low"])]
    priority: Option<String>,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Projects running at once (default: from cores and memory).
    #[arg(long)]
    slots: Option<u32>,
    /// Keep serving after the queue is empty (for new `start`s).
    #[arg(long)]
    forever: bool,
}

pub async fn start(args: StartArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let priority = args.priority.as_deref().and_then(|p| p.parse().ok());
    for project in &args.projects {
        let options = StartOptions {
            until: args.stops.until.clone(),
            before: args.stops.before.clone(),
            after_phase: args.stops.after_phase.clone(),
            max_tasks: args.stops.max_tasks,
            priority,
        };
        match engine.queue_project(project, &options).await {
            Ok(priority) => println!("{project} queued ({} priority); `devteam-cli serve` (or the window) runs it", priority.as_str()),
            Err(e) => return Ok(report_error(&e, false)),
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let mut options = OrchestratorOptions::default();
    if let Some(slots) = args.slots {
        options.slots = slots.clamp(1, 50);
    }
    let mut events = engine.subscribe();
    let orchestrator = match Orchestrator::start(engine.clone(), options).await {
        Ok(o) => o,
        Err(e) => return Ok(report_error(&e, false)),
    };
    println!("serving with {} slots", orchestrator.slots());
    let stopper = orchestrator.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\npausing every project at its next step boundary (state is kept)");
            let _ = stopper.pause_all().await;
        }
    });
    loop {
        let idle = |all: &[Execution]| all.iter().all(|e| !e.state.is_active());
        if !args.forever && idle(&orchestrator.executions()) {
            break;
        }
        match tokio::time::timeout(std::time::Duration::from_secs(1), events.recv()).await {
            Ok(Ok(EngineEvent::ExecutionChanged { execution })) => println!("{}", line(&execution)),
            Ok(Ok(EngineEvent::TaskDone { project_id, task_id, .. })) => println!("{project_id}: task {task_id} done"),
            _ => {}
        }
    }
    engine.settle().await;
    let all = orchestrator.executions();
    let blocked = all.iter().filter(|e| matches!(e.state, ExecState::Blocked | ExecState::Failed)).count();
    println!("{} projects: {} completed, {blocked} need a person", all.len(), all.iter().filter(|e| e.state == ExecState::Completed).count());
    Ok(if blocked > 0 { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

fn line(e: &Execution) -> String {
    let task = e.task_id.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
    let reason = e.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
    format!("{}: {:?}{task} {}/{}{reason}", e.project_id, e.state, e.done, e.total)
}
