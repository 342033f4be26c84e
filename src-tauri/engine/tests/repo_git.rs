//! The Repo port against real git repositories: a local bare repository
//! stands in for GitHub.

use std::path::Path;
use std::process::Command;

use devteam_engine::repo::{task_branch_name, Author, GitCredentials, GitRepo};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A bare "remote" with one commit on main holding a task list.
fn remote(root: &Path) -> std::path::PathBuf {
    let bare = root.join("remote.git");
    let seed = root.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(root, &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::write(seed.join("tasks.md"), "- [ ] 1 First\n").unwrap();
    git(&seed, &["add", "."]);
    git(&seed, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed"]);
    git(&seed, &["push", "-q", bare.to_str().unwrap(), "main"]);
    bare
}

#[test]
fn branch_names_are_kebab_ascii_short_and_stable() {
    assert_eq!(task_branch_name("2.3.1", "Mount events router; persist Event"), "task/2.3.1-mount-events-router-persist-event");
    let long = task_branch_name("1", "Ünïcödé & a very long title that goes on and on well past fifty characters");
    let title = long.strip_prefix("task/1-").unwrap();
    assert!(title.len() <= 50 && title.is_ascii() && !title.ends_with('-'), "{long}");
    assert_eq!(long, task_branch_name("1", "Ünïcödé & a very long title that goes on and on well past fifty characters"));
    assert_eq!(task_branch_name("4", "日本語"), "task/4");
}

#[test]
fn clone_branch_commit_push_lands_on_the_remote_once() {
    let dir = tempfile::tempdir().unwrap();
    let bare = remote(dir.path());
    let creds = GitCredentials::None;
    let clone = GitRepo::clone_or_open(bare.to_str().unwrap(), &dir.path().join("clone"), &creds).unwrap();
    clone.fetch(&creds).unwrap();
    let base = clone.remote_branch("main").expect("main was fetched");
    let branch = task_branch_name("1", "First");
    clone.checkout_branch(&branch, base).unwrap();
    std::fs::write(clone.path().join("hello.txt"), "hi\n").unwrap();
    assert!(clone.has_changes().unwrap());
    assert!(clone.diff_against_head(None).unwrap().contains("+hi"), "the diff shows new files");

    let author = Author { name: "DevTeam Bot".into(), email: "bot@example.com".into() };
    let first = clone.commit_all("Task 1: First", &author).unwrap();
    // A resumed run commits again: nothing new is created.
    let second = clone.commit_all("Task 1: First", &author).unwrap();
    assert_eq!(first, second, "committing twice makes one commit");
    clone.push_branch(&branch, &creds).unwrap();
    clone.push_branch(&branch, &creds).unwrap();

    let log = git(&bare, &["log", "--format=%s|%an|%ae", &branch]);
    assert_eq!(log.lines().collect::<Vec<_>>(), ["Task 1: First|DevTeam Bot|bot@example.com", "seed|t|t@t"]);

    // Reopening finds the same clone and the same branch with its commit.
    let reopened = GitRepo::clone_or_open(bare.to_str().unwrap(), &dir.path().join("clone"), &creds).unwrap();
    assert_eq!(reopened.local_branch(&branch), Some(first));
    reopened.checkout_branch(&branch, base).unwrap();
    assert!(reopened.path().join("hello.txt").exists(), "an existing branch keeps its work");
}

#[test]
fn a_push_over_someone_elses_work_is_refused_not_forced() {
    let dir = tempfile::tempdir().unwrap();
    let bare = remote(dir.path());
    let creds = GitCredentials::None;
    let a = GitRepo::clone_or_open(bare.to_str().unwrap(), &dir.path().join("a"), &creds).unwrap();
    let b = GitRepo::clone_or_open(bare.to_str().unwrap(), &dir.path().join("b"), &creds).unwrap();
    for (clone, file) in [(&a, "a.txt"), (&b, "b.txt")] {
        clone.fetch(&creds).unwrap();
        clone.checkout_branch("main", clone.remote_branch("main").unwrap()).unwrap();
        std::fs::write(clone.path().join(file), "x").unwrap();
        clone.commit_all(&format!("add {file}"), &Author::default()).unwrap();
    }
    a.push_branch("main", &creds).unwrap();
    let err = b.push_branch("main", &creds).unwrap_err();
    assert!(err.message.contains("never force-pushes"), "{}", err.message);
    assert_eq!(git(&bare, &["log", "-1", "--format=%s", "main"]), "add a.txt", "a's work is intact");
}

#[test]
fn credentials_never_print_the_token() {
    let creds = GitCredentials::github_token("ghp_canary_0123456789");
    assert!(!format!("{creds:?}").contains("canary"));
}
