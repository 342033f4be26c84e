//! One engine that writes per data folder. The app holds an exclusive lock
//! on `<data>/app.lock` (with its pid written inside) for its whole life; a
//! `devteam-cli` command that writes (a run, `serve`, a review) holds a
//! shared lock on it while it works, so CLI writers may work side by side
//! (each project's own run lock keeps them apart) but never beside the app:
//! the app refuses to start while one works, and they refuse while the app
//! runs. The OS drops a lock when its process ends, however it ends, so a
//! crash never leaves a stale lock behind.
//!
//! The lock is `flock(2)` (through fs4): it belongs to one open file, so a
//! second open in the same process conflicts too, which the tests rely on.

use std::fs::File;
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::lockfile::read_pid;
use crate::paths::DataPaths;

/// Held by the desktop app (exclusive) or a writing CLI command (shared)
/// while it works on a data folder.
#[derive(Debug)]
pub struct AppLock {
    file: File,
    path: PathBuf,
    shared: bool,
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
        let path = lock_path(paths)?;
        let Some(file) = crate::lockfile::try_lock_with_pid(&path)? else {
            if Self::cli_writers_only(&path)? {
                return Err(EngineError::new(
                    ErrorCode::Conflict,
                    format!(
                        "a devteam-cli command is changing the data folder {} (a run, `serve`, a review…): \
                         DevTeam starts once it ends. Stop it with Ctrl-C (or `devteam-cli pause PROJECT`), \
                         or set DEVTEAM_DATA_DIR to use another folder",
                        root.display()
                    ),
                ));
            }
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
        Ok(Self { file, path, shared: false })
    }

    /// Takes the data folder's lock shared, for a CLI command that writes:
    /// refused while the app holds it, fine beside other CLI writers.
    pub fn share(paths: &DataPaths) -> EngineResult<Self> {
        let root = paths.root();
        let path = lock_path(paths)?;
        let file = crate::lockfile::open_lock_file(&path)?;
        let locked = FileExt::try_lock_shared(&file)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot lock {}: {e}", path.display())))?;
        if !locked {
            let holder = AppLockHolder { pid: read_pid(&path) };
            return Err(EngineError::new(
                ErrorCode::Conflict,
                format!(
                    "DevTeam is running on this data folder ({}): use its window, or \
                     `devteam-cli pause|stop|status|logs`, which work beside it (data folder: {})",
                    holder.describe(),
                    root.display()
                ),
            ));
        }
        Ok(Self { file, path, shared: true })
    }

    /// Whether the lock that refused an exclusive taker is held shared only
    /// (by CLI writers), not by an app.
    fn cli_writers_only(path: &Path) -> EngineResult<bool> {
        let file = File::open(path).map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot open {}: {e}", path.display())))?;
        let shared = FileExt::try_lock_shared(&file)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot check the lock {}: {e}", path.display())))?;
        if shared {
            let _ = FileExt::unlock(&file);
        }
        Ok(shared)
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

/// `<data>/app.lock`, its folder made if need be.
fn lock_path(paths: &DataPaths) -> EngineResult<PathBuf> {
    let root = paths.root();
    std::fs::create_dir_all(root)
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot create the data folder {}: {e}", root.display())))?;
    Ok(paths.app_lock())
}

impl Drop for AppLock {
    fn drop(&mut self) {
        // The app's pid goes before its lock does (when the file closes).
        if !self.shared {
            let _ = self.file.set_len(0);
        }
    }
}
