//! devteam-cli: the DevTeam engine from a terminal, on the same database as
//! the desktop app.

mod control;
mod doctor;
mod history;
mod image;
mod inject;
mod live;
mod logs;
mod output;
mod projects;
mod run;
mod secrets;
mod serve;
mod tasks;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "devteam-cli", version, about = "DevTeam from a terminal: the same engine, headless")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Register, list, show and remove customer projects.
    Projects(projects::ProjectsArgs),
    /// Check Docker, the keychain, git, disk space and the data folder.
    Doctor(doctor::DoctorArgs),
    /// Check, show, plan and edit a task list file.
    Tasks(tasks::TasksArgs),
    /// Walk a project's task list: implement, verify, commit, push, tick.
    Run(run::RunArgs),
    /// Create the demo project (a local repository) and run it to the end.
    Demo(run::RunOptions),
    /// Ask a project running elsewhere (the window, another terminal) to pause.
    Pause(control::PauseArgs),
    /// Go on with a paused, stopped or blocked project, here in the foreground.
    Resume(run::RunArgs),
    /// Ask a running project to stop; `--emergency` kills its command now.
    Stop(control::StopArgs),
    /// A project's output; `--follow` keeps printing as it runs.
    Logs(logs::LogsArgs),
    /// A project's past runs; `--run N` shows one as a timeline of steps.
    History(history::HistoryArgs),
    /// Add a task to a project while it runs: --priority, --after ID, --replace ID.
    Inject(inject::InjectArgs),
    /// List a project's injected tasks; `approve ID` / `reject ID` decide.
    Injections(inject::InjectionsArgs),
    /// Queue projects for `serve` (or the window) to run.
    Start(serve::StartArgs),
    /// Run every queued project headless, with slots and priorities, until done.
    Serve(serve::ServeArgs),
    /// Build DevTeam's runner image (Debian, git, build tools, Python, Node) now.
    Image(image::ImageArgs),
    /// Show where each task of a project stands.
    Status(run::StatusArgs),
    /// Decide on a task waiting for a person: retry, skip, done or abort.
    Review(run::ReviewArgs),
    /// Take a task over by hand: the run waits until `review PROJECT done`.
    Take(run::TakeArgs),
    /// Check the audit log's hash chain (`audit verify`).
    Audit(run::AuditArgs),
    /// GitHub tokens and API keys in the OS keychain: set, list, remove, check.
    Secrets(secrets::SecretsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Projects(args) => projects::run(args).await,
            Command::Doctor(args) => doctor::run(args).await,
            Command::Tasks(args) => tasks::run(args),
            Command::Run(args) => run::run(args).await,
            Command::Demo(options) => run::demo(options).await,
            Command::Pause(args) => control::pause(args).await,
            Command::Resume(args) => run::run(args).await,
            Command::Stop(args) => control::stop(args).await,
            Command::Logs(args) => logs::run(args).await,
            Command::History(args) => history::run(args).await,
            Command::Inject(args) => inject::inject(args).await,
            Command::Injections(args) => inject::injections(args).await,
            Command::Start(args) => serve::start(args).await,
            Command::Serve(args) => serve::serve(args).await,
            Command::Image(args) => image::run(args).await,
            Command::Status(args) => run::status(args).await,
            Command::Review(args) => run::review(args).await,
            Command::Take(args) => run::take(args).await,
            Command::Audit(args) => run::audit(args).await,
            Command::Secrets(args) => secrets::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
