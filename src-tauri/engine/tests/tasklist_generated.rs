//! The generated 10,000-task plan (the benchmark's input) is itself a fixture:
//! it must read as built, validate, plan and edit, so the benchmark measures
//! real work and not an error path.

#[path = "fixtures/tasklists/support.rs"]
mod support;

use devteam_engine::plan::{self, Order, Overrides, PlanOptions};
use devteam_engine::tasklist::{parse, validate, TaskId, ValidateOptions};

#[test]
fn the_big_plan_reads_as_built() {
    let text = support::generated_plan(&support::BIG);
    assert!((900_000..1_300_000).contains(&text.len()), "about 1 MB, got {}", text.len());
    let list = parse(text.as_bytes(), "big.md");
    assert_eq!(list.tasks().len(), support::task_count(&support::BIG));
    assert_eq!(list.tasks().len(), 10_110);
    assert_eq!(list.write(), text.as_bytes());
    let validation = validate(&list, ValidateOptions { strict: true });
    assert!(validation.is_ok() && validation.diagnostics.is_empty(), "{}", validation.render());
    let criteria: usize = list.tasks().iter().map(|t| t.criteria.len()).sum();
    assert_eq!(criteria, 100);
}

#[test]
fn the_big_plan_plans_past_its_two_finished_phases() {
    let list = parse(support::generated_plan(&support::BIG).as_bytes(), "big.md");
    let next = plan::next(&list, &PlanOptions::default(), &Overrides::default()).unwrap();
    assert_eq!(next.ready[0].id, "3.1.1.1");
    // In dependency order only the first step of each chain is ready: steps
    // have no dependencies of their own, subtasks chain, tasks chain.
    let all = plan::next(&list, &PlanOptions { order: Order::Dependency, ..PlanOptions::default() }, &Overrides::default()).unwrap();
    let ids: Vec<&str> = all.ready.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["3.1.1.1", "3.1.1.2", "3.1.1.3", "3.1.1.4", "3.1.1.5", "3.1.1.6", "3.1.1.7", "3.1.1.8", "3.1.1.9"]);
    let progress = plan::progress(&list, &Overrides::default());
    assert_eq!((progress.overall.total, progress.overall.done), (9000, 1800));
}

#[test]
fn a_deep_step_of_the_big_plan_is_ticked_in_place() {
    let text = support::generated_plan(&support::BIG);
    let list = parse(text.as_bytes(), "big.md");
    let id: TaskId = "7.3.4.2".parse().unwrap();
    let done = list.mark_done(&id, None).unwrap();
    let line = "    - [ ] 7.3.4.2 Step 2: wire the ";
    let at = text.find(line).unwrap();
    let mut expected = text.clone().into_bytes();
    expected[at + 7] = b'x';
    assert_eq!(done.text, expected);
}
