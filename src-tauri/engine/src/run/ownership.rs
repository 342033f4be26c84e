//! Who owns a worktree's files: the container runs as the worktree's owner
//! (or 1000 when that is root), and when DevTeam runs as root the files are
//! handed to that user, keeping git's index fresh afterwards.

use std::path::Path;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::repo::GitRepo;

/// The container runs as the worktree's owner, or as 1000 when that is root.
pub(super) fn container_user(worktree: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(worktree) {
        Ok(m) if m.uid() != 0 => format!("{}:{}", m.uid(), m.gid()),
        _ => "1000:1000".into(),
    }
}

/// When DevTeam runs as root, the container's user 1000 must still own the
/// worktree's files (not `.git`), or the agent could not write them. `path`
/// is the worktree, or a file or folder in it; a missing one is skipped.
/// Says whether any file (not a folder: git does not track those) changed
/// owner.
pub(super) fn hand_worktree_to(path: &Path, user: &str) -> EngineResult<bool> {
    use std::os::unix::fs::MetadataExt;
    // The owner of /proc/self is this process's effective user.
    let me = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0);
    let Some((uid, gid)) = user.split_once(':').and_then(|(u, g)| Some((u.parse::<u32>().ok()?, g.parse::<u32>().ok()?))) else {
        return Ok(false);
    };
    if me == uid {
        return Ok(false);
    }
    // Only what is not theirs yet: a chown changes a file's ctime even when
    // the owner stays, and git then reads and hashes that file again at the
    // next diff, checkout and commit (every file of the worktree, each task).
    fn hand(path: &Path, meta: &std::fs::Metadata, uid: u32, gid: u32) -> std::io::Result<bool> {
        if meta.uid() == uid && meta.gid() == gid {
            return Ok(false);
        }
        std::os::unix::fs::lchown(path, Some(uid), Some(gid)).map(|()| !meta.is_dir())
    }
    fn walk(dir: &Path, meta: &std::fs::Metadata, uid: u32, gid: u32) -> std::io::Result<bool> {
        let mut changed = hand(dir, meta, uid, gid)?;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name() == ".git" {
                continue;
            }
            let path = entry.path();
            // Not followed: a symlink is handed over itself, like lchown.
            let meta = entry.metadata()?;
            changed |= if meta.is_dir() { walk(&path, &meta, uid, gid)? } else { hand(&path, &meta, uid, gid)? };
        }
        Ok(changed)
    }
    let handed = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
        Ok(meta) if meta.is_dir() => walk(path, &meta, uid, gid),
        Ok(meta) => hand(path, &meta, uid, gid),
    };
    handed.map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot hand {} to the container user: {e}", path.display())))
}

/// Files that changed owner (and so ctime) look changed to git, and nothing
/// refreshes the index entry of a file whose content did not change: every
/// later diff, checkout and commit would read and hash each of them again,
/// task after task (the whole worktree after the first hand-over). One pass
/// records their new stat data. Only a cache: a failure costs time, not
/// correctness.
pub(super) fn refresh_index(repo: &GitRepo) {
    let mut opts = git2::DiffOptions::new();
    opts.update_index(true);
    if let Err(e) = repo.raw().diff_index_to_workdir(None, Some(&mut opts)) {
        tracing::warn!("cannot refresh the index of {}: {}", repo.path().display(), e.message());
    }
}
