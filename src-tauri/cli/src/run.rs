//! `devteam-cli run`, `demo` and `status`: walk a project's task list from a
//! terminal, with the current step and a tail of the output as it happens.

use std::process::ExitCode;

use clap::Args;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::run::{ControlRequest, MergeMode, RunControl, RunEnd};
use devteam_engine::Engine;

use crate::output::{open_engine, open_engine_for_write, print_json, report_error};

#[derive(Args)]
pub struct RunArgs {
    /// The project's id (see `devteam-cli projects list`).
    project: String,
    #[command(flatten)]
    options: RunOptions,
}

/// Stop points, as `run` and `start` take them.
#[derive(Args)]
pub struct StopArgs {
    /// Stop after this task is done.
    #[arg(long, value_name = "ID")]
    pub until: Option<String>,
    /// Stop before this task starts.
    #[arg(long, value_name = "ID")]
    pub before: Option<String>,
    /// Stop once this phase (or parent task) and all its subtasks are done.
    #[arg(long = "after-phase", value_name = "ID")]
    pub after_phase: Option<String>,
    /// Stop after this many tasks.
    #[arg(long = "max-tasks")]
    pub max_tasks: Option<u32>,
}

#[derive(Args)]
pub struct RunOptions {
    #[command(flatten)]
    stops: StopArgs,
    /// `pr` pushes a branch per task (stacked); `direct` fast-forwards the
    /// base branch. Default: the project's merge mode.
    #[arg(long, value_parser = ["pr", "direct"])]
    merge: Option<String>,
    /// Print only the summary.
    #[arg(long)]
    quiet: bool,
}

#[derive(Args)]
pub struct StatusArgs {
    /// The project's id.
    project: String,
    #[arg(long)]
    json: bool,
}

pub async fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    drive(&engine, &args.project, &args.options).await
}

pub async fn demo(options: RunOptions) -> anyhow::Result<ExitCode> {
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let project = match engine.create_demo().await {
        Ok(p) => p,
        Err(e) => return Ok(report_error(&e, false)),
    };
    println!("demo project `{}`: {} ({})", project.id, project.settings.name, project.settings.repo_url);
    drive(&engine, &project.id, &options).await
}

async fn drive(engine: &Engine, project_id: &str, options: &RunOptions) -> anyhow::Result<ExitCode> {
    let request = RunRequest {
        until: options.stops.until.clone(),
        before: options.stops.before.clone(),
        after_phase: options.stops.after_phase.clone(),
        max_tasks: options.stops.max_tasks,
        merge_mode: options.merge.as_deref().map(|m| if m == "direct" { MergeMode::Direct } else { MergeMode::Pr }),
        ..RunRequest::default()
    };
    let control = RunControl::default();
    let printer = (!options.quiet).then(|| tokio::spawn(crate::live::show(engine.subscribe())));
    let stopper = control.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\npausing at the next step boundary (Ctrl-C again kills the running command; state is kept)");
            stopper.request(ControlRequest::Pause);
            if tokio::signal::ctrl_c().await.is_ok() {
                stopper.request(ControlRequest::Emergency);
            }
        }
    });
    let result = engine.run(project_id, &request, &control).await;
    // The run's containers are removed in the background: gone before exit.
    engine.settle().await;
    if let Some(p) = printer {
        // Let it print the last events (the final status line).
        let _ = tokio::time::timeout(std::time::Duration::from_millis(500), p).await;
    }
    match result {
        Ok(end) => {
            println!("{}", describe(&end));
            Ok(match end {
                RunEnd::Blocked { .. } => ExitCode::from(3),
                _ => ExitCode::SUCCESS,
            })
        }
        Err(e) => Ok(report_error(&e, false)),
    }
}

fn describe(end: &RunEnd) -> String {
    match end {
        RunEnd::AllDone { tasks_done } => format!("all tasks done ({tasks_done} in this run)"),
        RunEnd::StopPoint { tasks_done, reason } => format!("stopped at a stop point after {tasks_done} tasks: {reason}"),
        RunEnd::Blocked { task_id, reason } => format!("BLOCKED on task {task_id}: {reason}\n  (devteam-cli status shows it; fix it and run again)"),
        RunEnd::Waiting { tasks_done, reason } => format!("nothing is ready after {tasks_done} tasks: {reason}"),
        RunEnd::Paused { tasks_done } => format!("paused after {tasks_done} tasks; `devteam-cli resume` goes on"),
        RunEnd::Stopped { tasks_done } => format!("stopped after {tasks_done} tasks; run again to resume"),
    }
}

pub async fn status(args: StatusArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    let execution = match engine.execution_row(&args.project).await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    if !args.json {
        match &execution {
            Some(e) => println!("{}: {}{}", args.project, e.state, e.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default()),
            None => println!("{}: never run", args.project),
        }
    }
    let metrics = match engine.metrics(Some(&args.project)).await {
        Ok(m) => m,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    let status = match engine.project_status(&args.project).await {
        Ok(s) => s,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    if !args.json {
        println!("{}", describe_metrics(&metrics));
        println!("{}", describe_status(&status));
    }
    match engine.task_runs(&args.project).await {
        Ok(rows) if args.json => print_json(&serde_json::json!({
            "state": execution.as_ref().map(|e| e.state.clone()),
            "reason": execution.as_ref().and_then(|e| e.reason.clone()),
            "metrics": metrics,
            "repo": status.repo,
            "runner": status.runner,
            "tasks": rows,
        }))?,
        Ok(rows) if rows.is_empty() => println!("no task of {} has run yet", args.project),
        Ok(rows) => {
            for r in rows {
                let reason = r.reason.map(|x| format!(" — {x}")).unwrap_or_default();
                let pr = r.pr_url.map(|u| format!("  {u}")).unwrap_or_default();
                println!("{:<8} {:<13} {:<12} attempts {}  {}{pr}{}", r.task_id, r.status.as_str(), r.step.as_str(), r.attempts, r.branch, reason);
            }
        }
        Err(e) => return Ok(report_error(&e, args.json)),
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_status(s: &devteam_engine::project_status::ProjectStatus) -> String {
    let (r, d) = (&s.repo, &s.runner);
    let repo = if !r.cloned {
        "repository: not cloned yet (the first run clones it)".to_string()
    } else {
        let tip = r.base_tip.as_deref().map(|t| format!(" at {t}")).unwrap_or_default();
        let fetch = match (&r.last_fetch, &r.fetch_error) {
            (Some(at), Some(error)) => format!(", last fetch {at} FAILED: {error}"),
            (Some(at), None) => format!(", fetched {at}"),
            _ => String::new(),
        };
        format!("repository: {}{tip}{fetch}", r.base_branch)
    };
    let runner = if !d.docker {
        "runner: Docker does not answer".to_string()
    } else {
        let built = match d.image_built {
            Some(true) => "built",
            Some(false) => "not built yet (the first run builds it)",
            None => "built at the run",
        };
        format!("runner: image {} {built}, {} container(s) running", d.image, d.containers_running)
    };
    format!("{repo}\n{runner}")
}

fn describe_metrics(m: &devteam_engine::metrics::Metrics) -> String {
    let pct = |r: Option<f64>| r.map_or("–".to_string(), |r| format!("{:.0}%", r * 100.0));
    let secs = |s: Option<f64>| s.map_or("–".to_string(), |s| format!("{s:.0} s"));
    let total = m.tasks_total.map_or("?".to_string(), |t| t.to_string());
    format!(
        "{}/{total} tasks done · autonomous {} · errors fixed by error-solve {} · mean {} · p90 {} · ETA {}",
        m.tasks_done,
        pct(m.autonomous_rate),
        pct(m.error_resolution_rate),
        secs(m.mean_task_seconds),
        secs(m.p90_task_seconds),
        secs(m.eta_seconds)
    )
}

#[derive(Args)]
pub struct ReviewArgs {
    /// The project's id.
    project: String,
    /// retry, skip, done, abort; approve or reject a risky task.
    action: devteam_engine::run::ReviewAction,
}

pub async fn review(args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let actor = std::env::var("USER").unwrap_or_else(|_| "a person".into());
    match engine.review(&args.project, args.action, &actor).await {
        Ok(row) => {
            let what = match args.action {
                devteam_engine::run::ReviewAction::Retry => "will run again with fresh attempts",
                devteam_engine::run::ReviewAction::Skip => "is skipped; tasks that depend on it wait",
                devteam_engine::run::ReviewAction::Done => "counts as done",
                devteam_engine::run::ReviewAction::Abort => "is reset; it starts from scratch next run",
                devteam_engine::run::ReviewAction::Approve => "is approved and will run",
                devteam_engine::run::ReviewAction::Reject => "is rejected and skipped; tasks that depend on it wait",
            };
            println!("task {} {what}; `devteam-cli run {}` continues", row.task_id, args.project);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_error(&e, false)),
    }
}

#[derive(Args)]
pub struct TakeArgs {
    /// The project's id (paused, stopped or not running).
    project: String,
    /// The task you do yourself, e.g. 2.3.
    task: String,
}

pub async fn take(args: TakeArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let actor = std::env::var("USER").unwrap_or_else(|_| "a person".into());
    match engine.take_task(&args.project, &args.task, &actor).await {
        Ok(row) => {
            println!("task {} ({}) is yours; the run waits for it.", row.task_id, row.title);
            println!("When it is done: `devteam-cli review {} done` (or `retry` to hand it back)", args.project);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_error(&e, false)),
    }
}

#[derive(Args)]
pub struct AuditArgs {
    #[arg(value_parser = ["verify"])]
    command: String,
    #[arg(long)]
    json: bool,
}

/// `devteam-cli audit verify`: exit 1 when a row was changed or deleted.
pub async fn audit(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    let check = match engine.verify_audit().await {
        Ok(c) => c,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    if args.json {
        print_json(&check)?;
    } else if let Some(broken) = &check.broken_at {
        println!("the audit log was tampered with: {broken} ({} entries)", check.entries);
    } else {
        println!("audit log intact: {} entries, every hash chained", check.entries);
    }
    Ok(if check.broken_at.is_some() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
