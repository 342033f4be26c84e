//! Git through libgit2 (git2), with the transports DevTeam pushes over.

use super::{HealthCheck, HealthStatus};

pub(super) fn check() -> HealthCheck {
    let v = git2::Version::get();
    let (major, minor, patch) = v.libgit2_version();
    let mut missing = Vec::new();
    if !v.https() {
        missing.push("HTTPS");
    }
    if !v.ssh() {
        missing.push("SSH");
    }
    let summary = format!("libgit2 {major}.{minor}.{patch}");
    if missing.is_empty() {
        HealthCheck::ok("Git", format!("{summary} (HTTPS, SSH)"))
    } else {
        HealthCheck::problem(
            "Git",
            HealthStatus::Warning,
            format!("{summary} without {}", missing.join(" and ")),
            "this build of DevTeam cannot push over every transport; install the official build",
        )
    }
}
