//! `devteam-cli` steering a real project from a terminal, as a newcomer
//! would: `run` with stop points (after N tasks, before a task), the live
//! lines of each step and criterion, `status`, `logs` (and `--follow` while
//! a run writes), `take` and `review … done`, then `run` to the end. Real
//! Docker and git, the `script` agent, a bare repository as the remote.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const TASKS: &str = "# Tasks\n\nPhase 1: Files (Dependencies: [])\n\n\
- 1.1 Write a (Dependencies: [])\n  ```sh\n  echo a > a.txt\n  ```\n  \
- <criterion key=\"f.a\" kind=\"ops\" check=\"file\" path=\"a.txt\">\n\n\
- 1.2 Write b slowly (Dependencies: [1.1])\n  ```sh\n  for i in 1 2 3 4; do echo \"tick $i\"; sleep 1; done\n  echo b > b.txt\n  ```\n\n\
- 1.3 Write the notes (Dependencies: [])\n  ```sh\n  echo notes > notes.txt\n  ```\n\n\
- 1.4 Write d (Dependencies: [1.2])\n  ```sh\n  echo d > d.txt\n  ```\n";

struct ContainerGuard(String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

fn cli(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devteam-cli")).args(args).env("DEVTEAM_DATA_DIR", data).output().expect("devteam-cli runs")
}

/// stdout, asserting the exit code.
fn ok(out: Output, code: i32) -> String {
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "stdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

#[test]
fn a_project_driven_from_the_terminal_with_stop_points_logs_and_a_task_done_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bare = devteam_engine::demo::seed_bare_remote(&dir.path().join("files.git"), &[("tasks.md", TASKS.as_bytes())], "Plan").unwrap();
    let repo = bare.display().to_string();
    ok(cli(&data, &["projects", "add", "--customer", "Acme", "--name", "Files", "--repo-url", &repo, "--tasklist-path", "tasks.md"]), 0);
    ok(cli(&data, &["projects", "set", "acme-files", "default_agent=script", "image=minimal", "run.merge_mode=direct"]), 0);
    let _container = ContainerGuard(devteam_engine::run::container_name(&devteam_engine::DataPaths::at(&data), "acme-files"));

    // One task, then the stop point; the live lines say what happened.
    let out = ok(cli(&data, &["run", "acme-files", "--max-tasks", "1"]), 0);
    for line in ["▶ 1.1 Write a — PREP", "▶ 1.1 Write a — IMPLEMENT", "  ✓ f.a", "✔ 1.1 done on task/1.1-write-a after 1 attempt(s)"] {
        assert!(out.contains(line), "`{line}` in:\n{out}");
    }
    assert!(out.contains("stopped at a stop point after 1 tasks"), "{out}");

    // Before 1.3: 1.2 runs (its lines followed from another terminal), 1.3 waits.
    let mut follow = Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(["logs", "acme-files", "--task", "1.2", "--follow"])
        .env("DEVTEAM_DATA_DIR", &data)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let followed = std::thread::spawn({
        let stdout = follow.stdout.take().unwrap();
        move || {
            let started = Instant::now();
            let mut seen = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let last = line.contains("tick 4");
                seen.push(line);
                if last || started.elapsed() > Duration::from_secs(120) {
                    break;
                }
            }
            seen
        }
    });
    let out = ok(cli(&data, &["run", "acme-files", "--before", "1.3"]), 0);
    assert!(out.contains("✔ 1.2 done"), "{out}");
    assert!(out.contains("stopped at a stop point after 1 tasks") && out.contains("1.3"), "{out}");
    let seen = followed.join().unwrap();
    let _ = follow.kill();
    let ticks: Vec<&String> = seen.iter().filter(|l| l.contains("tick ")).collect();
    assert_eq!(ticks.len(), 4, "`logs --follow` printed each line as the run wrote it: {seen:#?}");

    let status = ok(cli(&data, &["status", "acme-files"]), 0);
    assert!(status.contains("1.1") && status.contains("1.2"), "{status}");
    let logs = ok(cli(&data, &["logs", "acme-files", "--task", "1.1"]), 0);
    assert!(logs.contains("── task 1.1 ──") && logs.contains("agent: script"), "{logs}");

    // A person writes the notes (1.3) by hand; the run waits for them.
    let taken = ok(cli(&data, &["take", "acme-files", "1.3"]), 0);
    assert!(taken.contains("task 1.3 (Write the notes) is yours"), "{taken}");
    let blocked = ok(cli(&data, &["run", "acme-files"]), 3);
    assert!(blocked.contains("BLOCKED on task 1.3: taken by"), "{blocked}");
    let done = ok(cli(&data, &["review", "acme-files", "done"]), 0);
    assert!(done.contains("task 1.3 counts as done"), "{done}");

    let out = ok(cli(&data, &["run", "acme-files"]), 0);
    assert!(out.contains("✔ 1.4 done") && out.trim_end().ends_with("all tasks done (1 in this run)"), "{out}");
    let files = Command::new("git").args(["--git-dir", &repo, "ls-tree", "--name-only", "main"]).output().unwrap();
    let files = String::from_utf8_lossy(&files.stdout);
    assert!(["a.txt", "b.txt", "d.txt"].iter().all(|f| files.lines().any(|l| l == *f)), "{files}");
    assert!(!files.lines().any(|l| l == "notes.txt"), "1.3 was the person's to do: {files}");
}
