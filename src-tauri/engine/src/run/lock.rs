//! One run per project at a time, across processes: the window and the CLI
//! (or two CLIs) must never walk the same project's clone at once.

use std::fs::File;
use std::path::Path;

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
        let Some(file) = crate::lockfile::try_lock_with_pid(&path)? else {
            let holder = crate::lockfile::read_pid(&path).map_or_else(|| "pid unknown".to_string(), |p| format!("pid {p}"));
            return Err(EngineError::new(
                ErrorCode::Conflict,
                format!("{project_id} is already running in another DevTeam process ({holder}); pause or stop it there first"),
            ));
        };
        Ok(Self { _file: file })
    }
}
