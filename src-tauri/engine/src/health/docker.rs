//! Docker through bollard: connect with API version negotiation, so Debian's
//! Engine 20.10 (API 1.41) and newer engines both answer.

use std::time::Duration;

use bollard::Docker;

use super::{HealthCheck, HealthStatus};
use crate::error::{EngineError, EngineResult, ErrorCode};

const TIMEOUT: Duration = Duration::from_secs(4);
const FIX: &str = "start the Docker engine: `scripts/dev docker` (or `sudo systemctl start docker`)";

/// What the engine says about itself.
#[derive(Debug, Clone)]
pub struct DockerInfo {
    pub version: String,
    pub api_version: String,
}

/// A client talking to the local engine at the negotiated API version.
pub async fn connect_docker() -> EngineResult<(Docker, DockerInfo)> {
    let unreachable = |e: String| EngineError::new(ErrorCode::Docker, format!("no Docker engine answers: {e}; {FIX}"));
    let client = Docker::connect_with_local_defaults().map_err(|e| unreachable(e.to_string()))?;
    let client = tokio::time::timeout(TIMEOUT, client.negotiate_version())
        .await
        .map_err(|_| unreachable("timed out".into()))?
        .map_err(|e| unreachable(e.to_string()))?;
    let version = tokio::time::timeout(TIMEOUT, client.version())
        .await
        .map_err(|_| unreachable("timed out".into()))?
        .map_err(|e| unreachable(e.to_string()))?;
    let info = DockerInfo {
        version: version.version.unwrap_or_else(|| "unknown".into()),
        api_version: client.client_version().to_string(),
    };
    Ok((client, info))
}

pub(super) async fn check() -> HealthCheck {
    match connect_docker().await {
        Ok((_, info)) => HealthCheck::ok("Docker", format!("Engine {} (API {})", info.version, info.api_version)),
        Err(e) => HealthCheck::problem("Docker", HealthStatus::Missing, "no Docker engine answers", format!("{FIX} ({})", e.message)),
    }
}
