//! Where a task branch starts in `pr` mode: on the previous task's branch
//! while its pull request waits (stacked), on the base branch once it is
//! merged — seen in git (a merge commit) or asked of GitHub (a squash or a
//! rebase leaves no trace of the task's commit in the base).

use git2::Oid;

use super::task::TaskWalk;
use super::{MergeMode, TaskStatus};
use crate::github::PullRequestState;
use crate::store::TaskRun;

/// A task branch's start, and why it is not the previous task's branch when
/// a merged pull request made the difference (for the task's log).
pub(super) struct Start {
    pub commit: Oid,
    pub note: Option<String>,
}

impl Start {
    fn at(commit: Oid) -> Self {
        Self { commit, note: None }
    }
}

impl TaskWalk<'_> {
    /// The base tip, or (stacked pull requests) the last done task's commit
    /// while the base does not hold it and its pull request is not merged.
    pub(super) async fn start_commit(&self, rows: &[TaskRun], base_tip: Oid) -> Start {
        if self.settings.merge_mode == MergeMode::Direct {
            return Start::at(base_tip);
        }
        // The last to finish (beside other lanes, not always the last started).
        let mut done: Vec<&TaskRun> = rows.iter().filter(|r| r.status == TaskStatus::Done && r.commit_id.is_some()).collect();
        done.sort_by(|a, b| a.finished_at.cmp(&b.finished_at));
        let Some(parent) = done.last() else { return Start::at(base_tip) };
        let Some(prev) = parent.commit_id.as_deref().and_then(|c| Oid::from_str(c).ok()) else { return Start::at(base_tip) };
        if self.repo.contains(base_tip, prev) || self.repo.raw().find_commit(prev).is_err() {
            return Start::at(base_tip);
        }
        match self.parent_pull_state(parent).await {
            Some(PullRequestState::Merged) => {
                let base = &self.settings.project.settings.base_branch;
                let number = parent.pr_number.unwrap_or_default();
                Start {
                    commit: base_tip,
                    note: Some(format!("task {}'s pull request #{number} is merged: starting from {base}", parent.task_id)),
                }
            }
            _ => Start::at(prev),
        }
    }

    /// Asks GitHub whether `parent`'s pull request is merged. `None` when
    /// there is none to ask about or GitHub does not answer: the task then
    /// stacks on the parent's branch, which is right whatever became of it.
    async fn parent_pull_state(&self, parent: &TaskRun) -> Option<PullRequestState> {
        let github = self.settings.github.as_ref()?;
        let number = parent.pr_number?;
        match github.client.pull_request_state(&github.repo.owner, &github.repo.repo, number).await {
            Ok(state) => Some(state),
            Err(e) => {
                tracing::warn!(project = %parent.project_id, number, error = %e.message, "cannot read the state of the previous task's pull request; stacking on its branch");
                None
            }
        }
    }

    /// The pull request's base: the previous task's branch while this one
    /// is stacked on it, else the project's base branch.
    pub(super) fn pr_base(&self, rows: &[TaskRun], row: &TaskRun) -> String {
        rows.iter()
            .filter(|r| r.status == TaskStatus::Done && r.task_id != row.task_id)
            .find(|r| r.commit_id.is_some() && r.commit_id == row.start_commit)
            .map(|r| r.branch.clone())
            .unwrap_or_else(|| self.settings.project.settings.base_branch.clone())
    }
}
