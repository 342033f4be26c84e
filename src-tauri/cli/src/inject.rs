//! `devteam-cli inject PROJECT …` and `injections PROJECT [approve|reject ID]`:
//! add a task to a project while it runs, and decide on pending ones.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use devteam_engine::inject::{InjectAt, Injection, InjectionRequest};

use crate::output::{open_engine, open_engine_for_write, print_json, report_error};

#[derive(Args)]
pub struct InjectArgs {
    /// The project's id.
    project: String,
    /// The new task's title (one line).
    title: String,
    /// Run it next (applies at once).
    #[arg(long, conflicts_with_all = ["after", "replace"])]
    priority: bool,
    /// Put it after this task and its subtasks (waits for approval).
    #[arg(long, conflicts_with = "replace")]
    after: Option<String>,
    /// Put it instead of this task, not yet done (waits for approval).
    #[arg(long)]
    replace: Option<String>,
    /// The task's body (criteria, sh blocks); `-` reads it from stdin.
    #[arg(long, default_value = "")]
    body: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct InjectionsArgs {
    /// The project's id.
    project: String,
    #[command(subcommand)]
    decision: Option<Decision>,
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Decision {
    /// Approve a pending injection: it joins the plan and the file.
    Approve { id: u32 },
    /// Reject a pending injection: the file stays as it is.
    Reject { id: u32 },
}

fn actor() -> String {
    std::env::var("USER").unwrap_or_else(|_| "a person".into())
}

pub async fn inject(args: InjectArgs) -> anyhow::Result<ExitCode> {
    let at = match (args.priority, args.after, args.replace) {
        (_, Some(after), _) => InjectAt::Positional { after },
        (_, _, Some(task)) => InjectAt::Replace { task },
        (true, None, None) => InjectAt::Priority,
        (false, None, None) => {
            eprintln!("error: say where the task goes: --priority, --after ID or --replace ID");
            return Ok(ExitCode::from(crate::output::EXIT_USAGE));
        }
    };
    let body = if args.body == "-" { std::io::read_to_string(std::io::stdin())? } else { args.body };
    let engine = match open_engine_for_write().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    match engine.inject(&args.project, &InjectionRequest { at, title: args.title, body }, &actor()).await {
        Ok(i) if args.json => print_json(&i).map(|()| ExitCode::SUCCESS),
        Ok(i) => {
            println!("{}", describe(&i));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_error(&e, args.json)),
    }
}

pub async fn injections(args: InjectionsArgs) -> anyhow::Result<ExitCode> {
    let opened = if args.decision.is_some() { open_engine_for_write().await } else { open_engine().await };
    let engine = match opened {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, args.json)),
    };
    if let Some(decision) = args.decision {
        let (id, approve) = match decision {
            Decision::Approve { id } => (id, true),
            Decision::Reject { id } => (id, false),
        };
        return match engine.decide_injection(&args.project, id, approve, &actor()).await {
            Ok(i) if args.json => print_json(&i).map(|()| ExitCode::SUCCESS),
            Ok(i) => {
                println!("{}", describe(&i));
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => Ok(report_error(&e, args.json)),
        };
    }
    match engine.injections(&args.project).await {
        Ok(list) if args.json => print_json(&list).map(|()| ExitCode::SUCCESS),
        Ok(list) if list.is_empty() => {
            println!("no task was injected into {}", args.project);
            Ok(ExitCode::SUCCESS)
        }
        Ok(list) => {
            for i in &list {
                println!("{}", describe(i));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_error(&e, args.json)),
    }
}

fn describe(i: &Injection) -> String {
    let at = match &i.at {
        InjectAt::Priority => "next".to_string(),
        InjectAt::Positional { after } => format!("after {after}"),
        InjectAt::Replace { task } => format!("instead of {task}"),
    };
    let id = i.task_id.as_deref().map(|t| format!(" as {t}")).unwrap_or_default();
    format!("#{} {} — {at}{id}: {}", i.id, i.status.as_str(), i.title)
}
