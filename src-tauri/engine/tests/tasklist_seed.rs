//! The seed dialect: the file our first users really wrote. It must parse
//! with the hierarchy, dependencies and criteria it has, Phase 1 retired in
//! its HTML comment, and plan 2.1.1 as the first thing to do.

#[path = "fixtures/tasklists/support.rs"]
mod support;

use devteam_engine::plan::{self, Order, Overrides, PlanOptions, Unit};
use devteam_engine::tasklist::{parse, validate, CriterionSpec, Severity, TaskId, TaskList, ValidateOptions};

fn seed() -> TaskList {
    parse(&support::fixture("seed_dialect.md"), "ai_docs/tasks/tasks_list.md")
}

fn id(text: &str) -> TaskId {
    text.parse().unwrap()
}

#[test]
fn the_seed_has_nine_phases_of_which_the_first_is_retired() {
    let list = seed();
    let live: Vec<_> = list.live_tasks().collect();
    let retired = list.tasks().len() - live.len();
    // Phase 1 (with 1.1–1.3 and 14 steps) sits in an HTML comment.
    assert_eq!(retired, 17);
    assert_eq!(live.len(), 8 + 36 + 66, "8 phases, 36 tasks, 66 steps");
    let roots: Vec<String> = list.roots().iter().map(|r| list.tasks()[*r].id.to_string()).collect();
    assert_eq!(roots, ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert!(list.task(&id("1")).unwrap().retired);
    assert_eq!(list.task(&id("2")).unwrap().title, "Events → Worker Wire-up");
    assert_eq!(list.tasks().iter().filter(|t| list.is_leaf(list.find(&t.id).unwrap()) && !t.retired).count(), 66);
}

#[test]
fn the_hierarchy_comes_from_the_ids() {
    let list = seed();
    let t = list.find(&id("2.1.3")).unwrap();
    let chain: Vec<String> = list.ancestors(t).map(|a| list.tasks()[a].id.to_string()).collect();
    assert_eq!(chain, ["2.1", "2"]);
    let children: Vec<String> = list.tasks()[list.find(&id("7")).unwrap()].children.iter().map(|c| list.tasks()[*c].id.to_string()).collect();
    assert_eq!(children, ["7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8"]);
}

#[test]
fn every_declared_dependency_is_read_and_resolves() {
    let list = seed();
    let deps = |t: &str| list.task(&id(t)).unwrap().deps.iter().map(|d| d.id.to_string()).collect::<Vec<_>>();
    assert_eq!(deps("2"), ["1"]);
    assert_eq!(deps("2.1"), ["1.2"]);
    assert_eq!(deps("4.4"), ["4.2", "4.3"]);
    assert_eq!(deps("8.1"), ["3.3", "5.2"]);
    assert_eq!(deps("9.1"), ["1.1", "1.2", "7.8"]);
    let declared: usize = list.live_tasks().map(|(_, t)| t.deps.len()).sum();
    // 8 phases + 36 tasks each declare one list; 4.4, 4.5 and 8.1 name two, 9.1 three.
    assert_eq!(declared, 8 + 36 + 3 + 2);
    assert!(list.live_tasks().all(|(_, t)| t.deps.iter().all(|d| d.target.is_some())));
}

#[test]
fn the_only_criteria_are_the_four_prose_ones_in_retired_phase_one() {
    let list = seed();
    let live: usize = list.live_tasks().map(|(_, t)| t.criteria.len()).sum();
    assert_eq!(live, 0);
    let step = list.task(&id("1.1.6")).unwrap();
    assert_eq!(step.criteria.len(), 4);
    let CriterionSpec::Prose { label, text, source } = &step.criteria[0].spec else { panic!("prose expected") };
    assert_eq!((label.as_deref(), text.as_str(), source.as_deref()), (Some("1"), "Docker services start within ≤10s (p95)", Some("PRD")));
}

#[test]
fn the_seed_validates_with_one_note_about_the_comment() {
    // "PHASE 1 COMPLETED" right after the comment is prose, not a second task 1.
    let validation = validate(&seed(), ValidateOptions { strict: true });
    assert!(validation.is_ok(), "{}", validation.render());
    assert_eq!(validation.diagnostics.len(), 1);
    assert_eq!(validation.diagnostics[0].severity, Severity::Note);
    assert_eq!(
        validation.diagnostics[0].headline(),
        "ai_docs/tasks/tasks_list.md:7:1: note: 17 tasks inside this HTML comment (1 … 1.3.3) are retired: they count as done and never run"
    );
}

#[test]
fn the_first_thing_to_do_is_2_1_1_because_phase_one_is_retired() {
    let list = seed();
    let next = plan::next(&list, &PlanOptions::default(), &Overrides::default()).unwrap();
    let ids: Vec<&str> = next.ready.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["2.1.1"]);
    let deps: Vec<&str> = next.ready[0].deps.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(deps, ["1.2", "1"], "inherited from 2.1 and phase 2, all retired hence done");
    let groups = plan::next(&list, &PlanOptions { unit: Unit::Group, order: Order::Dependency, ..Default::default() }, &Overrides::default()).unwrap();
    let ids: Vec<&str> = groups.ready.iter().map(|u| u.id.as_str()).collect();
    // Only 2.1's group is ready: everything else waits on 2.x or later phases.
    assert_eq!(ids, ["2.1"]);
    assert_eq!(groups.ready[0].checklist.len(), 5);
}

#[test]
fn progress_counts_66_steps_over_8_live_phases() {
    let progress = plan::progress(&seed(), &Overrides::default());
    assert_eq!((progress.overall.total, progress.overall.remaining, progress.retired), (66, 66, 17));
    let per_phase: Vec<(String, u32)> = progress.phases.iter().map(|p| (p.id.clone(), p.counts.total)).collect();
    let expected = [("2", 9), ("3", 6), ("4", 11), ("5", 10), ("6", 6), ("7", 13), ("8", 6), ("9", 5)];
    assert_eq!(per_phase, expected.map(|(i, n)| (i.to_string(), n)));
}

#[test]
fn writing_the_seed_back_gives_the_same_bytes() {
    let bytes = support::fixture("seed_dialect.md");
    assert_eq!(parse(&bytes, "seed").write(), bytes);
}
