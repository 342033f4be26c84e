//! A task's branch in git: where it starts over, which commit is this try's
//! (the run trailer), catching up with tasks finished beside it, and pushing
//! it (the task branch, or the base branch in `direct` mode).

use git2::Oid;

use super::task::TaskWalk;
use super::{MergeMode, Step};
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::store::TaskRun;

/// The trailer naming the try at a task a commit belongs to: the task's row
/// (made anew when a person aborts the task) started at this moment.
const RUN_TRAILER: &str = "DevTeam-Run:";

/// `Task <id>: <title>`, and a trailer keyed to this try at the task, so a
/// resumed run recognises its own commit, and a task aborted and started
/// afresh does not take an old one for its own.
pub(super) fn commit_message(subject: &str, row: &TaskRun) -> String {
    format!("{subject}\n\n{RUN_TRAILER} {}\n", row.started_at)
}

/// Whether `message` is the commit of `row`'s try at the task (commits made
/// before the trailer existed are recognised by their subject).
pub(super) fn is_commit_of(message: &str, subject: &str, row: &TaskRun) -> bool {
    let mut lines = message.lines();
    if lines.next() != Some(subject) {
        return false;
    }
    match message.lines().find_map(|l| l.strip_prefix(RUN_TRAILER)) {
        Some(key) => key.trim() == row.started_at,
        None => true,
    }
}

impl TaskWalk<'_> {
    /// Puts `branch` (created or moved) at `start`, makes it the current
    /// branch, and the worktree and index exactly `start`'s tree: untracked
    /// files removed, ignored ones kept. What checking the branch out and
    /// then `reset --hard` did, in one pass over the worktree instead of two
    /// (a real project's worktree has thousands of files).
    pub(super) fn start_branch_at(&self, branch: &str, start: Oid) -> EngineResult<()> {
        let refname = format!("refs/heads/{branch}");
        let raw = self.repo.raw();
        let fail = |doing: &str, e: git2::Error| EngineError::new(ErrorCode::Git, format!("git failed while {doing}: {}", e.message()));
        let tree = raw.find_commit(start).and_then(|c| c.tree()).map_err(|e| fail("finding the start commit", e))?;
        raw.reference(&refname, start, true, "devteam: task branch at its start").map_err(|e| fail(&format!("creating {branch}"), e))?;
        raw.set_head(&refname).map_err(|e| fail(&format!("switching to {branch}"), e))?;
        let mut co = git2::build::CheckoutBuilder::new();
        co.force().remove_untracked(true);
        raw.checkout_tree(tree.as_object(), Some(&mut co)).map_err(|e| fail(&format!("checking out {branch}"), e))?;
        // The index holds the tree and nothing else (a crash may have left
        // files staged); entries that did not change keep their stat data.
        let mut index = raw.index().map_err(|e| fail("opening the index", e))?;
        index.read_tree(&tree).and_then(|()| index.write()).map_err(|e| fail("resetting the index", e))
    }

    /// Fetches, and returns where the base branch is on the remote now.
    pub(super) fn fetched_base_tip(&self) -> EngineResult<Oid> {
        self.repo.fetch(&self.settings.credentials)?;
        let base = &self.settings.project.settings.base_branch;
        self.repo
            .remote_branch(base)
            .ok_or_else(|| EngineError::new(ErrorCode::Git, format!("the remote has no branch `{base}` (the project's base branch)")))
    }

    /// Beside other lanes, the task started from a base that may have moved
    /// since (they finished tasks): its changes are carried onto the newest
    /// start before it commits. `Some(reason)` when they do not apply.
    pub(super) async fn catch_up(&self, row: &mut TaskRun, branch: &str) -> EngineResult<Option<String>> {
        let base_tip = self.fetched_base_tip()?;
        let rows = self.ctx.store.task_runs(&row.project_id).await?;
        let onto = self.start_commit(&rows, base_tip).await.commit;
        let from = row.start_commit.as_deref().and_then(|s| Oid::from_str(s).ok()).unwrap_or(onto);
        if from == onto {
            return Ok(None);
        }
        if let Err(reason) = self.repo.carry_changes(branch, from, onto)? {
            return Ok(Some(reason));
        }
        row.start_commit = Some(onto.to_string());
        self.ctx.store.save_task_run(row).await?;
        self.note(row, Step::Merge, &format!("carried onto {} (work finished beside it meanwhile)", &onto.to_string()[..10])).await?;
        Ok(None)
    }

    /// Pushes, retrying a few times when a lock blocks it: a push killed
    /// mid-way can leave a lock in a local remote, removed once stale.
    pub(super) async fn push(&self, branch: &str) -> EngineResult<()> {
        let local_remote = match crate::project::parse_repo_url(&self.settings.project.settings.repo_url) {
            Ok(crate::project::RepoUrl::Local { path }) => Some(std::path::PathBuf::from(path)),
            _ => None,
        };
        let mut tries = 0;
        loop {
            match self.push_once(branch) {
                Err(e) if e.message.contains(".lock") && tries < 3 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
                    if let Some(remote) = &local_remote {
                        crate::repo::clear_stale_locks(remote, std::time::Duration::from_secs(2));
                    }
                }
                other => return other,
            }
        }
    }

    fn push_once(&self, branch: &str) -> EngineResult<()> {
        let creds = &self.settings.credentials;
        match self.settings.merge_mode {
            MergeMode::Pr => self.repo.push_branch(branch, creds),
            MergeMode::Direct => {
                let base = &self.settings.project.settings.base_branch;
                let commit = self.repo.local_branch(branch).ok_or_else(|| EngineError::internal("the task branch vanished"))?;
                // No fetch here: if someone pushed to the base meanwhile, the
                // remote refuses the non-fast-forward push and we say so.
                self.repo.raw().reference(&format!("refs/heads/{base}"), commit, true, "devteam: fast-forward").map_err(|e| {
                    EngineError::new(ErrorCode::Git, format!("cannot move {base}: {}", e.message()))
                })?;
                self.repo.push_branch(base, creds)
            }
        }
    }
}
