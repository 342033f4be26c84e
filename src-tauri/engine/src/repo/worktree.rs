//! Extra worktrees of a project's clone, one per lane, so that tasks of the
//! same project can run side by side, each on its own branch and files; and
//! carrying a finished task's changes onto a base that moved meanwhile.

use std::path::Path;

use git2::{Oid, Repository, WorktreeAddOptions};

use super::{git_error, trust_own_clones, GitRepo};
use crate::error::{EngineError, EngineResult, ErrorCode};

impl GitRepo {
    /// The worktree `name` of this clone at `dir`, added when missing (also
    /// when its folder was deleted but git still lists it). Its HEAD is
    /// detached: an idle lane holds no branch, so any lane may take any task.
    pub fn lane(&self, name: &str, dir: &Path) -> EngineResult<GitRepo> {
        trust_own_clones();
        if !dir.join(".git").exists() {
            if let Ok(stale) = self.repo.find_worktree(name) {
                let mut prune = git2::WorktreePruneOptions::new();
                prune.valid(true).working_tree(true);
                stale.prune(Some(&mut prune)).map_err(|e| git_error(&format!("pruning the old worktree {name}"), e))?;
            }
            if let Some(parent) = dir.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot create {}: {e}", parent.display())))?;
            }
            // The worktree starts on a branch of its own name (git2 needs
            // one); it is local, never pushed, and left at once.
            let head = self.repo.head().and_then(|h| h.peel_to_commit()).map_err(|e| git_error("reading HEAD", e))?;
            let branch = match self.repo.find_branch(name, git2::BranchType::Local) {
                Ok(b) => b,
                Err(_) => self.repo.branch(name, &head, true).map_err(|e| git_error(&format!("creating {name}"), e))?,
            };
            let mut opts = WorktreeAddOptions::new();
            opts.reference(Some(branch.get()));
            self.repo.worktree(name, dir, Some(&opts)).map_err(|e| git_error(&format!("adding the worktree {name}"), e))?;
        }
        let repo = Repository::open(dir).map_err(|e| git_error(&format!("opening {}", dir.display()), e))?;
        let lane = GitRepo { repo, path: dir.to_path_buf() };
        lane.detach()?;
        Ok(lane)
    }

    /// Leaves the current branch (HEAD points at its commit), so that the
    /// branch may be checked out in another worktree.
    pub fn detach(&self) -> EngineResult<()> {
        let Ok(head) = self.repo.head() else { return Ok(()) };
        if !head.is_branch() {
            return Ok(());
        }
        let commit = head.peel_to_commit().map_err(|e| git_error("reading HEAD", e))?;
        self.repo.set_head_detached(commit.id()).map_err(|e| git_error("detaching HEAD", e))
    }

    /// Moves the uncommitted work of the current branch (started at `from`)
    /// onto `onto`: the branch is put at `onto` with the same changes on top,
    /// still uncommitted. `Ok(Err(reason))` when they do not apply (someone
    /// else changed the same lines); the branch, index and worktree are then
    /// as they were.
    pub fn carry_changes(&self, branch: &str, from: Oid, onto: Oid) -> EngineResult<Result<(), String>> {
        if from == onto {
            return Ok(Ok(()));
        }
        let commit_of = |oid: Oid| self.repo.find_commit(oid).map_err(|e| git_error("reading a commit", e));
        // The work as a commit on `from`, picked onto `onto` in memory.
        let author = super::Author::default();
        let work = self.commit_all("devteam: work carried onto a newer base", &author)?;
        let mut picked = self
            .repo
            .cherrypick_commit(&commit_of(work)?, &commit_of(onto)?, 0, None)
            .map_err(|e| git_error("carrying the task's changes", e))?;
        if picked.has_conflicts() {
            let conflicted: Vec<String> = picked
                .conflicts()
                .map(|all| all.flatten().filter_map(|c| c.our.or(c.their)).map(|e| String::from_utf8_lossy(&e.path).into_owned()).collect())
                .unwrap_or_default();
            // Back as it was: the branch at `from`, the work uncommitted.
            self.repo
                .reset(commit_of(from)?.as_object(), git2::ResetType::Mixed, None)
                .map_err(|e| git_error("putting the branch back", e))?;
            return Ok(Err(format!(
                "the task's changes conflict with work finished beside it meanwhile ({}); resolve it by hand or retry the task",
                conflicted.join(", ")
            )));
        }
        let tree = picked.write_tree_to(&self.repo).map_err(|e| git_error("writing the carried tree", e))?;
        let tree = self.repo.find_tree(tree).map_err(|e| git_error("reading the carried tree", e))?;
        let refname = format!("refs/heads/{branch}");
        self.repo.reference(&refname, onto, true, "devteam: carry the task onto the newer base").map_err(|e| git_error("moving the branch", e))?;
        self.repo.set_head(&refname).map_err(|e| git_error("switching branch", e))?;
        let mut co = git2::build::CheckoutBuilder::new();
        co.force().remove_untracked(true);
        self.repo.checkout_tree(tree.as_object(), Some(&mut co)).map_err(|e| git_error("checking out the carried work", e))?;
        // The work stays uncommitted on top of `onto`.
        let base_tree = commit_of(onto)?.tree().map_err(|e| git_error("reading a tree", e))?;
        let mut index = self.repo.index().map_err(|e| git_error("opening the index", e))?;
        index.read_tree(&base_tree).and_then(|()| index.write()).map_err(|e| git_error("resetting the index", e))?;
        Ok(Ok(()))
    }
}
