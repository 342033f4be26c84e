//! The Runner port: Docker through bollard. One hardened container per
//! project, commands run in it with their output streamed line by line and
//! every run bounded by a wall-clock and an inactivity limit.

mod container;
mod debian;
mod exec;
mod images;
mod lines;
mod stats;

use std::time::Duration;

use bollard::Docker;
use serde::Serialize;

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::health::connect_docker;

pub use container::{ContainerSpec, WORKTREE_MOUNT};
pub use debian::{RunnerSource, RUNNER_PACKAGES};
pub use images::{ImageFile, ImageRecipe};
pub use lines::LineSplitter;
pub use stats::ResourceSample;

/// Which stream a line came from; stdout and stderr are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// One line of a command's output, without its line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub stream: OutputStream,
    pub text: String,
}

/// The two limits every agent run and every check has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole run may take at most this long.
    pub wall_clock: Duration,
    /// The run is stopped after this long without a line of output.
    pub inactivity: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self { wall_clock: Duration::from_secs(30 * 60), inactivity: Duration::from_secs(5 * 60) }
    }
}

/// A command to run in a project's container.
#[derive(Debug, Clone)]
pub struct ExecSpec {
    pub argv: Vec<String>,
    /// Extra environment (secrets reach the container only this way).
    pub env: Vec<(String, String)>,
    /// Working directory inside the container (default: the worktree).
    pub workdir: Option<String>,
    pub limits: Limits,
    /// Ends the command at once when it fires (an emergency stop).
    pub cancel: Option<CancelSignal>,
    /// The secrets the output will be redacted of: a runaway line is never
    /// cut inside one of them (each piece is redacted on its own).
    pub secrets: Option<crate::redact::Redactor>,
}

/// A signal that ends a running command: the run's emergency stop.
#[derive(Debug, Clone)]
pub struct CancelSignal(tokio::sync::watch::Receiver<bool>);

impl CancelSignal {
    pub fn new(receiver: tokio::sync::watch::Receiver<bool>) -> Self {
        Self(receiver)
    }

    pub fn fired(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits until the signal fires (forever when its sender is gone).
    pub async fn wait(&mut self) {
        if self.0.wait_for(|fired| *fired).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl ExecSpec {
    pub fn new(argv: impl IntoIterator<Item = impl Into<String>>, limits: Limits) -> Self {
        Self { argv: argv.into_iter().map(Into::into).collect(), env: Vec::new(), workdir: None, limits, cancel: None, secrets: None }
    }

    /// `sh -c SCRIPT`.
    pub fn shell(script: &str, limits: Limits) -> Self {
        Self::new(["sh", "-c", script], limits)
    }
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExecEnd {
    /// It exited by itself with this status.
    Exited { code: i32 },
    /// It ran longer than the wall-clock limit and was stopped.
    WallClockLimit { seconds: u32 },
    /// It printed nothing for the inactivity limit and was stopped.
    InactivityLimit { seconds: u32 },
    /// A person's emergency stop ended it.
    Cancelled,
}

impl ExecEnd {
    pub fn succeeded(self) -> bool {
        self == ExecEnd::Exited { code: 0 }
    }

    /// Words for a report: "exit status 2", "no output for 300 s".
    pub fn describe(self) -> String {
        match self {
            ExecEnd::Exited { code } => format!("exit status {code}"),
            ExecEnd::WallClockLimit { seconds } => format!("stopped after the wall-clock limit of {seconds} s"),
            ExecEnd::InactivityLimit { seconds } => format!("stopped after {seconds} s without output"),
            ExecEnd::Cancelled => "stopped by an emergency stop".into(),
        }
    }
}

/// A connection to the local Docker engine.
#[derive(Clone, Debug)]
pub struct DockerRunner {
    docker: Docker,
}

impl DockerRunner {
    pub async fn connect() -> EngineResult<Self> {
        let (docker, info) = connect_docker().await?;
        tracing::debug!(version = %info.version, api = %info.api_version, "connected to Docker");
        Ok(Self { docker })
    }

    pub fn client(&self) -> &Docker {
        &self.docker
    }
}

/// A Docker failure, with what DevTeam was doing when it happened.
pub(crate) fn docker_error(doing: &str, err: impl std::fmt::Display) -> EngineError {
    EngineError::new(ErrorCode::Docker, format!("Docker failed while {doing}: {err}"))
}
