//! `devteam-cli tasks`: check, show, plan and edit a task list file from a
//! terminal with the same engine the app uses. Edits are written atomically,
//! and only to a file that validates.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use devteam_engine::plan::{self, NextState, Order, Overrides, PlanOptions, StopPoint, Unit};
use devteam_engine::tasklist::{self, InjectAt, NewTask, TaskId, TaskList, TaskStatus, ValidateOptions, Validation};
use serde::Serialize;

#[derive(Args)]
pub struct TasksArgs {
    #[command(subcommand)]
    command: TasksCommand,
}

#[derive(Subcommand)]
enum TasksCommand {
    /// Validate a task list; every problem is listed; exit 1 when it is rejected.
    Check {
        file: PathBuf,
        /// Treat warnings (duplicate IDs, missing parents, numbering gaps) as errors.
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the hierarchy with status and dependencies.
    Tree {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show what would run next.
    Next(NextArgs),
    /// Show done-ness counts per phase and overall.
    Progress {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Mark a task done in place (and parents whose children are now all done).
    Done {
        file: PathBuf,
        id: TaskId,
        /// Append an artifacts link; without a value, `artifacts/<ID>/`.
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        artifacts: Option<String>,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
    /// Insert a task: after a task's subtree, before a task, before the next task, or instead of a task.
    Inject(InjectArgs),
}

#[derive(Args)]
struct NextArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value = "sequential")]
    order: OrderArg,
    #[arg(long, value_enum, default_value = "leaf")]
    unit: UnitArg,
    /// Treat these tasks as done (the run engine's own state).
    #[arg(long = "assume-done", value_delimiter = ',')]
    assume_done: Vec<TaskId>,
    /// Treat these tasks as running.
    #[arg(long = "in-flight", value_delimiter = ',')]
    in_flight: Vec<TaskId>,
    #[arg(long = "stop-before")]
    stop_before: Vec<TaskId>,
    #[arg(long = "stop-after")]
    stop_after: Vec<TaskId>,
    #[arg(long = "stop-after-phase")]
    stop_after_phase: Vec<TaskId>,
    #[arg(long = "stop-after-count")]
    stop_after_count: Option<u32>,
    /// Tasks completed in this run, for --stop-after-count.
    #[arg(long, default_value_t = 0)]
    completed: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("position").required(true))]
struct InjectArgs {
    file: PathBuf,
    #[arg(long, group = "position")]
    after: Option<TaskId>,
    #[arg(long, group = "position")]
    before: Option<TaskId>,
    /// Before the task that would run next.
    #[arg(long, group = "position")]
    priority: bool,
    /// Instead of this task (not done) and its subtasks.
    #[arg(long, group = "position")]
    replace: Option<TaskId>,
    #[arg(long)]
    title: String,
    #[arg(long)]
    body: Option<String>,
    /// Dependencies to declare instead of the defaults (comma-separated; empty for none).
    #[arg(long, value_delimiter = ',')]
    deps: Option<Vec<String>>,
    #[arg(long)]
    strict: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OrderArg {
    Sequential,
    Dependency,
}

#[derive(Clone, Copy, ValueEnum)]
enum UnitArg {
    Leaf,
    Group,
}

pub fn run(args: TasksArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        TasksCommand::Check { file, strict, json } => check(&file, strict, json),
        TasksCommand::Tree { file, json } => tree(&file, json),
        TasksCommand::Next(args) => next(args),
        TasksCommand::Progress { file, json } => {
            let list = read(&file)?.1;
            let progress = plan::progress(&list, &Overrides::default());
            if json {
                print_json(&progress)?;
            } else {
                let row = |name: &str, c: &plan::Counts| println!("{name}: {}/{} done, {} remaining", c.done, c.total, c.remaining);
                row("overall", &progress.overall);
                for phase in &progress.phases {
                    row(&format!("{} {}", phase.id, phase.title), &phase.counts);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TasksCommand::Done { file, id, artifacts, strict, json } => done(&file, &id, artifacts, strict, json),
        TasksCommand::Inject(args) => inject(args),
    }
}

fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The file's bytes and the parsed list, labelled with the path as given.
fn read(file: &Path) -> anyhow::Result<(Vec<u8>, TaskList)> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let list = tasklist::parse(&bytes, &file.display().to_string());
    Ok((bytes, list))
}

fn check(file: &Path, strict: bool, json: bool) -> anyhow::Result<ExitCode> {
    let (_, list) = read(file)?;
    let validation = tasklist::validate(&list, ValidateOptions { strict });
    if json {
        #[derive(Serialize)]
        struct Report<'a> {
            file: String,
            tasks: u32,
            ok: bool,
            #[serde(flatten)]
            validation: &'a Validation,
        }
        let tasks = u32::try_from(list.tasks().len()).unwrap_or(u32::MAX);
        print_json(&Report { file: file.display().to_string(), tasks, ok: validation.is_ok(), validation: &validation })?;
    } else {
        eprint!("{}", validation.render());
        let verdict = if validation.is_ok() { "ok" } else { "rejected" };
        println!(
            "{}: {verdict}: {} tasks, {} errors, {} warnings",
            file.display(),
            list.tasks().len(),
            validation.errors,
            validation.warnings
        );
    }
    Ok(if validation.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn tree(file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let (_, list) = read(file)?;
    let nodes = list.tree();
    if json {
        print_json(&nodes)?;
        return Ok(ExitCode::SUCCESS);
    }
    for n in &nodes {
        let status = match n.status {
            TaskStatus::Retired => "retired",
            _ if n.complete => "done",
            _ => "open",
        };
        let deps = if n.deps.is_empty() { String::new() } else { format!("  ← {}", n.deps.join(", ")) };
        println!("{}{} [{status}] {}{deps}", "  ".repeat(n.depth as usize), n.id, n.title);
    }
    Ok(ExitCode::SUCCESS)
}

fn next(args: NextArgs) -> anyhow::Result<ExitCode> {
    let (_, list) = read(&args.file)?;
    let mut stops: Vec<StopPoint> = args.stop_before.into_iter().map(StopPoint::Before).collect();
    stops.extend(args.stop_after.into_iter().map(StopPoint::After));
    stops.extend(args.stop_after_phase.into_iter().map(StopPoint::AfterPhase));
    stops.extend(args.stop_after_count.map(StopPoint::AfterCount));
    let options = PlanOptions {
        order: match args.order {
            OrderArg::Sequential => Order::Sequential,
            OrderArg::Dependency => Order::Dependency,
        },
        unit: match args.unit {
            UnitArg::Leaf => Unit::Leaf,
            UnitArg::Group => Unit::Group,
        },
        stops,
        completed_in_run: args.completed,
    };
    let overrides = Overrides {
        done: args.assume_done.into_iter().collect::<HashSet<_>>(),
        in_flight: args.in_flight.into_iter().collect(),
        ..Overrides::default()
    };
    let next = plan::next(&list, &options, &overrides)?;
    if args.json {
        print_json(&next)?;
        return Ok(ExitCode::SUCCESS);
    }
    match next.state {
        NextState::Ready => {
            for unit in &next.ready {
                println!("{} {} (line {})", unit.id, unit.title, unit.line);
                for item in &unit.checklist {
                    println!("  [{}] {} {}", if item.done { "x" } else { " " }, item.id, item.title);
                }
            }
        }
        NextState::Stopped => println!("stopped: {}", next.stop.as_ref().map_or("", |s| s.reason.as_str())),
        NextState::Waiting => println!("waiting: nothing can start until a running task finishes"),
        NextState::AllDone => println!("all done"),
        NextState::Blocked => {
            println!("blocked:");
            for b in &next.blocked {
                println!("  {} {} waits for {}", b.id, b.title, b.waiting_on.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads and validates a file about to be edited; a rejected file is never written.
fn read_for_edit(file: &Path, strict: bool) -> anyhow::Result<Result<(Vec<u8>, TaskList), ExitCode>> {
    let (bytes, list) = read(file)?;
    let validation = tasklist::validate(&list, ValidateOptions { strict });
    if !validation.is_ok() {
        eprint!("{}", validation.render());
        eprintln!("{}: rejected: not edited", file.display());
        return Ok(Err(ExitCode::FAILURE));
    }
    Ok(Ok((bytes, list)))
}

/// Replaces the file with `text` through a temporary file and a rename, unless
/// the file changed since it was read as `before`.
fn write_atomically(file: &Path, before: &[u8], text: &[u8]) -> anyhow::Result<()> {
    let now = std::fs::read(file).with_context(|| format!("cannot re-read {}", file.display()))?;
    if now != before {
        bail!("{} changed while it was being edited; nothing was written, try again", file.display());
    }
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = file.file_name().context("the file has no name")?.to_string_lossy();
    let temp = dir.join(format!(".{name}.devteam-{}.tmp", std::process::id()));
    let result = (|| {
        std::fs::write(&temp, text)?;
        let permissions = std::fs::metadata(file)?.permissions();
        std::fs::set_permissions(&temp, permissions)?;
        std::fs::File::open(&temp)?.sync_all()?;
        std::fs::rename(&temp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write {}", file.display()))
}

fn done(file: &Path, id: &TaskId, artifacts: Option<String>, strict: bool, json: bool) -> anyhow::Result<ExitCode> {
    let (bytes, list) = match read_for_edit(file, strict)? {
        Ok(read) => read,
        Err(code) => return Ok(code),
    };
    let link = artifacts.map(|a| if a.is_empty() { format!("artifacts/{id}/") } else { a });
    let marked = list.mark_done(id, link.as_deref())?;
    let changed = marked.text != bytes;
    if changed {
        write_atomically(file, &bytes, &marked.text)?;
    }
    let ids: Vec<String> = marked.marked.iter().map(|m| m.to_string()).collect();
    if json {
        print_json(&serde_json::json!({ "file": file.display().to_string(), "marked": ids, "changed": changed }))?;
    } else if changed {
        println!("marked done: {}", ids.join(", "));
    } else {
        println!("{id} was already done; {} unchanged", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn inject(args: InjectArgs) -> anyhow::Result<ExitCode> {
    let (bytes, list) = match read_for_edit(&args.file, args.strict)? {
        Ok(read) => read,
        Err(code) => return Ok(code),
    };
    let deps = match args.deps {
        None => None,
        Some(items) => Some(
            items
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(TaskId::parse)
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let task = NewTask { title: args.title, body: args.body, deps };
    let injected = if args.priority {
        plan::inject_priority(&list, &PlanOptions::default(), &Overrides::default(), &task)?
    } else {
        let at = match (args.after, args.before, args.replace) {
            (Some(id), _, _) => InjectAt::After(id),
            (_, Some(id), _) => InjectAt::Before(id),
            (_, _, Some(id)) => InjectAt::Replace(id),
            _ => bail!("say where: --after ID, --before ID, --priority or --replace ID"),
        };
        list.inject(&at, &task)?
    };
    write_atomically(&args.file, &bytes, &injected.text)?;
    if args.json {
        print_json(&serde_json::json!({ "file": args.file.display().to_string(), "id": injected.id }))?;
    } else {
        println!("injected task {}", injected.id);
    }
    Ok(ExitCode::SUCCESS)
}
