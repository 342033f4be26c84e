//! The app settings commands with the real autostart plugin (a mock Tauri
//! app, no display): turning autostart on writes the XDG autostart entry
//! that starts this executable at login, turning it off removes it, and
//! what was set is what the next start reads.

use devteam_app::commands::settings::save_and_apply;
use devteam_app::{AppSettings, SettingsFile};

#[test]
fn autostart_follows_the_setting_and_settings_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    // auto-launch writes to $HOME/.config/autostart: a home of this test's own.
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::env::set_var("HOME", &home);
    let entry = home.join(".config/autostart/test.desktop"); // the mock app is named "test"

    let app = tauri::test::mock_builder()
        .plugin(tauri_plugin_autostart::Builder::new().build())
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("a mock app builds without a display");
    let path = dir.path().join("settings.json");
    let file = SettingsFile::load(&path);
    assert!(!file.current().autostart, "off unless asked for");

    let on = AppSettings { autostart: true, selected_project_id: Some("acme-crm".into()), ..file.current() };
    save_and_apply(app.handle(), &file, on.clone()).unwrap();
    let desktop = std::fs::read_to_string(&entry).expect("the XDG autostart entry is written");
    let exe = std::env::current_exe().unwrap();
    assert!(desktop.contains(&format!("Exec={}", exe.display())), "it starts this executable:\n{desktop}");

    // The entry was removed behind the app's back: saving puts it back.
    std::fs::remove_file(&entry).unwrap();
    save_and_apply(app.handle(), &file, on.clone()).unwrap();
    assert!(entry.exists());

    assert_eq!(SettingsFile::load(&path).current(), on, "the next start reads what was set");

    save_and_apply(app.handle(), &file, AppSettings { autostart: false, ..on }).unwrap();
    assert!(!entry.exists(), "turning autostart off removes the entry");
    assert!(!SettingsFile::load(&path).current().autostart);
}
