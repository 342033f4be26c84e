//! Task-run rows and their log: the run engine writes here before every
//! step's side effects.

use sqlx::Row;

use super::{db_error, Store};
use crate::engine::{now_iso8601, now_iso8601_ms};
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::run::{Step, TaskStatus};

/// One task of one project, as the run engine last left it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct TaskRun {
    pub project_id: String,
    pub task_id: String,
    pub title: String,
    pub branch: String,
    pub step: Step,
    pub status: TaskStatus,
    pub attempts: u32,
    pub agent: String,
    /// Why the task waits for a person, when it does.
    pub reason: Option<String>,
    /// The commit the task branch started from.
    pub start_commit: Option<String>,
    /// The task's own commit once MERGE made it.
    pub commit_id: Option<String>,
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
    /// The pull request opened for the task (`pr` merge mode with GitHub).
    pub pr_number: Option<u32>,
    pub pr_url: Option<String>,
    /// Who approved a risky task before IMPLEMENT.
    pub approved_by: Option<String>,
}

/// Batched log writes take turns here rather than in SQLite: ten projects'
/// writers contending for its one write lock wait in its busy handler, which
/// sleeps for milliseconds at a time (a p99 of 75 ms from a line's arrival
/// to its event, against 25 ms in turns; benches/event_latency.rs).
static LOG_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const COLUMNS: &str = "project_id, task_id, title, branch, step, status, attempts, agent, reason, \
                       start_commit, commit_id, started_at, updated_at, finished_at, pr_number, pr_url, approved_by";

impl Store {
    /// Inserts the row or replaces it whole.
    pub async fn save_task_run(&self, run: &TaskRun) -> EngineResult<()> {
        sqlx::query(&format!(
            "INSERT OR REPLACE INTO task_runs ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&run.project_id)
        .bind(&run.task_id)
        .bind(&run.title)
        .bind(&run.branch)
        .bind(run.step.as_str())
        .bind(run.status.as_str())
        .bind(run.attempts)
        .bind(&run.agent)
        .bind(&run.reason)
        .bind(&run.start_commit)
        .bind(&run.commit_id)
        .bind(&run.started_at)
        .bind(now_iso8601())
        .bind(&run.finished_at)
        .bind(run.pr_number)
        .bind(&run.pr_url)
        .bind(&run.approved_by)
        .execute(self.pool())
        .await
        .map_err(|e| db_error("cannot save the task's state", e))?;
        Ok(())
    }

    pub async fn task_runs(&self, project_id: &str) -> EngineResult<Vec<TaskRun>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM task_runs WHERE project_id = ? ORDER BY started_at, rowid"))
            .bind(project_id)
            .fetch_all(self.pool())
            .await
            .map_err(|e| db_error("cannot read the project's tasks", e))?;
        rows.iter().map(row_to_task_run).collect()
    }

    pub async fn append_log(&self, project_id: &str, task_id: &str, step: Step, stream: &str, line: &str) -> EngineResult<()> {
        sqlx::query("INSERT INTO run_log (project_id, task_id, step, stream, line, at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(project_id)
            .bind(task_id)
            .bind(step.as_str())
            .bind(stream)
            .bind(line)
            .bind(now_iso8601_ms())
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot write the log", e))?;
        Ok(())
    }

    /// Appends `(stream, line)`s of one task's step, in order, in one
    /// transaction: a build can print thousands of lines a second, and a
    /// commit per line cannot keep up with ten of them.
    pub async fn append_logs(&self, project_id: &str, task_id: &str, step: Step, lines: &[(&str, &str)]) -> EngineResult<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let at = now_iso8601_ms();
        let _turn = LOG_WRITES.lock().await;
        let mut tx = self.pool().begin().await.map_err(|e| db_error("cannot write the log", e))?;
        // 6 parameters a row: well under SQLite's limit per statement.
        for chunk in lines.chunks(100) {
            let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO run_log (project_id, task_id, step, stream, line, at) ");
            insert.push_values(chunk, |mut row, (stream, line)| {
                row.push_bind(project_id).push_bind(task_id).push_bind(step.as_str()).push_bind(*stream).push_bind(*line).push_bind(&at);
            });
            insert.build().execute(&mut *tx).await.map_err(|e| db_error("cannot write the log", e))?;
        }
        tx.commit().await.map_err(|e| db_error("cannot write the log", e))
    }

    /// The stored log lines of a task, oldest first, as `(step, stream, line)`.
    pub async fn task_log(&self, project_id: &str, task_id: &str) -> EngineResult<Vec<(String, String, String)>> {
        let rows = sqlx::query("SELECT step, stream, line FROM run_log WHERE project_id = ? AND task_id = ? ORDER BY id")
            .bind(project_id)
            .bind(task_id)
            .fetch_all(self.pool())
            .await
            .map_err(|e| db_error("cannot read the log", e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }
}

/// One stored line of a project's output, as the log views show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct LogLine {
    /// Increasing across the project's whole log: ask for lines after it.
    pub id: u32,
    pub task_id: String,
    pub step: Step,
    /// `stdout`, `stderr` or `devteam` (DevTeam's own notes).
    pub stream: String,
    pub line: String,
    pub at: String,
}

impl Store {
    /// Up to `limit` log lines of a project (of one task when given) with an
    /// id above `after`, oldest first.
    pub async fn log_since(&self, project_id: &str, task_id: Option<&str>, after: u32, limit: u32) -> EngineResult<Vec<LogLine>> {
        let rows = sqlx::query(
            "SELECT id, task_id, step, stream, line, at FROM run_log \
             WHERE project_id = ? AND (? IS NULL OR task_id = ?) AND id > ? ORDER BY id LIMIT ?",
        )
        .bind(project_id)
        .bind(task_id)
        .bind(task_id)
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(|e| db_error("cannot read the log", e))?;
        Ok(rows
            .iter()
            .map(|r| LogLine {
                id: u32::try_from(r.get::<i64, _>(0)).unwrap_or(u32::MAX),
                task_id: r.get(1),
                step: Step::parse(&r.get::<String, _>(2)).unwrap_or(Step::Implement),
                stream: r.get(3),
                line: r.get(4),
                at: r.get(5),
            })
            .collect())
    }
}

fn row_to_task_run(row: &sqlx::sqlite::SqliteRow) -> EngineResult<TaskRun> {
    let bad = |what: &str| EngineError::new(ErrorCode::Database, format!("a task_runs row has a bad {what}"));
    let step: String = row.get("step");
    let status: String = row.get("status");
    Ok(TaskRun {
        project_id: row.get("project_id"),
        task_id: row.get("task_id"),
        title: row.get("title"),
        branch: row.get("branch"),
        step: Step::parse(&step).ok_or_else(|| bad("step"))?,
        status: TaskStatus::parse(&status).ok_or_else(|| bad("status"))?,
        attempts: row.get::<u32, _>("attempts"),
        agent: row.get("agent"),
        reason: row.get("reason"),
        start_commit: row.get("start_commit"),
        commit_id: row.get("commit_id"),
        started_at: row.get("started_at"),
        updated_at: row.get("updated_at"),
        finished_at: row.get("finished_at"),
        pr_number: row.get::<Option<u32>, _>("pr_number"),
        pr_url: row.get("pr_url"),
        approved_by: row.get("approved_by"),
    })
}

impl Store {
    /// Forgets a task's row: the next run starts it afresh.
    pub async fn delete_task_run(&self, project_id: &str, task_id: &str) -> EngineResult<()> {
        sqlx::query("DELETE FROM task_runs WHERE project_id = ? AND task_id = ?")
            .bind(project_id)
            .bind(task_id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot reset the task", e))?;
        Ok(())
    }
}
