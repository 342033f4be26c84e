//! `devteam-cli tasks …` run as the real binary on real files in temporary
//! folders: what a person or a script sees, exit codes included, and the
//! exact bytes an edit leaves on disk.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SEED: &str = include_str!("../../engine/tests/fixtures/tasklists/seed_dialect.md");

const PLAN: &str = "\
# Plan

## 1. Base
- [x] 1.1 Schema
- [ ] 1.2 Seed data

## 2. API (Dependencies: [1])
- [ ] 2.1 Read
- [ ] 2.2 Write
";

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devteam-cli")).args(args).output().expect("run devteam-cli")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary folder holding `tasks.md` with `text`.
fn file_with(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tasks.md");
    std::fs::write(&path, text).expect("write fixture");
    (dir, path)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

#[test]
fn check_accepts_the_seed_and_says_so() {
    let (_dir, path) = file_with(SEED);
    let out = cli(&["tasks", "check", path_str(&path)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).ends_with(": ok: 127 tasks, 0 errors, 0 warnings\n"), "{}", stdout(&out));
    // The retired Phase 1 is mentioned as a note.
    assert!(stderr(&out).contains("note: 17 tasks inside this HTML comment"), "{}", stderr(&out));
}

#[test]
fn check_rejects_a_bad_file_with_exit_1_and_every_problem_located() {
    let (_dir, path) = file_with("- [ ] 1 a (deps: 9)\n- [ ] 2 b\n  - <criterion check=\"cmd\">\n");
    let out = cli(&["tasks", "check", path_str(&path)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let p = path_str(&path);
    assert!(err.contains(&format!("{p}:1:18: error: unknown dependency 9 of task 1\n    - [ ] 1 a (deps: 9)\n                     ^\n")), "{err}");
    assert!(err.contains(&format!("{p}:3:16: error: `cmd` check needs run=\"…\"")), "{err}");
    assert!(stdout(&out).contains("rejected: 2 tasks, 2 errors, 0 warnings"));
}

#[test]
fn strict_turns_warnings_into_a_rejection() {
    let (_dir, path) = file_with("- [ ] 1 a\n- [ ] 3 c\n");
    assert!(cli(&["tasks", "check", path_str(&path)]).status.success());
    let out = cli(&["tasks", "check", "--strict", path_str(&path)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error: numbering skips from 1 to 3"));
}

#[test]
fn check_json_is_machine_readable() {
    let (_dir, path) = file_with("- [ ] 1 a (deps: 9)\n");
    let out = cli(&["tasks", "check", "--json", path_str(&path)]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["line"], 1);
    assert_eq!(report["diagnostics"][0]["column"], 18);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
}

#[test]
fn tree_shows_the_hierarchy_with_status_and_dependencies() {
    let (_dir, path) = file_with(PLAN);
    let out = cli(&["tasks", "tree", path_str(&path)]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "1 [open] Base\n  1.1 [done] Schema\n  1.2 [open] Seed data\n2 [open] API  ← 1\n  2.1 [open] Read\n  2.2 [open] Write\n"
    );
    let json: serde_json::Value = serde_json::from_slice(&cli(&["tasks", "tree", "--json", path_str(&path)]).stdout).unwrap();
    assert_eq!(json[3]["id"], "2");
    assert_eq!(json[3]["deps"][0], "1");
    assert_eq!(json[1]["status"], "done");
}

#[test]
fn next_follows_order_unit_and_assumed_state() {
    let (_dir, path) = file_with(PLAN);
    let p = path_str(&path);
    assert_eq!(stdout(&cli(&["tasks", "next", p])), "1.2 Seed data (line 5)\n");
    let out = cli(&["tasks", "next", p, "--order", "dependency", "--unit", "group", "--assume-done", "1.2"]);
    assert_eq!(stdout(&out), "2 API (line 7)\n  [ ] 2.1 Read\n  [ ] 2.2 Write\n");
    let out = cli(&["tasks", "next", p, "--assume-done", "1.2", "--stop-before", "2.1"]);
    assert_eq!(stdout(&out), "stopped: task 2.1 would start next (stop before 2.1)\n");
    let json: serde_json::Value = serde_json::from_slice(&cli(&["tasks", "next", "--json", p]).stdout).unwrap();
    assert_eq!(json["ready"][0]["id"], "1.2");
    let unknown = cli(&["tasks", "next", p, "--stop-after", "7"]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("stop point on task 7, which is not in the task list"));
}

#[test]
fn done_edits_in_place_exactly_and_twice_is_once() {
    let (_dir, path) = file_with(PLAN);
    let p = path_str(&path);
    let out = cli(&["tasks", "done", p, "1.2", "--artifacts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "marked done: 1, 1.2\n");
    let expected = PLAN
        .replace("## 1. Base\n", "## 1. Base ✅\n")
        .replace("- [ ] 1.2 Seed data\n", "- [x] 1.2 Seed data ([artifacts](artifacts/1.2/))\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    let again = cli(&["tasks", "done", p, "1.2", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(json["changed"], false);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["tasks.md"]);
}

#[test]
fn done_keeps_crlf_and_a_missing_final_newline() {
    let (_dir, path) = file_with("- [ ] 1 a\r\n- [ ] 2 b");
    assert!(cli(&["tasks", "done", path_str(&path), "2"]).status.success());
    assert_eq!(std::fs::read(&path).unwrap(), b"- [ ] 1 a\r\n- [x] 2 b");
}

#[test]
fn a_rejected_file_is_never_written() {
    let text = "- [ ] 1 a (deps: 9)\n- [ ] 2 b\n";
    let (_dir, path) = file_with(text);
    let out = cli(&["tasks", "done", path_str(&path), "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("rejected: not edited"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn done_on_an_unknown_task_fails_and_leaves_the_file() {
    let (_dir, path) = file_with(PLAN);
    let out = cli(&["tasks", "done", path_str(&path), "7.7"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no task 7.7 in the task list"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), PLAN);
}

#[test]
fn inject_after_before_priority_and_replace() {
    let (_dir, path) = file_with(PLAN);
    let p = path_str(&path);
    let out = cli(&["tasks", "inject", p, "--after", "2.1", "--title", "Cache reads", "--body", "Use an LRU."]);
    assert_eq!(stdout(&out), "injected task 2.3\n", "{}", stderr(&out));
    let mut expected = PLAN.replace("- [ ] 2.1 Read\n", "- [ ] 2.1 Read\n- [ ] 2.3 Cache reads (Dependencies: [2.1])\n  Use an LRU.\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);

    let out = cli(&["tasks", "inject", p, "--priority", "--title", "Hotfix", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["id"], "1.3");
    expected = expected.replace("- [ ] 1.2 Seed data\n", "- [ ] 1.3 Hotfix\n- [ ] 1.2 Seed data\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);

    let out = cli(&["tasks", "inject", p, "--replace", "2.2", "--title", "Write with audit", "--deps", ""]);
    assert_eq!(stdout(&out), "injected task 2.4\n", "{}", stderr(&out));
    expected = expected.replace("- [ ] 2.2 Write\n", "- [ ] 2.4 Write with audit\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);

    let out = cli(&["tasks", "inject", p, "--before", "2.1", "--title", "First"]);
    assert_eq!(stdout(&out), "injected task 2.5\n");
    // Valid; replacing 2.2 leaves a numbering gap, which is only a warning.
    let check = cli(&["tasks", "check", p]);
    assert!(check.status.success());
    assert!(stderr(&check).contains("warning: numbering skips from 2.1 to 2.3"), "{}", stderr(&check));
}

#[test]
fn inject_needs_exactly_one_position() {
    let (_dir, path) = file_with(PLAN);
    let out = cli(&["tasks", "inject", path_str(&path), "--title", "x"]);
    assert_eq!(out.status.code(), Some(2), "clap usage error");
    let out = cli(&["tasks", "inject", path_str(&path), "--after", "1", "--priority", "--title", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), PLAN);
}

#[test]
fn progress_counts_per_phase() {
    let (_dir, path) = file_with(PLAN);
    let out = cli(&["tasks", "progress", path_str(&path)]);
    assert_eq!(stdout(&out), "overall: 1/4 done, 3 remaining\n1 Base: 1/2 done, 1 remaining\n2 API: 0/2 done, 2 remaining\n");
}
