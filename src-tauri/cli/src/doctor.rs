//! `devteam-cli doctor`: is this machine ready to run DevTeam?

use std::process::ExitCode;

use clap::Args;
use devteam_engine::health::{check_health, HealthStatus};
use devteam_engine::DataPaths;

use crate::output::print_json;

#[derive(Args)]
pub struct DoctorArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Exit status 1 when any part is missing; warnings alone pass.
pub async fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let paths = DataPaths::from_env();
    let report = check_health(&paths).await;
    let missing = report.checks.iter().any(|c| c.status == HealthStatus::Missing);
    if args.json {
        print_json(&serde_json::json!({ "ok": !missing, "data_dir": paths.root(), "checks": report.checks }))?;
    } else {
        for c in &report.checks {
            let mark = match c.status {
                HealthStatus::Ok => "ok  ",
                HealthStatus::Warning => "warn",
                HealthStatus::Missing => "FAIL",
            };
            println!("[{mark}] {:<12} {}", c.name, c.summary);
            if let Some(fix) = &c.fix {
                println!("       {:<12} fix: {fix}", "");
            }
        }
        println!("data folder: {}", paths.root().display());
    }
    Ok(if missing { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
