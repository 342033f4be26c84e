//! `devteam-cli history PROJECT [--run N]`: a project's past runs, and one
//! run as a timeline of its tasks' steps (the dashboard's History tab).

use std::process::ExitCode;

use clap::Args;
use devteam_engine::history::RunTimeline;
use devteam_engine::store::RunRecord;

use crate::output::{open_engine, print_json, report_error};

#[derive(Args)]
pub struct HistoryArgs {
    /// The project's id.
    project: String,
    /// Show this run's timeline (its number in the list).
    #[arg(long)]
    run: Option<u32>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    let outcome = match args.run {
        None => engine.run_history(&args.project).await.map(|runs| {
            if args.json { print_json(&runs).ok(); } else { print_runs(&args.project, &runs); }
        }),
        Some(id) => engine.run_timeline(&args.project, id).await.map(|timeline| {
            if args.json { print_json(&timeline).ok(); } else { print_timeline(&timeline); }
        }),
    };
    engine.close().await;
    Ok(match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report_error(&e, args.json),
    })
}

fn print_runs(project: &str, runs: &[RunRecord]) {
    if runs.is_empty() {
        println!("{project} has not run yet");
        return;
    }
    println!("{:>5}  {:<20}  {:<20}  {:<11}  {:>5}  REASON", "RUN", "STARTED", "ENDED", "STATE", "TASKS");
    for r in runs {
        let tasks = r.tasks_done.map_or_else(|| "-".to_string(), |n| n.to_string());
        println!(
            "{:>5}  {:<20}  {:<20}  {:<11}  {:>5}  {}",
            r.id,
            r.started_at,
            r.ended_at.as_deref().unwrap_or("running"),
            r.state.as_deref().unwrap_or("running"),
            tasks,
            r.reason.as_deref().unwrap_or("").lines().next().unwrap_or(""),
        );
    }
    println!("one run's steps: devteam-cli history {project} --run N");
}

fn print_timeline(t: &RunTimeline) {
    let r = &t.run;
    println!(
        "run {} of {}: {} → {} ({})",
        r.id,
        r.project_id,
        r.started_at,
        r.ended_at.as_deref().unwrap_or("running"),
        r.state.as_deref().unwrap_or("running")
    );
    let mut task = "";
    for s in &t.spans {
        if s.task_id != task {
            task = &s.task_id;
            println!("── task {task} ──");
        }
        let lines = if s.log.lines > 0 { format!("{} lines", s.log.lines) } else { String::new() };
        println!("  {}  {:<12} attempt {}  {lines}", time_of(&s.started_at), s.step.as_str(), s.attempt);
    }
    for n in t.notes.iter().filter(|n| n.actor != "devteam") {
        println!("  {}  {} by {} on task {}: {}", time_of(&n.at), n.action, n.actor, n.task_id, n.detail);
    }
}

/// `HH:MM:SS` of an ISO 8601 time.
fn time_of(at: &str) -> &str {
    at.get(11..19).unwrap_or(at)
}
