//! With no Docker engine the health strip says so and how to fix it. Its own
//! test binary, because it points DOCKER_HOST (process-wide) at a dead socket.

use devteam_engine::health::{check_health, HealthStatus};
use devteam_engine::DataPaths;

#[tokio::test]
async fn a_missing_docker_engine_is_reported_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("nobody-listens.sock");
    // The only test in this process: nothing else reads the variable.
    unsafe { std::env::set_var("DOCKER_HOST", format!("unix://{}", sock.display())) };
    let report = check_health(&DataPaths::at(dir.path())).await;
    let docker = &report.checks[0];
    assert_eq!(docker.name, "Docker");
    assert_eq!(docker.status, HealthStatus::Missing);
    assert!(docker.fix.as_deref().unwrap_or("").contains("scripts/dev docker"), "{:?}", docker.fix);
    // Everything that needs no Docker still answers.
    let data = report.checks.iter().find(|c| c.name == "Data folder").unwrap();
    assert_eq!(data.status, HealthStatus::Ok);
}
