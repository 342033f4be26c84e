//! Tasks injected while a project runs, through the real run engine: a
//! priority one runs next, an approved positional one runs where it was put,
//! a rejected replace leaves the file unchanged, and every applied one is a
//! minimal edit committed and pushed with the project's next commit. What
//! the run does to an injection (placing it, finding it on the base) is
//! announced as an event, as a person's decisions are: the dashboard's list
//! follows the events only.

use std::path::Path;
use std::process::Command;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::engine_run::RunRequest;
use devteam_engine::events::EngineEvent;
use devteam_engine::inject::{InjectAt, InjectionRequest, InjectionStatus};
use devteam_engine::project::ProjectDraft;
use devteam_engine::run::{MergeMode, RunControl, RunEnd};
use devteam_engine::{DataPaths, Engine, ErrorCode};

const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";

struct ContainerGuard(String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn task(id: &str, title: &str, deps: &str, file: &str) -> String {
    format!(
        "- {id} {title} (Dependencies: [{deps}])\n  ```sh\n  echo {id} > {file}\n  ```\n  \
         - <criterion key=\"f.{file}\" kind=\"ops\" check=\"file\" path=\"{file}\">\n\n"
    )
}

#[tokio::test]
async fn injected_tasks_run_where_they_were_put_and_land_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path().join("data"));
    let engine = Engine::open(paths.clone()).await.unwrap();
    let list = format!(
        "# Tasks\n\nPhase 1: Work (Dependencies: [])\n\n{}{}{}",
        task("1.1", "First", "", "one.txt"),
        task("1.2", "Second", "1.1", "two.txt"),
        task("1.3", "Third", "1.2", "three.txt")
    );
    let bare = seed_bare_remote(&dir.path().join("remote.git"), &[(TASKLIST, list.as_bytes())], "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: "Inject".into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    let id = engine.add_project(&draft).await.unwrap().id;
    let _container = ContainerGuard(devteam_engine::run::container_name(&paths, &id));
    let request = RunRequest { merge_mode: Some(MergeMode::Direct), ..RunRequest::default() };

    let first = RunRequest { until: Some("1.1".into()), ..request.clone() };
    let end = engine.run(&id, &first, &RunControl::default()).await.unwrap();
    assert!(matches!(end, RunEnd::StopPoint { tasks_done: 1, .. }), "{end:?}");

    let body = |file: &str| format!("```sh\necho hot > {file}\n```\n- <criterion key=\"f.{file}\" kind=\"ops\" check=\"file\" path=\"{file}\">");
    let hotfix = engine
        .inject(&id, &InjectionRequest { at: InjectAt::Priority, title: "Hotfix the greeting".into(), body: body("hot.txt") }, "alice")
        .await
        .unwrap();
    assert_eq!(hotfix.status, InjectionStatus::Approved, "priority applies at once");
    let extra = engine
        .inject(&id, &InjectionRequest { at: InjectAt::Positional { after: "1.2".into() }, title: "Extra check".into(), body: body("extra.txt") }, "alice")
        .await
        .unwrap();
    assert_eq!(extra.status, InjectionStatus::Pending);
    let replace = engine
        .inject(&id, &InjectionRequest { at: InjectAt::Replace { task: "1.3".into() }, title: "Other third".into(), body: String::new() }, "alice")
        .await
        .unwrap();
    let refused = engine
        .inject(&id, &InjectionRequest { at: InjectAt::Replace { task: "1.1".into() }, title: "Too late".into(), body: String::new() }, "alice")
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(refused.message.contains("already done"), "{}", refused.message);
    engine.decide_injection(&id, extra.id, true, "bob").await.unwrap();
    engine.decide_injection(&id, replace.id, false, "bob").await.unwrap();
    let again = engine.decide_injection(&id, replace.id, true, "bob").await.unwrap_err();
    assert!(again.message.contains("already rejected"), "{}", again.message);

    let mut events = engine.subscribe();
    let end = engine.run(&id, &request, &RunControl::default()).await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 4 });
    let mut changes = Vec::new();
    loop {
        match events.try_recv() {
            Ok(EngineEvent::InjectionChanged { injection }) => changes.push((injection.id, injection.task_id, injection.status)),
            Ok(_) => {}
            Err(tokio::sync::broadcast::error::TryRecvError::Empty) => break,
            Err(e) => panic!("events lost: {e}"),
        }
    }

    let injections = engine.injections(&id).await.unwrap();
    let hot_id = injections[0].task_id.clone().expect("the priority task got an ID");
    let extra_id = injections[1].task_id.clone().expect("the positional task got an ID");
    assert_eq!(injections[2].status, InjectionStatus::Rejected);
    assert_eq!(injections[2].task_id, None);

    let subjects: Vec<String> = git(&bare, &["log", "--reverse", "--format=%s", "main"]).lines().skip(1).map(String::from).collect();
    assert_eq!(
        subjects,
        [
            "Task 1.1: First".to_string(),
            format!("Task {hot_id}: Hotfix the greeting"),
            "Task 1.2: Second".into(),
            format!("Task {extra_id}: Extra check"),
            "Task 1.3: Third".into(),
        ],
        "the priority task ran next, the positional one after 1.2"
    );
    let file = git(&bare, &["show", &format!("main:{TASKLIST}")]);
    let pos = |needle: &str| file.find(needle).unwrap_or_else(|| panic!("{needle} not in:\n{file}"));
    assert!(pos("Hotfix the greeting") < pos("1.2 Second") && pos("1.2 Second") < pos("Extra check") && pos("Extra check") < pos("1.3 Third"));
    assert!(!file.contains("Other third"), "the rejected replacement left the file unchanged");
    assert_eq!(file.matches("Hotfix the greeting").count(), 1, "applied once:\n{file}");
    // The injection went in with the next task's own commit.
    let with_hotfix = git(&bare, &["log", "--format=%s", "-S", "Hotfix the greeting", "main", "--", TASKLIST]);
    assert_eq!(with_hotfix.lines().last(), Some(format!("Task {hot_id}: Hotfix the greeting").as_str()));
    let applied = engine.injections(&id).await.unwrap();
    assert!(applied[..2].iter().all(|i| i.status == InjectionStatus::Applied), "{applied:#?}");
    // Placed (its ID known), then found on the base: each said once, in that order.
    for (injection, task_id) in [(hotfix.id, &hot_id), (extra.id, &extra_id)] {
        let said: Vec<_> = changes.iter().filter(|c| c.0 == injection).map(|c| (c.1.as_deref(), c.2)).collect();
        assert_eq!(
            said,
            [(Some(task_id.as_str()), InjectionStatus::Approved), (Some(task_id.as_str()), InjectionStatus::Applied)],
            "injection {injection}: {changes:?}"
        );
    }
    assert!(changes.iter().all(|c| c.0 != replace.id), "the rejected one is not touched by the run: {changes:?}");
}
