//! Free space and write access of the data folder, where clones and
//! artifacts live.

use std::path::Path;

use super::{HealthCheck, HealthStatus};

/// Below this, clones and images start failing: warn early.
const LOW_SPACE: u64 = 5 * 1024 * 1024 * 1024;

pub(super) fn check_space(root: &Path) -> HealthCheck {
    let probe = existing_ancestor(root);
    match fs4::available_space(probe) {
        Ok(free) if free < LOW_SPACE => HealthCheck::problem(
            "Disk",
            HealthStatus::Warning,
            format!("{} free", human_bytes(free)),
            format!("free space on the disk holding {} (clones and images need several GB)", root.display()),
        ),
        Ok(free) => HealthCheck::ok("Disk", format!("{} free", human_bytes(free))),
        Err(e) => HealthCheck::problem("Disk", HealthStatus::Missing, format!("cannot read free space: {e}"), "check the data folder's disk"),
    }
}

pub(super) fn check_writable(root: &Path) -> HealthCheck {
    let attempt = std::fs::create_dir_all(root).and_then(|_| {
        let probe = root.join(".write-probe");
        std::fs::write(&probe, b"ok")?;
        std::fs::remove_file(&probe)
    });
    match attempt {
        Ok(()) => HealthCheck::ok("Data folder", root.display().to_string()),
        Err(e) => HealthCheck::problem(
            "Data folder",
            HealthStatus::Missing,
            format!("{} is not writable: {e}", root.display()),
            "fix the folder's permissions or set DEVTEAM_DATA_DIR to a writable folder",
        ),
    }
}

fn existing_ancestor(path: &Path) -> &Path {
    path.ancestors().find(|p| p.exists()).unwrap_or(Path::new("/"))
}

/// `1536` → `1.5 KiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}
