//! `devteam-cli pause|stop PROJECT`: steer a project that runs in another
//! process (the window or another terminal) through the shared database.

use std::process::ExitCode;

use clap::Args;
use devteam_engine::run::ControlRequest;

use crate::output::{open_engine, report_error};

#[derive(Args)]
pub struct PauseArgs {
    /// The project's id.
    project: String,
}

#[derive(Args)]
pub struct StopArgs {
    /// The project's id.
    project: String,
    /// Kill the running command now instead of waiting for the step to end
    /// (the state is kept; the interrupted attempt is not counted).
    #[arg(long)]
    emergency: bool,
}

pub async fn pause(args: PauseArgs) -> anyhow::Result<ExitCode> {
    request(&args.project, ControlRequest::Pause, "pauses at the next step boundary").await
}

pub async fn stop(args: StopArgs) -> anyhow::Result<ExitCode> {
    if args.emergency {
        request(&args.project, ControlRequest::Emergency, "stops now; its running command is killed").await
    } else {
        request(&args.project, ControlRequest::Stop, "stops at the next step boundary").await
    }
}

async fn request(project: &str, request: ControlRequest, what: &str) -> anyhow::Result<ExitCode> {
    let engine = match open_engine().await {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, false)),
    };
    match engine.request_control(project, request).await {
        Ok(()) => {
            println!("{project} {what}; `devteam-cli resume {project}` goes on from there");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_error(&e, false)),
    }
}
