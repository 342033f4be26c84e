//! One desktop app per data folder. The app holds an exclusive lock on
//! `<data>/app.lock` (with its pid written inside) for its whole life; the OS
//! drops the lock when the process ends, however it ends, so a crash never
//! leaves a stale lock behind. A second app on the same folder is refused,
//! and the CLI asks [`AppLock::holder`] before it writes.
//!
//! The lock is `flock(2)` (through fs4): it belongs to one open file, so a
//! second open in the same process conflicts too, which the tests rely on.

use std::fs::File;
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::lockfile::read_pid;
use crate::paths::DataPaths;

/// Held by the desktop app while it runs on a data folder.
#[derive(Debug)]
pub struct AppLock {
    file: File,
    path: PathBuf,
}

/// The process that holds a data folder's app lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppLockHolder {
    /// Its process id, as it wrote it (`None` if it has not written it yet).
    pub pid: Option<u32>,
}

impl AppLockHolder {
    /// "pid 1234", or "pid unknown".
    pub fn describe(&self) -> String {
        match self.pid {
            Some(pid) => format!("pid {pid}"),
            None => "pid unknown".into(),
        }
    }

    /// Whether the holder is this very process.
    pub fn is_this_process(&self) -> bool {
        self.pid == Some(std::process::id())
    }
}

impl AppLock {
    /// Takes the data folder's app lock, or says which process holds it.
    pub fn acquire(paths: &DataPaths) -> EngineResult<Self> {
        let root = paths.root();
        std::fs::create_dir_all(root).map_err(|e| {
            EngineError::new(ErrorCode::Io, format!("cannot create the data folder {}: {e}", root.display()))
        })?;
        let path = paths.app_lock();
        let Some(file) = crate::lockfile::try_lock_with_pid(&path)? else {
            let holder = AppLockHolder { pid: read_pid(&path) };
            return Err(EngineError::new(
                ErrorCode::Conflict,
                format!(
                    "DevTeam is already running on the data folder {} ({}): use its window \
                     (or close it first). One DevTeam app per data folder; set DEVTEAM_DATA_DIR \
                     to use another folder",
                    root.display(),
                    holder.describe()
                ),
            ));
        };
        Ok(Self { file, path })
    }

    /// Who holds the data folder's app lock right now, without taking it
    /// (and without creating anything: a folder never opened has no holder).
    pub fn holder(paths: &DataPaths) -> EngineResult<Option<AppLockHolder>> {
        let path = paths.app_lock();
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(EngineError::new(ErrorCode::Io, format!("cannot open {}: {e}", path.display()))),
        };
        let free = FileExt::try_lock_shared(&file)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot check the lock {}: {e}", path.display())))?;
        if free {
            let _ = FileExt::unlock(&file);
            return Ok(None);
        }
        Ok(Some(AppLockHolder { pid: read_pid(&path) }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for AppLock {
    fn drop(&mut self) {
        // The pid goes before the lock does (when the file closes).
        let _ = self.file.set_len(0);
    }
}
