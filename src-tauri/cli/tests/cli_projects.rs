//! `devteam-cli projects` and `doctor` as a newcomer runs them: the real
//! binary, a fresh data folder, text for people and JSON for scripts.

use std::process::{Command, Output};

fn cli(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(args)
        .env("DEVTEAM_DATA_DIR", data)
        .output()
        .expect("devteam-cli runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn add_list_show_remove_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = cli(d, &["projects", "add", "--customer", "Acme", "--name", "CRM web", "--repo-url", "git@github.com:acme/crm.git", "--priority", "high"]);
    assert!(add.status.success(), "{}", stderr(&add));
    assert_eq!(stdout(&add).trim(), "added project acme-crm-web (Acme / CRM web)");

    let list = cli(d, &["projects", "list", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(json[0]["id"], "acme-crm-web");
    assert_eq!(json[0]["settings"]["priority"], "high");
    assert_eq!(json[0]["settings"]["base_branch"], "main", "defaults apply");

    let show = cli(d, &["projects", "show", "acme-crm-web"]);
    assert!(stdout(&show).contains("repository: git@github.com:acme/crm.git"), "{}", stdout(&show));

    let rm = cli(d, &["projects", "remove", "acme-crm-web"]);
    assert!(rm.status.success());
    let list = cli(d, &["projects", "list"]);
    assert!(stdout(&list).contains("no projects yet"), "{}", stdout(&list));
}

#[test]
fn bad_input_exits_2_and_names_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["projects", "add", "--customer", "Acme", "--name", "Web", "--repo-url", "not a url"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--repo-url: a repository address cannot contain spaces"), "{err}");

    let missing = cli(dir.path(), &["projects", "remove", "ghost", "--json"]);
    assert_eq!(missing.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(json["error"]["code"], "not_found");
}

#[test]
fn a_corrupt_database_is_reported_not_panicked_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("devteam.sqlite3"), vec![7u8; 8192]).unwrap();
    let out = cli(dir.path(), &["projects", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("devteam.sqlite3") && err.contains("corrupt"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn doctor_reports_every_part_and_fails_without_docker() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(["doctor", "--json"])
        .env("DEVTEAM_DATA_DIR", dir.path())
        .env("DOCKER_HOST", format!("unix://{}/none.sock", dir.path().display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a missing engine is a failure");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let names: Vec<&str> = json["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Docker", "Keychain", "Git", "Disk", "Data folder"]);
    assert_eq!(json["checks"][0]["status"], "missing");
}

#[test]
fn doctor_passes_on_a_set_up_machine() {
    // scripts/dev test starts dockerd and a keyring; this is the green path.
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["doctor"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("[ok  ] Docker"), "{}", stdout(&out));
}
