//! Lock files a killed git operation leaves behind (`index.lock`,
//! `refs/heads/x.lock`, …). Left alone, one kill would block the project for
//! good; DevTeam removes the stale ones.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Removes `*.lock` files under `git_dir` older than `older_than`; returns
/// how many. A live git holds its locks for milliseconds, so an old lock is
/// one whose owner died.
pub fn clear_stale_locks(git_dir: &Path, older_than: Duration) -> usize {
    let mut removed = 0;
    let mut stack = vec![git_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                // Objects hold no locks worth a walk through thousands of files.
                if entry.file_name() != "objects" {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "lock") {
                let age = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok())
                    .unwrap_or_default();
                if age >= older_than && std::fs::remove_file(&path).is_ok() {
                    tracing::warn!(lock = %path.display(), "removed a stale git lock left by a killed run");
                    removed += 1;
                }
            }
        }
    }
    removed
}
