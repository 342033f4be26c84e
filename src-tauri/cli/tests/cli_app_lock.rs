//! The CLI beside a running desktop app: the app's engine owns the data
//! folder's writes, so a writing command (`run`, `demo`, `resume`,
//! `review`, `take`, `serve`, `start`, `inject`, `projects add|remove`) is
//! refused with the reason and what to use instead, while reading
//! (`status`, `logs`, `projects list`) and steering (`pause`, `stop`: a
//! request row the app polls) keep working. The other way round, the app
//! does not start while a CLI command writes. The real binary, against a
//! lock held through the engine's API, the way the app holds it.

use std::process::{Command, Output};

use devteam_engine::{DataPaths, Engine};

fn cli(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(args)
        .env("DEVTEAM_DATA_DIR", data)
        .output()
        .expect("devteam-cli runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn writing_commands_are_refused_while_the_app_runs_reading_ones_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A project made before the app started, so there is something to read.
    let add = cli(d, &["projects", "add", "--customer", "Acme", "--name", "CRM", "--repo-url", "/srv/git/crm"]);
    assert!(add.status.success(), "{}", text(&add.stderr));

    let app = Engine::open_exclusive(DataPaths::at(d)).await.expect("the app takes the folder");
    let pid = std::process::id();
    let wanted = format!(
        "DevTeam is running on this data folder (pid {pid}): use its window, or \
         `devteam-cli pause|stop|status|logs`, which work beside it"
    );

    let writers: [&[&str]; 12] = [
        &["run", "acme-crm"],
        &["serve"],
        &["resume", "acme-crm"],
        &["demo", "--quiet"],
        &["review", "acme-crm", "retry"],
        &["take", "acme-crm", "1.1"],
        &["start", "acme-crm"],
        &["inject", "acme-crm", "Add a footer", "--priority"],
        &["injections", "acme-crm", "approve", "1"],
        &["run", "acme-crm", "--before", "1.2"],
        &["projects", "add", "--customer", "Acme", "--name", "Shop", "--repo-url", "/srv/git/shop"],
        &["projects", "remove", "acme-crm"],
    ];
    for args in writers {
        let out = cli(d, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "`{}` exits 2 (conflict): {err}", args.join(" "));
        assert!(err.contains(&wanted), "`{}` says why and what to use: {err}", args.join(" "));
    }
    // Refused before anything was written: the project is still there, alone.
    let projects = app.projects().await.unwrap();
    assert_eq!(projects.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["acme-crm"]);

    let status = cli(d, &["status", "acme-crm"]);
    assert!(status.status.success(), "status works beside the app: {}", text(&status.stderr));
    assert!(text(&status.stdout).contains("acme-crm: never run"), "{}", text(&status.stdout));
    let list = cli(d, &["projects", "list"]);
    assert!(list.status.success() && text(&list.stdout).contains("acme-crm"), "{}", text(&list.stderr));
    let logs = cli(d, &["logs", "acme-crm"]);
    assert!(logs.status.success(), "logs works beside the app: {}", text(&logs.stderr));
    // pause reaches the engine (it answers about the project, not the lock).
    let pause = cli(d, &["pause", "acme-crm"]);
    assert!(!text(&pause.stderr).contains("DevTeam is running"), "pause is not refused: {}", text(&pause.stderr));

    // Once the app is gone, writing works again.
    app.close().await;
    drop(app);
    let rm = cli(d, &["projects", "remove", "acme-crm"]);
    assert!(rm.status.success(), "{}", text(&rm.stderr));
}

#[tokio::test]
async fn the_app_does_not_start_while_a_cli_command_writes_and_cli_writers_share_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `serve --forever` writes (it runs queued projects) until it is stopped.
    let mut serve = Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(["serve", "--forever"])
        .env("DEVTEAM_DATA_DIR", d)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("devteam-cli serve starts");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(serve.stdout.take().unwrap()), &mut line).unwrap();
    assert!(line.starts_with("serving with"), "{line}");

    let err = Engine::open_exclusive(DataPaths::at(d)).await.expect_err("no app beside a writing CLI");
    assert_eq!(err.code, devteam_engine::ErrorCode::Conflict);
    assert!(err.message.contains("a devteam-cli command is changing the data folder"), "{}", err.message);

    // Another writer works beside it (each project has its own run lock).
    let add = cli(d, &["projects", "add", "--customer", "Acme", "--name", "CRM", "--repo-url", "/srv/git/crm"]);
    assert!(add.status.success(), "a second CLI writer is fine: {}", text(&add.stderr));

    serve.kill().unwrap();
    serve.wait().unwrap();
    let app = Engine::open_exclusive(DataPaths::at(d)).await.expect("the app starts once the CLI is gone");
    assert!(app.holds_app_lock());
}
