//! SIGKILL `devteam-cli demo` right after step boundaries and at odd times,
//! again and again, then let it finish: every task is committed, pushed,
//! ticked and recorded exactly once. This is what "persisted before its side
//! effects, every step idempotent" has to survive.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Removes the demo's container when the test ends, pass or fail.
struct ContainerGuard(String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

/// Runs the demo and kills it after it printed `kill_after` step lines (or
/// after `deadline`); returns true when it finished on its own first.
fn run_once(data: &Path, kill_after: usize, deadline: Duration) -> bool {
    run_cli_once(data, &["demo", "--merge", "direct"], kill_after, deadline)
}

/// Runs `devteam-cli ARGS` and kills it after it printed `kill_after` step
/// lines (or after `deadline`); returns true when it finished on its own first.
fn run_cli_once(data: &Path, args: &[&str], kill_after: usize, deadline: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(args)
        .env("DEVTEAM_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(data.with_extension("stderr.log")).unwrap()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut steps = 0;
    let mut finished = false;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.starts_with('▶') {
            steps += 1;
        }
        finished |= line.starts_with("all tasks done");
        if steps >= kill_after || started.elapsed() > deadline {
            break;
        }
    }
    let _ = child.kill(); // SIGKILL: no destructor, no flush, no goodbye
    let status = child.wait().unwrap();
    finished && status.success()
}

#[test]
fn killed_at_step_boundaries_the_demo_still_does_every_task_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let _container = ContainerGuard(devteam_engine::run::container_name(
        &devteam_engine::DataPaths::at(&data),
        "devteam-demo-calculator",
    ));
    let mut rounds = 0;
    let mut done = false;
    // Kill after 1, 2, … 7 step lines in turn, so every kind of boundary is
    // hit; every fifth round dies on a timer instead, wherever it is.
    while !done && rounds < 200 {
        rounds += 1;
        let (after, deadline) = if rounds % 5 == 0 {
            (usize::MAX, Duration::from_millis(37 * (rounds as u64 % 11) + 20))
        } else {
            ((rounds % 7) + 1, Duration::from_secs(120))
        };
        done = run_once(&data, after, deadline);
    }
    if !done {
        done = run_once(&data, usize::MAX, Duration::from_secs(300));
    }
    eprintln!("the demo finished after {rounds} rounds of SIGKILL");
    let last_stderr = std::fs::read_to_string(data.with_extension("stderr.log")).unwrap_or_default();
    assert!(done, "the demo finished within {rounds} kill rounds; the last run said:\n{last_stderr}");
    assert!(rounds > 10, "it was really killed many times ({rounds} rounds)");

    let bare = data.join("demo/calculator.git");
    let subjects = git(&bare, &["log", "--format=%s", "main"]);
    let tasks: Vec<&str> = subjects.lines().filter(|s| s.starts_with("Task ")).collect();
    assert_eq!(tasks.len(), 9, "one commit per task, no duplicates:\n{subjects}");
    let mut unique = tasks.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 9);
    let list = git(&bare, &["show", "main:ai_docs/tasks/tasks_list.md"]);
    for id in ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"] {
        let line = list.lines().find(|l| l.starts_with(&format!("- {id} "))).unwrap();
        assert_eq!(line.matches('✅').count(), 1, "ticked exactly once: {line}");
        assert_eq!(line.matches("[artifacts]").count(), 1, "one artifacts link: {line}");
    }
    let outcomes = git(&bare, &["show", "main:ai_docs/tasks/task_outcomes.md"]);
    assert_eq!(outcomes.matches("## Task ").count(), 9, "one outcome section per task");

    let cli = env!("CARGO_BIN_EXE_devteam-cli");
    let status = Command::new(cli).args(["status", "devteam-demo-calculator", "--json"]).env("DEVTEAM_DATA_DIR", &data).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["state"], "completed", "{json}");
    let rows = json["tasks"].as_array().unwrap();
    assert_eq!(rows.len(), 9, "{json}");
    assert!(rows.iter().all(|r| r["status"] == "done"), "{json}");
    // Attempts cut short by a kill were not counted: 2.4 fails its first
    // attempt on purpose, every other task passes its first.
    let attempts: Vec<(String, u64)> =
        rows.iter().map(|r| (r["task_id"].as_str().unwrap().to_string(), r["attempts"].as_u64().unwrap())).collect();
    assert!(attempts.iter().all(|(id, n)| *n == if id == "2.4" { 2 } else { 1 }), "{attempts:?}");
}

/// Three independent tasks (each a second long) and one that needs them.
const SIDE_BY_SIDE: &str = "# Tasks\n\nPhase 1: Parts (Dependencies: [])\n\n\
- 1.1 Part a (Dependencies: [])\n  ```sh\n  sleep 1; echo a > a.txt\n  ```\n\n\
- 1.2 Part b (Dependencies: [])\n  ```sh\n  sleep 1; echo b > b.txt\n  ```\n\n\
- 1.3 Part c (Dependencies: [])\n  ```sh\n  sleep 1; echo c > c.txt\n  ```\n\n\
- 1.4 All parts (Dependencies: [1.1, 1.2, 1.3])\n  ```sh\n  cat a.txt b.txt c.txt > all.txt\n  ```\n";

#[test]
fn killed_while_three_tasks_run_side_by_side_every_task_is_still_done_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bare = devteam_engine::demo::seed_bare_remote(&dir.path().join("parts.git"), &[("tasks.md", SIDE_BY_SIDE.as_bytes())], "Plan").unwrap();
    let cli = env!("CARGO_BIN_EXE_devteam-cli");
    let setup = |args: &[&str]| {
        let out = Command::new(cli).args(args).env("DEVTEAM_DATA_DIR", &data).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let repo = bare.display().to_string();
    setup(&["projects", "add", "--customer", "Acme", "--name", "Parts", "--repo-url", &repo, "--tasklist-path", "tasks.md"]);
    setup(&["projects", "set", "acme-parts", "default_agent=script", "image=minimal", "order=dependency", "run.parallel_tasks=3", "run.merge_mode=direct"]);
    let name = devteam_engine::run::container_name(&devteam_engine::DataPaths::at(&data), "acme-parts");
    let _containers = [ContainerGuard(name.clone()), ContainerGuard(format!("{name}-lane1")), ContainerGuard(format!("{name}-lane2"))];

    let mut rounds = 0;
    let mut done = false;
    while !done && rounds < 40 {
        rounds += 1;
        let (after, deadline) = if rounds % 3 == 0 {
            (usize::MAX, Duration::from_millis(300 * (rounds as u64 % 7) + 200))
        } else {
            ((rounds % 9) + 2, Duration::from_secs(120))
        };
        done = run_cli_once(&data, &["run", "acme-parts"], after, deadline);
    }
    if !done {
        done = run_cli_once(&data, &["run", "acme-parts"], usize::MAX, Duration::from_secs(300));
    }
    eprintln!("the side-by-side project finished after {rounds} rounds of SIGKILL");
    let last_stderr = std::fs::read_to_string(data.with_extension("stderr.log")).unwrap_or_default();
    assert!(done, "the project finished within {rounds} kill rounds; the last run said:\n{last_stderr}");
    assert!(rounds > 5, "it was really killed many times ({rounds} rounds)");

    let subjects = git(&bare, &["log", "--format=%s", "main"]);
    let mut tasks: Vec<&str> = subjects.lines().filter(|s| s.starts_with("Task ")).collect();
    assert_eq!(tasks.len(), 4, "one commit per task, no duplicates:\n{subjects}");
    tasks.sort();
    tasks.dedup();
    assert_eq!(tasks.len(), 4);
    let list = git(&bare, &["show", "main:tasks.md"]);
    for id in ["1.1", "1.2", "1.3", "1.4"] {
        let line = list.lines().find(|l| l.starts_with(&format!("- {id} "))).unwrap();
        assert_eq!(line.matches('✅').count(), 1, "ticked exactly once: {line}");
    }
    let files = git(&bare, &["ls-tree", "--name-only", "main"]);
    assert!(["a.txt", "b.txt", "c.txt", "all.txt"].iter().all(|f| files.lines().any(|l| l == *f)), "{files}");
    assert_eq!(git(&bare, &["show", "main:task_outcomes.md"]).matches("## Task ").count(), 4, "one outcome section per task");
}

#[test]
fn audit_verify_detects_a_changed_and_a_deleted_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let _container = ContainerGuard(devteam_engine::run::container_name(&devteam_engine::DataPaths::at(&data), "devteam-demo-calculator"));
    assert!(run_once(&data, usize::MAX, Duration::from_secs(300)), "the demo runs");
    let cli = env!("CARGO_BIN_EXE_devteam-cli");
    let verify = || Command::new(cli).args(["audit", "verify"]).env("DEVTEAM_DATA_DIR", &data).output().unwrap();
    let ok = verify();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));

    let db = data.join("devteam.sqlite3");
    let sql = |q: &str| {
        let conn = Command::new("python3").args(["-c", &format!("import sqlite3; c=sqlite3.connect('{}'); c.execute(\"{q}\"); c.commit()", db.display())]).output().unwrap();
        assert!(conn.status.success(), "{}", String::from_utf8_lossy(&conn.stderr));
    };
    sql("UPDATE audit SET detail = 'nothing happened' WHERE id = 5");
    let changed = verify();
    assert_eq!(changed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("entry 5 was changed"), "{}", String::from_utf8_lossy(&changed.stdout));

    sql("DELETE FROM audit WHERE id IN (5)");
    let deleted = verify();
    assert_eq!(deleted.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&deleted.stdout).contains("entry 5 is missing"), "{}", String::from_utf8_lossy(&deleted.stdout));

    // The newest entries cut off: the chain that is left holds, but the log
    // had reached further.
    sql("DELETE FROM audit WHERE id >= 5");
    let cut = verify();
    let out = String::from_utf8_lossy(&cut.stdout).into_owned();
    assert_eq!(cut.status.code(), Some(1), "{out}");
    assert!(out.contains("entries after 4 were deleted (the log reached entry"), "{out}");
}
