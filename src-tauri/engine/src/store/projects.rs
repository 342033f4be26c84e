//! Project rows: insert, update, list, get, delete.

use sqlx::Row;

use super::{db_error, Store};
use crate::error::{EngineError, EngineResult, ErrorCode, FieldError};
use crate::project::{Project, ProjectDraft, RunPolicy};

const COLUMNS: &str = "id, customer, name, repo_url, base_branch, tasklist_path, \
                       execution_order, unit, default_agent, priority, image, run_policy, created_at, updated_at";

impl Store {
    pub async fn list_projects(&self) -> EngineResult<Vec<Project>> {
        let sql = format!("SELECT {COLUMNS} FROM projects ORDER BY customer COLLATE NOCASE, name COLLATE NOCASE");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await.map_err(|e| db_error("cannot list projects", e))?;
        rows.iter().map(row_to_project).collect()
    }

    pub async fn get_project(&self, id: &str) -> EngineResult<Project> {
        let sql = format!("SELECT {COLUMNS} FROM projects WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| db_error("cannot read the project", e))?;
        row.as_ref().map(row_to_project).transpose()?.ok_or_else(|| EngineError::not_found(format!("project `{id}`")))
    }

    pub async fn project_id_taken(&self, id: &str) -> EngineResult<bool> {
        let row = sqlx::query("SELECT 1 FROM projects WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| db_error("cannot read projects", e))?;
        Ok(row.is_some())
    }

    pub async fn insert_project(&self, project: &Project) -> EngineResult<()> {
        let s = &project.settings;
        sqlx::query(&format!("INSERT INTO projects ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
            .bind(&project.id)
            .bind(&s.customer)
            .bind(&s.name)
            .bind(&s.repo_url)
            .bind(&s.base_branch)
            .bind(&s.tasklist_path)
            .bind(s.order.as_str())
            .bind(s.unit.as_str())
            .bind(&s.default_agent)
            .bind(s.priority.as_str())
            .bind(&s.image)
            .bind(policy_json(&s.run)?)
            .bind(&project.created_at)
            .bind(&project.updated_at)
            .execute(self.pool())
            .await
            .map_err(|e| write_error("cannot add the project", e))?;
        Ok(())
    }

    pub async fn update_project(&self, id: &str, s: &ProjectDraft, updated_at: &str) -> EngineResult<()> {
        let done = sqlx::query(
            "UPDATE projects SET customer = ?, name = ?, repo_url = ?, base_branch = ?, tasklist_path = ?, \
             execution_order = ?, unit = ?, default_agent = ?, priority = ?, image = ?, run_policy = ?, updated_at = ? WHERE id = ?",
        )
        .bind(&s.customer)
        .bind(&s.name)
        .bind(&s.repo_url)
        .bind(&s.base_branch)
        .bind(&s.tasklist_path)
        .bind(s.order.as_str())
        .bind(s.unit.as_str())
        .bind(&s.default_agent)
        .bind(s.priority.as_str())
        .bind(&s.image)
        .bind(policy_json(&s.run)?)
        .bind(updated_at)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(|e| write_error("cannot save the project", e))?;
        if done.rows_affected() == 0 {
            return Err(EngineError::not_found(format!("project `{id}`")));
        }
        Ok(())
    }

    pub async fn delete_project(&self, id: &str) -> EngineResult<()> {
        let done = sqlx::query("DELETE FROM projects WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(|e| db_error("cannot remove the project", e))?;
        if done.rows_affected() == 0 {
            return Err(EngineError::not_found(format!("project `{id}`")));
        }
        Ok(())
    }
}

fn policy_json(policy: &RunPolicy) -> EngineResult<String> {
    serde_json::to_string(policy).map_err(|e| EngineError::internal(format!("cannot store the run settings: {e}")))
}

/// A unique (customer, name) clash becomes a field error on `name`.
fn write_error(context: &str, err: sqlx::Error) -> EngineError {
    let unique = err.as_database_error().is_some_and(|d| d.is_unique_violation());
    if unique {
        let mut e = EngineError::validation(vec![FieldError {
            field: "name".into(),
            message: "this customer already has a project with this name".into(),
        }]);
        e.code = ErrorCode::Conflict;
        return e;
    }
    db_error(context, err)
}

fn row_to_project(row: &sqlx::sqlite::SqliteRow) -> EngineResult<Project> {
    let text = |col: &str| -> EngineResult<String> {
        row.try_get::<String, _>(col).map_err(|e| db_error("cannot read a project row", e))
    };
    let bad = |col: &str, e: String| EngineError::new(ErrorCode::Database, format!("project row has a bad {col}: {e}"));
    Ok(Project {
        id: text("id")?,
        settings: ProjectDraft {
            customer: text("customer")?,
            name: text("name")?,
            repo_url: text("repo_url")?,
            base_branch: text("base_branch")?,
            tasklist_path: text("tasklist_path")?,
            order: text("execution_order")?.parse().map_err(|e| bad("execution_order", e))?,
            unit: text("unit")?.parse().map_err(|e| bad("unit", e))?,
            default_agent: text("default_agent")?,
            priority: text("priority")?.parse().map_err(|e| bad("priority", e))?,
            image: text("image")?,
            run: serde_json::from_str(&text("run_policy")?).map_err(|e| bad("run_policy", e.to_string()))?,
        },
        created_at: text("created_at")?,
        updated_at: text("updated_at")?,
    })
}
