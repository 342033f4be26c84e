//! Lock files that hold a pid: the data folder's app lock and each
//! project's run lock. `flock(2)` through fs4, so the OS releases a lock when
//! its process ends, however it ends, and a second open in the same process
//! conflicts too.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use fs4::fs_std::FileExt;

use crate::error::{EngineError, EngineResult, ErrorCode};

/// Opens (creating) `path` and takes its exclusive lock with this process's
/// pid written in; `None` when another open file holds it.
pub(crate) fn try_lock_with_pid(path: &Path) -> EngineResult<Option<File>> {
    let mut file = open_lock_file(path)?;
    let locked = FileExt::try_lock_exclusive(&file)
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot lock {}: {e}", path.display())))?;
    if !locked {
        return Ok(None);
    }
    file.set_len(0)
        .and_then(|()| writeln!(file, "{}", std::process::id()))
        .and_then(|()| file.flush())
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(file))
}

/// Opens (creating, never truncating) a lock file for reading and writing.
pub(crate) fn open_lock_file(path: &Path) -> EngineResult<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot open {}: {e}", path.display())))
}

/// The pid written in a lock file, if any.
pub(crate) fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().trim_start_matches("pid ").parse().ok()
}
