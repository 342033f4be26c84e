//! The images a project can run in, through the real run engine: DevTeam's
//! Debian runner image (git, build tools, Python, Node; built by debootstrap
//! on first use, a few minutes once per machine) and a Dockerfile from the
//! project's own repository.

use std::process::Command;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::project::ProjectDraft;
use devteam_engine::run::{RunControl, RunEnd};
use devteam_engine::runner::ImageRecipe;
use devteam_engine::{DataPaths, Engine, EngineEvent};

const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";

struct ContainerGuard(String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

async fn run_with(image: &str, files: &[(&str, &[u8])]) -> (RunEnd, Vec<EngineEvent>, String) {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let bare = seed_bare_remote(&dir.path().join("remote.git"), files, "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Images".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        image: image.into(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let _container = ContainerGuard(devteam_engine::run::container_name(&paths, &id));
    let mut events = engine.subscribe();
    let end = engine.run(&id, &RunRequest::default(), &RunControl::default()).await.unwrap();
    let log = engine.task_log_text(&id, "1").await.unwrap_or_default();
    (end, std::iter::from_fn(|| events.try_recv().ok()).collect(), log)
}

#[tokio::test]
async fn the_runner_image_has_git_build_tools_python_and_node() {
    let tasks = "# Tasks\n\n- [ ] 1 Use the toolchains (Dependencies: [])\n  ```sh\n  git --version && make --version | head -1 && cc --version | head -1\n  \
                 python3 -c 'print(\"python\", 6 * 7)'\n  node -e 'console.log(\"node\", 6 * 7)'\n  ```\n";
    let (end, events, log) = run_with("runner", &[(TASKLIST, tasks.as_bytes())]).await;
    assert_eq!(end, RunEnd::AllDone { tasks_done: 1 }, "{log}");
    assert!(log.contains("python 42") && log.contains("node 42") && log.contains("git version"), "{log}");
    // Built on first use with its progress shown (or found already built).
    let image_lines: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::ImageProgress { line, .. } => Some(line.clone()),
            _ => None,
        })
        .collect();
    let built_now = image_lines.iter().any(|l| l.contains("debootstrap"));
    assert!(!built_now || image_lines.iter().any(|l| l.contains("ready")), "{image_lines:?}");
}

#[tokio::test]
async fn a_dockerfile_in_the_repository_is_built_and_used() {
    let base = ImageRecipe::test_image(Vec::new()).unwrap();
    let runner = devteam_engine::runner::DockerRunner::connect().await.unwrap();
    let base_tag = runner.ensure_image(&base, &mut |_| {}).await.unwrap();
    let dockerfile = format!("FROM {base_tag}\nCOPY greeting.txt /etc/greeting.txt\n");
    let tasks = "# Tasks\n\n- [ ] 1 Read what the image holds (Dependencies: [])\n  ```sh\n  cat /etc/greeting.txt\n  ```\n";
    let files: [(&str, &[u8]); 3] = [(TASKLIST, tasks.as_bytes()), ("ci/Dockerfile", dockerfile.as_bytes()), ("ci/greeting.txt", b"hello from the project's image\n")];
    let (end, _, log) = run_with("dockerfile:ci/Dockerfile", &files).await;
    assert_eq!(end, RunEnd::AllDone { tasks_done: 1 }, "{log}");
    assert!(log.contains("hello from the project's image"), "{log}");
}

#[tokio::test]
async fn an_image_that_is_not_here_is_a_clear_error() {
    let tasks = "# Tasks\n\n- [ ] 1 Anything (Dependencies: [])\n  ```sh\n  true\n  ```\n";
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(DataPaths::at(dir.path().join("data"))).await.unwrap();
    let bare = seed_bare_remote(&dir.path().join("remote.git"), &[(TASKLIST, tasks.as_bytes())], "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Missing".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        image: "acme/never-built:1".into(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let err = engine.run(&id, &RunRequest::default(), &RunControl::default()).await.unwrap_err();
    assert!(err.message.contains("acme/never-built:1") && err.message.contains("not on this machine"), "{}", err.message);
}
