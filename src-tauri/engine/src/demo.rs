//! The demo project a newcomer can run at once: a local bare repository with
//! a task list in our first users' dialect that the `script` agent solves,
//! one task failing its first attempt and fixed on the retry.

use std::path::{Path, PathBuf};

use git2::{Repository, Signature};

use crate::error::{EngineError, EngineResult, ErrorCode};

pub const DEMO_CUSTOMER: &str = "DevTeam Demo";
pub const DEMO_PROJECT: &str = "Calculator";
pub const DEMO_TASKLIST: &str = "ai_docs/tasks/tasks_list.md";

/// The demo's task list: phases with dependencies, nested tasks, prose and
/// programmable criteria, `sh` blocks for the script agent.
pub const DEMO_TASKS: &str = include_str!("demo_tasks.md");

/// Creates (or reuses) the bare repository `<dir>/calculator.git` holding the
/// demo task list on `main`; returns its path.
pub fn create_demo_remote(dir: &Path) -> EngineResult<PathBuf> {
    let files: [(&str, &[u8]); 2] = [
        (DEMO_TASKLIST, DEMO_TASKS.as_bytes()),
        ("README.md", b"# Calculator\n\nA demo customer repository for DevTeam.\n"),
    ];
    seed_bare_remote(&dir.join("calculator.git"), &files, "Plan the calculator")
}

/// Creates (or reuses) a bare repository at `bare` whose `main` holds
/// `files` (path, contents) in one commit; returns its path. Demo and test
/// projects use such local repositories as their remote.
pub fn seed_bare_remote(bare: &Path, files: &[(&str, &[u8])], message: &str) -> EngineResult<PathBuf> {
    if Repository::open_bare(bare).is_ok() {
        return Ok(bare.to_path_buf());
    }
    let fail = |doing: &str, e: git2::Error| EngineError::new(ErrorCode::Git, format!("cannot create {} ({doing}): {}", bare.display(), e.message()));
    let repo = Repository::init_bare(bare).map_err(|e| fail("init", e))?;
    let mut root = repo.treebuilder(None).map_err(|e| fail("tree", e))?;
    let mut dirs: std::collections::BTreeMap<&str, Vec<(&str, git2::Oid)>> = Default::default();
    for &(path, bytes) in files {
        let blob = repo.blob(bytes).map_err(|e| fail("blob", e))?;
        match path.rsplit_once('/') {
            Some((d, name)) => dirs.entry(d).or_default().push((name, blob)),
            None => {
                root.insert(path, blob, 0o100644).map_err(|e| fail("tree", e))?;
            }
        }
    }
    for (d, entries) in dirs {
        let oid = nested_tree(&repo, d, &entries).map_err(|e| fail("tree", e))?;
        let top = d.split('/').next().unwrap_or(d);
        root.insert(top, oid, 0o040000).map_err(|e| fail("tree", e))?;
    }
    let tree_id = root.write().map_err(|e| fail("tree", e))?;
    let tree = repo.find_tree(tree_id).map_err(|e| fail("tree", e))?;
    let sig = Signature::now("DevTeam Demo", "demo@devteam.local").map_err(|e| fail("signature", e))?;
    repo.commit(Some("refs/heads/main"), &sig, &sig, message, &tree, &[]).map_err(|e| fail("commit", e))?;
    repo.set_head("refs/heads/main").map_err(|e| fail("head", e))?;
    Ok(bare.to_path_buf())
}

/// Builds `a/b/c` trees around `entries` (files of the innermost folder).
fn nested_tree(repo: &Repository, dir: &str, entries: &[(&str, git2::Oid)]) -> Result<git2::Oid, git2::Error> {
    let mut b = repo.treebuilder(None)?;
    for (name, oid) in entries {
        b.insert(name, *oid, 0o100644)?;
    }
    let mut oid = b.write()?;
    let parts: Vec<&str> = dir.split('/').collect();
    for name in parts.iter().skip(1).rev() {
        let mut outer = repo.treebuilder(None)?;
        outer.insert(name, oid, 0o040000)?;
        oid = outer.write()?;
    }
    Ok(oid)
}
