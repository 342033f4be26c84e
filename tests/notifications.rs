//! Desktop notifications for real: engine events go through the app's own
//! notice loop and the notification plugin (a mock Tauri app, no display),
//! which calls `Notify` on the session bus; `dbus-monitor` watching that bus
//! must see each summary and body, and a click reported by the server
//! (`ActionInvoked`, action `default`) must come back as the project to open.
//!
//! No notification daemon runs in the test's private bus, so a small fake
//! server owns org.freedesktop.Notifications: it answers `Notify` like a
//! real one (an id) and sends the click signal a real one sends.
//!
//! Run: `bash -c 'source scripts/lib.sh; with_keyring cargo test -p devteam --test notifications'`

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use devteam_app::notices::{desktop, Notices};
use devteam_engine::project::{Project, ProjectDraft};
use devteam_engine::run::{RunEnd, Step};
use devteam_engine::EngineEvent;

const BUS_NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
const WAIT: Duration = Duration::from_secs(15);

/// What the fake server was asked to show: (id, summary, body, actions).
type Shown = Arc<Mutex<Vec<(u32, String, String, Vec<String>)>>>;

struct FakeServer {
    shown: Shown,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeServer {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        let id = shown.len() as u32 + 1;
        shown.push((id, summary, body, actions));
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("fake".into(), "devteam-tests".into(), "1.0".into(), "1.2".into())
    }

    fn close_notification(&self, _id: u32) {}
}

/// `dbus-monitor` watching `Notify` calls; its output collected as it comes.
struct Monitor {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Monitor {
    fn start() -> Self {
        let mut child = Command::new("dbus-monitor")
            .args(["--session", &format!("interface='{BUS_NAME}',member='Notify'")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor runs (Debian package `dbus-bin`, which `dbus-x11` of scripts/lib.sh pulls in)");
        let output = Arc::new(Mutex::new(String::new()));
        let sink = output.clone();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut out = sink.lock().unwrap();
                out.push_str(&line);
                out.push('\n');
            }
        });
        let this = Self { child, output };
        // dbus-monitor drops its own name once it is a monitor: from then on
        // it sees every matching call.
        this.wait_for("member=NameLost");
        this
    }

    fn text(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.text().contains(needle) {
            assert!(Instant::now() < deadline, "dbus-monitor never showed {needle:?}; it saw:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A `Notify` call carrying exactly this summary, then this body: the
    /// 4th and 5th arguments, printed one after the other.
    fn wait_for_notify(&self, summary: &str, body: &str) {
        self.wait_for(&format!("   string \"{summary}\"\n   string \"{body}\"\n"));
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn project(id: &str, customer: &str, name: &str) -> Project {
    Project {
        id: id.into(),
        settings: ProjectDraft { customer: customer.into(), name: name.into(), ..ProjectDraft::default() },
        created_at: "2026-01-01T00:00:00Z".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
    }
}

fn task_done(project: &str, task: &str, title: &str) -> EngineEvent {
    EngineEvent::TaskDone {
        project_id: project.into(),
        task_id: task.into(),
        title: title.into(),
        branch: format!("task/{task}"),
        attempts: 1,
        pr_url: None,
    }
}

#[test]
fn engine_events_become_notify_calls_and_a_click_names_the_project() {
    std::env::var("DBUS_SESSION_BUS_ADDRESS").expect(
        "no session bus: run inside one, e.g. bash -c 'source scripts/lib.sh; with_keyring cargo test -p devteam --test notifications'",
    );
    let monitor = Monitor::start();
    let shown = Shown::default();
    let server = zbus::blocking::connection::Builder::session()
        .unwrap()
        .name(BUS_NAME)
        .unwrap()
        .serve_at(PATH, FakeServer { shown: shown.clone() })
        .unwrap()
        .build()
        .expect("the test owns org.freedesktop.Notifications (a private bus has no notification daemon)");

    let app = tauri::test::mock_builder()
        .plugin(tauri_plugin_notification::init())
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("a mock app builds without a display");
    let (clicked_tx, clicked) = mpsc::channel();
    desktop::on_click(app.handle(), move |project_id| clicked_tx.send(project_id).unwrap());

    let per_task = Arc::new(AtomicBool::new(true));
    let setting = per_task.clone();
    let (events, receiver) = tokio::sync::broadcast::channel(64);
    let notices = Notices::new(&[project("acme-crm", "Acme", "CRM"), project("globex-portal", "Globex", "Portal")]);
    desktop::spawn(app.handle().clone(), receiver, notices, move || setting.load(Ordering::SeqCst));

    // Per task: each finished task is told at once.
    events.send(task_done("acme-crm", "2.1", "Add the login page")).unwrap();
    monitor.wait_for_notify("Acme / CRM: task 2.1 done", "Add the login page\nBranch task/2.1");

    // HUMAN_REVIEW: who is needed, for which task, and why.
    events
        .send(EngineEvent::StepStarted {
            project_id: "acme-crm".into(),
            task_id: "3.2".into(),
            title: "Export to CSV".into(),
            step: Step::Verify,
            attempt: 3,
        })
        .unwrap();
    events
        .send(EngineEvent::Blocked {
            project_id: "acme-crm".into(),
            task_id: "3.2".into(),
            reason: "verify failed 3 times: npm test exited 1".into(),
        })
        .unwrap();
    monitor.wait_for_notify("Acme / CRM needs you", "Task 3.2 Export to CSV: verify failed 3 times: npm test exited 1");

    // Batched: nothing per task, one notice when the run ends.
    per_task.store(false, Ordering::SeqCst);
    for (id, title) in [("1", "Header"), ("2", "Footer"), ("3", "Search")] {
        events.send(task_done("globex-portal", id, title)).unwrap();
    }
    events.send(EngineEvent::RunFinished { project_id: "globex-portal".into(), end: RunEnd::Paused { tasks_done: 3 } }).unwrap();
    monitor.wait_for_notify("Globex / Portal: 3 tasks done", "1 Header\n2 Footer\n3 Search");

    // A project whose every task is done.
    events.send(EngineEvent::RunFinished { project_id: "acme-crm".into(), end: RunEnd::AllDone { tasks_done: 0 } }).unwrap();
    monitor.wait_for_notify("Acme / CRM is complete", "Every task in its task list is done.");

    let shown = shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 4, "one Notify per notice, none for batched tasks: {shown:?}");
    let (blocked_id, _, _, actions) = shown.iter().find(|(_, summary, ..)| summary == "Acme / CRM needs you").unwrap();
    assert!(
        actions.windows(2).any(|w| w[0] == "default"),
        "the notice offers the `default` action, so the server reports a click on it: {actions:?}"
    );

    // The person clicks it: the server says so, the app learns the project.
    server
        .emit_signal(None::<zbus::names::BusName<'_>>, PATH, BUS_NAME, "ActionInvoked", &(*blocked_id, "default"))
        .unwrap();
    let project = clicked.recv_timeout(WAIT).expect("the click is reported");
    assert_eq!(project, "acme-crm");
}
