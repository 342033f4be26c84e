//! `devteam-cli projects`: the same project registry the app shows.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use devteam_engine::project::{ExecutionOrder, Priority, Project, ProjectDraft, TaskUnit};

use devteam_engine::{EngineError, ErrorCode};

use crate::output::{open_engine, open_engine_for_write, print_json, report_error};

#[derive(Args)]
pub struct ProjectsArgs {
    #[command(subcommand)]
    command: ProjectsCommand,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum ProjectsCommand {
    /// Register a customer project.
    Add(ProjectFields),
    /// List every project.
    List,
    /// Show one project's settings.
    Show { id: String },
    /// Remove a project (its repository is not touched).
    Remove { id: String },
    /// Change settings: `name=CRM`, `run.max_attempts=5`,
    /// `run.merge_mode=direct`, `run.checks='[{"name":"test","run":"make test"}]'`
    /// (a value is read as JSON when it is JSON, else as text).
    Set {
        id: String,
        #[arg(required = true, value_name = "KEY=VALUE")]
        assignments: Vec<String>,
    },
}

#[derive(Args)]
struct ProjectFields {
    /// The customer's name, e.g. "Acme Corp".
    #[arg(long)]
    customer: String,
    /// The project's name, e.g. "CRM web".
    #[arg(long)]
    name: String,
    /// https://github.com/owner/repo, git@github.com:owner/repo.git, file:// or an absolute path.
    #[arg(long = "repo-url")]
    repo_url: String,
    #[arg(long = "base-branch", default_value = devteam_engine::project::DEFAULT_BASE_BRANCH)]
    base_branch: String,
    #[arg(long = "tasklist-path", default_value = devteam_engine::project::DEFAULT_TASKLIST_PATH)]
    tasklist_path: String,
    /// sequential or dependency.
    #[arg(long, default_value = "sequential", value_parser = parse_enum::<ExecutionOrder>)]
    order: ExecutionOrder,
    /// leaf or group.
    #[arg(long, default_value = "leaf", value_parser = parse_enum::<TaskUnit>)]
    unit: TaskUnit,
    #[arg(long = "default-agent", default_value = devteam_engine::project::DEFAULT_AGENT)]
    default_agent: String,
    /// high, normal or low.
    #[arg(long, default_value = "normal", value_parser = parse_enum::<Priority>)]
    priority: Priority,
    /// runner (Debian with git, build tools, Python, Node; built on first
    /// use), minimal (busybox), a local image tag, or dockerfile:PATH.
    #[arg(long, default_value = devteam_engine::project::RUNNER_IMAGE)]
    image: String,
}

fn parse_enum<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

pub async fn run(args: ProjectsArgs) -> anyhow::Result<ExitCode> {
    let json = args.json;
    let reads_only = matches!(args.command, ProjectsCommand::List | ProjectsCommand::Show { .. });
    let engine = match if reads_only { open_engine().await } else { open_engine_for_write().await } {
        Ok(e) => e,
        Err(e) => return Ok(report_error(&e, json)),
    };
    let outcome = match args.command {
        ProjectsCommand::Add(f) => {
            let draft = ProjectDraft {
                customer: f.customer,
                name: f.name,
                repo_url: f.repo_url,
                base_branch: f.base_branch,
                tasklist_path: f.tasklist_path,
                order: f.order,
                unit: f.unit,
                default_agent: f.default_agent,
                priority: f.priority,
                image: f.image,
                run: Default::default(),
            };
            engine.add_project(&draft).await.map(|p| {
                if json { print_json(&p).ok(); } else { println!("added project {} ({} / {})", p.id, p.settings.customer, p.settings.name); }
            })
        }
        ProjectsCommand::List => engine.projects().await.map(|list| {
            if json { print_json(&list).ok(); } else { print_table(&list); }
        }),
        ProjectsCommand::Show { id } => engine.project(&id).await.map(|p| {
            if json { print_json(&p).ok(); } else { print_project(&p); }
        }),
        ProjectsCommand::Set { id, assignments } => match engine.project(&id).await {
            Ok(project) => match assign(&project.settings, &assignments) {
                Ok(draft) => engine.update_project(&id, &draft).await.map(|p| {
                    if json { print_json(&p).ok(); } else { print_project(&p); }
                }),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        },
        ProjectsCommand::Remove { id } => engine.remove_project(&id).await.map(|()| {
            if json { print_json(&serde_json::json!({ "removed": id })).ok(); } else { println!("removed project {id}"); }
        }),
    };
    engine.close().await;
    Ok(match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report_error(&e, json),
    })
}

fn print_table(list: &[Project]) {
    if list.is_empty() {
        println!("no projects yet: add one with `devteam-cli projects add --customer ... --name ... --repo-url ...`");
        return;
    }
    let w_id = list.iter().map(|p| p.id.len()).max().unwrap_or(2).max(2);
    let w_cu = list.iter().map(|p| p.settings.customer.chars().count()).max().unwrap_or(8).max(8);
    let w_na = list.iter().map(|p| p.settings.name.chars().count()).max().unwrap_or(7).max(7);
    println!("{:w_id$}  {:w_cu$}  {:w_na$}  REPOSITORY", "ID", "CUSTOMER", "PROJECT");
    for p in list {
        println!("{:w_id$}  {:w_cu$}  {:w_na$}  {}", p.id, p.settings.customer, p.settings.name, p.settings.repo_url);
    }
}

fn print_project(p: &Project) {
    let s = &p.settings;
    let rows = [
        ("id", p.id.as_str()),
        ("customer", &s.customer),
        ("name", &s.name),
        ("repository", &s.repo_url),
        ("base branch", &s.base_branch),
        ("task list", &s.tasklist_path),
        ("order", s.order.as_str()),
        ("unit", s.unit.as_str()),
        ("default agent", &s.default_agent),
        ("image", &s.image),
        ("priority", s.priority.as_str()),
        ("created", &p.created_at),
        ("updated", &p.updated_at),
    ];
    for (k, v) in rows {
        println!("{k:>14}: {v}");
    }
    if let Ok(serde_json::Value::Object(run)) = serde_json::to_value(&s.run) {
        println!("run settings (change with `devteam-cli projects set {} run.KEY=VALUE`):", p.id);
        for (k, v) in run {
            println!("{:>22}: {v}", format!("run.{k}"));
        }
    }
}

/// The draft with each `key=value` (a dotted path into its JSON form) set.
fn assign(draft: &ProjectDraft, assignments: &[String]) -> Result<ProjectDraft, EngineError> {
    let bad = |what: String| EngineError::new(ErrorCode::Validation, what);
    let mut value = serde_json::to_value(draft).map_err(|e| EngineError::internal(e.to_string()))?;
    for assignment in assignments {
        let (path, text) = assignment
            .split_once('=')
            .ok_or_else(|| bad(format!("`{assignment}` is not KEY=VALUE (e.g. run.max_attempts=5)")))?;
        let mut slot = &mut value;
        for key in path.trim().split('.') {
            slot = slot
                .as_object_mut()
                .and_then(|object| object.get_mut(key))
                .ok_or_else(|| bad(format!("`{path}` is not a project setting (see `devteam-cli projects show ID`)")))?;
        }
        let new = serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_string()));
        *slot = new;
    }
    serde_json::from_value(value).map_err(|e| bad(format!("{}: {e}", assignments.join(" "))))
}
