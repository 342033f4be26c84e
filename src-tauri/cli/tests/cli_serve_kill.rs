//! Ten projects queued and served headless on four slots; `serve` is
//! SIGKILLed mid-way and started again: every project resumes from its last
//! saved step and every task is committed and pushed exactly once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::project::ProjectDraft;
use devteam_engine::{DataPaths, Engine};

const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";
const PROJECTS: usize = 10;

struct Containers(Vec<String>);

impl Drop for Containers {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("docker").args(["rm", "-f", name]).output();
        }
    }
}

fn cli(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_devteam-cli"));
    c.env("DEVTEAM_DATA_DIR", data).env("RUST_LOG", "warn");
    c
}

fn tasks() -> String {
    let mut list = String::from("# Tasks\n\nPhase 1: Work (Dependencies: [])\n\n");
    for (n, deps) in [(1, ""), (2, "1.1"), (3, "1.2")] {
        list.push_str(&format!(
            "- 1.{n} Step {n} (Dependencies: [{deps}])\n  ```sh\n  sleep 1\n  echo {n} > step{n}.txt\n  ```\n  \
             - <criterion key=\"f{n}\" kind=\"ops\" check=\"file\" path=\"step{n}.txt\">\n\n"
        ));
    }
    list
}

fn git_subjects(bare: &Path) -> Vec<String> {
    let out = Command::new("git").args(["log", "--all", "--format=%s"]).current_dir(bare).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect()
}

#[test]
fn ten_projects_served_killed_and_served_again_finish_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ids: Vec<String> = runtime.block_on(async {
        let engine = Engine::open(DataPaths::at(&data)).await.unwrap();
        let mut ids = Vec::new();
        for n in 0..PROJECTS {
            let bare = seed_bare_remote(&dir.path().join(format!("remotes/p{n}.git")), &[(TASKLIST, tasks().as_bytes())], "Plan").unwrap();
            let draft = ProjectDraft {
                customer: "Acme".into(),
                name: format!("p{n}"),
                repo_url: bare.display().to_string(),
                tasklist_path: TASKLIST.into(),
                default_agent: "script".into(),
                image: devteam_engine::project::MINIMAL_IMAGE.into(),
                ..ProjectDraft::default()
            };
            ids.push(engine.add_project(&draft).await.unwrap().id);
        }
        engine.close().await;
        ids
    });
    let _containers = Containers(ids.iter().map(|id| devteam_engine::run::container_name(&DataPaths::at(&data), id)).collect());
    let out = cli(&data).arg("start").args(&ids).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Kill the first `serve` once a few tasks are done, well before the end.
    let mut child = cli(&data).args(["serve", "--slots", "4"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut done_before_kill = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.contains(": task ") && line.ends_with(" done") {
            done_before_kill += 1;
            if done_before_kill == 5 {
                break;
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(done_before_kill, 5, "serve was killed mid-way");

    let started = Instant::now();
    let out = cli(&data).args(["serve", "--slots", "4"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the second serve finished everything:\n{stdout}");
    assert!(stdout.contains(&format!("{PROJECTS} projects: {PROJECTS} completed")), "{stdout}");
    assert!(started.elapsed() < Duration::from_secs(600));

    for (n, id) in ids.iter().enumerate() {
        let subjects = git_subjects(&dir.path().join(format!("remotes/p{n}.git")));
        for t in 1..=3 {
            let subject = format!("Task 1.{t}: Step {t}");
            assert_eq!(subjects.iter().filter(|s| **s == subject).count(), 1, "{id}: one commit for {subject}: {subjects:?}");
        }
        let status = cli(&data).args(["status", id, "--json"]).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        assert_eq!(json["state"], "completed", "{id}: {json}");
        assert_eq!(json["tasks"].as_array().unwrap().len(), 3);
    }
}
