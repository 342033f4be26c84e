//! The demo project walked end to end in real Docker with real git: every
//! task implemented by the script agent, verified, committed, pushed and
//! ticked; the task that errs first is fixed on its second attempt.

use std::path::Path;
use std::process::Command;

use devteam_engine::engine_run::RunRequest;
use devteam_engine::run::{MergeMode, RunControl, RunEnd, Step, TaskStatus};
use devteam_engine::{DataPaths, Engine, EngineEvent};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Removes the project's container when the test ends, pass or fail.
struct ContainerGuard(String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

fn guard(dir: &Path, project_id: &str) -> ContainerGuard {
    ContainerGuard(devteam_engine::run::container_name(&DataPaths::at(dir), project_id))
}

const TASKS: [&str; 9] = ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"];

#[tokio::test]
async fn the_demo_runs_to_the_end_in_direct_mode() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(DataPaths::at(dir.path())).await.unwrap();
    let project = engine.create_demo().await.unwrap();
    let _container = guard(dir.path(), &project.id);
    let mut events = engine.subscribe();
    let request = RunRequest { merge_mode: Some(MergeMode::Direct), ..RunRequest::default() };
    let end = engine.run(&project.id, &request, &RunControl::default()).await.unwrap();
    assert_eq!(end, RunEnd::AllDone { tasks_done: 9 });

    let bare = dir.path().join("demo/calculator.git");
    let log = git(&bare, &["log", "--format=%s", "main"]);
    let expected: Vec<String> = TASKS.iter().rev().map(|id| id.to_string()).collect();
    let ids: Vec<String> = log.lines().filter_map(|l| l.strip_prefix("Task ")).map(|l| l.split(':').next().unwrap().to_string()).collect();
    assert_eq!(ids, expected, "exactly one commit per task, in plan order");

    let list = git(&bare, &["show", "main:ai_docs/tasks/tasks_list.md"]);
    for id in TASKS {
        assert!(list.contains(&format!("- {id} ")) && list.lines().any(|l| l.contains(&format!("- {id} ")) && l.contains('✅')), "task {id} is ticked:\n{list}");
    }
    let outcomes = git(&bare, &["show", "main:ai_docs/tasks/task_outcomes.md"]);
    assert_eq!(outcomes.matches("## Task ").count(), 9, "one outcome section per task");
    let test = git(&bare, &["show", "main:tests/test_calc.sh"]);
    assert!(test.contains("add 2 3"));
    let calc = git(&bare, &["show", "main:src/calc.sh"]);
    assert!(calc.contains("sub() { echo $(( $1 - $2 )); }") && !calc.contains("$1 + $2 )); }\nsub"), "the retry fixed sub:\n{calc}");
    let report = git(&bare, &["show", "main:ai_docs/tasks/artifacts/2.4/verify-1.md"]);
    assert!(report.to_lowercase().contains("fail"), "attempt 1's report shows the failure:\n{report}");

    // The retry's prompt: the task as written, where it sits, what it
    // builds on, its criteria and constraints, what failed and the diff.
    let prompt = git(&bare, &["show", "main:ai_docs/tasks/artifacts/2.4/prompt-2.md"]);
    for part in [
        "# Task 2.4: Add subtraction",
        "Part of: 2 Arithmetic",
        "## Task body (verbatim)",
        "if [ \"$DEVTEAM_ATTEMPT\" = 1 ]; then",
        "## Done before this task",
        "- 2.3 Write the unit tests — done by script in 1 attempt(s)",
        "## Acceptance criteria",
        "- `sh tests/test_sub.sh` exits with status 0",
        "## Constraints",
        "## Attempt 1 failed",
        "sub 7 2 is not 5",
        "## Your changes so far",
        "+sub() { echo $(( $1 + $2 )); }",
    ] {
        assert!(prompt.contains(part), "`{part}` in the retry's prompt:\n{prompt}");
    }
    // What else the task's commit keeps: the diff, each step's time.
    let diff = git(&bare, &["show", "main:ai_docs/tasks/artifacts/2.4/diff.patch"]);
    assert!(diff.contains("+sub() { echo $(( $1 - $2 )); }") && !diff.contains("tasks_list.md"), "{diff}");
    let timings: serde_json::Value = serde_json::from_str(&git(&bare, &["show", "main:ai_docs/tasks/artifacts/2.4/timings.json"])).unwrap();
    let steps: Vec<(String, u64)> =
        timings.as_array().unwrap().iter().map(|t| (t["step"].as_str().unwrap().to_string(), t["attempt"].as_u64().unwrap())).collect();
    for step in [("implement", 1), ("verify", 1), ("error_solve", 2), ("verify", 2), ("merge", 2)] {
        assert!(steps.contains(&(step.0.to_string(), step.1)), "{step:?} in {steps:?}");
    }

    let rows = engine.task_runs(&project.id).await.unwrap();
    let sub = rows.iter().find(|r| r.task_id == "2.4").unwrap();
    assert_eq!((sub.status, sub.attempts, sub.step), (TaskStatus::Done, 2, Step::Done), "solved on attempt 2");
    assert!(rows.iter().filter(|r| r.task_id != "2.4").all(|r| r.attempts == 1));

    let mut saw_error_solve = false;
    while let Ok(e) = events.try_recv() {
        if let EngineEvent::StepStarted { task_id, step: Step::ErrorSolve, .. } = e {
            saw_error_solve |= task_id == "2.4";
        }
    }
    assert!(saw_error_solve, "the retry is announced as ERROR_SOLVE");

    let m = engine.metrics(Some(&project.id)).await.unwrap();
    assert_eq!((m.tasks_done, m.tasks_total), (9, Some(9)));
    assert_eq!(m.autonomous_rate, Some(1.0), "no person decided anything");
    assert_eq!(m.error_resolution_rate, Some(1.0), "the one error was fixed by error-solve");
    assert!(m.mean_task_seconds.is_some() && m.p90_task_seconds.is_some());
    assert_eq!(m.eta_seconds, Some(0.0), "nothing remains");
}

#[tokio::test]
async fn stop_points_and_a_second_run_continue_where_the_first_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(DataPaths::at(dir.path())).await.unwrap();
    let project = engine.create_demo().await.unwrap();
    let _container = guard(dir.path(), &project.id);
    let until = RunRequest { until: Some("1.2".into()), ..RunRequest::default() };
    let end = engine.run(&project.id, &until, &RunControl::default()).await.unwrap();
    assert!(matches!(end, RunEnd::StopPoint { tasks_done: 2, .. }), "{end:?}");
    let two = RunRequest { max_tasks: Some(2), ..RunRequest::default() };
    let end = engine.run(&project.id, &two, &RunControl::default()).await.unwrap();
    assert!(matches!(end, RunEnd::StopPoint { tasks_done: 2, .. }), "{end:?}");

    // Pull-request mode: each task on its own branch, stacked on the previous.
    let bare = dir.path().join("demo/calculator.git");
    let branches = git(&bare, &["branch", "--format=%(refname:short)"]);
    let task_branches: Vec<&str> = branches.lines().filter(|b| b.starts_with("task/")).collect();
    assert_eq!(task_branches.len(), 4, "{branches}");
    let top = git(&bare, &["log", "--format=%s", "task/2.2-add-the-multiply-function"]);
    assert_eq!(top.lines().take(4).collect::<Vec<_>>(), ["Task 2.2: Add the multiply function", "Task 2.1: Add the add function", "Task 1.2: Ignore build output", "Task 1.1: Describe the project in the README"]);
    assert_eq!(git(&bare, &["log", "--format=%s", "main"]), "Plan the calculator", "the base branch is untouched in pr mode");
}
