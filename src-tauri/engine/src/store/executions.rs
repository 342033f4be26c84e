//! Execution rows: which projects were started, where each stands (queued,
//! running, paused…), and the pending pause/stop request any process made.

use sqlx::Row;

use super::{db_error, Store};
use crate::engine::now_iso8601;
use crate::error::EngineResult;
use crate::run::ControlRequest;

/// A project's execution as stored: enough to put it back after a restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionRow {
    pub project_id: String,
    /// `queued`, `running`, `paused`, `stopped`, `blocked`, `completed`, `failed`.
    pub state: String,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The start options, as JSON.
    pub options: String,
    pub control: Option<ControlRequest>,
    pub reason: Option<String>,
    pub queued_at: String,
    pub started_at: Option<String>,
    pub updated_at: String,
}

const COLUMNS: &str = "project_id, state, priority, options, control, reason, queued_at, started_at, updated_at";

impl Store {
    /// Creates or replaces a project's execution row.
    pub async fn save_execution(&self, row: &ExecutionRow) -> EngineResult<()> {
        sqlx::query(&format!("INSERT OR REPLACE INTO executions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))
            .bind(&row.project_id)
            .bind(&row.state)
            .bind(&row.priority)
            .bind(&row.options)
            .bind(row.control.map_or("none", ControlRequest::as_str))
            .bind(&row.reason)
            .bind(&row.queued_at)
            .bind(&row.started_at)
            .bind(now_iso8601())
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot save the project's execution", e))?;
        Ok(())
    }

    pub async fn execution(&self, project_id: &str) -> EngineResult<Option<ExecutionRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM executions WHERE project_id = ?"))
            .bind(project_id)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| db_error("cannot read the project's execution", e))?;
        Ok(row.as_ref().map(to_row))
    }

    pub async fn executions(&self) -> EngineResult<Vec<ExecutionRow>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM executions ORDER BY queued_at, project_id"))
            .fetch_all(self.pool())
            .await
            .map_err(|e| db_error("cannot read the executions", e))?;
        Ok(rows.iter().map(to_row).collect())
    }

    /// Sets the state (and reason) of an execution, clearing any request.
    pub async fn set_execution_state(&self, project_id: &str, state: &str, reason: Option<&str>) -> EngineResult<()> {
        sqlx::query("UPDATE executions SET state = ?, reason = ?, control = 'none', updated_at = ? WHERE project_id = ?")
            .bind(state)
            .bind(reason)
            .bind(now_iso8601())
            .bind(project_id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot save the project's execution", e))?;
        Ok(())
    }

    /// Records a pause/stop request for whichever process runs the project.
    /// Returns false when the project has no execution row.
    pub async fn request_control(&self, project_id: &str, request: ControlRequest) -> EngineResult<bool> {
        let done = sqlx::query("UPDATE executions SET control = ?, updated_at = ? WHERE project_id = ?")
            .bind(request.as_str())
            .bind(now_iso8601())
            .bind(project_id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot record the request", e))?;
        Ok(done.rows_affected() > 0)
    }

    /// Forgets the stop points of the stored start options (`until`,
    /// `max_tasks`) once the run stopped at one.
    pub async fn clear_stop_points(&self, project_id: &str) -> EngineResult<()> {
        let Some(row) = self.execution(project_id).await? else { return Ok(()) };
        let mut options: serde_json::Value = serde_json::from_str(&row.options).unwrap_or_else(|_| serde_json::json!({}));
        if let Some(map) = options.as_object_mut() {
            map.remove("until");
            map.remove("max_tasks");
        }
        sqlx::query("UPDATE executions SET options = ? WHERE project_id = ?")
            .bind(options.to_string())
            .bind(project_id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot save the project's execution", e))?;
        Ok(())
    }

    /// The pending request for a project, if any.
    pub async fn pending_control(&self, project_id: &str) -> EngineResult<Option<ControlRequest>> {
        let row = sqlx::query("SELECT control FROM executions WHERE project_id = ?")
            .bind(project_id)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| db_error("cannot read the project's execution", e))?;
        Ok(row.and_then(|r| ControlRequest::parse(&r.get::<String, _>(0))))
    }

    /// One CPU/memory sample of a project's container.
    pub async fn append_sample(&self, project_id: &str, cpu_percent: f64, memory_bytes: i64) -> EngineResult<()> {
        sqlx::query("INSERT INTO resource_samples (project_id, at, cpu_percent, memory_bytes) VALUES (?, ?, ?, ?)")
            .bind(project_id)
            .bind(now_iso8601())
            .bind(cpu_percent)
            .bind(memory_bytes)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot save a resource sample", e))?;
        Ok(())
    }

    /// The last `limit` samples of a project, oldest first: `(at, cpu %, bytes)`.
    pub async fn samples(&self, project_id: &str, limit: u32) -> EngineResult<Vec<(String, f64, i64)>> {
        let rows = sqlx::query(
            "SELECT at, cpu_percent, memory_bytes FROM (SELECT id, at, cpu_percent, memory_bytes FROM resource_samples \
             WHERE project_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        )
        .bind(project_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(|e| db_error("cannot read resource samples", e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }
}

fn to_row(r: &sqlx::sqlite::SqliteRow) -> ExecutionRow {
    ExecutionRow {
        project_id: r.get("project_id"),
        state: r.get("state"),
        priority: r.get("priority"),
        options: r.get("options"),
        control: ControlRequest::parse(&r.get::<String, _>("control")),
        reason: r.get("reason"),
        queued_at: r.get("queued_at"),
        started_at: r.get("started_at"),
        updated_at: r.get("updated_at"),
    }
}
