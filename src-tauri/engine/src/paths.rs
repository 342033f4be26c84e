//! Where DevTeam keeps its data: one folder per user, overridable for tests.

use std::path::{Path, PathBuf};

/// Environment variable that moves the whole data folder (tests, portable use).
pub const DATA_DIR_ENV: &str = "DEVTEAM_DATA_DIR";

/// The files and folders inside the data folder.
#[derive(Debug, Clone)]
pub struct DataPaths {
    root: PathBuf,
}

impl DataPaths {
    /// `$DEVTEAM_DATA_DIR`, else the OS app-data folder
    /// (`~/.local/share/devteam` on Linux).
    pub fn from_env() -> Self {
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            return Self::at(PathBuf::from(dir));
        }
        let root = directories::ProjectDirs::from("", "", "devteam")
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(|| std::env::temp_dir().join("devteam"));
        Self::at(root)
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join("devteam.sqlite3")
    }

    /// Copies of the database taken before each upgrade migrates it.
    pub fn backups(&self) -> PathBuf {
        self.root.join("backups")
    }

    /// Held by the desktop app while it runs on this folder (holds its pid).
    pub fn app_lock(&self) -> PathBuf {
        self.root.join("app.lock")
    }

    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }

    /// A project's own folder: its clone, worktrees and artifacts.
    pub fn project(&self, project_id: &str) -> PathBuf {
        self.root.join("projects").join(project_id)
    }
}
