//! The next unit of work: order, unit, dependencies (declared on the task,
//! inherited from ancestors, on parents), the run engine's overrides, and
//! priority injection.

use devteam_engine::plan::{self, NextState, Order, Overrides, PlanOptions, Unit, UnitKind};
use devteam_engine::tasklist::{parse, NewTask, TaskId, TaskList};

fn id(text: &str) -> TaskId {
    text.parse().unwrap()
}

fn ids(list: &TaskList, options: &PlanOptions, overrides: &Overrides) -> (NextState, Vec<String>) {
    let next = plan::next(list, options, overrides).unwrap();
    (next.state, next.ready.iter().map(|u| u.id.clone()).collect())
}

fn set(items: &[&str]) -> std::collections::HashSet<TaskId> {
    items.iter().map(|i| id(i)).collect()
}

const PLAN: &str = "\
## 1. Base
- [x] 1.1 Schema
- [ ] 1.2 Seed data
- [ ] 1.3 Indexes (Dependencies: [1.1])

## 2. API (Dependencies: [1])
- [ ] 2.1 Read
- [ ] 2.2 Write

## 3. Docs
- [ ] 3.1 Guide
";

#[test]
fn sequential_order_gives_the_first_ready_leaf_in_document_order() {
    let list = parse(PLAN.as_bytes(), "t");
    assert_eq!(ids(&list, &PlanOptions::default(), &Overrides::default()), (NextState::Ready, vec!["1.2".into()]));
}

#[test]
fn dependency_order_gives_every_ready_leaf_for_parallel_work() {
    // 2.x waits for all of phase 1 (a dependency on a parent means on all of it).
    let list = parse(PLAN.as_bytes(), "t");
    let options = PlanOptions { order: Order::Dependency, ..PlanOptions::default() };
    assert_eq!(ids(&list, &options, &Overrides::default()).1, ["1.2", "1.3", "3.1"]);
}

#[test]
fn a_dependency_declared_on_a_parent_holds_back_every_descendant() {
    let list = parse(PLAN.as_bytes(), "t");
    let options = PlanOptions { order: Order::Dependency, ..PlanOptions::default() };
    let overrides = Overrides { done: set(&["1.2"]), ..Overrides::default() };
    assert_eq!(ids(&list, &options, &overrides).1, ["1.3", "3.1"]);
    let overrides = Overrides { done: set(&["1.2", "1.3"]), ..Overrides::default() };
    assert_eq!(ids(&list, &options, &overrides).1, ["2.1", "2.2", "3.1"]);
}

#[test]
fn in_flight_tasks_are_not_offered_again_and_do_not_satisfy_dependents() {
    let list = parse(b"- [ ] 1 a\n- [ ] 2 b (deps: 1)\n", "t");
    let overrides = Overrides { in_flight: set(&["1"]), ..Overrides::default() };
    let next = plan::next(&list, &PlanOptions::default(), &overrides).unwrap();
    assert_eq!(next.state, NextState::Waiting);
    assert!(next.ready.is_empty());
}

#[test]
fn skipped_tasks_are_not_offered_and_their_dependents_wait() {
    // A person skipped 1: it is not done, so 2 (which needs it) waits, while
    // 3 (which does not) goes on.
    let list = parse(b"- [ ] 1 a\n- [ ] 2 b (deps: 1)\n- [ ] 3 c\n", "t");
    let overrides = Overrides { skipped: set(&["1"]), ..Overrides::default() };
    let deps = PlanOptions { order: Order::Dependency, ..PlanOptions::default() };
    assert_eq!(ids(&list, &deps, &overrides), (NextState::Ready, vec!["3".into()]));
    let only_dependent = parse(b"- [ ] 1 a\n- [ ] 2 b (deps: 1)\n", "t");
    let next = plan::next(&only_dependent, &PlanOptions::default(), &overrides).unwrap();
    assert_eq!(next.state, NextState::Blocked);
    assert_eq!(next.blocked[0].waiting_on, vec!["1".to_string()]);
}

#[test]
fn a_plan_with_nothing_ready_says_what_blocks_it() {
    let list = parse(b"- [ ] 1 a (deps: 2)\n- [ ] 2 b (deps: 1)\n- [ ] 3 c (deps: 9)\n", "t");
    let next = plan::next(&list, &PlanOptions::default(), &Overrides::default()).unwrap();
    assert_eq!(next.state, NextState::Blocked);
    let blocked: Vec<(String, Vec<String>)> = next.blocked.iter().map(|b| (b.id.clone(), b.waiting_on.clone())).collect();
    assert_eq!(blocked, [("1".into(), vec!["2".into()]), ("2".into(), vec!["1".into()]), ("3".into(), vec!["(unknown)".into()])]);
}

#[test]
fn all_done_is_reported_as_such() {
    let list = parse(b"- [x] 1 a\n- [ ] 2 b\n  - [x] 2.1 c\n<!-- - [ ] 3 retired -->\n", "t");
    assert_eq!(ids(&list, &PlanOptions::default(), &Overrides::default()).0, NextState::AllDone);
}

#[test]
fn the_group_unit_runs_a_parent_of_leaves_with_its_children_as_checklist() {
    let text = "\
- [ ] 1 Mixed parent
  - [ ] 1.1 Group
    - [x] 1.1.1 a
    - [ ] 1.1.2 b (agent: aider)
      agent: aider
  - [ ] 1.2 Lone leaf beside a group
- [ ] 2 Top-level leaf
";
    let list = parse(text.as_bytes(), "t");
    let options = PlanOptions { unit: Unit::Group, order: Order::Dependency, ..PlanOptions::default() };
    let next = plan::next(&list, &options, &Overrides::default()).unwrap();
    let units: Vec<(String, UnitKind)> = next.ready.iter().map(|u| (u.id.clone(), u.kind)).collect();
    assert_eq!(units, [("1.1".into(), UnitKind::Group), ("1.2".into(), UnitKind::Leaf), ("2".into(), UnitKind::Leaf)]);
    let checklist: Vec<(String, bool)> = next.ready[0].checklist.iter().map(|c| (c.id.clone(), c.done)).collect();
    assert_eq!(checklist, [("1.1.1".into(), true), ("1.1.2".into(), false)]);
    assert_eq!(next.ready[0].agent.as_deref(), Some("aider"), "a subtask's agent applies to its group");
    let ancestors: Vec<&str> = next.ready[0].ancestors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ancestors, ["1"]);
}

#[test]
fn a_group_waits_for_its_subtasks_dependencies_outside_the_group() {
    let text = "- [ ] 1 G\n  - [ ] 1.1 a\n  - [ ] 1.2 b (deps: 1.1, 2)\n- [ ] 2 other\n";
    let list = parse(text.as_bytes(), "t");
    let options = PlanOptions { unit: Unit::Group, ..PlanOptions::default() };
    assert_eq!(ids(&list, &options, &Overrides::default()).1, ["2"]);
    let overrides = Overrides { done: set(&["2"]), ..Overrides::default() };
    assert_eq!(ids(&list, &options, &overrides).1, ["1"]);
}

#[test]
fn a_running_subtask_keeps_its_group_from_starting_twice() {
    let list = parse(b"- [ ] 1 G\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n", "t");
    let options = PlanOptions { unit: Unit::Group, ..PlanOptions::default() };
    let overrides = Overrides { in_flight: set(&["1.1"]), ..Overrides::default() };
    assert_eq!(ids(&list, &options, &overrides).0, NextState::Waiting);
}

#[test]
fn a_priority_task_goes_before_the_next_unit_and_runs_first() {
    let list = parse(PLAN.as_bytes(), "t");
    let injected = plan::inject_priority(&list, &PlanOptions::default(), &Overrides::default(), &NewTask { title: "Hotfix".into(), ..NewTask::default() }).unwrap();
    assert_eq!(injected.id, id("1.4"));
    let text = String::from_utf8(injected.text.clone()).unwrap();
    assert_eq!(text, PLAN.replacen("- [ ] 1.2 Seed data\n", "- [ ] 1.4 Hotfix\n- [ ] 1.2 Seed data\n", 1));
    let after = parse(&injected.text, "t");
    assert_eq!(ids(&after, &PlanOptions::default(), &Overrides::default()).1, ["1.4"]);
}

#[test]
fn a_priority_task_on_a_finished_plan_goes_after_the_last_phase() {
    let list = parse(b"- [x] 1 a\n- [x] 2 b\n", "t");
    let injected = plan::inject_priority(&list, &PlanOptions::default(), &Overrides::default(), &NewTask { title: "More".into(), deps: Some(vec![]), ..NewTask::default() }).unwrap();
    assert_eq!(String::from_utf8(injected.text).unwrap(), "- [x] 1 a\n- [x] 2 b\n- [ ] 3 More\n");
}

#[test]
fn the_plan_serializes_for_the_ui_without_64_bit_numbers() {
    let list = parse(PLAN.as_bytes(), "t");
    let next = plan::next(&list, &PlanOptions::default(), &Overrides::default()).unwrap();
    let json = serde_json::to_value(&next).unwrap();
    assert_eq!(json["state"], "ready");
    assert_eq!(json["ready"][0]["id"], "1.2");
    assert_eq!(json["ready"][0]["line"], 3);
    assert_eq!(json["ready"][0]["kind"], "leaf");
}
