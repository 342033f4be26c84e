//! The engine's front door: what the desktop shell and the CLI call.

use serde::Serialize;
use tokio::sync::broadcast;

use crate::error::EngineResult;
use crate::events::{EngineEvent, EventBus};
use crate::health::{check_health, HealthReport};
use crate::paths::DataPaths;
use crate::project::{slug, validate_draft, Project, ProjectDraft};
use crate::store::Store;

/// Facts about this installation, shown in the UI and by `doctor`.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database: String,
    pub log_dir: String,
}

/// One running engine over one data folder.
#[derive(Clone, Debug)]
pub struct Engine {
    paths: DataPaths,
    store: Store,
    events: EventBus,
}

impl Engine {
    /// Opens the data folder's database, migrating it forward.
    pub async fn open(paths: DataPaths) -> EngineResult<Self> {
        let store = Store::open(&paths.database()).await?;
        Ok(Self { paths, store, events: EventBus::new() })
    }

    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn events(&self) -> &EventBus {
        &self.events
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: self.paths.root().display().to_string(),
            database: self.store.path().display().to_string(),
            log_dir: self.paths.logs().display().to_string(),
        }
    }

    pub async fn health(&self) -> HealthReport {
        let report = check_health(&self.paths).await;
        self.events.emit(EngineEvent::HealthChanged { report: report.clone() });
        report
    }

    pub async fn projects(&self) -> EngineResult<Vec<Project>> {
        self.store.list_projects().await
    }

    /// A project by its id.
    pub async fn project(&self, id: &str) -> EngineResult<Project> {
        self.store.get_project(id).await
    }

    pub async fn add_project(&self, draft: &ProjectDraft) -> EngineResult<Project> {
        let settings = validate_draft(draft)?;
        let id = self.fresh_project_id(&settings).await?;
        let now = now_iso8601();
        let project = Project { id, settings, created_at: now.clone(), updated_at: now };
        self.store.insert_project(&project).await?;
        tracing::info!(project = %project.id, "project added");
        self.events.emit(EngineEvent::ProjectAdded { project: project.clone() });
        Ok(project)
    }

    pub async fn update_project(&self, id: &str, draft: &ProjectDraft) -> EngineResult<Project> {
        let settings = validate_draft(draft)?;
        self.store.update_project(id, &settings, &now_iso8601()).await?;
        let project = self.store.get_project(id).await?;
        tracing::info!(project = %id, "project updated");
        self.events.emit(EngineEvent::ProjectUpdated { project: project.clone() });
        Ok(project)
    }

    pub async fn remove_project(&self, id: &str) -> EngineResult<()> {
        self.store.delete_project(id).await?;
        tracing::info!(project = %id, "project removed");
        self.events.emit(EngineEvent::ProjectRemoved { project_id: id.to_string() });
        Ok(())
    }

    async fn fresh_project_id(&self, settings: &ProjectDraft) -> EngineResult<String> {
        let mut base = slug(&format!("{} {}", settings.customer, settings.name), 60);
        if base.is_empty() {
            base = "project".into();
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while self.store.project_id_taken(&candidate).await? {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        Ok(candidate)
    }

    pub async fn close(&self) {
        self.store.close().await;
    }
}

/// Now, UTC, ISO 8601 to the second.
pub fn now_iso8601() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
