//! Injected tasks look like their siblings, get a fresh ID, and keep the plan
//! valid; each test states the exact text expected.

#[path = "fixtures/tasklists/support.rs"]
mod support;

use devteam_engine::tasklist::{parse, validate, CriterionKind, CriterionSpec, Check, EditError, InjectAt, NewTask, TaskId, ValidateOptions};

fn id(text: &str) -> TaskId {
    text.parse().unwrap()
}

fn task(title: &str) -> NewTask {
    NewTask { title: title.into(), ..NewTask::default() }
}

/// The text after injecting, and the new ID; the result must validate.
fn inject(text: &str, at: InjectAt, new: NewTask) -> (String, String) {
    let injected = parse(text.as_bytes(), "tasks.md").inject(&at, &new).unwrap();
    let out = String::from_utf8(injected.text).unwrap();
    let validation = validate(&parse(out.as_bytes(), "tasks.md"), ValidateOptions::default());
    assert!(validation.is_ok(), "{}", validation.render());
    (out, injected.id.to_string())
}

#[test]
fn after_a_task_means_after_its_whole_subtree_keeping_blank_line_rhythm() {
    let seed = support::fixture_text("seed_dialect.md");
    let (out, new_id) = inject(&seed, InjectAt::After(id("2.1")), task("Add request logging"));
    assert_eq!(new_id, "2.4", "2.1–2.3 exist, so the next free sibling number is 4");
    let expected = seed.replacen(
        "  - 2.1.5 Execute smoke test and verify 202 response\n\n",
        "  - 2.1.5 Execute smoke test and verify 202 response\n\n- 2.4 Add request logging (Dependencies: [2.1])\n\n",
        1,
    );
    assert_eq!(out, expected);
}

#[test]
fn a_new_phase_copies_the_phase_line_shape() {
    let seed = support::fixture_text("seed_dialect.md");
    let (out, new_id) = inject(&seed, InjectAt::After(id("2")), task("Audit trail"));
    assert_eq!(new_id, "10");
    let expected = seed.replacen(
        "  - 2.3.2 Assert processed event includes correlationId and projectId\n",
        "  - 2.3.2 Assert processed event includes correlationId and projectId\n\nPhase 10: Audit trail (Dependencies: [2])\n",
        1,
    );
    assert_eq!(out, expected);
}

#[test]
fn before_a_task_copies_its_dependencies_checkbox_and_indentation() {
    let text = "- [ ] 1 Parent\n  - [x] 1.1 a\n  - [ ]* 1.2 b (Dependencies: [1.1])\n  - [ ] 1.3 c\n";
    let (out, new_id) = inject(text, InjectAt::Before(id("1.2")), task("Urgent   fix"));
    assert_eq!(new_id, "1.4");
    // The box is empty and not optional: a new task is neither done nor optional.
    assert_eq!(out, "- [ ] 1 Parent\n  - [x] 1.1 a\n  - [ ] 1.4 Urgent fix (Dependencies: [1.1])\n  - [ ]* 1.2 b (Dependencies: [1.1])\n  - [ ] 1.3 c\n");
}

#[test]
fn before_a_task_after_a_blank_line_keeps_the_blank_line() {
    let text = "## 1. Group\n\n- [ ] 1.1 a\n";
    let (out, _) = inject(text, InjectAt::Before(id("1.1")), task("First"));
    assert_eq!(out, "## 1. Group\n\n- [ ] 1.2 First\n\n- [ ] 1.1 a\n");
}

#[test]
fn replacing_a_task_rewrites_dependencies_on_it_and_its_subtasks() {
    let text = "\
- [x] 1 Base
- [ ] 2 Old approach (Dependencies: [1])
  - [ ] 2.1 Old step
- [ ] 3 Uses it (Dependencies: [2])
- [ ] 4 Uses a step (deps: 2.1, 1)
";
    let (out, new_id) = inject(text, InjectAt::Replace(id("2")), task("New approach"));
    assert_eq!(new_id, "5");
    assert_eq!(
        out,
        "\
- [x] 1 Base
- [ ] 5 New approach (Dependencies: [1])
- [ ] 3 Uses it (Dependencies: [5])
- [ ] 4 Uses a step (deps: 5, 1)
"
    );
}

#[test]
fn heading_tasks_zero_padding_and_emphasis_are_copied() {
    let (out, new_id) = inject("### Task 4.2: Clone ✅\n", InjectAt::After(id("4.2")), task("Fetch"));
    assert_eq!((out.as_str(), new_id.as_str()), ("### Task 4.2: Clone ✅\n### Task 4.3: Fetch (Dependencies: [4.2])\n", "4.3"));
    let (out, new_id) = inject("## Phase 08: Hardening\n- [ ] 08.1 Fuzz\n", InjectAt::After(id("08.1")), task("Review"));
    assert_eq!((out.as_str(), new_id.as_str()), ("## Phase 08: Hardening\n- [ ] 08.1 Fuzz\n- [ ] 08.2 Review (Dependencies: [08.1])\n", "08.2"));
    let (out, _) = inject("- [ ] **1.1 Bold**\n", InjectAt::After(id("1.1")), NewTask { deps: Some(vec![]), ..task("Also bold") });
    assert_eq!(out, "- [ ] **1.1 Bold**\n- [ ] **1.2 Also bold**\n");
}

#[test]
fn dot_zero_parents_get_a_dot_zero_sibling() {
    let text = "- [ ] 1.0 Login\n  - [ ] 1.1 Form\n- [ ] 2.0 Session\n";
    let (out, new_id) = inject(text, InjectAt::After(id("1.0")), NewTask { deps: Some(vec![]), ..task("Logout") });
    assert_eq!(new_id, "3.0");
    assert_eq!(out, "- [ ] 1.0 Login\n  - [ ] 1.1 Form\n- [ ] 3.0 Logout\n- [ ] 2.0 Session\n");
}

#[test]
fn a_body_is_indented_under_the_new_task_and_line_endings_follow_the_file() {
    let text = "- [ ] 1 a\r\n- [ ] 2 b";
    let new = NewTask { title: "c".into(), body: Some("First line\n\n- sub point".into()), deps: Some(vec![]) };
    let (out, _) = inject(text, InjectAt::After(id("2")), new);
    assert_eq!(out, "- [ ] 1 a\r\n- [ ] 2 b\r\n- [ ] 3 c\r\n  First line\r\n\r\n  - sub point");
}

#[test]
fn a_bare_task_with_a_body_is_followed_by_a_blank_line_so_the_next_bare_task_still_reads() {
    // `1.2 b` right after body prose would be read as a wrapped paragraph.
    let text = "1.1 a\n1.2 b\n";
    let new = NewTask { title: "c".into(), body: Some("Explain c.".into()), deps: Some(vec![]) };
    let (out, _) = inject(text, InjectAt::After(id("1.1")), new);
    assert_eq!(out, "1.1 a\n1.3 c\nExplain c.\n\n1.2 b\n");
}

#[test]
fn injection_is_refused_when_it_could_not_be_read_back_or_is_not_allowed() {
    let list = parse(b"<!-- - [ ] 1 Old -->\n- [x] 2 Done\n- [ ] 3 Open\n", "t");
    assert_eq!(list.inject(&InjectAt::Replace(id("2")), &task("x")), Err(EditError::AlreadyDone(id("2"))));
    assert_eq!(list.inject(&InjectAt::After(id("1")), &task("x")), Err(EditError::Retired(id("1"))));
    assert_eq!(list.inject(&InjectAt::After(id("9")), &task("x")), Err(EditError::UnknownTask(id("9"))));
    assert_eq!(list.inject(&InjectAt::After(id("3")), &task(" ")), Err(EditError::BadTitle));
    assert_eq!(list.inject(&InjectAt::After(id("3")), &task("a\nb")), Err(EditError::BadTitle));
    let deps = NewTask { deps: Some(vec![id("7")]), ..task("x") };
    assert_eq!(list.inject(&InjectAt::After(id("3")), &deps), Err(EditError::UnknownDependency(id("7"))));
    // A title that would read as done, or declare dependencies, is refused.
    assert!(matches!(list.inject(&InjectAt::After(id("3")), &task("Ship it ✅")), Err(EditError::WouldNotReadBack(_))));
    assert!(matches!(list.inject(&InjectAt::After(id("3")), &task("Later (deps: 9)")), Err(EditError::WouldNotReadBack(_))));
}

#[test]
fn after_a_task_goes_before_a_trailing_section_that_is_not_a_task() {
    let text = "- [ ] 1 a\n  body\n\n## Risks\n\n- Downtime\n";
    let (out, _) = inject(text, InjectAt::After(id("1")), NewTask { deps: Some(vec![]), ..task("b") });
    assert_eq!(out, "- [ ] 1 a\n  body\n\n- [ ] 2 b\n\n## Risks\n\n- Downtime\n");
}

#[test]
fn default_criteria_are_appended_under_a_task_without_any() {
    let text = "- [ ] 1 Parent\n  Build it.\n\n  - [ ] 1.1 Child\n";
    let criteria = [
        CriterionSpec::Check { key: Some("build".into()), kind: Some(CriterionKind::Test), check: Check::Cmd { run: "cargo build".into() }, extra: vec![] },
        CriterionSpec::Prose { label: None, text: "The docs say how".into(), source: Some("PRD".into()) },
    ];
    let list = parse(text.as_bytes(), "t");
    let out = String::from_utf8(list.append_criteria(&id("1"), &criteria).unwrap()).unwrap();
    // Under the task's own body, before its first subtask.
    assert_eq!(
        out,
        "- [ ] 1 Parent\n  Build it.\n  - <criterion key=\"build\" kind=\"test\" check=\"cmd\" run=\"cargo build\">\n  - <criterion The docs say how [source: PRD]>\n\n  - [ ] 1.1 Child\n"
    );
    // A task that already has criteria is left alone.
    let again = parse(out.as_bytes(), "t").append_criteria(&id("1"), &criteria).unwrap();
    assert_eq!(again, out.as_bytes());
    let heading = parse(b"### Task 2: Deploy", "t").append_criteria(&id("2"), &criteria[..1]).unwrap();
    assert_eq!(String::from_utf8(heading).unwrap(), "### Task 2: Deploy\n- <criterion key=\"build\" kind=\"test\" check=\"cmd\" run=\"cargo build\">");
}
