//! Stop points pause a project where a person asked, and progress counts feed
//! the dashboard's bars.

use devteam_engine::plan::{self, NextState, Overrides, PlanError, PlanOptions, StopPoint};
use devteam_engine::tasklist::{parse, TaskId};

fn id(text: &str) -> TaskId {
    text.parse().unwrap()
}

const PLAN: &str = "\
## 1. Base
- [x] 1.1 Schema
- [ ] 1.2 Seed data

## 2. API
- [ ] 2.1 Read
- [ ] 2.2 Write
";

fn with_stops(stops: Vec<StopPoint>, done: &[&str], completed_in_run: u32) -> plan::Next {
    let list = parse(PLAN.as_bytes(), "t");
    let overrides = Overrides { done: done.iter().map(|d| id(d)).collect(), ..Overrides::default() };
    plan::next(&list, &PlanOptions { stops, completed_in_run, ..PlanOptions::default() }, &overrides).unwrap()
}

#[test]
fn stop_before_a_task_pauses_when_it_would_start() {
    let next = with_stops(vec![StopPoint::Before(id("2.1"))], &[], 0);
    assert_eq!(next.state, NextState::Ready, "1.2 comes first");
    let next = with_stops(vec![StopPoint::Before(id("2.1"))], &["1.2"], 1);
    assert_eq!(next.state, NextState::Stopped);
    assert!(next.ready.is_empty());
    assert_eq!(next.stop.unwrap().reason, "task 2.1 would start next (stop before 2.1)");
    // Stopping before a phase stops before its first task.
    assert_eq!(with_stops(vec![StopPoint::Before(id("2"))], &["1.2"], 1).state, NextState::Stopped);
}

#[test]
fn stop_after_a_task_or_phase_pauses_once_it_is_done() {
    assert_eq!(with_stops(vec![StopPoint::After(id("1.2"))], &[], 0).state, NextState::Ready);
    let next = with_stops(vec![StopPoint::After(id("1.2"))], &["1.2"], 1);
    assert_eq!((next.state, next.stop.unwrap().reason), (NextState::Stopped, "task 1.2 is done".to_string()));
    assert_eq!(with_stops(vec![StopPoint::AfterPhase(id("2"))], &["1.2", "2.1"], 2).state, NextState::Ready);
    assert_eq!(with_stops(vec![StopPoint::AfterPhase(id("1"))], &["1.2"], 1).state, NextState::Stopped);
}

#[test]
fn stop_after_n_tasks_counts_the_current_run() {
    assert_eq!(with_stops(vec![StopPoint::AfterCount(2)], &["1.2"], 1).state, NextState::Ready);
    let next = with_stops(vec![StopPoint::AfterCount(2)], &["1.2", "2.1"], 2);
    assert_eq!(next.stop.unwrap().reason, "2 tasks completed in this run (stop after 2)");
}

#[test]
fn a_finished_plan_is_all_done_rather_than_stopped() {
    assert_eq!(with_stops(vec![StopPoint::After(id("1.2"))], &["1.2", "2.1", "2.2"], 3).state, NextState::AllDone);
}

#[test]
fn stop_points_on_unknown_tasks_or_leaves_as_phases_are_errors() {
    let list = parse(PLAN.as_bytes(), "t");
    let bad = |stops| plan::next(&list, &PlanOptions { stops, ..PlanOptions::default() }, &Overrides::default()).unwrap_err();
    assert_eq!(bad(vec![StopPoint::Before(id("7"))]), PlanError::UnknownStop(id("7")));
    assert_eq!(bad(vec![StopPoint::AfterPhase(id("2.1"))]), PlanError::NotAPhase(id("2.1")));
    assert_eq!(bad(vec![StopPoint::Before(id("7"))]).to_string(), "stop point on task 7, which is not in the task list");
}

#[test]
fn stop_points_read_from_json_as_the_ui_sends_them() {
    let stop: StopPoint = serde_json::from_str(r#"{"kind":"after_phase","at":"08"}"#).unwrap();
    assert_eq!(stop, StopPoint::AfterPhase(id("8")));
    assert!(serde_json::from_str::<StopPoint>(r#"{"kind":"before","at":"x"}"#).is_err());
}

#[test]
fn progress_counts_leaves_per_phase_and_overall_in_one_bucket_each() {
    let list = parse(PLAN.as_bytes(), "t");
    let overrides = Overrides { in_flight: [id("1.2")].into(), skipped: [id("2.2")].into(), ..Overrides::default() };
    let progress = plan::progress(&list, &overrides);
    let o = progress.overall;
    assert_eq!((o.total, o.done, o.skipped, o.in_flight, o.remaining), (4, 1, 1, 1, 1));
    let phases: Vec<(String, u32, u32)> = progress.phases.iter().map(|p| (p.id.clone(), p.counts.total, p.counts.done)).collect();
    assert_eq!(phases, [("1".into(), 2, 1), ("2".into(), 2, 0)]);
}
