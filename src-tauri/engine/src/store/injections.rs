//! Injection rows: tasks added while a project runs, and the decisions on
//! them.

use sqlx::Row;

use super::{db_error, Store};
use crate::engine::now_iso8601;
use crate::error::{EngineError, EngineResult};
use crate::inject::{InjectAt, Injection, InjectionStatus};

const COLUMNS: &str = "id, project_id, kind, target, title, body, status, task_id, requested_by, decided_by, created_at, decided_at";

impl Store {
    pub(crate) async fn insert_injection(
        &self,
        project_id: &str,
        at: &InjectAt,
        title: &str,
        body: &str,
        status: InjectionStatus,
        actor: &str,
    ) -> EngineResult<Injection> {
        let (kind, target) = match at {
            InjectAt::Priority => ("priority", None),
            InjectAt::Positional { after } => ("positional", Some(after.clone())),
            InjectAt::Replace { task } => ("replace", Some(task.clone())),
        };
        let now = now_iso8601();
        let decided = (status == InjectionStatus::Approved).then(|| (actor.to_string(), now.clone()));
        let id = sqlx::query(
            "INSERT INTO injections (project_id, kind, target, title, body, status, requested_by, decided_by, created_at, decided_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(project_id)
        .bind(kind)
        .bind(target)
        .bind(title)
        .bind(body)
        .bind(status.as_str())
        .bind(actor)
        .bind(decided.as_ref().map(|d| d.0.clone()))
        .bind(&now)
        .bind(decided.map(|d| d.1))
        .execute(self.pool())
        .await
        .map_err(|e| db_error("cannot save the injection", e))?
        .last_insert_rowid();
        self.injection(id as u32).await?.ok_or_else(|| EngineError::internal("the saved injection vanished"))
    }

    pub(crate) async fn injection(&self, id: u32) -> EngineResult<Option<Injection>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM injections WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| db_error("cannot read the injection", e))?;
        row.as_ref().map(to_injection).transpose()
    }

    pub(crate) async fn injections(&self, project_id: &str) -> EngineResult<Vec<Injection>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM injections WHERE project_id = ? ORDER BY id"))
            .bind(project_id)
            .fetch_all(self.pool())
            .await
            .map_err(|e| db_error("cannot read the injections", e))?;
        rows.iter().map(to_injection).collect()
    }

    pub(crate) async fn decide_injection(&self, id: u32, status: InjectionStatus, actor: &str) -> EngineResult<Injection> {
        sqlx::query("UPDATE injections SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(actor)
            .bind(now_iso8601())
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot save the decision", e))?;
        self.injection(id).await?.ok_or_else(|| EngineError::internal("the injection vanished"))
    }

    /// Records where an injection was placed (its task ID, and for a
    /// priority one the task it went before), and whether it is on the base;
    /// the injection as stored now.
    pub(crate) async fn place_injection(&self, id: u32, task_id: &str, anchor: Option<&str>, status: InjectionStatus) -> EngineResult<Injection> {
        // A priority injection keeps its anchor in `target`.
        sqlx::query("UPDATE injections SET task_id = ?, target = COALESCE(target, ?), status = ? WHERE id = ?")
            .bind(task_id)
            .bind(anchor)
            .bind(status.as_str())
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot save the injection's place", e))?;
        self.injection(id).await?.ok_or_else(|| EngineError::internal("the injection vanished"))
    }
}

fn to_injection(r: &sqlx::sqlite::SqliteRow) -> EngineResult<Injection> {
    let kind: String = r.get("kind");
    let target: Option<String> = r.get("target");
    let bad = |what: &str| EngineError::new(crate::error::ErrorCode::Database, format!("an injections row has a bad {what}"));
    let (at, anchor) = match kind.as_str() {
        "priority" => (InjectAt::Priority, target),
        "positional" => (InjectAt::Positional { after: target.ok_or_else(|| bad("target"))? }, None),
        "replace" => (InjectAt::Replace { task: target.ok_or_else(|| bad("target"))? }, None),
        _ => return Err(bad("kind")),
    };
    Ok(Injection {
        id: r.get::<i64, _>("id") as u32,
        project_id: r.get("project_id"),
        at,
        title: r.get("title"),
        body: r.get("body"),
        status: InjectionStatus::parse(&r.get::<String, _>("status")).ok_or_else(|| bad("status"))?,
        task_id: r.get("task_id"),
        anchor,
        requested_by: r.get("requested_by"),
        decided_by: r.get("decided_by"),
        created_at: r.get("created_at"),
        decided_at: r.get("decided_at"),
    })
}
