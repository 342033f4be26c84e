//! The desktop shell: thin typed commands over the engine, the bridge that
//! pushes engine events to the window, and the desktop around the window:
//! tray, notifications, single instance, window state, autostart. No domain
//! logic.

mod bridge;
pub mod commands;
mod launch;
pub mod notices;
mod settings;
mod state;
mod tray;
mod window;

use tauri::Manager;

pub use settings::{AppSettings, LoadedAppSettings, SettingsFile, SETTINGS_FILE};
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
            commands::runs::take_task,
            commands::runs::task_tree,
            commands::runs::task_runs,
            commands::runs::log_lines,
            commands::runs::run_history,
            commands::runs::project_status,
            commands::runs::run_timeline,
            commands::runs::create_demo,
            commands::runs::metrics,
            commands::runs::resource_history,
            commands::runs::host_load,
            commands::runs::set_slots,
            commands::desktop::open_artifacts,
            commands::desktop::open_url,
            commands::inject::inject_task,
            commands::inject::decide_injection,
            commands::inject::list_injections,
            commands::settings::get_app_settings,
            commands::settings::set_app_settings,
            commands::secrets::list_secrets,
            commands::secrets::set_secret,
            commands::secrets::remove_secret,
            commands::secrets::check_github_token,
        ])
        .events(tauri_specta::collect_events![bridge::EngineUpdate, window::SelectProject])
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
    let desktop = launch::Desktop::from_env();
    let settings = SettingsFile::load(SettingsFile::in_data_folder(&paths));
    let window_state_file = paths.root().join("window-state.json").to_string_lossy().into_owned();
    let builder = specta_builder();
    let mut app = tauri::Builder::default();
    if desktop.automation {
        tracing::info!("a WebDriver session drives the window: no single-instance check, no hiding to the tray");
    } else {
        // First of the plugins: a second launch hands over and exits before
        // anything else starts.
        app = app.plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(launch::instance_id(paths.root()))
                .callback(|app, _args, _cwd| {
                    tracing::info!("DevTeam was launched again: bringing this window forward");
                    window::show_main(app);
                })
                .build(),
        );
    }
    let result = app
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(window::KEPT_STATE)
                .with_filename(window_state_file)
                .build(),
        )
        .plugin(tauri_plugin_autostart::Builder::new().build())
        .manage(desktop)
        .manage(settings)
        .invoke_handler(builder.invoke_handler())
        .on_window_event(window::on_window_event)
        .setup(move |app| {
            builder.mount_events(app);
            let handle = app.handle().clone();
            let state = tauri::async_runtime::block_on(AppState::open(paths));
            let engine = state.engine().cloned();
            if let Some(engine) = &engine {
                bridge::forward_events(handle.clone(), engine.subscribe());
            }
            app.manage(state);

            let has_tray = tray::install(&handle, engine.as_ref().map(|e| e.subscribe()));
            app.state::<launch::Desktop>().set_tray(has_tray);

            let clicked = handle.clone();
            notices::desktop::on_click(&handle, move |project_id| window::open_project(&clicked, project_id));
            if let Some(engine) = &engine {
                let projects = tauri::async_runtime::block_on(engine.projects()).unwrap_or_else(|e| {
                    tracing::warn!("notifications name projects by id: {}", e.message);
                    Vec::new()
                });
                let settings = handle.clone();
                notices::desktop::spawn(handle.clone(), engine.subscribe(), notices::Notices::new(&projects), move || {
                    settings.state::<SettingsFile>().current().notify_per_task
                });
            }
            window::apply_start_minimized(&handle);
            Ok(())
        })
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        tracing::error!("DevTeam stopped with an error: {e}");
        std::process::exit(1);
    }
}
