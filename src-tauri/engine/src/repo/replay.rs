//! A finished task's commit replayed onto a base that moved before it could
//! be pushed (someone else pushed meanwhile): its changes are applied to the
//! new base's files, except the files DevTeam edits itself (the task list,
//! the outcomes file), which the caller edits again on their new versions.

use git2::{ApplyLocation, ApplyOptions, DiffOptions, Oid};

use super::{git_error, GitRepo};
use crate::error::EngineResult;

impl GitRepo {
    /// Puts `branch` at `onto` with `commit`'s changes (but those to the
    /// `skip` paths) applied to the worktree and index, uncommitted.
    /// `Ok(Err(reason))` when they do not apply to `onto` (someone else
    /// changed the same lines or added the same file); the branch, index
    /// and worktree are then at `commit` again.
    pub fn replay_onto(&self, branch: &str, commit: Oid, onto: Oid, skip: &[&str]) -> EngineResult<Result<(), String>> {
        let find = |oid: Oid| self.repo.find_commit(oid).map_err(|e| git_error("reading a commit", e));
        let work = find(commit)?;
        let parent = work.parent(0).map_err(|e| git_error("reading the task's start", e))?;
        let old = parent.tree().map_err(|e| git_error("reading a tree", e))?;
        let new = work.tree().map_err(|e| git_error("reading a tree", e))?;
        let mut opts = DiffOptions::new();
        opts.show_binary(true);
        let diff = self.repo.diff_tree_to_tree(Some(&old), Some(&new), Some(&mut opts)).map_err(|e| git_error("diffing the task", e))?;
        let keep = |delta: Option<git2::DiffDelta<'_>>| {
            let path = delta.and_then(|d| d.new_file().path().or(d.old_file().path()).map(|p| p.to_string_lossy().into_owned()));
            !path.is_some_and(|p| skip.contains(&p.as_str()))
        };
        // Tried on the new base's tree first: nothing is touched when it fails.
        let base_tree = find(onto)?.tree().map_err(|e| git_error("reading a tree", e))?;
        let mut check = ApplyOptions::new();
        check.delta_callback(keep);
        if let Err(e) = self.repo.apply_to_tree(&base_tree, &diff, Some(&mut check)) {
            return Ok(Err(format!("the task's changes do not apply to the new base ({})", e.message())));
        }
        let refname = format!("refs/heads/{branch}");
        self.repo.reference(&refname, onto, true, "devteam: replay onto the moved base").map_err(|e| git_error("moving the task branch", e))?;
        self.repo.set_head(&refname).map_err(|e| git_error("switching to the task branch", e))?;
        let mut co = git2::build::CheckoutBuilder::new();
        co.force().remove_untracked(true);
        self.repo.checkout_tree(base_tree.as_object(), Some(&mut co)).map_err(|e| git_error("checking out the new base", e))?;
        let mut apply = ApplyOptions::new();
        apply.delta_callback(keep);
        if let Err(e) = self.repo.apply(&diff, ApplyLocation::Both, Some(&mut apply)) {
            // Back to the task's commit, so that nothing of it is lost.
            self.repo.reference(&refname, commit, true, "devteam: replay failed").map_err(|e| git_error("moving the task branch back", e))?;
            let mut back = git2::build::CheckoutBuilder::new();
            back.force().remove_untracked(true);
            self.repo.checkout_tree(new.as_object(), Some(&mut back)).map_err(|e| git_error("checking the task out again", e))?;
            let mut index = self.repo.index().map_err(|e| git_error("opening the index", e))?;
            index.read_tree(&new).and_then(|()| index.write()).map_err(|e| git_error("resetting the index", e))?;
            return Ok(Err(format!("the task's changes do not apply to the new base ({})", e.message())));
        }
        Ok(Ok(()))
    }
}
