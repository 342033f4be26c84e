//! The engine's front door: what the desktop shell and the CLI call.

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::broadcast;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::{EngineEvent, EventBus};
use crate::health::{check_health, HealthReport};
use crate::paths::DataPaths;
use crate::project::{slug, validate_draft, Project, ProjectDraft};
use crate::store::{AppLock, Store};

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
    /// The data folder's app lock, held by the desktop app's engine (shared
    /// by its clones, released when the last one goes): see `open_exclusive`.
    app_lock: Option<Arc<AppLock>>,
    /// Work left over when a run ended (removing its containers), finished
    /// in the background; `settle` waits for it.
    background: crate::run::Background,
}

impl Engine {
    /// Opens the data folder's database, migrating it forward (after a
    /// backup). Used by the CLI beside a running app: it refuses to migrate
    /// while an app holds the folder, since that app runs on the old schema.
    pub async fn open(paths: DataPaths) -> EngineResult<Self> {
        let store = Store::open_with(&paths.database(), |schema| {
            if schema.pending.is_empty() {
                return Ok(());
            }
            match AppLock::holder(&paths)? {
                Some(holder) if !holder.is_this_process() => Err(EngineError::new(
                    ErrorCode::Conflict,
                    format!(
                        "DevTeam is running on the data folder {} ({}) with an older database \
                         schema (version {}); this DevTeam needs version {}. Close the app, then \
                         start the newer one: it upgrades the database",
                        paths.root().display(),
                        holder.describe(),
                        schema.database_version.unwrap_or(0),
                        schema.binary_version
                    ),
                )),
                _ => Ok(()),
            }
        })
        .await?;
        Ok(Self { paths, store, events: EventBus::new(), app_lock: None, background: Default::default() })
    }

    /// Opens the data folder for the desktop app: takes the folder's app
    /// lock (`<data>/app.lock`, with this pid) for as long as this engine or
    /// a clone of it lives, then opens the database as [`Engine::open`]
    /// does. A second app on the same folder gets a `Conflict` error naming
    /// the folder and the pid of the one running.
    pub async fn open_exclusive(paths: DataPaths) -> EngineResult<Self> {
        let lock = AppLock::acquire(&paths)?;
        let store = Store::open(&paths.database()).await?;
        Ok(Self { paths, store, events: EventBus::new(), app_lock: Some(Arc::new(lock)), background: Default::default() })
    }

    /// Opens the data folder for a CLI command that writes: takes the
    /// folder's lock shared (refused while the app runs on it, which then
    /// cannot start until this engine and its clones are gone), then opens
    /// the database as [`Engine::open`] does.
    pub async fn open_shared(paths: DataPaths) -> EngineResult<Self> {
        let lock = AppLock::share(&paths)?;
        let engine = Self::open(paths).await?;
        Ok(Self { app_lock: Some(Arc::new(lock)), ..engine })
    }

    /// Waits for what ended runs left to finish in the background (their
    /// containers' removal). A CLI command calls it before it exits.
    pub async fn settle(&self) {
        self.background.settle().await;
    }

    pub(crate) fn background(&self) -> &crate::run::Background {
        &self.background
    }

    /// Whether this engine holds its data folder's app lock.
    pub fn holds_app_lock(&self) -> bool {
        self.app_lock.is_some()
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
/// Now, to the millisecond: the times of log lines and audit entries, which
/// the run history orders and splits into steps (several a second).
/// Always three digits of fraction, so that the text sorts as the time does;
/// and strictly increasing within the process, so that a line written just
/// before a step's audit entry is never stamped after it (the run history
/// splits a task's lines into steps by these times).
pub fn now_iso8601_ms() -> String {
    use std::sync::atomic::{AtomicI64, Ordering};
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    static LAST_MS: AtomicI64 = AtomicI64::new(0);
    let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let prev = LAST_MS.fetch_max(now_ms, Ordering::SeqCst);
    let ms = if prev >= now_ms { LAST_MS.fetch_add(1, Ordering::SeqCst) + 1 } else { now_ms };
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    at.format(FORMAT).unwrap_or_default()
}

pub fn now_iso8601() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
