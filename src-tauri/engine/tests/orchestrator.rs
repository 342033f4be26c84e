//! Many projects at once through the orchestrator, in real Docker with real
//! git: slots, the priority queue, a rejected task list and a blocked task
//! that do not stop the others, pause/resume, and an emergency stop.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use devteam_engine::demo::seed_bare_remote;
use devteam_engine::orchestrator::{ExecState, Execution, Orchestrator, OrchestratorOptions, Priority, StartOptions};
use devteam_engine::project::ProjectDraft;
use devteam_engine::{DataPaths, Engine, EngineEvent};

const TASKLIST: &str = "ai_docs/tasks/tasks_list.md";

/// Removes the projects' containers when the test ends, pass or fail.
struct Containers(Vec<String>);

impl Drop for Containers {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("docker").args(["rm", "-f", name]).output();
        }
    }
}

fn tasks(body_of_second: &str) -> String {
    format!(
        "# Tasks\n\nPhase 1: Files (Dependencies: [])\n\n\
         - 1.1 Write hello (Dependencies: [])\n  ```sh\n  echo hello > hello.txt\n  ```\n  \
         - <criterion key=\"f.hello\" kind=\"ops\" check=\"file\" path=\"hello.txt\">\n\n\
         - 1.2 Write world (Dependencies: [1.1])\n{body_of_second}\n"
    )
}

fn good_second() -> String {
    "  ```sh\n  echo world > world.txt\n  ```\n  - <criterion key=\"f.world\" kind=\"ops\" check=\"file\" path=\"world.txt\">".into()
}

/// A second task that takes `seconds` (slow enough to pause or stop).
fn slow_second(seconds: u32) -> String {
    format!("  ```sh\n  for i in $(seq {seconds}); do echo tick $i; sleep 1; done\n  echo world > world.txt\n  ```\n  - <criterion key=\"f.world\" kind=\"ops\" check=\"file\" path=\"world.txt\">")
}

async fn add_project(engine: &Engine, dir: &Path, name: &str, tasklist: &str, priority: Priority) -> String {
    let bare = seed_bare_remote(&dir.join(format!("remotes/{name}.git")), &[(TASKLIST, tasklist.as_bytes())], "Plan").unwrap();
    let draft = ProjectDraft {
        customer: "Acme".into(),
        name: name.into(),
        repo_url: bare.display().to_string(),
        tasklist_path: TASKLIST.into(),
        default_agent: "script".into(),
        priority,
        image: devteam_engine::project::MINIMAL_IMAGE.into(),
        ..ProjectDraft::default()
    };
    engine.add_project(&draft).await.unwrap().id
}

fn options(slots: u32) -> OrchestratorOptions {
    // Admission by host CPU is left out here: this shared 2-core machine is
    // busy with the test itself, and the queue is what is under test.
    OrchestratorOptions { slots, cpu_limit: 1000.0, project_memory_bytes: 0.0 }
}

async fn wait_for(orch: &Orchestrator, what: &str, timeout: Duration, done: impl Fn(&[Execution]) -> bool) -> Vec<Execution> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let all = orch.executions();
        if std::env::var("DEBUG_BOARD").is_ok() {
            eprintln!("{:?}", all.iter().map(|e| (&e.project_id, e.state, &e.task_id, e.step)).collect::<Vec<_>>());
        }
        if done(&all) {
            return all;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}: {all:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn state_of(all: &[Execution], id: &str) -> ExecState {
    all.iter().find(|e| e.project_id == id).map_or(ExecState::Stopped, |e| e.state)
}

fn git_log(bare: &Path, branch: &str) -> Vec<String> {
    let out = Command::new("git").args(["log", "--format=%s", branch]).current_dir(bare).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_projects_on_four_slots_all_finish_while_a_broken_and_a_blocked_one_wait() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..8 {
        ids.push(add_project(&engine, dir.path(), &format!("p{n}"), &tasks(&good_second()), Priority::Normal).await);
    }
    let broken = add_project(&engine, dir.path(), "broken", "# Tasks\n\n- 1.1 First (Dependencies: [9.9])\n", Priority::Normal).await;
    let failing = "  ```sh\n  echo 'this never works'; exit 3\n  ```".to_string();
    let blocked = add_project(&engine, dir.path(), "blocked", &tasks(&failing), Priority::Normal).await;
    let mut all_ids = ids.clone();
    all_ids.extend([broken.clone(), blocked.clone()]);
    let _containers = Containers(all_ids.iter().map(|id| devteam_engine::run::container_name(&paths, id)).collect());

    let orch = Orchestrator::start(engine.clone(), options(4)).await.unwrap();
    let mut events = engine.subscribe();
    for id in &all_ids {
        orch.start_project(id, StartOptions::default()).await.unwrap();
    }
    let most_at_once = tokio::spawn({
        let orch = orch.clone();
        async move {
            let mut most = 0;
            loop {
                let busy = orch.executions().iter().filter(|e| e.state.is_active() && e.state != ExecState::Queued).count();
                most = most.max(busy);
                if orch.executions().iter().all(|e| !e.state.is_active()) {
                    return most;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    let all = wait_for(&orch, "every project to settle", Duration::from_secs(600), |all| {
        all.len() == all_ids.len() && all.iter().all(|e| !e.state.is_active())
    })
    .await;
    let most = most_at_once.await.unwrap();
    assert!(most <= 4, "never more than 4 projects at once, saw {most}");
    assert!(most >= 2, "the slots were used in parallel, saw at most {most}");

    for id in &ids {
        let e = all.iter().find(|e| &e.project_id == id).unwrap();
        assert_eq!(e.state, ExecState::Completed, "{id}: {e:#?}");
        assert_eq!((e.done, e.total), (2, 2), "{id}");
        let log = git_log(&dir.path().join(format!("remotes/{}.git", id.trim_start_matches("acme-"))), "task/1.2-write-world");
        assert_eq!(log.iter().filter(|s| s.starts_with("Task ")).count(), 2, "{id}: one commit per task: {log:?}");
    }
    let broken_exec = all.iter().find(|e| e.project_id == broken).unwrap();
    assert_eq!(broken_exec.state, ExecState::Failed);
    let reason = broken_exec.reason.clone().unwrap_or_default();
    assert!(reason.contains("9.9") && reason.contains(TASKLIST), "the rejection names the file and the problem: {reason}");
    let blocked_exec = all.iter().find(|e| e.project_id == blocked).unwrap();
    assert_eq!(blocked_exec.state, ExecState::Blocked);
    assert!(blocked_exec.reason.clone().unwrap_or_default().contains("exit status 3"), "{blocked_exec:#?}");

    // The board reached the window as events, with the badges in order.
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let EngineEvent::ExecutionChanged { execution } = event {
            if execution.project_id == ids[0] && seen.last() != Some(&execution.state) {
                seen.push(execution.state);
            }
        }
    }
    let first = |s: ExecState| seen.iter().position(|x| *x == s).unwrap_or_else(|| panic!("{s:?} not in {seen:?}"));
    assert!(first(ExecState::Queued) < first(ExecState::Initializing));
    assert!(first(ExecState::Initializing) < first(ExecState::TaskExecuting));
    assert!(first(ExecState::TaskExecuting) < first(ExecState::Completed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_high_priority_project_gets_the_free_slot_before_a_low_one() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let first = add_project(&engine, dir.path(), "first", &tasks(&slow_second(3)), Priority::Normal).await;
    let low = add_project(&engine, dir.path(), "low", &tasks(&good_second()), Priority::Low).await;
    let high = add_project(&engine, dir.path(), "high", &tasks(&good_second()), Priority::High).await;
    let _containers = Containers([&first, &low, &high].iter().map(|id| devteam_engine::run::container_name(&paths, id)).collect());

    let orch = Orchestrator::start(engine.clone(), options(1)).await.unwrap();
    let mut events = engine.subscribe();
    orch.start_project(&first, StartOptions::default()).await.unwrap();
    wait_for(&orch, "the first project to run", Duration::from_secs(120), |all| state_of(all, &first) != ExecState::Queued).await;
    orch.start_project(&low, StartOptions::default()).await.unwrap();
    orch.start_project(&high, StartOptions::default()).await.unwrap();
    let queued = orch.execution(&low).unwrap();
    assert!(queued.reason.unwrap_or_default().contains("free slot"), "a queued project says why it waits");
    wait_for(&orch, "all three to complete", Duration::from_secs(300), |all| {
        [&first, &low, &high].iter().all(|id| state_of(all, id) == ExecState::Completed)
    })
    .await;
    let mut started = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let EngineEvent::ExecutionChanged { execution } = event {
            if execution.state == ExecState::Initializing && !started.contains(&execution.project_id) {
                started.push(execution.project_id);
            }
        }
    }
    assert_eq!(started, [first, high, low], "high went before low when the slot freed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pause_resume_and_emergency_stop_keep_the_state_and_finish_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let id = add_project(&engine, dir.path(), "slow", &tasks(&slow_second(30)), Priority::Normal).await;
    let _containers = Containers(vec![devteam_engine::run::container_name(&paths, &id)]);
    let orch = Orchestrator::start(engine.clone(), options(2)).await.unwrap();

    // Pause lands at the next step boundary, before the slow task's
    // command runs; the pause is kept until resume.
    orch.start_project(&id, StartOptions::default()).await.unwrap();
    wait_for(&orch, "the run to start", Duration::from_secs(120), |all| state_of(all, &id) != ExecState::Queued).await;
    orch.pause(&id).await.unwrap();
    let paused = wait_for(&orch, "the pause", Duration::from_secs(120), |all| state_of(all, &id) == ExecState::Paused).await;
    assert!(paused[0].done <= 1, "the pause stopped the run before the end: {paused:#?}");
    let ticks = engine.task_log_text(&id, "1.2").await.unwrap_or_default();
    assert!(!ticks.contains("tick"), "the slow command did not start before the pause:\n{ticks}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(state_of(&orch.executions(), &id), ExecState::Paused, "a paused project stays paused");

    // An emergency stop kills 1.2's 30-second command at once.
    orch.resume(&id).await.unwrap();
    wait_for(&orch, "the slow command to run", Duration::from_secs(120), |all| {
        all.iter().any(|e| e.project_id == id && e.task_id.as_deref() == Some("1.2") && e.step == Some(devteam_engine::run::Step::Implement))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let asked = std::time::Instant::now();
    orch.emergency_stop_all().await.unwrap();
    wait_for(&orch, "the emergency stop", Duration::from_secs(20), |all| state_of(all, &id) == ExecState::Stopped).await;
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(10), "the stop did not wait for the 30-second command: {took:?}");
    let row = engine.task_runs(&id).await.unwrap().into_iter().find(|r| r.task_id == "1.2").unwrap();
    assert_eq!(row.attempts, 1, "the interrupted attempt is the one in flight");

    // Resumed, the task finishes; the interrupted attempt was not counted.
    orch.resume(&id).await.unwrap();
    let all = wait_for(&orch, "completion", Duration::from_secs(180), |all| state_of(all, &id) == ExecState::Completed).await;
    assert_eq!(all[0].done, 2);
    let row = engine.task_runs(&id).await.unwrap().into_iter().find(|r| r.task_id == "1.2").unwrap();
    assert_eq!(row.attempts, 1, "the killed attempt did not count");
    let log = git_log(&dir.path().join("remotes/slow.git"), "task/1.2-write-world");
    assert_eq!(log.iter().filter(|s| s.starts_with("Task 1.2")).count(), 1, "{log:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_project_whose_memory_limit_exceeds_the_free_memory_waits_without_holding_back_others() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let big = add_project(&engine, dir.path(), "big", &tasks(&good_second()), Priority::High).await;
    let small = add_project(&engine, dir.path(), "small", &tasks(&good_second()), Priority::Low).await;
    let _containers = Containers(vec![devteam_engine::run::container_name(&paths, &small)]);
    // 64 GiB: more than this machine has free (it has 24 GiB in all).
    let mut draft = engine.project(&big).await.unwrap().settings;
    draft.run.memory_mb = 65_536;
    engine.update_project(&big, &draft).await.unwrap();

    let orch = Orchestrator::start(engine.clone(), options(1)).await.unwrap();
    orch.start_project(&big, StartOptions::default()).await.unwrap();
    orch.start_project(&small, StartOptions::default()).await.unwrap();
    let all = wait_for(&orch, "the small project to complete", Duration::from_secs(180), |all| state_of(all, &small) == ExecState::Completed).await;
    let waiting = all.iter().find(|e| e.project_id == big).unwrap();
    assert_eq!(waiting.state, ExecState::Queued, "high priority, but it does not fit: {waiting:#?}");
    let reason = waiting.reason.clone().unwrap_or_default();
    assert!(reason.contains("below the project's memory limit 64.0 GiB"), "the reason names the limit: {reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_project_queued_by_another_process_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let id = add_project(&engine, dir.path(), "elsewhere", &tasks(&good_second()), Priority::Normal).await;
    let _containers = Containers(vec![devteam_engine::run::container_name(&paths, &id)]);
    let orch = Orchestrator::start(engine.clone(), options(2)).await.unwrap();
    // `devteam-cli start` writes the queued row through its own engine.
    let other = Engine::open(paths.clone()).await.unwrap();
    other.queue_project(&id, &StartOptions::default()).await.unwrap();
    wait_for(&orch, "the queued project to complete", Duration::from_secs(180), |all| state_of(all, &id) == ExecState::Completed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resume_after_a_stop_point_goes_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let id = add_project(&engine, dir.path(), "stops", &tasks(&good_second()), Priority::Normal).await;
    let _containers = Containers(vec![devteam_engine::run::container_name(&paths, &id)]);
    let orch = Orchestrator::start(engine.clone(), options(2)).await.unwrap();
    orch.start_project(&id, StartOptions { until: Some("1.1".into()), ..StartOptions::default() }).await.unwrap();
    let all = wait_for(&orch, "the stop point", Duration::from_secs(180), |all| state_of(all, &id) == ExecState::Paused).await;
    assert_eq!(all[0].done, 1);
    assert!(all[0].reason.clone().unwrap_or_default().contains("1.1"), "{all:#?}");
    orch.resume(&id).await.unwrap();
    let all = wait_for(&orch, "completion", Duration::from_secs(180), |all| state_of(all, &id) == ExecState::Completed).await;
    assert_eq!(all[0].done, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_task_taken_over_blocks_the_project_until_the_person_marks_it_done() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    let id = add_project(&engine, dir.path(), "by-hand", &tasks(&good_second()), Priority::Normal).await;
    let _containers = Containers(vec![devteam_engine::run::container_name(&paths, &id)]);
    let orch = Orchestrator::start(engine.clone(), options(2)).await.unwrap();
    orch.start_project(&id, StartOptions { until: Some("1.1".into()), ..StartOptions::default() }).await.unwrap();
    wait_for(&orch, "the stop point", Duration::from_secs(180), |all| state_of(all, &id) == ExecState::Paused).await;

    let taken = orch.take_task(&id, "1.2", "alice").await.unwrap();
    assert_eq!((taken.state, taken.task_id.as_deref()), (ExecState::Blocked, Some("1.2")), "{taken:#?}");
    assert!(taken.reason.as_deref().unwrap_or_default().starts_with("taken by alice"), "{taken:#?}");
    // Resumed, it still waits for alice.
    orch.resume(&id).await.unwrap();
    let all = wait_for(&orch, "the run to wait for the person", Duration::from_secs(60), |all| state_of(all, &id) == ExecState::Blocked).await;
    assert!(all[0].reason.as_deref().unwrap_or_default().starts_with("taken by alice"), "{all:#?}");

    orch.review(&id, devteam_engine::run::ReviewAction::Done, "alice").await.unwrap();
    wait_for(&orch, "completion", Duration::from_secs(180), |all| state_of(all, &id) == ExecState::Completed).await;
    let rows = engine.task_runs(&id).await.unwrap();
    let by_hand = rows.iter().find(|r| r.task_id == "1.2").unwrap();
    assert_eq!((by_hand.status, by_hand.attempts), (devteam_engine::run::TaskStatus::Done, 0), "no agent ran it");
}
