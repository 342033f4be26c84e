//! Startup against a bad database file: a clear error naming the file, never
//! a panic, and never a rewrite of the user's file.

use devteam_engine::{DataPaths, Engine, ErrorCode};

#[tokio::test]
async fn a_corrupt_database_is_named_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let garbage = b"this is not sqlite at all, just some bytes a crash left behind".repeat(100);
    std::fs::write(paths.database(), &garbage).unwrap();
    let err = Engine::open(paths.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Database);
    assert!(err.message.contains(&paths.database().display().to_string()), "names the file: {}", err.message);
    assert!(err.message.contains("corrupt"), "says what is wrong: {}", err.message);
    assert_eq!(std::fs::read(paths.database()).unwrap(), garbage, "the file is not rewritten");
}

#[tokio::test]
async fn an_unwritable_data_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the data folder should be: no user (not even root)
    // can create a database inside it.
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"").unwrap();
    let paths = DataPaths::at(blocker.join("nested"));
    let err = Engine::open(paths).await.unwrap_err();
    assert!(matches!(err.code, ErrorCode::Io | ErrorCode::Database), "{err:?}");
    assert!(err.message.contains("nested") || err.message.contains("data"), "names the place: {}", err.message);
}

#[tokio::test]
async fn the_database_runs_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    engine.add_project(&devteam_engine::project::ProjectDraft {
        customer: "A".into(), name: "B".into(), repo_url: "/srv/git/b".into(), ..Default::default()
    }).await.unwrap();
    // WAL keeps a -wal file beside the database while connections are open.
    let wal = dir.path().join("devteam.sqlite3-wal");
    assert!(wal.exists(), "expected {} to exist in WAL mode", wal.display());
    engine.close().await;
}
