//! `devteam-cli logs PROJECT [--task ID] [--follow]`: a project's stored,
//! redacted output; with `--follow`, new lines as the run writes them (from
//! this process or any other on the same data folder).

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::output::{open_engine, report_error};

#[derive(Args)]
pub struct LogsArgs {
    /// The project's id.
    project: String,
    /// Only this task's lines.
    #[arg(long)]
    task: Option<String>,
    /// Keep printing new lines until Ctrl-C.
    #[arg(long, short)]
    follow: bool,
}

const PAGE: u32 = 5000;

pub async fn run(args: LogsArgs) -> anyhow::Result<ExitCode> {
    let engine = match open_engine().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let mut after = 0;
    let mut task = String::new();
    loop {
        let lines = match engine.log_lines(&args.project, args.task.as_deref(), after, PAGE).await {
            Ok(lines) => lines,
            Err(e) => return Ok(report_error(&e, false)),
        };
        for l in &lines {
            if l.task_id != task {
                println!("── task {} ──", l.task_id);
                task = l.task_id.clone();
            }
            let mark = if l.stream == "stdout" { ' ' } else { '!' };
            println!("{} {:<11} {mark} {}", &l.at[11..19.min(l.at.len())], l.step.as_str(), l.line);
            after = l.id;
        }
        if lines.len() as u32 == PAGE {
            continue;
        }
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(ExitCode::SUCCESS),
            () = tokio::time::sleep(Duration::from_millis(300)) => {}
        }
    }
}
