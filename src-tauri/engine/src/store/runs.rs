//! Run history: one row per run of a project (start, end, how it ended), and
//! the audit entries and log lines that fall inside it, for the timeline.

use sqlx::Row;

use super::{db_error, Store};
use crate::error::EngineResult;

/// One run of a project, from its start to its end.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct RunRecord {
    pub id: u32,
    pub project_id: String,
    /// ISO 8601, UTC.
    pub started_at: String,
    /// `None` while it runs.
    pub ended_at: Option<String>,
    /// The execution state it left: completed, paused, blocked, waiting,
    /// stopped, failed, or `interrupted` (the app was killed meanwhile).
    pub state: Option<String>,
    pub reason: Option<String>,
    pub tasks_done: Option<u32>,
}

/// A stored audit entry with its time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct AuditRecord {
    pub at: String,
    pub task_id: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// Where a task's step left lines in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, specta::Type)]
pub struct LogRange {
    /// The first line's id (ask `log_lines` for lines after `first_id - 1`).
    pub first_id: Option<u32>,
    pub lines: u32,
}

impl Store {
    /// Records a run's start. A run of this project the app never saw end
    /// (it was killed) is closed first, as `interrupted`.
    pub async fn open_run(&self, project_id: &str, started_at: &str) -> EngineResult<u32> {
        let mut tx = self.pool().begin().await.map_err(|e| db_error("cannot record the run", e))?;
        sqlx::query("UPDATE runs SET ended_at = ?, state = 'interrupted' WHERE project_id = ? AND ended_at IS NULL")
            .bind(started_at)
            .bind(project_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| db_error("cannot close an interrupted run", e))?;
        let done = sqlx::query("INSERT INTO runs (project_id, started_at) VALUES (?, ?)")
            .bind(project_id)
            .bind(started_at)
            .execute(&mut *tx)
            .await
            .map_err(|e| db_error("cannot record the run", e))?;
        tx.commit().await.map_err(|e| db_error("cannot record the run", e))?;
        Ok(u32::try_from(done.last_insert_rowid()).unwrap_or(u32::MAX))
    }

    /// Records how a run ended.
    pub async fn close_run(&self, id: u32, ended_at: &str, state: &str, reason: Option<&str>, tasks_done: Option<u32>) -> EngineResult<()> {
        sqlx::query("UPDATE runs SET ended_at = ?, state = ?, reason = ?, tasks_done = ? WHERE id = ?")
            .bind(ended_at)
            .bind(state)
            .bind(reason)
            .bind(tasks_done)
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot record the run's end", e))?;
        Ok(())
    }

    /// A project's runs, newest first.
    pub async fn runs(&self, project_id: &str, limit: u32) -> EngineResult<Vec<RunRecord>> {
        let rows = sqlx::query(
            "SELECT id, project_id, started_at, ended_at, state, reason, tasks_done FROM runs \
             WHERE project_id = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(project_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(|e| db_error("cannot read the run history", e))?;
        Ok(rows.iter().map(row_to_run).collect())
    }

    pub async fn run(&self, project_id: &str, id: u32) -> EngineResult<Option<RunRecord>> {
        let row = sqlx::query(
            "SELECT id, project_id, started_at, ended_at, state, reason, tasks_done FROM runs WHERE project_id = ? AND id = ?",
        )
        .bind(project_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(|e| db_error("cannot read the run", e))?;
        Ok(row.as_ref().map(row_to_run))
    }

    /// When the run before `id` ended, if there is one.
    pub async fn previous_run_end(&self, project_id: &str, id: u32) -> EngineResult<Option<String>> {
        let row = sqlx::query("SELECT ended_at FROM runs WHERE project_id = ? AND id < ? ORDER BY id DESC LIMIT 1")
            .bind(project_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| db_error("cannot read the run history", e))?;
        Ok(row.and_then(|r| r.get::<Option<String>, _>(0)))
    }

    /// The project's audit entries from `from` to `to` (inclusive), oldest first.
    pub async fn audit_between(&self, project_id: &str, from: &str, to: &str) -> EngineResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT at, task_id, actor, action, detail FROM audit WHERE project_id = ? AND at >= ? AND at <= ? ORDER BY id",
        )
        .bind(project_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await
        .map_err(|e| db_error("cannot read the audit log", e))?;
        Ok(rows
            .iter()
            .map(|r| AuditRecord { at: r.get(0), task_id: r.get(1), actor: r.get(2), action: r.get(3), detail: r.get(4) })
            .collect())
    }

    /// The lines of a task from `from` up to `to`: what one of its steps
    /// printed, and DevTeam's notes on it (an attempt's failure is noted
    /// after its verification, under the attempt's step).
    pub async fn log_range(&self, project_id: &str, task_id: &str, from: &str, to: Option<&str>) -> EngineResult<LogRange> {
        let row = sqlx::query(
            "SELECT MIN(id), COUNT(*) FROM run_log WHERE project_id = ? AND task_id = ? \
             AND at >= ? AND (? IS NULL OR at < ?)",
        )
        .bind(project_id)
        .bind(task_id)
        .bind(from)
        .bind(to)
        .bind(to)
        .fetch_one(self.pool())
        .await
        .map_err(|e| db_error("cannot read the log", e))?;
        Ok(LogRange {
            first_id: row.get::<Option<i64>, _>(0).and_then(|id| u32::try_from(id).ok()),
            lines: u32::try_from(row.get::<i64, _>(1)).unwrap_or(u32::MAX),
        })
    }
}

fn row_to_run(r: &sqlx::sqlite::SqliteRow) -> RunRecord {
    RunRecord {
        id: u32::try_from(r.get::<i64, _>(0)).unwrap_or(u32::MAX),
        project_id: r.get(1),
        started_at: r.get(2),
        ended_at: r.get(3),
        state: r.get(4),
        reason: r.get(5),
        tasks_done: r.get::<Option<u32>, _>(6),
    }
}
