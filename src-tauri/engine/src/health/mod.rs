//! The engine-health strip: is each real part this machine needs there, and
//! if not, what the person should do about it.

mod disk;
mod docker;
mod git;
mod keychain;

use serde::Serialize;

use crate::paths::DataPaths;

pub use docker::{connect_docker, DockerInfo};

/// How one part is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    /// Works, but something deserves attention (e.g. little disk left).
    Warning,
    /// Not there or not working; features that need it are unavailable.
    Missing,
}

/// One part of the health strip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct HealthCheck {
    /// Short name shown in the strip: Docker, Keychain, Git, Disk, Data folder.
    pub name: String,
    pub status: HealthStatus,
    /// One line: version, free space, or what is wrong.
    pub summary: String,
    /// What to do when it is not ok.
    pub fix: Option<String>,
}

impl HealthCheck {
    fn ok(name: &str, summary: impl Into<String>) -> Self {
        Self { name: name.into(), status: HealthStatus::Ok, summary: summary.into(), fix: None }
    }
    fn problem(name: &str, status: HealthStatus, summary: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { name: name.into(), status, summary: summary.into(), fix: Some(fix.into()) }
    }
}

/// Every check, in the order the strip shows them.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct HealthReport {
    pub checks: Vec<HealthCheck>,
}

impl HealthReport {
    pub fn all_ok(&self) -> bool {
        self.checks.iter().all(|c| c.status == HealthStatus::Ok)
    }
}

/// Runs every check; never fails, a failing part is reported in its check.
pub async fn check_health(paths: &DataPaths) -> HealthReport {
    let docker = docker::check().await;
    let root = paths.root().to_path_buf();
    let blocking = tokio::task::spawn_blocking(move || {
        vec![keychain::check(), git::check(), disk::check_space(&root), disk::check_writable(&root)]
    })
    .await
    .unwrap_or_default();
    let mut checks = vec![docker];
    checks.extend(blocking);
    HealthReport { checks }
}
