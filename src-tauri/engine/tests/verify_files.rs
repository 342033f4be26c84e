//! `file` and `regex` criteria, read from a real worktree on disk. The
//! container named here does not exist: these checks must not need one, and a
//! stray exec would surface as a Docker error and fail the test.

use std::path::Path;

use devteam_engine::redact::Redactor;
use devteam_engine::runner::{DockerRunner, Limits};
use devteam_engine::tasklist::{Check, Criterion, CriterionSpec};
use devteam_engine::verify::{verify, Allowlist, Outcome, VerifyPlan, VerifyReport};
use devteam_engine::ErrorCode;

fn file(line: u32, path: &str) -> Criterion {
    check(line, Check::File { path: path.into() })
}

fn regex(line: u32, path: &str, pattern: &str) -> Criterion {
    check(line, Check::Regex { path: path.into(), pattern: pattern.into() })
}

fn check(line: u32, check: Check) -> Criterion {
    Criterion { line, spec: CriterionSpec::Check { key: None, kind: None, check, extra: vec![] } }
}

async fn run(worktree: &Path, criteria: Vec<Criterion>, redactor: &Redactor) -> VerifyReport {
    let runner = DockerRunner::connect().await.expect("scripts/dev starts dockerd");
    let mut plan = VerifyPlan::new(1, Allowlist::default(), Limits::default());
    plan.criteria = criteria;
    verify(&runner, "devteam-verify-no-such-container", worktree, &plan, redactor).await.expect("no Docker call is made")
}

fn reason(report: &VerifyReport, i: usize) -> String {
    match &report.results[i].outcome {
        Outcome::Failed { reason } => reason.clone(),
        other => panic!("check {i} should fail, got {other:?}"),
    }
}

/// A worktree with a file, a folder, a link inside and a link out, next to a
/// sibling folder holding a "host" file the checks must never reach.
fn worktree() -> (tempfile::TempDir, std::path::PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("wt");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("README.md"), "# Demo\n").unwrap();
    std::fs::write(root.join("src/lib.rs"), "//! demo\n\npub fn parse(s: &str) {}\n// token ghp_canary123456\n").unwrap();
    std::fs::write(outer.path().join("host-secret.txt"), "pub fn parse").unwrap();
    std::os::unix::fs::symlink("src/lib.rs", root.join("lib-link.rs")).unwrap();
    std::os::unix::fs::symlink(outer.path().join("host-secret.txt"), root.join("escape.txt")).unwrap();
    std::os::unix::fs::symlink("nowhere", root.join("dangling")).unwrap();
    (outer, root)
}

#[tokio::test]
async fn file_checks_pass_inside_the_worktree_and_refuse_every_way_out() {
    let (_outer, root) = worktree();
    let criteria = vec![
        file(1, "README.md"),
        file(2, "src"),
        file(3, "./src/../README.md"),
        file(4, "lib-link.rs"),
        file(5, "MISSING.md"),
        file(6, "../host-secret.txt"),
        file(7, "src/../../host-secret.txt"),
        file(8, "/etc/passwd"),
        file(9, "escape.txt"),
        file(10, "dangling"),
    ];
    let report = run(&root, criteria, &Redactor::default()).await;
    for i in 0..4 {
        // Files, folders, `..` that stays inside and links that stay inside all count.
        assert_eq!(report.results[i].outcome, Outcome::Passed, "{:?}", report.results[i]);
    }
    assert!(reason(&report, 4).contains("does not exist"));
    // The file exists on the host next to the worktree: only the path rules stop these.
    assert!(reason(&report, 5).contains("outside the worktree"), "{}", reason(&report, 5));
    assert!(reason(&report, 6).contains("outside the worktree"));
    assert!(reason(&report, 7).contains("absolute"));
    assert!(reason(&report, 8).contains("symbolic link"), "a link is not followed out: {}", reason(&report, 8));
    assert!(reason(&report, 9).contains("does not exist"));
    assert!(!report.passed());
    assert_eq!(report.needs_person(), None, "a missing file is the agent's to fix, not a person's");
}

#[tokio::test]
async fn regex_checks_find_a_line_or_say_why_not() {
    let (_outer, root) = worktree();
    let redactor = Redactor::default();
    redactor.register("github-token", "ghp_canary123456");
    let criteria = vec![
        regex(1, "src/lib.rs", r"^pub fn parse\("),
        regex(2, "src/lib.rs", "token"),
        regex(3, "src/lib.rs", "pub fn render"),
        regex(4, "src/lib.rs", "pub fn (parse"),
        regex(5, "escape.txt", "pub fn parse"),
        regex(6, "src", "x"),
    ];
    let report = run(&root, criteria, &redactor).await;
    assert_eq!(report.results[0].outcome, Outcome::Passed, "`^` anchors at a line start, as in grep");
    assert_eq!(report.results[0].evidence, ["src/lib.rs:3: pub fn parse(s: &str) {}"], "the matching line is the evidence");
    assert_eq!(report.results[1].evidence, ["src/lib.rs:4: // token [REDACTED:github-token]"], "evidence is redacted");
    assert!(reason(&report, 2).contains("no match for `pub fn render`"));
    // An invalid pattern is the criterion's fault: a failed check quoting the regex error.
    let invalid = reason(&report, 3);
    assert!(invalid.starts_with("invalid pattern `pub fn (parse`") && invalid.contains("unclosed group"), "{invalid}");
    // The linked file outside holds a match; it must not be read.
    assert!(reason(&report, 4).contains("symbolic link"));
    assert!(reason(&report, 5).contains("folder"));
}

#[tokio::test]
async fn a_worktree_that_cannot_be_read_is_an_error_not_a_failed_check() {
    // A failed check would send the agent to "fix" a fault of the machine and
    // spend an attempt; an Io error is retried or shown instead.
    let runner = DockerRunner::connect().await.expect("scripts/dev starts dockerd");
    let mut plan = VerifyPlan::new(1, Allowlist::default(), Limits::default());
    plan.criteria = vec![file(1, "README.md")];
    let gone = Path::new("/nonexistent/devteam-worktree");
    let err = verify(&runner, "devteam-verify-no-such-container", gone, &plan, &Redactor::default()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Io);
    assert!(err.message.contains("/nonexistent/devteam-worktree"), "{}", err.message);
}
