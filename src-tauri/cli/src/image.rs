//! `devteam-cli image build`: make DevTeam's runner image (a Debian root by
//! debootstrap, with git, build tools, Python and Node) ahead of the first
//! run that needs it, with its progress on the terminal.

use std::process::ExitCode;

use clap::Args;
use devteam_engine::runner::{DockerRunner, RunnerSource};
use devteam_engine::DataPaths;

use crate::output::report_error;

#[derive(Args)]
pub struct ImageArgs {
    /// `build` makes the runner image if it is not there; `show` prints its tag.
    #[arg(value_parser = ["build", "show"])]
    command: String,
}

pub async fn run(args: ImageArgs) -> anyhow::Result<ExitCode> {
    let source = match RunnerSource::from_host() {
        Ok(s) => s,
        Err(e) => return Ok(report_error(&e, false)),
    };
    if args.command == "show" {
        println!("{} ({} from {})", source.tag(), source.suite, source.mirror);
        return Ok(ExitCode::SUCCESS);
    }
    let runner = match DockerRunner::connect().await {
        Ok(r) => r,
        Err(e) => return Ok(report_error(&e, false)),
    };
    let scratch = DataPaths::from_env().root().join("tmp");
    let _ = std::fs::create_dir_all(&scratch);
    match runner.ensure_runner_image(&scratch, &mut |line| println!("  {line}")).await {
        Ok(tag) => {
            println!("runner image: {tag}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_error(&e, false)),
    }
}
