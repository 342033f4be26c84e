//! The desktop app for real: the built app under a display, its tray menu
//! read and clicked the way a desktop panel does it, over D-Bus
//! (libayatana-appindicator exports the menu as `com.canonical.dbusmenu`),
//! its window read and placed with xdotool (Xvfb has no window manager, so
//! what the app asks for is what X shows).
//!
//! - A project with a slow task runs; the counts line follows it, "Pause
//!   all" pauses it, a second launch on the same data folder hands over and
//!   exits, and "Quit" ends the app.
//! - The window comes back at the size and place it was left; with "start
//!   minimized" the app starts hidden in the tray, and launching it again
//!   brings the window forward.
//!
//! Needs a display, a session bus and Docker, as `scripts/dev test` gives:
//! `bash -c 'source scripts/lib.sh; with_keyring with_display cargo test -p devteam --test tray'`

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use devteam_engine::orchestrator::StartOptions;
use devteam_engine::project::ProjectDraft;
use devteam_engine::{DataPaths, Engine};
use zbus::zvariant::{OwnedValue, Value};

const MENU_INTERFACE: &str = "com.canonical.dbusmenu";
const ITEMS_ROOT: &str = "/org/ayatana/NotificationItem";

/// The app process, killed if the test ends early.
struct App(Child);

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn launch(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_devteam"));
    cmd.env("DEVTEAM_DATA_DIR", data)
        // WebKit inside a container: no GPU, no sandboxing namespaces.
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env_remove("TAURI_WEBVIEW_AUTOMATION")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A project whose first task takes a while (so it is seen running and can
/// be paused mid-run), queued so the app starts it.
fn queue_slow_project(dir: &Path, data: &Path) {
    let work = dir.join("work");
    std::fs::create_dir_all(work.join("ai_docs/tasks")).unwrap();
    std::fs::write(
        work.join("ai_docs/tasks/tasks_list.md"),
        "# Slow — Task List\n\nPhase 1: Slow work (Dependencies: [])\n\n\
         - 1.1 Think for a while (Dependencies: [])\n  ```sh\n  sleep 10\n  echo one > one.txt\n  ```\n  \
         - <criterion key=\"f.one\" kind=\"ops\" check=\"file\" path=\"one.txt\">\n\n\
         - 1.2 Then write two (Dependencies: [1.1])\n  ```sh\n  echo two > two.txt\n  ```\n  \
         - <criterion key=\"f.two\" kind=\"ops\" check=\"file\" path=\"two.txt\">\n",
    )
    .unwrap();
    let git = |args: &[&str], cwd: &Path| {
        let ok = Command::new("git")
            .args(["-c", "user.name=DevTeam Test", "-c", "user.email=test@devteam.invalid"])
            .args(args)
            .current_dir(cwd)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"], &work);
    git(&["add", "-A"], &work);
    git(&["commit", "-qm", "tasks"], &work);
    let bare = dir.join("slow.git");
    git(&["clone", "-q", "--bare", work.to_str().unwrap(), bare.to_str().unwrap()], dir);

    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let engine = Engine::open(DataPaths::at(data)).await.unwrap();
        let draft = ProjectDraft {
            customer: "Acme".into(),
            name: "Slow".into(),
            repo_url: bare.display().to_string(),
            default_agent: "script".into(),
            ..ProjectDraft::default()
        };
        let project = engine.add_project(&draft).await.unwrap();
        engine.queue_project(&project.id, &StartOptions::default()).await.unwrap();
        engine.close().await;
    });
}

/// A dbusmenu layout node: id, properties, children (each a variant of a node).
type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// One menu item: its dbusmenu id, label and whether it can be clicked.
#[derive(Debug, Clone)]
struct Item {
    id: i32,
    label: String,
    enabled: bool,
}

/// The app's tray menu on the session bus.
struct TrayMenu {
    bus: zbus::blocking::Connection,
    owner: String,
    path: String,
}

impl TrayMenu {
    /// Waits for the app with process id `pid` to export its tray menu.
    fn find(pid: u32) -> Self {
        // A call to a process that does not answer must fail, not hang the test.
        let bus = zbus::blocking::connection::Builder::session()
            .unwrap()
            .method_timeout(Duration::from_secs(5))
            .build()
            .expect("a session bus (use with_keyring)");
        let dbus = zbus::blocking::fdo::DBusProxy::new(&bus).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            for name in dbus.list_names().unwrap() {
                if !name.starts_with(':') {
                    continue;
                }
                let owner = name.to_string();
                let Ok(owner_pid) = dbus.get_connection_unix_process_id(name.into()) else { continue };
                if owner_pid != pid {
                    continue;
                }
                let Some(item) = child_node(&bus, &owner, ITEMS_ROOT) else { continue };
                return Self { bus, owner, path: format!("{ITEMS_ROOT}/{item}/Menu") };
            }
            assert!(Instant::now() < deadline, "the app exported no tray menu within 60 s");
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn items(&self) -> Vec<Item> {
        let reply = self
            .bus
            .call_method(Some(self.owner.as_str()), self.path.as_str(), Some(MENU_INTERFACE), "GetLayout", &(0i32, -1i32, vec!["label", "enabled"]))
            .unwrap();
        let (_revision, (_root, _props, children)): (u32, Node) = reply.body().deserialize().unwrap();
        children
            .into_iter()
            .filter_map(|child| {
                let (id, props, _): Node = child.try_into().ok()?;
                let label = props.get("label").and_then(|v| String::try_from(v.try_clone().ok()?).ok())?;
                let enabled = props.get("enabled").and_then(|v| bool::try_from(&**v).ok()).unwrap_or(true);
                Some(Item { id, label, enabled })
            })
            .collect()
    }

    fn item(&self, label: &str) -> Item {
        let items = self.items();
        items.iter().find(|i| i.label == label).cloned().unwrap_or_else(|| panic!("no item {label:?} in {items:?}"))
    }

    /// Waits until an item reads `label` (and is enabled or not, if said).
    fn wait_for(&self, label: &str, enabled: Option<bool>, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let items = self.items();
            if items.iter().any(|i| i.label == label && enabled.is_none_or(|e| i.enabled == e)) {
                return;
            }
            assert!(Instant::now() < deadline, "the tray never showed {label:?} (enabled: {enabled:?}): {items:?}");
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Clicks an item, as a panel does when the person picks it.
    fn click(&self, label: &str) {
        let item = self.item(label);
        assert!(item.enabled, "{label:?} is disabled");
        self.bus
            .call_method(
                Some(self.owner.as_str()),
                self.path.as_str(),
                Some(MENU_INTERFACE),
                "Event",
                &(item.id, "clicked", Value::I32(0), 0u32),
            )
            .unwrap();
    }
}

/// The first child node of `path` on `owner`, from its introspection data.
fn child_node(bus: &zbus::blocking::Connection, owner: &str, path: &str) -> Option<String> {
    let reply = bus
        .call_method(Some(owner), path, Some("org.freedesktop.DBus.Introspectable"), "Introspect", &())
        .ok()?;
    let xml: String = reply.body().deserialize().ok()?;
    let start = xml.find("<node name=\"")? + "<node name=\"".len();
    let end = xml[start..].find('"')? + start;
    Some(xml[start..end].to_string())
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_tray_counts_runs_pauses_them_and_quits() {
    assert!(std::env::var_os("DISPLAY").is_some(), "no display: run under with_display (scripts/lib.sh)");
    assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(), "no session bus: run under with_keyring (scripts/lib.sh)");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    queue_slow_project(dir.path(), &data);

    eprintln!("project queued; starting the app");
    let mut app = App(launch(&data).spawn().expect("the app binary starts"));
    let menu = TrayMenu::find(app.0.id());
    eprintln!("tray menu found at {} {}", menu.owner, menu.path);
    let labels: Vec<String> = menu.items().into_iter().map(|i| i.label).collect();
    for expected in ["Open DevTeam", "Pause all", "Resume all", "Emergency stop", "Quit"] {
        assert!(labels.iter().any(|l| l == expected), "{expected:?} in {labels:?}");
    }
    for line in ["Blocked: 0", "Waiting for approval: 0"] {
        assert!(!menu.item(line).enabled, "count lines are information, not actions");
    }

    // The queued project starts; the counts follow its execution.
    menu.wait_for("Running: 1", Some(false), Duration::from_secs(120));
    assert!(menu.item("Pause all").enabled && menu.item("Emergency stop").enabled);
    assert!(!menu.item("Resume all").enabled, "nothing is paused yet");

    // Launched again on the same data folder: hands over to this one, exits.
    let mut second = launch(&data).spawn().unwrap();
    let status = wait_exit(&mut second, Duration::from_secs(30)).expect("the second launch exits");
    assert!(status.success(), "{status:?}");
    assert!(app.0.try_wait().unwrap().is_none(), "the first instance goes on");
    let logs = std::fs::read_dir(data.join("logs")).unwrap();
    let logged: String = logs.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default()).collect();
    assert!(logged.contains("launched again"), "the first instance was told, and brought its window forward");

    // Pause all: the run stops at its next step boundary.
    menu.click("Pause all");
    menu.wait_for("Running: 0", None, Duration::from_secs(60));
    menu.wait_for("Resume all", Some(true), Duration::from_secs(10));
    assert!(!menu.item("Pause all").enabled);

    // Nothing runs: Quit ends the app at once, without a question.
    menu.click("Quit");
    let status = wait_exit(&mut app.0, Duration::from_secs(20)).expect("Quit ends the app");
    assert!(status.success(), "{status:?}");
}

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool").args(args).output().expect("xdotool is installed (scripts/dev setup)");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The app's visible top-level window, once it is mapped.
fn visible_window(pid: u32, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    loop {
        let found = xdotool(&["search", "--onlyvisible", "--pid", &pid.to_string(), "--name", "^DevTeam$"]);
        if let Some(id) = found.lines().next() {
            return Some(id.to_string());
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// `(x, y, width, height)` of a window.
fn geometry(window: &str) -> (i32, i32, i32, i32) {
    let shell = xdotool(&["getwindowgeometry", "--shell", window]);
    let value = |key: &str| -> i32 {
        shell.lines().find_map(|l| l.strip_prefix(&format!("{key}="))).and_then(|v| v.parse().ok()).unwrap_or(-1)
    };
    (value("X"), value("Y"), value("WIDTH"), value("HEIGHT"))
}

/// Waits until the app's visible window has `wanted` geometry; returns
/// what it has then. The window is looked up again each time: GTK may
/// replace the X window while it sets the app up.
fn wait_geometry(pid: u32, wanted: (i32, i32, i32, i32), within: Duration) -> (i32, i32, i32, i32) {
    let deadline = Instant::now() + within;
    loop {
        let now = visible_window(pid, Duration::ZERO).map_or((-1, -1, -1, -1), |w| geometry(&w));
        if now == wanted || Instant::now() >= deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn quit(app: &mut App, menu: &TrayMenu) {
    menu.click("Quit");
    let status = wait_exit(&mut app.0, Duration::from_secs(20)).expect("Quit ends the app");
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_window_keeps_its_place_starts_hidden_when_asked_and_a_second_launch_shows_it() {
    assert!(std::env::var_os("DISPLAY").is_some(), "no display: run under with_display (scripts/lib.sh)");
    assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(), "no session bus: run under with_keyring (scripts/lib.sh)");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // First start: the person gives the window a size and a place, then quits.
    let mut app = App(launch(&data).spawn().expect("the app binary starts"));
    let menu = TrayMenu::find(app.0.id());
    let wanted = (140, 90, 1000, 700);
    let deadline = Instant::now() + Duration::from_secs(30);
    let placed = loop {
        let window = visible_window(app.0.id(), Duration::from_secs(60)).expect("the window shows");
        xdotool(&["windowsize", &window, "1000", "700"]);
        xdotool(&["windowmove", &window, "140", "90"]);
        let now = wait_geometry(app.0.id(), wanted, Duration::from_secs(3));
        if now == wanted || Instant::now() >= deadline {
            break now;
        }
    };
    // What X shows at once, the app hears of a moment later (a busy
    // machine): a person does not quit within the same second either.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!((placed.2, placed.3), (1000, 700), "the window took the size: {placed:?}");
    quit(&mut app, &menu);
    assert!(data.join("window-state.json").exists(), "the size and place are kept in the data folder");

    // Second start: the window is where it was left.
    let mut app = App(launch(&data).spawn().unwrap());
    let menu = TrayMenu::find(app.0.id());
    visible_window(app.0.id(), Duration::from_secs(60)).expect("the window shows");
    assert_eq!(wait_geometry(app.0.id(), placed, Duration::from_secs(20)), placed, "the same size and place after a restart");
    quit(&mut app, &menu);

    // With "start minimized", the next start shows no window, only the tray.
    let settings = devteam_app::SettingsFile::load(data.join(devteam_app::SETTINGS_FILE));
    settings.update(|s| s.start_minimized = true).unwrap();
    let mut app = App(launch(&data).spawn().unwrap());
    let menu = TrayMenu::find(app.0.id());
    menu.wait_for("Open DevTeam", Some(true), Duration::from_secs(30));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(visible_window(app.0.id(), Duration::ZERO), None, "started hidden in the tray");

    // Launched again (from the menu, a terminal): the running one shows its
    // window, the new one exits.
    let mut second = launch(&data).spawn().unwrap();
    let status = wait_exit(&mut second, Duration::from_secs(30)).expect("the second launch exits");
    assert!(status.success(), "{status:?}");
    visible_window(app.0.id(), Duration::from_secs(20)).expect("the second launch brought the window forward");
    assert_eq!(wait_geometry(app.0.id(), placed, Duration::from_secs(20)), placed, "in its kept place");
    quit(&mut app, &menu);
}
