//! SQLite through sqlx: one database file, WAL mode, embedded forward-only
//! migrations, and startup errors that name the file and say what to do.
//! Opening looks before it writes: a file from a newer DevTeam is refused
//! untouched, and a file about to be migrated is first copied to `backups/`.

mod app_lock;
mod audit;
mod executions;
mod injections;
mod projects;
mod runs;
mod schema;
mod task_runs;

pub use app_lock::{AppLock, AppLockHolder};
pub use audit::{AuditCheck, AuditEntry};
pub use schema::{SchemaStatus, BACKUPS_KEPT};
pub use executions::ExecutionRow;
pub use runs::{AuditRecord, LogRange, RunRecord};
pub use task_runs::{LogLine, TaskRun};

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{EngineError, EngineResult, ErrorCode};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The app's database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    /// The newest audit entry this process recorded as the chain's head.
    audit_head: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

/// The newest schema version (migration) built into this binary.
pub fn latest_schema_version() -> i64 {
    schema::known_versions(&MIGRATIONS).last().copied().unwrap_or(0)
}

/// Where backups of the database at `path` go: `backups/` beside it (the
/// same folder as [`crate::DataPaths::backups`]).
pub fn backup_dir(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).join("backups")
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it
    /// forward, backing it up first when it already holds data.
    pub async fn open(path: &Path) -> EngineResult<Self> {
        Self::open_with(path, |_| Ok(())).await
    }

    /// Like [`Store::open`], with `before_migrate` asked (and able to refuse)
    /// once the file is known to be openable by this binary and before
    /// anything is written to it.
    pub async fn open_with(
        path: &Path,
        before_migrate: impl FnOnce(&SchemaStatus) -> EngineResult<()>,
    ) -> EngineResult<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                EngineError::new(
                    ErrorCode::Io,
                    format!("cannot create the data folder {}: {e}", dir.display()),
                )
            })?;
        }
        let status = schema::inspect(path, &schema::known_versions(&MIGRATIONS))
            .await
            .map_err(|e| open_error(path, &e))?;
        schema::check_not_newer(path, &status)?;
        before_migrate(&status)?;
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| EngineError::internal(e.to_string()))?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| open_error(path, &e))?;
        let mut backup = None;
        if let (true, Some(version)) = (status.upgrades_existing(), status.database_version) {
            match schema::back_up(&pool, path, &backup_dir(path), version).await {
                Ok(saved) => backup = Some(saved),
                Err(e) => {
                    pool.close().await;
                    return Err(e);
                }
            }
        }
        if let Err(e) = MIGRATIONS.run(&pool).await {
            pool.close().await;
            let saved = backup
                .map(|b| format!("; the database as it was before is saved as {}", b.display()))
                .unwrap_or_default();
            return Err(EngineError::new(
                ErrorCode::Database,
                format!("cannot migrate the database {}: {e}{saved}", path.display()),
            ));
        }
        Ok(Self { pool, path: path.to_path_buf(), audit_head: Default::default() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn audit_head_written(&self) -> &std::sync::atomic::AtomicI64 {
        &self.audit_head
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Turns a connection failure into a message naming the file and the fix.
fn open_error(path: &Path, err: &sqlx::Error) -> EngineError {
    let text = err.to_string();
    let shown = path.display();
    let message = if text.contains("not a database") || text.contains("malformed") {
        format!(
            "the database {shown} is corrupt or is not a DevTeam database ({text}); \
             move it aside and start DevTeam again to create a fresh one"
        )
    } else if text.contains("readonly") || text.contains("unable to open") || text.contains("permission") {
        format!(
            "cannot open the database {shown} for writing ({text}); check that the folder \
             exists and that you may write to it, or point DEVTEAM_DATA_DIR elsewhere"
        )
    } else {
        format!("cannot open the database {shown}: {text}")
    };
    EngineError::new(ErrorCode::Database, message)
}

/// Maps a query failure to the engine error, keeping sqlx's words.
pub(crate) fn db_error(context: &str, err: sqlx::Error) -> EngineError {
    EngineError::new(ErrorCode::Database, format!("{context}: {err}"))
}
