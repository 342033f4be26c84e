//! One run per project at a time, across processes: the window and the CLI
//! (or two CLIs) must never walk the same project's clone at once.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use fs4::fs_std::FileExt;

use crate::error::{EngineError, EngineResult, ErrorCode};

/// Held while a project runs; the OS releases it if the process dies.
#[derive(Debug)]
pub struct ProjectRunLock {
    _file: File,
}

impl ProjectRunLock {
    /// Takes the project's run lock in `dir` (its data folder), or says who
    /// holds it.
    pub fn acquire(dir: &Path, project_id: &str) -> EngineResult<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join("run.lock");
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot open {}: {e}", path.display())))?;
        let locked = FileExt::try_lock_exclusive(&file)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot lock {}: {e}", path.display())))?;
        if !locked {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            return Err(EngineError::new(
                ErrorCode::Conflict,
                format!("{project_id} is already running in another DevTeam process ({}); pause or stop it there first", holder.trim()),
            ));
        }
        file.set_len(0).ok();
        let _ = write!(file, "pid {}", std::process::id());
        Ok(Self { _file: file })
    }
}
