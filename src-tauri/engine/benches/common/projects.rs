//! Many generated projects for the orchestrator benches: each a local bare
//! remote with a task list of script tasks and file criteria, run in the
//! busybox image, its container removed when the bench ends.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::orchestrator::{ExecState, Execution, Orchestrator};
use devteam_engine::project::ProjectDraft;
use devteam_engine::{DataPaths, Engine};

pub const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";

/// A task list of `tasks` tasks, each running `script` in `sh` and checked
/// by a file criterion on README.md.
pub fn tasklist(tasks: usize, script: &str) -> String {
    let mut list = String::from("# Tasks\n\nPhase 1: Work (Dependencies: [])\n\n");
    for n in 1..=tasks {
        list.push_str(&format!(
            "- 1.{n} Task {n} (Dependencies: [])\n  ```sh\n  {script}\n  ```\n  \
             - <criterion key=\"f.{n}\" kind=\"ops\" check=\"file\" path=\"README.md\">\n\n"
        ));
    }
    list
}

/// Adds a project with its own bare remote under `dir`; returns its id.
pub async fn add(engine: &Engine, dir: &Path, name: &str, tasklist: &str) -> String {
    let files: [(&str, &[u8]); 2] = [(TASKLIST, tasklist.as_bytes()), ("README.md", b"# Bench\n")];
    let bare = seed_bare_remote(&dir.join(format!("remotes/{name}.git")), &files, "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Bench".into(),
        name: name.into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    engine.add_project(&draft).await.unwrap().id
}

/// Removes the projects' containers when dropped.
pub struct Containers(pub Vec<String>);

impl Containers {
    pub fn of(paths: &DataPaths, ids: &[String]) -> Self {
        Self(ids.iter().map(|id| devteam_engine::run::container_name(paths, id)).collect())
    }
}

impl Drop for Containers {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("docker").args(["rm", "-f", name]).output();
        }
    }
}

/// Polls the board every 100 ms until `done`, or panics after `timeout`.
pub async fn wait_for(orch: &Orchestrator, what: &str, timeout: Duration, done: impl Fn(&[Execution]) -> bool) -> Vec<Execution> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let all = orch.executions();
        if done(&all) {
            return all;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}: {all:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether every project in `ids` has settled (not queued or running).
pub fn settled(all: &[Execution], ids: &[String]) -> bool {
    ids.iter().all(|id| all.iter().any(|e| &e.project_id == id && !e.state.is_active()))
}

/// The projects of `ids` that did not complete, with their state and reason.
pub fn not_completed(all: &[Execution], ids: &[String]) -> Vec<String> {
    all.iter()
        .filter(|e| ids.contains(&e.project_id) && e.state != ExecState::Completed)
        .map(|e| format!("{} {:?}: {}", e.project_id, e.state, e.reason.clone().unwrap_or_default()))
        .collect()
}
