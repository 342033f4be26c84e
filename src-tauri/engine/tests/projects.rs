//! The project registry through the engine's front door, on a real SQLite
//! file: what the app and the CLI both rely on.

use devteam_engine::project::{ExecutionOrder, Priority, ProjectDraft, TaskUnit};
use devteam_engine::{DataPaths, Engine, EngineEvent, ErrorCode};

fn draft(customer: &str, name: &str, url: &str) -> ProjectDraft {
    ProjectDraft { customer: customer.into(), name: name.into(), repo_url: url.into(), ..ProjectDraft::default() }
}

async fn engine_in(dir: &std::path::Path) -> Engine {
    Engine::open(DataPaths::at(dir)).await.expect("engine opens on an empty folder")
}

#[tokio::test]
async fn projects_survive_closing_and_reopening_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_in(dir.path()).await;
    let mut d = draft("Acme Corp", "CRM web", "https://github.com/acme/crm");
    d.order = ExecutionOrder::Dependency;
    d.unit = TaskUnit::Group;
    d.priority = Priority::High;
    d.default_agent = "aider".into();
    let added = engine.add_project(&d).await.unwrap();
    // The id is a readable slug the CLI can take.
    assert_eq!(added.id, "acme-corp-crm-web");
    engine.close().await;

    // A new engine on the same folder is what "close the app and reopen it" means.
    let engine = engine_in(dir.path()).await;
    let listed = engine.projects().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].settings, d, "every field comes back as saved");
}

#[tokio::test]
async fn edit_and_remove_change_exactly_one_project_and_emit_events() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_in(dir.path()).await;
    let mut events = engine.subscribe();
    let a = engine.add_project(&draft("Acme", "A", "git@github.com:acme/a.git")).await.unwrap();
    let b = engine.add_project(&draft("Acme", "B", "file:///srv/git/b.git")).await.unwrap();

    let mut edited = a.settings.clone();
    edited.base_branch = "develop".into();
    let updated = engine.update_project(&a.id, &edited).await.unwrap();
    assert_eq!(updated.settings.base_branch, "develop");
    assert_eq!(updated.id, a.id, "editing never renames the id");

    engine.remove_project(&b.id).await.unwrap();
    let ids: Vec<_> = engine.projects().await.unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![a.id.clone()]);

    let kinds: Vec<String> = std::iter::from_fn(|| events.try_recv().ok())
        .map(|e| match e {
            EngineEvent::ProjectAdded { project } => format!("added {}", project.id),
            EngineEvent::ProjectUpdated { project } => format!("updated {}", project.id),
            EngineEvent::ProjectRemoved { project_id } => format!("removed {project_id}"),
            other => format!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["added acme-a", "added acme-b", "updated acme-a", "removed acme-b"]);
}

#[tokio::test]
async fn a_rejected_form_names_every_bad_field_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_in(dir.path()).await;
    let mut d = draft("", "Web", "htps://github.com/acme/web");
    d.base_branch = "bad..branch".into();
    d.tasklist_path = "../outside.md".into();
    d.default_agent = "gpt-magic".into();
    let err = engine.add_project(&d).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["customer", "repo_url", "base_branch", "tasklist_path", "default_agent"]);
    assert!(err.fields[1].message.contains("htps"), "the message says what is wrong: {}", err.fields[1].message);
    assert!(engine.projects().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_second_project_with_the_same_customer_and_name_is_a_conflict_on_name() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_in(dir.path()).await;
    engine.add_project(&draft("Acme", "Web", "https://github.com/acme/web")).await.unwrap();
    let err = engine.add_project(&draft("Acme", "Web", "https://github.com/acme/web2")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(err.fields[0].field, "name");
}

#[tokio::test]
async fn missing_projects_are_not_found_errors() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_in(dir.path()).await;
    let err = engine.remove_project("nope").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = engine.update_project("nope", &draft("A", "B", "/srv/git/x")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}
