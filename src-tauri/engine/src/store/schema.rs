//! Upgrades and downgrades of the database file, decided before anything
//! writes to it: an installed app is upgraded in place by a newer package, so
//! the first start of a new version migrates the user's only copy of their
//! data. We look first (read-only), refuse a file from a newer DevTeam
//! without touching it, and copy the file aside before migrating it.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use sqlx::{Connection, SqliteConnection};

use crate::error::{EngineError, EngineResult, ErrorCode};

/// How many backups `backups/` keeps; older ones are deleted after a new one
/// is written.
pub const BACKUPS_KEPT: usize = 5;

/// What the file on disk holds compared with what this binary knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The newest migration recorded in the file; `None` for a new or empty
    /// file (nothing to back up).
    pub database_version: Option<i64>,
    /// The newest migration built into this binary.
    pub binary_version: i64,
    /// Migrations this binary will apply, oldest first.
    pub pending: Vec<i64>,
}

impl SchemaStatus {
    /// Whether opening migrates a file that already holds data.
    pub fn upgrades_existing(&self) -> bool {
        self.database_version.is_some() && !self.pending.is_empty()
    }
}

/// The versions of the migrations built into this binary, oldest first.
pub(super) fn known_versions(migrator: &sqlx::migrate::Migrator) -> Vec<i64> {
    let mut v: Vec<i64> = migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .collect();
    v.sort_unstable();
    v
}

/// Reads the applied migrations through a read-only connection (no journal
/// mode change, no table created), so a refused file stays byte for byte as
/// it was. A missing file is a new database.
pub(super) async fn inspect(path: &Path, known: &[i64]) -> Result<SchemaStatus, sqlx::Error> {
    let binary_version = known.last().copied().unwrap_or(0);
    let fresh = SchemaStatus { database_version: None, binary_version, pending: known.to_vec() };
    if std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true) {
        return Ok(fresh);
    }
    let options = SqliteConnectOptions::from_str("sqlite://")?.filename(path).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let result = applied_versions(&mut conn).await;
    let _ = conn.close().await;
    let Some(applied) = result? else {
        return Ok(fresh);
    };
    let pending = known.iter().copied().filter(|v| !applied.contains(v)).collect();
    Ok(SchemaStatus { database_version: applied.iter().copied().max(), binary_version, pending })
}

/// The versions in `_sqlx_migrations`, or `None` when the table is missing.
async fn applied_versions(conn: &mut SqliteConnection) -> Result<Option<Vec<i64>>, sqlx::Error> {
    let has_table: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(&mut *conn)
            .await?;
    if has_table.is_none() {
        return Ok(None);
    }
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&mut *conn)
        .await?;
    Ok(Some(rows.into_iter().map(|(v,)| v).collect()))
}

/// The refusal for a file written by a newer DevTeam.
pub(super) fn check_not_newer(path: &Path, status: &SchemaStatus) -> EngineResult<()> {
    match status.database_version {
        Some(db) if db > status.binary_version => Err(EngineError::new(
            ErrorCode::Database,
            format!(
                "the database {} has schema version {db}, newer than this DevTeam {} knows \
                 (schema version {}): it was written by a newer DevTeam. Use the newer DevTeam \
                 (install it again); this version leaves the file untouched",
                path.display(),
                env!("CARGO_PKG_VERSION"),
                status.binary_version,
            ),
        )),
        _ => Ok(()),
    }
}

/// Copies the database, with whatever its WAL holds, to
/// `<backups>/devteam-<version>-<UTC timestamp>.sqlite3` through
/// `VACUUM INTO` (a consistent snapshot, whatever other connections do), then
/// keeps the newest [`BACKUPS_KEPT`].
pub(super) async fn back_up(pool: &SqlitePool, db_path: &Path, backups: &Path, version: i64) -> EngineResult<PathBuf> {
    std::fs::create_dir_all(backups).map_err(|e| {
        EngineError::new(ErrorCode::Io, format!("cannot create the backup folder {}: {e}", backups.display()))
    })?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"))
        .unwrap_or_default();
    let mut target = backups.join(format!("devteam-{version}-{stamp}.sqlite3"));
    let mut n = 2;
    while target.exists() {
        target = backups.join(format!("devteam-{version}-{stamp}-{n}.sqlite3"));
        n += 1;
    }
    let target_text = target.to_str().ok_or_else(|| {
        EngineError::new(ErrorCode::Io, format!("the backup path {} is not UTF-8", target.display()))
    })?;
    sqlx::query("VACUUM INTO ?").bind(target_text).execute(pool).await.map_err(|e| {
        EngineError::new(
            ErrorCode::Database,
            format!(
                "cannot back up the database {} to {} before upgrading it ({e}); \
                 the database was not changed. Free some disk space and start DevTeam again",
                db_path.display(),
                target.display()
            ),
        )
    })?;
    prune(backups);
    tracing::info!(backup = %target.display(), "database backed up before migrating from schema version {version}");
    Ok(target)
}

/// Deletes all but the newest [`BACKUPS_KEPT`] backups (by the timestamp in
/// their name, which sorts as text; the version before it does not count).
fn prune(backups: &Path) {
    let Ok(entries) = std::fs::read_dir(backups) else { return };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let rest = name.strip_prefix("devteam-")?.strip_suffix(".sqlite3")?;
            let (_version, when) = rest.split_once('-')?;
            Some((when.to_string(), e.path()))
        })
        .collect();
    found.sort();
    let excess = found.len().saturating_sub(BACKUPS_KEPT);
    for (_, path) in found.into_iter().take(excess) {
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!("cannot delete the old backup {}: {e}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_the_newest_by_timestamp_not_by_version() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "devteam-9-20240101T000000Z.sqlite3",
            "devteam-1-20250101T000000Z.sqlite3",
            "devteam-1-20250102T000000Z.sqlite3",
            "devteam-2-20250103T000000Z.sqlite3",
            "devteam-2-20250103T000000Z-2.sqlite3",
            "devteam-3-20250104T000000Z.sqlite3",
            "notes.txt",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        prune(dir.path());
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(
            left,
            [
                "devteam-1-20250101T000000Z.sqlite3",
                "devteam-1-20250102T000000Z.sqlite3",
                "devteam-2-20250103T000000Z-2.sqlite3",
                "devteam-2-20250103T000000Z.sqlite3",
                "devteam-3-20250104T000000Z.sqlite3",
                "notes.txt",
            ],
            "the oldest (by time, although its version is the highest) goes; other files stay"
        );
    }
}
