//! The desktop shell: thin typed commands over the engine, the bridge that
//! pushes engine events to the window, and the window itself. No domain logic.

mod bridge;
mod commands;
mod state;

use tauri::Manager;

pub use state::AppState;

/// Every command and event the UI may use, for the invoke handler and for the
/// generated TypeScript bindings.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::system::app_info,
            commands::system::health,
            commands::projects::list_projects,
            commands::projects::add_project,
            commands::projects::update_project,
            commands::projects::remove_project,
            commands::runs::executions,
            commands::runs::start_run,
            commands::runs::pause_run,
            commands::runs::resume_run,
            commands::runs::stop_run,
            commands::runs::pause_all,
            commands::runs::resume_all,
            commands::runs::emergency_stop_all,
            commands::runs::review_task,
            commands::runs::task_tree,
            commands::runs::task_runs,
            commands::runs::log_lines,
            commands::runs::create_demo,
            commands::runs::host_load,
            commands::runs::set_slots,
            commands::desktop::open_artifacts,
            commands::desktop::open_url,
        ])
        .events(tauri_specta::collect_events![bridge::EngineUpdate])
        .disable_serde_phases()
}

/// Writes `ui/src/bindings.ts` (or `path`) from the Rust types.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let ts = specta_typescript::Typescript::default()
        .header("// Generated from the Rust types by `scripts/dev bindings`. Do not edit.\n");
    specta_builder().export(ts, path).map_err(|e| e.to_string())
}

/// Starts the desktop app.
pub fn run() {
    let paths = devteam_engine::DataPaths::from_env();
    let _logs = devteam_engine::logging::init_logging(&paths.logs(), "devteam")
        .map_err(|e| eprintln!("logs go to stderr only: cannot write {}: {e}", paths.logs().display()))
        .ok();
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let state = tauri::async_runtime::block_on(AppState::open(paths));
            if let Some(engine) = state.engine() {
                bridge::forward_events(app.handle().clone(), engine.subscribe());
            }
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        tracing::error!("DevTeam stopped with an error: {e}");
        std::process::exit(1);
    }
}
