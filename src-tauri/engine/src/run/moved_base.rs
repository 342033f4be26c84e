//! The base branch moved between a task's commit and its push (someone else
//! pushed; direct mode): the task is replayed onto the new base — its
//! changes applied, the tick and the outcome section made again on the new
//! task list — and pushed again. A real conflict goes to a person; nothing
//! is ever force-pushed.

use git2::Oid;

use super::artifacts::TaskFiles;
use super::ownership::hand_worktree_to;
use super::task::TaskWalk;
use super::{MergeMode, Step};
use crate::error::{EngineError, EngineResult};
use crate::plan::WorkUnit;
use crate::store::TaskRun;
use crate::verify::VerifyReport;

impl TaskWalk<'_> {
    /// Replays the row's commit onto the fetched base and commits it again
    /// (`row.commit_id` saved). `Ok(Err(reason))` when it does not apply.
    pub(super) async fn replay_on_moved_base(
        &self,
        unit: &WorkUnit,
        row: &mut TaskRun,
        branch: &str,
        rows: &[TaskRun],
        report: Option<&VerifyReport>,
    ) -> EngineResult<Result<(), String>> {
        let tip = self.fetched_base_tip()?;
        let base = &self.settings.project.settings.base_branch;
        let commit = row.commit_id.as_deref().and_then(|c| Oid::from_str(c).ok()).ok_or_else(|| EngineError::internal("the task's commit is not recorded"))?;
        let list_path = self.settings.project.settings.tasklist_path.clone();
        let outcomes_path = std::path::Path::new(&list_path).with_file_name("task_outcomes.md").to_string_lossy().into_owned();
        if let Err(reason) = self.repo.replay_onto(branch, commit, tip, &[&list_path, &outcomes_path])? {
            return Ok(Err(format!("{base} moved while the task was pushed, and {reason}")));
        }
        let files = TaskFiles { worktree: self.repo.path(), tasklist_path: &list_path };
        files.tick_and_record(unit, row, report, rows, self.settings.merge_mode == MergeMode::Pr)?;
        let list_file = self.repo.path().join(&list_path);
        for path in [list_file.with_file_name("task_outcomes.md"), list_file] {
            hand_worktree_to(&path, &self.user)?;
        }
        let message = super::branch::commit_message(&format!("Task {}: {}", unit.id, unit.title), row);
        let replayed = self.repo.commit_all(&message, &self.settings.author)?;
        row.commit_id = Some(replayed.to_string());
        self.ctx.store.save_task_run(row).await?;
        self.note(row, Step::Push, &format!("{base} moved (now {}): the task was replayed onto it", &tip.to_string()[..10])).await?;
        Ok(Ok(()))
    }
}
