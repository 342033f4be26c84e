//! The words of every notice, checked against the events that raise them.

use devteam_engine::orchestrator::{ExecState, Execution, Priority};
use devteam_engine::project::{Project, ProjectDraft};
use devteam_engine::run::{RunEnd, Step};
use devteam_engine::EngineEvent;

use super::{Notice, NoticeKind, Notices};

fn project(id: &str, customer: &str, name: &str) -> Project {
    Project {
        id: id.into(),
        settings: ProjectDraft { customer: customer.into(), name: name.into(), ..ProjectDraft::default() },
        created_at: "2026-01-01T00:00:00Z".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
    }
}

fn notices() -> Notices {
    Notices::new(&[project("acme-crm", "Acme", "CRM"), project("globex-portal", "Globex", "Portal")])
}

fn task_done(project: &str, task: &str, title: &str) -> EngineEvent {
    EngineEvent::TaskDone {
        project_id: project.into(),
        task_id: task.into(),
        title: title.into(),
        branch: format!("task/{task}-x"),
        attempts: 1,
        pr_url: None,
    }
}

fn step(project: &str, task: &str, title: &str) -> EngineEvent {
    EngineEvent::StepStarted { project_id: project.into(), task_id: task.into(), title: title.into(), step: Step::Implement, attempt: 1 }
}

fn finished(project: &str, end: RunEnd) -> EngineEvent {
    EngineEvent::RunFinished { project_id: project.into(), end }
}

fn execution(project: &str, state: ExecState, reason: Option<&str>) -> EngineEvent {
    EngineEvent::ExecutionChanged {
        execution: Execution { reason: reason.map(str::to_string), ..Execution::new(project, state, Priority::Normal) },
    }
}

fn one(mut notices: Vec<Notice>) -> Notice {
    assert_eq!(notices.len(), 1, "{notices:?}");
    notices.remove(0)
}

#[test]
fn a_finished_task_is_announced_at_once_when_notifications_are_per_task() {
    let mut n = notices();
    let notice = one(n.on_event(&task_done("acme-crm", "2.1", "Add the login page"), true));
    assert_eq!(notice.kind, NoticeKind::TaskDone);
    assert_eq!(notice.summary, "Acme / CRM: task 2.1 done");
    assert_eq!(notice.body, "Add the login page\nBranch task/2.1-x");
    assert_eq!(notice.project_id, "acme-crm", "a click opens this project");

    // With a pull request and a retry, the body says so.
    let event = EngineEvent::TaskDone {
        project_id: "acme-crm".into(),
        task_id: "2.2".into(),
        title: "Log out".into(),
        branch: "task/2.2-log-out".into(),
        attempts: 3,
        pr_url: Some("https://github.com/acme/crm/pull/7".into()),
    };
    let notice = one(n.on_event(&event, true));
    assert_eq!(notice.body, "Log out (after 3 attempts)\nPull request: https://github.com/acme/crm/pull/7");
}

#[test]
fn batched_notifications_say_how_many_tasks_a_run_finished_once_it_ends() {
    let mut n = notices();
    for (id, title) in [("1", "Scaffold"), ("2", "Models"), ("3", "Views")] {
        assert!(n.on_event(&task_done("acme-crm", id, title), false).is_empty(), "nothing while the run goes on");
    }
    // Another project's tasks are counted apart.
    assert!(n.on_event(&task_done("globex-portal", "9", "Footer"), false).is_empty());

    let notice = one(n.on_event(&finished("acme-crm", RunEnd::StopPoint { tasks_done: 3, reason: "stop after 3".into() }), false));
    assert_eq!(notice.kind, NoticeKind::TasksDone);
    assert_eq!(notice.summary, "Acme / CRM: 3 tasks done");
    assert_eq!(notice.body, "1 Scaffold\n2 Models\n3 Views");
    // The batch is gone once told: a second end says nothing.
    assert!(n.on_event(&finished("acme-crm", RunEnd::Paused { tasks_done: 0 }), false).is_empty());

    let notice = one(n.on_event(&finished("globex-portal", RunEnd::Stopped { tasks_done: 1 }), false));
    assert_eq!(notice.summary, "Globex / Portal: 1 task done");
}

#[test]
fn a_long_batch_lists_five_tasks_and_counts_the_rest() {
    let mut n = notices();
    for i in 1..=8 {
        n.on_event(&task_done("acme-crm", &i.to_string(), "T"), false);
    }
    let notice = one(n.on_event(&finished("acme-crm", RunEnd::Paused { tasks_done: 8 }), false));
    assert_eq!(notice.summary, "Acme / CRM: 8 tasks done");
    assert_eq!(notice.body.lines().count(), 6);
    assert!(notice.body.ends_with("and 3 more"), "{}", notice.body);
}

#[test]
fn a_completed_project_is_one_notice_that_carries_the_batch() {
    let mut n = notices();
    n.on_event(&task_done("acme-crm", "4", "Deploy"), false);
    let notice = one(n.on_event(&finished("acme-crm", RunEnd::AllDone { tasks_done: 1 }), false));
    assert_eq!(notice.kind, NoticeKind::ProjectDone);
    assert_eq!(notice.summary, "Acme / CRM is complete");
    assert_eq!(notice.body, "Every task in its task list is done.\n1 task in this run:\n4 Deploy");

    // Per task, the tasks were told already: only the count remains.
    let notice = one(notices().on_event(&finished("acme-crm", RunEnd::AllDone { tasks_done: 2 }), true));
    assert_eq!(notice.body, "Every task in its task list is done. 2 tasks in this run.");
}

#[test]
fn human_review_says_who_is_needed_for_which_task_and_why() {
    let mut n = notices();
    n.on_event(&step("acme-crm", "3.2", "Export to CSV"), true);
    let event = EngineEvent::Blocked {
        project_id: "acme-crm".into(),
        task_id: "3.2".into(),
        reason: "verify failed 3 times: `npm test` exited 1".into(),
    };
    let notice = one(n.on_event(&event, true));
    assert_eq!(notice.kind, NoticeKind::NeedsPerson);
    assert_eq!(notice.summary, "Acme / CRM needs you");
    assert_eq!(notice.body, "Task 3.2 Export to CSV: verify failed 3 times: `npm test` exited 1");
    // The run's end repeats nothing: the block was told by its own event.
    assert!(n.on_event(&finished("acme-crm", RunEnd::Blocked { task_id: "3.2".into(), reason: "x".into() }), true).is_empty());
}

#[test]
fn an_approval_is_announced_once_not_again_as_a_block() {
    let mut n = notices();
    let approval = EngineEvent::ApprovalNeeded {
        project_id: "globex-portal".into(),
        task_id: "5".into(),
        title: "Drop the legacy table".into(),
        reason: "approval needed: the task mentions the risky keyword \"drop\"".into(),
    };
    let notice = one(n.on_event(&approval, true));
    assert_eq!(notice.kind, NoticeKind::ApprovalNeeded);
    assert_eq!(notice.summary, "Globex / Portal: approval needed");
    assert!(notice.body.starts_with("Task 5 Drop the legacy table: approval needed"), "{}", notice.body);
    let blocked = EngineEvent::Blocked { project_id: "globex-portal".into(), task_id: "5".into(), reason: "approval needed".into() };
    assert!(n.on_event(&blocked, true).is_empty(), "the engine's follow-up block is the same request");
    // A later, real block of the same task is told again.
    assert_eq!(one(n.on_event(&blocked, true)).kind, NoticeKind::NeedsPerson);
}

#[test]
fn names_follow_the_projects_and_an_unknown_project_shows_its_id() {
    let mut n = notices();
    n.on_event(&EngineEvent::ProjectUpdated { project: project("acme-crm", "Acme Corp", "CRM web") }, true);
    assert_eq!(one(n.on_event(&task_done("acme-crm", "1", "A"), true)).summary, "Acme Corp / CRM web: task 1 done");
    n.on_event(&EngineEvent::ProjectAdded { project: project("initech-tps", "Initech", "TPS") }, true);
    assert_eq!(one(n.on_event(&task_done("initech-tps", "1", "A"), true)).summary, "Initech / TPS: task 1 done");
    assert_eq!(one(n.on_event(&task_done("ghost", "1", "A"), true)).summary, "ghost: task 1 done");
}

#[test]
fn a_failed_run_is_announced_once_until_the_project_runs_again() {
    let mut n = notices();
    let failed = execution("acme-crm", ExecState::Failed, Some("the task list is not valid: line 4"));
    let notice = one(n.on_event(&failed, true));
    assert_eq!(notice.kind, NoticeKind::RunFailed);
    assert_eq!(notice.summary, "Acme / CRM: the run stopped with an error");
    assert_eq!(notice.body, "the task list is not valid: line 4");
    assert!(n.on_event(&failed, true).is_empty(), "the board re-announces executions; the notice is not repeated");
    n.on_event(&execution("acme-crm", ExecState::TaskExecuting, None), true);
    assert_eq!(n.on_event(&failed, true).len(), 1);
    assert!(n.on_event(&execution("acme-crm", ExecState::Paused, None), true).is_empty());
}

#[test]
fn long_reasons_are_cut_to_what_a_notification_shows() {
    let mut n = notices();
    let reason = "x".repeat(2000);
    let event = EngineEvent::Blocked { project_id: "acme-crm".into(), task_id: "1".into(), reason };
    let body = one(n.on_event(&event, true)).body;
    assert_eq!(body.chars().count(), 300);
    assert!(body.ends_with('…'));
}

#[test]
fn progress_logs_and_stats_raise_nothing() {
    let mut n = notices();
    let quiet = [
        EngineEvent::Progress { project_id: "acme-crm".into(), done: 1, total: 4 },
        step("acme-crm", "1", "A"),
        execution("acme-crm", ExecState::Autonomous, None),
        EngineEvent::ProjectRemoved { project_id: "acme-crm".into() },
    ];
    for event in &quiet {
        assert!(n.on_event(event, true).is_empty(), "{event:?}");
    }
}
