//! `file` and `regex` checks, read from the worktree on the host (the same
//! files the container sees at `/work`). A criterion's path stays inside the
//! worktree: absolute paths, `..` escapes and symbolic links that lead out
//! are refused, so a task list cannot make DevTeam read the host's files.

use std::path::{Component, Path, PathBuf};

use regex::bytes::RegexBuilder;

use super::report::{evidence_line, Outcome};
use crate::redact::Redactor;

/// A file larger than this is not searched (a criterion is about source, not data).
const MAX_REGEX_FILE: u64 = 16 * 1024 * 1024;

fn failed(reason: impl Into<String>) -> Outcome {
    Outcome::Failed { reason: reason.into() }
}

/// Passes when `path` exists inside the worktree (file or folder).
pub(super) fn check_file(root: &Path, path: &str) -> (Outcome, Vec<String>) {
    match resolve(root, path) {
        Ok(found) => {
            let what = if found.is_dir() { "folder" } else { "file" };
            (Outcome::Passed, vec![format!("`{path}` exists ({what})")])
        }
        Err(reason) => (failed(reason), Vec::new()),
    }
}

/// Passes when the file at `path` has a match for `pattern`; `^` and `$`
/// match at line boundaries, as they do for grep.
pub(super) fn check_regex(root: &Path, path: &str, pattern: &str, redactor: &Redactor) -> (Outcome, Vec<String>) {
    let regex = match RegexBuilder::new(pattern).multi_line(true).size_limit(10 * 1024 * 1024).build() {
        Ok(regex) => regex,
        Err(e) => return (failed(format!("invalid pattern `{pattern}`: {e}")), Vec::new()),
    };
    let found = match resolve(root, path) {
        Ok(found) => found,
        Err(reason) => return (failed(reason), Vec::new()),
    };
    match std::fs::metadata(&found) {
        Ok(m) if m.is_dir() => return (failed(format!("`{path}` is a folder, not a file")), Vec::new()),
        Ok(m) if m.len() > MAX_REGEX_FILE => {
            return (failed(format!("`{path}` is larger than {} MiB; not searched", MAX_REGEX_FILE >> 20)), Vec::new())
        }
        Ok(_) => {}
        Err(e) => return (failed(format!("cannot read `{path}`: {e}")), Vec::new()),
    }
    let bytes = match std::fs::read(&found) {
        Ok(bytes) => bytes,
        Err(e) => return (failed(format!("cannot read `{path}`: {e}")), Vec::new()),
    };
    match regex.find(&bytes) {
        Some(m) => {
            let line_no = bytes[..m.start()].iter().filter(|b| **b == b'\n').count() + 1;
            let start = bytes[..m.start()].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let end = bytes[m.start()..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| m.start() + i);
            let line = String::from_utf8_lossy(&bytes[start..end]);
            (Outcome::Passed, vec![evidence_line(redactor, &format!("{path}:{line_no}: {}", line.trim_end_matches('\r')))])
        }
        None => (failed(format!("no match for `{pattern}` in `{path}`")), Vec::new()),
    }
}

/// The real path of `path` inside `root`, or why it is refused or missing.
fn resolve(root: &Path, path: &str) -> Result<PathBuf, String> {
    if path.trim().is_empty() {
        return Err("the criterion's path is empty".into());
    }
    let relative = Path::new(path);
    let mut depth = 0usize;
    for component in relative.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth == 0 => return Err(format!("`{path}` leads outside the worktree (`..`)")),
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("`{path}` is absolute; a criterion's path is relative to the worktree"))
            }
        }
    }
    let root = root.canonicalize().map_err(|e| format!("the worktree {} cannot be read: {e}", root.display()))?;
    let joined = root.join(relative);
    let real = match joined.canonicalize() {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dangling = joined.symlink_metadata().is_ok();
            return Err(if dangling {
                format!("`{path}` is a symbolic link to something that does not exist")
            } else {
                format!("`{path}` does not exist")
            });
        }
        Err(e) => return Err(format!("cannot read `{path}`: {e}")),
    };
    if !real.starts_with(&root) {
        tracing::warn!(path, real = %real.display(), "a criterion's path leads out of the worktree");
        return Err(format!("`{path}` leads outside the worktree through a symbolic link"));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_escapes_are_refused_before_touching_the_disk() {
        // The root does not exist: a refusal that needs no disk access proves
        // the `..` and absolute checks come first.
        let root = Path::new("/nonexistent-devteam-root");
        assert!(resolve(root, "../etc/passwd").unwrap_err().contains("outside the worktree"));
        assert!(resolve(root, "a/../../b").unwrap_err().contains("outside the worktree"));
        assert!(resolve(root, "/etc/passwd").unwrap_err().contains("absolute"));
        assert!(resolve(root, "a/../b").unwrap_err().contains("cannot be read"), "staying inside is not an escape");
    }
}
