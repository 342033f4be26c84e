//! An installed DevTeam is upgraded in place: the first start of a newer
//! version finds the user's database at an older schema. It must migrate it
//! keeping every row, with a copy of the old file saved first; and an older
//! DevTeam started on a newer file must refuse without touching it.
//!
//! The old database is made the way an older release made it: sqlx's own
//! migrator over copies of the migrations that release had (0001..0003 are
//! frozen: migrations are never edited once landed).

use std::path::Path;
use std::str::FromStr;

use devteam_engine::store::{latest_schema_version, AppLock};
use devteam_engine::{DataPaths, Engine, ErrorCode};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;

const OLD_VERSION: i64 = 3;

async fn pool_at(path: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::from_str("sqlite://")
        .unwrap()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap()
}

/// A database as DevTeam at schema version 3 left it: migrated by sqlx from
/// copies of 0001..0003, with a project, a task run and a log line in it.
/// The returned pool is still open, with the rows only in the WAL (no
/// checkpoint), as a killed old release leaves them: the backup must hold
/// them all the same.
async fn old_database(paths: &DataPaths) -> SqlitePool {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let old = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let version: i64 = name.split('_').next().unwrap().parse().unwrap();
        if version <= OLD_VERSION {
            std::fs::copy(entry.path(), old.path().join(&name)).unwrap();
            copied += 1;
        }
    }
    assert_eq!(copied, OLD_VERSION, "0001..0003 exist");
    let migrator = sqlx::migrate::Migrator::new(old.path()).await.unwrap();
    std::fs::create_dir_all(paths.root()).unwrap();
    let pool = pool_at(&paths.database()).await;
    migrator.run(&pool).await.unwrap();
    sqlx::query("PRAGMA wal_autocheckpoint = 0").execute(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO projects (id, customer, name, repo_url, base_branch, tasklist_path, execution_order, \
         unit, default_agent, priority, created_at, updated_at) VALUES ('acme-crm', 'Acme', 'CRM', \
         '/srv/git/crm', 'main', 'tasks_list.md', 'sequential', 'leaf', 'script', 'high', \
         '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO task_runs (project_id, task_id, title, branch, step, status, attempts, agent, \
         commit_id, started_at, updated_at, finished_at) VALUES ('acme-crm', '1.1', 'Login form', \
         'task/1.1-login-form', 'done', 'done', 1, 'script', 'abc123', '2025-01-01T00:00:00Z', \
         '2025-01-01T00:01:00Z', '2025-01-01T00:01:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO run_log (project_id, task_id, step, stream, line, at) \
         VALUES ('acme-crm', '1.1', 'implement', 'stdout', 'wrote login.html', '2025-01-01T00:00:30Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool
}

async fn versions(path: &Path) -> Vec<i64> {
    let pool = pool_at(path).await;
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT version FROM _sqlx_migrations ORDER BY version").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.into_iter().map(|(v,)| v).collect()
}

fn backups(paths: &DataPaths) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(paths.backups())
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[tokio::test]
async fn an_older_database_is_backed_up_then_migrated_keeping_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let old = old_database(&paths).await;
    let wal = dir.path().join("devteam.sqlite3-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the old rows wait in the WAL");

    let engine = Engine::open(paths.clone()).await.expect("the newer engine opens the older file");
    old.close().await;

    // Migrated: every migration this binary knows is recorded...
    let all: Vec<i64> = (1..=latest_schema_version()).collect();
    assert!(latest_schema_version() > OLD_VERSION);
    // ...and the rows made by the old release are all there, read through
    // the new engine's own queries.
    let projects = engine.projects().await.unwrap();
    assert_eq!(projects.len(), 1, "the project survives");
    assert_eq!(projects[0].id, "acme-crm");
    assert_eq!(projects[0].settings.customer, "Acme");
    let runs = engine.task_runs("acme-crm").await.unwrap();
    assert_eq!(runs.len(), 1, "the task run survives");
    assert_eq!(runs[0].task_id, "1.1");
    assert_eq!(runs[0].commit_id.as_deref(), Some("abc123"));
    let lines = engine.log_lines("acme-crm", None, 0, 100).await.unwrap();
    assert_eq!(lines.len(), 1, "the log line survives");
    assert_eq!(lines[0].line, "wrote login.html");
    engine.close().await;
    assert_eq!(versions(&paths.database()).await, all);

    // One backup, named after the old schema version, holding the old
    // schema and the old rows: a person can go back to it.
    let saved = backups(&paths);
    assert_eq!(saved.len(), 1, "one backup: {saved:?}");
    let name = saved[0].file_name().unwrap().to_str().unwrap().to_string();
    assert!(name.starts_with(&format!("devteam-{OLD_VERSION}-")) && name.ends_with(".sqlite3"), "{name}");
    assert_eq!(versions(&saved[0]).await, vec![1, 2, 3], "the backup has the old schema");
    let pool = pool_at(&saved[0]).await;
    let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM run_log").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 1, "the backup has the rows");
    let has_new: Option<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE name = 'executions'").fetch_optional(&pool).await.unwrap();
    assert!(has_new.is_none(), "the backup has no table of the newer schema");
    pool.close().await;

    // Opening again: nothing pending, so no second backup.
    let engine = Engine::open(paths.clone()).await.unwrap();
    engine.close().await;
    assert_eq!(backups(&paths).len(), 1, "an up-to-date database is not backed up again");
}

#[tokio::test]
async fn a_new_database_makes_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    engine.close().await;
    assert!(backups(&paths).is_empty(), "nothing to save on a first start");
}

#[tokio::test]
async fn a_database_from_a_newer_devteam_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    let engine = Engine::open(paths.clone()).await.unwrap();
    engine.close().await;
    // A newer DevTeam recorded a migration this binary has never heard of.
    let future = latest_schema_version() + 1000;
    let pool = pool_at(&paths.database()).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (?, 'from the future', TRUE, X'00', 1)",
    )
    .bind(future)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let before = std::fs::read(paths.database()).unwrap();

    for open in [false, true] {
        let err = if open {
            Engine::open_exclusive(paths.clone()).await.unwrap_err()
        } else {
            Engine::open(paths.clone()).await.unwrap_err()
        };
        assert_eq!(err.code, ErrorCode::Database);
        let m = &err.message;
        assert!(m.contains(&paths.database().display().to_string()), "names the file: {m}");
        assert!(m.contains(&format!("schema version {future}")), "names the file's schema version: {m}");
        assert!(
            m.contains(&format!("schema version {})", latest_schema_version())),
            "names the binary's schema version: {m}"
        );
        assert!(m.contains("Use the newer DevTeam"), "says what to do: {m}");
    }
    assert_eq!(std::fs::read(paths.database()).unwrap(), before, "the file's bytes are unchanged");
    assert!(backups(&paths).is_empty(), "no backup of a file it does not migrate");
}

#[tokio::test]
async fn one_app_per_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    assert_eq!(AppLock::holder(&paths).unwrap(), None, "a folder never opened has no holder");

    let app = Engine::open_exclusive(paths.clone()).await.unwrap();
    assert!(app.holds_app_lock());
    let pid = std::fs::read_to_string(paths.app_lock()).unwrap();
    assert_eq!(pid.trim(), std::process::id().to_string(), "the lock file holds the app's pid");
    let holder = AppLock::holder(&paths).unwrap().expect("the app holds it");
    assert_eq!(holder.pid, Some(std::process::id()));

    // flock belongs to one open file, so a second app in this very process
    // is refused just as one in another process is.
    let err = Engine::open_exclusive(paths.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("DevTeam is already running"), "{}", err.message);
    assert!(err.message.contains(&format!("pid {}", std::process::id())), "names the pid: {}", err.message);
    assert!(err.message.contains(&dir.path().display().to_string()), "names the folder: {}", err.message);

    // A reader beside it (what the CLI's status does) still opens.
    let reader = Engine::open(paths.clone()).await.unwrap();
    assert!(!reader.holds_app_lock());
    reader.close().await;

    // The lock lives as long as any clone of the app's engine.
    let clone = app.clone();
    app.close().await;
    drop(app);
    assert!(AppLock::holder(&paths).unwrap().is_some(), "a clone keeps it");
    drop(clone);
    assert_eq!(AppLock::holder(&paths).unwrap(), None, "released with the last clone");
    let again = Engine::open_exclusive(paths.clone()).await.expect("the next app starts");
    again.close().await;
}

#[tokio::test]
async fn a_reader_beside_a_running_older_app_does_not_migrate_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::at(dir.path());
    old_database(&paths).await.close().await;
    // The older app, in another process, holds the folder: util-linux's
    // flock(1) takes the same flock(2) lock AppLock takes (`--no-fork`: the
    // process killed below is the one holding it).
    std::fs::write(paths.app_lock(), "4242\n").unwrap();
    let mut app = std::process::Command::new("flock")
        .args(["--exclusive", "--no-fork", paths.app_lock().to_str().unwrap(), "sleep", "60"])
        .spawn()
        .expect("flock(1) from util-linux");
    let mut held = false;
    for _ in 0..100 {
        if AppLock::holder(&paths).unwrap().is_some() {
            held = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(held, "the other process holds the lock");

    let err = Engine::open(paths.clone()).await.unwrap_err();
    let _ = app.kill();
    let _ = app.wait();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("pid 4242"), "names the app: {}", err.message);
    assert!(err.message.contains("older database schema (version 3)"), "{}", err.message);
    assert_eq!(versions(&paths.database()).await, vec![1, 2, 3], "not migrated under the running app");
    assert!(backups(&paths).is_empty());

    // With the app gone, the same open upgrades.
    let engine = Engine::open(paths.clone()).await.unwrap();
    engine.close().await;
    assert_eq!(backups(&paths).len(), 1);
}
