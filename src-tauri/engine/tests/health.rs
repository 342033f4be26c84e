//! The health strip against the real parts that scripts/dev starts: a Docker
//! engine, the Secret Service, libgit2 and the data folder.

use devteam_engine::health::{check_health, HealthStatus};
use devteam_engine::DataPaths;

#[tokio::test]
async fn every_real_part_answers_on_a_set_up_machine() {
    let dir = tempfile::tempdir().unwrap();
    let report = check_health(&DataPaths::at(dir.path())).await;
    let names: Vec<&str> = report.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Docker", "Keychain", "Git", "Disk", "Data folder"]);
    for check in &report.checks {
        // Disk may warn on a nearly full machine; nothing may be missing.
        assert_ne!(check.status, HealthStatus::Missing, "{}: {} ({:?})", check.name, check.summary, check.fix);
    }
    let docker = &report.checks[0];
    assert!(docker.summary.starts_with("Engine "), "shows the engine version: {}", docker.summary);
    assert!(docker.summary.contains("API 1."), "shows the negotiated API version: {}", docker.summary);
}
